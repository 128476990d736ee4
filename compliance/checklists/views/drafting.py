"""A draft's sections and items: add, edit, move and remove, each a page of its own so it works
without JavaScript and shows its errors beside the fields (the version page embeds the short
forms, move buttons and "add a section", posting to the same URLs). Admins only; on a published
version each changes nothing and returns to the version (DraftEditMixin)."""

from django.views.generic import FormView, TemplateView, View

from compliance.checklists import drafting, selectors
from compliance.checklists.forms import ItemForm, MoveForm, SectionForm
from compliance.checklists.models import ChecklistItem, ChecklistSection, ChecklistVersion
from compliance.checklists.views.base import DraftEditMixin
from psp.tenancy.pages import ConfirmThenActMixin, MoveRowMixin, ServiceFormMixin


class RemoveView(ConfirmThenActMixin, DraftEditMixin, TemplateView):
    """Asks first (GET), removes on POST, returns to the version."""

    template_name = "compliance/checklists/confirm.html"

    def back_url(self) -> str:
        return self.version_url()


class MoveView(MoveRowMixin, DraftEditMixin, View):
    """Moves a row up or down (POST with `direction`)."""

    move_form = MoveForm

    def back_url(self) -> str:
        return self.version_url(self.anchor())


# Sections ------------------------------------------------------------------------------------


class SectionAddView(DraftEditMixin, ServiceFormMixin, FormView):
    parent_model = ChecklistVersion
    form_class = SectionForm
    template_name = "compliance/checklists/section_form.html"

    def object_queryset(self):
        return selectors.version_for_page()

    def version_of(self, obj):
        return obj

    def perform(self, data):
        section = drafting.section_add(
            program=self.request.program, version=self.version, by=self.request.user, **data
        )
        return f"The section “{section.title}” is added.", self.version_url(f"section-{section.pk}")


class SectionEditView(DraftEditMixin, ServiceFormMixin, FormView):
    model = ChecklistSection
    form_class = SectionForm
    template_name = "compliance/checklists/section_form.html"

    def object_queryset(self):
        return selectors.section_for_page()

    def get_initial(self):
        return {"title": self.object.title}

    def get_context_data(self, **kwargs):
        return super().get_context_data(section=self.object, **kwargs)

    def perform(self, data):
        section = drafting.section_edit(
            program=self.request.program, section=self.object, by=self.request.user, **data
        )
        return f"The section “{section.title}” is saved.", self.version_url(f"section-{section.pk}")


class SectionMoveView(MoveView):
    model = ChecklistSection

    def object_queryset(self):
        return selectors.section_for_page()

    def anchor(self):
        return f"section-{self.object.pk}"

    def move(self, direction):
        drafting.section_move(
            program=self.request.program,
            section=self.object,
            by=self.request.user,
            direction=direction,
        )


class SectionRemoveView(RemoveView):
    model = ChecklistSection

    def object_queryset(self):
        return selectors.section_for_page()

    def confirm_text(self):
        return {
            "title": f"Remove the section “{self.object.title}”",
            "question": "Remove this section and every item in it from the draft?",
            "confirm_label": "Remove the section",
        }

    def perform(self):
        drafting.section_remove(
            program=self.request.program, section=self.object, by=self.request.user
        )
        return f"The section “{self.object.title}” is removed."


# Items ---------------------------------------------------------------------------------------


class ItemFormMixin(ServiceFormMixin):
    form_class = ItemForm
    template_name = "compliance/checklists/item_form.html"

    def get_form_kwargs(self):
        sections = ChecklistSection.objects.filter(version=self.version).order_by("position", "pk")
        return {**super().get_form_kwargs(), "sections": list(sections)}


class ItemAddView(ItemFormMixin, DraftEditMixin, FormView):
    parent_model = ChecklistSection

    def object_queryset(self):
        return selectors.section_for_page()

    def get_initial(self):
        return {"section": self.object.pk, "yes_is_compliant": True}

    def get_context_data(self, **kwargs):
        return super().get_context_data(section=self.object, **kwargs)

    def perform(self, data):
        section = data.pop("section")
        item = drafting.item_add(
            program=self.request.program, section=section, by=self.request.user, **data
        )
        return "The item is added.", self.version_url(f"item-{item.pk}")


class ItemEditView(ItemFormMixin, DraftEditMixin, FormView):
    model = ChecklistItem

    def object_queryset(self):
        return selectors.item_for_page()

    def get_initial(self):
        fields = [name for name in drafting.EDITABLE_ITEM_FIELDS if name != "section"]
        return {name: getattr(self.object, name) for name in fields} | {
            "section": self.object.section_id
        }

    def get_context_data(self, **kwargs):
        return super().get_context_data(item=self.object, **kwargs)

    def perform(self, data):
        item = drafting.item_edit(
            program=self.request.program, item=self.object, by=self.request.user, data=data
        )
        return "The item is saved.", self.version_url(f"item-{item.pk}")


class ItemMoveView(MoveView):
    model = ChecklistItem

    def object_queryset(self):
        return selectors.item_for_page()

    def anchor(self):
        return f"item-{self.object.pk}"

    def move(self, direction):
        drafting.item_move(
            program=self.request.program,
            item=self.object,
            by=self.request.user,
            direction=direction,
        )


class ItemRemoveView(RemoveView):
    model = ChecklistItem

    def object_queryset(self):
        return selectors.item_for_page()

    def confirm_text(self):
        return {
            "title": "Remove an item",
            "question": f"Remove “{self.object.text}” from the draft?",
            "confirm_label": "Remove the item",
        }

    def perform(self):
        drafting.item_remove(program=self.request.program, item=self.object, by=self.request.user)
        return "The item is removed."
