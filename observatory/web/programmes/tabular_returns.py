"""A quarterly return as a spreadsheet: the pre-filled template a provider downloads (CSV or
Excel), and reading it back into `returns.Figures` once they have filled it in.

The layout is long, one figure a row, so it fills in like a list in any spreadsheet:

    Section | Code | Item | Value

`Code` identifies the figure and is all the reader relies on ("participants_new",
"age_band:15-17", "outcome:7"); `Section` and `Item` are for people. Breakdown codes carry
their dimension as a prefix, which also stops Excel from reading "10-14" as a date. The first
rows ("About this return") say which programme and quarter the template is for, so a template
uploaded to the wrong return is refused, naming both, before anything is saved.

Reading accepts CSV (UTF-8 with or without a byte-order mark, or Excel's Windows encoding;
comma, semicolon or tab separated) and .xlsx. Every problem is one sentence naming the row
and item, raised as TemplateError; an empty value counts as zero.
"""

import csv
import io
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from observatory.errors import ObservatoryError
from observatory.web.programmes import categories
from observatory.web.programmes.models import Outcome, Programme, QuarterlyReturn
from observatory.web.programmes.quarters import Quarter
from observatory.web.programmes.returns import Figures, figures_of, returns_visible_to
from observatory.web.programmes.spreadsheets import UnreadableFile, read_table

HEADER = ("Section", "Code", "Item", "Value")
SHEET_TITLE = "Return"
ABOUT = "About this return"
PROGRAMME_ID, QUARTER = "programme_id", "quarter"
TEXT_FIELDS = ("reach_explanation", "case_study")
WHOLE_FIELDS = (
    "participants_new",
    "participants_continuing",
    "sessions_delivered",
    "professionals_trained",
    "referrals_onward",
)
DECIMAL_FIELDS = ("hours_delivered",)
# Far above any real quarter, and within what the database stores.
MAX_COUNT = 1_000_000
SECTION_OF_DIMENSION = {
    "age_band": "Participants by age band",
    "sex": "Participants by sex",
    "ethnicity": "Participants by ethnic group",
    "local_authority": "Participants by local authority of residence",
    "referral_source": "Referrals in, by source",
}
INSTRUCTIONS = [
    "How to fill in this return",
    "Type your figures in the Value column only; leave the other columns as they are.",
    "Counts are whole numbers of 0 or more; hours may have one decimal place. "
    "An empty value counts as 0.",
    "Each breakdown of participants (age band, sex, ethnic group, local authority) must add up "
    "to new plus continuing participants: count people you know nothing about as "
    "'not known'.",
    "Explain in 'Reach explanation' when reach is far from what was expected.",
    "Save the file as it is (.xlsx, or CSV if you downloaded CSV) and upload it on the "
    "return's page. The rows 'About this return' must stay as they are: they say which "
    "programme and quarter the file is for.",
    "Uploading saves the figures as a draft; you can check and change them on the web "
    "form before you submit.",
]


class TemplateError(UnreadableFile):
    """The uploaded file cannot be read as this return; the message says why, for a person."""


@dataclass(frozen=True)
class Row:
    """One row of the template: `kind` says how its value is read ("whole", "decimal",
    "text", or "about" for the identifying rows)."""

    section: str
    code: str
    item: str
    kind: str
    value: object


def rows(programme: Programme, quarter: Quarter, figures: Figures) -> list[Row]:
    """The template's rows for `programme` and `quarter`, pre-filled with `figures`."""
    about = [
        Row(ABOUT, PROGRAMME_ID, "Programme id", "about", programme.pk),
        Row(ABOUT, "programme", "Programme", "about", programme.name),
        Row(ABOUT, "provider", "Provider", "about", programme.provider.name),
        Row(ABOUT, QUARTER, f"Quarter ({quarter.months})", "about", quarter.label),
    ]
    headline = [
        Row(
            "Headline figures",
            name,
            _field_label(name),
            "decimal" if name in DECIMAL_FIELDS else "whole",
            getattr(figures, name),
        )
        for name in (*WHOLE_FIELDS[:3], *DECIMAL_FIELDS, *WHOLE_FIELDS[3:])
    ]
    breakdowns = [
        Row(
            SECTION_OF_DIMENSION[dimension],
            f"{dimension}:{code}",
            label,
            "whole",
            figures.breakdowns.get(dimension, {}).get(code, 0),
        )
        for dimension in categories.DIMENSIONS
        for code, label in categories.categories(dimension)
    ]
    outcomes = [
        Row("Outcomes achieved", f"outcome:{outcome.pk}", outcome.name, "whole", count)
        for outcome, count in _outcomes(figures)
    ]
    texts = [
        Row("Explanations", name, _field_label(name), "text", getattr(figures, name))
        for name in TEXT_FIELDS
    ]
    return [*about, *headline, *breakdowns, *outcomes, *texts]


def current_figures(programme: Programme, quarter: Quarter, user) -> Figures:
    """The return's stored figures, as `user` may see them, or zeros when there is none."""
    stored = returns_visible_to(user).filter(programme=programme, quarter_start=quarter.start)
    found = stored.first()
    return figures_of(found) if found else Figures()


def _field_label(name: str) -> str:
    return str(QuarterlyReturn._meta.get_field(name).verbose_name).capitalize()


def _outcomes(figures: Figures) -> list[tuple[Outcome, int]]:
    """Active outcomes, plus retired ones this return already counts."""
    outcomes = Outcome.objects.filter(active=True) | Outcome.objects.filter(
        name__in=[name for name, count in figures.outcomes.items() if count]
    )
    return [(outcome, figures.outcomes.get(outcome.name, 0)) for outcome in outcomes.distinct()]


def file_name(programme: Programme, quarter: Quarter, extension: str) -> str:
    """E.g. "return-12-2025-26-q2.xlsx": ASCII only, so every browser keeps it."""
    label = quarter.label.lower().replace(" ", "-")
    return f"return-{programme.pk}-{label}.{extension}"


# Writing


def template_csv(programme: Programme, quarter: Quarter, figures: Figures) -> bytes:
    """The template as CSV, UTF-8 with a byte-order mark so Excel shows accents and quotes
    correctly when it opens the file."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADER)
    for row in rows(programme, quarter, figures):
        writer.writerow([row.section, row.code, row.item, _plain(row.value)])
    return out.getvalue().encode("utf-8-sig")


def _plain(value) -> str:
    return f"{value:f}" if isinstance(value, Decimal) else str(value)


def template_xlsx(programme: Programme, quarter: Quarter, figures: Figures) -> bytes:
    """The template as an Excel workbook: the return on its first sheet, with only the Value
    column unlocked and numbers validated as they are typed, and the instructions on a
    second sheet."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, Protection
    from openpyxl.worksheet.datavalidation import DataValidation

    book = Workbook()
    sheet = book.active
    sheet.title = SHEET_TITLE
    sheet.append(HEADER)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    whole = DataValidation(
        type="whole",
        operator="between",
        formula1="0",
        formula2=str(MAX_COUNT),
        showErrorMessage=True,
        errorTitle="Not a count",
        error="Type a whole number of 0 or more.",
    )
    decimal = DataValidation(
        type="decimal",
        operator="between",
        formula1="0",
        formula2=str(MAX_COUNT),
        showErrorMessage=True,
        errorTitle="Not a number of hours",
        error="Type a number of hours of 0 or more, e.g. 12.5.",
    )
    sheet.add_data_validation(whole)
    sheet.add_data_validation(decimal)
    for number, row in enumerate(rows(programme, quarter, figures), start=2):
        value = float(row.value) if isinstance(row.value, Decimal) else row.value
        sheet.append([row.section, row.code, row.item, value])
        value_cell = sheet.cell(row=number, column=4)
        for cell in sheet[number][:3]:
            cell.data_type = "s"
        if row.kind == "about":
            value_cell.font = Font(bold=True)
            if isinstance(row.value, str):
                value_cell.data_type = "s"
            continue
        value_cell.protection = Protection(locked=False)
        if row.kind == "whole":
            whole.add(value_cell)
        elif row.kind == "decimal":
            decimal.add(value_cell)
            value_cell.number_format = "0.0"
        else:
            value_cell.data_type = "s"
            value_cell.alignment = Alignment(wrap_text=True, vertical="top")
    for column, width in zip("ABCD", (42, 26, 52, 40), strict=True):
        sheet.column_dimensions[column].width = width
    sheet.freeze_panes = "A2"
    sheet.protection.sheet = True  # no password: it guards against slips, not people
    help_sheet = book.create_sheet("Instructions")
    for line in INSTRUCTIONS:
        help_sheet.append([line])
    help_sheet["A1"].font = Font(bold=True, size=14)
    help_sheet.column_dimensions["A"].width = 110
    for cells in help_sheet.iter_rows():
        cells[0].alignment = Alignment(wrap_text=True)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# Reading


def read_template(name: str, content: bytes, programme: Programme, quarter: Quarter) -> Figures:
    """The figures in an uploaded template for `programme` and `quarter`. Raises
    TemplateError with one sentence when the file is of the wrong type, is for another
    programme or quarter, lacks rows, or holds a value that is not a count."""
    try:
        table = read_table(name, content, sheet=SHEET_TITLE)
    except TemplateError:
        raise
    except UnreadableFile as error:
        raise TemplateError(
            f"{error} Upload the template you downloaded, as .csv or .xlsx."
        ) from None
    header_at = next(
        (i for i, cells in enumerate(table) if _is_header(cells)),
        None,
    )
    if header_at is None:
        raise TemplateError(
            "The file has no header row with Code and Value columns: download the template "
            "for this return and fill that in."
        )
    header = [cell.strip().lower() for cell in table[header_at]]
    code_at, value_at = header.index("code"), header.index("value")
    values: dict[str, tuple[int, str]] = {}
    for number, cells in enumerate(table[header_at + 1 :], start=header_at + 2):
        code = cells[code_at].strip() if code_at < len(cells) else ""
        if not code:
            continue
        if code in values:
            first = values[code][0]
            raise TemplateError(
                f"Row {number}: the item “{code}” appears twice (first on row {first}); "
                "keep one of them."
            )
        values[code] = (number, cells[value_at].strip() if value_at < len(cells) else "")
    _check_identity(values, programme, quarter)
    expected = {row.code: row for row in rows(programme, quarter, Figures())}
    _check_outcome_rows(values, expected)
    missing = [row for code, row in expected.items() if code not in values]
    if missing:
        listed = "; ".join(f"{row.section}: {row.item}" for row in missing[:5])
        more = f" and {len(missing) - 5} more" if len(missing) > 5 else ""
        raise TemplateError(
            f"The file lacks {len(missing)} row{'s' if len(missing) > 1 else ''} of the "
            f"template ({listed}{more}): download the template again and fill that in."
        )
    unknown = [(number, code) for code, (number, _) in values.items() if code not in expected]
    if unknown:
        number, code = unknown[0]
        raise TemplateError(
            f"Row {number}: “{code}” is not an item of this template; leave the Code column "
            "as it was downloaded."
        )
    return _figures(values, expected)


def _is_header(cells: list[str]) -> bool:
    lowered = [cell.strip().lower() for cell in cells]
    return "code" in lowered and "value" in lowered


def _check_identity(values, programme: Programme, quarter: Quarter) -> None:
    """Refuse a template made for another programme or quarter, naming both. Names the
    template's programme as the file writes it: looking it up by id would tell a provider
    the name of a programme they may not see."""
    if PROGRAMME_ID not in values or QUARTER not in values:
        raise TemplateError(
            "The file lacks the rows that say which programme and quarter it is for "
            f"(“{ABOUT}”): download the template for this return and fill that in."
        )
    file_programme = values[PROGRAMME_ID][1]
    file_quarter = values[QUARTER][1]
    same_programme = file_programme.removesuffix(".0") == str(programme.pk)
    try:
        same_quarter = Quarter.parse(file_quarter) == quarter
    except ObservatoryError:
        same_quarter = False
    if same_programme and same_quarter:
        return
    file_name_row = values.get("programme", (0, ""))[1] or f"programme {file_programme}"
    if same_programme:
        raise TemplateError(
            f"This template is for {file_name_row}, {file_quarter}; you are uploading to "
            f"{quarter.label}. Download the template for {quarter.label} and fill that in."
        )
    raise TemplateError(
        f"This template is for {file_name_row}, {file_quarter}; you are uploading to "
        f"{programme.name}, {quarter.label}. Upload it on that programme's return, or download "
        "this return's template."
    )


def _check_outcome_rows(values, expected: dict[str, Row]) -> None:
    """A template downloaded before a lead retired an outcome still counts it: accept its
    row (it names an outcome that exists) rather than refuse the whole file."""
    for code in values:
        if code.startswith("outcome:") and code not in expected:
            number = values[code][0]
            outcome_id = code.removeprefix("outcome:")
            outcome = outcome_id.isdigit() and Outcome.objects.filter(pk=outcome_id).first()
            if outcome:
                expected[code] = Row("Outcomes achieved", code, outcome.name, "whole", 0)
            else:
                raise TemplateError(
                    f"Row {number}: “{code}” is not an outcome this partnership counts; "
                    "download the template again."
                )


def _figures(values, expected: dict[str, Row]) -> Figures:
    figures = Figures()
    for code, row in expected.items():
        number, text = values[code]
        where = f"Row {number} ({row.section}: {row.item})"
        if row.kind == "about":
            continue
        if row.kind == "text":
            setattr(figures, code, text)
        elif row.kind == "decimal":
            setattr(figures, code, _decimal(text, where))
        elif code.startswith("outcome:"):
            figures.outcomes[row.item] = _whole(text, where)
        elif ":" in code:
            dimension, category = code.split(":", 1)
            figures.breakdowns.setdefault(dimension, {})[category] = _whole(text, where)
        else:
            setattr(figures, code, _whole(text, where))
    return figures


def _number(text: str, where: str) -> Decimal:
    cleaned = text.replace(",", "").replace(" ", "")
    if not cleaned:
        return Decimal(0)
    try:
        number = Decimal(cleaned)
    except InvalidOperation:
        raise TemplateError(f"{where}: “{text}” is not a number.") from None
    if not number.is_finite():
        raise TemplateError(f"{where}: “{text}” is not a number.")
    if number < 0:
        raise TemplateError(f"{where}: {text} is negative; counts are 0 or more.")
    if number > MAX_COUNT:
        raise TemplateError(f"{where}: {text} is more than {MAX_COUNT:,}; check the number.")
    return number


def _whole(text: str, where: str) -> int:
    number = _number(text, where)
    if number != number.to_integral_value():
        raise TemplateError(f"{where}: {text} is not a whole number.")
    return int(number)


def _decimal(text: str, where: str) -> Decimal:
    number = _number(text, where)
    if number != number.quantize(Decimal("0.1")):
        raise TemplateError(f"{where}: {text} has more than one decimal place.")
    return number.quantize(Decimal("0.1"))
