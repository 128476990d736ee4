"""Fixtures for the tenancy guards, and the isolation walk's coverage line at the end of the run."""


def pytest_terminal_summary(terminalreporter):
    from tests.tenancy.test_isolation_walk import WALKED

    if WALKED["page"] or WALKED["api"]:
        terminalreporter.write_line(
            f"isolation walk: {len(WALKED['page'])} page routes and {len(WALKED['api'])} API "
            f"routes walked as another program's member ({WALKED['requests']} requests), "
            "every one 404 and program B unchanged"
        )
