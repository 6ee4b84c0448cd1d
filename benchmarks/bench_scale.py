"""Benchmark: nhnfin at the scale of a real year (issue 10), measured side by side.

For each size, one synthetic ledger (:mod:`generate_ledger`, all four streams) is written to a
temporary directory together with its twin without the ``plugin`` lines, and measured in the same
run, each measurement in its own process (wall time, and peak memory from ``os.wait4``'s rusage
of that process alone, so runs do not pollute each other):

- ``bean-check`` on the plain twin, and on the ledger with the nhnfin plugins (overhead as the
  ratio of time and of memory; target at most 1.10 on the 1 M ledger);
- ``nhnfin report --year`` cold (Beancount's pickle cache removed first; target at most 1.2 x
  ``bean-check`` with plugins, cold) and warm (the cache the cold run wrote; target under 3 s);
- Fava, when ``nhnfin.fava_ext`` is installed: the first page load (the app loads the ledger and
  renders the income statement) and then the nhnfin note pages (target under 1 s each after load).

Every cold run starts with the ledger's cache file (``.<name>.picklecache``, Beancount 3 writes it
next to the ledger when a load takes over a second) removed.

    .venv/bin/python benchmarks/bench_scale.py --sizes 10k,100k     # the default
    .venv/bin/python benchmarks/bench_scale.py --sizes 1M          # takes minutes
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate_ledger import count_postings
from generate_ledger import parse_size
from generate_ledger import size_label
from generate_ledger import write

BIN = Path(sys.executable).parent
YEAR = 2024
FAVA_EXTENSION = "NhnfinReport"

# Run inside its own process: load the ledger in Fava, render the first page, then the nhnfin
# pages; prints the timings as JSON.
FAVA_SCRIPT = """
import json, sys, time
t0 = time.perf_counter()
from fava.application import create_app
app = create_app([sys.argv[1]], load=True)
client = app.test_client()
slug = app.config["LEDGERS"].first_slug()
first = client.get(f"/{slug}/income_statement/")
assert first.status_code == 200, first.status_code
t1 = time.perf_counter()
base = f"/{slug}/extension/%s/" % sys.argv[2]
pages = {}
for section in ["notes", *(f"note-{n}" for n in sys.argv[3].split(","))]:
    start = time.perf_counter()
    response = client.get(base + "?section=" + section)
    pages[section] = (time.perf_counter() - start, response.status_code)
print(json.dumps({"first_page": t1 - t0, "pages": pages}))
"""


@dataclass(frozen=True)
class Run:
    """One measured process."""

    seconds: float  # wall clock
    cpu: float  # user + system time of the process
    peak_mb: float  # peak resident memory of the process
    stdout: str
    returncode: int


def measure_rusage(command: list[str]) -> Run:
    """Run ``command`` in its own process: wall time, CPU time and peak resident memory of that
    process alone (``os.wait4``), so measurements do not pollute each other."""
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        start = time.perf_counter()
        process = subprocess.Popen(command, stdout=out, stderr=err, text=True)
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        text, problems = out.read(), err.read()
    if process.returncode != 0:
        print(f"  ! {' '.join(command[:3])}... exited {process.returncode}: {problems[-500:]}",
              file=sys.stderr)
    return Run(seconds, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, text,
               process.returncode)


def clear_cache(ledger: Path) -> None:
    """Remove Beancount's pickle cache of ``ledger`` (the next load is cold)."""
    ledger.with_name(f".{ledger.name}.picklecache").unlink(missing_ok=True)


def fava_available() -> bool:
    """Whether nhnfin's Fava extension is installed (another engineer builds it)."""
    probe = [sys.executable, "-c", "import nhnfin.fava_ext"]
    return subprocess.run(probe, capture_output=True, check=False).returncode == 0


def measure_size(postings: int, directory: Path, notes: str) -> dict[str, object]:
    """Every measurement of one size."""
    label = size_label(postings)
    started = time.perf_counter()
    full, plain, _ = write(directory, postings, YEAR)
    generated = time.perf_counter() - started
    count = count_postings(full.read_text("utf-8"))
    print(f"[{label}] {count} postings written in {generated:.1f} s: {full}", file=sys.stderr)
    result: dict[str, object] = {"size": label, "postings": count}
    check = str(BIN / "bean-check")
    report = [str(BIN / "nhnfin"), "report", str(full), "--year", str(YEAR), "--format", "json",
              "--output", str(directory / f"report-{label}.json")]
    for name, command, ledger in (
        ("check_plain", [check, str(plain)], plain),
        ("check_plugins", [check, str(full)], full),
        ("report_cold", report, full),
        ("report_warm", report, None),
    ):
        if ledger is not None:
            clear_cache(ledger)
        run = measure_rusage(command)
        result[name] = run
        print(f"[{label}] {name}: {run.seconds:.2f} s, {run.peak_mb:.0f} MB", file=sys.stderr)
        if name.startswith("check") and (run.stdout.strip() or run.returncode):
            print(f"[{label}] {name} reported errors (rc {run.returncode})", file=sys.stderr)
    if fava_available():
        fava = measure_rusage([sys.executable, "-c", FAVA_SCRIPT, str(full), FAVA_EXTENSION,
                               notes])
        result["fava"] = fava
        print(f"[{label}] fava: {fava.stdout.strip()}", file=sys.stderr)
    return result


def ratio(a: float, b: float) -> float:
    """a / b, guarding against zero."""
    return a / b if b else float("inf")


def _cell(run: Run) -> str:
    return f"{run.cpu:.2f} s | {run.seconds:.2f} s | {run.peak_mb:.0f} MB"


def fava_figures(run: Run | None) -> dict[str, float] | None:
    """The Fava timings (first page, then each nhnfin page), or None when not measured."""
    if run is None or run.returncode != 0 or not run.stdout.strip():
        return None
    figures = json.loads(run.stdout.strip().splitlines()[-1])
    pages = {f"page {k}": float(v[0]) for k, v in figures["pages"].items()}
    return {"first page": float(figures["first_page"]), **pages}


def tables(results: list[dict[str, object]]) -> str:
    """The measurements, and the ratios against the targets, as Markdown tables."""
    out = ["| size | measurement | CPU | wall | peak memory |", "|---|---|---:|---:|---:|"]
    checks = ["| size | target | measured | limit | met |", "|---|---|---:|---:|---|"]
    for r in results:
        runs = {k: v for k, v in r.items() if isinstance(v, Run)}
        size = f"{r['size']} ({r['postings']} postings)"
        for name, run in runs.items():
            if name != "fava":
                out.append(f"| {size} | {name.replace('_', ' ')} | {_cell(run)} |")
        plain, full = runs["check_plain"], runs["check_plugins"]
        cold, warm = runs["report_cold"], runs["report_warm"]
        rows = [
            ("plugin overhead, CPU time", ratio(full.cpu, plain.cpu), 1.10),
            ("plugin overhead, peak memory", ratio(full.peak_mb, plain.peak_mb), 1.10),
            ("report cold / bean-check with plugins, CPU", ratio(cold.cpu, full.cpu), 1.2),
            ("report warm, wall seconds", warm.seconds, 3.0),
        ]
        fava = fava_figures(runs.get("fava"))
        if fava is None:
            reason = "not installed" if "fava" not in runs else "failed"
            out.append(f"| {size} | Fava | skipped: nhnfin.fava_ext {reason} | | |")
        else:
            out.append(f"| {size} | Fava, whole process | {_cell(runs['fava'])} |")
            for page, seconds in fava.items():
                out.append(f"| {size} | Fava {page} | | {seconds:.2f} s | |")
            after = [v for k, v in fava.items() if k.startswith("page note-")]
            rows.append(("Fava note pages after load (slowest), wall seconds",
                         max(after, default=0.0), 1.0))
        checks += [f"| {r['size']} | {what} | {value:.2f} | {limit:.2f} | "
                   f"{'yes' if value <= limit else 'NO'} |" for what, value, limit in rows]
    return "\n".join([*out, "", *checks, "",
                      "The overhead target applies to the 1 M ledger; CPU time is user + system "
                      "of the process (robust on a shared machine), wall time as the user waits."])


def main(argv: list[str] | None = None) -> None:
    """Command line: measure each size and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10k,100k", help="comma-separated: 10k,100k,1M")
    parser.add_argument("--notes", default="2,3,4,8", help="the note pages to load in Fava")
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory")
    args = parser.parse_args(argv)
    directory = Path(tempfile.mkdtemp(prefix="nhnfin-scale-"))
    try:
        results = [measure_size(parse_size(s), directory, args.notes)
                   for s in args.sizes.split(",")]
    finally:
        if args.keep:
            print(f"kept {directory}", file=sys.stderr)
        else:
            shutil.rmtree(directory, ignore_errors=True)
    print(tables(results))


if __name__ == "__main__":
    main()
