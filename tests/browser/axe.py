"""axe-core (npm, package.json) run inside a browser test's page: what it finds, and an assertion
that it finds nothing serious or critical.

The script is injected from node_modules (`make browser-deps` runs `npm ci`), so the checks need
no network. Without node_modules the checks skip, saying how to install them; under CI=true they
fail instead, so CI can never pass without having run them.
"""

import os
from pathlib import Path

import pytest

AXE_SCRIPT = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
BLOCKING = ("serious", "critical")
# WCAG 2.0, 2.1 and 2.2 A and AA, plus axe's best practices (landmarks, one main, headings...).
# For the browser context of tests that run axe: its script is injected inline, which the pages'
# CSP forbids (tests/browser/test_security_policy.py checks the policy itself).
AXE_CONTEXT_ARGS = {"bypass_csp": True}
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]


def require_axe() -> Path:
    """The axe-core script, or a skip (a failure under CI) that says how to get it."""
    if AXE_SCRIPT.exists():
        return AXE_SCRIPT
    message = (
        f"axe-core is not installed ({AXE_SCRIPT} is missing): run `make browser-deps` "
        "(npm ci; needs node and npm)"
    )
    if os.environ.get("CI") == "true":
        pytest.fail(message, pytrace=False)
    pytest.skip(message)


def axe_violations(page) -> list[dict]:
    """Every violation axe finds on the page as it is now (each with its nodes)."""
    script = require_axe()
    if not page.evaluate("() => typeof window.axe === 'object'"):
        # add_script_tag(path=...) adds the file's text as an inline <script>, which our CSP
        # refuses unless the browser context bypasses it (AXE_CONTEXT_ARGS).
        page.add_script_tag(path=str(script))
        assert page.evaluate("() => typeof window.axe === 'object'"), (
            "axe-core did not load: the page's Content-Security-Policy refused the injected "
            "script (give the browser context AXE_CONTEXT_ARGS)"
        )
    result = page.evaluate(
        "(tags) => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: "
        "['violations']})",
        TAGS,
    )
    return result["violations"]


def describe(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(
            f"- {violation['id']} ({violation['impact']}): {violation['help']} "
            f"[{len(violation['nodes'])} node(s)] {violation['helpUrl']}"
        )
        for node in violation["nodes"][:8]:
            target = " ".join(str(part) for part in node["target"])
            summary = (node.get("failureSummary") or "").replace("\n", " ")
            lines.append(f"    {target}: {summary[:300]}")
        if len(violation["nodes"]) > 8:
            lines.append(f"    ... and {len(violation['nodes']) - 8} more")
    return "\n".join(lines)


def blocking(violations: list[dict]) -> list[dict]:
    return [violation for violation in violations if violation["impact"] in BLOCKING]


def assert_no_serious_findings(page, where: str = "") -> list[dict]:
    """Fails, listing each finding (id, impact, target, help), when axe finds anything serious
    or critical on the page; returns the lesser findings, for a test that wants them."""
    violations = axe_violations(page)
    found = blocking(violations)
    place = where or page.url
    assert not found, f"axe: serious or critical findings on {place}:\n{describe(found)}"
    return violations
