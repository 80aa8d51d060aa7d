"""End to end in headless Chromium: an analyst uploads a police.uk file, watches it import,
reads the summary, opens the rejected rows, and the pages pass the axe-core checks."""

import json

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.support.cli import cli_env, run_cli, running_server
from tests.support.postgres import free_port
from tests.web.test_data_views import AREAS_GEOJSON, STREET_CSV

pytestmark = [pytest.mark.browser, pytest.mark.database]

PASSWORD = "a-long-Test-passphrase-42"


@pytest.fixture(scope="module")
def data_app(tmp_path_factory, request):
    """`observatory serve` over a data dir holding one small area, with the demo analyst;
    yields the server's URL."""
    cluster = None
    if request.config.getoption("--db") == "postgres":
        cluster = request.getfixturevalue("postgres_cluster")
    database_url = cluster.create_database("e2e_data") if cluster else None
    data_dir = tmp_path_factory.mktemp("data-app")
    env = cli_env(data_dir, database_url)
    areas = data_dir / "areas.geojson"
    areas.write_text(json.dumps(AREAS_GEOJSON))
    team = "West Midlands VRP core team"
    analyst = ["createuser", "demo-analyst", "--role", "analyst", "--password-stdin"]
    for args, stdin in [
        (["import", "geography", "--areas", str(areas)], None),
        (["migrate"], None),
        (["organisations", "add", team, "--kind", "vrp_core"], None),
        ([*analyst, "--organisation", team], PASSWORD + "\n"),
    ]:
        result = run_cli(*args, env=env, stdin=stdin)
        assert result.returncode == 0, result.stderr
    with running_server("serve", "--port", str(free_port()), env=env) as server:
        yield server.url
    if cluster:
        cluster.drop_database("e2e_data")


def test_upload_a_police_file_and_read_its_rejected_rows(page, data_app, tmp_path):
    street = tmp_path / "street.csv"
    street.write_text(STREET_CSV)
    page.goto(f"{data_app}accounts/login/?next=/data/")
    page.get_by_label("Username").fill("demo-analyst")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("heading", name="Import a file").wait_for()
    assert Axe().run(page).violations_count == 0

    page.get_by_label("What the file holds").select_option("police")
    page.get_by_label("File to import").set_input_files(street)
    page.get_by_role("button", name="Upload and import").click()
    page.get_by_role("heading", name="Import of street.csv").wait_for()
    status = page.locator("[aria-live=polite]")
    status.get_by_role("heading", name="Done").wait_for(timeout=60_000)
    summary = status.get_by_role("table")
    assert summary.get_by_role("row", name="Accepted 3").is_visible()
    assert summary.get_by_role("row", name="Rejected 3").is_visible()
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()

    page.get_by_role("link", name="See the 3 rejected rows and their reasons").click()
    page.get_by_role("heading", name="Rejected rows of street.csv").wait_for()
    rows = page.get_by_role("table", name="Rejected rows").get_by_role("row")
    assert rows.count() == 4  # the header and three rows
    assert "is not a month written YYYY-MM" in rows.nth(1).inner_text()
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()

    with page.expect_download() as download:
        page.get_by_role("link", name="Download the rejected rows (CSV)").click()
    assert download.value.suggested_filename == "rejected-rows-street.csv"

    page.get_by_role("link", name="Import history").click()
    history = page.get_by_role("table", name="Every import into the lake, newest first")
    assert "street.csv" in history.get_by_role("row").nth(1).inner_text()
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()

    page.get_by_role("link", name="Venue review").click()
    page.get_by_text("Nothing is waiting for review").wait_for()
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()
