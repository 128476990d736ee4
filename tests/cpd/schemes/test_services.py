"""Writing schemes: creating one, loading a template, changing its rules (a new version each
time), who it applies to, naming verifiers; every refusal named by field, nothing changed."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from cpd.models import CpdScheme, CpdSchemeMember, CpdSchemeVersion, CpdVerifier
from cpd.schemes import services
from cpd.schemes.cycles import cycle_for
from psp.history.models import ChangeRecord, SubjectType
from psp.tenancy.scope import program_scope
from tests.cpd.rules_examples import annual_hours, family


@pytest.fixture
def scoped(world):
    with program_scope(world.program):
        yield world


def create(world, **changes):
    data = {
        "program": world.program,
        "by": world.admin,
        "code": "family",
        "name": "Family medicine",
        "rules": family(),
        "applies_to_roles": ["lead", "staff"],
    }
    return services.scheme_create(**(data | changes))


def refused(call, **kwargs) -> dict:
    with pytest.raises(ValidationError) as caught:
        call(**kwargs)
    return caught.value.message_dict


def lines(scheme_id):
    return list(
        ChangeRecord.objects.filter(subject_type=SubjectType.CPD_SCHEME, subject_id=scheme_id)
        .order_by("pk")
        .values_list("what", "summary")
    )


def test_a_new_scheme_has_its_rules_as_version_1_and_a_line_of_history(scoped):
    scheme = create(scoped, note="")
    version = scheme.current_version
    assert (version.number, version.note, version.created_by) == (1, "First version.", scoped.admin)
    assert version.rules == family()
    assert lines(scheme.pk) == [
        (
            "cpd_scheme.created",
            "Scheme “Family medicine” created: 250 credits over 5 years from 1 July, "
            "at least 25 each year.",
        )
    ]


def test_every_problem_of_a_new_scheme_is_named_and_nothing_is_saved(scoped):
    create(scoped)
    bad = family(required__total=-5)
    bad["categories"][2]["parent"] = "nowhere"
    errors = refused(
        create, world=scoped, code="family", name=" ", rules=bad, applies_to_roles=["pilot"]
    )
    assert errors == {
        "name": ["Give the scheme a name."],
        "code": ["The code “family” is already used by another scheme here."],
        "applies_to_roles": ["Choose from lead, staff, coach, manager, admin."],
        "rules.required.total": ["Enter a number above 0."],
        "rules.categories[2].parent": [
            "The parent must be another category that has no parent itself."
        ],
    }
    assert CpdScheme.objects.count() == 1 and CpdSchemeVersion.objects.count() == 1


def test_a_template_loads_once_and_a_second_load_leaves_the_scheme_as_edited(scoped):
    scheme, made = services.scheme_load_template(
        program=scoped.program, key="law-society", by=scoped.admin
    )
    assert made and scheme.code == "law-society" and scheme.template_key == "law-society"
    assert scheme.applies_to_roles == ["lead", "staff"] and scheme.applies_to_sectors == ["law"]
    assert scheme.current_version.rules["required"]["total"] == 12
    services.scheme_update(
        program=scoped.program, scheme=scheme, by=scoped.admin, data={"name": "Our law rules"}
    )

    again, made = services.scheme_load_template(
        program=scoped.program, key="law-society", by=scoped.admin
    )
    assert not made and again.pk == scheme.pk and again.name == "Our law rules"
    assert CpdSchemeVersion.objects.count() == 1


def test_an_unknown_template_is_refused_by_name(scoped):
    errors = refused(
        services.scheme_load_template, program=scoped.program, key="astrology", by=scoped.admin
    )
    assert errors == {"template": ["There is no scheme template called “astrology”."]}


def test_changing_the_rules_writes_a_new_version_and_a_running_cycle_keeps_its_own(scoped):
    scheme = create(scoped)
    running = cycle_for(program=scoped.program, person=scoped.staff, on=date(2026, 1, 15))
    version = services.scheme_change_rules(
        program=scoped.program,
        scheme=scheme,
        by=scoped.admin,
        rules=family(required__total=200),
        note="",
    )
    scheme.refresh_from_db()
    running.refresh_from_db()
    assert version.number == 2 and scheme.current_version == version
    assert version.note == (
        "Requirement: was “250 credits over 5 years from 1 July, at least 25 each year.”, now "
        "“200 credits over 5 years from 1 July, at least 25 each year.”"
    )
    assert running.version.number == 1
    assert lines(scheme.pk)[-1][0] == "cpd_scheme.rules_changed"


def test_the_same_rules_again_write_no_version(scoped):
    scheme = create(scoped)
    assert (
        services.scheme_change_rules(
            program=scoped.program, scheme=scheme, by=scoped.admin, rules=family(), note="Again"
        )
        is None
    )
    assert CpdSchemeVersion.objects.count() == 1


def test_bad_new_rules_change_nothing(scoped):
    scheme = create(scoped)
    errors = refused(
        services.scheme_change_rules,
        program=scoped.program,
        scheme=scheme,
        by=scoped.admin,
        rules=family(cycle__fixed_month=4, cycle__fixed_day=31),
    )
    assert errors == {"rules.cycle.fixed_day": ["Enter a whole number from 1 to 30."]}
    assert CpdSchemeVersion.objects.count() == 1


def test_who_a_scheme_applies_to_is_roles_sectors_and_people_chosen_by_hand(scoped):
    scheme = create(scoped)
    services.scheme_set_applies_to(
        program=scoped.program,
        scheme=scheme,
        by=scoped.admin,
        roles=["coach"],
        sectors=["primary_care"],
        people=[scoped.lead, scoped.manager],
    )
    scheme.refresh_from_db()
    assert scheme.applies_to_roles == ["coach"] and scheme.applies_to_sectors == ["primary_care"]
    assert set(CpdSchemeMember.objects.values_list("user", flat=True)) == {
        scoped.lead.pk,
        scoped.manager.pk,
    }
    assert lines(scheme.pk)[-1][1] == (
        "Applies to coaches in Primary care, and 2 people chosen by hand "
        "(was practice leads, practice staff in every sector)."
    )
    services.scheme_set_applies_to(
        program=scoped.program, scheme=scheme, by=scoped.admin, roles=[], sectors=[], people=[]
    )
    assert not CpdSchemeMember.objects.exists()


def test_only_the_programs_people_can_be_chosen(scoped, other_world):
    scheme = create(scoped)
    errors = refused(
        services.scheme_set_applies_to,
        program=scoped.program,
        scheme=scheme,
        by=scoped.admin,
        roles=["lead"],
        sectors=["nowhere"],
        people=[other_world.staff],
    )
    assert errors == {
        "applies_to_sectors": [
            "Choose from primary_care, law, education, mental_health, social_services."
        ],
        "people": ["Choose people who belong to this program."],
    }
    assert not CpdSchemeMember.objects.exists()


def test_another_programs_scheme_is_refused(scoped, other_world):
    with program_scope(other_world.program):
        theirs = create(other_world)
    with pytest.raises(ValidationError):
        services.scheme_change_rules(
            program=scoped.program, scheme=theirs, by=scoped.admin, rules=annual_hours()
        )


def test_details_change_with_a_line_and_the_code_stays(scoped):
    scheme = create(scoped)
    errors = refused(
        services.scheme_update,
        program=scoped.program,
        scheme=scheme,
        by=scoped.admin,
        data={"code": "new"},
    )
    assert errors == {"code": ["This is not a detail of a scheme."]}
    services.scheme_update(
        program=scoped.program,
        scheme=scheme,
        by=scoped.admin,
        data={"body": "A college", "is_active": False},
    )
    scheme.refresh_from_db()
    assert (scheme.body, scheme.is_active, scheme.code) == ("A college", False, "family")
    assert lines(scheme.pk)[-1][0] == "cpd_scheme.edited"


def test_a_verifier_is_named_once_and_removed_with_lines_of_history(scoped):
    verifier = services.verifier_name(program=scoped.program, user=scoped.manager, by=scoped.admin)
    assert verifier.named_by == scoped.admin
    assert refused(
        services.verifier_name, program=scoped.program, user=scoped.manager, by=scoped.admin
    ) == {"user": [f"{scoped.manager} is a verifier already."]}
    assert refused(
        services.verifier_name, program=scoped.program, user=scoped.admin, by=scoped.admin
    ) == {"user": ["Program admins verify CPD already."]}
    services.verifier_remove(program=scoped.program, verifier=verifier, by=scoped.admin)
    assert not CpdVerifier.objects.exists()
    assert [what for what, _ in lines(services.SETUP_SUBJECT)] == [
        "cpd_verifier.named",
        "cpd_verifier.removed",
    ]


def test_someone_outside_the_program_cannot_be_a_verifier(scoped, other_world):
    assert refused(
        services.verifier_name, program=scoped.program, user=other_world.coach, by=scoped.admin
    ) == {"user": ["Choose someone who belongs to this program."]}
