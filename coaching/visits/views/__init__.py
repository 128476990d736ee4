"""The visit pages: pages.py has the list, a visit's own page, its history and cancelling; the
forms that record a visit (log, complete, schedule) are in record.py, editing one in edit.py,
and what those forms share in form_page.py."""
