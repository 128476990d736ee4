"""A person's API tokens in a program, under /p/<program>/api-tokens/."""

from django.urls import path

from psp.accounts.views import tokens

app_name = "tokens"
urlpatterns = [
    path("", tokens.token_list, name="list"),
    path("<int:apitoken_pk>/revoke/", tokens.token_revoke, name="revoke"),
]
