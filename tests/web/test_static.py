"""Front-end libraries come from installed packages, never from a CDN."""

from pathlib import Path

from django.contrib.staticfiles import finders


def test_plotly_and_htmx_are_found_in_installed_packages():
    plotly = finders.find("vendor/plotly.min.js")
    htmx = finders.find("django_htmx/htmx-2.min.js")
    assert plotly and Path(plotly).stat().st_size > 1_000_000
    assert htmx and Path(htmx).is_file()


def test_collectstatic_lists_the_vendor_files():
    listed = {path for finder in finders.get_finders() for path, _ in finder.list([])}
    assert "plotly.min.js" in listed or "vendor/plotly.min.js" in listed


def test_pages_load_nothing_from_other_hosts(client, db):
    page = client.get("/accounts/login/").content.decode()
    assert "http://" not in page and "https://" not in page
