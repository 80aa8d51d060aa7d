"""The access policy table: what each role may do."""

from types import SimpleNamespace

import pytest

from observatory.web.accounts.roles import CAPABILITIES, Capability, Role, may


def person(role, active=True, authenticated=True):
    return SimpleNamespace(role=role, is_active=active, is_authenticated=authenticated)


def test_every_role_has_an_entry():
    assert set(CAPABILITIES) == set(Role.values)


def test_vrp_admin_may_do_everything():
    assert all(may(person(Role.VRP_ADMIN), capability) for capability in Capability)


@pytest.mark.parametrize(
    ("role", "allowed", "denied"),
    [
        (Role.ANALYST, Capability.VIEW_RECORD_LEVEL, Capability.ADMINISTER),
        (Role.PARTNER, Capability.VIEW_DASHBOARDS, Capability.VIEW_RECORD_LEVEL),
        (Role.PROVIDER, Capability.VIEW_PROGRAMMES, Capability.VIEW_DASHBOARDS),
        (Role.PROVIDER, Capability.VIEW_KNOWLEDGE, Capability.VIEW_ALL_ORGANISATIONS),
        (Role.COORDINATOR, Capability.MANAGE_TRAINING, Capability.MANAGE_DATA),
    ],
)
def test_role_grants(role, allowed, denied):
    assert may(person(role), allowed)
    assert not may(person(role), denied)


def test_only_admins_administer():
    admins = [role for role in Role.values if may(person(role), Capability.ADMINISTER)]
    assert admins == [Role.VRP_ADMIN]


def test_inactive_or_anonymous_users_may_do_nothing():
    assert not may(person(Role.VRP_ADMIN, active=False), Capability.VIEW_KNOWLEDGE)
    assert not may(person(Role.VRP_ADMIN, authenticated=False), Capability.VIEW_KNOWLEDGE)
    assert not may(person("no-such-role"), Capability.VIEW_KNOWLEDGE)
