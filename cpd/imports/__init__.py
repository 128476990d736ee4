"""Importing past CPD transcripts from a CSV: a person's own, or (the program's admins) people of
the program's. `rows.py` checks one row, `people.py` reads each person's rules once,
`services.py` checks the file whole and lands it in one transaction."""
