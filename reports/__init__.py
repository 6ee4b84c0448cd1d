"""Rendering of statements and notes: Markdown, HTML, CSV, XLSX, JSON, DOCX and PDF
(nhnfin.reports).

Installed as ``nhnfin.reports`` from the repository's ``reports/`` folder. Renderers only format:
every figure comes from :mod:`nhnfin.report`, rounded to whole kroner line by line here.
"""

from __future__ import annotations

import functools
from collections.abc import Callable

from nhnfin.model import Report

FORMATS = ("md", "html", "csv", "xlsx", "json", "docx", "pdf")


def renderer(fmt: str, *, checks: bool = False) -> Callable[[Report], bytes]:
    """The renderer for ``fmt`` (one of :data:`FORMATS`); ``checks`` puts the tie-outs in the
    documents (docx, pdf) too; the other formats always have them."""
    if fmt == "json":
        from .json_report import render_json

        return render_json
    if fmt == "docx":
        from .docx import render_docx

        return functools.partial(render_docx, checks=checks)
    if fmt == "pdf":
        from .pdf import render_pdf

        return functools.partial(render_pdf, checks=checks)
    if fmt == "xlsx":
        from .xlsx import render_xlsx

        return render_xlsx
    from . import text

    return {"md": text.render_markdown, "html": text.render_html, "csv": text.render_csv}[fmt]
