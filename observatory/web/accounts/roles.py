"""Roles and what each may do: the single table every access check reads.

A user has exactly one role. Views never test role names; they ask for a capability
(`may(user, Capability.VIEW_RECORD_LEVEL)`), so that giving a role more or less is a one-line
change here, and the table below is the whole access policy at a glance.
"""

from enum import StrEnum

from django.db import models


class Role(models.TextChoices):
    VRP_ADMIN = "vrp_admin", "VRP administrator"
    ANALYST = "analyst", "Analyst (record-level data)"
    PARTNER = "partner", "Partner (aggregates for their area)"
    PROVIDER = "provider", "Provider (own programmes and returns)"
    COORDINATOR = "coordinator", "Coordinator (training and incidents)"


class Capability(StrEnum):
    ADMINISTER = "administer"  # Django admin, users, organisations across the partnership
    VIEW_DASHBOARDS = "view_dashboards"  # partner dashboards and reports (aggregates)
    VIEW_RECORD_LEVEL = "view_record_level"  # pseudonymised record-level data, hex maps
    MANAGE_DATA = "manage_data"  # imports, the lake, rejected rows
    VIEW_PROGRAMMES = "view_programmes"  # programmes and returns (providers: their own only)
    MANAGE_PROGRAMMES = "manage_programmes"  # the programme register: create, edit, import
    MANAGE_TRAINING = "manage_training"
    MANAGE_INCIDENTS = "manage_incidents"
    VIEW_KNOWLEDGE = "view_knowledge"
    VIEW_ALL_ORGANISATIONS = "view_all_organisations"


_EVERYONE = {Capability.VIEW_KNOWLEDGE}

# VRP administrators hold every capability. They are also the commissioning leads for now
# (MANAGE_PROGRAMMES): a separate lead role can be carved out of this table later.
CAPABILITIES: dict[str, frozenset[Capability]] = {
    Role.VRP_ADMIN: frozenset(Capability),
    Role.ANALYST: frozenset(
        _EVERYONE
        | {
            Capability.VIEW_DASHBOARDS,
            Capability.VIEW_RECORD_LEVEL,
            Capability.MANAGE_DATA,
            Capability.VIEW_ALL_ORGANISATIONS,
        }
    ),
    Role.PARTNER: frozenset(_EVERYONE | {Capability.VIEW_DASHBOARDS}),
    Role.PROVIDER: frozenset(_EVERYONE | {Capability.VIEW_PROGRAMMES}),
    Role.COORDINATOR: frozenset(
        _EVERYONE | {Capability.MANAGE_TRAINING, Capability.MANAGE_INCIDENTS}
    ),
}


def may(user, capability: Capability) -> bool:
    """True when `user` is an active, logged-in user whose role grants `capability`."""
    if not (user.is_authenticated and user.is_active):
        return False
    return capability in CAPABILITIES.get(user.role, frozenset())
