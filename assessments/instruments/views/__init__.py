"""The instrument pages under /p/<program>/instruments/ (see ../urls.py)."""
