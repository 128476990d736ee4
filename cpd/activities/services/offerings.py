"""Program-provided CPD (a PSP workshop): created once by an admin, attended by many. Each
attendee gets a draft activity filled in from it, to confirm; adding someone twice drafts
nothing twice (the database refuses a second draft of one offering for one person too)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from cpd.activities import selectors
from cpd.activities.models import (
    ActivityStatus,
    ActivityType,
    ClaimSource,
    CpdActivity,
    CpdOffering,
)
from cpd.activities.services.common import (
    NO_CREDITS,
    check_fields,
    clean_text,
    credit,
    record_activity_line,
)
from cpd.schemes.cycles import cycle_for
from psp.history.models import SubjectType
from psp.history.services import diff, record_change
from psp.tenancy.base import ensure_in_program


def _check_offering(data: dict) -> dict:
    """An offering's fields; its dates may lie ahead (planned), its hours are required."""
    errors: dict[str, str] = {}
    data = {**data, "activity_type": data.get("activity_type") or ActivityType.WORKSHOP}
    try:
        fields = check_fields({**data, "reflection": {}, "items": None}, today=None,
                              provider_required=True)  # fmt: skip
    except ValidationError as error:
        errors.update({key: messages[0] for key, messages in error.message_dict.items()})
        fields = {}
    if "hours" not in errors and not fields.get("hours"):
        errors["hours"] = "Give the hours it takes (what each attendee is credited for)."
    try:
        description = clean_text(
            data.get("description"), field="description", required=False, max_length=4000
        )
    except ValidationError as error:
        errors["description"] = error.message_dict["description"][0]
    category = (data.get("category") or "").strip()
    if category and category not in dict(selectors.scheme_categories()):
        errors["category"] = "Not a category of any of the program's schemes."
    if errors:
        raise ValidationError(errors)
    keep = ("activity_type", "title", "provider", "started_on", "ended_on", "hours")
    return {name: fields[name] for name in keep} | {
        "description": description,
        "category": category,
    }


@transaction.atomic
def offering_create(*, program, by, data: dict) -> CpdOffering:
    """Create a program activity. Its attendees are added afterwards (offering_add_attendees)."""
    fields = _check_offering(data)
    offering = CpdOffering.objects.create(program=program, created_by=by, **fields)
    record_change(
        program=program,
        practice=0,
        subject_type=SubjectType.CPD_OFFERING,
        subject_id=offering.pk,
        what="cpd_offering.created",
        summary=f"Program activity created: {offering.title}.",
        changes=diff({}, fields),
        by=by,
    )
    return offering


def _draft_for(program, offering: CpdOffering, person, by, now) -> CpdActivity:
    """The attendee's draft: the offering's fields, credited under the person's cycle for its
    end date, in the offering's category when their rules have it (else their credit rule's)."""
    cycle = cycle_for(program=program, person=person, on=offering.ended_on)
    category, credits = "", NO_CREDITS
    if cycle is not None:
        rules = selectors.rules_of(cycle)
        wanted = offering.category if offering.category in rules.category_keys else ""
        try:
            category, credits = credit(cycle, offering.activity_type, offering.hours, None, wanted)
        except ValidationError:  # a type their scheme credits per item, or no category
            category, credits = wanted, NO_CREDITS
    return CpdActivity(
        program=program,
        person=person,
        practice_id=selectors.person_practice_id(person),
        cycle=cycle,
        activity_type=offering.activity_type,
        title=offering.title,
        provider=offering.provider,
        started_on=offering.started_on,
        ended_on=offering.ended_on,
        hours=offering.hours,
        category=category,
        credits=credits,
        status=ActivityStatus.DRAFT,
        offering=offering,
        source=ClaimSource.OFFERING,
        source_id=offering.pk,
        created_by=by,
        created_at=now,
    )


@transaction.atomic
def offering_add_attendees(
    *, program, offering: CpdOffering, by, people, today=None
) -> list[CpdActivity]:
    """Add people of the program as attendees: each gets a draft activity to confirm. Those
    already added are skipped, so adding twice drafts nothing twice. Returns the new drafts."""
    ensure_in_program(program, offering)
    offering = CpdOffering.objects.select_for_update().get(pk=offering.pk)
    today = today or timezone.localdate()
    if offering.ended_on > today:
        raise ValidationError(
            {
                "people": "Add attendees once the activity has taken place (it ends on "
                f"{offering.ended_on.day} {offering.ended_on:%b %Y})."
            }
        )
    members = set(
        selectors.program_people()
        .filter(user__in=[p.pk for p in people])
        .values_list("user_id", flat=True)
    )
    if any(p.pk not in members for p in people):
        raise ValidationError({"people": "Choose people of this program."})
    already = set(CpdActivity.objects.filter(offering=offering).values_list("person_id", flat=True))
    now = timezone.now()
    drafts = []
    for person in dict.fromkeys(p for p in people if p.pk not in already):
        draft = _draft_for(program, offering, person, by, now)
        draft.save()
        record_activity_line(
            program=program,
            activity=draft,
            what="cpd_activity.drafted",
            summary=f"Drafted from the program activity “{offering.title}”, to confirm.",
            changes=diff({}, {"status": draft.status, "offering": offering.title}),
            by=by,
        )
        drafts.append(draft)
    if drafts:
        names = ", ".join(d.person.full_name or d.person.email for d in drafts)
        record_change(
            program=program,
            practice=0,
            subject_type=SubjectType.CPD_OFFERING,
            subject_id=offering.pk,
            what="cpd_offering.attendees_added",
            summary=f"Attendees added ({len(drafts)}): {names}"[:500],
            by=by,
        )
    return drafts
