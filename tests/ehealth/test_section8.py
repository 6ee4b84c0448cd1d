"""Seed 001, section 8 ("Eksempel på fakturagrunnlag"), row by row as published.

The example ledger ``ledger/examples/invoice-basis-2022.beancount`` declares the published cost
basis (2021 = compensated, 2022 = 2021 + growth), the keys and the special rule. Each published
cell (MNOK, one decimal) is compared with our exact split rounded half up to 0.1 MNOK. The cells
that differ are exactly the places where the published table is itself inconsistent; each is
listed in ``INCONSISTENT`` with the reason, and the test fails if any other cell differs (or if
one of these stops differing).
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP
from decimal import Decimal
from pathlib import Path

import pytest
from beancount import loader

from nhnfin.ehealth.basis import InvoiceBasis
from nhnfin.ehealth.basis import invoice_basis
from nhnfin.ehealth.directives import parse

EXAMPLE_2022 = Path(__file__).resolve().parents[2] / "ledger/examples/invoice-basis-2022.beancount"
MNOK = Decimal(1_000_000)
GROUPS = ("RHF", "Kommune", "Apotek", "Andre")

# solution id -> (2021, 2022 as printed, growth, {group: not-compensated share}) as published
PUBLISHED = {
    "kjernejournal": ("86.5", "106", "19.4", {"RHF": "11.6", "Kommune": "7.8"}),
    "e-resept": ("122.1", "122", "-0.1", {"RHF": "0.0", "Kommune": "0.0", "Apotek": "13.4"}),
    "helsenorge": ("197.3", "271", "74.1", {"RHF": "44.5", "Kommune": "29.6"}),
    "helsenorge-registre": ("4.0", "5.6", "1.6", {"RHF": "1.6", "Andre": "2.8"}),
    "grunndata-70": ("3.6", "3.6", "0.0", {}),
    "grunndata-72": ("44.7", "45", "0.7", {"RHF": "0.3", "Kommune": "0.3"}),
    "helseid": ("31.7", "20", "-11.7", {"RHF": "-7.0", "Kommune": "-4.7"}),
}
PUBLISHED_SUM = ("489.9", "574", "84.0", {"RHF": "51.0", "Kommune": "33.1", "Apotek": "13.4",
                                          "Andre": "2.8"})
PUBLISHED_TOTAL_INVOICE = {"RHF": "322.8", "Kommune": "237.7", "Apotek": "13.4", "Andre": "2.8"}

# cell -> (ours, published, why)
INCONSISTENT = {
    ("helsenorge-registre", "RHF"): (
        "0.8", "1.6", "footnote *: RHF pays 50 % (2.8 of 5.6, 'RHF faktureres derfor 2,8mnok'); "
        "its not-compensated part is 2.8 - 50 % of the 4.0 compensated = 0.8. The printed 1.6 "
        "is the whole growth, as if RHF also carried the others' half."),
    ("grunndata-72", "RHF"): (
        "0.4", "0.3", "0.3 + 0.3 = 0.6 is not the printed growth 0.7; the exact halves are "
        "0.35 each (350 000 NOK), 0.4 rounded half up. The unrounded growth was presumably "
        "below 0.7."),
    ("grunndata-72", "Kommune"): ("0.4", "0.3", "as for RHF"),
    ("sum", "RHF"): (
        "50.2", "51.0", "exact 50 185 500 NOK; the printed 51.0 includes the registries' 1.6 "
        "(see above): 51.0 - 1.6 + 0.8 = 50.2"),
    ("sum", "Kommune"): (
        "33.0", "33.1", "the printed kommune rows add up to 7.8 + 0.0 + 29.6 + 0.3 - 4.7 = 33.0, "
        "not the printed 33.1; exact 33 025 500 NOK"),
    ("total_invoice", "RHF"): (
        "320.0", "322.8", "322.8 = 320.0 + 2.8: the printed total charges the registries' whole "
        "5.6 to RHF and 2.8 to others as well, so the printed invoices add up to "
        "322.8 + 237.7 + 13.4 + 2.8 = 576.7, 2.8 more than the need of 573.9. Ours add up to "
        "573 900 000 NOK exactly."),
}


def mnok(amount: Decimal) -> str:
    """Round NOK to MNOK with one decimal, half up, as printed (-0.0 prints as 0.0)."""
    value = (amount / MNOK).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    return str(value + 0)


@pytest.fixture(scope="module")
def basis() -> InvoiceBasis:
    entries, errors, _ = loader.load_file(str(EXAMPLE_2022))
    assert errors == []
    config, config_errors = parse(entries)
    assert config_errors == []
    result, basis_errors = invoice_basis(config, 2022)
    assert basis_errors == []
    return result


def cells(basis: InvoiceBasis) -> dict[tuple[str, str], tuple[str, str]]:
    """Every published cell: (row, column) -> (ours, published)."""
    found: dict[tuple[str, str], tuple[str, str]] = {}
    for split in basis.solutions:
        base, _printed_2022, growth, shares = PUBLISHED[split.solution]
        found[split.solution, "2021"] = (mnok(split.compensated), base)
        found[split.solution, "growth"] = (mnok(split.growth), growth)
        for group in GROUPS:
            ours = split.share(group).not_compensated
            if group in shares or ours != 0:
                found[split.solution, group] = (mnok(ours), shares.get(group, "(blank)"))
    for group in GROUPS:
        total = basis.group_total(group)
        found["sum", group] = (mnok(total.not_compensated), PUBLISHED_SUM[3][group])
        found["total_invoice", group] = (mnok(total.invoiced), PUBLISHED_TOTAL_INVOICE[group])
    return found


def test_every_published_cell_matches_or_is_a_named_inconsistency(basis: InvoiceBasis) -> None:
    differing = {cell: pair for cell, pair in cells(basis).items() if pair[0] != pair[1]}
    assert differing == {cell: (ours, printed) for cell, (ours, printed, _) in
                         INCONSISTENT.items()}


def test_rows_as_published(basis: InvoiceBasis) -> None:
    found = cells(basis)
    assert found["kjernejournal", "RHF"] == ("11.6", "11.6")
    assert found["kjernejournal", "Kommune"] == ("7.8", "7.8")
    assert found["e-resept", "Apotek"] == ("13.4", "13.4")  # 11 % of 122.0, not compensated
    assert found["e-resept", "RHF"] == ("0.0", "0.0")       # 44.5 % of -0.1 = -0.0445
    assert found["helsenorge", "RHF"] == ("44.5", "44.5")
    assert found["helsenorge", "Kommune"] == ("29.6", "29.6")
    assert found["helsenorge-registre", "Andre"] == ("2.8", "2.8")
    assert found["helseid", "RHF"] == ("-7.0", "-7.0")
    assert found["helseid", "Kommune"] == ("-4.7", "-4.7")
    for group in ("Kommune", "Apotek", "Andre"):
        assert found["total_invoice", group][0] == found["total_invoice", group][1]


def test_exact_amounts(basis: InvoiceBasis) -> None:
    assert [basis.group_total(g).invoiced for g in GROUPS] == [
        Decimal(319_970_000), Decimal(237_710_000), Decimal(13_420_000), Decimal(2_800_000)]
    assert [basis.group_total(g).not_compensated for g in GROUPS] == [
        Decimal(50_185_500), Decimal(33_025_500), Decimal(13_420_000), Decimal(2_800_000)]
    registries = next(s for s in basis.solutions if s.solution == "helsenorge-registre")
    assert registries.share("RHF").invoiced == Decimal(2_800_000)  # footnote: RHF pays 2.8


def test_sums(basis: InvoiceBasis) -> None:
    need = sum((s.need for s in basis.solutions), Decimal(0))
    compensated = sum((s.compensated for s in basis.solutions), Decimal(0))
    growth = sum((s.growth for s in basis.solutions), Decimal(0))
    assert (mnok(compensated), mnok(growth)) == (PUBLISHED_SUM[0], PUBLISHED_SUM[2])
    # the 2022 column is printed to whole MNOK: 573.9 prints as 574 (the printed cells of the
    # column add up to 573.2, and Helsenorge's printed 271 - 197.3 = 73.7 is not its growth 74.1)
    assert need == Decimal(573_900_000)
    assert str(need.scaleb(-6).quantize(Decimal(1), rounding=ROUND_HALF_UP)) == PUBLISHED_SUM[1]
    for split in basis.solutions:
        printed = Decimal(PUBLISHED[split.solution][1])
        assert split.need.scaleb(-6).quantize(printed, rounding=ROUND_HALF_UP) == printed
    # invoices add up to the need exactly; the groups' not-compensated shares are not a split of
    # the growth 84.0: they include apotek's and the others' shares of the 2021 base, which are not
    # compensated (13 431 000 + 2 000 000). The printed 51.0 + 33.1 + 13.4 + 2.8 = 100.3.
    groups = [basis.group_total(g) for g in GROUPS]
    assert sum((g.invoiced for g in groups), Decimal(0)) == need
    assert sum((g.not_compensated for g in groups), Decimal(0)) == growth + Decimal(15_431_000)
    # within each group the actors' invoices add up to the group's invoice
    for group in GROUPS:
        lines = [x.amount for x in basis.lines if x.group == group]
        assert sum(lines, Decimal(0)) == basis.group_total(group).invoiced
