"""Reads of the stored dose summary for other apps (the dose pages themselves read it through
coaching/caseload/dose.py)."""

from datetime import date

from django.db.models import Sum

from coaching.dose.models import DoseMonth


def logged_visits_by_practice_month(*, first: date, last: date) -> list[tuple[int, date, int]]:
    """(practice id, month's first day, logged visits) over every practice of the program in
    scope, from the summary rather than the visits: what the KPI refresh rolls up into the
    dashboards' stored marks. Months without visits are absent."""
    rows = (
        DoseMonth.objects.filter(month__gte=first, month__lte=last)
        .values_list("practice_id", "month")
        .annotate(n=Sum("visits"))
        .order_by()
    )
    return [(practice_id, month, n) for practice_id, month, n in rows if n]
