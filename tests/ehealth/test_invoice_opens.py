"""``nhnfin invoice-basis --format beancount`` writes invoices a ledger can include as they are:
every customer account they post to is opened (issue 21)."""

from __future__ import annotations

import shutil
from pathlib import Path

from click.testing import CliRunner

from nhnfin.cli.ehealth import invoice_basis_cmd
from nhnfin.ledger import load

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "ledger" / "examples" / "invoice-basis-2022.beancount"


def test_the_printed_invoices_open_their_customer_accounts_and_load_clean(tmp_path: Path) -> None:
    folder = tmp_path / "ledger"
    shutil.copytree(ROOT / "ledger", folder, ignore=shutil.ignore_patterns(".*cache", "tools"))
    main = folder / "examples" / EXAMPLE.name
    result = CliRunner().invoke(invoice_basis_cmd, [str(main), "--year", "2022", "--format",
                                                    "beancount"])
    assert result.exit_code == 0, result.output
    opens = [line for line in result.output.splitlines() if " open " in line]
    assert "2022-01-01 open Assets:1500-TradeReceivables:Helse-Vest         NOK" in opens
    assert all(line.startswith("2022-01-01 open Assets:1500-TradeReceivables:") for line in opens)
    (folder / "examples" / "invoices.beancount").write_text(result.output, encoding="utf-8")
    with main.open("a", encoding="utf-8") as stream:
        stream.write('include "invoices.beancount"\n')
    errors = [e.message for e in load(main).errors if "inactive" in e.message or
              "unknown account" in e.message.lower()]
    assert errors == []
    # a second run against the ledger that now opens them adds no open twice
    again = CliRunner().invoke(invoice_basis_cmd, [str(main), "--year", "2022", "--format",
                                                   "beancount"])
    assert " open " not in again.output
