"""The demo partnership's organisations and one login per role, for newcomers to explore.

All demo users share one password, generated once and kept in the data dir, so the login
printed by `observatory demo start` stays the same from one run to the next.
"""

from django.db import transaction

from observatory import config
from observatory.web.accounts.models import LocalAuthority, Organisation, User
from observatory.web.accounts.roles import Role

DEMO_ORGANISATIONS = [
    # name, kind, local authority ONS code (None: region-wide)
    ("West Midlands VRP core team", Organisation.Kind.VRP_CORE, None),
    ("West Midlands Police", Organisation.Kind.POLICE, None),
    ("Birmingham City Council", Organisation.Kind.LOCAL_AUTHORITY, "E08000025"),
    ("Walsall Street Sport CIC", Organisation.Kind.VOLUNTARY, "E08000030"),
    ("Coventry Youth Mentoring Trust", Organisation.Kind.VOLUNTARY, "E08000026"),
]

DEMO_USERS = [
    # username, role, organisation
    ("demo-admin", Role.VRP_ADMIN, "West Midlands VRP core team"),
    ("demo-analyst", Role.ANALYST, "West Midlands VRP core team"),
    ("demo-partner", Role.PARTNER, "Birmingham City Council"),
    ("demo-provider", Role.PROVIDER, "Walsall Street Sport CIC"),
    ("demo-coordinator", Role.COORDINATOR, "West Midlands VRP core team"),
]


def demo_password() -> str:
    """Short enough to type, random enough for a demo that listens on localhost."""
    from django.conf import settings

    return config.stored_secret(settings.CONFIG.data_dir, "demo_password", nbytes=12)


@transaction.atomic
def ensure_demo_accounts() -> tuple[list[str], str]:
    """Create (or restore) the demo organisations and users; return usernames and password."""
    password = demo_password()
    organisations = {}
    for name, kind, area in DEMO_ORGANISATIONS:
        organisations[name], _ = Organisation.objects.update_or_create(
            name=name,
            defaults={
                "kind": kind,
                "local_authority": LocalAuthority.objects.get(code=area) if area else None,
            },
        )
    for username, role, organisation in DEMO_USERS:
        user, _ = User.objects.get_or_create(username=username)
        user.role = role
        user.organisation = organisations[organisation]
        user.is_active = True
        user.set_password(password)
        user.save()
    return [username for username, _, _ in DEMO_USERS], password
