"""Every model of the cpd app. The models live with their sub-domains (cpd/schemes/models.py,
cpd/activities/models.py); the app label stays `cpd`."""

from cpd.activities.models import (
    COUNTED,
    ActivityStatus,
    ActivityType,
    ClaimSource,
    CpdActivity,
    CpdOffering,
)
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
    "ClaimSource",
    "CpdActivity",
    "CpdCycle",
    "CpdOffering",
    "CpdScheme",
    "CpdSchemeMember",
    "CpdSchemeVersion",
    "CpdVerifier",
    "CycleStatus",
]
