"""The people page: members and invitations of one program; inviting, resending, revoking,
changing program roles and deactivating. Every check asks request.access (the matrix)."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from psp.accounts import selectors, services
from psp.accounts.filters import MemberPageFilter
from psp.accounts.forms import InvitationForm, MemberRoleForm
from psp.accounts.models import Invitation
from psp.accounts.views import require
from psp.forms import add_service_errors
from psp.pagination import paginate
from psp.tenancy.models import ProgramMembership, ProgramRole
from psp.tenancy.permissions import ROLE_LABELS, Capability, Role

# Members a page shows, and the newest invitations shown (accepted ones are members already).
MEMBERS_PAGE = 50
INVITATIONS_SHOWN = 50


def people_list(request, program):
    """The program's members, a page at a time, found by name, email, role and whether active
    (a program may have 10,000 practice people: the page never lists or counts them all), and
    its newest invitations."""
    require(request, Capability.PEOPLE_VIEW)
    filters = MemberPageFilter.for_page(request, selectors.member_list(program=request.program))
    pager = paginate(request, filters.filtered(), MEMBERS_PAGE)
    members = list(pager["page_obj"].object_list)
    for member in members:
        member.role_label = _role_label(member)
    invitations = list(selectors.invitation_list(program=request.program)[: INVITATIONS_SHOWN + 1])
    for invitation in invitations:
        invitation.role_label = services.invitation_role_label(invitation)
    return render(
        request,
        "accounts/people/list.html",
        {
            **pager,
            "filters": filters,
            "members": members,
            "invitations": invitations[:INVITATIONS_SHOWN],
            "more_invitations": len(invitations) > INVITATIONS_SHOWN,
            "invitations_shown": INVITATIONS_SHOWN,
            "can_manage": request.access.can(Capability.PEOPLE_MANAGE),
            "program_roles": services.PROGRAM_ROLES,
            "practice_role": ProgramRole.PRACTICE,
        },
    )


def _practice_from_query(request) -> int | None:
    """The practice named by `?practice=` (the practice people page's "Invite" link), if the
    person may invite into it."""
    value = request.GET.get("practice", "")
    practice_id = int(value) if value.isdigit() else None
    if practice_id and request.access.can(Capability.PRACTICE_INVITE_STAFF, practice_id):
        return practice_id
    return None


def _people_page(request, practice_id: int | None) -> str | None:
    """Where the person follows their invitations: the practice's people page when they came
    from it or have no other, the program's people page for people viewers. Never a page
    that would answer them 403."""
    access = request.access
    if practice_id is None and not access.can(Capability.PEOPLE_VIEW):
        practice_id = next(iter(access.own_practice_ids(Capability.PRACTICE_INVITE_STAFF)), None)
    slug = request.program.slug
    if practice_id is not None:
        return reverse("practices:people", kwargs={"program": slug, "pk": practice_id})
    if access.can(Capability.PEOPLE_VIEW):
        return reverse("people:list", kwargs={"program": slug})
    return None


def _role_label(member: ProgramMembership) -> str:
    """ "Program admin", "Coach"; practice people by their practice role, a lead of any of
    their practices as lead."""
    if member.role != ProgramRole.PRACTICE:
        return member.get_role_display()
    roles = {place.role for place in member.user.program_practice_memberships}
    return ROLE_LABELS[Role.LEAD] if Role.LEAD in roles else ROLE_LABELS[Role.STAFF]


def invitation_new(request, program):
    """Admins invite into any role; practice leads into their own practice."""
    access = request.access
    if not (access.can(Capability.PEOPLE_MANAGE) or access.can(Capability.PRACTICE_INVITE_STAFF)):
        raise PermissionDenied("Your role does not allow inviting people.")
    from_practice = _practice_from_query(request)
    initial = {}
    if from_practice is not None:
        initial = {"role": ProgramRole.PRACTICE, "practice": from_practice}
    form = InvitationForm(request.POST or None, access=access, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            invitation = services.invitation_create(
                program=request.program,
                access=access,
                email=data["email"],
                role=data["role"],
                practice=data["practice"],
                practice_role=data["practice_role"],
                message=data["message"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                f"Invitation for {invitation.email} "
                f"({services.invitation_role_label(invitation)}) is on its way.",
            )
            return redirect(_people_page(request, from_practice) or invitation.practice)
    return render(
        request,
        "accounts/people/invite.html",
        {
            "form": form,
            "people_url": _people_page(request, from_practice),
            "invitation_days": settings.PSP_INVITATION_DAYS,
        },
    )


def _invitation(request, invitation_pk):
    require(request, Capability.PEOPLE_MANAGE)
    return get_object_or_404(Invitation.objects, pk=invitation_pk)


@require_POST
def invitation_resend(request, program, invitation_pk):
    invitation = _invitation(request, invitation_pk)
    try:
        services.invitation_resend(
            program=request.program, access=request.access, invitation=invitation
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, f"A new link is on its way to {invitation.email}; the old one is void."
        )
    return redirect("people:list", program=request.program.slug)


@require_POST
def invitation_revoke(request, program, invitation_pk):
    invitation = _invitation(request, invitation_pk)
    try:
        services.invitation_revoke(
            program=request.program, access=request.access, invitation=invitation
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"The invitation for {invitation.email} was revoked.")
    return redirect("people:list", program=request.program.slug)


def _membership(request, programmembership_pk):
    require(request, Capability.PEOPLE_MANAGE)
    return get_object_or_404(
        ProgramMembership.objects.select_related("user"), pk=programmembership_pk
    )


@require_POST
def member_role(request, program, programmembership_pk):
    membership = _membership(request, programmembership_pk)
    form = MemberRoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose admin, manager or coach.")
        return redirect("people:list", program=request.program.slug)
    try:
        services.membership_change_role(
            program=request.program,
            access=request.access,
            membership=membership,
            role=form.cleaned_data["role"],
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, f"{membership.user} is now {membership.get_role_display().lower()}."
        )
    return redirect("people:list", program=request.program.slug)


@require_POST
def member_deactivate(request, program, programmembership_pk):
    membership = _membership(request, programmembership_pk)
    try:
        services.membership_deactivate(
            program=request.program, access=request.access, membership=membership
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"{membership.user} no longer has access to this program.")
    return redirect("people:list", program=request.program.slug)


@require_POST
def member_reactivate(request, program, programmembership_pk):
    membership = _membership(request, programmembership_pk)
    services.membership_reactivate(
        program=request.program, access=request.access, membership=membership
    )
    messages.success(request, f"{membership.user} has access to this program again.")
    return redirect("people:list", program=request.program.slug)
