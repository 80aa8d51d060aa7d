"""Overdue-return reminders by e-mail, run from a scheduler (`observatory programmes remind`).

For each overdue return (schedule.py), every active provider user of the programme's
organisation with an e-mail address gets a reminder naming the programme, the quarter, the
due date and a link to the return. A programme's quarter is reminded at most once every
REMINDER_INTERVAL_DAYS (ReturnReminder rows record each run's reminders), so a daily
scheduler does not nag. Each provider user gets their own message, so colleagues' addresses
are not shared.

The commissioning leads (active users who may manage programmes, with an e-mail address) get
one digest per run instead of a copy of each reminder: which returns were reminded, and which
overdue returns have nobody to remind. A run that reminds nobody and finds nobody
unreachable sends no digest.

Nothing here logs or prints names or addresses: the summary holds counts and programme names.
"""

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from observatory.web.accounts.roles import CAPABILITIES, Capability, Role
from observatory.web.programmes.models import Programme, ReturnReminder
from observatory.web.programmes.schedule import OwedReturn, schedule

REMINDER_INTERVAL_DAYS = 7


@dataclass
class ReminderRun:
    """What one run did (or, for a dry run, would do)."""

    reminded: list[OwedReturn] = field(default_factory=list)
    emails: int = 0
    recently_reminded: list[OwedReturn] = field(default_factory=list)
    nobody_to_remind: list[OwedReturn] = field(default_factory=list)
    digests: int = 0


def provider_recipients(programme: Programme) -> list[str]:
    """E-mail addresses of the active provider users of the programme's organisation."""
    users = get_user_model().objects.filter(
        organisation_id=programme.provider_id, role=Role.PROVIDER, is_active=True
    )
    return sorted(set(users.exclude(email="").values_list("email", flat=True)))


def lead_recipients() -> list[str]:
    """E-mail addresses of the active users whose role manages programmes."""
    roles = [
        role for role, allowed in CAPABILITIES.items() if Capability.MANAGE_PROGRAMMES in allowed
    ]
    users = get_user_model().objects.filter(role__in=roles, is_active=True).exclude(email="")
    return sorted(set(users.values_list("email", flat=True)))


def send_reminders(today: datetime.date | None = None, dry_run: bool = False) -> ReminderRun:
    """Remind providers of every overdue return not reminded in the last
    REMINDER_INTERVAL_DAYS days, as of `today` (default: the local date), and send the leads
    a digest. A dry run works out the same but sends and records nothing."""
    moment = timezone.now()
    if today is None:
        today = timezone.localdate(moment)
    else:
        moment = timezone.make_aware(datetime.datetime.combine(today, datetime.time(12)))
    run = ReminderRun()
    overdue = schedule(Programme.objects.all(), today).overdue
    recent = _recently_reminded(today)
    connection = None if dry_run else get_connection()
    for owed in overdue:
        if (owed.programme.pk, owed.quarter.start) in recent:
            run.recently_reminded.append(owed)
            continue
        recipients = provider_recipients(owed.programme)
        if not recipients:
            run.nobody_to_remind.append(owed)
            continue
        if not dry_run:
            _remind(owed, recipients, moment, connection)
        run.reminded.append(owed)
        run.emails += len(recipients)
    if run.reminded or run.nobody_to_remind:
        leads = lead_recipients()
        if leads and not dry_run:
            _digest(run, today, leads, connection)
        run.digests = 1 if leads else 0
    return run


def _recently_reminded(today: datetime.date) -> set[tuple[int, datetime.date]]:
    """(programme id, quarter start) of reminders sent fewer than the interval's days before
    `today` (a reminder on the 1st allows the next on the 8th)."""
    since = today - datetime.timedelta(days=REMINDER_INTERVAL_DAYS - 1)
    start = timezone.make_aware(datetime.datetime.combine(since, datetime.time.min))
    end = timezone.make_aware(
        datetime.datetime.combine(today + datetime.timedelta(days=1), datetime.time.min)
    )
    return set(
        ReturnReminder.objects.filter(sent_at__gte=start, sent_at__lt=end).values_list(
            "programme_id", "quarter_start"
        )
    )


def _link(owed: OwedReturn) -> str:
    return settings.SITE_URL.rstrip("/") + owed.path


def _remind(owed: OwedReturn, recipients: list[str], moment, connection) -> None:
    """E-mail each recipient, then record the reminder, dated `moment` (the run's day), so
    runs over fixed days (--today) space reminders by those days."""
    context = {"owed": owed, "programme": owed.programme, "link": _link(owed)}
    subject = f"Overdue return: {owed.programme.name}, {owed.quarter.label}"
    body = render_to_string("programmes/email/reminder.txt", context)
    connection.send_messages(
        [
            EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [address])
            for address in recipients
        ]
    )
    with transaction.atomic():
        reminder = ReturnReminder.objects.create(
            programme=owed.programme, quarter_start=owed.quarter.start, recipients=len(recipients)
        )
        ReturnReminder.objects.filter(pk=reminder.pk).update(sent_at=moment)


def _digest(run: ReminderRun, today: datetime.date, leads: list[str], connection) -> None:
    context = {
        "run": run,
        "today": today,
        "interval": REMINDER_INTERVAL_DAYS,
        "reminded": [(owed, _link(owed)) for owed in run.reminded],
        "nobody": [(owed, _link(owed)) for owed in run.nobody_to_remind],
        "due_link": settings.SITE_URL.rstrip("/") + reverse("returns-due"),
    }
    subject = f"Overdue returns: {len(run.reminded)} reminded on {today:%-d %B %Y}"
    body = render_to_string("programmes/email/lead_digest.txt", context)
    connection.send_messages(
        [EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [address]) for address in leads]
    )
