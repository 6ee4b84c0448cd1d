"""nhnfin's pages in Fava: the statements, notes, tie-outs and published-report differences.

Enable it in the ledger (the optional config string is not used)::

    2023-01-01 custom "fava-extension" "nhnfin.fava_ext"
    2023-01-01 custom "fava-option" "fiscal-year-end" "12-31"

The page is ``/<bfile>/extension/NhnfinReport/``, one section at a time (``?section=``: overview,
``income_statement``, ``balance_sheet``, ``cash_flow``, ``notes``, ``note-<n>``, ``tieouts``,
``published``), for the fiscal year at the end of Fava's time filter (default: the last year with
postings), the prior year beside each figure. Every figure comes from
:func:`nhnfin.report.build_report` on the entries Fava loaded, so the pages show what
``nhnfin report`` prints; each figure links to Fava's query page listing its postings (see
:mod:`nhnfin.fava_ext.views`). ``xlsx``, ``csv`` and ``json`` download the report exactly as
``nhnfin report --format ...`` writes it. Every endpoint is GET-only and reads; nothing here writes
a file, and ``nhnfin fava --read-only`` makes Fava refuse every other method.

Errors in the ledger (a bad layout, an unmapped account) are Beancount errors with file and line on
Fava's error page; when they stop the report, the page says why instead of failing.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlencode

from fava.ext import FavaExtensionBase
from fava.ext import extension_endpoint
from flask import Response
from flask import abort
from flask import g
from flask import request
from flask import url_for

from nhnfin.fava_ext import views
from nhnfin.ledger import Ledger
from nhnfin.ledger import from_entries
from nhnfin.model import Report
from nhnfin.report import ReportError
from nhnfin.report import build_report
from nhnfin.reports import renderer

if TYPE_CHECKING:  # pragma: no cover
    from fava.core import FavaLedger

__all__ = ["NhnfinReport"]

MEDIA_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
    "json": "application/json",
}

# HTTP status of a download when the report cannot be built from the ledger as it stands.
UNPROCESSABLE = 422


@dataclass(frozen=True)
class Screen:
    """What the template shows: the year, the navigation, and the page or why there is none."""

    entity: str
    year: int | None
    section: str
    nav: tuple[tuple[str, str, bool], ...]
    downloads: tuple[tuple[str, str], ...]
    page: views.Page | None
    error: str | None
    ledger_errors: tuple[str, ...]
    errors_url: str


class NhnfinReport(FavaExtensionBase):
    """The annual report of the ledger Fava has loaded, one page per statement and note."""

    report_title = "Årsregnskap"

    def __init__(self, ledger: FavaLedger, config: str | None = None) -> None:
        """Set up an empty cache; the report is built on first request for each year."""
        super().__init__(ledger, config)
        self._ledger: Ledger | None = None
        self._reports: dict[int, Report | ReportError] = {}

    def after_load_file(self) -> None:
        """Forget the reports built from the previous version of the files."""
        self._ledger = None
        self._reports = {}

    def nhnfin_ledger(self) -> Ledger:
        """The entries Fava loaded (plugins already run) as nhnfin's :class:`Ledger`."""
        if self._ledger is None:
            self._ledger = from_entries(
                list(self.ledger.all_entries),
                list(self.ledger.load_errors),
                dict(self.ledger.options),
                Path(self.ledger.beancount_file_path),
            )
        return self._ledger

    def fiscal_year(self) -> int | None:
        """The year in which Fava's time filter ends, else the last year with postings."""
        date_range = g.filtered.date_range
        if date_range is not None:
            last_day: datetime.date = date_range.end - datetime.timedelta(days=1)
            return last_day.year
        years = self.nhnfin_ledger().years()
        return years[-1] if years else None

    def report(self, year: int) -> Report:
        """The report for ``year`` (built once per load of the ledger).

        Raises:
            ReportError: the report cannot be built (the message says why and where).
        """
        if year not in self._reports:
            try:
                self._reports[year] = build_report(self.nhnfin_ledger(), year)
            except ReportError as error:
                self._reports[year] = error
        result = self._reports[year]
        if isinstance(result, ReportError):
            raise result
        return result

    def _current_report(self) -> Report:
        year = self.fiscal_year()
        if year is None:
            raise ReportError("the ledger has no postings")
        return self.report(year)

    def screen(self) -> Screen:
        """The page the request asks for (``?section=``); 404 for a section the report lacks."""
        section = request.args.get("section") or views.OVERVIEW
        slug = str(g.beancount_file_slug)
        query_page = f"{request.script_root}/{slug}/query/"
        errors_url = f"{request.script_root}/{slug}/errors/"
        entity = str(self.ledger.options.get("title") or "Regnskap")
        try:
            report = self._current_report()
        except ReportError as error:
            return Screen(entity=entity, year=self.fiscal_year(), section=section, nav=(),
                          downloads=(), page=None, error=str(error), ledger_errors=(),
                          errors_url=errors_url)
        page = views.page(report, section, query_page)
        if page is None:
            abort(404)
        nav = tuple(
            (self._url(key), label, key == section) for key, label in views.sections(report)
        )
        time = request.args.get("time")
        query = f"?{urlencode({'time': time})}" if time else ""
        downloads = tuple(
            (f"{request.script_root}/{slug}/extension/{self.name}/{fmt}{query}", fmt.upper())
            for fmt in MEDIA_TYPES
        )
        return Screen(entity=report.entity, year=report.year, section=section, nav=nav,
                      downloads=downloads, page=page, error=None,
                      ledger_errors=report.ledger_errors, errors_url=errors_url)

    def _url(self, section: str) -> str:
        return url_for("extension_report", extension_name=self.name, section=section)

    def _download(self, fmt: str) -> Response:
        try:
            report = self._current_report()
        except ReportError as error:
            return Response(f"{error}\n", UNPROCESSABLE, mimetype="text/plain")
        slug = str(g.beancount_file_slug)
        return Response(
            renderer(fmt)(report),
            mimetype=MEDIA_TYPES[fmt],
            headers={
                "Content-Disposition": f'attachment; filename="{slug}-{report.year}.{fmt}"'
            },
        )

    @extension_endpoint
    def xlsx(self) -> Response:
        """The report as ``nhnfin report --format xlsx`` writes it."""
        return self._download("xlsx")

    @extension_endpoint
    def csv(self) -> Response:
        """The report as ``nhnfin report --format csv`` writes it."""
        return self._download("csv")

    @extension_endpoint
    def json(self) -> Response:
        """The report as ``nhnfin report --format json`` writes it."""
        return self._download("json")
