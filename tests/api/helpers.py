"""Small helpers for the API edge tests: a token for a person, its header, the error format."""

from psp.accounts.models import ApiToken
from psp.tenancy.scope import program_scope


def api(world, path: str) -> str:
    return f"/api/v1/programs/{world.program.slug}/{path}"


def token_header(world, user, name: str = "Edge tests") -> dict:
    """The Authorization header of a new token of `user` in the world's program."""
    key, lookup, key_hash = ApiToken.new_key()
    with program_scope(world.program):
        ApiToken.objects.create(user=user, name=name, lookup=lookup, key_hash=key_hash)
    return {"HTTP_AUTHORIZATION": f"Token {key}"}


def assert_error(response, status: int, code: str | None = None) -> dict:
    """The one error format: {"error": {"status", "code", "message"[, "fields"]}}."""
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json"), response["Content-Type"]
    error = response.json()["error"]
    assert error["status"] == status
    assert error["message"]
    if code is not None:
        assert error["code"] == code, error
    return error
