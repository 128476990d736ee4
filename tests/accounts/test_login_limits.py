"""The limit on failed sign-ins: 5 per account and 20 per client address, per 5 minutes.

Behind the documented proxy every client reaches gunicorn from the proxy's address, so the
address must be the client's own (from X-Forwarded-For, only when PSP_TRUSTED_PROXY_COUNT says a
proxy of ours put it there), and nobody's guesses may lock out anybody else's account."""

import os
import secrets
import subprocess
import sys
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection
from django.urls import reverse

from psp.accounts.models import User
from tests.accounts.helpers import sign_in
from tests.factories import PASSWORD, give_totp

pytestmark = pytest.mark.django_db

PROXY = "172.18.0.5"  # the proxy's address, as gunicorn sees it
TOO_MANY = "Too many failed login attempts"


def signed_in(client) -> bool:
    return client.session.get("_auth_user_id") is not None


def guess_wrong(client, user, times, **extra):
    for _ in range(times):
        response = sign_in(client, user, password="wrong-guess", **extra)
        assert "not correct" in response.text, response.text


def exhaust_address(client, **extra):
    """Twenty failed attempts from one client, each at a different (unknown) account."""
    for n in range(20):
        client.post(
            reverse("account_login"),
            {"login": f"nobody{n}@example.org", "password": "wrong-guess"},
            **extra,
        )


@pytest.fixture
def behind_one_proxy(settings):
    # What PSP_TRUSTED_PROXY_COUNT=1 sets (tests/test_deploy.py checks that it does).
    settings.PSP_TRUSTED_PROXY_COUNT = 1
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1


def test_guesses_at_one_account_do_not_lock_out_another_from_the_same_address(client, world):
    guess_wrong(client, world.coach, 5, REMOTE_ADDR=PROXY)
    assert sign_in(client, world.manager, REMOTE_ADDR=PROXY).status_code == 302
    assert signed_in(client)


def test_the_sixth_guess_at_an_account_is_refused_even_with_the_right_password(client, world):
    guess_wrong(client, world.coach, 5, REMOTE_ADDR="198.51.100.1")
    for address in ("198.51.100.1", "198.51.100.2"):
        refused = sign_in(client, world.coach, REMOTE_ADDR=address)
        assert refused.status_code == 200 and TOO_MANY in refused.text
        assert not signed_in(client)


def test_the_account_is_counted_whatever_case_or_host_header_the_guesses_use(client, world):
    # allauth's own key held the Host header: each port written into it gave five fresh guesses.
    for n, login in enumerate([world.coach.email.upper(), world.coach.email] * 3):
        client.post(
            reverse("account_login"),
            {"login": login, "password": "wrong-guess"},
            HTTP_HOST=f"testserver:{8000 + n}",
        )
    refused = sign_in(client, world.coach, HTTP_HOST="localhost")
    assert TOO_MANY in refused.text and not signed_in(client)


def test_a_client_address_has_twenty_failed_attempts_across_accounts(client, world):
    exhaust_address(client, REMOTE_ADDR="198.51.100.7")
    refused = sign_in(client, world.manager, REMOTE_ADDR="198.51.100.7")
    assert TOO_MANY in refused.text and not signed_in(client)
    # Another address is not affected, and the account itself was never guessed at.
    assert sign_in(client, world.manager, REMOTE_ADDR="198.51.100.8").status_code == 302


def test_behind_a_trusted_proxy_clients_are_counted_apart(client, world, behind_one_proxy):
    attacker = {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": "203.0.113.66"}
    exhaust_address(client, **attacker)
    assert TOO_MANY in sign_in(client, world.manager, **attacker).text
    # Everyone else comes through the same proxy, from their own address.
    someone = {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": "203.0.113.10"}
    assert sign_in(client, world.manager, **someone).status_code == 302


def test_behind_a_trusted_proxy_only_the_entry_it_added_counts(client, world, behind_one_proxy):
    # The client writes its own X-Forwarded-For; the proxy appends the address it saw.
    exhaust_address(client, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="203.0.113.66")
    spoofed = {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": "10.9.9.9, 203.0.113.66"}
    assert TOO_MANY in sign_in(client, world.manager, **spoofed).text


def test_a_proxy_count_larger_than_the_header_is_never_a_server_error(client, world, settings):
    # Two proxies declared, one address in the header: a miscounted deployment. The sign-in
    # still works and is still counted (by the connecting address), never a 500.
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 2
    short = {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": "203.0.113.7"}
    sign_in(client, world.manager, **short)
    assert signed_in(client)


def test_without_a_trusted_proxy_a_forged_header_gives_no_fresh_guesses(client, world):
    for n in range(20):
        client.post(
            reverse("account_login"),
            {"login": f"nobody{n}@example.org", "password": "wrong-guess"},
            REMOTE_ADDR="198.51.100.9",
            HTTP_X_FORWARDED_FOR=f"203.0.113.{n}",
        )
    forged = {"REMOTE_ADDR": "198.51.100.9", "HTTP_X_FORWARDED_FOR": "203.0.113.200"}
    assert TOO_MANY in sign_in(client, world.manager, **forged).text
    # The same for the per-account part: a new forged address each time changes nothing.
    guess_wrong(client, world.coach, 5, REMOTE_ADDR="198.51.100.3")
    fresh = {"REMOTE_ADDR": "198.51.100.4", "HTTP_X_FORWARDED_FOR": "203.0.113.201"}
    assert TOO_MANY in sign_in(client, world.coach, **fresh).text


# Another worker: a gunicorn worker is another process; the count lives in the shared cache.

ANOTHER_WORKER = (
    "from django.test import Client; "
    "r = Client().post('/accounts/login/', "
    "{'login': 'ghost@example.org', 'password': 'sixth-guess'}, REMOTE_ADDR='198.51.100.20'); "
    "print(r.status_code, 'Too many failed login attempts' in r.content.decode())"
)


@pytest.mark.skipif(
    not os.environ.get("REDIS_URL"), reason="needs REDIS_URL (the cache workers share); CI sets it"
)
def test_the_count_is_shared_by_every_worker(client, db):
    if connection.vendor != "postgresql":
        pytest.skip("needs DATABASE_URL on PostgreSQL: the other process reads the test database")
    for n in range(5):  # this process: five wrong guesses at one account, from five addresses
        client.post(
            reverse("account_login"),
            {"login": "ghost@example.org", "password": "wrong-guess"},
            REMOTE_ADDR=f"198.51.100.{n + 10}",
        )
    db_settings = connection.settings_dict  # the test database pytest-django created
    env = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE"}}
    env.update(
        DATABASE_URL=f"postgres://{quote(db_settings['USER'] or '')}:"
        f"{quote(db_settings['PASSWORD'] or '')}@{db_settings['HOST'] or ''}:"
        f"{db_settings['PORT'] or 5432}/{db_settings['NAME']}",
        SECRET_KEY=secrets.token_urlsafe(50),
        SECURE_SSL_REDIRECT="0",
        PSP_MANIFEST_STATIC="0",
    )
    other = subprocess.run(
        [sys.executable, "manage.py", "shell", "--no-imports", "-c", ANOTHER_WORKER],
        cwd=settings.BASE_DIR, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert other.returncode == 0, other.stderr
    assert other.stdout.strip() == "200 True"


# The admin's sign-in is the same sign-in ----------------------------------------------------------


@pytest.fixture
def operator(db):
    person = User.objects.create_superuser("operator@example.org", PASSWORD)
    give_totp(person)
    return person


def test_the_admin_login_page_sends_people_to_the_one_sign_in_page(client, operator):
    response = client.get("/admin/login/?next=/admin/accounts/user/")
    assert response.status_code == 302
    assert response.url == reverse("account_login") + "?next=/admin/accounts/user/"
    assert client.get("/admin/").url.startswith("/admin/login/")


def test_a_password_posted_to_the_admin_login_is_never_checked(client, operator):
    for password in ["wrong-guess"] * 10 + [PASSWORD]:
        response = client.post("/admin/login/", {"username": operator.email, "password": password})
        assert response.status_code == 302
        assert response.url.startswith(reverse("account_login"))
    assert not signed_in(client)
