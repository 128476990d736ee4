"""A program's home page, /p/<program>/.

No namespace: `program_home` is reversed by name across the project (Program.get_absolute_url,
the program navigation)."""

from django.urls import path

from practices.views_home import ProgramHomeView

urlpatterns = [
    path("", ProgramHomeView.as_view(), name="program_home"),
]
