"""System checks that keep every model inside the tenancy (DESIGN.md section 4).

A model of our own apps must inherit `ProgramOwned` or be on the allow-list with a reason
(psp/tenancy/allowlist.py). A program-owned model keeps the scoped manager as its default,
keeps that manager out of migrations, and puts `program` in every uniqueness rule (a rule
without it cannot be enforced per shard once tables are distributed by program).
tests/tenancy/test_model_coverage.py applies the same rules to every installed model.
"""

from django.apps import apps
from django.core import checks
from django.core.exceptions import FieldDoesNotExist
from django.db import models

from psp.tenancy.allowlist import GLOBALLY_UNIQUE_FIELDS, NOT_PROGRAM_OWNED
from psp.tenancy.base import ProgramOwned
from psp.tenancy.managers import AllProgramsManager, ProgramScopedManager

OWN_APP_MODULES = ("psp", "practices", "assessments", "coaching", "cpd", "compliance", "kpis")


def is_own_app(app_config) -> bool:
    root = app_config.name.split(".")[0]
    return root in OWN_APP_MODULES


def check_program_ownership(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """Registered in TenancyConfig.ready(): the rules above, for our own apps' models."""
    configs = app_configs or apps.get_app_configs()
    selected = [
        model
        for config in configs
        if is_own_app(config)
        for model in config.get_models(include_auto_created=True)
    ]
    errors = tenancy_errors(selected)
    if app_configs is None:
        errors += allowlist_errors()
    return errors


def tenancy_errors(models_to_check) -> list[checks.Error]:
    errors: list[checks.Error] = []
    for model in models_to_check:
        if model._meta.auto_created:
            errors += _through_table_errors(model)
        elif issubclass(model, ProgramOwned):
            # Proxies too: a proxy could swap in an unscoped default manager.
            errors += _program_owned_errors(model)
        elif not is_allow_listed(model):
            errors.append(
                checks.Error(
                    f"{model._meta.label} is neither program-owned nor allow-listed.",
                    hint=(
                        "Inherit psp.tenancy.base.ProgramOwned, or add it to NOT_PROGRAM_OWNED "
                        "in psp/tenancy/allowlist.py with the reason it spans programs."
                    ),
                    obj=model,
                    id="tenancy.E001",
                )
            )
    return errors


def is_allow_listed(model) -> bool:
    """On the allow-list, or a proxy of a model that is (same table, same reason)."""
    return (
        model._meta.label in NOT_PROGRAM_OWNED
        or model._meta.concrete_model._meta.label in NOT_PROGRAM_OWNED
    )


def allowlist_errors() -> list[checks.Error]:
    """Allow-list entries that no longer name a model, or name one that is program-owned."""
    errors: list[checks.Error] = []
    for label in NOT_PROGRAM_OWNED:
        try:
            model = apps.get_model(label)
        except LookupError:
            errors.append(
                checks.Error(
                    f"The tenancy allow-list names {label}, which is not an installed model.",
                    hint="Remove it from NOT_PROGRAM_OWNED in psp/tenancy/allowlist.py.",
                    id="tenancy.E004",
                )
            )
            continue
        if issubclass(model, ProgramOwned):
            errors.append(
                checks.Error(
                    f"{label} is program-owned and also on the tenancy allow-list.",
                    hint="Remove it from NOT_PROGRAM_OWNED in psp/tenancy/allowlist.py.",
                    obj=model,
                    id="tenancy.E005",
                )
            )
    for name in GLOBALLY_UNIQUE_FIELDS:
        label, _, field_name = name.rpartition(".")
        try:
            apps.get_model(label)._meta.get_field(field_name)
        except (LookupError, ValueError, FieldDoesNotExist):
            errors.append(
                checks.Error(
                    f"GLOBALLY_UNIQUE_FIELDS names {name}, which is not a field.",
                    hint="Remove it from psp/tenancy/allowlist.py.",
                    id="tenancy.E004",
                )
            )
    return errors


def _program_owned_errors(model) -> list[checks.Error]:
    errors = []
    label = model._meta.label
    default = model._default_manager
    if not isinstance(default, ProgramScopedManager):
        errors.append(
            checks.Error(
                f"{label}'s default manager ({default.name}: {type(default).__name__}) does "
                "not scope to the program.",
                hint=(
                    "Keep `objects` (a ProgramScopedManager or subclass) as the first manager; "
                    "cross-program code uses `all_programs`."
                ),
                obj=model,
                id="tenancy.E002",
            )
        )
    if not isinstance(getattr(model, "all_programs", None), AllProgramsManager):
        errors.append(
            checks.Error(
                f"{label} has lost its `all_programs` manager.",
                hint="Do not override `all_programs` on a program-owned model.",
                obj=model,
                id="tenancy.E002",
            )
        )
    for manager in model._meta.managers:
        if manager.use_in_migrations and isinstance(manager, ProgramScopedManager):
            errors.append(
                checks.Error(
                    f"{label}.{manager.name} is a scoped manager used in migrations.",
                    hint="Migrations run outside any program; drop use_in_migrations.",
                    obj=model,
                    id="tenancy.E006",
                )
            )
    program = model._meta.get_field("program")
    if program.null or program.related_model._meta.label != "tenancy.Program":
        errors.append(
            checks.Error(
                f"{label}.program must be a required foreign key to tenancy.Program.",
                obj=model,
                id="tenancy.E008",
            )
        )
    if not model._meta.proxy:
        errors += _uniqueness_errors(model)
    return errors


def _uniqueness_errors(model) -> list[checks.Error]:
    label = model._meta.label
    rules: list[tuple[str, set[str]]] = []
    for constraint in model._meta.constraints:
        if isinstance(constraint, models.UniqueConstraint):
            names = set(constraint.fields)
            for expression in constraint.expressions:
                names |= _referenced_names(expression)
            rules.append((f"constraint {constraint.name!r}", names))
    for fields in model._meta.unique_together:
        rules.append((f"unique_together {tuple(fields)!r}", set(fields)))
    for field in model._meta.fields:
        if field.unique and not field.primary_key:
            if f"{label}.{field.name}" in GLOBALLY_UNIQUE_FIELDS:
                continue
            rules.append((f"field {field.name!r} (unique=True)", {field.name}))
    return [
        checks.Error(
            f"{label}: {rule} is a uniqueness rule without `program`.",
            hint=(
                "Use UniqueConstraint(fields=['program', ...]); a value that must be unique "
                "across programs goes in GLOBALLY_UNIQUE_FIELDS (psp/tenancy/allowlist.py) "
                "with its reason."
            ),
            obj=model,
            id="tenancy.E003",
        )
        for rule, names in rules
        if not names & {"program", "program_id"}
    ]


def _referenced_names(expression) -> set[str]:
    if isinstance(expression, models.F):
        return {expression.name}
    if isinstance(expression, str):
        return {expression}
    names: set[str] = set()
    for source in getattr(expression, "get_source_expressions", list)():
        if source is not None:
            names |= _referenced_names(source)
    return names


def _through_table_errors(model) -> list[checks.Error]:
    """An automatic many-to-many table has no `program`: fine between two people-level models,
    a hole when either end is program-owned."""
    ends = [field.related_model for field in model._meta.fields if field.is_relation]
    if any(issubclass(end, ProgramOwned) for end in ends):
        return [
            checks.Error(
                f"{model._meta.label} is an automatic many-to-many table of a program-owned "
                "model, so its rows carry no program.",
                hint="Declare the relation with through= a model that inherits ProgramOwned.",
                obj=model,
                id="tenancy.E007",
            )
        ]
    return []
