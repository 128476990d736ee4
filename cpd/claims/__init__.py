"""CPD claims drafted from a person's quality-improvement work: an achieved plan goal, an ended
PDSA cycle, a submitted assessment round (a practice audit). Who may claim what is decided in
`selectors.py`; what a claim says in `drafting.py`; the draft in `services.py`. The draft waits
on My CPD for the person to correct and confirm it."""
