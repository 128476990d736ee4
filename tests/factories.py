"""Factories for the whole suite. Tenant-owned factories must be used inside a program scope
(the `program_a` fixtures enter one) or be given `program=` explicitly."""

import factory
from allauth.mfa.models import Authenticator

from practices.models import CoachAssignment, Practice, PracticeMembership, Stage
from psp.accounts.models import PracticeRole, User
from psp.tenancy.models import Program, ProgramMembership, ProgramRole, Sector
from psp.tenancy.scope import program_scope

PASSWORD = "correct-horse-battery-42"


class ProgramFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Program
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Program {n}")
    slug = factory.Sequence(lambda n: f"program-{n}")
    sector = Sector.PRIMARY_CARE


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("email",)

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    full_name = factory.Faker("name")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @classmethod
    def _after_postgeneration(cls, instance, create, results=None):
        if create and results:
            instance.save()


def _scoped_create(model_class, program, **kwargs):
    with program_scope(program):
        return model_class.objects.create(program=program, **kwargs)


class ScopedFactory(factory.django.DjangoModelFactory):
    """Creates tenant rows inside the program's scope, whatever scope the test is in."""

    class Meta:
        abstract = True

    program = factory.SubFactory(ProgramFactory)

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        program = kwargs.pop("program")
        return _scoped_create(model_class, program, **kwargs)


class MembershipFactory(ScopedFactory):
    class Meta:
        model = ProgramMembership

    user = factory.SubFactory(UserFactory)
    role = ProgramRole.COACH


class PracticeFactory(ScopedFactory):
    class Meta:
        model = Practice

    name = factory.Sequence(lambda n: f"Riverside Family Practice {n}")
    sector = Sector.PRIMARY_CARE
    specialty = "Family medicine"
    professionals_count = 4
    staff_count = 6
    region = "North"
    stage = Stage.NEEDS_ASSESSMENT


class PracticeMembershipFactory(ScopedFactory):
    class Meta:
        model = PracticeMembership

    practice = factory.SubFactory(PracticeFactory, program=factory.SelfAttribute("..program"))
    user = factory.SubFactory(UserFactory)
    role = PracticeRole.STAFF


class CoachAssignmentFactory(ScopedFactory):
    class Meta:
        model = CoachAssignment

    practice = factory.SubFactory(PracticeFactory, program=factory.SelfAttribute("..program"))
    coach = factory.SubFactory(UserFactory)


def give_totp(user) -> Authenticator:
    """Mark a user as having TOTP set up (admins need it to reach program pages)."""
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    return TOTP.activate(user, generate_totp_secret()).instance
