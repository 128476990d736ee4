"""The accessibility checks themselves (tests/browser/axe.py): they see a finding when there is
one, say what and where, and cannot pass in CI without axe-core installed."""

import pytest

from tests.browser import axe
from tests.browser.axe import assert_no_serious_findings


@pytest.mark.browser
def test_a_serious_finding_fails_and_is_described(page):
    # Without this, a check that never ran axe would pass every page of the sweep.
    page.set_content(
        '<!doctype html><html lang="en"><head><title>t</title></head><body><main>'
        '<h1>Form</h1><button id="unnamed"></button></main></body></html>'
    )
    with pytest.raises(AssertionError) as failure:
        assert_no_serious_findings(page, "a test page")
    message = str(failure.value)
    assert "a test page" in message
    assert "button-name (critical)" in message
    assert "#unnamed" in message
    assert "Buttons must have discernible text" in message


@pytest.mark.browser
def test_a_page_without_serious_findings_passes(page):
    page.set_content(
        '<!doctype html><html lang="en"><head><title>t</title></head><body><main>'
        "<h1>Form</h1><button>Save</button></main></body></html>"
    )
    assert_no_serious_findings(page)


def test_without_axe_core_the_checks_fail_in_ci_and_skip_elsewhere(monkeypatch, tmp_path):
    monkeypatch.setattr(axe, "AXE_SCRIPT", tmp_path / "missing" / "axe.min.js")
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="make browser-deps"):
        axe.require_axe()
    monkeypatch.delenv("CI")
    with pytest.raises(pytest.skip.Exception, match="make browser-deps"):
        axe.require_axe()
