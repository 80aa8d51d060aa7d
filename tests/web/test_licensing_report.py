"""The licensing report at /reports/licensing/: premises ranked as the analysis ranks them,
every table stating its source and period, profiles that add up to the ranking, the same
report as a PDF, accessible tables, partners only, and a sentence for a bad parameter.

One small demo region (3 months, scale 0.3) is generated, imported and matched once for the
module, as tests/analysis/test_demo_truth.py does, and the web app is pointed at it."""

from __future__ import annotations

import dataclasses
import re
import zlib
from html.parser import HTMLParser

import polars as pl
import pytest

from observatory.analysis.engine import Engine
from observatory.analysis.indicators import Filters
from observatory.analysis.premises import premises_assaults
from observatory.lake.store import Lake
from observatory.web.accounts.roles import Role
from observatory.web.dashboards.licensing import RANKED_ROWS, SOURCE

REPORT, PDF = "/reports/licensing/", "/reports/licensing/report.pdf"
PERIOD = {"from": "2025-10", "to": "2025-12"}


@pytest.fixture
def engine(lake):
    """The analysis engine over the web tests' demo lake, which the app reads too."""
    return Engine.for_lake(Lake.in_data_dir(lake))


@pytest.fixture
def partner(partnership, login):
    return login(partnership["users"][Role.PARTNER])


def ranked(engine, la: str | None, start="2025-10", end="2025-12") -> pl.DataFrame:
    """The analysis' ranking: the premises with a linked assault, in its order."""
    areas = {"la_code": la} if la else {}
    table = premises_assaults(engine, Filters(sources=("ed",), start=start, end=end, areas=areas))
    return table.filter(pl.col("count") > 0)


@pytest.fixture
def busiest_la(engine) -> str:
    """The local authority of the region's top premises: one with linked assaults."""
    return ranked(engine, None)["la_code"][0]


def licences_in_page(html: str) -> list[str]:
    return re.findall(r'<tr data-licence="([^"]+)">', html)


def test_the_report_ranks_premises_as_the_analysis_does(engine, partner, busiest_la):
    response = partner.get(REPORT, {"la": busiest_la, **PERIOD})
    assert response.status_code == 200
    html = response.content.decode()
    expected = ranked(engine, busiest_la)
    assert expected.height > 0
    assert licences_in_page(html) == expected["licence_number"].head(RANKED_ROWS).to_list()
    top = expected.row(0, named=True)
    assert top["premises_name"] in html and top["licence_number"] in html
    assert top["opening_hours"] in html


def test_every_table_states_its_source_and_period(engine, partner, busiest_la):
    html = partner.get(REPORT, {"la": busiest_la, **PERIOD}).content.decode()
    source = f"{SOURCE}, 2025-10 to 2025-12"
    captions = re.findall(r"<caption[^>]*>(.*?)</caption>", html, re.S)
    assert len(captions) == 5  # the ranking, then day, time, method and month
    assert all(source in caption for caption in captions)
    assert "never matched" in html  # the paragraph on how matching works and its limits


def test_the_default_is_the_region_over_the_latest_12_months(engine, partner):
    html = partner.get(REPORT).content.decode()
    assert f"{SOURCE}, 2025-01 to 2025-12" in html
    assert (
        licences_in_page(html)
        == ranked(engine, None, "2025-01", "2025-12")["licence_number"].head(RANKED_ROWS).to_list()
    )


def test_the_profiles_add_up_to_the_ranking(engine, partner, busiest_la):
    """Each breakdown's CSV: the area column sums to every linked assault in the area, and
    each top premises' column to its count in the ranking."""
    expected = ranked(engine, busiest_la)
    top = expected.head(5)
    for key in ("weekday", "time", "method", "month"):
        response = partner.get(f"/reports/licensing/{key}.csv", {"la": busiest_la, **PERIOD})
        assert response.status_code == 200
        assert response["Content-Type"].startswith("text/csv")
        table = pl.read_csv(response.content)
        counts = table.columns[1:]
        assert table[counts[0]].sum() == expected["count"].sum(), key
        assert [table[c].sum() for c in counts[1:]] == top["count"].to_list(), key


def pdf_text(data: bytes) -> str:
    """The text drawn in a PDF's pages: its content streams, inflated where compressed."""
    streams = re.findall(rb"stream\r?\n(.*?)\r?\nendstream", data, re.S)
    text = []
    for stream in streams:
        try:
            text.append(zlib.decompress(stream))
        except zlib.error:
            text.append(stream)
    drawn = b"\n".join(text).decode("latin-1")
    return re.sub(r"\\([()\\])", r"\1", drawn)


def test_the_pdf_is_the_same_report(engine, partner, busiest_la):
    response = partner.get(PDF, {"la": busiest_la, **PERIOD})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert re.search(r'filename="licensing-report-[a-z-]+-2025-10-to-2025-12\.pdf"',
                     response["Content-Disposition"])  # fmt: skip
    assert response.content.startswith(b"%PDF")
    text = pdf_text(response.content)
    assert ranked(engine, busiest_la)["premises_name"][0] in text
    assert "2025-10 to 2025-12" in text


class Tables(HTMLParser):
    """Counts tables, captions, and header cells without a scope."""

    def __init__(self):
        super().__init__()
        self.tables = self.captions = 0
        self.unscoped: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        self.tables += tag == "table"
        self.captions += tag == "caption"
        if tag == "th" and attributes.get("scope") not in ("col", "row"):
            self.unscoped.append(str(attrs))


def test_tables_have_captions_and_scoped_headers(engine, partner, busiest_la):
    html = partner.get(REPORT, {"la": busiest_la, **PERIOD}).content.decode()
    tables = Tables()
    tables.feed(html)
    assert tables.tables == tables.captions == 5
    assert tables.unscoped == []
    assert html.count("<h1") == 1 and "<h2" in html and "<h3" in html
    assert "@media print" in html  # the printout leaves navigation and the form off


@pytest.mark.parametrize(
    ("params", "sentence"),
    [
        ({"from": "2025-13"}, "is not a month written yyyy-mm"),
        ({"from": "2025-12", "to": "2025-01"}, "the period starts (2025-12) after it ends"),
        ({"la": "E99999999"}, "there is no area with code"),
    ],
)
def test_a_bad_parameter_is_a_400_with_a_sentence(engine, partner, params, sentence):
    response = partner.get(REPORT, params)
    assert response.status_code == 400
    assert sentence in response.content.decode().lower()
    pdf = partner.get(PDF, params)
    assert pdf.status_code == 400
    assert sentence in pdf.content.decode().lower()


def test_a_ward_is_not_a_local_authority(engine, partner):
    ward = engine.run(engine.table("small_areas").select("ward_code").limit(1))["ward_code"][0]
    response = partner.get(REPORT, {"la": ward})
    assert response.status_code == 400
    assert "is not a local authority" in response.content.decode()


@pytest.mark.parametrize("path", [REPORT, PDF, "/reports/licensing/weekday.csv"])
def test_providers_are_refused(engine, partnership, login, path):
    client = login(partnership["users"][Role.PROVIDER])
    assert client.get(path).status_code == 403


@pytest.mark.django_db
@pytest.mark.parametrize("path", [REPORT, PDF])
def test_anonymous_visitors_are_asked_to_log_in(client, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")


def test_an_empty_lake_says_what_is_missing(partnership, login, settings, tmp_path):
    settings.CONFIG = dataclasses.replace(settings.CONFIG, data_dir=tmp_path)
    client = login(partnership["users"][Role.PARTNER])
    response = client.get(REPORT)
    assert response.status_code == 200
    assert "the lake has no istv, premises" in response.content.decode()
    assert client.get(PDF).status_code == 400
