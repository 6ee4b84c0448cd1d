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
    "nhnfin.cost_basis.directives",
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

ASSET = '2024-03-01 custom "nhnfin-asset" "a" "infrastructure" 100.00 NOK\n'
TRANSFER = '2024-01-01 custom "nhnfin-transfer" "t" 100.00 NOK\n'
GROUP = '2024-01-01 custom "nhnfin-ehealth-group" "RHF" TRUE\n'
ACTOR = (
    '2024-01-01 custom "nhnfin-ehealth-actor" "HV" "RHF"\n'
    '2024-01-01 custom "nhnfin-ehealth-population" "HV" 1000\n'
)


def grant(gid: str = "g1", day: str = "2024-01-01", extra: str = "") -> str:
    """A grant declaration (5 lines, plus ``extra`` metadata lines)."""
    return GRANT.replace('"g1"', f'"{gid}"').replace("2024-01-01", day) + extra


def grant_event(kind: str, day: str, gid: str = "g1", amount: str = "5.00", extra: str = ""
                ) -> str:
    """A ``nhnfin-grant-<kind>`` directive (2 lines, plus ``extra``)."""
    return f'{day} custom "nhnfin-grant-{kind}" "{gid}"\n{extra}  amount: {amount} NOK\n'


def linked_cost(day: str, amount: str = "250.00", link: str = "g1") -> str:
    """A cost linked to a grant (4 lines; the error is at its first)."""
    return (f'{day} * "Konsulent"\n  Expenses:6700-ExternalServices {amount} NOK\n'
            f'    grant: "{link}"\n  Assets:1920-Bank -{amount} NOK\n')


def ehealth_posting(day: str, amount: str, solution: str = "kj") -> str:
    """An invoice (positive ``amount``) or credit note (negative) on 2920 (4 lines)."""
    number = amount.removeprefix("-")
    receivable, liability = (f"-{number}", number) if amount.startswith("-") else (
        number, f"-{number}")
    return (f'{day} * "Faktura"\n  Assets:1500-TradeReceivables {receivable} NOK\n'
            f"  Liabilities:2920-EHealthObligations {liability} NOK\n"
            f'    solution: "{solution}"\n')


def repayment(day: str, amount: str, solution: str = "kj",
              account: str = "Assets:1920-Bank") -> str:
    """A ``nhnfin-ehealth-repayment`` (1 line)."""
    return f'{day} custom "nhnfin-ehealth-repayment" "{solution}" {amount} NOK {account}\n'


def layout_file(*statements: str) -> bytes:
    """A layout TOML declaring the given statement keys (each with no lines)."""
    parts = [f"[[statements]]\nkey = '{key}'\ntitle = 'T'\ncovers = []\nlines = []\n"
             for key in statements]
    return ("name = 'x'\n" + "".join(parts)).encode()


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
    # ==== silent results made errors (issue 15 E) ===========================================
    # ---- grants: events dated before what they act on, a grant moved to itself --------------
    _case("grant-award-before-declaration", "dates out of order",
          GRANT + grant_event("award", "2023-12-01"),
          "2023-12-01 is before grant 'g1' is declared (2024-01-01", 6),
    _case("grant-repayment-before-declaration", "dates out of order",
          GRANT + grant_event("repayment", "2023-12-01"),
          "2023-12-01 is before grant 'g1' is declared (2024-01-01", 6),
    _case("grant-reallocation-before-declaration", "dates out of order",
          GRANT + grant("g2") + grant_event("reallocation", "2023-06-01",
                                            extra='  to: "g2"\n'),
          "2023-06-01 is before grant 'g1' is declared", 11),
    _case("grant-reallocation-before-target-declared", "dates out of order",
          GRANT + grant("g2", "2024-09-01") + grant_event("reallocation", "2024-06-01",
                                                          extra='  to: "g2"\n'),
          "2024-06-01 is before grant 'g2' is declared (2024-09-01", 11),
    _case("grant-award-a-day-early", "dates out of order",
          grant(day="2024-03-01") + grant_event("award", "2024-02-29"),
          "2024-02-29 is before grant 'g1' is declared (2024-03-01", 6),
    _case("grant-reallocation-to-itself", "self-reference",
          GRANT + grant_event("reallocation", "2024-06-01", extra='  to: "g1"\n'),
          "reallocation from grant 'g1' to itself", 6),
    _case("grant-reallocation-to-unknown", "unknown accounts",
          GRANT + grant_event("reallocation", "2024-06-01", extra='  to: "g9"\n'),
          "unknown grant 'g9'", 6),
    _case("grant-reallocation-beyond-unused", "over the balance",
          GRANT + grant("g2") + grant_event("reallocation", "2024-06-01", amount="5000.00",
                                            extra='  to: "g2"\n'),
          "reallocation of 5000.00 NOK from grant 'g1' exceeds its unused balance (1000.00 NOK)",
          11),
    _case("grant-repayment-beyond-unused", "over the balance",
          GRANT + grant_event("repayment", "2024-06-01", amount="5000.00"),
          "repayment of 5000.00 NOK from grant 'g1' exceeds its unused balance (1000.00 NOK)", 6),
    _case("grant-repayment-of-an-empty-grant", "over the balance",
          grant().replace("1000.00 NOK", "0.00 NOK") + grant_event("repayment", "2024-06-01"),
          "exceeds its unused balance (0 NOK)", 6),
    _case("grant-repayment-unknown", "unknown accounts", grant_event("repayment", "2024-06-01"),
          "unknown grant 'g1'", 1),
    _case("grant-award-zero", "non-numeric amounts",
          GRANT + grant_event("award", "2024-06-01", amount="0.00"),
          "amount: Input should be greater than 0", 6),
    _case("grant-reallocation-negative", "non-numeric amounts",
          GRANT + grant("g2") + grant_event("reallocation", "2024-06-01", amount="-5.00",
                                            extra='  to: "g2"\n'),
          "amount: Input should be greater than 0", 11),
    _case("grant-award-usd", "wrong currency",
          GRANT + grant_event("award", "2024-06-01").replace("NOK", "USD"),
          "amount: must be in NOK, not USD", 6),
    _case("grant-repayment-to-an-expense", "unknown accounts",
          GRANT + grant_event("repayment", "2024-06-01",
                              extra="  account: Expenses:6700-ExternalServices\n"),
          "account: String should match pattern", 6),
    _case("grant-declared-twice", "given twice", GRANT + GRANT, "grant 'g1' declared twice", 6),
    _case("grant-metadata-twice", "given twice", GRANT + '  name: "Igjen"\n',
          'custom "nhnfin-grant": metadata name given twice', 1),
    _case("grant-award-metadata-twice", "given twice",
          GRANT + grant_event("award", "2024-06-01", extra="  amount: 9.00 NOK\n"),
          'custom "nhnfin-grant-award": metadata amount given twice', 6),
    _case("grant-link-named-twice", "given twice", GRANT + linked_cost("2024-01-20",
                                                                       link="g1:50,g1:50"),
          "grant 'g1' named twice", 7),
    _case("grant-cost-before-start", "dates out of order", GRANT + linked_cost("2023-12-20"),
          "grant 'g1' used before its period: 2023-12-20 is before its start 2024-01-01", 7),
    _case("grant-cost-after-end", "dates out of order",
          grant(extra="  end: 2024-06-30\n") + linked_cost("2024-07-20"),
          "grant 'g1' used after its period: 2024-07-20 is after its end 2024-06-30", 8),
    _case("grant-period-weekly", "wrong types", grant(extra='  period: "weekly"\n'),
          "period: Input should be 'monthly', 'quarterly' or 'yearly'", 1),
    _case("grant-ready-outside-period", "dates out of range",
          grant(extra="  end: 2024-06-30\n  ready-for-management: 2024-09-01\n"),
          "ready-for-management 2024-09-01 is outside the grant's period", 1),
    _case("grant-two-ids", "wrong types",
          '2024-01-01 custom "nhnfin-grant" "g1" "g2"\n  name: "x"\n',
          'custom "nhnfin-grant" takes one value, the grant id in quotes', 1),
    _case("grant-id-with-space", "wrong types", grant('g 1'),
          "id: String should match pattern", 1),
    _case("grant-tag-unknown", "unknown accounts",
          '2024-01-20 * "K" #grant-zz\n  Expenses:6700-ExternalServices 250.00 NOK\n'
          "  Assets:1920-Bank -250.00 NOK\n", "unknown grant 'zz'", 1),
    # ---- assets: events before the asset exists or after its disposal ---------------------
    _case("impairment-before-asset", "dates out of order",
          ASSET + '2024-02-01 custom "nhnfin-impairment" "a" 5.00 NOK\n',
          "impairment of 'a' on 2024-02-01 is before the asset exists (2024-03-01", 2),
    _case("impairment-a-day-before-asset", "dates out of order",
          ASSET + '2024-02-29 custom "nhnfin-impairment" "a" 5.00 NOK\n',
          "impairment of 'a' on 2024-02-29 is before the asset exists", 2),
    _case("disposal-before-asset", "dates out of order",
          ASSET + '2024-02-01 custom "nhnfin-disposal" "a"\n  account: Assets:1920-Bank\n',
          "disposal of 'a' on 2024-02-01 is before the asset exists (2024-03-01", 2),
    _case("impairment-after-disposal", "dates out of order",
          ASSET + '2024-05-01 custom "nhnfin-disposal" "a"\n  account: Assets:1920-Bank\n'
          '2024-06-01 custom "nhnfin-impairment" "a" 5.00 NOK\n',
          "impairment of 'a' on 2024-06-01 is after its disposal on 2024-05-01", 4),
    _case("disposal-twice", "given twice",
          ASSET + '2024-05-01 custom "nhnfin-disposal" "a"\n  account: Assets:1920-Bank\n'
          '2024-06-01 custom "nhnfin-disposal" "a"\n  account: Assets:1920-Bank\n',
          "disposal of 'a' on 2024-06-01 is after its disposal on 2024-05-01", 4),
    _case("disposal-account-positional", "ignored input",
          ASSET + '2024-05-01 custom "nhnfin-disposal" "a" Assets:1920-Bank\n',
          '"nhnfin-disposal" takes the id only; got 2 values', 2),
    _case("impairment-extra-value", "ignored input",
          ASSET + '2024-06-01 custom "nhnfin-impairment" "a" 5.00 NOK "why"\n',
          '"nhnfin-impairment" takes the id and the amount; got 3 values', 2),
    _case("asset-extra-value", "ignored input",
          '2024-03-01 custom "nhnfin-asset" "a" "infrastructure" 100.00 NOK 36\n',
          '"nhnfin-asset" takes the id, the class and optionally the cost; got 4 values', 1),
    _case("transfer-extra-value", "ignored input",
          '2024-01-01 custom "nhnfin-transfer" "t" 100.00 NOK 60\n',
          '"nhnfin-transfer" takes the id and the amount; got 3 values', 1),
    _case("impairment-unknown-key", "ignored input",
          ASSET + '2024-06-01 custom "nhnfin-impairment" "a" 5.00 NOK\n  reson: "x"\n',
          "reson: Extra inputs are not permitted", 2),
    _case("disposal-unknown-key", "ignored input",
          ASSET + '2024-05-01 custom "nhnfin-disposal" "a"\n  acount: Assets:1920-Bank\n',
          "acount: Extra inputs are not permitted", 2),
    _case("asset-book-text", "wrong types", ASSET + '  book: "yes"\n',
          "book: Input should be a valid boolean", 1),
    _case("asset-metadata-twice", "given twice", ASSET + "  months: 36\n  months: 60\n",
          'custom "nhnfin-asset": metadata months given twice', 1),
    _case("transfer-metadata-twice", "given twice", TRANSFER + "  months: 60\n  months: 12\n",
          'custom "nhnfin-transfer": metadata months given twice', 1),
    _case("impairment-metadata-twice", "given twice",
          ASSET + '2024-06-01 custom "nhnfin-impairment" "a" 5.00 NOK\n'
          '  reason: "a"\n  reason: "b"\n',
          'custom "nhnfin-impairment": metadata reason given twice', 2),
    _case("asset-declared-twice", "given twice", ASSET + ASSET,
          "asset id 'a' is already declared at line", 2),
    _case("asset-start-before-acquisition", "dates out of order", ASSET + "  start: 2024-01-01\n",
          "start 2024-01-01 is before the asset on 2024-03-01", 1),
    _case("asset-months-zero", "dates out of range", ASSET + "  months: 0\n",
          "months: Input should be greater than 0", 1),
    _case("asset-months-601", "dates out of range", ASSET + "  months: 601\n",
          "months: Input should be less than or equal to 600", 1),
    _case("impairment-three-decimals", "non-numeric amounts",
          ASSET + '2024-06-01 custom "nhnfin-impairment" "a" 5.001 NOK\n',
          "no more than 2 decimal places", 2),
    _case("impairment-beyond-book-value", "over the balance",
          ASSET + '2024-06-01 custom "nhnfin-impairment" "a" 500.00 NOK\n',
          "a: impairment 500.00 exceeds the book value", 2),
    _case("disposal-unknown-asset", "unknown accounts",
          '2024-05-01 custom "nhnfin-disposal" "zz"\n  account: Assets:1920-Bank\n',
          "event of unknown asset 'zz'", 1),
    _case("schedule-unknown-transfer", "unknown accounts",
          '2024-01-01 custom "nhnfin-schedule" "zz" "2024" 100.00 NOK\n',
          "schedule of unknown asset 'zz'", 1),
    _case("schedule-does-not-add-up", "non-numeric amounts",
          TRANSFER + '2024-01-01 custom "nhnfin-schedule" "t" "2024" 60.00 NOK\n',
          "t: the schedule adds up to 60.00, not 100.00", 1),
    _case("schedule-period-twice", "given twice",
          TRANSFER + '2024-01-01 custom "nhnfin-schedule" "t" "2024" 50.00 NOK\n'
          '2024-01-01 custom "nhnfin-schedule" "t" "2024" 50.00 NOK\n',
          "t: period 2024 overlaps line", 3),
    _case("schedule-before-transfer", "dates out of order",
          TRANSFER + '2024-01-01 custom "nhnfin-schedule" "t" "2023" 100.00 NOK\n',
          "t: period 2023 ends before the start 2024-01-01", 2),
    _case("transfer-months-and-schedule", "given twice",
          TRANSFER + "  months: 12\n" + '2024-01-01 custom "nhnfin-schedule" "t" "2024" '
          "100.00 NOK\n", "t: give either months or schedule lines, not both", 1),
    _case("transfer-without-schedule", "missing fields", TRANSFER,
          "t: no schedule (give months: N or schedule lines)", 1),
    # ---- e-health: options and keys given twice, a merger into itself, 2920 below zero ----
    _case("ehealth-option-twice", "given twice",
          '2024-01-01 custom "nhnfin-ehealth-options" "rounding" "krone" "rounding" "øre"\n',
          "option given twice: rounding", 1),
    _case("ehealth-option-twice-among-others", "given twice",
          '2024-01-01 custom "nhnfin-ehealth-options" "recognition" "monthly" "invoicing" '
          '"annual" "recognition" "annual"\n', "option given twice: recognition", 1),
    _case("ehealth-options-directive-twice", "given twice",
          '2024-01-01 custom "nhnfin-ehealth-options" "rounding" "krone"\n'
          '2024-01-01 custom "nhnfin-ehealth-options" "rounding" "øre"\n',
          "nhnfin-ehealth-options given twice", 2),
    _case("ehealth-group-metadata-twice", "given twice",
          GROUP + '  split: "equal"\n  split: "population"\n',
          'custom "nhnfin-ehealth-group": metadata split given twice', 1),
    _case("ehealth-cost-basis-metadata-twice", "given twice",
          KEYED + '2024-01-01 custom "nhnfin-ehealth-cost-basis" "kj" 2024 100 NOK\n'
          "  compensated: 10 NOK\n  compensated: 20 NOK\n",
          'custom "nhnfin-ehealth-cost-basis": metadata compensated given twice', 4),
    _case("ehealth-merger-into-itself", "self-reference",
          KEYED + ACTOR + '2024-06-01 custom "nhnfin-ehealth-merger" "HV" "HV"\n',
          "merger of actor 'HV' into itself", 6),
    _case("ehealth-merger-into-unknown", "unknown accounts",
          KEYED + ACTOR + '2024-06-01 custom "nhnfin-ehealth-merger" "HV" "ZZ"\n',
          "population for unknown actor 'ZZ'", 6),
    _case("ehealth-repayment-before-any-invoice", "over the balance",
          SOLUTION + repayment("2024-01-10", "50.00") + ehealth_posting("2024-03-15", "100.00"),
          "repayment of 50.00 NOK for kj on 2024-01-10 exceeds what the liability carries for "
          "it (0 NOK); nothing booked", 2),
    _case("ehealth-repayment-beyond-the-liability", "over the balance",
          SOLUTION + ehealth_posting("2024-01-15", "100.00") + repayment("2024-06-30", "150.00"),
          "exceeds what the liability carries for it (100.00 NOK)", 6),
    _case("ehealth-second-repayment-beyond-the-rest", "over the balance",
          SOLUTION + ehealth_posting("2024-01-15", "100.00") + repayment("2024-03-31", "60.00")
          + repayment("2024-06-30", "60.00"),
          "repayment of 60.00 NOK for kj on 2024-06-30 exceeds what the liability carries for "
          "it (40.00 NOK)", 7),
    _case("ehealth-credit-note-below-zero", "over the balance",
          SOLUTION + ehealth_posting("2024-01-15", "-100.00"),
          "takes it below zero: it carries 0 NOK", 2),
    _case("ehealth-credit-note-beyond-invoice", "over the balance",
          SOLUTION + ehealth_posting("2024-01-15", "100.00")
          + ehealth_posting("2024-02-15", "-150.00"),
          "posting of 150.00 NOK to the liability for kj on 2024-02-15 takes it below zero: it "
          "carries 100.00 NOK", 6),
    _case("ehealth-repayment-account-text", "wrong types",
          SOLUTION + repayment("2024-01-10", "50.00", account='"bank"'),
          "the repayment account must be an account such as Assets:1920-Bank, got 'bank'", 2),
    _case("ehealth-repayment-unknown-solution", "unknown accounts",
          SOLUTION + repayment("2024-01-10", "50.00", solution="zz"),
          "repayment for unknown solution 'zz'", 2),
    _case("ehealth-solution-twice", "given twice", SOLUTION + SOLUTION,
          "solution 'kj' declared twice", 2),
    _case("ehealth-group-twice", "given twice",
          GROUP + GROUP.replace("TRUE", "FALSE"), "group 'RHF' declared twice", 2),
    _case("ehealth-actor-twice", "given twice",
          GROUP + ACTOR + '2024-01-01 custom "nhnfin-ehealth-actor" "HV" "RHF"\n',
          "actor 'HV' declared twice", 4),
    _case("ehealth-key-group-twice", "given twice",
          SOLUTION + GROUP + '2024-01-01 custom "nhnfin-ehealth-key" "kj" "RHF" 50 "RHF" 50\n',
          "a group appears twice in the key: RHF, RHF", 3),
    _case("ehealth-cost-basis-twice", "given twice",
          KEYED + '2024-01-01 custom "nhnfin-ehealth-cost-basis" "kj" 2024 100 NOK\n'
          '2024-01-01 custom "nhnfin-ehealth-cost-basis" "kj" 2024 200 NOK\n',
          "cost basis for 'kj' 2024 given twice", 5),
    _case("ehealth-key-unknown-group", "unknown accounts",
          SOLUTION + '2024-01-01 custom "nhnfin-ehealth-key" "kj" "ZZ" 100\n',
          "key for 'kj' names unknown group 'ZZ'", 2),
    _case("ehealth-key-unknown-solution", "unknown accounts",
          GROUP + '2024-01-01 custom "nhnfin-ehealth-key" "zz" "RHF" 100\n',
          "key for unknown solution 'zz'", 2),
    _case("ehealth-key-negative-share", "non-numeric amounts",
          SOLUTION + GROUP + '2024-01-01 custom "nhnfin-ehealth-key" "kj" "RHF" -100\n',
          "share of 'RHF' must be a percentage ≥ 0", 3),
    _case("ehealth-cost-basis-without-key", "missing fields",
          SOLUTION + '2024-01-01 custom "nhnfin-ehealth-cost-basis" "kj" 2024 100 NOK\n',
          "no key for 'kj' in force on 2024-01-01", 2),
    _case("ehealth-cost-basis-repayment-beyond-need", "over the balance",
          KEYED + '2024-01-01 custom "nhnfin-ehealth-cost-basis" "kj" 2024 100 NOK\n'
          "  repayment: 200 NOK\n", "0 ≤ repayment ≤ need", 4),
    _case("ehealth-cost-basis-ore-when-krone", "non-numeric amounts",
          '2024-01-01 custom "nhnfin-ehealth-options" "rounding" "krone"\n' + KEYED
          + '2024-01-01 custom "nhnfin-ehealth-cost-basis" "kj" 2024 100.50 NOK\n',
          "100.50 is not a whole number of krone", 5),
    _case("ehealth-population-unknown-actor", "unknown accounts",
          '2024-01-01 custom "nhnfin-ehealth-population" "ZZ" 5\n',
          "population for unknown actor 'ZZ'", 1),
    _case("ehealth-actor-without-population", "missing fields",
          GROUP + '2024-01-01 custom "nhnfin-ehealth-actor" "HV" "RHF"\n',
          "actor 'HV' has no population", 2),
    _case("ehealth-recognition-weekly", "wrong types",
          '2024-01-01 custom "nhnfin-ehealth-options" "recognition" "weekly"\n',
          "recognition: Input should be 'annual', 'quarterly' or 'monthly'", 1),
    _case("ehealth-rounding-cent", "wrong types",
          '2024-01-01 custom "nhnfin-ehealth-options" "rounding" "cent"\n',
          "rounding: Input should be 'krone' or 'øre'", 1),
    _case("ehealth-group-split-random", "wrong types", GROUP + '  split: "random"\n',
          "split: Input should be 'population' or 'equal'", 1),
    _case("ehealth-population-negative", "non-numeric amounts",
          '2024-01-01 custom "nhnfin-ehealth-population" "HV" -5\n',
          "population must be a whole number ≥ 0", 1),
    _case("ehealth-population-fraction", "non-numeric amounts",
          '2024-01-01 custom "nhnfin-ehealth-population" "HV" 5.5\n',
          "population must be a whole number ≥ 0", 1),
    _case("ehealth-cost-basis-key-misspelt", "ignored input",
          KEYED + '2024-01-01 custom "nhnfin-ehealth-cost-basis" "kj" 2024 100 NOK\n'
          "  compensatd: 10 NOK\n",
          "unknown metadata compensatd (this directive takes: compensated, repayment, source)",
          4),
    _case("ehealth-group-key-misspelt", "ignored input", GROUP + '  splitt: "equal"\n',
          "unknown metadata splitt (this directive takes: split, name)", 1),
    _case("ehealth-actor-key-misspelt", "ignored input",
          GROUP + '2024-01-01 custom "nhnfin-ehealth-actor" "HV" "RHF"\n'
          "  acount: Assets:1500-TradeReceivables\n",
          "unknown metadata acount (this directive takes: account, name)", 2),
    _case("ehealth-solution-with-metadata", "ignored input", SOLUTION + '  owner: "NHN"\n',
          "unknown metadata owner (this directive takes: none)", 1),
    _case("cost-element-key-misspelt", "ignored input",
          '2021-01-01 custom "nhnfin-cost-element" "infra" "Infrastruktur"\n'
          '  acounts: "6300-6399"\n', "unknown metadata acounts (this directive takes: accounts)",
          1),
    _case("budget-line-key-misspelt", "ignored input",
          '2021-01-01 custom "nhnfin-budget-version" "v1" "budget" "Budsjett"\n'
          '2021-01-01 custom "nhnfin-budget" "v1" "kj" "infra" "2021" 1000 NOK\n'
          '  fundng: "forskrift"\n',
          "unknown metadata fundng (this directive takes: driver, note, funding)", 2),
    # ---- note data: a key given twice --------------------------------------------------
    _case("note-data-metadata-twice", "given twice",
          '2024-12-31 custom "nhnfin-note-data" "5" "board_owner" "x"\n  label: "X"\n'
          '  label: "Y"\n', 'custom "nhnfin-note-data": metadata label given twice', 1),
    # ---- layout: a statement declared twice ------------------------------------------------
    _case("layout-statement-twice", "given twice",
          '2024-01-01 custom "nhnfin-layout" "two.toml"\n',
          "statement income_statement is declared twice", 1,
          files={"two.toml": layout_file("income_statement", "balance_sheet",
                                         "income_statement")}),
    _case("layout-balance-sheet-twice", "given twice",
          '2024-01-01 custom "nhnfin-layout" "two.toml"\n',
          "statement balance_sheet is declared twice", 1,
          files={"two.toml": layout_file("balance_sheet", "balance_sheet")}),
    _case("layout-unknown-statement", "wrong types",
          '2024-01-01 custom "nhnfin-layout" "odd.toml"\n',
          "Input should be 'income_statement', 'balance_sheet' or 'cash_flow'", 1,
          files={"odd.toml": layout_file("notes")}),
]
