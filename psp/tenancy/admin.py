"""Django admin for platform operators: programs and program memberships, and the base every
model admin of a program-owned model uses.

The admin works across programs on purpose (operators look after all of them), so it reads
through the loudly named `all_programs` manager instead of the fail-closed default one. Editing
one row happens inside that row's program scope, so uniqueness checks and related-object
choices stay within its program."""

from django.contrib import admin

from psp.numbers import parse_id
from psp.tenancy.base import ProgramOwned
from psp.tenancy.models import Program, ProgramMembership
from psp.tenancy.scope import current_program_id_or_none, program_scope


class ProgramOwnedAdmin(admin.ModelAdmin):
    """Base for admins of program-owned models: lists every program's rows, shows the program,
    and edits a row inside its program's scope. A row's program cannot be changed."""

    list_select_related = ["program"]
    list_filter: tuple = ("program",)

    def get_queryset(self, request):
        # Crosses programs on purpose: platform operators see every program.
        queryset = self.model.all_programs.select_related("program")
        ordering = self.get_ordering(request)
        return queryset.order_by(*ordering) if ordering else queryset

    def get_readonly_fields(self, request, obj=None):
        readonly = tuple(super().get_readonly_fields(request, obj))
        return (*readonly, "program") if obj is not None else readonly

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        related = db_field.related_model
        if issubclass(related, ProgramOwned) and "queryset" not in kwargs:
            # Inside a row's scope: only its program's rows. Outside (the empty add form): all.
            in_scope = current_program_id_or_none() is not None
            kwargs["queryset"] = related.objects.all() if in_scope else related.all_programs.all()
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def _program_id_for(self, request, object_id):
        if object_id is not None:
            row = self.model.all_programs.filter(pk=object_id).values("program_id").first()
            return row["program_id"] if row else None
        value = request.POST.get("program") if request.method == "POST" else None
        return parse_id(value)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        program_id = self._program_id_for(request, object_id)
        if program_id is None:
            return super().changeform_view(request, object_id, form_url, extra_context)
        with program_scope(program_id):
            response = super().changeform_view(request, object_id, form_url, extra_context)
            # Render while still in scope: inlines read their rows when the page renders.
            if hasattr(response, "render") and not response.is_rendered:
                response.render()
            return response

    def delete_view(self, request, object_id, extra_context=None):
        program_id = self._program_id_for(request, object_id)
        if program_id is None:
            return super().delete_view(request, object_id, extra_context)
        with program_scope(program_id):
            return super().delete_view(request, object_id, extra_context)


@admin.register(Program)
class ProgramAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "sector", "is_active", "created_at"]
    list_filter = ["sector", "is_active"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(ProgramMembership)
class ProgramMembershipAdmin(ProgramOwnedAdmin):
    list_display = ["user", "program", "role", "is_active", "joined_at"]
    list_filter = ["program", "role", "is_active"]
    list_select_related = ["program", "user"]
    search_fields = ["user__email", "user__full_name", "program__name"]
    autocomplete_fields = ["user"]
    fields = ["program", "user", "role", "is_active"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("user")
