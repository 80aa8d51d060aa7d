"""Creating organisations and users: the one place the CLI, the admin and the demo go through."""

import secrets

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction

from observatory.errors import ObservatoryError
from observatory.web.accounts.models import LocalAuthority, Organisation, User
from observatory.web.accounts.roles import Role


def _describe(error: ValidationError) -> str:
    if hasattr(error, "message_dict"):
        return "; ".join(
            f"{field}: {' '.join(messages)}" if field != "__all__" else " ".join(messages)
            for field, messages in error.message_dict.items()
        )
    return " ".join(error.messages)


def find_local_authority(code_or_name: str) -> LocalAuthority:
    """A local authority by ONS code or name (case-insensitive)."""
    match = LocalAuthority.objects.filter(code__iexact=code_or_name).first() or (
        LocalAuthority.objects.filter(name__iexact=code_or_name).first()
    )
    if match is None:
        known = ", ".join(LocalAuthority.objects.values_list("name", flat=True))
        raise ObservatoryError(f"no local authority '{code_or_name}': known ones are {known}")
    return match


def create_organisation(name: str, kind: str, local_authority: str | None = None) -> Organisation:
    """Create an organisation; `local_authority` is an ONS code or a name, None for region-wide."""
    if kind not in Organisation.Kind.values:
        raise ObservatoryError(
            f"unknown organisation kind '{kind}': use one of {', '.join(Organisation.Kind.values)}"
        )
    organisation = Organisation(
        name=name.strip(),
        kind=kind,
        local_authority=find_local_authority(local_authority) if local_authority else None,
    )
    try:
        organisation.full_clean()
    except ValidationError as error:
        raise ObservatoryError(f"cannot create organisation: {_describe(error)}") from None
    organisation.save()
    return organisation


def find_organisation(name: str) -> Organisation:
    match = Organisation.objects.filter(name__iexact=name.strip()).first()
    if match is None:
        raise ObservatoryError(
            f"no organisation named '{name}': create it with `observatory organisations add`"
        )
    return match


def generate_password() -> str:
    """A random password strong enough for every configured validator."""
    return secrets.token_urlsafe(15)


@transaction.atomic
def create_user(
    username: str,
    role: str,
    password: str,
    organisation: Organisation | None = None,
    email: str = "",
    full_name: str = "",
) -> User:
    """Create a user after checking the role, the organisation rule and the password rules."""
    if role not in Role.values:
        raise ObservatoryError(f"unknown role '{role}': use one of {', '.join(Role.values)}")
    first_name, _, last_name = full_name.strip().partition(" ")
    user = User(
        username=username,
        email=email,
        role=role,
        organisation=organisation,
        first_name=first_name,
        last_name=last_name,
    )
    try:
        user.full_clean(exclude=["password"])
        validate_password(password, user)
    except ValidationError as error:
        raise ObservatoryError(f"cannot create user '{username}': {_describe(error)}") from None
    user.set_password(password)
    user.save()
    return user
