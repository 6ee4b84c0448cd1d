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
:mod:`nhnfin.fava_ext.views`). ``xlsx``, ``csv``, ``json``, ``docx`` and ``pdf`` download the
report exactly as ``nhnfin report --format ...`` writes it. Every endpoint is GET-only and reads;
nothing here writes a file, and ``nhnfin fava --read-only`` makes Fava refuse every other method.

Two more sections appear when the ledger declares what they need (see
:mod:`nhnfin.fava_ext.ledger_pages`): ``cost-basis`` (the tables of ``nhnfin cost-basis``;
``?budget=`` and ``?forecast=`` choose the versions) and ``grant-usage`` (what each grant paid for,
each figure linked to its postings). They do not need the annual report.

Errors in the ledger (a bad layout, an unmapped account) are Beancount errors with file and line on
Fava's error page; when they stop the report, the page says why instead of failing.
"""

from __future__ import annotations

import contextlib
import datetime
import gc
import json
import threading
from dataclasses import dataclass
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlencode

from fava.core.filters import FilterError
from fava.ext import FavaExtensionBase
from fava.ext import extension_endpoint
from flask import Response
from flask import abort
from flask import current_app
from flask import g
from flask import request
from flask import url_for

from nhnfin.errors import ReportError
from nhnfin.fava_ext import columns

# the column a drill's listing sums to its figure (weights, not positions), registered before
# Fava's query page can run a drill (3 ms: beanquery's Beancount source, which Fava loads anyway)
columns.install()

# The report's machinery (the statements, notes and renderers, the pages' views) is imported
# when the report is first built, in the build that follows each load (see after_load_file),
# not when Fava imports the extension: Fava's first page does not wait for it.
if TYPE_CHECKING:  # pragma: no cover
    from fava.core import FavaLedger

    from nhnfin.fava_ext import ledger_pages
    from nhnfin.fava_ext import views
    from nhnfin.fava_ext.drill_values import DrillValues
    from nhnfin.ledger import Ledger
    from nhnfin.model import Note
    from nhnfin.model import Report

__all__ = ["NhnfinReport"]

MEDIA_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
    "json": "application/json",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}
# the documents a download may give with the tie-outs ("?checks=1", the link "... med
# avstemminger"), as `nhnfin report --with-checks` does; the file's name then ends so
DOCUMENTS = ("docx", "pdf")
CHECKS = "checks"
CHECKS_SUFFIX = "-med-avstemminger"

# HTTP status of a download when the report cannot be built from the ledger as it stands.
UNPROCESSABLE = 422
BAD_REQUEST = 400


# The query parameters that address a figure's parts on its page (views.with_part_links).
PART_ADDRESS = ("parts", "table", "row", "cell", "text", "part")

REPORT_ERROR = "Årsregnskapet kan ikke lages fra regnskapet slik det står nå:"
COST_BASIS_ERROR = "Kostnadsgrunnlaget kan ikke lages med dette valget:"


@dataclass(frozen=True)
class Screen:
    """What the template shows: the heading, the navigation, and the page or why there is none.

    ``choice`` (the cost-basis page only) is the version form; ``hint`` follows the heading;
    ``lock_problems`` are the locks that do not hold, shown above the report on every page;
    ``lock_notes`` the locks whose texts are not locked (written by an older nhnfin).
    """

    entity: str
    year: int | None
    section: str
    nav: tuple[tuple[str, str, bool], ...]
    downloads: tuple[tuple[str, str], ...]
    page: views.Page | None
    error: str | None
    ledger_errors: tuple[str, ...]
    errors_url: str
    heading: str = ""
    hint: str = ""
    error_intro: str = REPORT_ERROR
    choice: ledger_pages.VersionChoice | None = None
    time: str | None = None
    lock_problems: tuple[str, ...] = ()
    lock_notes: tuple[str, ...] = ()


class NhnfinReport(FavaExtensionBase):
    """The annual report of the ledger Fava has loaded, one page per statement and note."""

    report_title = "Årsregnskap"
    has_js_module = True

    def __init__(self, ledger: FavaLedger, config: str | None = None) -> None:
        """Set up an empty cache; the report is built after each load, or on first request."""
        super().__init__(ledger, config)
        # one lock for the figures of one load: a page that asks for them while the build after
        # the load runs waits for it, and a reload never mixes two versions of the files
        self._lock = threading.RLock()
        self._load = 0  # how many loads of the files: a build for an earlier one stops
        self._build: threading.Thread | None = None
        self._built = threading.Event()  # the report of the last load is built
        self._parts_done = threading.Event()
        self._forget()

    def _forget(self) -> None:
        self._ledger: Ledger | None = None
        self._reports: dict[tuple[int, datetime.date | None], Report | ReportError] = {}
        self._extras: tuple[tuple[str, str], ...] | None = None
        self._usage: dict[int, Note | None] = {}
        self._locks: tuple[str, ...] | None = None
        self._pages: dict[tuple[int, str, str], views.Page | None] = {}
        self._values: DrillValues | None = None

    def after_load_file(self) -> None:
        """Forget the reports built from the previous version of the files, then build, in the
        background, the report of the last year with postings, the ledger's extra pages and
        its lock problems: Fava's first page does not wait for them, and the pages an auditor
        opens afterwards answer at once (other years are built on first request). A page asked
        for while the build runs waits for it (:meth:`ready`)."""
        with self._lock:
            self._load += 1
            self._built = threading.Event()
            self._parts_done = threading.Event()
            self._forget()
            self._build = threading.Thread(target=self._prepare, args=(self._load,),
                                           name="nhnfin-report", daemon=True)
        self._build.start()

    def _prepare(self, load: int) -> None:
        """What :meth:`after_load_file` builds, unless the files were loaded again since; after
        a reload, one full run of Python's cyclic collector."""
        with self._lock:
            if load != self._load:
                return
            # a ReportError is kept in the cache (the page shows its message); any other
            # failure is left to the page that asks, which builds again and fails visibly
            with contextlib.suppress(Exception):
                years = self.nhnfin_ledger().years()
                if years:
                    with contextlib.suppress(ReportError):
                        self.report(years[-1])
                self.extra_sections()
                self.lock_problems()
            if load == self._load:
                self._built.set()
        self._prepare_parts(load)
        if load > 1 and load == self._load:
            # `nhnfin fava` runs the collector rarely (nhnfin.COLLECTOR_THRESHOLDS), so garbage
            # that is old when it becomes garbage, as what the previous load left in reference
            # cycles, would wait long for a full collection: one after each reload frees it
            # (about 0.35 s at 100 k postings; docs/fava.md)
            gc.collect()

    def _prepare_parts(self, load: int) -> None:
        """Compute, after the report's build and without holding up a page, what the pages of
        the report's figures' parts show (:func:`views.parted`), in page order, so that such a
        page answers at once (issue 19: a part's query runs over every transaction it can
        reach, seconds at 100 k postings); a page asked for first computes its own parts, and
        a new load stops this one. ``parts_ready`` says when it has ended."""
        from decimal import Decimal

        from nhnfin.fava_ext import views
        from nhnfin.model import Report

        with contextlib.suppress(Exception):  # a page that asks computes again and fails visibly
            with self._lock:
                built = [r for r in self._reports.values() if isinstance(r, Report)]
            for report in built:
                pages = [views.page(report, key, "") for key, _ in views.sections(report)]
                drills = [d for shown in pages if shown is not None
                          for d in views.page_drills(shown)]
                for drill in views.parted(drills):
                    if load != self._load:
                        return
                    views.parts_page("", Decimal(0), drill, self.drill_values(), "", "")
        if load == self._load:
            self._parts_done.set()

    def parts_ready(self, timeout: float | None = None) -> bool:
        """Wait (at most ``timeout`` seconds) for :meth:`_prepare_parts` of the last load;
        whether it has ended."""
        return self._parts_done.wait(timeout)

    def built(self, timeout: float | None = None) -> bool:
        """Wait (at most ``timeout`` seconds) for the report, extra pages and lock problems the
        build after the last load makes, before the parts' sums; whether they are built."""
        return self._built.wait(timeout)

    def ready(self, timeout: float | None = None) -> bool:
        """Wait (at most ``timeout`` seconds) for the build that follows the last load, the
        parts' sums included; whether it has ended."""
        build = self._build
        if build is None:
            return True
        build.join(timeout)
        return not build.is_alive()

    def extra_sections(self) -> tuple[tuple[str, str], ...]:
        """The pages beside the report that the ledger declares data for: (section, label)."""
        from nhnfin.config import custom_directives
        from nhnfin.fava_ext import ledger_pages
        from nhnfin.grants.figures import declared_grants

        with self._lock:
            if self._extras is None:
                ledger = self.nhnfin_ledger()
                customs = ledger.derived(custom_directives)
                wanted = (
                    (ledger_pages.COST_BASIS, ledger_pages.has_cost_basis(customs)),
                    (ledger_pages.GRANT_USAGE,
                     bool(declared_grants(customs, ledger.options_map))),
                )
                self._extras = tuple((key, ledger_pages.LABELS[key])
                                     for key, on in wanted if on)
            return self._extras

    def grant_usage(self, year: int) -> Note | None:
        """The grant-usage table for ``year`` (built once per load of the ledger)."""
        from nhnfin.grants import usage as grant_usage

        with self._lock:
            if year not in self._usage:
                result = grant_usage.build(self.nhnfin_ledger(), year)
                self._usage[year] = result.note if result else None
            return self._usage[year]

    def nhnfin_ledger(self) -> Ledger:
        """The entries Fava loaded (plugins already run) as nhnfin's :class:`Ledger`."""
        from nhnfin.ledger import from_entries

        with self._lock:
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
        chosen = self.filtered_year()
        if chosen is not None:
            return chosen
        years = self.nhnfin_ledger().years()
        return years[-1] if years else None

    @staticmethod
    def filtered_year() -> int | None:
        """The year in which Fava's time filter ends; None without a time filter."""
        date_range = g.filtered.date_range
        if date_range is None:
            return None
        last_day: datetime.date = date_range.end - datetime.timedelta(days=1)
        return last_day.year

    def report(self, year: int, as_of: datetime.date | None = None) -> Report:
        """The report for ``year``, or to ``as_of`` in it (built once per load of the ledger).

        Raises:
            ReportError: the report cannot be built (the message says why and where).
        """
        from nhnfin.report import build_report

        key = (year, as_of)
        with self._lock:
            if key not in self._reports:
                try:
                    self._reports[key] = build_report(self.nhnfin_ledger(), year, as_of=as_of)
                except ReportError as error:
                    self._reports[key] = error
            result = self._reports[key]
        if isinstance(result, ReportError):
            raise result
        return result

    def drill_values(self) -> DrillValues:
        """What the drills make on this load of the ledger (each query run once per load, on
        the transactions it can list postings of)."""
        from nhnfin.fava_ext.drill_values import DrillValues

        with self._lock:
            if self._values is None:
                self._values = DrillValues(self.nhnfin_ledger())
            return self._values

    def lock_problems(self) -> tuple[str, ...]:
        """The ledger's lock problems (docs/year-end-close.md), checked once per load: the
        locked years' figures are built again and compared."""
        from nhnfin.close.figures import lock_problems

        with self._lock:
            if self._locks is None:
                self._locks = tuple(lock_problems(self.nhnfin_ledger(), self.report))
            return self._locks

    def lock_notes(self) -> tuple[str, ...]:
        """The locks whose texts are not locked, and how to lock them (docs/year-end-close.md):
        a walk of the custom directives, no report."""
        from nhnfin.close.figures import uncovered_texts

        return tuple(uncovered_texts(self.nhnfin_ledger()))

    def _current_report(self) -> Report:
        """The fiscal year's report; a period report when Fava's time filter ends before the
        year does (2025-Q1, 2025-03: the statements and notes to that date, and the same
        period a year earlier beside them)."""
        year = self.fiscal_year()
        if year is None:
            raise ReportError("regnskapet har ingen posteringer")
        date_range = g.filtered.date_range
        end = date_range.end - datetime.timedelta(days=1) if date_range is not None else None
        as_of = end if end is not None and end < datetime.date(year, 12, 31) else None
        return self.report(year, as_of)

    @staticmethod
    def is_read_only() -> bool:
        """Whether Fava runs read-only (``--read-only``: it then refuses every method but GET
        with a request hook of that name; Fava keeps no other trace of the flag)."""
        hooks = current_app.before_request_funcs.get(None, [])
        return any(getattr(hook, "__name__", "") == "_read_only" for hook in hooks)

    @extension_endpoint
    def read_only(self) -> Response:
        """``{"read_only": true|false}``: the JS module disables Fava's editing controls."""
        body = '{"read_only": true}' if self.is_read_only() else '{"read_only": false}'
        return Response(body, mimetype="application/json")

    @extension_endpoint
    def generating(self) -> Response:
        """The directives that generate entries, for the JS module's warning before a save or
        delete changes one: file, line, Fava's entry hash, the directive as written and what
        it generates (entries per rule)."""
        from nhnfin.fava_ext import ledger_pages

        return Response(json.dumps({"directives": ledger_pages.generating_directives(
            self.nhnfin_ledger().entries)}), mimetype="application/json")

    @staticmethod
    def check_filters() -> None:
        """Answer 400 with a clear message when Fava's filters in the URL (``time``,
        ``account``, ``filter``) do not parse, instead of failing with a 500."""
        try:
            g.filtered  # noqa: B018 - Fava parses the filters when the ledger is filtered
        except FilterError as error:
            message = (f"Ugyldig filter i adressen (time, account eller filter): "
                       f"{error.message}\n")
            abort(Response(message, BAD_REQUEST, mimetype="text/plain; charset=utf-8"))

    def screen(self) -> Screen:
        """The page the request asks for (``?section=``); 404 for a section the ledger lacks,
        400 for a filter that does not parse. A figure that its drill's query alone does not
        make links to the page of its parts (``&parts=1`` and the figure's address on its page,
        see :func:`views.with_part_links`)."""
        from nhnfin.fava_ext import views

        screen = self._section_screen()
        if screen.page is None:
            return screen
        query_page = f"{request.script_root}/{g.beancount_file_slug}/query/"
        own = [(k, v) for k, v in request.args.items(multi=True) if k not in PART_ADDRESS]
        page_url = f"{request.script_root}{request.path}?{urlencode(own)}"
        page = views.with_part_links(screen.page, query_page, page_url)
        if not request.args.get("parts"):
            return replace(screen, page=page)
        return self._parts_screen(screen, page, query_page, page_url)

    def _parts_screen(self, screen: Screen, page: views.Page, query_page: str,
                      page_url: str) -> Screen:
        """The parts of the figure the request addresses on ``page``; 404 when there is none."""
        from nhnfin.fava_ext import views

        address = {k: request.args.get(k, "") for k in PART_ADDRESS if k in request.args}
        found = views.figure_at(page, address)
        path = request.args.getlist("part")
        if found is None or not all(p.isdigit() for p in path):
            abort(404)
        label, figure, drill = found
        part = views.part_of(drill, [int(p) for p in path])
        if part is None:
            abort(404)
        here = f"{page_url}&{urlencode([(k, v) for k, v in address.items() if k != 'part'])}"
        parts = views.parts_page(label, figure, part, self.drill_values(),
                                 query_page, here, [int(p) for p in path])
        return replace(screen, page=parts, downloads=(), section=views.PARTS, choice=None,
                       heading=f"{screen.heading}: hva tallet består av",
                       hint=f"({label})")

    def _section_screen(self) -> Screen:
        """The page of the section the request asks for, its figures linked as
        :mod:`nhnfin.fava_ext.views` makes them."""
        from nhnfin.fava_ext import views

        self.check_filters()
        section = request.args.get("section") or views.OVERVIEW
        slug = str(g.beancount_file_slug)
        query_page = f"{request.script_root}/{slug}/query/"
        errors_url = f"{request.script_root}/{slug}/errors/"
        entity = str(self.ledger.options.get("title") or "Regnskap")
        try:
            report: Report | None = self._current_report()
        except ReportError as error:
            report, failure = None, str(error)
        nav = self._nav(views.sections(report) if report else [], section)
        if section == views.DECLARED:
            return self._declared_screen(entity, nav, query_page, errors_url)
        if section in dict(self.extra_sections()):
            return self._ledger_screen(section, entity, nav, query_page, errors_url)
        if report is None:
            year = self.fiscal_year()
            return Screen(entity=entity, year=year, section=section, nav=nav, downloads=(),
                          page=None, error=failure, ledger_errors=(), errors_url=errors_url,
                          heading=f"{entity}: årsregnskap {year or ''}")
        page = self._page(report, section, query_page)
        if page is None:
            abort(404)
        time = request.args.get("time")
        query = f"?{urlencode({'time': time})}" if time else ""
        download = f"{request.script_root}/{slug}/extension/{self.name}"
        downloads = tuple(
            (f"{download}/{fmt}{query}", fmt.upper()) for fmt in MEDIA_TYPES
        ) + tuple(
            (f"{download}/{fmt}?{urlencode({**({'time': time} if time else {}), CHECKS: '1'})}",
             f"{fmt.upper()} med avstemminger")
            for fmt in DOCUMENTS
        )
        return Screen(entity=report.entity, year=report.year, section=section, nav=nav,
                      downloads=downloads, page=page, error=None,
                      ledger_errors=report.ledger_errors, lock_problems=self.lock_problems(),
                      lock_notes=self.lock_notes(),
                      errors_url=errors_url,
                      heading=f"{report.entity}: {report.heading}",
                      hint=f"(med {report.compared_with}; regnskapsåret velges i tidsfilteret)")

    def _page(self, report: Report, section: str, query_page: str) -> views.Page | None:
        """:func:`views.page`, made once per report and page (a report never changes)."""
        from nhnfin.fava_ext import views

        key = (id(report), section, query_page)  # the reports live as long as this cache
        if key not in self._pages:
            self._pages[key] = views.page(report, section, query_page)
        return self._pages[key]

    def _declared_screen(self, entity: str, nav: tuple[tuple[str, str, bool], ...],
                         query_page: str, errors_url: str) -> Screen:
        """The directives behind a figure from declared data (``?at=file:line``, repeated);
        with ``count=1`` the items a count counts (each ``at`` with its ``what``; none for a
        count of zero)."""
        from nhnfin.fava_ext import views

        counted = request.args.get("count") == "1"
        places = views.parse_places(request.args.getlist("at"))
        if places is None or (not places and not counted):
            abort(Response("Angi direktivene med at=fil:linje\n", BAD_REQUEST,
                           mimetype="text/plain; charset=utf-8"))
        page = views.declared_page(self.nhnfin_ledger().entries, places, query_page,
                                   request.args.get("query"),
                                   request.args.getlist("what") if counted else None)
        return Screen(entity=entity, year=None, section=views.DECLARED, nav=nav, downloads=(),
                      page=page, error=None, ledger_errors=(), errors_url=errors_url,
                      heading=f"{entity}: oppgitte opplysninger",
                      hint="(direktivene et tall er laget av)")

    def _nav(self, report_sections: list[tuple[str, str]], section: str
             ) -> tuple[tuple[str, str, bool], ...]:
        """The report's sections, then the pages beside it, the current one marked."""
        every = [*report_sections, *self.extra_sections()]
        return tuple((self._url(key), label, key == section) for key, label in every)

    def _ledger_screen(self, section: str, entity: str, nav: tuple[tuple[str, str, bool], ...],
                       query_page: str, errors_url: str) -> Screen:
        """The cost-basis or grant-usage page (they need no annual report)."""
        from nhnfin.fava_ext import ledger_pages

        ledger = self.nhnfin_ledger()
        errors = tuple(str(e.message) for e in ledger.errors)
        base = Screen(entity=entity, year=None, section=section, nav=nav, downloads=(),
                      page=None, error=None, ledger_errors=errors, errors_url=errors_url,
                      time=request.args.get("time"))
        if section == ledger_pages.GRANT_USAGE:
            year = self.fiscal_year()
            note = self.grant_usage(year) if year is not None else None
            page = ledger_pages.grant_usage_page(note, query_page) if note else None
            return replace(base, year=year, page=page,
                           heading=f"{entity}: bruk av offentlig tilskudd {year or ''}",
                           hint="(året velges i tidsfilteret; hvert beløp viser postene bak)",
                           error=None if page else "ingen tilskudd dette året")
        return self._cost_basis_screen(base, ledger, query_page)

    def _cost_basis_screen(self, base: Screen, ledger: Ledger, query_page: str) -> Screen:
        from nhnfin.cost_basis.basis import CostBasisError
        from nhnfin.cost_basis.directives import parse as parse_cost_basis
        from nhnfin.fava_ext import ledger_pages
        from nhnfin.reports.cost_basis import cost_basis_grids

        config, _ = parse_cost_basis(ledger.entries)
        years = ledger.years()
        year = self.filtered_year() or ledger_pages.budget_year(config) or (
            years[-1] if years else None)
        if year is None:
            return replace(base, error="regnskapet har verken budsjettlinjer eller poster",
                           error_intro=COST_BASIS_ERROR)
        screen = replace(base, year=year, heading=f"{base.entity}: kostnadsgrunnlag {year}",
                         hint="(året velges i tidsfilteret, versjonene under)",
                         error_intro=COST_BASIS_ERROR)
        budget, forecast = request.args.get("budget"), request.args.get("forecast")
        try:
            versions = ledger_pages.chosen_versions(config, year, budget, forecast)
            grids = cost_basis_grids(ledger, year, versions)
        except CostBasisError as error:
            choice = ledger_pages.VersionChoice(
                ledger_pages.version_choice(config, year, None).versions, budget, forecast)
            return replace(screen, error=str(error), choice=choice)
        return replace(screen, page=ledger_pages.cost_basis_page(grids, query_page),
                       choice=ledger_pages.version_choice(config, year, versions))

    def _url(self, section: str) -> str:
        return url_for("extension_report", extension_name=self.name, section=section)

    def _download(self, fmt: str) -> Response:
        """The report in ``fmt``; a document (docx, pdf) with ``?checks=1`` also has the
        tie-outs ("Avstemminger"), as ``nhnfin report --with-checks`` writes it."""
        from nhnfin.model import as_filed
        from nhnfin.reports import renderer

        self.check_filters()
        try:
            report = self._current_report()
        except ReportError as error:
            return Response(f"{error}\n", UNPROCESSABLE, mimetype="text/plain")
        slug = str(g.beancount_file_slug)
        checks = fmt in DOCUMENTS and request.args.get(CHECKS) == "1"
        name = f"{slug}-{report.year}{CHECKS_SUFFIX if checks else ''}.{fmt}"
        folder = Path(self.ledger.beancount_file_path).parent
        return Response(
            renderer(fmt, checks=checks)(as_filed(report, folder)),
            mimetype=MEDIA_TYPES[fmt],
            headers={"Content-Disposition": f'attachment; filename="{name}"'},
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

    @extension_endpoint
    def docx(self) -> Response:
        """The report as ``nhnfin report --format docx`` writes it (Word)."""
        return self._download("docx")

    @extension_endpoint
    def pdf(self) -> Response:
        """The report as ``nhnfin report --format pdf`` writes it."""
        return self._download("pdf")
