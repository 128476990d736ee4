"""Signing a test's person in through the login form, as they would."""

from tests.factories import PASSWORD


def sign_in(page, live_server, person):
    """Sign `person` (made by the factories, with their password) in; any earlier session
    is dropped first."""
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/accounts/login/")
    page.locator("input[name=login]").fill(person.email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
