"""Pages of checklist templates and their assignments, under /p/<program>/compliance/ in the
`compliance_templates` namespace (compliance/urls.py has the checklists themselves).

Object kwargs follow the convention the isolation walk relies on: `pk` for the view's `model`,
`<modelname>_pk` for the parent a new row is added to."""

from django.urls import path

from compliance.checklists.views import drafting, templates, versions
from compliance.schedules import views as assignments

app_name = "compliance_templates"

urlpatterns = [
    path("templates/", templates.TemplateListView.as_view(), name="list"),
    path("templates/packs/", templates.PacksView.as_view(), name="packs"),
    path("templates/new/", templates.TemplateCreateView.as_view(), name="new"),
    path("templates/<int:pk>/", templates.TemplateDetailView.as_view(), name="detail"),
    path("templates/<int:pk>/settings/", templates.TemplateSettingsView.as_view(), name="settings"),
    path("templates/<int:pk>/active/", templates.TemplateActiveView.as_view(), name="active"),
    path(
        "templates/<int:pk>/new-version/",
        templates.NewVersionView.as_view(),
        name="new_version",
    ),
    # Versions
    path("templates/versions/<int:pk>/", versions.VersionView.as_view(), name="version"),
    path("templates/versions/<int:pk>/publish/", versions.PublishView.as_view(), name="publish"),
    path("templates/versions/<int:pk>/discard/", versions.DiscardView.as_view(), name="discard"),
    # A draft's sections and items
    path(
        "templates/versions/<int:checklistversion_pk>/sections/new/",
        drafting.SectionAddView.as_view(),
        name="section_add",
    ),
    path(
        "templates/sections/<int:pk>/edit/", drafting.SectionEditView.as_view(), name="section_edit"
    ),
    path(
        "templates/sections/<int:pk>/move/", drafting.SectionMoveView.as_view(), name="section_move"
    ),
    path(
        "templates/sections/<int:pk>/remove/",
        drafting.SectionRemoveView.as_view(),
        name="section_remove",
    ),
    path(
        "templates/sections/<int:checklistsection_pk>/items/new/",
        drafting.ItemAddView.as_view(),
        name="item_add",
    ),
    path("templates/items/<int:pk>/edit/", drafting.ItemEditView.as_view(), name="item_edit"),
    path("templates/items/<int:pk>/move/", drafting.ItemMoveView.as_view(), name="item_move"),
    path("templates/items/<int:pk>/remove/", drafting.ItemRemoveView.as_view(), name="item_remove"),
    # Assignments
    path("assignments/", assignments.AssignmentListView.as_view(), name="assignments"),
    path("assignments/new/", assignments.AssignView.as_view(), name="assign"),
    path(
        "assignments/<int:pk>/end/", assignments.AssignmentEndView.as_view(), name="assignment_end"
    ),
]
