"""The quarterly return's web form: what a provider typed survives a failed check or a box
that cannot be stored; problems appear beside the fields they concern and in a summary
linking to them; each check; the read-only view; the running totals."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from observatory.web.accounts.roles import Role
from observatory.web.programmes import returns, services
from observatory.web.programmes.models import Outcome, QuarterlyReturn
from observatory.web.programmes.quarters import Quarter
from tests.web.test_programmes import programme_data

QUARTER = "2025-07-01"
WALSALL = "E08000030"


def make_programmes(partnership) -> dict:
    """The provider user's programme (April 2025 to March 2026, 60 expected a quarter) and
    another organisation's."""
    admin = partnership["users"][Role.VRP_ADMIN]
    orgs = partnership["organisations"]
    own = services.create_programme(programme_data(orgs["charity"]), admin)
    other = services.create_programme(
        programme_data(orgs["other_charity"], name="Hospital navigators"), admin
    )
    return {"own": own, "other": other}


def edit_url(programme, quarter=QUARTER) -> str:
    return reverse("returns-edit", args=[programme.pk, quarter])


def valid_post(action="save_draft", **changes) -> dict:
    """A return that passes every check: 12 participants, each breakdown adding up to 12."""
    data = {
        "participants_new": "10",
        "participants_continuing": "2",
        "sessions_delivered": "12",
        "hours_delivered": "24.5",
        "professionals_trained": "0",
        "referrals_onward": "3",
        "age_band__15_17": "12",
        "sex__male": "7",
        "sex__female": "5",
        "ethnicity__white": "6",
        "ethnicity__not_known": "6",
        f"local_authority__{WALSALL}": "12",
        "referral_source__school": "4",
        "reach_explanation": "",
        "case_study": "",
        "action": action,
    }
    data.update(changes)
    return data


def stored(programme, quarter=QUARTER) -> QuarterlyReturn:
    return QuarterlyReturn.objects.get(
        programme=programme, quarter_start=datetime.date.fromisoformat(quarter)
    )


@pytest.fixture
def programmes(partnership):
    return make_programmes(partnership)


@pytest.fixture
def provider(partnership, login):
    return login(partnership["users"][Role.PROVIDER])


def test_a_new_return_shows_an_empty_form(provider, programmes):
    page = provider.get(edit_url(programmes["own"]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "2025-26 Q2" in html and "Not started" in html
    assert 'name="age_band__25plus"' in html and f'name="local_authority__{WALSALL}"' in html
    assert "Save draft" in html and "Check and submit" in html
    assert 'id="error-summary"' not in html


def test_a_valid_draft_is_saved_with_its_breakdowns_and_outcomes(provider, programmes):
    outcome = Outcome.objects.filter(active=True).first()
    response = provider.post(
        edit_url(programmes["own"]), valid_post(**{f"outcome__{outcome.pk}": "4"})
    )
    assert response.status_code == 302 and response["Location"] == edit_url(programmes["own"])
    saved = stored(programmes["own"])
    assert saved.status == QuarterlyReturn.Status.DRAFT
    figures = returns.figures_of(saved)
    assert figures.participants == 12 and figures.hours_delivered == Decimal("24.5")
    assert figures.breakdowns["sex"] == {"male": 7, "female": 5}
    assert figures.breakdowns["referral_source"] == {"school": 4}
    assert figures.outcomes == {outcome.name: 4}
    page = provider.get(edit_url(programmes["own"])).content.decode()
    assert "Draft saved" in page and 'value="24.5"' in page and 'id="error-summary"' not in page


def test_a_draft_with_problems_is_saved_and_the_problems_shown_beside_the_fields(
    provider, programmes
):
    post = valid_post(sex__male="2", case_study="Jo came every week.")
    response = provider.post(edit_url(programmes["own"]), post)
    assert response.status_code == 302
    assert returns.figures_of(stored(programmes["own"])).case_study == "Jo came every week."
    html = provider.get(edit_url(programmes["own"])).content.decode()
    assert "Before you can submit this return" in html
    message = "Participants by sex add up to 7, but 12 participants were reached"
    assert html.count(message) == 2  # in the summary and beside the table
    assert 'href="#id_sex__female"' in html  # the summary links to the sex table's first box
    assert 'id="sex-problem"' in html
    assert 'aria-describedby="sex-problem"' in html
    assert "Jo came every week." in html


def test_check_and_submit_with_problems_keeps_everything_typed(provider, programmes):
    post = valid_post(
        "submit", participants_new="200", reach_explanation="", case_study="A story to keep."
    )
    response = provider.post(edit_url(programmes["own"]), post)
    assert response.status_code == 400
    html = response.content.decode()
    assert "Your draft is saved, but it cannot be submitted yet" in html
    assert 'value="200"' in html and "A story to keep." in html
    assert "more than 2 times the 60 expected" in html
    assert 'href="#id_reach_explanation"' in html and 'id="reach_explanation-problem"' in html
    saved = stored(programmes["own"])
    assert saved.status == QuarterlyReturn.Status.DRAFT and saved.participants_new == 200


def test_a_box_that_cannot_be_stored_is_shown_as_typed_and_nothing_is_saved(provider, programmes):
    post = valid_post(participants_new="ten", sex__male="-3", case_study="Keep me.")
    response = provider.post(edit_url(programmes["own"]), post)
    assert response.status_code == 400
    html = response.content.decode()
    assert "There is a problem: nothing was saved yet" in html
    assert 'value="ten"' in html and 'value="-3"' in html and "Keep me." in html
    assert "New participants: Enter a whole number" in html
    assert "Sex, Male: Enter 0 or more." in html
    assert 'href="#id_participants_new"' in html and 'id="id_participants_new_error"' in html
    assert not QuarterlyReturn.objects.exists()


def test_blank_boxes_count_as_none(provider, programmes):
    post = {key: "" for key in valid_post()} | {"action": "save_draft"}
    assert provider.post(edit_url(programmes["own"]), post).status_code == 302
    figures = returns.figures_of(stored(programmes["own"]))
    assert figures.participants == 0 and figures.breakdowns == {}


# Each check, as the page shows it


@pytest.mark.parametrize("dimension", ["age_band", "sex", "ethnicity", "local_authority"])
def test_each_breakdown_must_add_up_to_the_headline(provider, programmes, dimension):
    extra = {"age_band": "age_band__0_9", "sex": "sex__other", "ethnicity": "ethnicity__asian"}
    box = extra.get(dimension, "local_authority__outside_region")
    response = provider.post(edit_url(programmes["own"]), valid_post("submit", **{box: "1"}))
    assert response.status_code == 400
    assert f'id="{dimension}-problem"' in response.content.decode()
    assert stored(programmes["own"]).status == QuarterlyReturn.Status.DRAFT


def test_referral_sources_need_not_add_up(provider, programmes):
    post = valid_post("submit", referral_source__school="40")
    assert provider.post(edit_url(programmes["own"]), post).status_code == 302
    assert stored(programmes["own"]).status == QuarterlyReturn.Status.SUBMITTED


def test_a_quarter_outside_the_programmes_dates_is_explained(provider, programmes):
    response = provider.post(edit_url(programmes["own"], "2026-04-01"), valid_post("submit"))
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="quarter-problem"' in html and 'href="#quarter-problem"' in html
    assert "is outside the programme&#x27;s dates" in html


def test_reach_well_above_expected_is_accepted_with_an_explanation(provider, programmes):
    post = valid_post(
        "submit",
        participants_new="150",
        participants_continuing="0",
        age_band__15_17="150",
        sex__male="150",
        sex__female="0",
        ethnicity__white="150",
        ethnicity__not_known="0",
        **{f"local_authority__{WALSALL}": "150"},
    )
    response = provider.post(edit_url(programmes["own"]), post)
    assert response.status_code == 400 and "reach_explanation-problem" in response.content.decode()
    post["reach_explanation"] = "A summer festival added one-off sessions."
    assert provider.post(edit_url(programmes["own"]), post).status_code == 302
    assert stored(programmes["own"]).status == QuarterlyReturn.Status.SUBMITTED


def test_a_submitted_return_is_shown_read_only(provider, programmes):
    provider.post(edit_url(programmes["own"]), valid_post("submit"))
    html = provider.get(edit_url(programmes["own"])).content.decode()
    assert "Submitted" in html and "can no longer be changed" in html
    assert 'name="participants_new"' not in html and "Check and submit" not in html
    assert "Participants by sex" in html and '<td class="number">7</td>' in html


def test_running_totals_are_rendered_from_what_was_typed(provider, programmes):
    response = provider.post(edit_url(programmes["own"]), valid_post("submit", sex__male="2"))
    html = response.content.decode()
    assert '<output data-total-of="sex">7</output>' in html
    assert "<output data-participants>12</output>" in html
    assert 'data-breakdown="sex"' in html


def test_a_retired_outcome_already_counted_keeps_its_box(provider, programmes):
    outcome = Outcome.objects.filter(active=True).first()
    provider.post(edit_url(programmes["own"]), valid_post(**{f"outcome__{outcome.pk}": "3"}))
    Outcome.objects.filter(pk=outcome.pk).update(active=False)
    html = provider.get(edit_url(programmes["own"])).content.decode()
    assert f'name="outcome__{outcome.pk}"' in html
    retired = Outcome.objects.create(name="Retired and never counted", active=False)
    assert f'name="outcome__{retired.pk}"' not in html


@pytest.mark.parametrize("quarter", ["2025-05-01", "2025-7-01", "20250701", "next", "2025-02-30"])
def test_only_a_real_quarter_start_has_a_return(provider, programmes, quarter):
    assert provider.get(f"/programmes/returns/{programmes['own'].pk}/{quarter}/").status_code == 404


def test_quarters_label_the_page(provider, programmes):
    html = provider.get(edit_url(programmes["own"])).content.decode()
    assert Quarter.parse("2025-26 Q2").months in html


def test_the_form_links_the_spreadsheet_template(provider, programmes):
    html = provider.get(edit_url(programmes["own"])).content.decode()
    for name in ["returns-template-csv", "returns-template-xlsx", "returns-upload"]:
        assert reverse(name, args=[programmes["own"].pk, QUARTER]) in html
