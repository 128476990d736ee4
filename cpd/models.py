"""Every model of the cpd app. The models live with their sub-domains (cpd/schemes/models.py,
cpd/activities/models.py, cpd/credentials/models.py, cpd/progress/models.py); the app label
stays `cpd`."""

from cpd.activities.models import (
    COUNTED,
    ActivityStatus,
    ActivityType,
    ClaimSource,
    CpdActivity,
    CpdOffering,
)
from cpd.credentials.models import AttestedStatus, CpdCredential, CredentialKind
from cpd.progress.models import CpdStanding, CpdStandingsRun
from cpd.schemes.models import (
    CpdCycle,
    CpdScheme,
    CpdSchemeMember,
    CpdSchemeVersion,
    CpdVerifier,
    CycleStatus,
)

__all__ = [
    "COUNTED",
    "ActivityStatus",
    "ActivityType",
    "AttestedStatus",
    "ClaimSource",
    "CpdActivity",
    "CpdCredential",
    "CpdCycle",
    "CpdOffering",
    "CpdScheme",
    "CpdSchemeMember",
    "CpdSchemeVersion",
    "CpdStanding",
    "CpdStandingsRun",
    "CpdVerifier",
    "CredentialKind",
    "CycleStatus",
]
