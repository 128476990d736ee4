"""Rounds: a practice assessed against one published instrument version. A round is opened
(baseline or follow-up), each person answers as themselves, the facilitator records the agreed
(consensus) answers, and submitting scores the round once, by domain and overall, with the
scores stored so they never change; results compare a round with the practice's baseline and its
previous round, and say when the next follow-up is due."""
