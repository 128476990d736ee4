"""The template list, the packs page, a new template written by hand, one template (its
current items, versions, assignments and history) and its settings."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.views.generic import FormView, TemplateView, View

from compliance.checklists import selectors, services
from compliance.checklists.describe import schedule_words
from compliance.checklists.filters import TemplateFilter
from compliance.checklists.forms import NoteForm, PackLoadForm, TemplateCreateForm, TemplateForm
from compliance.checklists.models import ChecklistTemplate
from compliance.checklists.packs import available_packs
from compliance.checklists.packs.services import pack_load
from compliance.checklists.views.base import (
    DEFINE,
    ObjectPageMixin,
    TemplatesPageMixin,
)
from compliance.schedules.selectors import assignment_list
from practices.models import Practice
from psp.forms import add_service_errors
from psp.history.models import SubjectType
from psp.history.selectors import history_of
from psp.tenancy.pages import ServiceFormMixin

RECENT_CHANGES = 15


class TemplateListView(TemplatesPageMixin, TemplateView):
    template_name = "compliance/checklists/list.html"

    def get_context_data(self, **kwargs):
        filters = TemplateFilter.for_page(self.request, selectors.template_list())
        templates = list(filters.filtered())
        assigned = selectors.practices_assigned(t.pk for t in templates)
        for template in templates:
            template.schedule = schedule_words(template)
            template.practices_assigned = assigned.get(template.pk, 0)
        return super().get_context_data(filters=filters, templates=templates, **kwargs)


def _names(templates) -> str:
    return ", ".join(f"“{t.name}”" for t in templates)


class PacksView(TemplatesPageMixin, FormView):
    """The shipped packs, each with its templates; Load adds those not here yet."""

    capability = DEFINE
    template_name = "compliance/checklists/packs.html"
    form_class = PackLoadForm

    def get_context_data(self, **kwargs):
        loaded = set(ChecklistTemplate.objects.values_list("key", flat=True))
        sectors = set(Practice.objects.values_list("sector", flat=True).distinct())
        sectors.add(self.request.program.sector)
        packs = [
            (pack, [(doc, doc.key in loaded) for doc in pack.templates], pack.suits(sectors))
            for pack in available_packs()
        ]
        suited = [pack.key for pack, _, suits in packs if suits]
        return super().get_context_data(packs=packs, suited=suited, **kwargs)

    def form_valid(self, form):
        try:
            result = pack_load(
                program=self.request.program,
                pack_keys=form.cleaned_data["packs"],
                by=self.request.user,
            )
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        if result.made:
            messages.success(
                self.request,
                f"Loaded {len(result.made)} template{'s' * (len(result.made) != 1)}: "
                f"{_names(result.made)}. Assign them to practices to start the checklists.",
            )
        if result.skipped:
            messages.info(
                self.request,
                f"Skipped, as templates with the same key are here already (left as they are): "
                f"{_names(result.skipped)}.",
            )
        return redirect(self.url("list"))


class TemplateCreateView(TemplatesPageMixin, ServiceFormMixin, FormView):
    """A template written by hand: its details, then an empty draft to build."""

    capability = DEFINE
    template_name = "compliance/checklists/template_form.html"
    form_class = TemplateCreateForm

    def perform(self, data):
        form_document = {**data, "sections": []}
        if form_document["recurrence"] != "after_event":
            form_document["event"], form_document["event_stage"] = "", ""
        template = services.template_create(
            program=self.request.program, by=self.request.user, document=form_document
        )
        draft = selectors.draft_of(template)
        return (
            f"“{template.name}” is created as a draft: add its sections and items.",
            self.url("version", pk=draft.pk),
        )


class TemplateDetailView(ObjectPageMixin, TemplateView):
    model = ChecklistTemplate
    template_name = "compliance/checklists/detail.html"

    def get_context_data(self, **kwargs):
        template = self.object
        draft = selectors.draft_of(template)
        shown_id = template.current_version_id or (draft.pk if draft else None)
        context = super().get_context_data(
            template=template,
            schedule=schedule_words(template),
            draft=draft,
            version=selectors.structure(shown_id) if shown_id else None,
            versions=selectors.version_history(template=template),
            practices_assigned=selectors.practices_assigned([template.pk]).get(template.pk, 0),
            **kwargs,
        )
        if context["can_define"]:
            context["assignments"] = list(
                assignment_list().filter(template=template, is_active=True)
            )
            context["changes"] = list(
                history_of(subject_type=SubjectType.CHECKLIST_TEMPLATE, subject_id=template.pk)[
                    :RECENT_CHANGES
                ]
            )
        return context


class TemplateSettingsView(ObjectPageMixin, ServiceFormMixin, FormView):
    """The template's details and schedule; its key stays."""

    model = ChecklistTemplate
    capability = DEFINE
    template_name = "compliance/checklists/template_form.html"
    form_class = TemplateForm

    def get_initial(self):
        fields = [name for name in services.DETAIL_FIELDS if name != "is_active"]
        return {name: getattr(self.object, name) for name in fields}

    def get_context_data(self, **kwargs):
        return super().get_context_data(template=self.object, **kwargs)

    def perform(self, data):
        document = dict(data)
        if document["recurrence"] != "after_event":
            document["event"], document["event_stage"] = "", ""
        template = services.template_update(
            program=self.request.program, template=self.object, by=self.request.user, data=document
        )
        return f"“{template.name}” is saved.", self.url("detail", pk=template.pk)


class TemplateActiveView(ObjectPageMixin, View):
    """Deactivate (no new checklists are made from it) or reactivate a template (POST)."""

    model = ChecklistTemplate
    capability = DEFINE

    def get(self, request, *args, **kwargs):
        return redirect(self.url("detail", pk=self.object.pk))

    def post(self, request, *args, **kwargs):
        active = not self.object.is_active
        template = services.template_set_active(
            program=request.program, template=self.object, by=request.user, active=active
        )
        if active:
            messages.success(request, f"“{template.name}” is active again.")
        else:
            messages.success(
                request,
                f"“{template.name}” is inactive: no new checklists are made from it; those "
                "made already stay.",
            )
        return redirect(self.url("detail", pk=template.pk))


class NewVersionView(ObjectPageMixin, ServiceFormMixin, FormView):
    """Start a new draft from the published version (GET asks, POST starts it)."""

    model = ChecklistTemplate
    capability = DEFINE
    template_name = "compliance/checklists/version_action.html"
    form_class = NoteForm

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            template=self.object,
            title=f"Start a new version of “{self.object.name}”",
            explanation="The new version starts as a copy of the current one. Change it, then "
            "publish it: checklists made from then on use it, and those made already keep "
            "their version.",
            confirm_label="Start the new version",
            cancel_url=self.url("detail", pk=self.object.pk),
            **kwargs,
        )

    def perform(self, data):
        draft = services.version_new_draft(
            program=self.request.program,
            template=self.object,
            by=self.request.user,
            change_note=data["change_note"],
        )
        return f"Version {draft.number} is a draft: change it, then publish it.", self.url(
            "version", pk=draft.pk
        )
