"""The licensing report as a PDF (fpdf2, pure Python: see docs/decisions/0015): the same
`LicensingReport` the HTML page renders, as tables and simple bars, on landscape A4.

Every page's footer repeats the source and period, so a page printed or quoted on its own
still says what it counts. The PDF uses the standard Helvetica font, which covers Latin-1
only: text outside it (curly quotes, dashes) is written with its nearest Latin-1 character.
"""

from __future__ import annotations

from datetime import date

from fpdf import FPDF
from fpdf.enums import XPos
from fpdf.fonts import FontFace

from observatory.web.dashboards.licensing import (
    MATCHING,
    RANKED_ROWS,
    RATE_HEADING,
    Breakdown,
    LicensingReport,
    rate_text,
)

FONT = "Helvetica"
BRAND = (11, 61, 145)  # the site's --brand blue
HEADINGS = FontFace(emphasis="BOLD", fill_color=(232, 236, 244))
LINE = 5  # mm: the height of a line of body text
BAR_WIDTH = 110  # mm: the longest bar of a chart
# Characters Helvetica cannot show, as the nearest ones it can.
PLAIN = str.maketrans(
    {
        "\u2013": "-", "\u2014": "-", "\u2018": "'", "\u2019": "'",
        "\u201c": '"', "\u201d": '"', "\u2026": "...", "\u00a0": " ",
    }
)  # fmt: skip


def plain(text) -> str:
    """`text` in Latin-1, the standard PDF fonts' character set."""
    return str(text).translate(PLAIN).encode("latin-1", "replace").decode("latin-1")


class _Document(FPDF):
    def __init__(self, report: LicensingReport):
        super().__init__(orientation="landscape", unit="mm", format="A4")
        self.report = report
        self.set_margins(12, 12, 12)
        self.set_auto_page_break(auto=True, margin=16)
        self.set_title(plain(f"Licensing report: {report.area_name}, {report.period}"))
        self.set_author("Observatory")
        self.set_creator("Observatory")

    def footer(self):
        self.set_y(-12)
        self.set_font(FONT, size=8)
        self.set_text_color(74, 74, 74)
        self.cell(0, 4, plain(f"Source: {self.report.source}."), align="L")
        self.cell(0, 4, f"Page {self.page_no()} of {{nb}}", align="R")
        self.set_text_color(0, 0, 0)

    def heading(self, text: str, size: int = 14):
        if self.will_page_break(size + 2 * LINE):
            self.add_page()
        self.ln(2)
        self.set_font(FONT, "B", size)
        self.set_text_color(*BRAND)
        self.multi_cell(0, size * 0.5, plain(text), align="L", new_x=XPos.LMARGIN)
        self.set_text_color(0, 0, 0)
        self.ln(1)

    def paragraph(self, text: str, size: int = 10, style: str = ""):
        self.set_font(FONT, style, size)
        self.multi_cell(0, LINE, plain(text), align="L", new_x=XPos.LMARGIN)
        self.ln(1)


def render(report: LicensingReport) -> bytes:
    """The report as the bytes of a PDF file."""
    pdf = _Document(report)
    pdf.add_page()
    pdf.heading("Licensing report: ED assaults linked to licensed premises", 18)
    pdf.paragraph(f"{report.area_name}, {report.period}", 13, "B")
    pdf.paragraph(
        f"Source: {report.source}. Figures for partnership use: true counts, not rounded "
        f"or suppressed. Produced by Observatory on {date.today().isoformat()}."
    )
    pdf.heading("How assaults are linked to premises", 12)
    pdf.paragraph(MATCHING, 9)
    _summary(pdf, report)
    _ranking(pdf, report)
    if report.top:
        _top_premises(pdf, report)
        for breakdown in report.breakdowns:
            _breakdown(pdf, report, breakdown)
    return bytes(pdf.output())


def _summary(pdf: _Document, report: LicensingReport) -> None:
    pdf.heading("Summary", 12)
    pdf.paragraph(
        f"{report.linked_total:,} ED assault attendances in {report.period} were linked to "
        f"{report.ranked.height:,} of the {report.premises_in_register:,} licensed premises "
        f"in {report.area_name}."
    )


def _ranking(pdf: _Document, report: LicensingReport) -> None:
    pdf.heading(f"Premises ranked by linked assaults, {report.area_name}, {report.period}")
    shown = report.shown
    if not shown:
        pdf.paragraph("No ED assault was linked to a licensed premises here in this period.")
        return
    if report.ranked.height > len(shown):
        pdf.paragraph(
            f"The first {RANKED_ROWS} of {report.ranked.height} premises with a linked "
            "assault; the CSV download from the web page lists them all.",
            9,
        )
    pdf.set_font(FONT, size=8)
    headings = (
        "Rank", "Premises", "Address", "Type", "Licence", "Opening hours",
        "Linked assaults", RATE_HEADING,
    )  # fmt: skip
    with pdf.table(
        col_widths=(10, 40, 55, 22, 24, 58, 20, 44),
        text_align=("RIGHT", "LEFT", "LEFT", "LEFT", "LEFT", "LEFT", "RIGHT", "RIGHT"),
        headings_style=HEADINGS,
        line_height=4,
        width=273,
        align="LEFT",
    ) as table:
        table.row([plain(h) for h in headings])
        for row in shown:
            address = f"{row['address']} {row['postcode'] or ''}".strip()
            cells = (
                row["rank"], row["premises_name"], address, row["premises_type"] or "",
                row["licence_number"], row["opening_hours"] or "", row["count"], rate_text(row),
            )  # fmt: skip
            table.row([plain(cell) for cell in cells])


def _top_premises(pdf: _Document, report: LicensingReport) -> None:
    pdf.add_page()
    pdf.heading(f"The top {len(report.top)} premises, {report.period}")
    for row in report.top:
        if pdf.will_page_break(5 * LINE):
            pdf.add_page()
        pdf.paragraph(f"{row['rank']}. {row['premises_name']}", 11, "B")
        hours = row["opening_hours"] or "not in the register"
        pdf.paragraph(
            f"{row['address']}, {row['postcode'] or ''}. Type: {row['premises_type'] or '-'}. "
            f"Licence: {row['licence_number']}. Opening hours: {hours}. "
            f"Linked assaults: {row['count']}. {RATE_HEADING}: {rate_text(row)}.",
            9,
        )


def _breakdown(pdf: _Document, report: LicensingReport, breakdown: Breakdown) -> None:
    """The area's bars, then the table of the area and each top premises."""
    pdf.heading(f"{breakdown.title}: linked assaults, {report.area_name}, {report.period}")
    pdf.set_font(FONT, size=8)
    largest = max((row.counts[0] for row in breakdown.rows), default=0)
    for row in breakdown.rows:
        if pdf.will_page_break(LINE):
            pdf.add_page()
        pdf.cell(30, 4, plain(row.label))
        pdf.cell(12, 4, str(row.counts[0]), align="R")
        width = BAR_WIDTH * row.counts[0] / largest if largest else 0
        if width:
            pdf.set_fill_color(*BRAND)
            pdf.rect(pdf.get_x() + 3, pdf.get_y() + 0.6, width, 2.8, style="F")
            pdf.set_fill_color(255, 255, 255)
        pdf.ln(4.5)
    pdf.ln(2)
    columns = report.columns
    with pdf.table(
        col_widths=(30,) + (36,) * len(columns),
        text_align=("LEFT",) + ("RIGHT",) * len(columns),
        headings_style=HEADINGS,
        line_height=4,
        width=30 + 36 * len(columns),
        align="LEFT",
    ) as table:
        table.row([plain(breakdown.row_heading), *(plain(c) for c in columns)])
        for row in breakdown.rows:
            table.row([plain(row.label), *(str(count) for count in row.counts)])
