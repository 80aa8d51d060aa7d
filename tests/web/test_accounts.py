"""Users, organisations and roles in the database."""

import pytest
from django.core.exceptions import ValidationError

from observatory.errors import ObservatoryError
from observatory.web.accounts.models import LocalAuthority, Organisation, User
from observatory.web.accounts.roles import Role
from observatory.web.accounts.services import create_organisation, create_user

pytestmark = pytest.mark.django_db


def test_the_seven_west_midlands_authorities_are_there_from_the_start():
    assert dict(LocalAuthority.objects.values_list("code", "name")) == {
        "E08000025": "Birmingham",
        "E08000026": "Coventry",
        "E08000027": "Dudley",
        "E08000028": "Sandwell",
        "E08000029": "Solihull",
        "E08000030": "Walsall",
        "E08000031": "Wolverhampton",
    }


def test_staff_and_superuser_flags_follow_the_role():
    team = create_organisation("VRP", "vrp_core")
    user = create_user("sam", Role.VRP_ADMIN, "a-long-Test-passphrase-42", organisation=team)
    assert user.is_staff and user.is_superuser
    user.role = Role.PROVIDER
    user.save(update_fields=["role"])
    user.refresh_from_db()
    assert not user.is_staff and not user.is_superuser


def test_flags_cannot_be_set_behind_the_roles_back():
    team = create_organisation("Charity", "voluntary")
    user = create_user("pat", Role.PROVIDER, "a-long-Test-passphrase-42", organisation=team)
    user.is_superuser = user.is_staff = True
    user.save()
    user.refresh_from_db()
    assert not user.is_superuser and not user.is_staff


def test_users_other_than_admins_need_an_organisation():
    with pytest.raises(ObservatoryError, match="belongs to an organisation"):
        create_user("lone", Role.PARTNER, "a-long-Test-passphrase-42")
    admin = create_user("boss", Role.VRP_ADMIN, "a-long-Test-passphrase-42")
    assert admin.organisation is None


def test_weak_passwords_are_refused_with_the_reason():
    team = create_organisation("Charity", "voluntary")
    with pytest.raises(ObservatoryError, match=r"too short|too common"):
        create_user("weak", Role.PROVIDER, "abc", organisation=team)
    assert not User.objects.filter(username="weak").exists()


def test_unknown_role_and_kind_are_refused():
    with pytest.raises(ObservatoryError, match="unknown role"):
        create_user("x", "superhero", "a-long-Test-passphrase-42")
    with pytest.raises(ObservatoryError, match="unknown organisation kind"):
        create_organisation("X", "pub")


def test_organisation_area_by_code_or_name():
    by_code = create_organisation("Council A", "local_authority", "E08000026")
    by_name = create_organisation("Council B", "local_authority", "dudley")
    assert by_code.area_name == "Coventry"
    assert by_name.area_name == "Dudley"
    with pytest.raises(ObservatoryError, match="no local authority 'Atlantis'"):
        create_organisation("Council C", "local_authority", "Atlantis")


def test_duplicate_organisation_names_are_refused():
    create_organisation("Same Name", "health")
    with pytest.raises(ObservatoryError, match="already exists"):
        create_organisation("Same Name", "health")


def test_local_authority_code_format_is_checked():
    with pytest.raises(ValidationError):
        LocalAuthority(code="X123", name="Nowhere").full_clean()
    assert Organisation.Kind.VRP_CORE.label == "VRP core team"


def test_createsuperuser_path_makes_a_vrp_admin():
    user = User.objects.create_superuser("root", "root@example.org", "a-long-Test-passphrase-42")
    assert user.role == Role.VRP_ADMIN and user.is_staff


def test_the_tests_run_on_the_database_asked_for(request):
    """Guards the PostgreSQL pass: it must really be PostgreSQL, not SQLite again."""
    from django.db import connection

    expected = "postgresql" if request.config.getoption("--db") == "postgres" else "sqlite"
    assert connection.vendor == expected
