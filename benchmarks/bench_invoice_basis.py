"""Benchmark: the invoice basis for 7 solutions over 4 RHFs, 357 municipalities, ~1 000 pharmacies.

Synthetic, deterministic input (populations from a seeded generator, not real figures), written as
the directives a controller would write, loaded through Beancount, then split (quarterly, to the
øre) and turned into invoice transactions. Prints the time of each step.

    .venv/bin/python benchmarks/bench_invoice_basis.py
"""

from __future__ import annotations

import random
import time
from decimal import Decimal

from beancount import loader

from nhnfin.ehealth.basis import invoice_basis
from nhnfin.ehealth.basis import invoice_entries
from nhnfin.ehealth.directives import parse

SOLUTIONS = {  # id: (need NOK, compensated NOK, key)
    "kjernejournal": (105_900_000, 86_500_000, '"RHF" 60 "Kommune" 40'),
    "e-resept": (122_000_000, 122_100_000, '"RHF" 44.5 "Kommune" 44.5 "Apotek" 11'),
    "helsenorge": (271_400_000, 197_300_000, '"RHF" 60 "Kommune" 40'),
    "helsenorge-registre": (5_600_000, 4_000_000, '"RHF" 50 "Andre" 50'),
    "grunndata-70": (3_600_000, 3_600_000, '"RHF" 50 "Kommune" 50'),
    "grunndata-72": (45_400_000, 44_700_000, '"RHF" 50 "Kommune" 50'),
    "helseid": (20_000_000, 31_700_000, '"RHF" 60 "Kommune" 40'),
}
GROUPS = {"RHF": (4, True), "Kommune": (357, True), "Apotek": (1000, False), "Andre": (3, False)}


def ledger_text(seed: int = 2024) -> str:
    """The directives, with deterministic synthetic populations."""
    rng = random.Random(seed)
    out = [
        'option "operating_currency" "NOK"',
        '2024-01-01 custom "nhnfin-ehealth-options" "rounding" "øre" "invoicing" "quarterly"',
    ]
    for group, (_, compensated) in GROUPS.items():
        out.append(
            f'2024-01-01 custom "nhnfin-ehealth-group" "{group}" '
            f"{'TRUE' if compensated else 'FALSE'}"
        )
    for sid, (need, comp, key) in SOLUTIONS.items():
        out += [
            f'2024-01-01 custom "nhnfin-ehealth-solution" "{sid}" "{sid}"',
            f'2024-01-01 custom "nhnfin-ehealth-key" "{sid}" {key}',
            f'2024-01-01 custom "nhnfin-ehealth-cost-basis" "{sid}" 2024 {need} NOK',
            f"  compensated: {comp} NOK",
        ]
    for group, (count, _) in GROUPS.items():
        for i in range(count):
            actor = f"{group}-{i + 1:04d}"
            out += [
                f'2024-01-01 custom "nhnfin-ehealth-actor" "{actor}" "{group}"',
                f'2024-01-01 custom "nhnfin-ehealth-population" "{actor}" '
                f"{rng.randint(200, 700_000)}",
                '  source: "syntetisk (benchmark)"',
            ]
    return "\n".join(out) + "\n"


def main() -> None:
    """Run and print the timings."""
    text = ledger_text()
    start = time.perf_counter()
    entries, errors, _ = loader.load_string(text)
    loaded = time.perf_counter()
    config, config_errors = parse(entries)
    parsed = time.perf_counter()
    basis, basis_errors = invoice_basis(config, 2024)
    split = time.perf_counter()
    invoices = invoice_entries(basis, config)
    done = time.perf_counter()
    if errors or config_errors or basis_errors:
        raise SystemExit(f"unexpected errors: {[*errors, *config_errors, *basis_errors][:3]}")
    total = sum((x.amount for x in basis.lines), Decimal(0))
    if total != sum(Decimal(n) for n, _, _ in SOLUTIONS.values()):
        raise SystemExit(f"the lines sum to {total}, not the need")
    actors = len(config.actors)
    print(f"invoice basis: {len(SOLUTIONS)} solutions, {actors} actors, quarterly, øre")
    print(f"  load directives (Beancount): {loaded - start:8.3f} s")
    print(f"  parse and validate:          {parsed - loaded:8.3f} s")
    print(f"  split ({len(basis.lines)} lines):         {split - parsed:8.3f} s")
    print(f"  invoice transactions ({len(invoices)}): {done - split:8.3f} s")
    print(f"  total:                       {done - start:8.3f} s  (sum {total} NOK, exact)")


if __name__ == "__main__":
    main()
