"""Every model is program-owned or allow-listed with a reason, and program-owned models keep the
scoped manager and per-program uniqueness (psp/tenancy/checks.py)."""

import pytest
from django.apps import apps
from django.core import checks
from django.db import models
from django.test.utils import isolate_apps

from psp.tenancy.allowlist import GLOBALLY_UNIQUE_FIELDS, NOT_PROGRAM_OWNED
from psp.tenancy.base import ProgramOwned
from psp.tenancy.checks import allowlist_errors, check_program_ownership, tenancy_errors


def _describe(errors) -> str:
    return "\n".join(f"{error.id} {error.msg} {error.hint or ''}" for error in errors)


def test_every_installed_model_is_program_owned_or_allow_listed_with_a_reason():
    every_model = apps.get_models(include_auto_created=True)
    errors = tenancy_errors(every_model) + allowlist_errors()
    assert not errors, "Models outside the tenancy:\n" + _describe(errors)


def test_the_walk_above_really_saw_our_program_owned_models():
    owned = {m._meta.label for m in apps.get_models() if issubclass(m, ProgramOwned)}
    assert {"practices.Practice", "accounts.ApiToken", "tenancy.ProgramMembership"} <= owned


def test_every_allow_list_entry_gives_a_reason():
    for name, reason in {**NOT_PROGRAM_OWNED, **GLOBALLY_UNIQUE_FIELDS}.items():
        assert len(reason.split()) >= 4, f"{name} needs a real reason, not {reason!r}"


def test_the_system_check_is_registered_and_clean():
    registered = checks.registry.registry.get_checks()
    assert check_program_ownership in registered
    assert check_program_ownership() == []


# The check itself, against throwaway models in an isolated registry ------------------------


@isolate_apps("psp.tenancy", "practices")
def _models():
    """Build throwaway models. A tiny stand-in Program lets `tenancy.Program` resolve."""

    class Program(models.Model):  # noqa: DJ008
        class Meta:
            app_label = "tenancy"

    class Notebook(models.Model):  # noqa: DJ008
        class Meta:
            app_label = "practices"

    class Visit(ProgramOwned):
        code = models.CharField(max_length=10, unique=True)
        tags = models.ManyToManyField(Notebook)

        class Meta:
            app_label = "practices"
            constraints = [
                models.UniqueConstraint(fields=["code", "tags"], name="visit_code"),
                models.UniqueConstraint(fields=["program", "code"], name="visit_code_ok"),
            ]

    class Goal(ProgramOwned):
        everything = models.Manager()

        class Meta:
            app_label = "practices"
            base_manager_name = "everything"
            default_manager_name = "everything"

    class Action(ProgramOwned):
        title = models.CharField(max_length=10)

        class Meta:
            app_label = "practices"
            unique_together = [("program", "title")]

    return {m.__name__: m for m in (Notebook, Visit, Goal, Action)} | {
        "Visit_tags": Visit.tags.through
    }


@pytest.fixture(scope="module")
def throwaway():
    return _models()


def _ids_for(model) -> list[str]:
    return [error.id for error in tenancy_errors([model])]


def test_it_names_a_model_that_is_neither_owned_nor_allow_listed(throwaway):
    errors = tenancy_errors([throwaway["Notebook"]])
    assert [e.id for e in errors] == ["tenancy.E001"]
    assert "practices.Notebook" in errors[0].msg


def test_it_rejects_a_program_owned_model_whose_default_manager_does_not_scope(throwaway):
    assert _ids_for(throwaway["Goal"]) == ["tenancy.E002"]


def test_it_rejects_uniqueness_rules_without_program(throwaway):
    errors = tenancy_errors([throwaway["Visit"]])
    assert sorted(e.id for e in errors) == ["tenancy.E003", "tenancy.E003"]
    text = _describe(errors)
    assert "'visit_code'" in text and "field 'code'" in text
    assert "visit_code_ok" not in text


def test_it_accepts_a_program_owned_model_with_per_program_uniqueness(throwaway):
    assert _ids_for(throwaway["Action"]) == []


def test_it_rejects_an_automatic_many_to_many_table_of_a_program_owned_model(throwaway):
    assert _ids_for(throwaway["Visit_tags"]) == ["tenancy.E007"]


def test_it_accepts_automatic_tables_between_people_level_models():
    from psp.accounts.models import User

    assert tenancy_errors([User.groups.through, User.user_permissions.through]) == []


def test_it_names_stale_and_contradictory_allow_list_entries(monkeypatch):
    from psp.tenancy import checks as tenancy_checks

    monkeypatch.setattr(
        tenancy_checks,
        "NOT_PROGRAM_OWNED",
        {**NOT_PROGRAM_OWNED, "practices.Gone": "was removed", "practices.Practice": "oops"},
    )
    monkeypatch.setattr(
        tenancy_checks, "GLOBALLY_UNIQUE_FIELDS", {"practices.Practice.nickname": "no such field"}
    )
    errors = allowlist_errors()
    assert sorted(e.id for e in errors) == ["tenancy.E004", "tenancy.E004", "tenancy.E005"]
    text = _describe(errors)
    assert "practices.Gone" in text and "practices.Practice.nickname" in text
