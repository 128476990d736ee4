"""Evidence files: checked, stored privately, downloaded through a permission check; attached to
the subjects other apps register (CPD activities, checklist items)."""

from django.apps import AppConfig
from django.core import checks
from django.utils.module_loading import autodiscover_modules


class EvidenceConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "psp.evidence"
    label = "evidence"
    verbose_name = "Evidence files"

    def ready(self):
        from psp.storage import check_private_root

        checks.register(check_private_root)
        # Each app's evidence.py registers the subject kinds that take files (registry.py).
        autodiscover_modules("evidence")
