"""End to end in headless Chromium: log in, see the home page, move around, log out; and
every page passes the axe-core accessibility checks."""

import pytest
from axe_playwright_python.sync_playwright import Axe

pytestmark = [pytest.mark.browser, pytest.mark.database]


def log_in(page, url, username, password):
    page.goto(url)
    page.get_by_role("link", name="Log in").first.click()
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()


def test_log_in_see_home_log_out(page, demo_app):
    url, password = demo_app
    log_in(page, url, "demo-admin", password)
    page.get_by_role("heading", name="Welcome, demo-admin").wait_for()
    navigation = page.get_by_role("navigation", name="Main")
    for section in ["Dashboards", "Programmes", "Training", "Incidents", "Knowledge", "Data"]:
        assert navigation.get_by_role("link", name=section).is_visible()
    page.get_by_role("button", name="Log out").click()
    page.get_by_role("link", name="Log in").first.wait_for()
    assert page.get_by_role("navigation", name="Main").count() == 0


def test_wrong_password_keeps_you_out(page, demo_app):
    url, _ = demo_app
    log_in(page, url, "demo-admin", "not-the-password")
    page.get_by_text("Please enter a correct username and password").wait_for()
    assert "/accounts/login/" in page.url


def test_provider_sees_only_its_sections_and_no_admin(page, demo_app):
    url, password = demo_app
    log_in(page, url, "demo-provider", password)
    navigation = page.get_by_role("navigation", name="Main")
    navigation.get_by_role("link", name="Programmes").wait_for()
    assert navigation.get_by_role("link", name="Dashboards").count() == 0
    assert navigation.get_by_role("link", name="Admin").count() == 0
    page.goto(f"{url}admin/")
    assert "/admin/login/" in page.url
    assert page.get_by_text("not authorized").is_visible()


def test_the_keyboard_reaches_the_skip_link_first(page, demo_app):
    url, _ = demo_app
    page.goto(url)
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent")
    assert focused.strip() == "Skip to main content"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


@pytest.mark.parametrize(
    "path", ["", "accounts/login/", "@home", "@organisations/", "@accounts/me/", "@dashboards/"]
)
def test_pages_have_no_accessibility_violations(page, demo_app, path):
    url, password = demo_app
    if path.startswith("@"):
        log_in(page, url, "demo-admin", password)
        page.get_by_role("heading", name="Welcome, demo-admin").wait_for()
        path = path[1:].replace("home", "")
    page.goto(url + path)
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()
