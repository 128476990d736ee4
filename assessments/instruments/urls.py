"""Instrument pages under /p/<program>/instruments/: instruments and packs, versions and the
draft builder, and the change library.

Object kwargs follow the project convention the isolation test relies on: `pk` for the view's
`model`, `<modelname>_pk` for the parent a new row is added to."""

from django.urls import path

from assessments.instruments.views import builder, ideas, instruments, versions

app_name = "instruments"

urlpatterns = [
    path("", instruments.InstrumentListView.as_view(), name="list"),
    path("new/", instruments.InstrumentCreateView.as_view(), name="create"),
    path("packs/", instruments.PackListView.as_view(), name="packs"),
    path("<int:pk>/", instruments.InstrumentDetailView.as_view(), name="detail"),
    path("<int:pk>/settings/", instruments.InstrumentSettingsView.as_view(), name="settings"),
    # Versions
    path("versions/<int:pk>/", versions.VersionDetailView.as_view(), name="version"),
    path("versions/<int:pk>/publish/", versions.VersionPublishView.as_view(), name="publish"),
    path("versions/<int:pk>/new-draft/", versions.VersionNewDraftView.as_view(), name="new_draft"),
    path("versions/<int:pk>/discard/", versions.VersionDiscardView.as_view(), name="discard"),
    # The draft builder
    path(
        "versions/<int:instrumentversion_pk>/domains/new/",
        builder.DomainCreateView.as_view(),
        name="domain_create",
    ),
    path("domains/<int:pk>/edit/", builder.DomainEditView.as_view(), name="domain_edit"),
    path("domains/<int:pk>/delete/", builder.DomainDeleteView.as_view(), name="domain_delete"),
    path("domains/<int:pk>/move/", builder.DomainMoveView.as_view(), name="domain_move"),
    path(
        "domains/<int:domain_pk>/questions/new/",
        builder.QuestionCreateView.as_view(),
        name="question_create",
    ),
    path("questions/<int:pk>/edit/", builder.QuestionEditView.as_view(), name="question_edit"),
    path(
        "questions/<int:pk>/delete/", builder.QuestionDeleteView.as_view(), name="question_delete"
    ),
    path("questions/<int:pk>/move/", builder.QuestionMoveView.as_view(), name="question_move"),
    path(
        "questions/<int:question_pk>/options/new/",
        builder.OptionCreateView.as_view(),
        name="option_create",
    ),
    path("options/<int:pk>/edit/", builder.OptionEditView.as_view(), name="option_edit"),
    path("options/<int:pk>/delete/", builder.OptionDeleteView.as_view(), name="option_delete"),
    path("options/<int:pk>/move/", builder.OptionMoveView.as_view(), name="option_move"),
    # The change library
    path("<int:pk>/change-library/", ideas.ChangeLibraryView.as_view(), name="ideas"),
    path(
        "<int:instrument_pk>/change-library/new/",
        ideas.ChangeIdeaCreateView.as_view(),
        name="idea_create",
    ),
    path("change-ideas/<int:pk>/edit/", ideas.ChangeIdeaEditView.as_view(), name="idea_edit"),
    path("change-ideas/<int:pk>/active/", ideas.ChangeIdeaActiveView.as_view(), name="idea_active"),
]
