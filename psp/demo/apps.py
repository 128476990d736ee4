"""The demo installation: `manage.py seed_demo` builds realistic programs for `make run`.

It sits above every feature app (like the URL configuration does) because the demo shows them all.
"""

from django.apps import AppConfig


class DemoConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "psp.demo"
    label = "demo"
    verbose_name = "Demo installation"
