"""The register as a spreadsheet: CSV and Excel (xlsx) export, and import back.

A file has one header row naming the columns in COLUMNS (their order does not matter;
extra columns are ignored), then one programme per row. Choices (workstream, commissioner,
status) and lists (funding source, approach, provider, local authorities) are written as a
person reads them; local authorities are joined by "; " and may be named or given by ONS
code. Exporting and importing the same file back changes nothing.

Import matches a row to an existing programme by name and provider together, and accounts
for every row: created, updated, unchanged, or rejected with its row number (as the
spreadsheet numbers it: the header is row 1) and a reason. A file that cannot be read at all
raises ImportFileError with one message, and nothing is written; rows are written in one
transaction.
"""

import csv
import datetime
import io
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction

from observatory.web.accounts.models import LocalAuthority, Organisation
from observatory.web.programmes import services
from observatory.web.programmes.models import Approach, FundingSource, Programme
from observatory.web.programmes.spreadsheets import UnreadableFile, read_table

COLUMNS = {
    "name": "Name",
    "provider": "Provider",
    "description": "Description",
    "workstream": "Workstream",
    "commissioner": "Commissioner",
    "funding_source": "Funding source",
    "approach": "Approach",
    "amount": "Amount (£)",
    "start_date": "Start date",
    "end_date": "End date",
    "local_authorities": "Local authorities",
    "places": "Places served",
    "min_age": "Youngest age",
    "max_age": "Oldest age",
    "needs": "Cohort needs",
    "status": "Status",
    "expected_quarterly_reach": "Expected reach per quarter",
}
MAX_ROWS = 10_000
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class ImportFileError(UnreadableFile):
    """The file as a whole cannot be imported; the message says why, for a person."""


@dataclass
class ImportResult:
    """Row numbers and names of each outcome; `rejected` holds (row, name, reason)."""

    created: list[tuple[int, str]] = field(default_factory=list)
    updated: list[tuple[int, str]] = field(default_factory=list)
    unchanged: list[tuple[int, str]] = field(default_factory=list)
    rejected: list[tuple[int, str, str]] = field(default_factory=list)

    @property
    def rows(self) -> int:
        return sum(map(len, (self.created, self.updated, self.unchanged, self.rejected)))


class RowError(Exception):
    """One row cannot be imported; the message is the reason shown to the person."""


# Export


def export_rows(programmes) -> list[dict[str, str]]:
    """Each programme as {column key: text}, in the order given."""
    programmes = programmes.prefetch_related("local_authorities")
    return [{key: services.describe(p)[key] for key in COLUMNS} for p in programmes]


def export_csv(programmes) -> str:
    """The programmes as CSV text with a header row of COLUMNS' titles."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS.values())
    for row in export_rows(programmes):
        writer.writerow(row.values())
    return out.getvalue()


def export_xlsx(programmes) -> bytes:
    """The programmes as an Excel workbook: one sheet, dates and numbers typed as such,
    text never taken for a formula."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "Programmes"
    sheet.append(list(COLUMNS.values()))
    for row in export_rows(programmes):
        sheet.append([_typed(key, value) for key, value in row.items()])
    for cells in sheet.iter_rows(min_row=2):
        for cell in cells:
            if isinstance(cell.value, str):
                cell.data_type = "s"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _typed(key: str, text: str):
    if not text:
        return None
    if key in ("start_date", "end_date"):
        return datetime.date.fromisoformat(text)
    if key == "amount":
        return Decimal(text)
    if key in ("min_age", "max_age", "expected_quarterly_reach"):
        return int(text)
    return text


# Import


def read_file(name: str, content: bytes) -> list[dict[str, str]]:
    """The rows of an uploaded CSV or xlsx file as {column key: text}, or ImportFileError."""
    try:
        table = read_table(name, content)
    except UnreadableFile as error:
        raise ImportFileError(f"{error} Export the register to see the format.") from None
    table = [row for row in table if any(cell.strip() for cell in row)]
    if not table:
        raise ImportFileError("The file is empty: it has no header row.")
    header = [cell.strip().lower() for cell in table[0]]
    positions = {}
    for key, title in COLUMNS.items():
        if title.lower() in header:
            positions[key] = header.index(title.lower())
    missing = [title for key, title in COLUMNS.items() if key not in positions]
    if missing:
        raise ImportFileError(
            "The file lacks these columns: "
            + ", ".join(missing)
            + ". The first row must name the columns as an export of the register does."
        )
    if len(table) - 1 > MAX_ROWS:
        raise ImportFileError(f"The file has more than {MAX_ROWS:,} programmes; split it.")
    return [
        {key: (row[i].strip() if i < len(row) else "") for key, i in positions.items()}
        for row in table[1:]
    ]


def import_file(name: str, content: bytes, who) -> ImportResult:
    """Create or update programmes from an uploaded file, accounting for every row. Raises
    ImportFileError (nothing written) when the file cannot be read."""
    rows = read_file(name, content)
    lookups = _Lookups()
    result = ImportResult()
    seen: dict[tuple[str, int], int] = {}
    with transaction.atomic():
        for number, row in enumerate(rows, start=2):
            label = row.get("name") or "(no name)"
            try:
                data = _parse(row, lookups)
                key = (data["name"].lower(), data["provider"].pk)
                if key in seen:
                    raise RowError(f"the same programme and provider as row {seen[key]}")
                seen[key] = number
                _save(number, label, data, who, result)
            except RowError as error:
                result.rejected.append((number, label, str(error)))
    return result


def _save(number: int, label: str, data: dict, who, result: ImportResult) -> None:
    existing = Programme.objects.filter(
        name__iexact=data["name"], provider=data["provider"]
    ).first()
    try:
        with transaction.atomic():
            if existing is None:
                services.create_programme(data, who)
                result.created.append((number, label))
            elif services.update_programme(existing, data, who):
                result.updated.append((number, label))
            else:
                result.unchanged.append((number, label))
    except ValidationError as error:
        raise RowError(_reason(error)) from None


def _reason(error: ValidationError) -> str:
    if hasattr(error, "message_dict"):
        return "; ".join(
            f"{services.field_label(key) if key != '__all__' else 'row'}: {' '.join(messages)}"
            for key, messages in error.message_dict.items()
        )
    return " ".join(error.messages)


class _Lookups:
    """The maintained lists, read once per import, matched case-insensitively."""

    def __init__(self):
        self.providers = {o.name.lower(): o for o in Organisation.objects.all()}
        self.funders = {f.name.lower(): f for f in FundingSource.objects.all()}
        self.approaches = {a.name.lower(): a for a in Approach.objects.all()}
        self.authorities = {}
        for authority in LocalAuthority.objects.all():
            self.authorities[authority.name.lower()] = authority
            self.authorities[authority.code.lower()] = authority


def _parse(row: dict[str, str], lookups: _Lookups) -> dict:
    """A row's text as the model's values, or RowError naming the first problem found."""
    if not row["name"]:
        raise RowError("the name is empty")
    authorities = []
    for part in filter(None, (p.strip() for p in row["local_authorities"].split(";"))):
        authorities.append(_lookup(lookups.authorities, part, "local authority"))
    if not authorities:
        raise RowError("no local authority is named (separate several with “;”)")
    return {
        "name": row["name"],
        "provider": _lookup(lookups.providers, row["provider"], "provider organisation"),
        "description": row["description"],
        "workstream": _choice(Programme.Workstream, row["workstream"], "workstream"),
        "commissioner": _choice(Programme.Commissioner, row["commissioner"], "commissioner"),
        "funding_source": _lookup(lookups.funders, row["funding_source"], "funding source"),
        "approach": _lookup(lookups.approaches, row["approach"], "approach"),
        "amount": _amount(row["amount"]),
        "start_date": _date(row["start_date"], "start date"),
        "end_date": _date(row["end_date"], "end date"),
        "local_authorities": authorities,
        "places": row["places"],
        "min_age": _whole(row["min_age"], "youngest age", required=False),
        "max_age": _whole(row["max_age"], "oldest age", required=False),
        "needs": row["needs"],
        "status": _choice(Programme.Status, row["status"], "status"),
        "expected_quarterly_reach": _whole(
            row["expected_quarterly_reach"], "expected reach per quarter"
        ),
    }


def _lookup(known: dict, text: str, what: str):
    if not text:
        raise RowError(f"the {what} is empty")
    try:
        return known[text.lower()]
    except KeyError:
        raise RowError(f"unknown {what} “{text}”") from None


def _choice(choices, text: str, what: str) -> str:
    for value, label in choices.choices:
        if text.lower() in (value.lower(), label.lower()):
            return value
    expected = ", ".join(label for _, label in choices.choices)
    raise RowError(f"unknown {what} “{text}” (expected one of: {expected})")


def _amount(text: str) -> Decimal:
    try:
        amount = Decimal(text.replace("£", "").replace(",", "").strip())
    except InvalidOperation:
        raise RowError(f"the amount “{text}” is not a number of pounds") from None
    if not amount.is_finite():
        raise RowError(f"the amount “{text}” is not a number of pounds")
    if amount < 0:
        raise RowError(f"the amount {text} is negative")
    return amount.quantize(Decimal("0.01"))


def _date(text: str, what: str) -> datetime.date:
    for pattern in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise RowError(f"the {what} “{text}” is not a date (write it as 2025-04-01 or 01/04/2025)")


def _whole(text: str, what: str, required: bool = True) -> int | None:
    if not text:
        if required:
            raise RowError(f"the {what} is empty")
        return None
    try:
        number = int(text)
    except ValueError:
        raise RowError(f"the {what} “{text}” is not a whole number") from None
    if number < 0:
        raise RowError(f"the {what} {text} is negative")
    return number
