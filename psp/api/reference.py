"""The API reference page's content, read from the OpenAPI document drf-spectacular generates
(the one /api/v1/schema/ serves): operations grouped by tag, each with its parameters, request
body and answers; the schemas they name; the errors every operation shares.

The page is server-rendered from this (templates/api/docs.html) rather than by a JavaScript
viewer: it works without scripts, keeps to the CSP, and uses the app's own accessible styles.
"""

import functools
import re
from dataclasses import dataclass, field

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import slugify
from drf_spectacular.generators import SchemaGenerator

from psp.api.schema import BODY_ERROR_RESPONSES, ERROR_RESPONSES

METHODS = ("get", "post", "put", "patch", "delete")
# The answers every operation shares (psp/api/schema.py): described once, in "Errors".
SHARED_ERRORS = {**ERROR_RESPONSES, **BODY_ERROR_RESPONSES}
ERROR_COMPONENT = "#/components/schemas/Error"
SHARED_PREFIX = "/api/v1/programs/{program}"


@dataclass(frozen=True)
class TypeName:
    """A schema's type as a reader sees it: words, and the schema it names (for a link)."""

    before: str = ""
    ref: str = ""  # a component's name
    after: str = ""


@dataclass(frozen=True)
class Field:
    name: str
    type: TypeName
    description: SafeString
    notes: tuple[str, ...] = ()  # "required", "in: query", "read-only"...


@dataclass(frozen=True)
class Answer:
    status: str
    description: SafeString
    type: TypeName | None


@dataclass
class Operation:
    method: str
    path: str
    short_path: str  # after the prefix every path shares, for the contents
    anchor: str
    summary: str
    description: SafeString
    parameters: list[Field]
    body: TypeName | None
    body_required: bool
    answers: list[Answer]
    shared_errors: list[str]


@dataclass
class Tag:
    name: str
    title: str  # "API tokens" for "api-tokens"
    anchor: str
    operations: list[Operation] = field(default_factory=list)


@dataclass
class Schema:
    name: str
    anchor: str
    description: SafeString
    type: TypeName
    fields: list[Field]
    choices: list[str]


@dataclass
class Reference:
    title: str
    version: str
    description: SafeString
    authentication: list[Field]
    tags: list[Tag]
    schemas: list[Schema]
    errors: list[tuple[str, str]]


@functools.cache
def api_reference() -> Reference:
    """The reference, built once per process: the schema only changes with the code."""
    return reference_from(SchemaGenerator().get_schema(request=None, public=True))


def reference_from(document: dict) -> Reference:
    info = document.get("info", {})
    components = document.get("components", {})
    return Reference(
        title=info.get("title", "API"),
        version=str(info.get("version", "")),
        description=prose(info.get("description", "")),
        authentication=[
            Field(
                name=scheme.get("name", name),
                type=TypeName(before=_scheme_kind(scheme)),
                description=prose(scheme.get("description", "")),
            )
            for name, scheme in components.get("securitySchemes", {}).items()
        ],
        tags=_tags(document),
        schemas=[_schema(name, schema) for name, schema in components.get("schemas", {}).items()],
        errors=sorted(SHARED_ERRORS.items()),
    )


def _scheme_kind(scheme: dict) -> str:
    if scheme.get("type") == "apiKey":
        return f"{scheme.get('in', 'header')}"
    return " ".join(str(scheme.get(key, "")) for key in ("type", "scheme")).strip()


def _tags(document: dict) -> list[Tag]:
    tags: dict[str, Tag] = {}
    for path, item in document.get("paths", {}).items():
        shared_parameters = item.get("parameters", [])
        for method in METHODS:
            if method not in item:
                continue
            spec = item[method]
            name = (spec.get("tags") or ["other"])[0]
            tag = tags.setdefault(
                name, Tag(name=name, title=tag_title(name), anchor=f"tag-{slugify(name)}")
            )
            tag.operations.append(_operation(method, path, spec, shared_parameters))
    return sorted(tags.values(), key=lambda tag: tag.name)


def _operation(method: str, path: str, spec: dict, shared_parameters: list) -> Operation:
    body = spec.get("requestBody") or {}
    answers, shared = [], []
    for status, answer in spec.get("responses", {}).items():
        if _is_shared_error(status, answer):
            shared.append(status)
        else:
            answers.append(
                Answer(
                    status=status,
                    description=prose(answer.get("description", "")),
                    type=_content_type(answer.get("content")),
                )
            )
    operation_id = spec.get("operationId") or slugify(f"{method} {path}")
    return Operation(
        method=method.upper(),
        path=path,
        short_path=path.removeprefix(SHARED_PREFIX) or path,
        anchor=f"op-{operation_id}",
        summary=spec.get("summary") or _plain_summary(method, path),
        description=prose(spec.get("description", "")),
        parameters=[_parameter(p) for p in [*shared_parameters, *spec.get("parameters", [])]],
        body=_content_type(body.get("content")),
        body_required=bool(body.get("required")),
        answers=answers,
        shared_errors=sorted(shared),
    )


def tag_title(name: str) -> str:
    words = name.replace("-", " ").replace("_", " ").split()
    words = ["API" if word.lower() == "api" else word for word in words]
    return " ".join(words)[:1].upper() + " ".join(words)[1:]


# What an operation without a summary of its own does, from its method and path (a list's path
# ends with the collection, an object's with its id).
PLAIN_SUMMARIES = {
    ("get", False): "List",
    ("post", False): "Create",
    ("get", True): "Read one",
    ("put", True): "Replace one",
    ("patch", True): "Change part of one",
    ("delete", True): "Delete one",
}


def _plain_summary(method: str, path: str) -> str:
    return PLAIN_SUMMARIES.get((method, path.rstrip("/").endswith("}")), "")


def _is_shared_error(status: str, answer: dict) -> bool:
    if answer.get("description") != SHARED_ERRORS.get(status):
        return False
    schemas = [media.get("schema", {}) for media in answer.get("content", {}).values()]
    return all(schema.get("$ref") == ERROR_COMPONENT for schema in schemas)


def _parameter(parameter: dict) -> Field:
    notes = [f"in {parameter.get('in', 'query')}"]
    if parameter.get("required"):
        notes.append("required")
    return Field(
        name=parameter.get("name", ""),
        type=type_name(parameter.get("schema", {})),
        description=prose(parameter.get("description", "")),
        notes=tuple(notes),
    )


def _content_type(content: dict | None) -> TypeName | None:
    """The schema of the JSON body (the API speaks nothing else)."""
    if not content:
        return None
    media = content.get("application/json") or next(iter(content.values()))
    schema = media.get("schema")
    return type_name(schema) if schema else None


def _schema(name: str, schema: dict) -> Schema:
    required = set(schema.get("required", []))
    fields = []
    for property_name, spec in schema.get("properties", {}).items():
        notes = []
        if property_name in required:
            notes.append("required")
        if spec.get("readOnly"):
            notes.append("read-only")
        if spec.get("writeOnly"):
            notes.append("write-only")
        fields.append(
            Field(
                name=property_name,
                type=type_name(spec),
                description=prose(spec.get("description", "")),
                notes=tuple(notes),
            )
        )
    choices = [str(choice) for choice in schema.get("enum", []) if choice not in ("", None)]
    return Schema(
        name=name,
        anchor=schema_anchor(name),
        # An enum's description lists its choices ("* `a` - A"): shown as choices instead.
        description=prose("" if choices else schema.get("description", "")),
        type=type_name({key: value for key, value in schema.items() if key != "enum"}),
        fields=fields,
        choices=choices,
    )


def schema_anchor(name: str) -> str:
    return f"schema-{name}"


def type_name(schema: dict) -> TypeName:
    """`PracticeList`, `array of Visit`, `string (date), or null`, `one of: a, b`..."""
    nullable = ", or null" if schema.get("nullable") else ""
    if "$ref" in schema:
        return TypeName(ref=schema["$ref"].rsplit("/", 1)[-1], after=nullable)
    for combination in ("allOf", "oneOf", "anyOf"):
        parts = [part for part in schema.get(combination, []) if part != {}]
        named = [part for part in parts if "$ref" in part]
        if named:
            inner = type_name(named[0])
            return TypeName(before=inner.before, ref=inner.ref, after=inner.after + nullable)
    kind = schema.get("type", "object" if "properties" in schema else "any")
    if kind == "array":
        items = type_name(schema.get("items", {}))
        return TypeName(before="array of " + items.before, ref=items.ref, after=items.after)
    words = str(kind)
    if schema.get("format"):
        words += f" ({schema['format']})"
    if schema.get("enum"):
        choices = ", ".join(str(choice) for choice in schema["enum"] if choice not in ("", None))
        words += f", one of: {choices}"
    return TypeName(before=words + nullable)


CODE = re.compile(r"`([^`]+)`")
STRONG = re.compile(r"\*\*([^*]+)\*\*")


def prose(text: str) -> SafeString:
    """The little Markdown the schema's descriptions use: paragraphs, `code`, **strong**, and
    lists of "* " lines. Everything else is escaped."""
    blocks = [block.strip() for block in re.split(r"\n\s*\n", text or "") if block.strip()]
    html = []
    for block in blocks:
        lines = [line.strip() for line in block.splitlines()]
        if all(line.startswith(("* ", "- ")) for line in lines):
            items = "".join(f"<li>{_inline(line[2:])}</li>" for line in lines)
            html.append(f"<ul>{items}</ul>")
        else:
            html.append(f"<p>{_inline(' '.join(lines))}</p>")
    return mark_safe("".join(html))  # noqa: S308 (every piece of text went through escape())


def _inline(text: str) -> str:
    text = CODE.sub(r"<code>\1</code>", escape(text))
    return STRONG.sub(r"<strong>\1</strong>", text)
