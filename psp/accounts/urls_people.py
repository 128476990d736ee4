"""The people page of a program, under /p/<program>/people/."""

from django.urls import path

from psp.accounts.views import people

app_name = "people"
urlpatterns = [
    path("", people.people_list, name="list"),
    path("invite/", people.invitation_new, name="invite"),
    path(
        "invitations/<int:invitation_pk>/resend/",
        people.invitation_resend,
        name="invitation_resend",
    ),
    path(
        "invitations/<int:invitation_pk>/revoke/",
        people.invitation_revoke,
        name="invitation_revoke",
    ),
    path("members/<int:programmembership_pk>/role/", people.member_role, name="member_role"),
    path(
        "members/<int:programmembership_pk>/deactivate/",
        people.member_deactivate,
        name="member_deactivate",
    ),
    path(
        "members/<int:programmembership_pk>/reactivate/",
        people.member_reactivate,
        name="member_reactivate",
    ),
]
