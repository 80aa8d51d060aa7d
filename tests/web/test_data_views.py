"""The Data section: uploading a file and following its import, the summary, rejected rows
and their download, the import history, and who may open any of it."""

import dataclasses
import json
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from observatory.lake.pipelines import import_geography
from observatory.web.accounts.roles import Role
from observatory.web.data import jobs, services
from observatory.web.data.models import ImportJob, ImportRecord

# One small area around central Birmingham, in WGS84.
AREAS_GEOJSON = {
    "type": "FeatureCollection",
    "features": [
        {
            "type": "Feature",
            "properties": {
                "LSOA21CD": "E01000001",
                "LSOA21NM": "Birmingham 001A",
                "WD22CD": "E05000001",
                "WD22NM": "Ladywood",
                "LAD22CD": "E08000025",
                "LAD22NM": "Birmingham",
            },
            "geometry": {
                "type": "Polygon",
                "coordinates": [
                    [[-1.95, 52.45], [-1.85, 52.45], [-1.85, 52.52], [-1.95, 52.52], [-1.95, 52.45]]
                ],
            },
        }
    ],
}
STREET_HEADER = (
    "Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,"
    "Crime type,Last outcome category,Context"
)
WMP = "West Midlands Police,West Midlands Police"
# Six rows: three good, a bad month, an unknown crime type and a point outside the region.
STREET_CSV = "\n".join(
    [
        STREET_HEADER,
        f"c1,2025-07,{WMP},-1.90,52.48,On or near A,E01000001,B 001A,Burglary,Under investigation,",
        f"c2,2025-07,{WMP},-1.91,52.47,On or near B,E01000001,B 001A,Robbery,Under investigation,",
        f",2025-07,{WMP},-1.92,52.46,On or near C,E01000001,B 001A,Anti-social behaviour,,",
        f"c4,2025-13,{WMP},-1.90,52.48,On or near D,E01000001,B 001A,Burglary,Under investigation,",
        f"c5,2025-07,{WMP},-1.90,52.48,On or near E,E01000001,B 001A,Alien abduction,,",
        f"c6,2025-07,{WMP},-1.50,52.48,On or near F,E01000001,B 001A,Burglary,,",
    ]
)

DATA_ROLES = {Role.VRP_ADMIN, Role.ANALYST}


def write_areas(path):
    path.write_text(json.dumps(AREAS_GEOJSON))
    return path


@pytest.fixture
def data_dir(tmp_path, settings):
    """A fresh data dir (and so a fresh lake) for the web app, for this test only."""
    settings.CONFIG = dataclasses.replace(settings.CONFIG, data_dir=tmp_path)
    return tmp_path


@pytest.fixture
def geography(data_dir, tmp_path_factory):
    areas = write_areas(tmp_path_factory.mktemp("areas") / "areas.geojson")
    results = list(
        import_geography(areas, None, None, services.lake(), services.context(), who="test")
    )
    assert results[0].accepted == 1
    return data_dir


@pytest.fixture(autouse=True)
def no_live_jobs(monkeypatch):
    """This process's set of live jobs, empty for each test (ids repeat between tests)."""
    monkeypatch.setattr(jobs, "_live", set())


@pytest.fixture
def inline_jobs(monkeypatch):
    """Run each submitted job at once, in the test's thread and database transaction."""
    monkeypatch.setattr(jobs, "submit", lambda job: jobs.run_job(job.pk))


@pytest.fixture
def analyst(partnership, login):
    return login(partnership["users"][Role.ANALYST])


def upload(client, content=STREET_CSV, name="street.csv", kind="police", **extra):
    data = {"kind": kind, "file": SimpleUploadedFile(name, content.encode()), **extra}
    return client.post("/data/", data)


def test_an_uploaded_police_file_is_imported_and_summarised(geography, inline_jobs, analyst):
    response = upload(analyst)
    job = ImportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/data/jobs/{job.pk}/"
    assert job.status == ImportJob.Status.DONE, job.error
    assert (job.who_name, job.kind, job.file_name) == ("analyst", "police", "street.csv")
    summary = job.result
    assert (summary["read"], summary["accepted"], summary["rejected"]) == (6, 3, 3)
    assert summary["duplicates"] == 0
    page = analyst.get(response["Location"]).content.decode()
    assert 'aria-live="polite"' in page
    assert "hx-trigger" not in page  # finished: no more polling
    assert '<th scope="row">Accepted</th><td>3</td>' in page
    assert f'href="/data/imports/{job.import_id}/rejections/"' in page


def test_the_upload_is_deleted_after_the_import(geography, inline_jobs, analyst):
    upload(analyst)
    job = ImportJob.objects.get()
    assert not services.upload_folder(job.pk).exists()
    assert ImportRecord.objects.filter(pk=job.import_id).exists()


def test_a_repeated_upload_is_all_duplicates_and_says_so(geography, inline_jobs, analyst):
    upload(analyst)
    upload(analyst)
    second = ImportJob.objects.first()
    assert second.result["duplicates"] == 3
    page = analyst.get(f"/data/jobs/{second.pk}/").content.decode()
    assert "imported before" in page


def test_rejected_rows_are_listed_with_reasons_and_only_safe_columns(
    geography, inline_jobs, analyst
):
    upload(analyst)
    job = ImportJob.objects.get()
    page = analyst.get(f"/data/imports/{job.import_id}/rejections/").content.decode()
    assert "<caption>Rejected rows" in page
    assert "&#x27;2025-13&#x27; is not a month" in page
    assert "Alien abduction" in page
    assert "outside" in page
    for identifier in ("c4", "c5", "c6", "On or near"):
        assert f">{identifier}<" not in page and identifier not in page.split("<table>")[1]


def test_rejected_rows_download_as_csv(geography, inline_jobs, analyst):
    upload(analyst)
    job = ImportJob.objects.get()
    response = analyst.get(f"/data/imports/{job.import_id}/rejections.csv")
    assert response.status_code == 200
    assert 'filename="rejected-rows-street.csv"' in response["Content-Disposition"]
    lines = b"".join(response.streaming_content).decode().splitlines()
    assert lines[0].startswith("row,reason")
    assert [line.split(",")[0] for line in lines[1:]] == ["4", "5", "6"]


def test_rejections_are_paged(geography, inline_jobs, analyst, monkeypatch):
    from observatory.web.data import views

    monkeypatch.setattr(views, "REJECTIONS_PAGE_SIZE", 2)
    upload(analyst)
    import_id = ImportJob.objects.get().import_id
    first = analyst.get(f"/data/imports/{import_id}/rejections/").content.decode()
    second = analyst.get(f"/data/imports/{import_id}/rejections/?page=2").content.decode()
    assert "Page 1 of 2" in first and 'rel="next"' in first
    assert "<td>6</td>" in second and "<td>4</td>" not in second


def test_a_rejections_file_outside_the_lake_is_never_served(data_dir, analyst):
    (data_dir / "secrets").mkdir(exist_ok=True)
    (data_dir / "secrets" / "leak.csv").write_text("row,reason\n1,secret\n")
    ImportRecord.objects.create(id="x", rejected=1, rejections="../secrets/leak.csv")
    services.lake().root.mkdir(parents=True, exist_ok=True)
    for path in ("/data/imports/x/rejections/", "/data/imports/x/rejections.csv"):
        assert analyst.get(path).status_code == 404
    assert analyst.get("/data/imports/nope/rejections/").status_code == 404


def test_an_import_without_geography_fails_with_a_reason(data_dir, inline_jobs, analyst):
    upload(analyst)
    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.FAILED
    assert "geography" in job.error
    page = analyst.get(f"/data/jobs/{job.pk}/").content.decode()
    assert "was not imported" in page and "geography" in page


def test_an_unexpected_error_fails_the_job_without_quoting_it(
    geography, inline_jobs, analyst, monkeypatch, caplog
):
    def explode(*args):
        raise RuntimeError("row 3: Alice Smith, 34")

    monkeypatch.setattr(jobs, "_run", explode)
    upload(analyst)
    job = ImportJob.objects.get()
    assert (job.status, job.error) == (ImportJob.Status.FAILED, jobs.UNEXPECTED)
    assert not services.upload_folder(job.pk).exists()
    assert job.pk not in jobs._live
    assert "RuntimeError" in caplog.text and "Alice" not in caplog.text


def test_an_unusable_file_fails_naming_its_problem(geography, inline_jobs, analyst):
    upload(analyst, content="name,age\nAlice,34\n", name="people.csv")
    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.FAILED
    assert job.error.startswith("people.csv ")
    assert "Alice" not in job.error
    assert len(services.lake().imports()) == 1  # only the geography


def test_uploaded_file_names_cannot_leave_the_upload_folder(geography, inline_jobs, analyst):
    upload(analyst, name="../../evil name.csv")
    job = ImportJob.objects.get()
    assert job.file_name == "evil_name.csv"
    assert job.status == ImportJob.Status.DONE
    assert not (geography / "evil name.csv").exists()
    assert not (geography.parent / "evil name.csv").exists()


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("street.csv", "street.csv"),
        ("C:\\Users\\me\\2025-07 street.csv", "2025-07_street.csv"),
        ("../..", "upload.csv"),
        (".hidden.csv", "hidden.csv"),
        ("x" * 300 + ".csv", "x" * 116 + ".csv"),
    ],
)
def test_safe_file_names(name, expected):
    assert services.safe_file_name(name) == expected


def test_a_mapping_file_is_only_for_istv(data_dir, analyst):
    mapping = SimpleUploadedFile("mapping.csv", b"ours,theirs\n")
    response = upload(analyst, mapping=mapping)
    assert response.status_code == 400
    assert "only with an ISTV extract" in response.content.decode()
    assert not ImportJob.objects.exists()


def test_the_form_labels_every_field(data_dir, analyst):
    page = analyst.get("/data/").content.decode()
    for field in ("kind", "file", "mapping"):
        assert f'<label for="id_{field}">' in page
    assert 'enctype="multipart/form-data"' in page
    assert "geography" in page  # says where geography is imported


def test_a_running_job_is_polled_until_done(data_dir, partnership, analyst):
    job = jobs.create(who_name="analyst", kind="police", file_name="street.csv")
    fragment = analyst.get(f"/data/jobs/{job.pk}/status/").content.decode()
    assert f'hx-get="/data/jobs/{job.pk}/status/"' in fragment
    assert 'hx-trigger="every 1s"' in fragment
    ImportJob.objects.filter(pk=job.pk).update(status="running", progress="1,000 rows read")
    assert "1,000 rows read" in analyst.get(f"/data/jobs/{job.pk}/status/").content.decode()
    ImportJob.objects.filter(pk=job.pk).update(status="failed", error="no")
    assert "hx-trigger" not in analyst.get(f"/data/jobs/{job.pk}/status/").content.decode()


def test_jobs_of_a_stopped_server_are_marked_failed(data_dir, partnership, analyst):
    dead = ImportJob.objects.create(
        who_name="a", kind="police", file_name="a.csv", status="running", owner=""
    )
    earlier_self = ImportJob.objects.create(
        who_name="a", kind="police", file_name="b.csv", status="queued", owner=_owner(None)
    )
    elsewhere = ImportJob.objects.create(
        who_name="a", kind="police", file_name="c.csv", status="running", owner="far:1:x"
    )
    live = jobs.create(who_name="a", kind="police", file_name="d.csv")
    analyst.get("/data/")
    statuses = dict(ImportJob.objects.values_list("pk", "status"))
    assert statuses[dead.pk] == statuses[earlier_self.pk] == "failed"
    assert statuses[elsewhere.pk] == "running"
    assert statuses[live.pk] == "queued"
    assert ImportJob.objects.get(pk=dead.pk).error == jobs.STOPPED


def _owner(pid):
    import os

    return f"{jobs.HOST}:{pid or os.getpid()}:an-earlier-process"


@pytest.mark.django_db(transaction=True)
def test_imports_run_in_a_background_thread(geography, partnership, login):
    """The real worker thread, with its own database connection."""
    import time

    client = login(partnership["users"][Role.VRP_ADMIN])
    upload(client)
    # Wait on the worker, not on the database: SQLite's in-memory test database is shared
    # between threads with table locks, and a query could collide with the worker's write.
    deadline = time.monotonic() + 60
    while jobs._live and time.monotonic() < deadline:
        time.sleep(0.1)
    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.DONE, job.error
    assert job.who_name == "admin"
    assert ImportRecord.objects.filter(pk=job.import_id, who="admin").exists()


def test_history_mirrors_the_lake_log_newest_first(geography, inline_jobs, analyst):
    upload(analyst)
    page = analyst.get("/data/history/").content.decode()
    assert page.index("street.csv") < page.index("areas.geojson")
    assert "<caption>Every import into the lake" in page
    record = ImportRecord.objects.get(file__endswith="street.csv")
    assert (record.read, record.accepted, record.rejected, record.who) == (6, 3, 3, "analyst")
    assert record.rejections.startswith("rejections/")
    assert record.when is not None


def test_history_forgets_imports_the_lake_no_longer_holds(data_dir, analyst):
    ImportRecord.objects.create(id="gone", file="old.csv")
    page = analyst.get("/data/history/").content.decode()
    assert "old.csv" not in page
    assert "Nothing has been imported yet" in page
    assert not ImportRecord.objects.exists()


def test_history_is_paged(data_dir, analyst, monkeypatch):
    from observatory.web.data import views

    monkeypatch.setattr(views, "HISTORY_PAGE_SIZE", 1)
    monkeypatch.setattr(
        services,
        "sync_import_history",
        lambda: 0,
    )
    ImportRecord.objects.create(id="a", file="a.csv")
    ImportRecord.objects.create(id="b", file="b.csv")
    page = analyst.get("/data/history/?page=2").content.decode()
    assert "Page 2 of 2" in page


# --- who may open what -------------------------------------------------------------


@pytest.fixture
def finished_import(geography, inline_jobs, partnership, login):
    upload(login(partnership["users"][Role.ANALYST]))
    return ImportJob.objects.get()


def get(client, path):
    """GET `path`, reading a streamed file to its end (so that the file is closed)."""
    response = client.get(path)
    if response.streaming:
        b"".join(response.streaming_content)
    return response


def data_pages(job):
    return [
        "/data/",
        f"/data/jobs/{job.pk}/",
        f"/data/jobs/{job.pk}/status/",
        "/data/history/",
        f"/data/imports/{job.import_id}/rejections/",
        f"/data/imports/{job.import_id}/rejections.csv",
    ]


@pytest.mark.parametrize("role", list(Role))
def test_data_pages_open_for_analysts_and_admins_only(finished_import, partnership, login, role):
    client = login(partnership["users"][role])
    expected = 200 if role in DATA_ROLES else 403
    for path in data_pages(finished_import):
        response = get(client, path)
        assert response.status_code == expected, path


@pytest.mark.parametrize("role", sorted(set(Role) - DATA_ROLES))
def test_other_roles_cannot_upload(data_dir, partnership, login, role, inline_jobs):
    response = upload(login(partnership["users"][role]))
    assert response.status_code == 403
    assert not ImportJob.objects.exists()


def test_anonymous_visitors_are_asked_to_log_in(finished_import, client):
    client.logout()
    for path in data_pages(finished_import):
        response = get(client, path)
        assert response.status_code == 302, path
        assert response["Location"].startswith("/accounts/login/?next=")
    assert upload(client).status_code == 302
    assert ImportJob.objects.count() == 1


def test_an_istv_extract_comes_in_with_its_mapping_file(geography, inline_jobs, analyst):
    fixtures = Path(__file__).parents[1] / "sources" / "fixtures" / "istv"
    extract = fixtures / "eastfield_ed_march_2024.csv"
    mapping = fixtures / "eastfield_ed.toml"
    upload(
        analyst,
        content=extract.read_text(),
        name=extract.name,
        kind="istv",
        mapping=SimpleUploadedFile(mapping.name, mapping.read_bytes()),
    )
    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.DONE, job.error
    assert job.mapping_name == "eastfield_ed.toml"
    assert job.result["source"] == "istv"
    assert job.result["read"] == len(extract.read_text().splitlines()) - 1
    assert not services.upload_folder(job.pk).exists()
