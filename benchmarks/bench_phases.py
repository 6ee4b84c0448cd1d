"""Benchmark: where a bean-check of a ledger with ``plugin "nhnfin"`` spends its time (issue 19).

Two readings, each in a fresh process, with nhnfin's modules imported first (so neither counts
their import) and Beancount's cache off:

- ``phases``: ``beancount.loader.load_file`` with Beancount's own timing points, and for each
  phase the collections Python's collector made in it (by generation: how many, wall seconds).
  A collection of generation 2 walks every object of the ledger; a plugin that sets one off
  costs seconds at 1 M postings (benchmarks/README.md, round eleven).
- ``steps``: ``nhnfin.pipeline.run`` on the booked, sorted entries, three times, CPU seconds
  of each rule's step.
- ``imports``: what the plugin's path costs to import before any rule runs, CPU seconds and
  the rise of peak memory, in a process that has imported what bean-check imports itself:
  pydantic with one model validated (the floor of any directive validated by pydantic), then
  the plugin's modules (``MODULES``). No ledger is read.

    .venv/bin/python benchmarks/bench_phases.py [--ledger PATH] [--only phases|steps|imports]

Without ``--ledger`` it writes the 100 k benchmark ledgers (``bench_scale.write``) to a
temporary folder and reads both: the one with ``plugin "nhnfin"`` and its plain twin.
"""

from __future__ import annotations

import argparse
import gc
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
MODULES = ("nhnfin.pipeline", "nhnfin.assets.plugin", "nhnfin.assets.delivery_obligation",
           "nhnfin.grants.plugin", "nhnfin.ehealth.plugin", "nhnfin.mapping",
           "nhnfin.notes.note_accounts", "nhnfin.notes.layout", "nhnfin.close.period_lock",
           "beancount.ops.pad", "beancount.ops.documents", "beancount.ops.balance")


def _import_all() -> None:
    import importlib

    for name in MODULES:
        importlib.import_module(name)


def phases(ledger: Path) -> None:
    """Beancount's phases of one load, with the collector's work in each."""
    from beancount import loader

    _import_all()
    started: dict[str, float] = {}
    current: dict[int, list[float]] = {}

    def collected(phase: str, info: dict[str, Any]) -> None:
        if phase == "start":
            started["t"] = time.perf_counter()
            return
        held = current.setdefault(int(info["generation"]), [0, 0.0])
        held[0] += 1
        held[1] += time.perf_counter() - started["t"]

    def timing(message: str) -> None:
        name = message.split("'")[1] if "'" in message else message
        took = message.rsplit("Time:", maxsplit=1)[-1].strip()
        gcs = ", ".join(f"gen{g} {n:.0f}× {s:.2f} s" for g, (n, s) in sorted(current.items()))
        print(f"  {name:<55} {took:>10}   {gcs}")
        current.clear()

    gc.callbacks.append(collected)
    cpu = time.process_time()
    loader.load_file(str(ledger), log_timings=timing)
    print(f"  load CPU {time.process_time() - cpu:.2f} s")


def steps(ledger: Path) -> None:
    """CPU of each rule's step of ``plugin "nhnfin"``, three runs on the same entries."""
    from beancount.core import data
    from beancount.loader import _parse_recursive
    from beancount.parser import booking

    _import_all()
    from nhnfin import pipeline

    entries, _, options = _parse_recursive([(str(ledger), True)], None, None)
    entries, _ = booking.book(entries, options)
    entries.sort(key=data.entry_sortkey)
    took: dict[str, float] = {}

    def timed(rule: pipeline.Rule) -> pipeline.Rule:
        def run(e: list[Any], o: dict[str, Any], c: str | None) -> tuple[list[Any], list[Any]]:
            cpu = time.process_time()
            result = rule.run(e, o, c)
            took[rule.section] = time.process_time() - cpu
            return result
        return pipeline.Rule(rule.section, rule.directives, run)

    pipeline.RULES = tuple(timed(rule) for rule in pipeline.RULES)
    for _ in range(3):
        took.clear()
        cpu = time.process_time()
        pipeline.run(entries, options, None)
        parts = ", ".join(f"{k} {v:.3f}" for k, v in took.items())
        print(f"  run {time.process_time() - cpu:.3f} s CPU: {parts}")


def imports() -> None:
    """CPU and peak memory of importing pydantic (with one model validated) and then the
    plugin's path, after what bean-check imports itself."""
    import importlib
    import resource

    for name in ("beancount.scripts.check", "beancount.ops.validation"):  # bean-check's own
        importlib.import_module(name)

    def peak_mb() -> float:
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    cpu, peak = time.process_time(), peak_mb()
    from pydantic import BaseModel

    class One(BaseModel):
        number: int

    One(number=1)
    print(f"  pydantic and a first model: {time.process_time() - cpu:.3f} s CPU, "
          f"+{peak_mb() - peak:.1f} MB peak")
    cpu, peak, before = time.process_time(), peak_mb(), len(sys.modules)
    for name in MODULES:
        importlib.import_module(name)
    print(f"  then the plugin's modules: {time.process_time() - cpu:.3f} s CPU, "
          f"+{peak_mb() - peak:.1f} MB peak, {len(sys.modules) - before} modules")


def child(only: str, ledger: Path | None) -> None:
    env = {**os.environ, "BEANCOUNT_DISABLE_LOAD_CACHE": "1"}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    print(f"{only}: {ledger or 'no ledger'}", flush=True)
    where = [] if ledger is None else ["--ledger", str(ledger)]
    subprocess.run([sys.executable, __file__, "--only", only, *where], env=env, check=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ledger", type=Path, help="the ledger (default: the 100 k pair)")
    parser.add_argument("--only", choices=("phases", "steps", "imports"))
    args = parser.parse_args()
    if args.only == "imports":
        if os.environ.get("NHNFIN_BENCH_CHILD"):
            imports()
        else:  # a fresh process, bytecode written as an installed package has it
            os.environ["NHNFIN_BENCH_CHILD"] = "1"
            child("imports", None)
        return
    if args.only and args.ledger:
        (phases if args.only == "phases" else steps)(args.ledger)
        return
    if args.ledger:
        ledgers = [args.ledger]
    else:
        sys.path.insert(0, str(HERE))
        import bench_scale

        folder = Path(tempfile.mkdtemp(prefix="nhnfin-phases-"))
        bench_scale.write(folder, 100_000, bench_scale.YEAR)
        ledgers = sorted(folder.glob("ledger-*.beancount")) + sorted(folder.glob("plain-*"))
    for ledger in ledgers:
        for only in ([args.only] if args.only else ["phases", "steps"]):
            if only == "steps" and ledger.name.startswith("plain-"):
                continue
            child(only, ledger)


if __name__ == "__main__":
    main()
