"""The posting index one plugin run shares (issue 19): one walk over the postings, read by every
rule, gives each rule exactly what its own walk over every entry gives."""

from __future__ import annotations

import datetime
import textwrap
from pathlib import Path
from typing import Any

from beancount import loader
from beancount.core import data
from beancount.parser import printer

from nhnfin import pipeline
from nhnfin.config import marked_transactions
from nhnfin.config import one_plugin_run
from nhnfin.config import posted_accounts
from nhnfin.config import posting_index
from nhnfin.config import transactions_touching
from nhnfin.ledger import movement_table

ACCOUNTS = Path(__file__).resolve().parents[1] / "ledger" / "accounts.beancount"

INDEXED = """\
2024-01-01 open Assets:1920-Bank NOK
2024-01-01 open Expenses:6700-ExternalServices NOK
2024-01-01 open Assets:1250-FixturesAndEquipment NOK
2024-01-02 * "Kaffe"
  Expenses:6700-ExternalServices   10.00 NOK
  Assets:1920-Bank
2024-01-03 * "Server"
  Assets:1250-FixturesAndEquipment 100.00 NOK
    asset: "srv"
  Assets:1920-Bank
2024-01-04 * "Konsulent" #grant-g1
  Expenses:6700-ExternalServices   20.00 NOK
  Expenses:6700-ExternalServices   30.00 NOK
  Assets:1920-Bank
2024-01-05 * "Drift"
  solution: "kj"
  grant: "g1:50"
  Expenses:6700-ExternalServices   40.00 NOK
  Assets:1920-Bank
2024-01-06 * "For stort"
  Expenses:6700-ExternalServices   1000000000000000.00 NOK
  Assets:1920-Bank
2024-03-01 balance Assets:1920-Bank -1000000000000200.00 NOK
"""


def _raw(text: str) -> tuple[list[Any], dict[str, Any]]:
    entries, errors, options = loader.load_string(textwrap.dedent(text))
    assert [e.message for e in errors] == []
    return list(entries), options


def test_the_index_holds_each_transaction_once_per_account_and_mark() -> None:
    entries, _ = _raw(INDEXED)
    kinds = [type(e).__name__ for e in entries]
    assert kinds == ["Open", "Open", "Open", "Transaction", "Transaction", "Transaction",
                     "Transaction", "Transaction", "Balance"]
    with one_plugin_run():
        index = posting_index(entries)
        assert {account: list(held) for account, held in index.accounts.items()} == {
            "Expenses:6700-ExternalServices": [3, 5, 6, 7],  # 5 twice, listed once
            "Assets:1920-Bank": [3, 4, 5, 6, 7],
            "Assets:1250-FixturesAndEquipment": [4],
        }
        assert {key: list(held) for key, held in index.marked.items()} == {
            "asset": [4], "grant": [5, 6], "solution": [6], "cost-element": [], "funding": [],
            "initiative": []}
        assert index.last_date == datetime.date(2024, 3, 1)  # the balance, not a transaction
        assert list(posted_accounts(entries)) == [
            "Expenses:6700-ExternalServices", "Assets:1920-Bank",
            "Assets:1250-FixturesAndEquipment"]
        assert [seq for seq, _ in marked_transactions(entries, ("asset", "grant"))] == [4, 5, 6]
        assert [seq for seq, _ in marked_transactions(entries, ("asset",), also=[3, 4])] == [3, 4]
        touching = transactions_touching(entries, lambda a: a.startswith("Assets:12"), ())
        assert [entries.index(e) for e in touching] == [4]


def test_appended_entries_extend_the_index_of_their_list() -> None:
    entries, _ = _raw(INDEXED)
    later = data.Transaction(
        data.new_metadata("<test>", 1), datetime.date(2024, 6, 30), "*", None, "Avskrivning",
        data.EMPTY_SET, data.EMPTY_SET,
        [data.Posting("Assets:1259-FixturesAccumDepreciation", None, None, None, None,
                      {"asset": "srv"})])
    with one_plugin_run():
        index = posting_index(entries)
        entries.append(later)
        assert posting_index(entries) is index  # the same index, extended
        assert list(index.marked["asset"]) == [4, 9]
        assert list(index.accounts["Assets:1259-FixturesAccumDepreciation"]) == [9]
        assert index.last_date == datetime.date(2024, 6, 30)
        assert posting_index(list(entries)) is not index  # another list, another index


def test_outside_a_plugin_run_every_entry_is_offered() -> None:
    entries, _ = _raw(INDEXED)
    assert [seq for seq, _ in marked_transactions(entries, ("asset",))] == list(range(9))
    assert list(transactions_touching(entries, lambda a: False, ())) == entries


# Each rule's inputs with what only a full walk used to find: e-health postings to the
# liability without a solution, an unknown solution and a cost beyond MAX_AMOUNT (of a solution:
# the rule reads it; of none: not the rule's, the load's check of each posting names it);
# grant links by tag, by share and to an unknown grant; an asset's tagged cost followed by an
# investment grant.
EHEALTH = """\
option "operating_currency" "NOK"
2020-01-01 open Assets:1500-TradeReceivables:Helse-Vest NOK
2020-01-01 open Assets:1920-Bank NOK
2020-01-01 open Liabilities:2920-EHealthObligations NOK
2020-01-01 open Income:3000-EHealthRevenue NOK
2020-01-01 open Expenses:6700-ExternalServices NOK
2024-01-01 custom "nhnfin-ehealth-solution" "kj" "Kjernejournal"
2024-01-10 * "Faktura"
  Assets:1500-TradeReceivables:Helse-Vest   100.00 NOK
  Liabilities:2920-EHealthObligations  -100.00 NOK
    solution: "kj"
2024-01-15 * "Faktura uten løsning"
  Assets:1500-TradeReceivables:Helse-Vest   10.00 NOK
  Liabilities:2920-EHealthObligations  -10.00 NOK
2024-01-20 * "Drift"
  solution: "kj"
  Expenses:6700-ExternalServices  40.00 NOK
  Assets:1920-Bank
2024-01-21 * "Drift, feil løsning"
  Expenses:6700-ExternalServices  5.00 NOK
    solution: "kjj"
  Assets:1920-Bank
2024-01-22 * "For stort"
  Expenses:6700-ExternalServices  1000000000000000.00 NOK
  solution: "kj"
  Assets:1920-Bank
2024-01-23 * "For stort, uten løsning"
  Expenses:6700-ExternalServices  2000000000000000.00 NOK
  Assets:1920-Bank
"""

GRANTS = f"""\
include "{ACCOUNTS}"
2024-01-01 custom "nhnfin-grant" "inv"
  name: "Investeringsmidler"
  source: "Kap. 701 post 21"
  amount: 1000.00 NOK
  note-row: "public_grant"
2024-01-02 * "Utbetaling"
  grant: "inv"
  Assets:1920-Bank                       1000.00 NOK
  Liabilities:2910-UnusedPublicGrants
2024-01-10 custom "nhnfin-asset" "srv-1" "fixtures"
  months: 36
2024-01-10 * "Leverandør" "Server"
  Assets:1250-FixturesAndEquipment       1200.00 NOK
    asset: "srv-1"
    grant: "inv:50"
  Assets:1920-Bank
2024-01-11 custom "nhnfin-asset" "pc-1" "fixtures"
  months: 36
2024-01-11 * "Leverandør" "PC"
  asset: "pc-1"
  Assets:1250-FixturesAndEquipment        360.00 NOK
  Assets:1920-Bank
2024-02-01 * "Konsulent" #grant-inv
  Expenses:6700-ExternalServices          100.00 NOK
  Assets:1920-Bank
2024-02-02 * "Konsulent"
  Expenses:6700-ExternalServices           50.00 NOK
    grant: "ukjent"
  Assets:1920-Bank
"""


def _shown(result: tuple[list[Any], list[Any]]) -> tuple[list[str], list[tuple[Any, str]]]:
    entries, errors = result
    return ([printer.format_entry(e) for e in entries],
            [(e.source.get("lineno"), e.message) for e in errors])


def _alone_and_shared(text: str) -> tuple[Any, Any]:
    """Every rule on the entries, each walking them itself (outside a plugin run) and reading
    the shared index (inside one); the plugin gives its result in the loader's order."""
    entries, options = _raw(text)
    result, errors = pipeline.run_rules(entries, options)
    alone = _shown((pipeline.in_loader_order(entries, result[len(entries):]), errors))
    shared = _shown(pipeline.run(entries, options))
    return alone, shared


def test_ehealth_reads_from_the_index_what_its_own_walk_finds() -> None:
    alone, shared = _alone_and_shared(EHEALTH)
    assert shared == alone
    ehealth = [(line, m) for line, m in alone[1] if ("løsning" in m or "for stort" in m)
               and not m.endswith("utelatt av rapporten")]  # the load's own: the next test
    assert ehealth == [
        (20, "ukjent løsning 'kjj': ingen custom \"nhnfin-ehealth-solution\" oppgir den (mente "
             "du \"kj\"?)"),  # at the mark, before the rules (lock_guard.dangling_marks)
        (12, "posteringen på Liabilities:2920-EHealthObligations har ingen løsning: legg til "
             "solution: \"<id>\""),
        (23, "posteringen på Expenses:6700-ExternalServices: 1000000000000000.00 er for stort "
             "(grensen er 1 000 000 000 000 000 NOK)"),
    ]


def test_a_cost_of_no_solution_beyond_the_limit_is_the_reports_not_ehealths() -> None:
    """E-health reads no amount of a cost posting without a solution, so a too large one is no
    error of the rule (it made one before: the index then read every cost account's postings
    for it); the load names every posting not below the limit, at the posting's line, in the
    words of the report's reading of the books (the one rule: money.nok_weight)."""
    entries, options = _raw(EHEALTH)
    _, errors = pipeline.run(entries, options)
    assert [e.source.get("lineno") for e in errors if "for stort" in e.message] == [
        23, 24, 26, 28, 29]  # 23: e-health's, of its solution's cost
    _, report_errors = movement_table(entries)
    assert [(e.source.get("lineno"), e.message.split(":")[0]) for e in report_errors] == [
        (24, "posteringen på Expenses"), (26, "posteringen på Assets"),
        (28, "posteringen på Expenses"), (29, "posteringen på Assets")]
    assert [(e.source.get("lineno"), e.message) for e in errors if e.source.get("lineno") != 23
            and "for stort" in e.message] == [
        (e.source.get("lineno"), e.message) for e in report_errors]


def test_grants_and_assets_read_from_the_index_what_their_own_walks_find() -> None:
    alone, shared = _alone_and_shared(GRANTS)
    assert shared == alone
    grant_errors = [m for _, m in alone[1] if "grant" in m]
    assert grant_errors == ["ukjent tilskudd 'ukjent': ingen custom \"nhnfin-grant\" oppgir det"]
    rules = [entry.splitlines()[1].strip() for entry in alone[0][-40:]
             if "nhnfin-rule" in entry]
    assert 'nhnfin-rule: "grant-investment-income"' in rules  # the grant follows the asset
    assert 'nhnfin-rule: "asset-depreciation"' in rules
    assert [m for _, m in alone[1]
            if "asset" in m or "eiendel" in m] == []  # both assets found their cost
