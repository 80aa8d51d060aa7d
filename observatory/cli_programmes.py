"""`observatory programmes remind`: e-mail providers about overdue quarterly returns.

Run it daily from a scheduler (e.g. cron at 9:00): each overdue return's provider users are
reminded at most once a week, and the commissioning leads get one digest per run. Links in
the e-mails start with OBSERVATORY_SITE_URL; mail goes where OBSERVATORY_EMAIL_URL says
(files under <data dir>/mail/ by default). Output holds counts and programme names only.
"""

from __future__ import annotations

import datetime

import click

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


@click.group(context_settings=CONTEXT)
def programmes() -> None:
    """Programmes and their quarterly returns."""


@programmes.command("remind")
@click.option("--dry-run", is_flag=True, help="Say what would be sent; send and record nothing.")
@click.option(
    "--today",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    metavar="YYYY-MM-DD",
    help="Act as if today were this day (default: today).",
)
def remind(dry_run: bool, today: datetime.datetime | None) -> None:
    """E-mail providers a reminder for each overdue return (at most weekly per return), and
    the commissioning leads a digest."""
    from observatory.web import runtime

    runtime.setup()
    runtime.check_database()
    from observatory.web.programmes.reminders import REMINDER_INTERVAL_DAYS, send_reminders

    run = send_reminders(today.date() if today else None, dry_run=dry_run)
    reminded = len(run.reminded)
    verb = "would be" if dry_run else "was" if reminded == 1 else "were"
    click.echo(
        f"{_count(reminded, 'overdue return')} {verb} reminded "
        f"({_count(run.emails, 'e-mail')} to providers, "
        f"{_count(run.digests, 'digest')} to the commissioning leads)."
    )
    if dry_run:
        for owed in run.reminded:
            click.echo(f"  {owed.programme.name}, {owed.quarter.label}: due {owed.due}")
    if run.recently_reminded:
        click.echo(
            f"{_count(len(run.recently_reminded), 'overdue return')} skipped: reminded in the "
            f"last {REMINDER_INTERVAL_DAYS} days."
        )
    if run.nobody_to_remind:
        click.echo(
            f"{_count(len(run.nobody_to_remind), 'overdue return')} with no provider user to "
            "e-mail (active, with an e-mail address):"
        )
        for owed in run.nobody_to_remind:
            click.echo(f"  {owed.programme.name}, {owed.quarter.label}")


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"
