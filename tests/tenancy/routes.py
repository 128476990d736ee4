"""Every URL pattern that takes a `program`, found by walking the resolver through its includes,
and how to fill its object kwargs (the convention the isolation walk relies on).

Convention: the main object of a view is `pk`, and the view says its model (a class-based
view's `model` or `queryset`; a DRF viewset's `scoped_queryset().model`, `queryset` or its
serializer's model); any other object is `<modelname>_pk` with the model class name in lower
case (`practice_pk`, `programmembership_pk`); a kwarg naming a registry's value (a document's code)
is filled from VALUE_KWARGS. A kwarg that cannot be mapped is reported by name.
"""

import re
from dataclasses import dataclass, field
from types import SimpleNamespace

from django.apps import apps
from django.urls import URLResolver, get_resolver
from django.utils.regex_helper import normalize

from psp.tenancy.base import ProgramOwned

# URL kwargs that name no row but a value of a registry (a report's document code), and the
# value the walk puts there: a document every program's admin may ask for, a dashboard table.
VALUE_KWARGS = {"document_code": "program_report", "table": "tiles"}


@dataclass(frozen=True)
class Route:
    name: str  # namespaced URL name, or the pattern when unnamed
    regex: str  # the whole path, anchored
    callback: object = field(compare=False, repr=False)

    @property
    def kind(self) -> str:
        return "api" if self.is_drf else "page"

    @property
    def is_drf(self) -> bool:
        return hasattr(self.callback, "cls")

    @property
    def kwargs(self) -> list[str]:
        return list(re.compile(self.regex).groupindex)

    @property
    def object_kwargs(self) -> list[str]:
        return [name for name in self.kwargs if name != "program" and name not in VALUE_KWARGS]

    @property
    def value_kwargs(self) -> dict[str, str]:
        """The kwargs that name a fixed value rather than an object, filled from VALUE_KWARGS."""
        return {name: VALUE_KWARGS[name] for name in self.kwargs if name in VALUE_KWARGS}

    @property
    def view_class(self):
        return getattr(self.callback, "cls", None) or getattr(self.callback, "view_class", None)

    def methods(self) -> list[str]:
        """Pages: GET and POST. The API: what the route maps to actions and the viewset allows."""
        if not self.is_drf:
            return ["GET", "POST"]
        allowed = set(getattr(self.view_class, "http_method_names", ()))
        actions = getattr(self.callback, "actions", None)
        if actions is None:  # a plain APIView: the handlers it defines
            actions = {m: m for m in allowed if hasattr(self.view_class, m)}
        return [
            m.upper()
            for m in ("get", "post", "put", "patch", "delete")
            if m in actions and m in allowed
        ]

    def url(self, **kwargs) -> str:
        values = {name: str(value) for name, value in kwargs.items()}
        for template, params in normalize(self.regex):
            if set(params) == set(values):
                return "/" + template % values
        raise ValueError(f"{self.name}: cannot build a URL from {sorted(values)}")

    def __str__(self) -> str:
        return self.name


def _strip(regex: str) -> str:
    regex = regex.removeprefix("^")
    for end in ("\\Z", "$"):
        regex = regex.removesuffix(end)
    return regex


def _walk(patterns, prefix: str, namespace: str | None):
    for pattern in patterns:
        regex = prefix + _strip(pattern.pattern.regex.pattern)
        if isinstance(pattern, URLResolver):
            inner = pattern.namespace
            joined = ":".join(n for n in (namespace, inner) if n) or None
            yield from _walk(pattern.url_patterns, regex, joined)
        else:
            name = pattern.name and ":".join(n for n in (namespace, pattern.name) if n)
            yield Route(name=name or regex, regex="^" + regex + "\\Z", callback=pattern.callback)


def all_routes() -> list[Route]:
    return list(_walk(get_resolver().url_patterns, "", None))


def program_routes() -> list[Route]:
    """Every route whose path names a program, in resolver order."""
    return [route for route in all_routes() if "program" in route.kwargs]


# Object kwargs ---------------------------------------------------------------------------------


class UnmappableRoute(Exception):
    pass


def _models_by_kwarg() -> dict[str, list]:
    """`practice_pk` and `stage_change_pk` style names -> candidate models."""
    table: dict[str, list] = {}
    for model in apps.get_models():
        if issubclass(model, ProgramOwned) or model is apps.get_model("accounts", "User"):
            table.setdefault(model._meta.model_name, []).append(model)
    return table


def main_model(route: Route, *, program, access, user):
    """The model a route's `pk` (or DRF lookup kwarg) names, or None if the view does not say."""
    view_class = route.view_class
    if view_class is None:
        return None
    if route.is_drf:
        view = view_class(**getattr(route.callback, "initkwargs", {}))
        view.request = SimpleNamespace(
            program=program, access=access, user=user, query_params={}, GET={}, method="GET"
        )
        view.kwargs, view.args, view.format_kwarg = {}, (), None
        view.action = "retrieve"
        try:
            return view.scoped_queryset().model
        except Exception:  # noqa: BLE001 - fall back to what the class declares
            pass
        serializer = getattr(view_class, "serializer_class", None)
        if getattr(view_class, "queryset", None) is not None:
            return view_class.queryset.model
        if serializer is not None and hasattr(getattr(serializer, "Meta", None), "model"):
            return serializer.Meta.model
        return None
    if getattr(view_class, "model", None) is not None:
        return view_class.model
    if getattr(view_class, "queryset", None) is not None:
        return view_class.queryset.model
    return None


def lookup_kwarg(route: Route) -> tuple[str, str]:
    """(URL kwarg, model attribute) for a route's main object."""
    view_class = route.view_class
    if route.is_drf:
        lookup_field = getattr(view_class, "lookup_field", "pk")
        return getattr(view_class, "lookup_url_kwarg", None) or lookup_field, lookup_field
    return "pk", "pk"


def object_models(route: Route, *, program, access, user) -> dict[str, tuple[type, str]]:
    """URL kwarg -> (model, attribute to fill it from) for every object kwarg of the route.

    Raises UnmappableRoute naming the kwargs that follow no convention."""
    by_name = _models_by_kwarg()
    mapped: dict[str, tuple[type, str]] = {}
    problems = []
    main_kwarg, main_attr = lookup_kwarg(route)
    for kwarg in route.object_kwargs:
        if kwarg == main_kwarg:
            model = main_model(route, program=program, access=access, user=user)
            if model is None:
                problems.append(f"`{kwarg}` but the view names no model")
            else:
                mapped[kwarg] = (model, main_attr)
        elif kwarg.endswith("_pk"):
            candidates = by_name.get(kwarg.removesuffix("_pk").replace("_", ""), [])
            if len(candidates) == 1:
                mapped[kwarg] = (candidates[0], "pk")
            else:
                problems.append(f"`{kwarg}` matches {len(candidates)} program-owned models")
        else:
            problems.append(f"`{kwarg}` is neither `pk` nor `<modelname>_pk`")
    if problems:
        raise UnmappableRoute(f"{route.name} ({route.regex}): " + "; ".join(problems))
    return mapped
