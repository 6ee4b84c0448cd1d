"""Benchmark: nhnfin at the scale of a real year (issues 10, 14 and 19), as paired comparisons.

For each size, one synthetic ledger (:mod:`generate_ledger`, all four streams, ``plugin
"nhnfin"``) is written to a temporary directory with two twins: without the plugin line (plain
Beancount) and with one plugin line per rule. Each comparison runs its two commands alternately,
A B A B …, each run in its own process, and gives the ratio A/B of each pair: the median over the
pairs and the min–max spread, of CPU time (user + system, robust on a shared machine) and of peak
resident memory (``os.wait4``'s rusage of that process alone). Beancount's pickle cache is off
(``BEANCOUNT_DISABLE_LOAD_CACHE``) and so is the report cache (``--no-cache``) except for the warm
report, so no run is diluted by writing or reading a cache.

- ``plugin "nhnfin"``: bean-check on the ledger / on the plain twin (target ≤ 1.05, time and
  memory);
- per-rule lines: bean-check on the per-rule twin / on the ledger (issue 14's comparison);
- cold report: ``nhnfin report`` / plain bean-check (target ≤ 1.00 CPU, ≤ 1.05 memory);
- warm report: ``nhnfin report`` with its cache current, wall seconds (target < 0.3 s);
- ``nhnfin --version``: wall and CPU seconds (target < 0.15 s);
- Fava: the CPU until the first page of ``nhnfin fava`` (the ledger with the extension) / plain
  Fava on the plain twin (target ≤ 0.8); the CPU until the extension's report, built in the
  background after the load, is ready (no target: it says when the nhnfin pages can answer);
  and each nhnfin page after that (target < 100 ms).

    .venv/bin/python benchmarks/bench_scale.py --sizes 100k --pairs 3
    .venv/bin/python benchmarks/bench_scale.py --sizes 1M --pairs 2 --skip fava   # takes long
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import cast

sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate_ledger import count_postings
from generate_ledger import parse_size
from generate_ledger import size_label
from generate_ledger import write

BIN = Path(sys.executable).parent
YEAR = 2024
FAVA_EXTENSION = "NhnfinReport"
# Beancount's cache off; bytecode written as Python does by default: an environment that sets
# PYTHONDONTWRITEBYTECODE would make every measured process compile nhnfin's sources again, which
# an installed nhnfin (byte-compiled by pip) never does (:func:`byte_compile`).
ENV = {**{k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"},
       "BEANCOUNT_DISABLE_LOAD_CACHE": "1"}

# Run inside its own process: Fava loads the ledger and renders the income statement (the first
# page); then, with the extension (and, as `nhnfin fava` does, the collector tuned and Fava
# loading through nhnfin.loading.load), waits for the report the extension builds in the
# background after the load, and fetches each nhnfin
# page as Fava's frontend does when the reader follows a link (``partial=true``: the page
# without Fava's ledger data, which Fava sends once). Prints the timings as JSON: "first_page"
# is the process's CPU seconds until the first page is served, "ready" until the report is
# built, "parts_ready" until the values its figures' parts pages show are computed (in the
# background too), each page its wall and CPU seconds, measured after that.
FAVA_SCRIPT = """
import html, json, re, sys, time
PARTS = 12  # how many pages of a figure's parts are opened
BUSY = ("overview", "income_statement", "balance_sheet", "tieouts")
busy = {}
if len(sys.argv) > 2:  # as `nhnfin fava` runs Fava: with nhnfin's collector settings
    import click
    from nhnfin.cli.common import tune_collector
    tune_collector(click.Context(click.Command("fava")))
    from nhnfin.fava_ext.loading import install
    install()  # as `nhnfin fava`: Fava loads through nhnfin.loading.load
from fava.application import create_app
app = create_app([sys.argv[1]], load=True)
client = app.test_client()
slug = app.config["LEDGERS"].first_slug()
first = client.get(f"/{slug}/income_statement/")
assert first.status_code == 200, first.status_code
first_page = time.process_time()
pages = {}
parts = []
ready = parts_ready = None
if len(sys.argv) > 2:
    # the extension builds the report after the load, in the background: the pages are timed
    # once it is ready, and the CPU until then is given too
    extension = app.config["LEDGERS"][slug].extensions.get_extension(sys.argv[2])
    assert extension.built(timeout=3600)
    ready = time.process_time()
    base = f"/{slug}/extension/%s/" % sys.argv[2]
    # pages opened while the figures' parts are computed in the background (other pages than
    # those timed below, which would find these in the page cache)
    for section in BUSY:
        start, cpu = time.perf_counter(), time.process_time()
        response = client.get(base + "?partial=true&section=" + section)
        assert response.status_code == 200, (section, response.status_code)
        busy[section] = (time.perf_counter() - start, time.process_time() - cpu)
    # then the values of the figures' parts pages, computed in the background after the report
    assert extension.parts_ready(timeout=3600)
    parts_ready = time.process_time()
    links = []
    for section in ["notes", *(f"note-{n}" for n in sys.argv[3].split(",")), "cash_flow"]:
        start, cpu = time.perf_counter(), time.process_time()
        response = client.get(base + "?partial=true&section=" + section)
        assert response.status_code == 200, (section, response.status_code)
        pages[section] = (time.perf_counter() - start, time.process_time() - cpu)
        text = response.get_data(as_text=True)
        links += [html.unescape(h) for h in re.findall(r'href="([^"]*parts=1[^"]*)"', text)]
    # the pages of a figure's parts (what a figure that is no single query is made of), each
    # on its first visit: the first PARTS of them in page order
    for link in list(dict.fromkeys(links))[:PARTS]:
        start, cpu = time.perf_counter(), time.process_time()
        response = client.get(link + "&partial=true")
        assert response.status_code == 200, (link, response.status_code)
        parts.append((time.perf_counter() - start, time.process_time() - cpu))
print(json.dumps({"first_page": first_page, "ready": ready, "parts_ready": parts_ready,
                  "pages": pages, "parts": parts, "busy": busy}))
"""


@dataclass(frozen=True)
class Run:
    """One measured process."""

    seconds: float  # wall clock
    cpu: float  # user + system time of the process
    peak_mb: float  # peak resident memory of the process
    stdout: str
    returncode: int


def byte_compile() -> None:
    """Byte-compile nhnfin's packages (its ``__pycache__``, as pip does on install) before any
    measurement, so no measured process compiles a source file."""
    import importlib.util

    roots = []
    for name in ("nhnfin", "nhnfin.reports", "nhnfin.importers"):
        spec = importlib.util.find_spec(name)
        if spec is not None and spec.submodule_search_locations:
            roots += list(spec.submodule_search_locations)
    subprocess.run([sys.executable, "-m", "compileall", "-q", *roots], env=ENV, check=False,
                   stdout=subprocess.DEVNULL)


def measure(command: list[str]) -> Run:
    """Run ``command`` in its own process: wall time, CPU time and peak resident memory of that
    process alone (``os.wait4``), so measurements do not pollute each other."""
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        start = time.perf_counter()
        process = subprocess.Popen(command, stdout=out, stderr=err, text=True, env=ENV)
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - start
        returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        text, problems = out.read(), err.read()
    if returncode != 0 or "tie-out failed" in problems or "ledger error" in problems:
        print(f"  ! {' '.join(command[:3])}... exited {returncode}: {problems[-500:]}",
              file=sys.stderr)
    return Run(seconds, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, text,
               returncode)


@dataclass(frozen=True)
class Pair:
    """Paired runs of two commands, alternating A B A B."""

    name: str
    a: tuple[Run, ...]
    b: tuple[Run, ...]

    def ratios(self, value: Callable[[Run], float]) -> list[float]:
        """A/B of each pair."""
        return [value(x) / value(y) for x, y in zip(self.a, self.b, strict=True)]


def paired(name: str, a: list[str], b: list[str], pairs: int) -> Pair:
    """``pairs`` alternating runs of ``a`` and ``b``."""
    runs_a: list[Run] = []
    runs_b: list[Run] = []
    for i in range(pairs):
        runs_a.append(measure(a))
        runs_b.append(measure(b))
        print(f"  {name} {i + 1}/{pairs}: A {runs_a[-1].cpu:.2f} s {runs_a[-1].peak_mb:.0f} MB,"
              f" B {runs_b[-1].cpu:.2f} s {runs_b[-1].peak_mb:.0f} MB", file=sys.stderr)
    return Pair(name, tuple(runs_a), tuple(runs_b))


def spread(values: list[float], digits: int = 3) -> str:
    """``median (min–max)``."""
    return (f"{statistics.median(values):.{digits}f} "
            f"({min(values):.{digits}f}–{max(values):.{digits}f})")


def fava_figures(run: Run) -> dict[str, object]:
    """The timings the Fava script printed."""
    figures: dict[str, object] = json.loads(run.stdout.strip().splitlines()[-1])
    return figures


def measure_size(postings: int, directory: Path, pairs: int, notes: str, skip: set[str]
                 ) -> list[str]:
    """Every measurement of one size, as Markdown table rows."""
    label = size_label(postings)
    full, plain, rules = (directory / f"{kind}-{label}.beancount"
                          for kind in ("ledger", "plain", "rules"))
    if not all(p.is_file() for p in (full, plain, rules)):  # --ledgers: written by an earlier run
        full, plain, rules = write(directory, postings, YEAR)
    count = count_postings(full.read_text("utf-8"))
    print(f"[{label}] {count} postings: {full}", file=sys.stderr)
    size = f"{label} ({count:,} postings)".replace(",", " ")
    check = str(BIN / "bean-check")
    nhnfin = str(BIN / "nhnfin")
    report = [nhnfin, "report", str(full), "--year", str(YEAR), "--format", "json",
              "--output", str(directory / f"report-{label}.json")]
    comparisons = [
        ("plugin", 'bean-check, `plugin "nhnfin"` / no plugins', [check, str(full)],
         [check, str(plain)], 1.05),
        ("rules", 'bean-check, per-rule lines / `plugin "nhnfin"`', [check, str(rules)],
         [check, str(full)], None),
        ("report", "cold `nhnfin report` / plain bean-check", [*report, "--no-cache"],
         [check, str(plain)], 1.00),
    ]
    rows: list[str] = []
    for key, what, a, b, limit in comparisons:
        if key in skip:
            continue
        pair = paired(f"[{label}] {key}", a, b, pairs)
        cpu, memory = pair.ratios(lambda r: r.cpu), pair.ratios(lambda r: r.peak_mb)
        memory_limit = 1.05 if limit is not None else None
        rows.append(_row(size, what, "CPU", cpu, limit, pair.b))
        rows.append(_row(size, what, "peak memory", memory, memory_limit, pair.b))
    if "warm" not in skip:
        measure(report)  # writes the report cache
        warm = [measure(report).seconds for _ in range(pairs)]
        rows.append(f"| {size} | warm `nhnfin report`, wall s | {spread(warm, 2)} | < 0.30 | "
                    f"{_met(statistics.median(warm) < 0.3)} |")
    if "fava" not in skip:
        rows += _fava_rows(size, full, plain, pairs, notes)
    return rows


def _met(ok: bool) -> str:
    return "yes" if ok else "**no**"


def _row(size: str, what: str, measure_name: str, ratios: list[float], limit: float | None,
         base: tuple[Run, ...]) -> str:
    unit = "s" if measure_name == "CPU" else "MB"
    value = statistics.median([r.cpu if unit == "s" else r.peak_mb for r in base])
    target = f"≤ {limit:.2f}" if limit is not None else ""
    met = _met(statistics.median(ratios) <= limit) if limit is not None else ""
    return (f"| {size} | {what}, {measure_name} (B: {value:.1f} {unit}) | ×{spread(ratios)} | "
            f"{target} | {met} |")


def without_extension(plain: Path) -> Path:
    """The plain twin without its ``fava-extension`` line: what plain Fava is measured on."""
    target = plain.with_name(f"fava-{plain.name}")
    lines = plain.read_text("utf-8").splitlines(keepends=True)
    target.write_text("".join(x for x in lines if '"fava-extension"' not in x), "utf-8")
    return target


def _fava_rows(size: str, full: Path, plain: Path, pairs: int, notes: str) -> list[str]:
    script = [sys.executable, "-c", FAVA_SCRIPT]
    pair = paired(f"[{size}] fava", [*script, str(full), FAVA_EXTENSION, notes],
                  [*script, str(without_extension(plain))], pairs)
    if any(r.returncode for r in (*pair.a, *pair.b)):
        return [f"| {size} | Fava | failed (see stderr) | | |"]
    ours = [fava_figures(r) for r in pair.a]
    theirs = [fava_figures(r) for r in pair.b]
    first = [float(str(x["first_page"])) / float(str(y["first_page"]))
             for x, y in zip(ours, theirs, strict=True)]
    ready = [float(str(x["ready"])) / float(str(y["first_page"]))
             for x, y in zip(ours, theirs, strict=True)]
    rows = [f"| {size} | Fava first page, CPU: nhnfin fava / plain fava | ×{spread(first)} | "
            f"≤ 0.80 | {_met(statistics.median(first) <= 0.8)} |",
            f"| {size} | nhnfin report built in the background, CPU until built: nhnfin fava / "
            f"plain fava's first page | ×{spread(ready)} | | |"]
    parts_ready = [float(str(x["parts_ready"])) / float(str(y["first_page"]))
                   for x, y in zip(ours, theirs, strict=True) if x.get("parts_ready") is not None]
    if parts_ready:
        rows.append(f"| {size} | then the figures' parts computed in the background, CPU until "
                    f"done: nhnfin fava / plain fava's first page | ×{spread(parts_ready)} | | |")
    rows += _page_rows(size, ours, "pages", "after load")
    rows += _page_rows(size, ours, "busy", "while the parts are computed")
    parts = [(float(w), float(c)) for figures in ours
             for w, c in cast("list[list[float]]", figures.get("parts", []))]
    if parts:
        wall = [w for w, _ in parts]
        rows.append(f"| {size} | Fava pages of a figure's parts, first visit ({len(parts)} in "
                    f"all), wall s (CPU {spread([c for _, c in parts])}) | {spread(wall)} | "
                    f"< 0.100 | {_met(max(wall) < 0.1)} |")
    return rows


def _page_rows(size: str, ours: list[dict[str, object]], key: str, when: str) -> list[str]:
    """A row per page the Fava script timed under ``key``: its wall time (CPU beside it)."""
    pages: dict[str, list[tuple[float, float]]] = {}
    for figures in ours:
        for page, (wall, cpu) in dict(figures.get(key, {})).items():  # type: ignore[call-overload]
            pages.setdefault(str(page), []).append((float(wall), float(cpu)))
    rows = []
    for page, seconds in pages.items():
        wall = [w for w, _ in seconds]
        rows.append(f"| {size} | Fava page {page} {when}, wall s (CPU "
                    f"{spread([c for _, c in seconds])}) | {spread(wall)} | "
                    f"< 0.100 | {_met(statistics.median(wall) < 0.1)} |")
    return rows


def version_row(pairs: int) -> str:
    """``nhnfin --version``: wall seconds (CPU beside)."""
    runs = [measure([str(BIN / "nhnfin"), "--version"]) for _ in range(max(pairs, 5))]
    wall, cpu = [r.seconds for r in runs], [r.cpu for r in runs]
    return (f"| – | `nhnfin --version`, wall s (CPU {spread(cpu)}) | {spread(wall)} | < 0.15 | "
            f"{_met(statistics.median(wall) < 0.15)} |")


def main(argv: list[str] | None = None) -> None:
    """Command line: measure each size and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="100k", help="comma-separated: 10k,100k,1M")
    parser.add_argument("--pairs", type=int, default=3, help="A B pairs per comparison")
    parser.add_argument("--notes", default="2,3,4,8", help="the note pages to load in Fava")
    parser.add_argument("--skip", default="", help="comma-separated: plugin,rules,report,warm,fava")
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory")
    parser.add_argument("--ledgers", type=Path,
                        help="a directory of ledgers an earlier run kept (--keep) or "
                             "generate_ledger.py wrote, used as they are (kept afterwards)")
    args = parser.parse_args(argv)
    skip = set(filter(None, args.skip.split(",")))
    directory = args.ledgers or Path(tempfile.mkdtemp(prefix="nhnfin-scale-"))
    keep = args.keep or args.ledgers is not None
    byte_compile()
    rows = [version_row(args.pairs)]
    try:
        for size in args.sizes.split(","):
            rows += measure_size(parse_size(size), directory, args.pairs, args.notes, skip)
    finally:
        if keep:
            print(f"kept {directory}", file=sys.stderr)
        else:
            shutil.rmtree(directory, ignore_errors=True)
    print("| size | measurement (A / B) | median (min–max) | target | met |")
    print("|---|---|---:|---|---|")
    print("\n".join(rows))
    print(f"\n{args.pairs} pairs each; CPU is user + system time of the process; Beancount's "
          "cache and the report cache off except for the warm report.")


if __name__ == "__main__":
    main()
