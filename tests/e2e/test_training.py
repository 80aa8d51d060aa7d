"""Training end to end in headless Chromium against the real demo app: a coordinator adds a
one-place session; one person books it and a second joins the waitlist; the first cancels
by the link in their confirmation e-mail (read from the file backend); the second accepts
the offer from theirs; after the register marks them attended, their certificate appears
only once they have given feedback. axe checks the public listing and booking form."""

import datetime
import email
import re
from email import policy

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.e2e.test_browser import log_in
from tests.support.cli import cli_env, running_server
from tests.support.postgres import free_port

pytestmark = [pytest.mark.browser, pytest.mark.database]

COURSE = "Trauma-informed practice"


@pytest.fixture(scope="module")
def training_app(tmp_path_factory, request):
    """`observatory demo start` with a known data dir (its mail folder is read here)."""
    cluster = None
    if request.config.getoption("--db") == "postgres":
        cluster = request.getfixturevalue("postgres_cluster")
    database_url = cluster.create_database("e2e_training") if cluster else None
    data_dir = tmp_path_factory.mktemp("training-demo")
    env = cli_env(data_dir, database_url)
    with running_server(
        "demo", "start", "--port", str(free_port()), "--months", "2", "--scale", "0.1", env=env
    ) as server:
        password = re.search(r"with password (\S+)", "\n".join(server.output))[1]
        yield server.url, password, data_dir / "mail"
    if cluster:
        cluster.drop_database("e2e_training")


def messages_to(mail_dir, address: str) -> list[email.message.EmailMessage]:
    """Every message the file backend wrote for `address`, oldest first."""
    found = []
    for path in sorted(mail_dir.glob("*"), key=lambda p: p.stat().st_mtime):
        for raw in path.read_text().split("\n" + "-" * 79 + "\n"):
            if raw.strip():
                message = email.message_from_string(raw.strip(), policy=policy.default)
                if address in (message["To"] or ""):
                    found.append(message)
    return found


def link_in(message, path_pattern: str) -> str:
    text = message.get_body(preferencelist=("plain",)).get_content()
    return re.search(rf"https?://\S+{path_pattern}", text)[0]


def add_one_place_session(page, url, password) -> str:
    """Add the session; return the address of its bookings page."""
    log_in(page, url, "demo-coordinator", password)
    page.goto(f"{url}training/manage/")
    page.get_by_role("link", name=COURSE, exact=True).click()
    page.get_by_role("link", name="Add a session").click()
    soon = datetime.datetime.now() + datetime.timedelta(days=5)
    stamp = lambda moment: moment.strftime("%Y-%m-%dT%H:%M")  # noqa: E731
    page.get_by_label("Starts").fill(stamp(soon))
    page.get_by_label("Ends").fill(stamp(soon + datetime.timedelta(hours=3)))
    page.get_by_label("Venue").fill("Walsall Arena")
    page.get_by_label("Capacity").fill("1")
    page.get_by_label("Booking opens").fill(stamp(soon - datetime.timedelta(days=30)))
    page.get_by_label("Booking closes").fill(stamp(soon - datetime.timedelta(hours=2)))
    page.get_by_label("Cancellation cut-off").fill(stamp(soon - datetime.timedelta(days=1)))
    page.get_by_role("button", name="Save").click()
    page.get_by_text("Saved the session.").wait_for()
    return page.url


def book(page, url, name, address) -> None:
    page.goto(f"{url}training/")
    page.get_by_role("row").filter(has_text=COURSE).filter(has_text="Walsall Arena").get_by_role(
        "link", name=re.compile("^Book")
    ).first.click()
    page.get_by_label("Full name").fill(name)
    page.get_by_label("E-mail address").fill(address)
    page.get_by_label("Organisation").fill(f"{name.split()[1]} Youth Project")
    page.get_by_label("Role").fill("Youth worker")
    page.get_by_label("Sector").select_option("youth_work")
    page.get_by_label("Young people you work with").fill("120")
    page.get_by_role("button", name=re.compile("Book my place|Join the waitlist")).click()


def test_book_cancel_offer_accept_attend_feedback_certificate(browser, training_app):
    url, password, mail_dir = training_app
    coordinator = browser.new_context(locale="en-GB").new_page()
    session_page = add_one_place_session(coordinator, url, password)

    person = browser.new_context(locale="en-GB").new_page()
    book(person, url, "Ada Quill", "ada.quill@example.org")
    person.get_by_text(re.compile("confirmed", re.I)).first.wait_for()
    book(person, url, "Ben Marsh", "ben.marsh@example.org")
    person.get_by_text(re.compile("waitlist", re.I)).first.wait_for()

    (confirmation,) = messages_to(mail_dir, "ada.quill@example.org")
    assert any(part.get_content_type() == "text/calendar" for part in confirmation.walk())
    person.goto(link_in(confirmation, r"/training/b/[\w-]+/cancel/"))
    person.get_by_role("button", name="Yes, cancel my booking").click()
    person.get_by_text("Cancelled").first.wait_for()

    offer = messages_to(mail_dir, "ben.marsh@example.org")[-1]
    person.goto(link_in(offer, r"/training/b/[\w-]+/accept/"))
    person.get_by_role("button", name="Yes, accept the place").click()
    person.get_by_text("Confirmed").first.wait_for()

    coordinator.goto(session_page)
    coordinator.get_by_role("link", name="Attendance register").click()
    register = coordinator.get_by_role("group", name="Attendance of Ben Marsh")
    register.get_by_label("Attended").check()
    coordinator.get_by_role("button", name="Save the register").click()
    coordinator.get_by_text("1 newly attended person was sent the feedback link").wait_for()

    request = messages_to(mail_dir, "ben.marsh@example.org")[-1]
    person.goto(link_in(request, r"/training/b/[\w-]+/feedback/"))
    person.get_by_text("Your feedback on the session has not been received yet.").wait_for()
    assert person.get_by_role("link", name=re.compile("Download your certificate")).count() == 0
    person.get_by_role("group", name=re.compile("Before the session")).get_by_label("2").check()
    person.get_by_role("group", name="And now, after the session?").get_by_label(
        "5 — very confident"
    ).check()
    person.get_by_label("What was most useful to you?").fill("The case studies")
    person.get_by_role("button", name="Send my feedback").click()
    certificate = person.get_by_role("link", name="Download your certificate (PDF)")
    certificate.wait_for()
    pdf = person.request.get(url.rstrip("/") + certificate.get_attribute("href"))
    assert pdf.headers["content-type"] == "application/pdf"
    assert pdf.body().startswith(b"%PDF")


@pytest.mark.parametrize("path", ["training/", "book"])
def test_public_training_pages_pass_axe(page, training_app, path):
    url, _, _ = training_app
    page.goto(f"{url}training/")
    if path == "book":
        page.get_by_role("link", name=re.compile("^Book")).first.click()
        page.get_by_role("button", name=re.compile("Book my place|Join the waitlist")).wait_for()
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()
