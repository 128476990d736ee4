"""Invitation links, /invitations/<token>/: outside any program's URL, since the token names
the program."""

from django.urls import path

from psp.accounts.views import invitations

app_name = "invitations"
urlpatterns = [
    path("<str:token>/", invitations.invitation_accept, name="accept"),
]
