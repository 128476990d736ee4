"""The shape of the code (docs/architecture.md): small modules and functions, and apps that
reach each other only through models, services and selectors.

These read the source, not the running app, so a new module is covered the moment it exists.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# The domain apps, by package. What they share sits in the core (`psp`), which any app may
# import; the core's URL roots (psp/urls.py, psp/api/urls.py) mount every app's views and API
# routes, so they alone may import them.
APPS = ["practices", "assessments", "coaching", "cpd", "compliance", "kpis"]
CORE = "psp"
COMPOSITION_ROOTS = {"psp.urls", "psp.api.urls"}
# Modules no other app or core module may import: what a person sees and sends is each app's
# own.
PRIVATE_KINDS = ("forms", "views", "api")
MAX_MODULE_LINES = 400
MAX_FUNCTION_LINES = 60
# Long by nature: migrations are generated, and the demo is data written out as code.
EXEMPT_PARTS = ("migrations",)
EXEMPT_PREFIXES = ("psp/demo/",)


def _source_files():
    for package in ("psp", "practices", "assessments", "coaching", "cpd", "compliance", "kpis"):
        for path in sorted((ROOT / package).rglob("*.py")):
            relative = path.relative_to(ROOT).as_posix()
            if any(part in EXEMPT_PARTS for part in path.parts):
                continue
            if relative.startswith(EXEMPT_PREFIXES):
                continue
            yield relative, path
    for path in sorted((ROOT / "scripts").glob("*.py")):
        yield path.relative_to(ROOT).as_posix(), path


SOURCES = dict(_source_files())


def _app_of(module: str) -> str | None:
    matches = [app for app in APPS if module == app or module.startswith(app + ".")]
    return max(matches, key=len) if matches else None


def _module_name(relative: str) -> str:
    name = relative.removesuffix(".py").replace("/", ".")
    return name.removesuffix(".__init__")


def _imports(tree: ast.AST, module: str, is_package: bool) -> list[str]:
    names = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # relative: resolve against this module's package
                base = module.split(".")
                base = base if is_package else base[:-1]
                base = base[: len(base) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            names.append(target)
            names += [f"{target}.{alias.name}" for alias in node.names]
    return names


def _is_private(module: str, app: str) -> bool:
    parts = module[len(app) + 1 :].split(".") if module != app else []
    return any(part.startswith(PRIVATE_KINDS) for part in parts)


def test_the_source_walk_finds_the_apps():
    # A walk that found nothing would pass every test below.
    assert any(name.startswith("coaching/") for name in SOURCES)
    assert any(name.startswith("assessments/") for name in SOURCES)
    assert any(name.startswith("psp/accounts/") for name in SOURCES)


@pytest.mark.parametrize("relative", sorted(SOURCES))
def test_modules_and_functions_stay_small(relative):
    text = SOURCES[relative].read_text()
    lines = text.count("\n")
    assert lines <= MAX_MODULE_LINES, f"{relative} has {lines} lines (at most {MAX_MODULE_LINES})"
    long = [
        f"{node.name} (line {node.lineno}, {node.end_lineno - node.lineno + 1} lines)"
        for node in ast.walk(ast.parse(text))
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        and node.end_lineno - node.lineno + 1 > MAX_FUNCTION_LINES
    ]
    assert not long, f"{relative}: functions over {MAX_FUNCTION_LINES} lines: {', '.join(long)}"


def test_no_app_imports_another_apps_forms_views_or_api():
    offences = []
    for relative, path in SOURCES.items():
        module = _module_name(relative)
        if module in COMPOSITION_ROOTS:
            continue
        app = _app_of(module) or CORE
        tree = ast.parse(path.read_text())
        for imported in _imports(tree, module, path.name == "__init__.py"):
            other = _app_of(imported)
            if other and other != app and _is_private(imported, other):
                offences.append(f"{relative} imports {imported}")
    assert not offences, "\n".join(sorted(set(offences)))


def test_the_import_rule_can_fail():
    # The rule above, applied to a module written to break it.
    tree = ast.parse("from coaching.visits import forms\nfrom practices.views import home\n")
    found = [
        imported
        for imported in _imports(tree, "assessments.rounds.services", False)
        if (other := _app_of(imported)) and other != "assessments" and _is_private(imported, other)
    ]
    assert "coaching.visits.forms" in found and "practices.views.home" in found
