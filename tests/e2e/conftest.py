"""The real app, started with the README's own demo command, driven in headless Chromium."""

import re

import pytest

from tests.support.chromium import CHROMIUM_ARGS
from tests.support.cli import cli_env, running_server
from tests.support.postgres import free_port

LOGIN_LINE = re.compile(r"Log in as (?P<user>\S+) with password (?P<password>\S+)")


@pytest.fixture(scope="module")
def demo_app(tmp_path_factory, request):
    """`observatory demo start` on a free port, in its own data dir (and, under
    --db=postgres, its own database); yields (url, demo password)."""
    cluster = None
    if request.config.getoption("--db") == "postgres":
        cluster = request.getfixturevalue("postgres_cluster")
    database_url = cluster.create_database("e2e_demo") if cluster else None
    env = cli_env(tmp_path_factory.mktemp("demo-data"), database_url)
    with running_server(
        "demo", "start", "--port", str(free_port()), "--months", "2", "--scale", "0.1", env=env
    ) as server:
        match = next(filter(None, map(LOGIN_LINE.search, server.output)))
        assert match["user"] == "demo-admin"
        yield server.url, match["password"]
    if cluster:
        cluster.drop_database("e2e_demo")


@pytest.fixture(scope="module")
def browser(chromium):
    """One Chromium for the module; started and stopped here so Playwright's event loop
    never outlives the browser tests."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=str(chromium), args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()
