"""The assessment round pages under /p/<program>/assessments/ (see ../urls.py)."""
