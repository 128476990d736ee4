"""The pager of every program-wide list page: page numbers without counting a whole program.

Django's Paginator counts every row the filters choose on every request (a `COUNT(*)` over a
program's 1,000,000 visits) only to print "of 40,000". This one counts at most
PSP_LIST_COUNT_LIMIT rows (+1, to know there are more), which costs the same at any size when an
index serves the list's order: under the bound the count, the page count and "a page past the
end shows the last page" are exact, as before; above it the list says "more than 1,000", each
page reads one row past its end to know whether a next page exists, and a page past the end
says so and links back to the first. Two queries either way, the same at every size.
"""

from math import ceil

from django.conf import settings
from django.core.paginator import EmptyPage, Page, PageNotAnInteger, Paginator
from django.utils.functional import cached_property


class BoundedPage(Page):
    """A page that knows whether another follows without knowing how many do."""

    def __init__(self, object_list, number, paginator, *, more: bool | None = None):
        super().__init__(object_list, number, paginator)
        self._more = more

    def has_next(self) -> bool:
        return self._more if self._more is not None else super().has_next()

    @property
    def past_the_end(self) -> bool:
        """A page after the last one, named by an old link (only above the bound)."""
        return self.number > 1 and not self.object_list


class BoundedPaginator(Paginator):
    """A Paginator whose count stops at `limit` (PSP_LIST_COUNT_LIMIT, read per request)."""

    def __init__(self, object_list, per_page, *args, limit: int | None = None, **kwargs):
        super().__init__(object_list, per_page, *args, **kwargs)
        self.limit = limit if limit is not None else settings.PSP_LIST_COUNT_LIMIT

    @cached_property
    def counted(self) -> int:
        """Rows up to one past the bound: one query that stops there (or the list's length)."""
        rows = self.object_list
        if hasattr(rows, "order_by"):  # a queryset: its order does not change a count
            return rows.order_by()[: self.limit + 1].count()
        return min(len(rows), self.limit + 1)

    @property
    def is_bounded(self) -> bool:
        """More rows than the bound: the count, and the number of pages, are not known."""
        return self.counted > self.limit

    @cached_property
    def count(self) -> int:
        return min(self.counted, self.limit)

    @property
    def count_text(self) -> str:
        """The count as a person reads it: "25", or "more than 1,000"."""
        return f"more than {self.limit:,}" if self.is_bounded else f"{self.count:,}"

    @cached_property
    def num_pages(self) -> int | None:
        """The number of pages, or None above the bound."""
        return None if self.is_bounded else super().num_pages

    def validate_number(self, number) -> int:
        if not self.is_bounded:
            return super().validate_number(number)
        try:
            number = int(number)
        except (TypeError, ValueError):
            raise PageNotAnInteger(self.error_messages["invalid_page"]) from None
        if number < 1:
            raise EmptyPage(self.error_messages["min_page"])
        return number

    def get_page(self, number) -> Page:
        if not self.is_bounded:
            return super().get_page(number)
        try:
            number = self.validate_number(number)
        except InvalidPageNumber:
            number = 1
        return self.page(number)

    def page(self, number) -> Page:
        if not self.is_bounded:
            return super().page(number)
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        rows = list(self.object_list[bottom : bottom + self.per_page + 1])
        return self._get_page(rows[: self.per_page], number, self, more=len(rows) > self.per_page)

    def _get_page(self, *args, **kwargs) -> Page:
        return BoundedPage(*args, **kwargs)

    @property
    def page_range(self):
        if self.is_bounded:
            return range(1, ceil(self.limit / self.per_page) + 1)
        return super().page_range


InvalidPageNumber = (PageNotAnInteger, EmptyPage)


def paginate(request, items, per_page: int) -> dict:
    """The context a page's pager reads (partials/pagination.html) for `items` at `?page=`, for
    pages that are not a ListView (which get the same through ResultsPageMixin)."""
    page = BoundedPaginator(items, per_page).get_page(request.GET.get("page"))
    return {"page_obj": page, "paginator": page.paginator, "is_paginated": shows_pager(page)}


def shows_pager(page: Page) -> bool:
    """Whether a page shows its pager: there are other pages, or it is past the end (and links
    back to the first)."""
    return page.has_other_pages() or getattr(page, "past_the_end", False)
