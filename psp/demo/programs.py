"""The demo programs: two sectors, so the demo shows the platform is not only for primary care."""

from dataclasses import dataclass

from psp.tenancy.models import Program, Sector

NORTHERN = "northern-primary-care"
LEGAL = "legal-practice-network"


@dataclass(frozen=True)
class ProgramSpec:
    slug: str
    name: str
    sector: str
    description: str
    time_zone: str


PROGRAMS = [
    ProgramSpec(
        slug=NORTHERN,
        name="Northern Primary Care PSP",
        sector=Sector.PRIMARY_CARE,
        description=(
            "Practice facilitation for family practices and community health centres across the "
            "north: needs assessment, support plans, advanced access and chronic disease "
            "registries."
        ),
        time_zone="America/Toronto",
    ),
    ProgramSpec(
        slug=LEGAL,
        name="Legal Practice Support Network",
        sector=Sector.LAW,
        description=(
            "Practice-management support for small firms and legal clinics: intake, conflict "
            "checks, file management, trust accounting and client communication."
        ),
        time_zone="America/Vancouver",
    ),
]


def program_get_or_create(spec: ProgramSpec) -> tuple[Program, bool]:
    return Program.objects.get_or_create(
        slug=spec.slug,
        defaults={
            "name": spec.name,
            "sector": spec.sector,
            "description": spec.description,
            "time_zone": spec.time_zone,
        },
    )
