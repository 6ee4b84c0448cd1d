"""The report as a PDF for the board: a cover page, contents with page numbers, the statements,
all notes and page numbers, with the "Avvik" list as an appendix when the report has one, and
the tie-outs ("Avstemminger") before it when asked for (``nhnfin report --with-checks``).

The PDF is printed from HTML with CSS paged media by WeasyPrint; the HTML is made of the same
pieces as ``--format html`` (:func:`nhnfin.reports.text.html_table`, :func:`html_note`), so a
figure prints the same in both.
"""

from __future__ import annotations

import html

from nhnfin.model import Report

from .grid import Grid
from .grid import findings_grids
from .grid import note_parts
from .grid import statement_grid
from .text import html_note
from .text import html_table

PAGE_STYLE = """
@page {
  size: A4;
  margin: 22mm 18mm 22mm 18mm;
  @bottom-center { content: "Side " counter(page) " av " counter(pages); font-size: 8pt;
                   font-family: "DejaVu Sans", sans-serif; }
  @top-right { content: string(entity) " – " string(title); font-size: 8pt;
               font-family: "DejaVu Sans", sans-serif; color: #555; }
}
@page cover { @bottom-center { content: none; } @top-right { content: none; } }
body { font-family: "DejaVu Sans", sans-serif; font-size: 9pt; line-height: 1.35; }
.cover { page: cover; height: 230mm; display: flex; flex-direction: column;
         justify-content: center; text-align: center; }
.cover h1 { font-size: 26pt; margin: 0 0 6mm 0; string-set: entity content(); }
.cover .year { font-size: 18pt; string-set: title attr(data-title); }
.cover .sub { font-size: 11pt; color: #444; margin-top: 12mm; }
nav.contents { break-before: page; break-after: page; }
nav.contents h2 { font-size: 14pt; }
nav.contents ol { list-style: none; padding: 0; }
nav.contents li { margin: 1.5mm 0; }
nav.contents a { color: black; text-decoration: none; }
nav.contents a::after { content: leader(".") target-counter(attr(href), page); }
section.statement, section.note.first, section.appendix { break-before: page; }
h2 { font-size: 13pt; margin: 5mm 0 3mm 0; break-after: avoid; }
h3 { font-size: 10pt; margin: 4mm 0 2mm 0; break-after: avoid; }
p { margin: 0 0 2.5mm 0; orphans: 3; widows: 3; }
table { border-collapse: collapse; margin: 2mm 0 5mm 0; width: 100%; page-break-inside: auto; }
tr { page-break-inside: avoid; }
th, td { padding: 0.6mm 1.8mm; vertical-align: top; }
thead th { border-bottom: 0.8pt solid #333; text-align: right; font-weight: bold; }
thead th:first-child { text-align: left; }
td { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
th[scope=row] { text-align: left; font-weight: normal; }
tr.sum th, tr.sum td { font-weight: bold; border-top: 0.5pt solid #333; }
section.appendix td { white-space: normal; text-align: left; font-size: 7.5pt; }
"""


def _statement(grid: Grid) -> str:
    return (
        f"<section class='statement' id='{html.escape(grid.key)}'>"
        f"<h2>{html.escape(grid.title)}</h2>\n{html_table(grid)}</section>"
    )


def _appendix(grid: Grid) -> str:
    return (
        f"<section class='appendix' id='{html.escape(grid.key)}'>"
        f"<h2>{html.escape(grid.title)}</h2>\n{html_table(grid)}</section>"
    )


def document_html(report: Report, checks: bool = False) -> str:
    """The whole report as one HTML document laid out for print; ``checks`` adds the tie-outs
    ("Avstemminger") as an appendix before the findings."""
    statements = [statement_grid(s) for s in report.statements]
    notes = note_parts(report)
    appendix = findings_grids(report, checks)
    entries = [(g.key, g.title) for g in statements]
    entries += [(f"note{p.note.number}", f"Note {p.note.number} {p.note.title}") for p in notes]
    entries += [(g.key, g.title) for g in appendix]
    contents = "\n".join(
        f"<li><a href='#{html.escape(key)}'>{html.escape(title)}</a></li>"
        for key, title in entries
    )
    sections = [_statement(g) for g in statements]
    for index, part in enumerate(notes):
        section = html_note(part)
        if index == 0:
            section = section.replace("<section class='note'", "<section class='note first'", 1)
        sections.append(section)
    sections += [_appendix(g) for g in appendix]
    title = html.escape(f"{report.entity}: {report.heading}")
    status = html.escape(report.status.capitalize())
    return (
        f"<!DOCTYPE html>\n<html lang='nb'><head><meta charset='utf-8'><title>{title}</title>"
        f"<style>{PAGE_STYLE}</style></head><body>\n"
        f"<div class='cover'><h1>{html.escape(report.entity)}</h1>"
        f"<div class='year' data-title='{html.escape(report.title)}'>"
        f"{html.escape(report.period)}</div>"
        f"<div class='sub'>{report.kind.capitalize()} med noter</div>"
        + (f"<div class='sub'>{status}</div>" if status else "")
        + "</div>\n"
        f"<nav class='contents'><h2>Innhold</h2><ol>\n{contents}\n</ol></nav>\n"
        + "\n".join(sections)
        + "\n</body></html>\n"
    )


def render_pdf(report: Report, checks: bool = False) -> bytes:
    """The whole report as PDF (WeasyPrint); ``checks`` adds the tie-outs."""
    from weasyprint import HTML

    result: bytes = HTML(string=document_html(report, checks)).write_pdf()
    return result
