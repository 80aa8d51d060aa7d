"""The venue review queue: an analyst picks the premises an ED location is, or none of them;
the decision is saved in the lake and the next location comes up. ISTV and premises uploads
match locations again, so the queue is current."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from observatory.lake import venues
from observatory.lake.pipelines import import_paths
from observatory.web.accounts.roles import Role
from observatory.web.data import services
from observatory.web.data.models import ImportJob
from tests.web import test_data_views as shared

# Fixtures shared with the other Data tests.
data_dir, geography, analyst = shared.data_dir, shared.geography, shared.analyst
inline_jobs, no_live_jobs = shared.inline_jobs, shared.no_live_jobs

# Two pubs called The Crown: "the crown" cannot be told apart and waits for an analyst.
PREMISES_CSV = """\
licence_number,premises_name,address,postcode,latitude,longitude,premises_type,opening_hours
BCC/PL/0001,The Red Lion,"12 Broad Street, Birmingham",B1 2HF,52.4745,-1.9100,Pub,
BCC/PL/0003,The Crown,"1 Station Street, Birmingham",B5 4DY,52.4760,-1.9000,pub,
BCC/PL/0004,The Crown,"88 High Street, Birmingham",B6 1AA,52.4900,-1.8900,pub,
"""
ISTV_HEADER = (
    "site_code,period_start,period_end,attendance_id,arrival_datetime,assault_datetime,"
    "assault_method_code,assault_method_other,assault_location_type,"
    "assault_location_description,patient_age,patient_sex,patient_lsoa"
)
PERIOD = "RZA01,2025-07-01,2025-07-31"
ISTV_CSV = "\n".join(
    [
        ISTV_HEADER,
        f"{PERIOD},A1,2025-07-02 00:40,2025-07-01 23:15,01,,03,o/s the Red Lion,23,M,E01000001",
        f"{PERIOD},A2,2025-07-08 01:10,2025-07-07 23:00,01,,03,the crown,19,F,E01000001",
        f"{PERIOD},A3,2025-07-09 01:10,2025-07-09 00:00,01,,03,crown pub,29,F,E01000001",
    ]
)
CROWN = "RZA01|crown"


def import_text(kind, name, text, folder):
    path = folder / name
    path.write_text(text)
    lake = services.lake()
    (result,) = import_paths(kind, [path], lake, services.context(), who="test")
    assert result.accepted, result


@pytest.fixture
def queue(geography, tmp_path_factory):
    """A lake with premises and ED attendances, matched: one location waits for review."""
    folder = tmp_path_factory.mktemp("files")
    import_text("premises", "premises.csv", PREMISES_CSV, folder)
    import_text("istv", "istv.csv", ISTV_CSV, folder)
    venues.match_new_descriptions(services.lake(), who="test")
    return venues.review_queue(services.lake())


def test_the_first_location_is_offered_with_its_candidates(queue, analyst):
    assert [item["location_key"] for item in queue] == [CROWN]
    page = analyst.get("/data/venues/").content.decode()
    assert "Which premises is “crown pub”?" in page
    assert "<legend>" in page
    for licence in ("BCC/PL/0003", "BCC/PL/0004", "none"):
        assert f'value="{licence}"' in page
    assert "The Crown, 88 High Street, Birmingham (match score 100 out of 100)" in page
    assert 'name="csrfmiddlewaretoken"' in page


def test_choosing_a_premises_confirms_it_and_moves_on(queue, analyst):
    response = analyst.post(
        "/data/venues/", {"location_key": CROWN, "premises": "BCC/PL/0004"}, follow=True
    )
    page = response.content.decode()
    assert "Saved: “crown pub” is The Crown." in page
    assert "Nothing is waiting for review" in page
    (row,) = venues.read_matches(services.lake()).filter(location_key=CROWN).iter_rows(named=True)
    assert (row["status"], row["licence_number"], row["decided_by"]) == (
        "confirmed",
        "BCC/PL/0004",
        "analyst",
    )


def test_none_of_these_rejects_every_candidate(queue, analyst):
    analyst.post("/data/venues/", {"location_key": CROWN, "premises": "none"})
    (row,) = venues.read_matches(services.lake()).filter(location_key=CROWN).iter_rows(named=True)
    assert (row["status"], row["licence_number"]) == ("rejected", None)


def test_a_premises_that_is_not_a_candidate_is_refused(queue, analyst):
    response = analyst.post("/data/venues/", {"location_key": CROWN, "premises": "BCC/PL/0001"})
    assert response.status_code == 400
    assert 'role="alert"' in response.content.decode()
    assert venues.review_queue(services.lake())[0]["location_key"] == CROWN


def test_a_location_decided_already_says_so(queue, analyst):
    venues.decide(services.lake(), CROWN, None, who="someone else")
    response = analyst.post(
        "/data/venues/", {"location_key": CROWN, "premises": "BCC/PL/0003"}, follow=True
    )
    assert "decided already" in response.content.decode()
    (row,) = venues.read_matches(services.lake()).filter(location_key=CROWN).iter_rows(named=True)
    assert row["decided_by"] == "someone else"


def test_an_empty_queue_says_nothing_waits(data_dir, analyst):
    assert "Nothing is waiting for review" in analyst.get("/data/venues/").content.decode()


def test_matching_can_be_run_from_the_page(geography, analyst, tmp_path_factory):
    folder = tmp_path_factory.mktemp("files")
    import_text("premises", "premises.csv", PREMISES_CSV, folder)
    import_text("istv", "istv.csv", ISTV_CSV, folder)
    response = analyst.post("/data/venues/match/", follow=True)
    assert "Matched new location descriptions" in response.content.decode()
    assert "crown pub" in response.content.decode()


def test_an_istv_upload_matches_its_locations(geography, inline_jobs, analyst, tmp_path):
    import_text("premises", "premises.csv", PREMISES_CSV, tmp_path)
    analyst.post(
        "/data/",
        {"kind": "istv", "file": SimpleUploadedFile("istv.csv", ISTV_CSV.encode())},
    )
    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.DONE, job.error
    assert job.result["venues"]["review"] == 1
    page = analyst.get(f"/data/jobs/{job.pk}/").content.decode()
    assert "1 waiting for" in page
    assert [item["location_key"] for item in venues.review_queue(services.lake())] == [CROWN]


@pytest.mark.parametrize("role", list(Role))
def test_venue_review_is_for_analysts_and_admins_only(queue, partnership, login, role):
    client = login(partnership["users"][role])
    allowed = role in shared.DATA_ROLES
    assert client.get("/data/venues/").status_code == (200 if allowed else 403)
    if allowed:
        return
    decision = {"location_key": CROWN, "premises": "BCC/PL/0003"}
    assert client.post("/data/venues/", decision).status_code == 403
    assert client.post("/data/venues/match/").status_code == 403
    assert venues.review_queue(services.lake())[0]["location_key"] == CROWN


def test_anonymous_visitors_cannot_review(queue, client):
    for path in ("/data/venues/", "/data/venues/match/"):
        assert client.post(path, {"location_key": CROWN, "premises": "none"}).status_code == 302
    assert client.get("/data/venues/").status_code == 302
    assert venues.review_queue(services.lake())[0]["location_key"] == CROWN
