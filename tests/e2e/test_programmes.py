"""End to end in headless Chromium: one quarterly return from the provider's first figures to
the public commissioning dashboard.

The demo provider (Walsall Street Sport CIC) opens the return of "Friday Night Football" that
the demo leaves due (its latest ended quarter, not started), types figures whose age bands
disagree with the headline and presses "Check and submit": the check's message appears and
everything typed is still in the boxes. They fix the age bands and submit. The lead queries
it with a message; the provider answers and submits again; the lead accepts. The public
dashboard's headline figures for that financial year move by the accepted numbers (within
the disclosure control's rounding), and the return form and the public page pass axe-core.
"""

import datetime

import pytest
from axe_playwright_python.sync_playwright import Axe

from observatory.analysis.disclosure import rule_from_environment
from observatory.web.programmes.quarters import Quarter
from observatory.web.programmes.reach import year_label
from tests.e2e.test_browser import log_in

pytestmark = [pytest.mark.browser, pytest.mark.database]

PROGRAMME = "Friday Night Football"
WALSALL = "E08000030"
YOUNG, ADULTS, TRAINED = (
    "Young people reached (24 and under)",
    "Adults reached (over 24)",
    "Professionals trained",
)
# What the provider types first: 40 participants, but the age bands add up to 32.
HEADLINE = {
    "New participants": "30",
    "Continuing participants": "10",
    "Sessions delivered": "24",
    "Hours delivered": "48.5",
    "Professionals trained": "10",
    "Onward referrals": "6",
}
BREAKDOWNS = {
    "age_band__10_14": "12",
    "age_band__15_17": "20",
    "sex__male": "24",
    "sex__female": "16",
    "ethnicity__white": "20",
    "ethnicity__asian": "10",
    "ethnicity__black": "6",
    "ethnicity__mixed": "4",
    f"local_authority__{WALSALL}": "36",
    "local_authority__not_known": "4",
    "referral_source__self": "15",
    "referral_source__school": "15",
}
PARTICIPANTS, TRAINED_NOW = 40, 10


def serious_violations(page) -> list[str]:
    """axe-core's serious and critical violations on the page, one line each."""
    results = Axe().run(page)
    return [
        f"{violation['id']} ({violation['impact']}) on {page.url}: "
        + "; ".join(" ".join(node["target"]) for node in violation["nodes"])
        for violation in results.response["violations"]
        if violation["impact"] in ("serious", "critical")
    ]


def due_quarter() -> Quarter:
    """The latest quarter that has ended: the one whose return the demo leaves due."""
    return Quarter.of(Quarter.of(datetime.date.today()).start - datetime.timedelta(days=1))


def headline_figures(page, url: str, quarter: Quarter) -> dict[str, int]:
    """The public dashboard's headline tiles for the quarter's financial year, as numbers."""
    page.goto(f"{url}public/programmes/?year={year_label(quarter.financial_year)}")
    figures = {}
    for title in (YOUNG, ADULTS, TRAINED):
        tile = page.locator(".tile").filter(has=page.get_by_role("heading", name=title, exact=True))
        figures[title] = int(tile.locator(".tile-number").inner_text().replace(",", ""))
    return figures


def as_user(page, url: str, username: str, password: str) -> None:
    log_in(page, url, username, password)
    page.get_by_role("heading", name=f"Welcome, {username}").wait_for()


def log_out(page) -> None:
    page.get_by_role("button", name="Log out").click()
    page.get_by_role("link", name="Log in").first.wait_for()


def typed(page) -> dict[str, str]:
    values = {label: page.get_by_label(label, exact=True).input_value() for label in HEADLINE}
    values |= {name: page.locator(f"#id_{name}").input_value() for name in BREAKDOWNS}
    return values


def test_a_return_from_first_figures_to_the_public_dashboard(page, demo_app):
    url, password = demo_app
    quarter = due_quarter()
    before = headline_figures(page, url, quarter)
    assert serious_violations(page) == []

    as_user(page, url, "demo-provider", password)
    page.goto(f"{url}programmes/returns/?status=not_started")
    page.get_by_role("link", name=f"Start the return for {PROGRAMME}, {quarter.label}").click()
    page.get_by_role("heading", name=f"Return for {quarter.label}").wait_for()
    return_url = page.url
    assert serious_violations(page) == []
    for label, value in HEADLINE.items():
        page.get_by_label(label, exact=True).fill(value)
    for name, value in BREAKDOWNS.items():
        page.locator(f"#id_{name}").fill(value)
    page.get_by_role("button", name="Check and submit").click()

    page.get_by_role(
        "heading", name="Your draft is saved, but it cannot be submitted yet"
    ).wait_for()
    message = "Participants by age band add up to 32, but 40 participants were reached"
    assert page.get_by_role("alert").get_by_text(message).is_visible()
    assert typed(page) == HEADLINE | BREAKDOWNS
    assert serious_violations(page) == []

    page.locator("#id_age_band__10_14").fill("20")
    page.get_by_role("button", name="Check and submit").click()
    page.get_by_text(f"Submitted the return for {quarter.label}").wait_for()
    log_out(page)

    as_user(page, url, "demo-admin", password)
    page.goto(return_url)
    page.get_by_label("Message to the provider").fill(
        "Sessions look high for a Friday-night programme: can you check them?"
    )
    page.get_by_role("button", name="Query").click()
    page.get_by_text("Sent the return back to the provider with your query.").wait_for()
    log_out(page)

    as_user(page, url, "demo-provider", password)
    page.goto(return_url)
    assert page.get_by_text("can you check them?").is_visible()
    page.get_by_label("Message", exact=True).fill(
        "We ran two sessions a night in the school holidays; the figure is right."
    )
    page.get_by_role("button", name="Add message").click()
    page.get_by_text("Message added.").wait_for()
    page.get_by_role("button", name="Check and submit").click()
    page.get_by_text(f"Submitted the return for {quarter.label}").wait_for()
    log_out(page)

    as_user(page, url, "demo-admin", password)
    page.goto(return_url)
    page.get_by_role("button", name="Accept").click()
    page.get_by_text("Accepted the return: it now counts in reach figures.").wait_for()
    log_out(page)

    after = headline_figures(page, url, quarter)
    # Each tile is rounded to the nearest `base`, so it moves by the true change give or
    # take less than one base; a total with nothing added stays exactly as it was.
    base = rule_from_environment().rounding_base
    assert abs(after[YOUNG] - before[YOUNG] - PARTICIPANTS) < base, (before, after)
    assert abs(after[TRAINED] - before[TRAINED] - TRAINED_NOW) < base, (before, after)
    assert after[ADULTS] == before[ADULTS]
