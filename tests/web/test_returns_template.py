"""Return templates: download pre-filled, upload back unchanged or edited, and every way an
upload is refused with one sentence and nothing saved; access at every view."""

import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from observatory.web.accounts.roles import Role
from observatory.web.programmes import returns, services, tabular_returns
from observatory.web.programmes.models import Outcome, QuarterlyReturn
from observatory.web.programmes.quarters import Quarter
from tests.web.test_programmes import programme_data

Q2 = Quarter(datetime.date(2025, 7, 1))
Q3 = Quarter(datetime.date(2025, 10, 1))


@pytest.fixture
def programmes(partnership):
    admin = partnership["users"][Role.VRP_ADMIN]
    orgs = partnership["organisations"]
    own = services.create_programme(programme_data(orgs["charity"]), admin)
    other = services.create_programme(
        programme_data(orgs["other_charity"], name="Coventry mentoring"), admin
    )
    return {"own": own, "other": other}


def sample_figures() -> returns.Figures:
    outcome = Outcome.objects.filter(active=True).first()
    return returns.Figures(
        participants_new=30,
        participants_continuing=12,
        sessions_delivered=24,
        hours_delivered=Decimal("48.5"),
        professionals_trained=3,
        referrals_onward=5,
        reach_explanation="",
        case_study="A young person, “J”, joined in July; now a volunteer coach.\nSecond line.",
        breakdowns={
            "age_band": {"10-14": 20, "15-17": 22},
            "sex": {"female": 18, "male": 24},
            "ethnicity": {"white": 20, "black": 10, "asian": 12},
            "local_authority": {"E08000030": 40, "not_known": 2},
            "referral_source": {"school": 15, "self": 9},
        },
        outcomes={outcome.name: 7},
    )


def url(name, programme, quarter=Q2):
    return reverse(name, args=[programme.pk, quarter.start.isoformat()])


def upload(client, programme, name, content, quarter=Q2):
    return client.post(
        url("returns-upload", programme, quarter),
        {"file": SimpleUploadedFile(name, content)},
    )


def csv_rows(content: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def edited_csv(content: bytes, values: dict[str, str]) -> bytes:
    """The CSV with the Value of the rows whose Code is in `values` replaced."""
    table = csv_rows(content)
    for row in table[1:]:
        if row[1] in values:
            row[3] = values[row[1]]
    out = io.StringIO()
    csv.writer(out).writerows(table)
    return out.getvalue().encode("utf-8")


def stored(programme, quarter=Q2):
    found = QuarterlyReturn.objects.filter(programme=programme, quarter_start=quarter.start)
    return found.first()


def form_error(response) -> str:
    return " ".join(response.context["form"].errors["file"])


# Download


def test_a_new_returns_template_is_zeros_with_every_category(client, partnership, programmes):
    client.force_login(partnership["users"][Role.PROVIDER])
    response = client.get(url("returns-template-csv", programmes["own"]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response.content.startswith(b"\xef\xbb\xbf")  # Excel opens UTF-8 correctly
    table = csv_rows(response.content)
    assert table[0] == ["Section", "Code", "Item", "Value"]
    values = {row[1]: row[3] for row in table[1:]}
    assert values["programme_id"] == str(programmes["own"].pk)
    assert values["quarter"] == "2025-26 Q2"
    assert values["provider"] == "Walsall Street Sport"
    assert values["participants_new"] == "0"
    for code in ["age_band:0-9", "age_band:25+", "sex:not_known", "ethnicity:mixed",
                 "local_authority:E08000025", "local_authority:outside_region",
                 "referral_source:ed"]:  # fmt: skip
        assert values[code] == "0"
    for outcome in Outcome.objects.filter(active=True):
        assert values[f"outcome:{outcome.pk}"] == "0"
    assert values["case_study"] == ""


def test_the_template_is_pre_filled_with_the_current_figures(client, partnership, programmes):
    returns.save_draft(programmes["own"], Q2, sample_figures(), partnership["users"][Role.PROVIDER])
    client.force_login(partnership["users"][Role.PROVIDER])
    values = {
        row[1]: row[3]
        for row in csv_rows(client.get(url("returns-template-csv", programmes["own"])).content)
    }
    assert values["participants_new"] == "30"
    assert values["hours_delivered"] == "48.5"
    assert values["age_band:15-17"] == "22"
    assert values["case_study"].startswith("A young person, “J”")


def test_the_excel_template_locks_all_but_the_values_and_validates_numbers(
    client, partnership, programmes
):
    from openpyxl import load_workbook

    client.force_login(partnership["users"][Role.PROVIDER])
    response = client.get(url("returns-template-xlsx", programmes["own"]))
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith(
        f'return-{programmes["own"].pk}-2025-26-q2.xlsx"'
    )
    book = load_workbook(io.BytesIO(response.content))
    sheet = book["Return"]
    assert book.sheetnames == ["Return", "Instructions"]
    assert sheet.protection.sheet
    codes = {sheet.cell(row=n, column=2).value: n for n in range(2, sheet.max_row + 1)}
    participants = codes["participants_new"]
    assert sheet.cell(row=participants, column=4).protection.locked is False
    assert sheet.cell(row=participants, column=3).protection.locked is True
    assert sheet.cell(row=codes["programme_id"], column=4).protection.locked is True
    validations = {dv.type: str(dv.sqref) for dv in sheet.data_validations.dataValidation}
    assert f"D{participants}" in validations["whole"].split()
    assert f"D{codes['hours_delivered']}" in validations["decimal"].split()


# Round trips


@pytest.mark.parametrize("extension", ["csv", "xlsx"])
def test_download_then_upload_unchanged_gives_the_same_figures(
    client, partnership, programmes, extension
):
    provider = partnership["users"][Role.PROVIDER]
    returns.save_draft(programmes["own"], Q2, sample_figures(), provider)
    before = returns.figures_of(stored(programmes["own"]))
    client.force_login(provider)
    content = client.get(url(f"returns-template-{extension}", programmes["own"])).content
    response = upload(client, programmes["own"], f"mine.{extension}", content)
    assert response.status_code == 302
    assert response["Location"] == url("returns-edit", programmes["own"])
    assert returns.figures_of(stored(programmes["own"])) == before
    shown = [str(m) for m in get_messages(response.wsgi_request)]
    assert shown[0].startswith(f"Read mine.{extension} and saved it as a draft: 42 participants")


def test_an_edited_upload_is_saved_as_a_draft_with_its_check_problems(
    client, partnership, programmes
):
    client.force_login(partnership["users"][Role.PROVIDER])
    content = client.get(url("returns-template-csv", programmes["own"])).content
    edited = edited_csv(
        content,
        {
            "participants_new": "10",
            "age_band:15-17": "10",
            "hours_delivered": "1,200.5",
            "case_study": "Went well",
        },
    )
    response = upload(client, programmes["own"], "edited.csv", edited)
    assert response.status_code == 302
    saved = returns.figures_of(stored(programmes["own"]))
    assert saved.participants_new == 10
    assert saved.breakdowns == {"age_band": {"15-17": 10}}
    assert saved.hours_delivered == Decimal("1200.5")
    assert saved.case_study == "Went well"
    assert stored(programmes["own"]).status == QuarterlyReturn.Status.DRAFT
    shown = [str(m) for m in get_messages(response.wsgi_request)]
    assert any("Participants by sex add up to 0, but 10" in message for message in shown)


@pytest.mark.parametrize(
    "encode",
    [
        lambda text: text.encode("utf-8"),
        lambda text: text.encode("utf-8-sig"),
        lambda text: text.replace(",", ";").encode("cp1252", errors="replace"),
    ],
    ids=["utf-8", "utf-8 with BOM", "Excel semicolons in Windows encoding"],
)
def test_csv_is_read_in_the_ways_spreadsheets_save_it(partnership, programmes, encode):
    rows = tabular_returns.rows(programmes["own"], Q2, returns.Figures(participants_new=4))
    text = "Section,Code,Item,Value\r\n" + "".join(
        f"{row.section.replace(',', '')},{row.code},{row.item.replace(',', '')},{row.value}\r\n"
        for row in rows
    )
    figures = tabular_returns.read_template("x.csv", encode(text), programmes["own"], Q2)
    assert figures.participants_new == 4


# Refused uploads: one sentence, nothing saved


def test_a_template_for_another_quarter_is_refused_naming_both(client, partnership, programmes):
    client.force_login(partnership["users"][Role.PROVIDER])
    content = client.get(url("returns-template-csv", programmes["own"], Q2)).content
    response = upload(client, programmes["own"], "q2.csv", content, quarter=Q3)
    assert response.status_code == 400
    assert form_error(response).startswith(
        "This template is for Street sport nights, 2025-26 Q2; you are uploading to 2025-26 Q3."
    )
    page = response.content.decode()
    assert "nothing was saved" in page
    assert 'aria-describedby="id_file_helptext id_file_error"' in page
    assert '<p class="field-error" id="id_file_error">This template is for' in page
    assert not QuarterlyReturn.objects.exists()


def test_a_template_for_another_programme_is_refused_naming_both(client, partnership, programmes):
    client.force_login(partnership["users"][Role.VRP_ADMIN])
    content = client.get(url("returns-template-xlsx", programmes["other"], Q3)).content
    response = upload(client, programmes["own"], "other.xlsx", content)
    assert response.status_code == 400
    assert form_error(response).startswith(
        "This template is for Coventry mentoring, 2025-26 Q3; you are uploading to "
        "Street sport nights, 2025-26 Q2."
    )
    assert not QuarterlyReturn.objects.exists()


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("figures.pdf", b"%PDF-1.4", "This is not a CSV or Excel (.xlsx) file"),
        ("figures.xls", b"\xd0\xcf\x11\xe0", "old Excel (.xls) file"),
        ("figures.xlsx", b"not a zip", "not a valid Excel (.xlsx) workbook"),
        ("figures.csv", b"just,some\ntext,here\n", "no header row with Code and Value"),
        ("figures.csv", b"Section,Code,Item,Value\n", "lacks the rows that say which programme"),
    ],
)
def test_a_file_that_is_not_the_template_is_refused(
    client, partnership, programmes, name, content, expected
):
    client.force_login(partnership["users"][Role.PROVIDER])
    response = upload(client, programmes["own"], name, content)
    assert response.status_code == 400
    assert expected in form_error(response)
    assert not QuarterlyReturn.objects.exists()


@pytest.mark.parametrize(
    ("code", "value", "expected"),
    [
        ("participants_new", "twelve", "(Headline figures: New participants): “twelve” is not"),
        ("age_band:15-17", "-3", "(Participants by age band: 15 to 17): -3 is negative"),
        ("sessions_delivered", "2.5", "(Headline figures: Sessions delivered): 2.5 is not a whole"),
        ("hours_delivered", "2.25", "2.25 has more than one decimal place"),
        ("sex:female", "5000000", "5000000 is more than 1,000,000"),
    ],
)
def test_bad_numbers_are_refused_naming_the_row_and_item(
    client, partnership, programmes, code, value, expected
):
    client.force_login(partnership["users"][Role.PROVIDER])
    content = client.get(url("returns-template-csv", programmes["own"])).content
    response = upload(client, programmes["own"], "bad.csv", edited_csv(content, {code: value}))
    assert response.status_code == 400
    assert form_error(response).startswith("Row ")
    assert expected in form_error(response)
    assert not QuarterlyReturn.objects.exists()


def test_missing_rows_are_refused_and_named(client, partnership, programmes):
    client.force_login(partnership["users"][Role.PROVIDER])
    content = client.get(url("returns-template-csv", programmes["own"])).content
    table = [row for row in csv_rows(content) if not row[1].startswith("ethnicity:")]
    out = io.StringIO()
    csv.writer(out).writerows(table)
    response = upload(client, programmes["own"], "short.csv", out.getvalue().encode())
    assert response.status_code == 400
    assert form_error(response).startswith("The file lacks 6 rows of the template (")
    assert "Participants by ethnic group: White" in form_error(response)


def test_a_submitted_return_is_not_changed_by_an_upload(client, partnership, programmes):
    provider = partnership["users"][Role.PROVIDER]
    saved = returns.save_draft(programmes["own"], Q2, sample_figures(), provider)
    returns.submit(saved, provider)
    client.force_login(provider)
    assert (
        "can no longer be changed"
        in client.get(url("returns-upload", programmes["own"])).content.decode()
    )
    content = client.get(url("returns-template-csv", programmes["own"])).content
    response = upload(client, programmes["own"], "late.csv", edited_csv(content, {"sex:male": "1"}))
    assert response.status_code == 400
    assert "submitted and can no longer be changed" in form_error(response)
    assert returns.figures_of(stored(programmes["own"])) == sample_figures()


# Access at every view


VIEWS = ["returns-template-csv", "returns-template-xlsx", "returns-upload"]


@pytest.mark.parametrize("view", VIEWS)
@pytest.mark.parametrize(
    ("role", "expected"),
    [
        (Role.VRP_ADMIN, 200),
        (Role.PROVIDER, 200),
        (Role.ANALYST, 403),
        (Role.PARTNER, 403),
        (Role.COORDINATOR, 403),
    ],
)
def test_only_the_provider_and_leads_reach_a_programmes_templates(
    client, partnership, programmes, view, role, expected
):
    client.force_login(partnership["users"][role])
    assert client.get(url(view, programmes["own"])).status_code == expected


@pytest.mark.parametrize("view", VIEWS)
def test_a_provider_guessing_another_programme_or_a_bad_quarter_gets_404(
    client, partnership, programmes, view
):
    client.force_login(partnership["users"][Role.PROVIDER])
    assert client.get(url(view, programmes["other"])).status_code == 404
    assert client.get(reverse(view, args=[999999, "2025-07-01"])).status_code == 404
    for quarter in ["2025-08-01", "2025-13-01", "Q2"]:
        assert client.get(reverse(view, args=[programmes["own"].pk, quarter])).status_code == 404


def test_a_provider_cannot_upload_to_another_programme(client, partnership, programmes):
    client.force_login(partnership["users"][Role.VRP_ADMIN])
    content = client.get(url("returns-template-csv", programmes["other"])).content
    client.force_login(partnership["users"][Role.PROVIDER])
    assert upload(client, programmes["other"], "x.csv", content).status_code == 404
    assert not QuarterlyReturn.objects.exists()


@pytest.mark.parametrize("view", VIEWS)
def test_templates_need_a_login(client, programmes, view):
    response = client.get(url(view, programmes["own"]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
