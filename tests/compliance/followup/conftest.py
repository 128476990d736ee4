import pytest
from django.urls import NoReverseMatch, clear_url_caches, reverse


@pytest.fixture(autouse=True)
def checklist_page(settings):
    """The follow-up pages, reminders and reports link to a checklist's page, which the
    checklist pages' URLs name; where those are missing, a stand-in names it."""
    try:
        reverse("compliance:checklist", kwargs={"program": "p", "pk": 1})
    except NoReverseMatch:
        settings.ROOT_URLCONF = "tests.compliance.followup.urls"
        clear_url_caches()
        yield
        clear_url_caches()
        return
    yield
