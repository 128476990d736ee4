"""Writing CPD schemes (program admins, pages and API alike): creating one (by hand or from a
template), its details, its rules (each change a new version; cycles keep theirs), who it applies
to, and the program's named verifiers.

Every write checks its input whole, naming each fault by field (a rules problem by its path under
`rules.`, "rules.categories[2].parent"), saves in one transaction and files a history line under
the scheme (SubjectType.CPD_SCHEME, practice 0: a scheme is the program's). Verifiers are the
program's, not a scheme's: their lines are filed under scheme id 0, the program's CPD setup.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify

from cpd.schemes import describe
from cpd.schemes.models import CpdScheme, CpdSchemeMember, CpdSchemeVersion, CpdVerifier
from cpd.schemes.packs import ROLES, template_by_key
from cpd.schemes.rules import Rules, RulesInvalid
from psp.history.models import SubjectType
from psp.history.services import changes_phrase, record_change
from psp.tenancy.base import ensure_in_program
from psp.tenancy.models import Program, ProgramMembership, ProgramRole, Sector

DETAIL_FIELDS = ("name", "description", "body", "is_active")
PROGRAM_LINE = 0  # the practice id of a line about the program's own setup
SETUP_SUBJECT = 0  # the subject id of lines about the program's CPD setup (its verifiers)
ROLE_LABELS = {
    "lead": "practice leads",
    "staff": "practice staff",
    "coach": "coaches",
    "manager": "program managers",
    "admin": "program admins",
}


def _line(program, subject_id: int, by, what: str, summary: str, changes=None) -> None:
    record_change(
        program=program,
        practice=PROGRAM_LINE,
        subject_type=SubjectType.CPD_SCHEME,
        subject_id=subject_id,
        what=what,
        summary=summary,
        changes=changes,
        by=by,
    )


def parse_rules(data) -> Rules:
    """The rules, or a ValidationError naming each problem by `rules.<path>`."""
    try:
        return Rules.parse(data)
    except RulesInvalid as error:
        raise ValidationError(
            {f"rules.{path}" if path else "rules": message for path, message in error.problems}
        ) from error


def _check_details(scheme: CpdScheme, errors: dict) -> None:
    scheme.name = (scheme.name or "").strip()
    if not scheme.name:
        errors["name"] = "Give the scheme a name."
    elif len(scheme.name) > 200:
        errors["name"] = "Keep the name to 200 characters."
    if len(scheme.body or "") > 200:
        errors["body"] = "Keep the body's name to 200 characters."


def _check_reach(roles, sectors, errors: dict) -> tuple[list, list]:
    roles, sectors = list(dict.fromkeys(roles or ())), list(dict.fromkeys(sectors or ()))
    if any(role not in ROLES for role in roles):
        errors["applies_to_roles"] = f"Choose from {', '.join(ROLES)}."
    if any(sector not in Sector.values for sector in sectors):
        errors["applies_to_sectors"] = f"Choose from {', '.join(Sector.values)}."
    return roles, sectors


def scheme_create(
    *,
    program,
    by,
    code: str,
    name: str,
    rules: dict,
    description: str = "",
    body: str = "",
    applies_to_roles=(),
    applies_to_sectors=(),
    template_key: str = "",
    note: str = "",
) -> CpdScheme:
    """A new scheme with its first rules version, current at once."""
    errors: dict = {}
    scheme = CpdScheme(
        program=program,
        code=(code or "").strip(),
        name=name,
        description=(description or "").strip(),
        body=(body or "").strip(),
        template_key=template_key,
    )
    _check_details(scheme, errors)
    if not scheme.code or slugify(scheme.code) != scheme.code or len(scheme.code) > 60:
        errors["code"] = "Use up to 60 lower-case letters, digits and hyphens."
    elif CpdScheme.objects.filter(code=scheme.code).exists():
        errors["code"] = f"The code “{scheme.code}” is already used by another scheme here."
    scheme.applies_to_roles, scheme.applies_to_sectors = _check_reach(
        applies_to_roles, applies_to_sectors, errors
    )
    try:
        parsed = parse_rules(rules)
    except ValidationError as error:
        errors |= error.message_dict
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        scheme.save()
        version = CpdSchemeVersion.objects.create(
            program=program,
            scheme=scheme,
            number=1,
            rules=parsed.to_json(),
            note=(note or "First version.")[:300],
            created_by=by,
        )
        scheme.current_version = version
        scheme.save(update_fields=["current_version"])
        origin = f" from the “{template_key}” template" if template_key else ""
        _line(
            program,
            scheme.pk,
            by,
            "cpd_scheme.created",
            f"Scheme “{scheme.name}” created{origin}: {describe.summary(parsed)}",
        )
    return scheme


def scheme_load_template(*, program, key: str, by) -> tuple[CpdScheme, bool]:
    """The scheme loaded from template `key` (its code is the key) and whether this call made
    it. A scheme of that code already here is left exactly as it is, whatever was edited."""
    try:
        template = template_by_key(key)
    except LookupError as error:
        raise ValidationError({"template": str(error)}) from error
    with transaction.atomic():
        # One load at a time per program, so two admins pressing Load make one scheme.
        Program.objects.select_for_update().filter(pk=program.pk).first()
        existing = CpdScheme.objects.filter(code=template.key).first()
        if existing is not None:
            return existing, False
        scheme = scheme_create(
            program=program,
            by=by,
            code=template.key,
            name=template.name,
            description=template.description,
            body=template.body,
            rules=template.rules.to_json(),
            applies_to_roles=template.roles,
            applies_to_sectors=template.sectors,
            template_key=template.key,
            note=f"Loaded from the “{template.name}” template.",
        )
    return scheme, True


def scheme_update(*, program, scheme: CpdScheme, by, data: dict) -> CpdScheme:
    """Change the scheme's name, description, body or whether it is active (`data` holds any of
    DETAIL_FIELDS); its code stays, and its rules change with `scheme_change_rules`."""
    ensure_in_program(program, scheme)
    unknown = set(data) - set(DETAIL_FIELDS)
    if unknown:
        raise ValidationError({name: "This is not a detail of a scheme." for name in unknown})
    with transaction.atomic():
        locked = CpdScheme.objects.select_for_update().get(pk=scheme.pk)
        before = {name: getattr(locked, name) for name in DETAIL_FIELDS}
        for name, value in data.items():
            setattr(locked, name, value.strip() if isinstance(value, str) else value)
        errors: dict = {}
        _check_details(locked, errors)
        if errors:
            raise ValidationError(errors)
        changes, phrase = changes_phrase(
            CpdScheme, before, {name: getattr(locked, name) for name in DETAIL_FIELDS}
        )
        if changes:
            locked.save()
            _line(program, locked.pk, by, "cpd_scheme.edited", phrase, changes)
    return locked


def scheme_change_rules(*, program, scheme: CpdScheme, by, rules: dict, note: str = ""):
    """A new version of the scheme's rules, current for cycles that start from now on; cycles
    already started keep theirs. Returns the new version, or None when nothing changed."""
    ensure_in_program(program, scheme)
    parsed = parse_rules(rules)
    if len(note or "") > 300:
        raise ValidationError({"note": "Keep the note to 300 characters."})
    with transaction.atomic():
        locked = (
            CpdScheme.objects.select_for_update(of=("self",))
            .select_related("current_version")
            .get(pk=scheme.pk)
        )
        current = locked.current_version
        before = Rules.parse(current.rules) if current else None
        if before == parsed:
            return None
        found = describe.changes(before, parsed) if before else ["First rules."]
        number = (current.number if current else 0) + 1
        version = CpdSchemeVersion.objects.create(
            program=program,
            scheme=locked,
            number=number,
            rules=parsed.to_json(),
            note=((note or "").strip() or "; ".join(found))[:300],
            created_by=by,
        )
        locked.current_version = version
        locked.save(update_fields=["current_version", "updated_at"])
        _line(
            program,
            locked.pk,
            by,
            "cpd_scheme.rules_changed",
            f"Rules version {number}: " + "; ".join(found),
            {"version": [current.number if current else None, number]},
        )
    return version


def scheme_set_applies_to(*, program, scheme: CpdScheme, by, roles, sectors, people) -> CpdScheme:
    """Who the scheme applies to: people in `roles` (in `sectors`, or any when empty), and the
    `people` chosen by hand (members of the program), in place of those chosen before."""
    ensure_in_program(program, scheme)
    errors: dict = {}
    roles, sectors = _check_reach(roles, sectors, errors)
    ids = {person.pk for person in people}
    members = set(
        ProgramMembership.objects.filter(user_id__in=ids, is_active=True).values_list(
            "user_id", flat=True
        )
    )
    if ids - members:
        errors["people"] = "Choose people who belong to this program."
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        locked = CpdScheme.objects.select_for_update().get(pk=scheme.pk)
        chosen = set(
            CpdSchemeMember.objects.filter(scheme=locked).values_list("user_id", flat=True)
        )
        before = _reach_words(locked.applies_to_roles, locked.applies_to_sectors, len(chosen))
        CpdSchemeMember.objects.filter(scheme=locked, user_id__in=chosen - ids).delete()
        CpdSchemeMember.objects.bulk_create(
            [
                CpdSchemeMember(program=program, scheme=locked, user_id=pk, added_by=by)
                for pk in sorted(ids - chosen)
            ]
        )
        locked.applies_to_roles, locked.applies_to_sectors = roles, sectors
        locked.save(update_fields=["applies_to_roles", "applies_to_sectors", "updated_at"])
        after = _reach_words(roles, sectors, len(ids))
        if before != after or chosen != ids:
            _line(
                program,
                locked.pk,
                by,
                "cpd_scheme.applies_to",
                f"Applies to {after} (was {before}).",
                {"roles": [before, after], "people": [sorted(chosen), sorted(ids)]},
            )
    return locked


def _reach_words(roles, sectors, people: int) -> str:
    labels = dict(Sector.choices)
    words = ", ".join(ROLE_LABELS.get(role, role) for role in roles) or "no role"
    if roles:
        where = ", ".join(labels.get(s, s) for s in sectors) if sectors else "every sector"
        words += f" in {where}"
    if people:
        words += f", and {people} {'person' if people == 1 else 'people'} chosen by hand"
    return words


def verifier_name(*, program, user, by) -> CpdVerifier:
    """Name `user` a verifier of the program's CPD."""
    membership = ProgramMembership.objects.filter(user=user, is_active=True).first()
    if membership is None:
        raise ValidationError({"user": "Choose someone who belongs to this program."})
    if membership.role == ProgramRole.ADMIN:
        raise ValidationError({"user": "Program admins verify CPD already."})
    with transaction.atomic():
        verifier, made = CpdVerifier.objects.get_or_create(
            program=program, user=user, defaults={"named_by": by}
        )
        if not made:
            raise ValidationError({"user": f"{user} is a verifier already."})
        _line(
            program,
            SETUP_SUBJECT,
            by,
            "cpd_verifier.named",
            f"{user} named a verifier of CPD activities.",
        )
    return verifier


def verifier_remove(*, program, verifier: CpdVerifier, by) -> None:
    ensure_in_program(program, verifier)
    with transaction.atomic():
        _line(
            program,
            SETUP_SUBJECT,
            by,
            "cpd_verifier.removed",
            f"{verifier.user} no longer verifies CPD activities.",
        )
        verifier.delete()
