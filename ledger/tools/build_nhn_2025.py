"""Build the continuing example ledger/nhn-2025/ (NHN's books from the locked 2024 into 2025).

Run: ``.venv/bin/python ledger/tools/build_nhn_2025.py`` (deterministic except the lock's
``locked-on`` date; rewrites the generated files of ledger/nhn-2025/). Every 2025 figure is an
assumption stated in ledger/nhn-2025/README.md; nothing here is fitted to a target.

1. ``invoices-2025.beancount``: the four quarters' e-health invoices per actor group, as
   ``nhnfin invoice-basis --format beancount`` gives them from ``rules-2025.beancount`` (the
   financing need less the 34.5 MNOK repaid through lower invoicing).
2. ``2025.beancount``: the year's postings: the invoices paid, the D&F costs of the solutions,
   the state-budget grant paid and used, the MyHealth@EU receivable paid and the carried grant
   used, depreciation, and the year-end transfer of the result (computed by nhnfin from the
   finished books).
3. ``close-2024.beancount`` and ``locks/2024-12-31.json``: ``nhnfin close`` of 2024 on the
   continuing ledger, so it proves that 2024 did not change. The lock format belongs to
   ``nhnfin close``: run this again when it changes.
"""

from __future__ import annotations

import calendar
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from nhnfin.ledger import load  # noqa: E402
from nhnfin.money import ORE  # noqa: E402
from nhnfin.money import allocate  # noqa: E402
from nhnfin.report import build_report  # noqa: E402

LEDGER = ROOT / "ledger"
OUT = LEDGER / "nhn-2025"
TOP = LEDGER / "nhn-2025.beancount"
NHNFIN = str(Path(sys.executable).parent / "nhnfin")
YEAR = 2025
D = Decimal

# --- assumptions (ledger/nhn-2025/README.md) ---------------------------------------------------
EHEALTH_COST = D("1000000000.00")  # D&F of the national solutions 2025 = the cost basis's need
COST_SPLIT = {"Expenses:4000-CostOfGoodsSold": D(60), "Expenses:5000-Salaries": D(40)}
GRANT_PAID = D("307644000.00")  # hod-kap701 2025, paid in four instalments
GRANT_USED = D("233191205.00")  # salaries the state-budget grant covers in 2025 (as 2024)
MYHEALTH_RECEIVABLE = D("9300000.00")  # awarded in 2024, not received: paid in 2025
MYHEALTH_USED = D("1891791.00")  # the carried 2024 balance, used up in 2025
MONTHLY_DEPRECIATION = (  # the 2024 monthly amounts, continued
    ("Avskrivning kjerneinfrastruktur (tilskuddsfinansiert)", "helsenett-kjerne-2022",
     "Expenses:6000-DepreciationTangible", "Assets:1209-InfrastructureAccumDepreciation",
     D("628987.56")),
    ("Avskrivning programvare", None, "Expenses:6010-AmortisationIntangible",
     "Assets:1049-SoftwareAccumAmortisation", D("169624.43")),
    ("Avskrivning infrastruktur", None, "Expenses:6000-DepreciationTangible",
     "Assets:1209-InfrastructureAccumDepreciation", D("6155751.45")),
    ("Avskrivning driftsløsøre, inventar og utstyr", None, "Expenses:6000-DepreciationTangible",
     "Assets:1259-FixturesAccumDepreciation", D("655454.58")),
)  # fmt: skip
SERVICE_REVENUE = D("66838917.79")  # a month, as 2024, invoiced and paid in the month
SERVICE_COSTS = D("60000000.00")  # a month: external services for those customers


def month_end(month: int) -> str:
    return f"{YEAR}-{month:02d}-{calendar.monthrange(YEAR, month)[1]:02d}"


def monthly(total: Decimal) -> list[Decimal]:
    return allocate(total, [D(1)] * 12, ORE)


def entry(date: str, payee: str, narration: str, legs: list[tuple[str, Decimal]],
          meta: dict[str, str] | None = None) -> str:
    lines = [f'{date} * "{payee}" "{narration}"']
    lines += [f'  {k}: "{v}"' for k, v in (meta or {}).items()]
    lines += [f"  {account:<58} {amount:>16} NOK" for account, amount in legs]
    return "\n".join(lines) + "\n"


def invoices() -> str:
    """The invoice basis's entries, with the repository-relative source paths."""
    text = subprocess.run(
        [NHNFIN, "invoice-basis", str(TOP), "--year", str(YEAR), "--format", "beancount"],
        check=True, capture_output=True, text=True,
    ).stdout
    return text.replace(str(LEDGER) + "/", "")


def invoice_payments(invoice_text: str) -> list[str]:
    """Each invoice paid on the 15th of the quarter's second month."""
    result = []
    blocks = [b for b in invoice_text.split("\n\n") if "Liabilities:2920" in b]
    for block in blocks:
        lines = block.strip().splitlines()
        number = next(x.split('"')[1] for x in lines if x.strip().startswith("invoice:"))
        receivable, amount = next(
            (x.split()[0], D(x.split()[1])) for x in lines if "1500-TradeReceivables" in x
        )
        quarter = int(number.split("-Q")[1][0])
        date = f"{YEAR}-{quarter * 3 - 1:02d}-15"
        result.append(entry(date, receivable.rsplit(":", 1)[1], f"Innbetaling faktura {number}",
                            [("Assets:1920-Bank", amount), (receivable, -amount)],
                            {"invoice": number}))
    return result


def year_entries() -> list[str]:
    out: list[str] = []
    cost_parts = {a: monthly(p) for a, p in zip(
        COST_SPLIT, allocate(EHEALTH_COST, list(COST_SPLIT.values()), ORE), strict=True)}
    grant_months, myhealth_months = monthly(GRANT_USED), monthly(MYHEALTH_USED)
    for quarter, paid in enumerate(allocate(GRANT_PAID, [D(1)] * 4, ORE), start=1):
        out.append(entry(f"{YEAR}-{quarter * 3 - 2:02d}-20", "Helse- og omsorgsdepartementet",
                         f"Tilskudd kap. 701 {quarter}. kvartal {YEAR}",
                         [("Assets:1920-Bank", paid),
                          ("Liabilities:2910-UnusedPublicGrants", -paid)],
                         {"grant": "hod-kap701"}))
    out.append(entry(f"{YEAR}-03-14", "Europakommisjonen", "MyHealth@EU: tilskudd 2024 mottatt",
                     [("Assets:1920-Bank", MYHEALTH_RECEIVABLE),
                      ("Assets:1570-GrantsReceivable", -MYHEALTH_RECEIVABLE)],
                     {"grant": "myhealth-eu"}))
    for month in range(1, 13):
        day, mm = month_end(month), f"{month:02d}/{YEAR}"
        for account, parts in cost_parts.items():
            counter = "Liabilities:2400-TradePayables" if "4000" in account else "Assets:1920-Bank"
            kind = account.split("-", 1)[1]
            text = f"D&F nasjonale e-helseløsninger, {kind} {mm}"
            out.append(entry(day, "Norsk helsenett SF", text,
                             [(account, parts[month - 1]), (counter, -parts[month - 1])],
                             {"solution": "nasjonale"}))
        cogs = cost_parts["Expenses:4000-CostOfGoodsSold"][month - 1]
        out.append(entry(day, "Leverandører", f"Betaling leverandører {mm}",
                         [("Liabilities:2400-TradePayables", cogs), ("Assets:1920-Bank", -cogs)]))
        for grant, parts in (("hod-kap701", grant_months), ("myhealth-eu", myhealth_months)):
            out.append(entry(day, "Ansatte", f"Lønn, tilskuddsfinansierte oppgaver ({grant}) {mm}",
                             [("Expenses:5000-Salaries", parts[month - 1]),
                              ("Assets:1920-Bank", -parts[month - 1])], {"grant": grant}))
        for text, asset, expense, accumulated, amount in MONTHLY_DEPRECIATION:
            out.append(entry(day, "Norsk helsenett SF", f"{text} {mm}",
                             [(expense, amount), (accumulated, -amount)],
                             {"asset": asset} if asset else None))
        out.append(entry(day, "Tjenestekunder", f"Tjenesteinntekter {mm}",
                         [("Assets:1920-Bank", SERVICE_REVENUE),
                          ("Income:3100-ServiceRevenue", -SERVICE_REVENUE)]))
        out.append(entry(day, "Leverandører", f"Eksterne tjenester {mm}",
                         [("Expenses:6700-ExternalServices", SERVICE_COSTS),
                          ("Assets:1920-Bank", -SERVICE_COSTS)]))
    return out


HEADER = """; Generated by ledger/tools/build_nhn_2025.py from the assumptions in
; nhn-2025/README.md. Do not edit by hand: change the generator and run it again.

"""


def year_end(result: Decimal) -> str:
    return entry(f"{YEAR}-12-31", "Norsk helsenett SF",
                 f"Årsoppgjør {YEAR}: årsresultat overført til annen egenkapital",
                 [("Equity:8960-TransferToOtherEquity", result),
                  ("Equity:2050-OtherEquity", -result)]).replace('"\n', '" #year-end\n', 1)


def close_2024() -> None:
    """``nhnfin close`` of 2024 on the continuing ledger, into nhn-2025/ (close never
    overwrites a file, and the ledger includes the close file: it is written beside it and moved
    into place)."""
    close, sidecar = OUT / "close-2024.beancount", OUT / "locks" / "2024-12-31.json"
    fresh = OUT / "close-2024.new"
    close.write_text("", "utf-8")
    sidecar.unlink(missing_ok=True)
    fresh.unlink(missing_ok=True)
    subprocess.run([NHNFIN, "close", str(TOP), "--year", "2024", "--output", str(fresh),
                    "--locked-by", "nhnfin-example"], check=True)
    fresh.replace(close)


def main() -> None:
    OUT.mkdir(exist_ok=True)
    for name in ("close-2024.beancount", "invoices-2025.beancount", "2025.beancount"):
        (OUT / name).write_text(HEADER if name.startswith("2") else "", "utf-8")
    invoice_text = invoices()
    (OUT / "invoices-2025.beancount").write_text(HEADER + invoice_text.split("\n", 2)[2], "utf-8")
    body = HEADER + "\n".join([*invoice_payments(invoice_text), *year_entries()])
    (OUT / "2025.beancount").write_text(body, "utf-8")
    report = build_report(load(TOP), YEAR)
    result = report.statement("income_statement").row("net_result_for_the_year").amounts[str(YEAR)]
    (OUT / "2025.beancount").write_text(body + "\n" + year_end(result), "utf-8")
    close_2024()


if __name__ == "__main__":
    main()
