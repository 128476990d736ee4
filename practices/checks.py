"""System checks of the practices app: no write to a source of derived data goes unmarked
(practices/derived.py). tests/practices/test_derived.py shows what each one refuses."""

from django.apps import apps
from django.core import checks
from django.core.exceptions import FieldError
from django.db import models

from practices.derived import PROGRAM, DerivedSource, SourceQuerySet


def check_sources(app_configs=None, **kwargs) -> list[checks.Error]:
    """Registered in PracticesConfig.ready(): every source model lets no write through unmarked."""
    return [
        checks.Error(message, obj=model, id="practices.E001")
        for model in apps.get_models()
        if issubclass(model, DerivedSource)
        for message in source_errors(model)
    ]


def source_errors(model) -> list[str]:
    """What would let a write to this source model skip `mark_stale`."""
    label = model._meta.label
    errors = [
        f"{label}.{manager.name} ({type(manager).__name__}) writes without marking: build it on "
        "practices.derived.SourceQuerySet."
        for manager in model._meta.managers
        if not issubclass(manager._queryset_class, SourceQuerySet)
    ]
    path = getattr(model, "practice_path", None)
    if path is None:
        errors.append(f"{label} does not say how a row leads to its practice (practice_path).")
    elif path not in ("pk", PROGRAM):
        try:
            model._base_manager.values_list(path)  # resolves the lookup, reads nothing
        except FieldError as error:
            errors.append(f"{label}.practice_path {path!r} is not a lookup: {error}")
    for field in model._meta.concrete_fields:
        remote = field.remote_field
        if remote is None or remote.on_delete is not models.CASCADE:
            continue
        parent = remote.model
        if not (issubclass(parent, DerivedSource) or parent._meta.label == "tenancy.Program"):
            errors.append(
                f"{label}.{field.name} cascades from {parent._meta.label}, which is not a source: "
                "a deletion of one would delete rows unmarked. Use on_delete=derived.CASCADE."
            )
    return errors
