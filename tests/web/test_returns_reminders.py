"""Overdue-return reminders: who gets them (the programme's own provider users only), what
they say, spacing of 7 days per programme and quarter, the leads' digest, dry runs, and the
`observatory programmes remind` command writing mail files."""

import datetime
import email
import re
from email import policy

import pytest
from django.contrib.auth import get_user_model

from observatory.web.accounts.roles import Role
from observatory.web.accounts.services import create_user
from observatory.web.programmes import returns, services
from observatory.web.programmes.models import Programme, QuarterlyReturn, ReturnReminder
from observatory.web.programmes.quarters import Quarter
from observatory.web.programmes.reminders import send_reminders
from tests.support.cli import cli_env, run_cli
from tests.web.conftest import PASSWORD
from tests.web.test_programmes import programme_data

Q1 = Quarter(datetime.date(2025, 4, 1))  # due 30 July 2025
day = datetime.date


@pytest.fixture
def people(partnership):
    """E-mail addresses for the fixture's users, plus provider users who must not be
    reminded: one inactive, one without an address."""
    orgs = partnership["organisations"]
    for user in get_user_model().objects.all():
        user.email = f"{user.username}@example.org"
        user.save()
    create_user("colleague", Role.PROVIDER, PASSWORD, orgs["charity"], "colleague@example.org")
    gone = create_user("gone", Role.PROVIDER, PASSWORD, orgs["charity"], "gone@example.org")
    gone.is_active = False
    gone.save()
    create_user("no-address", Role.PROVIDER, PASSWORD, orgs["charity"])
    return partnership


@pytest.fixture
def programme(people):
    """Walsall's programme from April 2025; its Q1 return is overdue from 31 July."""
    admin = people["users"][Role.VRP_ADMIN]
    return services.create_programme(programme_data(people["organisations"]["charity"]), admin)


def recipients(outbox):
    return sorted(address for message in outbox for address in message.to)


def test_the_programmes_provider_users_are_reminded_and_the_lead_gets_a_digest(
    programme, mailoutbox, settings
):
    settings.SITE_URL = "https://observatory.example.org"
    run = send_reminders(day(2025, 8, 9))
    assert [(owed.programme.name, owed.quarter.label) for owed in run.reminded] == [
        ("Street sport nights", "2025-26 Q1")
    ]
    assert run.emails == 2
    reminders = [m for m in mailoutbox if m.subject.startswith("Overdue return:")]
    digests = [m for m in mailoutbox if m.subject.startswith("Overdue returns:")]
    # Each provider user alone on their message; not the inactive one, not another charity.
    assert recipients(reminders) == ["colleague@example.org", "provider@example.org"]
    assert all(len(message.to) == 1 for message in reminders)
    assert recipients(digests) == ["admin@example.org"]
    body = reminders[0].body
    assert reminders[0].subject == "Overdue return: Street sport nights, 2025-26 Q1"
    assert "was due on 30 July 2025" in body
    assert "(10 days overdue)" in body
    assert f"https://observatory.example.org/programmes/returns/{programme.pk}/2025-04-01/" in body
    assert "Street sport nights (Walsall Street Sport), 2025-26 Q1" in digests[0].body
    (reminder,) = ReturnReminder.objects.all()
    assert (reminder.programme, reminder.quarter_start, reminder.recipients) == (
        programme,
        Q1.start,
        2,
    )
    assert reminder.sent_at.date() == day(2025, 8, 9)


def test_reminders_are_spaced_seven_days_apart(programme, mailoutbox):
    assert len(send_reminders(day(2025, 8, 1)).reminded) == 1
    for later in (day(2025, 8, 2), day(2025, 8, 7)):
        run = send_reminders(later)
        assert run.reminded == []
        assert len(run.recently_reminded) == 1
    assert len(send_reminders(day(2025, 8, 8)).reminded) == 1
    assert ReturnReminder.objects.count() == 2
    # Two runs reminded two providers each, and each run sent one digest.
    assert len(mailoutbox) == 6


def test_nothing_is_sent_for_returns_not_overdue_or_submitted(programme, mailoutbox):
    assert send_reminders(day(2025, 7, 30)).reminded == []  # due today: not overdue yet
    saved = returns.save_draft(programme, Q1, returns.Figures(), None)
    QuarterlyReturn.objects.filter(pk=saved.pk).update(status=QuarterlyReturn.Status.SUBMITTED)
    assert send_reminders(day(2025, 8, 9)).reminded == []
    assert mailoutbox == []
    assert not ReturnReminder.objects.exists()


def test_another_organisations_overdue_return_goes_only_to_its_users(people, mailoutbox):
    admin = people["users"][Role.VRP_ADMIN]
    services.create_programme(
        programme_data(people["organisations"]["other_charity"], name="Coventry mentoring"), admin
    )
    send_reminders(day(2025, 8, 9))
    reminders = [m for m in mailoutbox if m.subject.startswith("Overdue return:")]
    assert recipients(reminders) == ["other-provider@example.org"]
    assert "Coventry mentoring" in reminders[0].subject


def test_a_return_with_nobody_to_remind_is_told_to_the_lead(programme, mailoutbox):
    get_user_model().objects.filter(role=Role.PROVIDER).update(email="")
    run = send_reminders(day(2025, 8, 9))
    assert run.reminded == []
    assert [owed.programme for owed in run.nobody_to_remind] == [programme]
    (digest,) = mailoutbox
    assert digest.to == ["admin@example.org"]
    assert "no provider user with an e-mail address" in digest.body
    assert not ReturnReminder.objects.exists()  # tried again on the next run


def test_a_dry_run_sends_and_records_nothing(programme, mailoutbox):
    run = send_reminders(day(2025, 8, 9), dry_run=True)
    assert len(run.reminded) == 1
    assert run.emails == 2
    assert mailoutbox == []
    assert not ReturnReminder.objects.exists()


def test_programmes_that_owe_nothing_are_not_reminded(programme, mailoutbox):
    Programme.objects.filter(pk=programme.pk).update(status=Programme.Status.CANCELLED)
    assert send_reminders(day(2025, 8, 9)).reminded == []
    assert mailoutbox == []


# The command


SETUP = """
import datetime
from observatory.web.accounts.models import LocalAuthority, Organisation
from observatory.web.accounts.services import create_user
from observatory.web.programmes import services
from observatory.web.programmes.models import Approach, FundingSource
charity = Organisation.objects.create(name="Walsall Street Sport", kind="voluntary")
lead = create_user("lead", "vrp_admin", "{password}", email="lead@example.org")
create_user("worker", "provider", "{password}", charity, "worker@example.org")
services.create_programme(dict(
    name="Street sport nights", workstream="sport", commissioner="vrp",
    funding_source=FundingSource.objects.first(), provider=charity, amount=1000,
    start_date=datetime.date(2025, 4, 1), end_date=datetime.date(2026, 3, 31),
    local_authorities=LocalAuthority.objects.all()[:1], approach=Approach.objects.first(),
    status="active", expected_quarterly_reach=60,
), lead)
"""


def test_the_command_writes_mail_files_and_says_how_many_were_sent(tmp_path, database_url):
    env = cli_env(tmp_path / "data", database_url, OBSERVATORY_SITE_URL="https://obs.example")
    assert run_cli("migrate", env=env).returncode == 0
    setup = run_cli("manage", "shell", "-c", SETUP.format(password=PASSWORD), env=env)
    assert setup.returncode == 0, setup.stderr

    dry = run_cli("programmes", "remind", "--dry-run", "--today", "2025-08-09", env=env)
    assert dry.returncode == 0, dry.stderr
    assert dry.stdout.startswith("1 overdue return would be reminded (1 e-mail to providers")
    assert "Street sport nights, 2025-26 Q1: due 2025-07-30" in dry.stdout
    assert not (tmp_path / "data" / "mail").exists()

    sent = run_cli("programmes", "remind", "--today", "2025-08-09", env=env)
    assert sent.returncode == 0, sent.stderr
    assert sent.stdout.startswith(
        "1 overdue return was reminded (1 e-mail to providers, 1 digest to the commissioning"
    )
    assert "example.org" not in sent.stdout + sent.stderr  # no addresses in the output
    # Django's file backend writes a run's messages into one file, separated by a line of dashes.
    messages = [
        email.message_from_bytes(text, policy=policy.default)
        for path in sorted((tmp_path / "data" / "mail").iterdir())
        for text in path.read_bytes().split(b"\n" + b"-" * 79 + b"\n")
        if text.strip()
    ]
    by_recipient = {message["To"]: message for message in messages}
    assert set(by_recipient) == {"worker@example.org", "lead@example.org"}
    reminder = by_recipient["worker@example.org"]
    assert reminder["Subject"] == "Overdue return: Street sport nights, 2025-26 Q1"
    assert re.search(
        r"https://obs\.example/programmes/returns/\d+/2025-04-01/", reminder.get_content()
    )

    again = run_cli("programmes", "remind", "--today", "2025-08-12", env=env)
    assert again.returncode == 0, again.stderr
    assert "0 overdue returns were reminded" in again.stdout
    assert "1 overdue return skipped: reminded in the last 7 days." in again.stdout
