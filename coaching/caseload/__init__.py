"""Caseloads: the practices a coach looks after (or the whole program's), each with its status
(on track, needs attention, stalled) under the program's caseload rules and the reasons for it;
coach workload; and the dose of support (logged visits and minutes) across practices and for
one practice. The program-wide statuses are kept as stored standings, refreshed nightly."""
