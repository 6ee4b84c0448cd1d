"""Generate a synthetic NHN-like ledger of a given size, for the scale benchmark.

The ledger uses all four streams with nhnfin's real directives, as a controller would write them:

- **e-health invoicing** (``nhnfin.ehealth``): 7 solutions with their keys, the 4 RHFs, 357
  municipalities, pharmacies and a few others as actors with populations; D&F costs tagged
  ``solution:``; the invoices computed by nhnfin's own invoice basis (``nhnfin invoice-basis
  --format beancount`` writes the same) and their payments;
- **grants** (``nhnfin.grants``): several grants with payments and costs linked in each of the
  four ways (posting, transaction, ``#grant-<id>`` tag, shares), and an investment grant that
  pays for an asset;
- **delivery obligation** (``nhnfin.assets.delivery_obligation``): the two transfers of
  ``ledger/nhn/rules.beancount`` with their schedule;
- **fixed assets** (``nhnfin.assets``): declared assets with tagged purchases, one via assets
  under construction, an impairment and a disposal;

plus ordinary bookkeeping: thousands of suppliers with invoices and payments, salaries, service
sales. Every amount and date comes from a seeded ``random.Random`` (no clock), so a size and seed
always give the same file. Costs stay below what is invoiced and awarded, so the ledger checks
clean (``bean-check`` prints nothing), and the pay accounts are mapped to note 5's rows as in
``ledger/nhn/notes-data.beancount``, so its report has no failing tie-out. The ledger has the one
line ``plugin "nhnfin"``; :func:`per_rule_lines` gives its twin with a line per rule.

    .venv/bin/python benchmarks/generate_ledger.py --postings 100k [--output DIR] [--seed 2024]

The ledger is written to a new temporary directory unless ``--output`` names another one outside
the repository; the path is printed.
"""

from __future__ import annotations

import argparse
import datetime
import importlib.util
import random
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from dataclasses import field
from decimal import ROUND_CEILING
from decimal import Decimal
from pathlib import Path

from beancount import loader
from beancount.core import data

from nhnfin.ehealth.basis import invoice_basis
from nhnfin.ehealth.basis import invoice_entries
from nhnfin.ehealth.directives import parse
from nhnfin.money import allocate

REPO = Path(__file__).resolve().parents[1]
CHART = REPO / "ledger" / "accounts.beancount"
ORE = Decimal("0.01")
OPEN_DATE = "2019-12-31"

PLUGIN = "nhnfin"
# The same rules as one line each (issue 14's comparison): what ``plugin "nhnfin"`` runs on this
# ledger, in its order.
PER_RULE_PLUGINS = (
    "nhnfin.assets",
    "nhnfin.assets.delivery_obligation",
    "nhnfin.grants",
    "nhnfin.ehealth",
    "nhnfin.mapping",
    "nhnfin.notes.note_accounts",
)
# Which pay accounts make which row of note 5, as ledger/nhn/notes-data.beancount declares them
# (without them note 5 fails its mapping and its sum tie-outs).
NOTE_ACCOUNTS = """\
2019-12-31 custom "nhnfin-note-accounts" "5" "salaries" "5000-5399"
2019-12-31 custom "nhnfin-note-accounts" "5" "employer_social_security_contributions" "5400-5419"
2019-12-31 custom "nhnfin-note-accounts" "5" "pension_costs" "5420-5499"
2019-12-31 custom "nhnfin-note-accounts" "5" "other_personnel_costs_and_benefits" "5500-5999"
"""

# id: (name, key as (group, percent) pairs)
SOLUTIONS: dict[str, tuple[str, tuple[tuple[str, str], ...]]] = {
    "kjernejournal": ("Kjernejournal", (("RHF", "60"), ("Kommune", "40"))),
    "e-resept": ("E-resept", (("RHF", "44.5"), ("Kommune", "44.5"), ("Apotek", "11"))),
    "helsenorge": ("Helsenorge", (("RHF", "60"), ("Kommune", "40"))),
    "helsenorge-registre": ("Helsenorge registre og forskning", (("RHF", "50"), ("Andre", "50"))),
    "grunndata-70": ("Grunndata (post 70)", (("RHF", "50"), ("Kommune", "50"))),
    "grunndata-72": ("Grunndata (post 72)", (("RHF", "50"), ("Kommune", "50"))),
    "helseid": ("HelseID", (("RHF", "60"), ("Kommune", "40"))),
}
RHFS = ("Helse-Sor-Ost", "Helse-Vest", "Helse-Midt-Norge", "Helse-Nord")
MUNICIPALITIES = 357
OTHERS = ("Kreftregisteret", "FHI", "Helsedirektoratet")

# id: (name, note row, share of the linked costs)
GRANTS: dict[str, tuple[str, str]] = {
    "hod-kap701": ("Tilskudd statsbudsjettet kap. 701", "public_grant"),
    "myhealth-eu": ("MyHealth@EU", "myhealth_eu"),
    "hod-kap701-70": ("Tilskudd kap. 701 post 70", "public_grant"),
    "ehelse-satsing": ("Satsingsmidler e-helse", "public_grant"),
    "eu4health-x": ("EU4Health prosjekt", "myhealth_eu"),
}
INVESTMENT_GRANT = "hod-investering"

ASSET_CLASSES = (
    ("infrastructure", "Assets:1200-Infrastructure", 60),
    ("fixtures", "Assets:1250-FixturesAndEquipment", 36),
    ("software", "Assets:1040-Software", 36),
)
ORDINARY_COSTS = (
    "Expenses:4000-CostOfGoodsSold",
    "Expenses:5900-OtherPersonnelCosts",
    "Expenses:6300-Rent",
    "Expenses:6700-ExternalServices",
    "Expenses:7700-OtherOperatingCosts",
)

TRANSFERS = """\
2020-01-01 custom "nhnfin-transfer" "ehealth-2020" 368887231.00 NOK
  name: "Nasjonale e-helseløsninger overført fra Direktoratet for e-helse"
2020-01-01 custom "nhnfin-schedule" "ehealth-2020" "2020" 73777929.67 NOK
2020-01-01 custom "nhnfin-schedule" "ehealth-2020" "2021" 73777929.67 NOK
2020-01-01 custom "nhnfin-schedule" "ehealth-2020" "2022" 73777929.66 NOK
2020-01-01 custom "nhnfin-schedule" "ehealth-2020" "2023" 73776721.00 NOK
2020-01-01 custom "nhnfin-schedule" "ehealth-2020" "2024" 73776721.00 NOK

2022-11-01 custom "nhnfin-transfer" "vkp-2022" 38396372.00 NOK
  name: "Velferdsteknologisk knutepunkt (VKP)"
  months: 60
"""


def parse_size(text: str) -> int:
    """``"10k"`` -> 10 000, ``"1M"`` -> 1 000 000, ``"2500"`` -> 2 500."""
    text = text.strip()
    factor = {"k": 1_000, "m": 1_000_000}.get(text[-1:].lower(), 1)
    number = text[:-1] if factor != 1 else text
    return int(Decimal(number) * factor)


def size_label(postings: int) -> str:
    """The inverse of :func:`parse_size` for round sizes (``1000000`` -> ``"1M"``)."""
    if postings % 1_000_000 == 0:
        return f"{postings // 1_000_000}M"
    if postings % 1_000 == 0:
        return f"{postings // 1_000}k"
    return str(postings)


@dataclass
class Book:
    """The ledger text being written, with the number of postings in it."""

    year: int
    rng: random.Random
    invoicing: str = "annual"
    lines: list[str] = field(default_factory=list)
    postings: int = 0

    def add(self, *lines: str) -> None:
        """Append directive lines."""
        self.lines.extend(lines)

    def txn(
        self,
        date: datetime.date,
        payee: str,
        narration: str,
        legs: list[tuple[str, Decimal, dict[str, str]]],
        meta: dict[str, str] | None = None,
        tags: tuple[str, ...] = (),
    ) -> None:
        """Append a transaction; each leg is (account, amount, posting meta)."""
        tag_text = "".join(f" #{t}" for t in tags)
        self.lines.append(f'{date} * "{payee}" "{narration}"{tag_text}')
        self.lines.extend(f'  {k}: "{v}"' for k, v in (meta or {}).items())
        for account, number, posting_meta in legs:
            self.lines.append(f"  {account}  {number:.2f} NOK")
            self.lines.extend(f'    {k}: "{v}"' for k, v in posting_meta.items())
        self.postings += len(legs)

    def day(self, first: int = 0, last: int | None = None) -> datetime.date:
        """A random day of the year (day-of-year index ``first`` to ``last``, inclusive)."""
        start = datetime.date(self.year, 1, 1)
        days = (datetime.date(self.year, 12, 31) - start).days
        offset = self.rng.randint(first, days if last is None else last)
        return start + datetime.timedelta(days=offset)

    def amount(self, low: int, high: int) -> Decimal:
        """A random amount between ``low`` and ``high`` kroner, in øre."""
        return Decimal(self.rng.randint(low * 100, high * 100)) / 100


def actors(pharmacies: int) -> Iterator[tuple[str, str, str]]:
    """(id, group, name) of every e-health actor."""
    for rhf in RHFS:
        yield rhf, "RHF", rhf.replace("-", " ")
    for i in range(1, MUNICIPALITIES + 1):
        yield f"Kommune-{i:04d}", "Kommune", f"Kommune {i:04d}"
    for i in range(1, pharmacies + 1):
        yield f"Apotek-{i:04d}", "Apotek", f"Apotek {i:04d}"
    for other in OTHERS:
        yield other, "Andre", other


def populations(rng: random.Random, pharmacies: int) -> dict[str, int]:
    """A synthetic population of each actor that is split by population."""
    ranges = {"RHF": (1_000_000, 3_000_000), "Kommune": (200, 700_000), "Apotek": (1, 50)}
    return {actor: rng.randint(*ranges[group]) for actor, group, _ in actors(pharmacies)
            if group in ranges}


def ehealth_declarations(book: Book, population: dict[str, int], costs: dict[str, Decimal]
                         ) -> str:
    """The e-health directives: options, groups, solutions, keys, cost bases, actors."""
    year = book.year
    pharmacies = sum(1 for actor in population if actor.startswith("Apotek-"))
    out = [
        f'{year}-01-01 custom "nhnfin-ehealth-options" "invoicing" "{book.invoicing}"',
        f'{year}-01-01 custom "nhnfin-ehealth-group" "RHF" TRUE',
        f'{year}-01-01 custom "nhnfin-ehealth-group" "Kommune" TRUE',
        f'{year}-01-01 custom "nhnfin-ehealth-group" "Apotek" FALSE',
        f'{year}-01-01 custom "nhnfin-ehealth-group" "Andre" FALSE',
        '  split: "equal"',
    ]
    for sid, (name, key) in SOLUTIONS.items():
        need = (costs[sid] * Decimal("1.05")).quantize(Decimal(1), ROUND_CEILING)
        shares = " ".join(f'"{group}" {percent}' for group, percent in key)
        out += [
            f'{year}-01-01 custom "nhnfin-ehealth-solution" "{sid}" "{name}"',
            f'{year}-01-01 custom "nhnfin-ehealth-key" "{sid}" {shares}',
            f'{year}-01-01 custom "nhnfin-ehealth-cost-basis" "{sid}" {year} {need} NOK',
            f"  compensated: {(need * Decimal('0.8')).quantize(Decimal(1))} NOK",
            '  source: "syntetisk (benchmark)"',
        ]
    for actor, group, name in actors(pharmacies):
        out += [
            f'{year}-01-01 custom "nhnfin-ehealth-actor" "{actor}" "{group}"',
            f'  name: "{name}"',
        ]
        if actor in population:
            out += [
                f'{year}-01-01 custom "nhnfin-ehealth-population" "{actor}" {population[actor]}',
                '  source: "syntetisk (benchmark)"',
            ]
    return "\n".join(out) + "\n"


def posting_number(posting: data.Posting) -> Decimal:
    """The amount of a posting nhnfin generated (always given)."""
    if posting.units is None or not isinstance(posting.units.number, Decimal):
        raise SystemExit(f"posting without an amount: {posting}")
    return posting.units.number


def write_invoices(book: Book, declarations: str) -> None:
    """The invoices nhnfin's invoice basis gives for the declarations, and their payments."""
    entries, errors, _ = loader.load_string(declarations)
    config, config_errors = parse(entries)
    basis, basis_errors = invoice_basis(config, book.year)
    problems = [*errors, *config_errors, *basis_errors]
    if problems:
        raise SystemExit(f"e-health declarations do not check: {problems[:3]}")
    year_end = datetime.date(book.year, 12, 31)
    for invoice in invoice_entries(basis, config):
        reference = str(invoice.meta["invoice"])
        legs = [
            (p.account, posting_number(p), {"solution": str(p.meta["solution"])} if p.meta else {})
            for p in invoice.postings
        ]
        book.txn(invoice.date, str(invoice.payee), str(invoice.narration), legs,
                 {"nhnfin-rule": "ehealth-invoice", "invoice": reference}, ("nhnfin-generated",))
        total = legs[0][1]
        paid = min(invoice.date + datetime.timedelta(days=30), year_end)
        receivable = invoice.postings[0].account
        book.txn(paid, str(invoice.payee), f"Innbetaling {reference}",
                 [("Assets:1920-Bank", total, {}), (receivable, -total, {})],
                 {"invoice": reference})


def supplier(book: Book, suppliers: int) -> tuple[str, str]:
    """A random supplier: (payee, payable account)."""
    number = book.rng.randint(1, suppliers)
    return f"Leverandør {number:05d} AS", f"Liabilities:2400-TradePayables:Supplier-{number:05d}"


def purchase(
    book: Book,
    suppliers: int,
    account: str,
    number: Decimal,
    posting_meta: dict[str, str],
    meta: dict[str, str] | None = None,
    tags: tuple[str, ...] = (),
    narration: str = "Faktura",
) -> None:
    """A supplier invoice and, most of the time, its payment within the year."""
    payee, payable = supplier(book, suppliers)
    date = book.day(last=330)
    book.txn(date, payee, narration, [(account, number, posting_meta), (payable, -number, {})],
             meta, tags)
    if book.rng.random() < 0.8:
        paid = date + datetime.timedelta(days=book.rng.randint(10, 30))
        legs: list[tuple[str, Decimal, dict[str, str]]] = [
            (payable, number, {}), ("Assets:1920-Bank", -number, {})]
        book.txn(paid, payee, "Betaling", legs)


def grant_costs(book: Book, suppliers: int, count: int) -> dict[str, Decimal]:
    """Costs linked to the grants in each of the four ways; the linked total per grant."""
    linked = dict.fromkeys([*GRANTS, INVESTMENT_GRANT], Decimal(0))
    ids = list(GRANTS)
    for _ in range(count):
        grant = book.rng.choice(ids)
        number = book.amount(1_000, 50_000)
        way = book.rng.random()
        account = "Expenses:6700-ExternalServices"
        if way < 0.4:
            purchase(book, suppliers, account, number, {"grant": grant})
        elif way < 0.7:
            purchase(book, suppliers, account, number, {}, meta={"grant": grant})
        elif way < 0.9:
            purchase(book, suppliers, account, number, {}, tags=(f"grant-{grant}",))
        else:
            other = ids[(ids.index(grant) + 1) % len(ids)]
            purchase(book, suppliers, account, number, {"grant": f"{grant}:60,{other}:40"})
            linked[other] += number
        linked[grant] += number
    return linked


def write_grants(book: Book, linked: dict[str, Decimal], investment: Decimal) -> None:
    """The grant declarations (awards above the linked costs) and their quarterly payments."""
    year = book.year
    linked = {**linked, INVESTMENT_GRANT: linked[INVESTMENT_GRANT] + investment}
    names = {**GRANTS, INVESTMENT_GRANT: ("Investeringstilskudd helsenettet", "public_grant")}
    for grant, (name, row) in names.items():
        award = (linked[grant] * Decimal("1.25") + 1000).quantize(Decimal(1), ROUND_CEILING)
        book.add(
            f'{year}-01-01 custom "nhnfin-grant" "{grant}"',
            f'  name: "{name}"',
            '  source: "syntetisk (benchmark)"',
            f"  amount: {award:.2f} NOK",
            f'  note-row: "{row}"',
        )
        for quarter, part in enumerate(allocate(award, [Decimal(1)] * 4, ORE)):
            date = datetime.date(year, 3 * quarter + 1, 15)
            book.txn(date, "Helse- og omsorgsdepartementet", f"Utbetaling tilskudd {grant}",
                     [("Assets:1920-Bank", part, {}),
                      ("Liabilities:2910-UnusedPublicGrants", -part, {})], {"grant": grant})


def write_assets(book: Book, suppliers: int, count: int) -> Decimal:
    """Declared assets with tagged purchases, one under construction, an impairment, a
    disposal, and the investment the investment grant pays; returns that investment."""
    year = book.year
    for i in range(1, count + 1):
        cls, account, months = ASSET_CLASSES[i % len(ASSET_CLASSES)]
        asset = f"asset-{i:05d}"
        number = book.amount(50_000, 2_000_000)
        payee, payable = supplier(book, suppliers)
        bought = book.day(last=300)
        book.txn(bought, payee, f"Kjøp {asset}",
                 [(account, number, {"asset": asset}), (payable, -number, {})])
        ready = datetime.date(year, bought.month + 1, 1)
        book.add(f'{ready} custom "nhnfin-asset" "{asset}" "{cls}"', f"  months: {months}")
    book.add(
        f'{year}-12-31 custom "nhnfin-impairment" "asset-00001" 1000.00 NOK',
        f'{year}-12-31 custom "nhnfin-disposal" "asset-00002"',
        "  account: Expenses:7700-OtherOperatingCosts",
    )
    payee, payable = supplier(book, suppliers)
    for month in (2, 4):
        book.txn(datetime.date(year, month, 10), payee, "Prosjektfaktura helsenett-kjerne",
                 [("Assets:1280-AssetsUnderConstruction", Decimal("400000.00"),
                   {"asset": "helsenett-kjerne"}), (payable, Decimal("-400000.00"), {})])
    book.add(f'{year}-06-01 custom "nhnfin-asset" "helsenett-kjerne" "infrastructure"',
             "  months: 84")
    investment = Decimal("40000000.00")
    book.txn(datetime.date(year, 3, 15), payee, "Kjerneinfrastruktur (investeringstilskudd)",
             [("Assets:1200-Infrastructure", investment,
               {"asset": "invest-kjerne", "grant": INVESTMENT_GRANT}),
              (payable, -investment, {})])
    book.add(f'{year}-04-01 custom "nhnfin-asset" "invest-kjerne" "infrastructure"',
             "  months: 60")
    return investment


def write_salaries(book: Book) -> None:
    """Monthly salaries of ten departments."""
    for month in range(1, 13):
        for department in range(1, 11):
            gross = book.amount(3_000_000, 6_000_000)
            tax = (gross * Decimal("0.141")).quantize(ORE)
            book.txn(datetime.date(book.year, month, 25), "Lønn", f"Lønn avdeling {department}",
                     [("Expenses:5000-Salaries", gross, {}),
                      ("Expenses:5400-EmployerContribution", tax, {}),
                      ("Assets:1920-Bank", -gross - tax, {})])


def write_opens(book: Book, suppliers: int, pharmacies: int, services: int) -> None:
    """The chart of accounts and the sub-ledger accounts of customers and suppliers."""
    book.add(CHART.read_text("utf-8"))
    for actor, _, _ in actors(pharmacies):
        book.add(f"{OPEN_DATE} open Assets:1500-TradeReceivables:{actor} NOK")
    for i in range(1, services + 1):
        book.add(f"{OPEN_DATE} open Assets:1500-TradeReceivables:Tjenestekunde-{i:04d} NOK")
    for i in range(1, suppliers + 1):
        book.add(f"{OPEN_DATE} open Liabilities:2400-TradePayables:Supplier-{i:05d} NOK")


def header(year: int, fava: bool) -> list[str]:
    """Options, plugin lines and the Fava extension."""
    lines = [
        'option "title" "Syntetisk helseforetak (benchmark)"',
        'option "operating_currency" "NOK"',
        'option "inferred_tolerance_default" "NOK:0.005"',
        f'plugin "{PLUGIN}"',
    ]
    if fava:
        lines += [
            f'{year - 1}-01-01 custom "fava-option" "fiscal-year-end" "12-31"',
            f'{year - 1}-01-01 custom "fava-extension" "nhnfin.fava_ext"',
        ]
    return lines


def generate(postings: int, year: int = 2024, seed: int = 2024, fava: bool | None = None) -> str:
    """The text of a ledger with about ``postings`` postings dated in ``year`` (the plugins add
    their generated postings on top)."""
    if fava is None:
        fava = importlib.util.find_spec("nhnfin.fava_ext") is not None
    rng = random.Random(seed)
    # invoicing gets more frequent with the size: annual, quarterly, monthly
    cadence = "annual" if postings < 50_000 else "quarterly" if postings < 500_000 else "monthly"
    book = Book(year, rng, cadence)
    pharmacies = 200 if postings < 50_000 else 1_000
    population = populations(rng, pharmacies)
    suppliers = max(1_000, min(5_000, postings // 200))
    services = 200
    book.add(*header(year, fava))
    write_opens(book, suppliers, pharmacies, services)
    book.add(NOTE_ACCOUNTS)
    book.add(TRANSFERS)
    book.txn(datetime.date(year - 2, 12, 31), "Inngående balanse", "Inngående balanse",
             [("Assets:1920-Bank", Decimal("50000000000.00"), {}),
              ("Equity:2050-OtherEquity", Decimal("-50000000000.00"), {})])
    write_salaries(book)
    investment = write_assets(book, suppliers, max(10, postings // 1_000))
    # The D&F costs per solution decide the cost basis, hence the invoices; written first so the
    # invoices can cover them.
    dnf: dict[str, Decimal] = dict.fromkeys(SOLUTIONS, Decimal(0))
    invoices = Book(year, rng, cadence)
    declarations = ehealth_declarations(book, population, {s: Decimal(10**9) for s in SOLUTIONS})
    write_invoices(invoices, declarations)  # a dry run, to know how many postings they take
    left = max(0, postings - book.postings - invoices.postings)
    purchases = int(left / 3.6)  # an invoice (2 postings) and in 80 % of cases its payment (2)
    dnf_count, grant_count = purchases * 3 // 10, purchases // 10
    services_count = purchases // 20
    for _ in range(dnf_count):
        sid = rng.choice(list(SOLUTIONS))
        number = book.amount(1_000, 200_000)
        if rng.random() < 0.5:
            purchase(book, suppliers, "Expenses:6700-ExternalServices", number, {"solution": sid},
                     narration="Drift og forvaltning")
        else:
            purchase(book, suppliers, "Expenses:6700-ExternalServices", number, {},
                     meta={"solution": sid}, narration="Drift og forvaltning")
        dnf[sid] += number
    write_grants(book, grant_costs(book, suppliers, grant_count), investment)
    for _ in range(services_count):
        customer = f"Assets:1500-TradeReceivables:Tjenestekunde-{rng.randint(1, services):04d}"
        number = book.amount(5_000, 500_000)
        book.txn(book.day(), "Tjenestekunde", "Tjenestefaktura",
                 [(customer, number, {}), ("Income:3100-ServiceRevenue", -number, {})])
    while book.postings + invoices.postings < postings:
        purchase(book, suppliers, rng.choice(ORDINARY_COSTS), book.amount(500, 100_000), {})
    book.add(ehealth_declarations(book, population, dnf))
    invoices.lines.clear()
    invoices.postings = 0
    write_invoices(invoices, book.lines[-1])
    book.lines.extend(invoices.lines)
    book.postings += invoices.postings
    return "\n".join(book.lines) + "\n"


def without_plugins(text: str) -> str:
    """The same ledger with its ``plugin`` lines removed (plain Beancount)."""
    return "".join(line for line in text.splitlines(keepends=True)
                   if not line.startswith("plugin "))


def per_rule_lines(text: str) -> str:
    """The same ledger with ``plugin "nhnfin"`` replaced by one plugin line per rule."""
    lines = "".join(f'plugin "{name}"\n' for name in PER_RULE_PLUGINS)
    return text.replace(f'plugin "{PLUGIN}"\n', lines, 1)


def count_postings(text: str) -> int:
    """Postings in a generated ledger (the lines of a transaction with an amount)."""
    return sum(1 for line in text.splitlines() if line.startswith("  ") and line.endswith(" NOK")
               and not line.startswith("  amount:") and not line.startswith("    "))


def write(directory: Path, postings: int, year: int = 2024, seed: int = 2024
          ) -> tuple[Path, Path, Path]:
    """Write ``ledger-<size>.beancount`` (``plugin "nhnfin"``), its plugin-free twin
    ``plain-<size>.beancount`` and its twin with one plugin line per rule
    ``rules-<size>.beancount``."""
    resolved = directory.resolve()
    if resolved == REPO or REPO in resolved.parents:
        raise SystemExit(f"{directory}: benchmark ledgers are not written into the repository")
    directory.mkdir(parents=True, exist_ok=True)
    text = generate(postings, year, seed)
    label = size_label(postings)
    full, plain, rules = (directory / f"{kind}-{label}.beancount"
                          for kind in ("ledger", "plain", "rules"))
    full.write_text(text, "utf-8")
    plain.write_text(without_plugins(text), "utf-8")
    rules.write_text(per_rule_lines(text), "utf-8")
    return full, plain, rules


def main(argv: list[str] | None = None) -> None:
    """Command line: write a ledger and print its path and size."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--postings", default="10k", help="about how many postings (10k, 1M)")
    parser.add_argument("--year", type=int, default=2024)
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--output", type=Path, help="directory (default: a new temporary one)")
    args = parser.parse_args(argv)
    directory = args.output or Path(tempfile.mkdtemp(prefix="nhnfin-bench-"))
    full, plain, rules = write(directory, parse_size(args.postings), args.year, args.seed)
    text = full.read_text("utf-8")
    print(f"{full} ({count_postings(text)} postings, {len(text) / 1e6:.1f} MB)")
    print(f"{plain} (the same without the plugin line)")
    print(f"{rules} (the same with one plugin line per rule)")


if __name__ == "__main__":
    main()
