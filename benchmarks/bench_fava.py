"""Benchmark: the nhnfin pages in Fava on the example ledger.

Loads ``ledger/nhn.beancount`` in Fava (Flask's test client, no server), then requests every page
of the report twice: the first request of a year builds the report from Fava's entries, a repeat
is served from the extension's cache (until the ledger is reloaded). Also times the downloads and
a report build on its own, and prints the figures. The target is under a second per note page
after Fava has loaded the ledger.

    .venv/bin/python benchmarks/bench_fava.py [--ledger PATH] [--year 2024]
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import TypeVar
from urllib.parse import parse_qs
from urllib.parse import urlsplit

import lxml.html
from fava.application import create_app

from nhnfin.fava_ext import NhnfinReport
from nhnfin.report import build_report

ROOT = Path(__file__).resolve().parents[1]
EXTENSION = "NhnfinReport"
TARGET_SECONDS = 1.0
T = TypeVar("T")


def timed(request: Callable[[], T]) -> tuple[float, T]:
    """Seconds taken by ``request()`` and its result."""
    start = time.perf_counter()
    result = request()
    return time.perf_counter() - start, result


def main() -> None:
    """Run the benchmark and print one line per page."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ledger", type=Path, default=ROOT / "ledger" / "nhn.beancount")
    parser.add_argument("--year", type=int, default=2024)
    args = parser.parse_args()

    seconds, app = timed(lambda: create_app([str(args.ledger.resolve())], load=True))
    print(f"Fava loads {args.ledger.name}: {seconds:.3f} s")
    app.testing = True
    client = app.test_client()
    slug = app.config["LEDGERS"].first_slug()
    base = f"/{slug}/extension/{EXTENSION}/"

    seconds, response = timed(lambda: client.get(f"{base}?time={args.year}"))
    print(f"overview, first request (builds the {args.year} report): {seconds:.3f} s")
    root = lxml.html.fromstring(response.get_data(as_text=True))
    sections = [parse_qs(urlsplit(a.get("href")).query)["section"][0]
                for a in root.xpath("//div[@class='nhnfin']/nav/a")]

    ext = app.config["LEDGERS"][slug].extensions.get_extension(EXTENSION)
    assert isinstance(ext, NhnfinReport)
    seconds, _ = timed(lambda: build_report(ext.nhnfin_ledger(), args.year))
    print(f"build_report({args.year}) alone: {seconds:.3f} s")

    worst = 0.0
    print(f"{'page':<20} {'first':>8} {'repeat':>8} {'figures':>8} {'links':>6}")
    for section in sections:
        ext.after_load_file()  # forget the report: 'first' includes building it again
        url = f"{base}?section={section}&time={args.year}"
        first, response = timed(partial(client.get, url))
        repeat, response = timed(partial(client.get, url))
        assert response.status_code == 200, section
        page = lxml.html.fromstring(response.get_data(as_text=True))
        figures = len(page.xpath("//table[contains(@class,'nhnfin-table')]//td[@class='num']"))
        links = len(page.xpath("//table[contains(@class,'nhnfin-table')]//td/a"))
        print(f"{section:<20} {first:>7.3f}s {repeat:>7.3f}s {figures:>8} {links:>6}")
        if section.startswith("note"):
            worst = max(worst, first)

    for fmt in ("xlsx", "csv", "json"):
        seconds, response = timed(partial(client.get, f"{base}{fmt}?time={args.year}"))
        size = len(response.data)
        print(f"download {fmt:<5} {seconds:.3f} s ({size} bytes)")

    verdict = "met" if worst < TARGET_SECONDS else "MISSED"
    print(f"slowest note page (report rebuilt): {worst:.3f} s; "
          f"target < {TARGET_SECONDS} s {verdict}")


if __name__ == "__main__":
    main()
