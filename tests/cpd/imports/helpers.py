"""Files and uploads for the import tests."""

from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from cpd.models import CpdActivity
from psp.tenancy.scope import program_scope

HEADER = (
    "email,type,title,provider,started_on,ended_on,hours,items,category,credits,status,reflection\n"
)
LAST_YEAR = (timezone.localdate() - timedelta(days=365)).isoformat()
SOON = (timezone.localdate() + timedelta(days=30)).isoformat()
LONG_AGO = (timezone.localdate() - timedelta(days=800)).isoformat()


def page_url(world, name="cpd_imports:import"):
    return reverse(name, kwargs={"program": world.program.slug})


def upload(client, world, text, *, button="import", encoding="utf-8", name="transcript.csv"):
    file = SimpleUploadedFile(name, text.encode(encoding), content_type="text/csv")
    return client.post(page_url(world), {"file": file, button: ""})


def good_file(email="") -> str:
    return HEADER + (
        f"{email},workshop,Safer opioid prescribing,College of Family Physicians,{LAST_YEAR},,3,,,,"
        "self_reported,Taper plans need a review date.\n"
        f"{email},Reading,Diabetes guideline update,Journal,{LAST_YEAR},{LAST_YEAR},,4,,,,\n"
        f"{email},practice_audit,Recall audit,,{LONG_AGO},{LONG_AGO},2,,Certified,7.5,,"
        '"Found 40% overdue; we now run a monthly recall, ""and it works""."\n'
    )


def activities(world, **filters):
    with program_scope(world.program):
        return list(CpdActivity.objects.filter(**filters).order_by("ended_on", "pk"))
