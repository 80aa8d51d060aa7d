"""What the reach pages share to show figures: money and dates as people read them, and the
CSV download of a page's table.

A CSV is exactly the table on the page (the same `Table` of the dashboards, so the same
words for hidden counts), after a few lines of notes: the period, and the caveat that totals
count contacts. The notes come first so nobody reads the numbers without them; each is one
cell, then a blank line before the header row.
"""

import csv
import io

from django.http import HttpResponse

from observatory.web.dashboards.pages import MISSING, Table


def money(value: float | None) -> str:
    """Pounds to the nearest pound with thousands separated: "12,345"."""
    return MISSING if value is None else f"{value:,.0f}"


def dates(row: dict) -> str:
    """A programme's dates: "1 Apr 2025 to 31 Mar 2026"."""
    start, end = row["start_date"], row["end_date"]
    return f"{start.day} {start:%b %Y} to {end.day} {end:%b %Y}"


def share(value: float | None) -> str:
    """A share from 0 to 1 as a whole percentage, or a dash when there is none."""
    return MISSING if value is None else f"{round(100 * value)}%"


def csv_response(table: Table, *, notes: list[str], filename: str) -> HttpResponse:
    """`table` as a CSV attachment, its notes first."""
    out = io.StringIO()
    writer = csv.writer(out)
    for note in notes:
        writer.writerow([note])
    writer.writerow([])
    writer.writerow([label for label, _numeric in table.headers])
    for row in table.rows:
        writer.writerow([cell.text for cell in row])
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
