"""The history page's machinery, shared by every subject's History page: the subject's view
finds the subject (404 when out of reach) and names it; this lists its changes a page at a time
in a fixed number of queries."""

from django.core.paginator import Paginator

from psp.history.selectors import history_of

PAGE_SIZE = 50


class HistoryPageMixin:
    """Mix into a page view about one subject; set `history_subject_type` and return the
    subject's id from `history_subject_id()`."""

    history_subject_type = ""

    def history_subject_id(self) -> int:
        raise NotImplementedError

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        changes = history_of(
            subject_type=self.history_subject_type, subject_id=self.history_subject_id()
        )
        paginator = Paginator(changes, PAGE_SIZE)
        page = paginator.get_page(self.request.GET.get("page"))
        context.update(
            changes=page.object_list,
            page_obj=page,
            paginator=paginator,
            is_paginated=page.has_other_pages(),
        )
        return context
