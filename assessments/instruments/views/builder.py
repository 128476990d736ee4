"""The draft builder's pages: add, edit, delete and reorder the domains, questions and options
of a draft version. Admins only; on a published or retired version each page changes nothing
and returns to the version (DraftEditMixin). Every change goes through ../builder.py.

Each action has a page of its own, so it works without JavaScript and shows its errors beside
the fields; the version page embeds the short forms (move up and down, add a domain) and posts
to the same URLs.
"""

from django.forms.models import model_to_dict
from django.views.generic import FormView, TemplateView, View

from assessments.instruments import builder, selectors
from assessments.instruments.editing import CHOICE_KINDS
from assessments.instruments.forms import DomainForm, MoveForm, OptionForm, QuestionForm
from assessments.instruments.models import Domain, InstrumentVersion, Option, Question
from assessments.instruments.views.base import DraftEditMixin
from psp.tenancy.pages import ConfirmThenActMixin, MoveRowMixin, ServiceFormMixin


class BuilderFormView(DraftEditMixin, ServiceFormMixin, FormView):
    """A form that adds or changes one row of a draft. The form is bound to a throwaway
    instance; `edit_fields` (when set) fills it with the row's current values."""

    form_model = None
    edit_fields: tuple[str, ...] = ()

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.form_model()}

    def get_initial(self):
        if not self.edit_fields:
            return super().get_initial()
        return model_to_dict(self.object, fields=self.edit_fields)

    def version_url(self, anchor: str = "") -> str:
        url = self.url("version", pk=self.version.pk)
        return f"{url}#{anchor}" if anchor else url


class BuilderDeleteView(ConfirmThenActMixin, DraftEditMixin, TemplateView):
    """Asks first (GET), deletes on POST, returns to `back_url()`."""

    template_name = "assessments/instruments/confirm.html"

    def back_url(self) -> str:
        return self.url("version", pk=self.version.pk)


class BuilderMoveView(MoveRowMixin, DraftEditMixin, View):
    """Moves a row up or down among its siblings (POST with `direction`)."""

    move_form = MoveForm

    def back_url(self) -> str:
        return self.url("version", pk=self.version.pk) + f"#{self.anchor()}"


# Domains -------------------------------------------------------------------------------------


class DomainCreateView(BuilderFormView):
    parent_model = InstrumentVersion
    form_class = DomainForm
    form_model = Domain
    template_name = "assessments/instruments/domain_form.html"

    def object_queryset(self):
        return InstrumentVersion.objects.select_related("instrument")

    def version_of(self, obj):
        return obj

    def perform(self, data):
        domain = builder.domain_create(
            program=self.request.program, version=self.version, by=self.request.user, **data
        )
        return f"The domain “{domain.name}” is added.", self.version_url(f"domain-{domain.pk}")


class DomainEditView(BuilderFormView):
    model = Domain
    form_class = DomainForm
    form_model = Domain
    edit_fields = builder.DOMAIN_FIELDS
    template_name = "assessments/instruments/domain_form.html"

    def object_queryset(self):
        return selectors.domain_for_page()

    def get_context_data(self, **kwargs):
        return super().get_context_data(domain=self.object, **kwargs)

    def perform(self, data):
        domain = builder.domain_update(
            program=self.request.program, domain=self.object, by=self.request.user, data=data
        )
        return f"The domain “{domain.name}” is saved.", self.version_url(f"domain-{domain.pk}")


class DomainDeleteView(BuilderDeleteView):
    model = Domain

    def object_queryset(self):
        return selectors.domain_for_page()

    def confirm_text(self):
        return {
            "title": f"Delete the domain “{self.object.name}”",
            "question": "Delete this domain and every question in it from the draft?",
            "confirm_label": "Delete domain",
        }

    def perform(self):
        builder.domain_delete(
            program=self.request.program, domain=self.object, by=self.request.user
        )
        return f"The domain “{self.object.name}” is deleted."


class DomainMoveView(BuilderMoveView):
    model = Domain

    def object_queryset(self):
        return selectors.domain_for_page()

    def anchor(self):
        return f"domain-{self.object.pk}"

    def move(self, direction):
        builder.domain_move(
            program=self.request.program,
            domain=self.object,
            by=self.request.user,
            direction=direction,
        )


# Questions -----------------------------------------------------------------------------------


class QuestionFormMixin:
    form_class = QuestionForm
    form_model = Question
    template_name = "assessments/instruments/question_form.html"

    def get_form_kwargs(self):
        domains = selectors.version_domains(version=self.version)
        return {**super().get_form_kwargs(), "domains": domains}


class QuestionCreateView(QuestionFormMixin, BuilderFormView):
    parent_model = Domain

    def object_queryset(self):
        return selectors.domain_for_page()

    def get_initial(self):
        return {"domain": self.object.pk}

    def get_context_data(self, **kwargs):
        return super().get_context_data(domain=self.object, **kwargs)

    def perform(self, data):
        domain = data.pop("domain")
        question = builder.question_create(
            program=self.request.program, domain=domain, by=self.request.user, **data
        )
        if question.kind in CHOICE_KINDS:
            return (
                "The question is added. Now give it at least two options.",
                self.url("question_edit", pk=question.pk) + "#options",
            )
        return "The question is added.", self.version_url(f"question-{question.pk}")


class QuestionEditView(QuestionFormMixin, BuilderFormView):
    """The question's form, and below it its options (for choice questions)."""

    model = Question
    edit_fields = builder.QUESTION_FIELDS

    def object_queryset(self):
        return selectors.question_for_page()

    def get_context_data(self, **kwargs):
        question = self.object
        is_choice = question.kind in CHOICE_KINDS
        options = Option.objects.filter(question=question).order_by("position", "pk")
        return super().get_context_data(
            question=question,
            domain=question.domain,
            is_choice=is_choice,
            options=list(options) if is_choice else [],
            option_form=OptionForm(instance=Option(), auto_id="id_option_%s"),
            **kwargs,
        )

    def perform(self, data):
        question = builder.question_update(
            program=self.request.program, question=self.object, by=self.request.user, data=data
        )
        return "The question is saved.", self.version_url(f"question-{question.pk}")


class QuestionDeleteView(BuilderDeleteView):
    model = Question

    def object_queryset(self):
        return selectors.question_for_page()

    def confirm_text(self):
        return {
            "title": "Delete a question",
            "question": f"Delete “{self.object.text}” from the draft?",
            "confirm_label": "Delete question",
        }

    def perform(self):
        builder.question_delete(
            program=self.request.program, question=self.object, by=self.request.user
        )
        return "The question is deleted."


class QuestionMoveView(BuilderMoveView):
    model = Question

    def object_queryset(self):
        return selectors.question_for_page()

    def anchor(self):
        return f"question-{self.object.pk}"

    def move(self, direction):
        builder.question_move(
            program=self.request.program,
            question=self.object,
            by=self.request.user,
            direction=direction,
        )


# Options -------------------------------------------------------------------------------------


class OptionViewMixin:
    def version_of(self, obj):
        return obj.question.version

    def question_url(self, question_id=None) -> str:
        pk = question_id or self.object.question_id
        return self.url("question_edit", pk=pk) + "#options"

    def back_url(self) -> str:
        return self.question_url()


class OptionCreateView(BuilderFormView):
    parent_model = Question
    form_class = OptionForm
    form_model = Option
    template_name = "assessments/instruments/option_form.html"

    def object_queryset(self):
        return selectors.question_for_page()

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "auto_id": "id_option_%s"}

    def get_context_data(self, **kwargs):
        return super().get_context_data(question=self.object, **kwargs)

    def perform(self, data):
        option = builder.option_create(
            program=self.request.program, question=self.object, by=self.request.user, **data
        )
        url = self.url("question_edit", pk=self.object.pk) + "#options"
        return f"The option “{option.label}” is added.", url


class OptionEditView(OptionViewMixin, BuilderFormView):
    model = Option
    form_class = OptionForm
    form_model = Option
    edit_fields = builder.OPTION_FIELDS
    template_name = "assessments/instruments/option_form.html"

    def object_queryset(self):
        return selectors.option_for_page()

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "auto_id": "id_option_%s"}

    def get_context_data(self, **kwargs):
        return super().get_context_data(question=self.object.question, option=self.object, **kwargs)

    def perform(self, data):
        option = builder.option_update(
            program=self.request.program, option=self.object, by=self.request.user, data=data
        )
        return f"The option “{option.label}” is saved.", self.question_url()


class OptionDeleteView(OptionViewMixin, BuilderDeleteView):
    model = Option

    def object_queryset(self):
        return selectors.option_for_page()

    def confirm_text(self):
        return {
            "title": f"Delete the option “{self.object.label}”",
            "question": f"Delete “{self.object.label}” from “{self.object.question.text}”?",
            "confirm_label": "Delete option",
        }

    def perform(self):
        builder.option_delete(
            program=self.request.program, option=self.object, by=self.request.user
        )
        return f"The option “{self.object.label}” is deleted."


class OptionMoveView(OptionViewMixin, BuilderMoveView):
    model = Option

    def object_queryset(self):
        return selectors.option_for_page()

    def move(self, direction):
        builder.option_move(
            program=self.request.program,
            option=self.object,
            by=self.request.user,
            direction=direction,
        )
