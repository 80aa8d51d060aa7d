"""The programme register's rules: who sees which programmes, filtering and search, and
saving a programme with its history.

Every view and export reads programmes through `programmes_visible_to(user)`, so a provider
never sees another organisation's programme, whatever id they guess. Every create or update
goes through `create_programme` / `update_programme`, which record one `ProgrammeChange` per
changed field (who, when, old value, new value).
"""

from decimal import Decimal

from django.db import transaction
from django.db.models import Q, QuerySet

from observatory.web.accounts.roles import Capability, may
from observatory.web.programmes.models import Programme, ProgrammeChange

# The fields a person edits, in form and file order; their history is recorded.
EDITABLE_FIELDS = [
    "name",
    "description",
    "workstream",
    "commissioner",
    "funding_source",
    "provider",
    "amount",
    "start_date",
    "end_date",
    "local_authorities",
    "places",
    "min_age",
    "max_age",
    "needs",
    "approach",
    "status",
    "expected_quarterly_reach",
]
_SCALAR_FIELDS = [field for field in EDITABLE_FIELDS if field != "local_authorities"]


def programmes_visible_to(user) -> QuerySet:
    """The programmes `user` may see: all of them for commissioning leads and roles that see
    every organisation; only their own organisation's for a provider; none otherwise."""
    programmes = Programme.objects.select_related("provider", "funding_source", "approach")
    if may(user, Capability.MANAGE_PROGRAMMES) or may(user, Capability.VIEW_ALL_ORGANISATIONS):
        return programmes.all()
    if may(user, Capability.VIEW_PROGRAMMES) and user.organisation_id is not None:
        return programmes.filter(provider_id=user.organisation_id)
    return programmes.none()


def filter_programmes(programmes: QuerySet, filters: dict) -> QuerySet:
    """Narrow `programmes` by the non-empty entries of `filters` (a FilterForm's cleaned
    data): workstream, local_authority, funding_source, approach, status, and `q`, searched
    in name, description and provider name (case-insensitive)."""
    if filters.get("workstream"):
        programmes = programmes.filter(workstream=filters["workstream"])
    if filters.get("local_authority"):
        programmes = programmes.filter(local_authorities=filters["local_authority"])
    if filters.get("funding_source"):
        programmes = programmes.filter(funding_source=filters["funding_source"])
    if filters.get("approach"):
        programmes = programmes.filter(approach=filters["approach"])
    if filters.get("status"):
        programmes = programmes.filter(status=filters["status"])
    if query := (filters.get("q") or "").strip():
        programmes = programmes.filter(
            Q(name__icontains=query)
            | Q(description__icontains=query)
            | Q(provider__name__icontains=query)
        )
    return programmes.distinct()


def describe(programme: Programme, local_authorities=None) -> dict[str, str]:
    """Each editable field of a programme as a person reads it: choices by label, related
    rows by name, amounts to the penny, dates as YYYY-MM-DD, local authorities sorted and
    joined by "; " (`local_authorities` given for an unsaved programme, else read)."""
    shown = {}
    for field in _SCALAR_FIELDS:
        value = getattr(programme, field)
        display = getattr(programme, f"get_{field}_display", None)
        if display is not None:
            shown[field] = display()
        elif value is None:
            shown[field] = ""
        elif isinstance(value, Decimal):
            shown[field] = f"{value:.2f}"
        elif hasattr(value, "isoformat"):
            shown[field] = value.isoformat()
        else:
            shown[field] = str(value)
    if local_authorities is None:
        local_authorities = programme.local_authorities.all()
    shown["local_authorities"] = "; ".join(sorted(a.name for a in local_authorities))
    return shown


def field_label(field: str) -> str:
    """A field's label as the form shows it, e.g. "end date"."""
    return str(Programme._meta.get_field(field).verbose_name)


@transaction.atomic
def create_programme(data: dict, who) -> Programme:
    """Create a programme from validated `data` (model field names; `local_authorities` an
    iterable of LocalAuthority) and record its creation in the history."""
    programme = Programme(**{field: data.get(field) for field in _SCALAR_FIELDS})
    _fill_blanks(programme)
    programme.full_clean(exclude=["local_authorities"])
    programme.save()
    programme.local_authorities.set(data["local_authorities"])
    ProgrammeChange.objects.create(
        programme=programme,
        who=who,
        who_name=who.get_username(),
        field="created",
        new_value=programme.name,
    )
    return programme


def pending_changes(programme: Programme, data: dict) -> dict[str, tuple[str, str]]:
    """What saving `data` over the stored `programme` would change: {field: (old, new)}.
    Reads the stored row afresh, so a form that mutated `programme` does not hide a change."""
    stored = Programme.objects.get(pk=programme.pk)
    before = describe(stored)
    after_row = Programme(pk=stored.pk, **{field: data.get(field) for field in _SCALAR_FIELDS})
    _fill_blanks(after_row)
    after = describe(after_row, data["local_authorities"])
    return {
        field: (before[field], after[field]) for field in before if before[field] != after[field]
    }


@transaction.atomic
def update_programme(programme: Programme, data: dict, who) -> list[ProgrammeChange]:
    """Save validated `data` over `programme`, recording one ProgrammeChange per changed
    field; returns them (empty when nothing changed, and then nothing is written)."""
    changes = pending_changes(programme, data)
    if not changes:
        return []
    stored = Programme.objects.select_for_update().get(pk=programme.pk)
    for field in _SCALAR_FIELDS:
        setattr(stored, field, data.get(field))
    _fill_blanks(stored)
    stored.full_clean(exclude=["local_authorities"])
    stored.save()
    stored.local_authorities.set(data["local_authorities"])
    return ProgrammeChange.objects.bulk_create(
        ProgrammeChange(
            programme=stored,
            who=who,
            who_name=who.get_username(),
            field=field,
            old_value=old,
            new_value=new,
        )
        for field, (old, new) in changes.items()
    )


def _fill_blanks(programme: Programme) -> None:
    """Text fields left out or None are stored as empty text, as the form stores them."""
    for field in ("description", "places", "needs"):
        if getattr(programme, field) is None:
            setattr(programme, field, "")
