"""The bad-input catalogue: one small literal input per case, the message expected and its line.

``LEDGER_CASES``: a ledger body (after :data:`HEADER`, so body line 1 is file line
``HEADER_LINES + 1``), a fragment of the error message and the body line the error must point
at. ``CONFIG_CASES``: a plugin and its config string (Beancount drops the ``plugin`` line's
location, so those errors are at the pseudo-file ``<nhnfin.PLUGIN>``). The CLI cases are in
``test_cli.py``, beside the command they run. To add a case, add a row; see README.md.
"""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ACCOUNTS = ROOT / "ledger" / "accounts.beancount"

PLUGINS = (
    "nhnfin.assets",
    "nhnfin.assets.delivery_obligation",
    "nhnfin.grants",
    "nhnfin.ehealth",
    "nhnfin.notes.note_data",
    "nhnfin.mapping",
)
HEADER = (
    'option "operating_currency" "NOK"\n'
    + "".join(f'plugin "{name}"\n' for name in PLUGINS)
    + f'include "{ACCOUNTS}"\n'
)
HEADER_LINES = HEADER.count("\n")

HUGE = "1" + "0" * 40  # 10**40: beyond Decimal's 28 digits, so arithmetic would not be exact
GRANT = (
    '2024-01-01 custom "nhnfin-grant" "g1"\n'
    '  name: "Tilskudd"\n'
    '  source: "Kap. 701"\n'
    "  amount: 1000.00 NOK\n"
    '  note-row: "public_grant"\n'
)
SOLUTION = '2024-01-01 custom "nhnfin-ehealth-solution" "kj" "Kjernejournal"\n'
KEYED = (
    SOLUTION
    + '2024-01-01 custom "nhnfin-ehealth-group" "RHF" TRUE\n'
    + '2024-01-01 custom "nhnfin-ehealth-key" "kj" "RHF" 100\n'
)


@dataclass(frozen=True)
class LedgerCase:
    """A malformed ledger: ``body`` (after HEADER), the ``fragment`` its error message holds and
    the ``line`` of the body the error points at.

    ``valueless``: the body has a ``custom`` directive without values, on which Beancount's own
    ``beancount.ops.pad`` plugin fails with a traceback (a Beancount bug, not nhnfin's); that one
    load error is expected besides the located nhnfin error. ``files``: extra files written
    beside the ledger (name -> bytes). ``prefix``/``raw``: bytes written before the header and
    after the body (encoding cases). ``file_line``: the file line, for errors Beancount reports
    at the top of the file rather than at a body line.
    """

    id: str
    category: str
    body: str
    fragment: str
    line: int
    valueless: bool = False
    files: dict[str, bytes] = field(default_factory=dict)
    prefix: bytes = b""
    raw: bytes = b""
    file_line: int | None = None

    @property
    def expected_line(self) -> int:
        """The line of the ledger file the error must point at."""
        return self.file_line if self.file_line is not None else HEADER_LINES + self.line

    def content(self) -> bytes:
        """The ledger file's bytes."""
        return self.prefix + (HEADER + self.body).encode("utf-8") + self.raw


def _case(
    id: str, category: str, body: str, fragment: str, line: int, **kw: object
) -> LedgerCase:
    return LedgerCase(id, category, body, fragment, line, **kw)  # type: ignore[arg-type]


LEDGER_CASES: list[LedgerCase] = [
    # ---- nhnfin.mapping and layout files -------------------------------------------------
    _case("layout-no-value", "missing fields", '2024-01-01 custom "nhnfin-layout"\n',
          'custom "nhnfin-layout" takes one string', 1, valueless=True),
    _case("layout-number", "wrong types", '2024-01-01 custom "nhnfin-layout" 5\n',
          'custom "nhnfin-layout" takes one string', 1),
    _case("layout-missing-file", "missing fields",
          '2024-01-01 custom "nhnfin-layout" "nope.toml"\n',
          "nope.toml: No such file or directory", 1),
    _case("layout-truncated-toml", "truncated files",
          '2024-01-01 custom "nhnfin-layout" "cut.toml"\n',
          "is not valid TOML: Expected ']]' at the end of an array declaration", 1,
          files={"cut.toml": b"name = 'x'\n[[statements]\n"}),
    _case("layout-latin1", "encoding errors",
          '2024-01-01 custom "nhnfin-layout" "latin.toml"\n',
          "latin.toml is not UTF-8 text: invalid continuation byte at byte 8", 1,
          files={"latin.toml": b"name = '\xe6\xf8\xe5'\n"}),
    _case("layout-nul", "encoding errors",
          '2024-01-01 custom "nhnfin-layout" "nul.toml"\n',
          "nul.toml is not valid TOML: Expected newline or end of document", 1,
          files={"nul.toml": b"name = 'x'\x00\n"}),
    _case("layout-item-without-accounts", "missing fields",
          '2024-01-01 custom "nhnfin-layout" "lines.toml"\n',
          "line 'a': an item needs accounts and a measure", 1,
          files={"lines.toml": b"name = 'x'\nstatements = [{key='income_statement', "
                 b"title='R', covers=['3000-3999'], lines=[{key='a', label='A'}]}]\n"}),
    _case("layout-range-backwards", "dates out of range",
          '2024-01-01 custom "nhnfin-layout" "range.toml"\n',
          "range '3999-3000' ends before it starts", 1,
          files={"range.toml": b"name = 'x'\nstatements = [{key='income_statement', "
                 b"title='R', covers=['3999-3000'], lines=[]}]\n"}),
    _case("account-without-number", "unknown accounts", "2024-01-01 open Assets:Bank NOK\n",
          "account Assets:Bank has no NS 4102 number", 1),
    # ---- nhnfin.assets -----------------------------------------------------------------------
    _case("asset-no-values", "missing fields", '2024-01-01 custom "nhnfin-asset"\n',
          '"nhnfin-asset" needs the asset id first', 1, valueless=True),
    _case("asset-id-number", "wrong types", '2024-01-01 custom "nhnfin-asset" 12 "software"\n',
          '"nhnfin-asset" needs the asset id first', 1),
    _case("asset-unknown-class", "wrong types",
          '2024-01-01 custom "nhnfin-asset" "a" "spaceships"\n',
          "unknown asset class 'spaceships'", 1),
    _case("asset-cost-usd", "wrong currency",
          '2024-01-01 custom "nhnfin-asset" "a" "infrastructure" 100.00 USD\n',
          "the cost must be an amount in NOK", 1),
    _case("asset-months-text", "non-numeric amounts",
          '2024-01-01 custom "nhnfin-asset" "a" "infrastructure"\n  months: "sixty"\n',
          "months: Input should be a valid integer", 1),
    _case("asset-unknown-key", "wrong types",
          '2024-01-01 custom "nhnfin-asset" "a" "infrastructure"\n  colour: "red"\n',
          "colour: Extra inputs are not permitted", 1),
    _case("asset-unknown-account", "unknown accounts",
          '2024-01-01 custom "nhnfin-asset" "a" "infrastructure" 100.00 NOK\n'
          "  account: Assets:1201-Nope\n",
          "a: unknown account Assets:1201-Nope (no open directive)", 1),
    _case("asset-start-9999", "dates out of range",
          '2024-01-01 custom "nhnfin-asset" "a" "infrastructure" 100.00 NOK\n'
          "  start: 9999-12-31\n",
          "start 9999-12-31 is out of range", 1),
    _case("asset-cost-huge", "huge numbers",
          f'2024-01-01 custom "nhnfin-asset" "a" "infrastructure" {HUGE}.00 NOK\n',
          "amount: Input should be less than 1000000000000000", 1),
    _case("asset-tagged-cost-huge", "huge numbers",
          '2024-01-03 custom "nhnfin-asset" "a" "infrastructure"\n'
          '2024-01-02 * "Servers"\n'
          f"  Assets:1200-Infrastructure {HUGE}.00 NOK\n"
          '    asset: "a"\n'
          f"  Assets:1920-Bank -{HUGE}.00 NOK\n",
          "a: the tagged cost is too large to book", 1),
    _case("impairment-negative", "non-numeric amounts",
          '2024-01-01 custom "nhnfin-asset" "a" "infrastructure" 100.00 NOK\n'
          '2024-06-01 custom "nhnfin-impairment" "a" -5.00 NOK\n',
          "amount: Input should be greater than or equal to 0", 2),
    _case("impairment-unknown-asset", "unknown accounts",
          '2024-06-01 custom "nhnfin-impairment" "zz" 5.00 NOK\n',
          "event of unknown asset 'zz'", 1),
    # ---- nhnfin.assets.delivery_obligation -----------------------------------------------
    _case("transfer-no-amount", "missing fields",
          '2024-01-01 custom "nhnfin-transfer" "t"\n  months: 60\n',
          "the transferred amount must be an amount in NOK", 1),
    _case("transfer-amount-text", "non-numeric amounts",
          '2024-01-01 custom "nhnfin-transfer" "t" "many"\n',
          "the transferred amount must be an amount in NOK", 1),
    _case("transfer-three-decimals", "non-numeric amounts",
          '2024-01-01 custom "nhnfin-transfer" "t" 100.001 NOK\n  months: 60\n',
          "no more than 2 decimal places", 1),
    _case("transfer-huge", "huge numbers",
          f'2024-01-01 custom "nhnfin-transfer" "t" {HUGE}.00 NOK\n  months: 60\n',
          "amount: Input should be less than 1000000000000000", 1),
    _case("schedule-month-13", "dates out of range",
          '2024-01-01 custom "nhnfin-transfer" "t" 100.00 NOK\n'
          '2024-01-01 custom "nhnfin-schedule" "t" "2024-13" 100.00 NOK\n',
          "period: String should match pattern", 2),
    _case("schedule-year-0000", "dates out of range",
          '2024-01-01 custom "nhnfin-transfer" "t" 100.00 NOK\n'
          '2024-01-01 custom "nhnfin-schedule" "t" "0000" 100.00 NOK\n',
          "period 0000 is out of range", 2),
    _case("schedule-year-9999", "dates out of range",
          '2024-01-01 custom "nhnfin-transfer" "t" 100.00 NOK\n'
          '2024-01-01 custom "nhnfin-schedule" "t" "9999" 100.00 NOK\n',
          "period 9999 is out of range", 2),
    _case("schedule-wrong-arity", "missing fields",
          '2024-01-01 custom "nhnfin-transfer" "t" 100.00 NOK\n'
          '2024-01-01 custom "nhnfin-schedule" "t" 100.00 NOK\n',
          'takes the id, the period ("2023") and the amount', 2),
    # ---- nhnfin.grants ---------------------------------------------------------------------
    _case("grant-no-values", "missing fields", '2024-01-01 custom "nhnfin-grant"\n',
          'custom "nhnfin-grant" takes one value, the grant id', 1, valueless=True),
    _case("grant-missing-name", "missing fields",
          '2024-01-01 custom "nhnfin-grant" "g1"\n  source: "Kap"\n  note-row: "public_grant"\n',
          "name: Field required", 1),
    _case("grant-amount-usd", "wrong currency", GRANT.replace("1000.00 NOK", "1000.00 USD"),
          "amount: must be in NOK, not USD", 1),
    _case("grant-amount-text", "non-numeric amounts", GRANT.replace("1000.00 NOK", '"lots"'),
          "amount: Input should be a valid decimal", 1),
    _case("grant-amount-huge", "huge numbers", GRANT.replace("1000.00", f"{HUGE}.00"),
          "amount: Input should be less than 1000000000000000", 1),
    _case("grant-end-before-start", "dates out of range", GRANT + "  end: 2023-01-01\n",
          "end 2023-01-01 is before start 2024-01-01", 1),
    _case("grant-wrong-key", "wrong types", GRANT + '  colour: "red"\n',
          "colour: Extra inputs are not permitted", 1),
    _case("grant-income-not-open", "unknown accounts", GRANT + "  income: Income:3401-Nope\n",
          "Income:3401-Nope is not open", 1),
    _case("grant-award-unknown", "unknown accounts",
          '2024-06-01 custom "nhnfin-grant-award" "zz"\n  amount: 5.00 NOK\n',
          "unknown grant 'zz'", 1),
    _case("grant-link-undeclared", "unknown accounts",
          '2024-01-20 * "Konsulent"\n'
          "  Expenses:6700-ExternalServices 250.00 NOK\n"
          '    grant: "zz"\n'
          "  Assets:1920-Bank -250.00 NOK\n",
          "unknown grant 'zz'", 2),
    _case("grant-link-share-text", "non-numeric amounts",
          GRANT + '2024-01-20 * "Konsulent"\n'
          "  Expenses:6700-ExternalServices 250.00 NOK\n"
          '    grant: "g1:abc"\n'
          "  Assets:1920-Bank -250.00 NOK\n",
          "share 'abc' of 'g1' is not a number", 7),
    _case("grant-link-share-1e30", "huge numbers",
          GRANT + '2024-01-20 * "Konsulent"\n'
          "  Expenses:6700-ExternalServices 250.00 NOK\n"
          '    grant: "g1:1E+30"\n'
          "  Assets:1920-Bank -250.00 NOK\n",
          "more than 100 %", 7),
    _case("grant-cost-huge", "huge numbers",
          GRANT + '2024-01-20 * "Konsulent"\n'
          f"  Expenses:6700-ExternalServices {HUGE}.00 NOK\n"
          '    grant: "g1"\n'
          f"  Assets:1920-Bank -{HUGE}.00 NOK\n",
          "is too large to split exactly", 7),
    # ---- nhnfin.ehealth and its nhnfin-ehealth-* directives --------------------------------
    _case("ehealth-solution-no-values", "missing fields",
          '2024-01-01 custom "nhnfin-ehealth-solution"\n',
          'expected "solution-id" ["Name"]', 1, valueless=True),
    _case("ehealth-unknown-directive", "wrong types",
          '2024-01-01 custom "nhnfin-ehealth-colour" "red"\n',
          "nhnfin-ehealth-colour: unknown directive", 1),
    _case("ehealth-options-unknown-key", "wrong types",
          '2024-01-01 custom "nhnfin-ehealth-options" "speed" "fast"\n',
          "speed: Extra inputs are not permitted", 1),
    _case("ehealth-options-odd", "missing fields",
          '2024-01-01 custom "nhnfin-ehealth-options" "rounding"\n', "expected pairs", 1),
    _case("ehealth-group-not-bool", "wrong types",
          '2024-01-01 custom "nhnfin-ehealth-group" "RHF" "yes"\n',
          "compensated must be TRUE or FALSE, got 'yes'", 1),
    _case("ehealth-key-text-share", "non-numeric amounts",
          SOLUTION + '2024-01-01 custom "nhnfin-ehealth-key" "kj" "RHF" "100"\n',
          "share of 'RHF' must be a percentage", 2),
    _case("ehealth-key-not-100", "wrong types",
          SOLUTION + '2024-01-01 custom "nhnfin-ehealth-group" "RHF" TRUE\n'
          '2024-01-01 custom "nhnfin-ehealth-key" "kj" "RHF" 99\n',
          "key for 'kj' sums to 99 %, not 100 %", 3),
    _case("ehealth-cost-basis-year-99999", "dates out of range",
          KEYED + '2024-01-01 custom "nhnfin-ehealth-cost-basis" "kj" 99999 100 NOK\n',
          "year must be a number like 2022, got Decimal('99999')", 4),
    _case("ehealth-cost-basis-year-0", "dates out of range",
          KEYED + '2024-01-01 custom "nhnfin-ehealth-cost-basis" "kj" 0 100 NOK\n',
          "year must be a number like 2022, got Decimal('0')", 4),
    _case("ehealth-cost-basis-huge", "huge numbers",
          KEYED + f'2024-01-01 custom "nhnfin-ehealth-cost-basis" "kj" 2024 {HUGE} NOK\n',
          "need 1" + "0" * 40 + " is too large", 4),
    _case("ehealth-cost-basis-usd", "wrong currency",
          SOLUTION + '2024-01-01 custom "nhnfin-ehealth-cost-basis" "kj" 2024 100 USD\n',
          "need must be an amount in NOK (e.g. 1000.00 NOK), got 100 USD", 2),
    _case("ehealth-population-huge", "huge numbers",
          f'2024-01-01 custom "nhnfin-ehealth-population" "HV" {HUGE}\n',
          "population 1" + "0" * 40 + " is too large", 1),
    _case("ehealth-actor-unknown-group", "unknown accounts",
          '2024-01-01 custom "nhnfin-ehealth-actor" "HV" "ZZ"\n',
          "actor 'HV' in unknown group 'ZZ'", 1),
    _case("ehealth-repayment-negative", "non-numeric amounts",
          SOLUTION + '2024-06-01 custom "nhnfin-ehealth-repayment" "kj" -5.00 NOK '
          "Assets:1920-Bank\n",
          "a repayment must be positive", 2),
    _case("ehealth-posting-unknown-solution", "unknown accounts",
          SOLUTION + '2024-01-15 * "Faktura"\n'
          "  Assets:1500-TradeReceivables 100.00 NOK\n"
          "  Liabilities:2920-EHealthObligations -100.00 NOK\n"
          '    solution: "zz"\n',
          "posting for unknown solution 'zz'", 2),
    _case("ehealth-posting-huge", "huge numbers",
          SOLUTION + '2024-01-15 * "Faktura"\n'
          f"  Assets:1500-TradeReceivables {HUGE}.00 NOK\n"
          f"  Liabilities:2920-EHealthObligations -{HUGE}.00 NOK\n"
          '    solution: "kj"\n',
          "posting to Liabilities:2920-EHealthObligations", 2),
    # ---- nhnfin-note-data (plugin nhnfin.notes.note_data) ----------------------------------
    _case("note-data-no-values", "missing fields", '2024-12-31 custom "nhnfin-note-data"\n',
          "takes a note, a table and a row in quotes", 1, valueless=True),
    _case("note-data-unknown-note", "wrong types",
          '2024-12-31 custom "nhnfin-note-data" "99" "x" "y" 5\n', "unknown note '99'", 1),
    _case("note-data-plain-number-for-nok", "wrong types",
          '2024-12-31 custom "nhnfin-note-data" "5" "auditor" "audit_fee" 625737\n',
          "expected an amount in NOK (e.g. 316300 NOK), got 625737", 1),
    _case("note-data-usd", "wrong currency",
          '2024-12-31 custom "nhnfin-note-data" "5" "auditor" "audit_fee" 625737 USD\n',
          "got 625737 USD", 1),
    _case("note-data-huge", "huge numbers",
          f'2024-12-31 custom "nhnfin-note-data" "5" "auditor" "audit_fee" {HUGE} NOK\n',
          "is too large", 1),
    _case("note-data-unknown-column", "wrong types",
          '2024-12-31 custom "nhnfin-note-data" "5" "board_owner" "x"\n'
          '  label: "X"\n  shoe_size: 44 NOK\n',
          "has no column 'shoe_size'", 1),
    # ---- the ledger text itself (Beancount's parser) ---------------------------------------
    _case("ledger-latin1-bytes", "encoding errors", "", "UnicodeDecodeError", 1,
          raw=b'2024-01-10 * "K\xf8benhavn"\n'),
    _case("ledger-bom", "encoding errors", "", "Invalid token", 1,
          prefix=b"\xef\xbb\xbf", file_line=1),
    _case("ledger-nul-byte", "encoding errors", "2024-01-01 open Assets:1921-Extra NOK\n",
          "Invalid token", 2, raw=b"\x00\x00\n"),
    _case("ledger-truncated-transaction", "truncated files",
          '2024-01-10 * "x"\n  Assets:1920-Bank 5.00 NOK\n  Income:3900-Other',
          "Invalid reference to unknown account 'Income:3900-Other'", 1),
    _case("ledger-non-numeric-amount", "non-numeric amounts",
          '2024-01-10 * "x"\n  Assets:1920-Bank abc NOK\n  Income:3900-OtherIncome\n',
          "Invalid token: 'abc'", 2),
    _case("ledger-unknown-account", "unknown accounts",
          '2024-01-10 * "x"\n  Assets:1921-Nowhere 5.00 NOK\n  Income:3900-OtherIncome\n',
          "Invalid reference to unknown account 'Assets:1921-Nowhere'", 1),
    _case("ledger-wrong-currency", "wrong currency",
          '2024-01-10 * "x"\n  Assets:1920-Bank 5.00 USD\n  Income:3900-OtherIncome\n',
          "Invalid currency USD for account 'Assets:1920-Bank'", 1),
]
