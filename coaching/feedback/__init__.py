"""Participant feedback on visits: each attendee of a logged visit is asked (in the app and by
e-mail), answers once and anonymously, and the answers are rolled up per coach and for the
program, by quarter, only for groups large enough not to point at anyone."""
