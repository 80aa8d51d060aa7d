"""The programme register: history, filters and search, provider scoping by guessed ids at
every view, CSV and Excel round trips, and import accounting."""

import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from observatory.web.accounts.models import LocalAuthority
from observatory.web.accounts.roles import Role
from observatory.web.programmes import services, tabular
from observatory.web.programmes.models import Approach, FundingSource, Programme, ProgrammeChange


def programme_data(provider, **changes):
    data = {
        "name": "Street sport nights",
        "description": "Friday football for young people",
        "workstream": Programme.Workstream.SPORT,
        "commissioner": Programme.Commissioner.VRP,
        "funding_source": FundingSource.objects.get(name="Youth Justice Sport Fund"),
        "provider": provider,
        "amount": Decimal("25000.00"),
        "start_date": datetime.date(2025, 4, 1),
        "end_date": datetime.date(2026, 3, 31),
        "local_authorities": [LocalAuthority.objects.get(code="E08000030")],
        "places": "Darlaston ward",
        "min_age": 10,
        "max_age": 17,
        "needs": "At risk of exclusion",
        "approach": Approach.objects.get(name="Sport"),
        "status": Programme.Status.ACTIVE,
        "expected_quarterly_reach": 60,
    }
    data.update(changes)
    return data


@pytest.fixture
def programmes(partnership):
    """One programme for the Walsall charity (the provider user's), one for Coventry's."""
    admin = partnership["users"][Role.VRP_ADMIN]
    orgs = partnership["organisations"]
    own = services.create_programme(programme_data(orgs["charity"]), admin)
    other = services.create_programme(
        programme_data(
            orgs["other_charity"],
            name="Hospital navigators",
            description="Youth workers in the emergency department",
            workstream=Programme.Workstream.HEALTH,
            funding_source=FundingSource.objects.get(name="Home Office core grant"),
            approach=Approach.objects.get(name="A&E navigators"),
            local_authorities=[LocalAuthority.objects.get(code="E08000025")],
            status=Programme.Status.PLANNED,
        ),
        admin,
    )
    return {"own": own, "other": other}


def form_post(data):
    post = {}
    for key, value in data.items():
        if key == "local_authorities":
            post[key] = [authority.pk for authority in value]
        elif hasattr(value, "pk"):
            post[key] = value.pk
        elif value is None:
            post[key] = ""
        else:
            post[key] = str(value)
    return post


# History


def test_edit_records_who_changed_what(partnership, programmes, login):
    client = login(partnership["users"][Role.VRP_ADMIN])
    programme = programmes["own"]
    changed = programme_data(
        programme.provider,
        amount=Decimal("30000"),
        end_date=datetime.date(2026, 6, 30),
        local_authorities=list(LocalAuthority.objects.filter(code__in=["E08000030", "E08000025"])),
    )
    response = client.post(reverse("programmes-edit", args=[programme.pk]), form_post(changed))
    assert response.status_code == 302
    changes = {c.field: c for c in ProgrammeChange.objects.filter(programme=programme)}
    assert set(changes) == {"created", "amount", "end_date", "local_authorities"}
    assert (changes["amount"].old_value, changes["amount"].new_value) == ("25000.00", "30000.00")
    assert changes["end_date"].new_value == "2026-06-30"
    assert changes["local_authorities"].new_value == "Birmingham; Walsall"
    assert changes["amount"].who_name == "admin"
    page = client.get(reverse("programmes-detail", args=[programme.pk]))
    assert "30000.00" in page.content.decode() and "End date" in page.content.decode()


def test_saving_unchanged_form_records_nothing(partnership, programmes, login):
    client = login(partnership["users"][Role.VRP_ADMIN])
    programme = programmes["own"]
    data = form_post(programme_data(programme.provider))
    client.post(reverse("programmes-edit", args=[programme.pk]), data)
    assert ProgrammeChange.objects.filter(programme=programme).count() == 1  # "created"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"end_date": "2025-01-01"}, "end_date"),
        ({"min_age": "18", "max_age": "10"}, "max_age"),
        ({"max_age": "300"}, "max_age"),
        ({"amount": "-5"}, "amount"),
    ],
)
def test_form_rejects_invalid_values(partnership, programmes, login, change, field):
    client = login(partnership["users"][Role.VRP_ADMIN])
    programme = programmes["own"]
    data = form_post(programme_data(programme.provider)) | change
    response = client.post(reverse("programmes-edit", args=[programme.pk]), data)
    assert response.status_code == 400
    assert field in response.context["form"].errors
    programme.refresh_from_db()
    assert programme.amount == Decimal("25000.00")


def test_create_form(partnership, login):
    client = login(partnership["users"][Role.VRP_ADMIN])
    data = form_post(programme_data(partnership["organisations"]["charity"]))
    response = client.post(reverse("programmes-create"), data)
    programme = Programme.objects.get()
    assert response.url == reverse("programmes-detail", args=[programme.pk])
    assert programme.changes.get().field == "created"


# Filters and search


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", {"Street sport nights", "Hospital navigators"}),
        ("workstream=health", {"Hospital navigators"}),
        ("local_authority=E08000030", {"Street sport nights"}),
        ("status=planned", {"Hospital navigators"}),
        ("q=football", {"Street sport nights"}),
        ("q=coventry", {"Hospital navigators"}),
        ("q=NAVIGATORS&workstream=sport", set()),
        ("workstream=nonsense", {"Street sport nights", "Hospital navigators"}),
    ],
)
def test_filters_and_search(partnership, programmes, login, query, expected):
    client = login(partnership["users"][Role.VRP_ADMIN])
    response = client.get(reverse("programmes") + "?" + query)
    assert {p.name for p in response.context["page"]} == expected


def test_filter_by_funder_and_approach(partnership, programmes, login):
    client = login(partnership["users"][Role.VRP_ADMIN])
    funder = FundingSource.objects.get(name="Home Office core grant")
    approach = Approach.objects.get(name="Sport")
    by_funder = client.get(reverse("programmes"), {"funding_source": funder.pk})
    by_approach = client.get(reverse("programmes"), {"approach": approach.pk})
    assert [p.name for p in by_funder.context["page"]] == ["Hospital navigators"]
    assert [p.name for p in by_approach.context["page"]] == ["Street sport nights"]


def test_list_is_accessible_html(partnership, programmes, login):
    client = login(partnership["users"][Role.VRP_ADMIN])
    html = client.get(reverse("programmes")).content.decode()
    assert "<caption>" in html and 'scope="col"' in html and 'scope="row"' in html
    assert '<label for="id_workstream">' in html and '<label for="id_q">' in html


# Access


def test_provider_sees_only_their_own_programmes(partnership, programmes, login):
    client = login(partnership["users"][Role.PROVIDER])
    listed = client.get(reverse("programmes"))
    assert [p.name for p in listed.context["page"]] == ["Street sport nights"]
    assert client.get(reverse("programmes-detail", args=[programmes["own"].pk])).status_code == 200
    for content in (
        client.get(reverse("programmes-export-csv")).content.decode(),
        client.get(reverse("programmes-export-csv") + "?q=navigators").content.decode(),
    ):
        assert "Hospital navigators" not in content


def test_provider_guessing_ids_gets_404_at_every_view(partnership, programmes, login):
    client = login(partnership["users"][Role.PROVIDER])
    other = programmes["other"].pk
    for guess in (other, other + 1000):
        assert client.get(reverse("programmes-detail", args=[guess])).status_code == 404
        assert client.get(reverse("programmes-edit", args=[guess])).status_code == 404
        response = client.post(reverse("programmes-edit", args=[guess]), {"name": "Mine now"})
        assert response.status_code == 404
    assert Programme.objects.get(pk=other).name == "Hospital navigators"


def test_provider_cannot_change_the_register(partnership, programmes, login):
    client = login(partnership["users"][Role.PROVIDER])
    own = programmes["own"].pk
    assert client.get(reverse("programmes-edit", args=[own])).status_code == 403
    assert client.get(reverse("programmes-create")).status_code == 403
    assert client.get(reverse("programmes-import")).status_code == 403
    upload = SimpleUploadedFile("p.csv", b"Name\n")
    assert client.post(reverse("programmes-import"), {"file": upload}).status_code == 403


@pytest.mark.parametrize("role", [Role.PARTNER, Role.ANALYST, Role.COORDINATOR])
def test_roles_without_view_programmes_get_403(partnership, programmes, login, role):
    client = login(partnership["users"][role])
    pk = programmes["own"].pk
    for url in (
        reverse("programmes"),
        reverse("programmes-detail", args=[pk]),
        reverse("programmes-edit", args=[pk]),
        reverse("programmes-create"),
        reverse("programmes-export-csv"),
        reverse("programmes-export-xlsx"),
        reverse("programmes-import"),
    ):
        assert client.get(url).status_code == 403, url


def test_anonymous_is_sent_to_login(client, programmes):
    response = client.get(reverse("programmes"))
    assert response.status_code == 302 and "/accounts/login/" in response.url


# Export and import


def upload(client, name, content):
    return client.post(reverse("programmes-import"), {"file": SimpleUploadedFile(name, content)})


def snapshot():
    return [services.describe(p) for p in Programme.objects.order_by("pk")]


@pytest.mark.parametrize(("export", "name"), [("csv", "p.csv"), ("xlsx", "p.xlsx")])
def test_export_then_import_changes_nothing(partnership, programmes, login, export, name):
    client = login(partnership["users"][Role.VRP_ADMIN])
    before, history = snapshot(), ProgrammeChange.objects.count()
    exported = client.get(reverse(f"programmes-export-{export}"))
    assert exported.status_code == 200
    assert "attachment" in exported["Content-Disposition"]
    response = upload(client, name, exported.content)
    result = response.context["result"]
    assert len(result.unchanged) == 2 and result.rows == 2
    assert snapshot() == before
    assert ProgrammeChange.objects.count() == history


def test_export_is_filtered_like_the_list(partnership, programmes, login):
    client = login(partnership["users"][Role.VRP_ADMIN])
    exported = client.get(reverse("programmes-export-xlsx"), {"workstream": "health"})
    rows = tabular.read_file("p.xlsx", exported.content)
    assert [row["name"] for row in rows] == ["Hospital navigators"]


def test_xlsx_text_is_never_a_formula(partnership, programmes):
    programme = programmes["own"]
    Programme.objects.filter(pk=programme.pk).update(description="=HYPERLINK(1)")
    rows = tabular.read_file("p.xlsx", tabular.export_xlsx(Programme.objects.all()))
    assert "=HYPERLINK(1)" in {row["description"] for row in rows}


def register_csv(rows):
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(tabular.COLUMNS.values())
    writer.writerows(rows)
    return out.getvalue().encode()


def row(**changes):
    values = {
        "name": "Mentoring for girls",
        "provider": "Walsall Street Sport",
        "description": "",
        "workstream": "Violence Against Women & Girls",
        "commissioner": "VRP",
        "funding_source": "Safer Streets",
        "approach": "Mentoring",
        "amount": "12,500",
        "start_date": "01/04/2025",
        "end_date": "2026-03-31",
        "local_authorities": "Walsall; E08000025",
        "places": "",
        "min_age": "11",
        "max_age": "16",
        "needs": "",
        "status": "Planned",
        "expected_quarterly_reach": "20",
    }
    values.update(changes)
    return [values[key] for key in tabular.COLUMNS]


def test_import_accounts_for_every_row(partnership, programmes, login):
    client = login(partnership["users"][Role.VRP_ADMIN])
    content = register_csv(
        [
            row(),
            row(name="Street sport nights", amount="26000"),  # updates the existing one
            row(name="Bad stream", workstream="Knitting"),
            row(name="Backwards", start_date="2026-01-01", end_date="2025-01-01"),
            row(name="Nobody's", provider="Acme Ltd"),
            row(name="In debt", amount="-100"),
            row(),  # the same as row 2
        ]
    )
    response = upload(client, "register.csv", content)
    result = response.context["result"]
    assert result.created == [(2, "Mentoring for girls")]
    assert result.updated == [(3, "Street sport nights")]
    reasons = {number: reason for number, _, reason in result.rejected}
    assert set(reasons) == {4, 5, 6, 7, 8}
    assert "unknown workstream “Knitting”" in reasons[4]
    assert "end date" in reasons[5].lower() and "after the start date" in reasons[5]
    assert "unknown provider organisation “Acme Ltd”" in reasons[6]
    assert "negative" in reasons[7]
    assert "row 2" in reasons[8]
    html = response.content.decode()
    assert "7 rows read: 1 created, 1 updated, 0 unchanged, 5 rejected" in html
    assert "Unknown workstream" in html and 'scope="col"' in html
    created = Programme.objects.get(name="Mentoring for girls")
    assert created.amount == Decimal("12500.00")
    assert created.start_date == datetime.date(2025, 4, 1)
    assert {a.name for a in created.local_authorities.all()} == {"Walsall", "Birmingham"}
    assert not Programme.objects.filter(name__in=["Bad stream", "Backwards", "In debt"]).exists()
    change = ProgrammeChange.objects.get(programme=programmes["own"], field="amount")
    assert (change.old_value, change.new_value, change.who_name) == (
        "25000.00",
        "26000.00",
        "admin",
    )


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("register.pdf", b"%PDF-1.4", "not a CSV or Excel (.xlsx) file"),
        ("register.xlsx", b"not really a workbook", "not a valid Excel (.xlsx) workbook"),
        ("register.csv", b"\xff\xfe\x00bad", "could not be read as text"),
        ("register.csv", b"\n,,\n", "no header row"),
        ("register.csv", b"Name,Provider\nMentoring,Walsall Street Sport\n", "lacks these columns"),
    ],
)
def test_a_wrong_file_gets_one_clear_message_and_writes_nothing(
    partnership, programmes, login, name, content, message
):
    client = login(partnership["users"][Role.VRP_ADMIN])
    before, history = snapshot(), ProgrammeChange.objects.count()
    response = upload(client, name, content)
    assert response.status_code == 400
    errors = response.context["form"].errors["file"]
    assert len(errors) == 1 and message in errors[0]
    assert message in response.content.decode()
    assert snapshot() == before and ProgrammeChange.objects.count() == history


def test_import_form_is_labelled(partnership, login):
    client = login(partnership["users"][Role.VRP_ADMIN])
    html = client.get(reverse("programmes-import")).content.decode()
    assert '<label for="id_file">' in html


def test_forms_render_for_a_lead(partnership, programmes, login):
    client = login(partnership["users"][Role.VRP_ADMIN])
    for url in (
        reverse("programmes-create"),
        reverse("programmes-edit", args=[programmes["own"].pk]),
    ):
        response = client.get(url)
        assert response.status_code == 200
        assert '<label for="id_end_date">' in response.content.decode()
