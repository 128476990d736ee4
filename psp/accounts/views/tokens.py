"""A person's own API tokens in one program: list, create (the key shown once), revoke. For
the roles that hold `api_tokens.own` (the matrix); everyone else gets 403."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from psp.accounts import selectors, services
from psp.accounts.forms import ApiTokenForm
from psp.accounts.models import ApiToken
from psp.accounts.views import require
from psp.forms import add_service_errors
from psp.tenancy.permissions import Capability


@never_cache
def token_list(request, program):
    """GET lists the tokens; POST creates one and answers with the key on this very page.

    The key is rendered into the response and nowhere else (no redirect through the session),
    and the page is not cached, so reloading it does not show the key again."""
    require(request, Capability.API_TOKENS_OWN)
    form = ApiTokenForm(request.POST or None)
    new_key = None
    new_token = None
    if request.method == "POST" and form.is_valid():
        try:
            new_token, new_key = services.api_token_create(
                program=request.program, user=request.user, name=form.cleaned_data["name"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            form = ApiTokenForm()
    tokens = selectors.api_token_list(program=request.program, user=request.user)
    example_url = request.build_absolute_uri(
        reverse("api-token-list", kwargs={"program": request.program.slug})
    )
    return render(
        request,
        "accounts/tokens/list.html",
        {
            "form": form,
            "tokens": tokens,
            "new_token": new_token,
            "new_key": new_key,
            "example_url": example_url,
        },
    )


@require_POST
def token_revoke(request, program, apitoken_pk):
    require(request, Capability.API_TOKENS_OWN)
    # Only the person's own tokens: someone else's token is "not found", like another program's.
    token = get_object_or_404(ApiToken.objects.filter(user=request.user), pk=apitoken_pk)
    services.api_token_revoke(program=request.program, access=request.access, token=token)
    messages.success(request, f"The token “{token.name}” was revoked; it no longer works.")
    return redirect("tokens:list", program=request.program.slug)
