"""Django admin for platform operators: people (email login), API tokens and invitations.

Tokens and invitations are created in the app (the page, the API or `create_api_token`), where
the key or link can be shown to the right person; here they can be looked at and revoked."""

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import BaseUserCreationForm, UserChangeForm
from django.utils import timezone

from psp.accounts.models import ApiToken, Invitation, User
from psp.tenancy.admin import ProgramOwnedAdmin


class UserCreationForm(BaseUserCreationForm):
    class Meta:
        model = User
        fields = ["email", "full_name"]

    def clean_email(self):
        email = User.objects.normalize_email(self.cleaned_data["email"]).lower()
        if User.objects.filter(email__iexact=email).exists():
            raise forms.ValidationError("An account with this email address already exists.")
        return email


class UserEditForm(UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    form = UserEditForm
    add_form = UserCreationForm
    list_display = ["email", "full_name", "is_active", "is_staff", "last_login", "date_joined"]
    list_filter = ["is_active", "is_staff", "is_superuser"]
    search_fields = ["email", "full_name"]
    ordering = ["email"]
    readonly_fields = ["last_login", "date_joined"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        ("Person", {"fields": ["full_name", "job_title", "last_program"]}),
        (
            "Platform access",
            {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]},
        ),
        ("Dates", {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (
            None,
            {
                "classes": ["wide"],
                "fields": ["email", "full_name", "password1", "password2"],
            },
        )
    ]
    filter_horizontal = ["groups", "user_permissions"]


@admin.action(description="Revoke the selected tokens")
def revoke_tokens(modeladmin, request, queryset):
    count = queryset.filter(revoked_at__isnull=True).update(revoked_at=timezone.now())
    messages.success(request, f"{count} token(s) revoked.")


@admin.register(ApiToken)
class ApiTokenAdmin(ProgramOwnedAdmin):
    list_display = ["name", "user", "program", "lookup", "created_at", "last_used_at", "revoked_at"]
    list_filter = ["program", ("revoked_at", admin.EmptyFieldListFilter)]
    list_select_related = ["program", "user"]
    search_fields = ["name", "lookup", "user__email"]
    fields = ["program", "user", "name", "lookup", "created_at", "last_used_at", "revoked_at"]
    readonly_fields = ["user", "lookup", "created_at", "last_used_at"]
    actions = [revoke_tokens]

    def has_add_permission(self, request):
        return False


@admin.action(description="Revoke the selected invitations")
def revoke_invitations(modeladmin, request, queryset):
    count = queryset.filter(accepted_at__isnull=True, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    messages.success(request, f"{count} invitation(s) revoked.")


@admin.register(Invitation)
class InvitationAdmin(ProgramOwnedAdmin):
    list_display = [
        "email",
        "program",
        "role",
        "practice",
        "practice_role",
        "status",
        "created_at",
        "sent_at",
    ]
    list_filter = ["program", "role"]
    list_select_related = ["program", "practice"]
    search_fields = ["email"]
    readonly_fields = [
        "email",
        "role",
        "practice",
        "practice_role",
        "message",
        "invited_by",
        "created_at",
        "expires_at",
        "sent_at",
        "send_error",
        "accepted_at",
        "accepted_by",
    ]
    exclude = ["token_hash"]
    actions = [revoke_invitations]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("practice")

    @admin.display(description="Status")
    def status(self, obj):
        return obj.status

    def has_add_permission(self, request):
        return False
