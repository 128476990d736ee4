"""The shape of a scale program: how many of everything, and the names and spreads they use.

Everything derives from `--visits` and `--seed`: practice `i` always gets the same region,
sector, coach, visits and values for a seed, whichever chunk it is built in, because its random
numbers come from its own generator (`ScaleSpec.rng("visits", i)`).
"""

import random
from dataclasses import dataclass
from datetime import date, timedelta

from psp.tenancy.models import Sector

VISITS_PER_PRACTICE = 100
PRACTICES_PER_COACH = 50
PRACTICES_PER_REGION = 300
YEARS = 2
DAYS = 365 * YEARS
MONTHS = 12 * YEARS
EMAIL_DOMAIN = "scale.example.org"

# Most programs are mostly primary care; the rest spread over the other sectors.
SECTOR_WEIGHTS = [
    (Sector.PRIMARY_CARE, 50),
    (Sector.MENTAL_HEALTH, 15),
    (Sector.LAW, 15),
    (Sector.SOCIAL_SERVICES, 10),
    (Sector.EDUCATION, 10),
]
REGION_NAMES = [
    "Algoma",
    "Bruce",
    "Cochrane",
    "Dufferin",
    "Elgin",
    "Frontenac",
    "Grey",
    "Haliburton",
    "Huron",
    "Kenora",
    "Lambton",
    "Lanark",
    "Leeds",
    "Lennox",
    "Manitoulin",
    "Muskoka",
    "Nipissing",
    "Norfolk",
    "Northumberland",
    "Oxford",
    "Parry Sound",
    "Perth",
    "Peterborough",
    "Prescott",
    "Rainy River",
    "Renfrew",
    "Russell",
    "Simcoe",
    "Stormont",
    "Sudbury",
    "Temiskaming",
    "Thunder Bay",
    "Victoria",
    "Waterloo",
    "Wellington",
    "York",
]
FIRST_NAMES = [
    "Ada",
    "Ben",
    "Chloé",
    "Dev",
    "Elif",
    "Farah",
    "Gus",
    "Hana",
    "Ines",
    "Jon",
    "Kemal",
    "Lena",
    "Mateo",
    "Nadia",
    "Omar",
    "Priya",
    "Quinn",
    "Rosa",
    "Sami",
    "Tara",
    "Uma",
    "Vik",
    "Wren",
    "Yusuf",
    "Zoe",
]
LAST_NAMES = [
    "Abara",
    "Bouchard",
    "Chen",
    "Diallo",
    "Evans",
    "Fortin",
    "Gill",
    "Haddad",
    "Ito",
    "Jensen",
    "Kaur",
    "Lavoie",
    "Moreau",
    "Nguyen",
    "Okafor",
    "Patel",
    "Roy",
    "Singh",
    "Tremblay",
    "Wong",
]
KINDS = {
    Sector.PRIMARY_CARE: "Family Health Team",
    Sector.MENTAL_HEALTH: "Counselling Centre",
    Sector.LAW: "Legal Clinic",
    Sector.SOCIAL_SERVICES: "Community Services",
    Sector.EDUCATION: "Public School",
}


@dataclass(frozen=True)
class ScaleSpec:
    seed: int
    visits: int
    today: date
    slug: str = "scale"

    def email(self, local: str) -> str:
        """A person's address: one domain per scale program, so two never share people."""
        return f"{local}@{self.slug}.{EMAIL_DOMAIN}"

    @property
    def practices(self) -> int:
        return max(1, self.visits // VISITS_PER_PRACTICE)

    @property
    def coaches(self) -> int:
        return max(1, self.practices // PRACTICES_PER_COACH)

    @property
    def regions(self) -> int:
        return min(len(REGION_NAMES), max(1, round(self.practices / PRACTICES_PER_REGION)))

    @property
    def start(self) -> date:
        return self.today - timedelta(days=DAYS)

    def rng(self, area: str, index: int = 0) -> random.Random:
        """The random numbers of one area for one practice (or person): independent of chunking."""
        return random.Random(f"{self.seed}:{area}:{index}")

    def logged_visits(self, index: int) -> int:
        """Practice `index`'s logged visits: spread around the mean, pairs balancing each other
        so that the program's total is exactly `visits`."""
        base, rest = divmod(self.visits, self.practices)
        pair = index // 2
        spread = self.rng("pair", pair).randint(0, base * 6 // 10)
        if index % 2 == 1:
            spread = -spread
        elif index == self.practices - 1:
            spread = 0  # the odd one out has no partner to balance it
        return base + spread + (1 if index < rest else 0)

    def person_name(self, area: str, index: int) -> str:
        rng = self.rng(area + "-name", index)
        return f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"

    def sector(self, index: int) -> str:
        rng = self.rng("sector", index)
        return rng.choices([s for s, _ in SECTOR_WEIGHTS], [w for _, w in SECTOR_WEIGHTS])[0]

    def region(self, index: int) -> str:
        """Regions hold consecutive practices, so a coach (50 consecutive practices) works in one
        or two regions, as coaches do."""
        return REGION_NAMES[index * self.regions // self.practices]

    def practice_name(self, index: int) -> str:
        return f"{self.region(index)} {KINDS[self.sector(index)]} {index + 1:05}"

    def coach_of(self, index: int) -> int:
        return min(index // PRACTICES_PER_COACH, self.coaches - 1)
