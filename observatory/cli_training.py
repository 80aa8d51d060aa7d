"""`observatory training expire-offers|remind`: the booking rules' scheduled work.

Run both from a scheduler (e.g. cron every 15 minutes): expire-offers passes on waitlist
offers nobody took in time (the web pages also do this whenever they are viewed); remind
e-mails everyone confirmed for a session starting within the next day, once each. Links in
these e-mails start with OBSERVATORY_SITE_URL.
"""

from __future__ import annotations

import click

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


def _rules():
    """The booking rules, over a reachable, migrated database (else one clear error)."""
    from observatory.errors import ObservatoryError
    from observatory.web import runtime

    runtime.setup()
    runtime.check_database()
    if runtime.unapplied_migrations():
        raise ObservatoryError("the database is not set up: run `observatory migrate` first")
    from observatory.web.training import booking

    return booking


@click.group(context_settings=CONTEXT)
def training() -> None:
    """Training bookings: offers and reminders."""


@training.command("expire-offers")
def expire_offers() -> None:
    """Expire waitlist offers past their time and offer those places to the next people."""
    expired = _rules().expire_offers()
    click.echo(f"{expired} offer{'' if expired == 1 else 's'} expired.")


@training.command("remind")
def remind() -> None:
    """E-mail a reminder to everyone confirmed for a session starting within the next day."""
    sent = _rules().send_reminders()
    click.echo(f"{sent} reminder{'' if sent == 1 else 's'} sent.")
