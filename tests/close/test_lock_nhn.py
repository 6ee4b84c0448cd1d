"""The period lock on the example ledger closed for 2024 (issue 10): a change, an insertion or a
deletion in 2024 is an error at the lock naming the period and the entry; a correction in 2025,
re-ordered includes and split files pass."""

from __future__ import annotations

import json
from pathlib import Path

from nhnfin.close.period_lock import PeriodLockError
from nhnfin.ledger import load

INVOICE = '  invoice: "EH-2024-Kommuner-Q2"\n'
LOCK_LINE = 5  # the lock directive's line in close-2024.beancount (after the 4-line header)


def lock_errors(main: Path) -> list[PeriodLockError]:
    """The period-lock errors of the ledger, after checking they sit at the lock directive."""
    errors = [e for e in load(main).errors if isinstance(e, PeriodLockError)]
    for error in errors:
        assert error.source["filename"].endswith("close-2024.beancount")
        assert error.source["lineno"] == LOCK_LINE
    return errors


def invoice_block(lines: list[str]) -> int:
    """Index of the header line of the Q2 Kommuner invoice in nhn/2024.beancount."""
    return lines.index(INVOICE) - 1


def change_an_invoice(closed: Path) -> int:
    """The Q2 Kommuner invoice of 2024 one øre higher; returns its header's index."""
    path = closed / "nhn" / "2024.beancount"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    header = invoice_block(lines)
    lines[header + 2] = lines[header + 2].replace("107469256.28", "107469256.29")
    lines[header + 3] = lines[header + 3].replace("-107469256.28", "-107469256.29")
    path.write_text("".join(lines), encoding="utf-8")
    return header


def test_closed_ledger_loads_clean(closed: Path) -> None:
    ledger = load(closed / "nhn.beancount")
    assert ledger.errors == []
    close_text = (closed / "close-2024.beancount").read_text(encoding="utf-8")
    lock = close_text.splitlines()[LOCK_LINE - 1]
    assert lock.startswith('2024-12-31 custom "nhnfin-lock" "')
    sidecar = json.loads((closed / "locks" / "2024-12-31.json").read_text(encoding="utf-8"))
    assert sidecar["digest"] in lock
    assert f"  entries: {len(sidecar['entries'])}" in close_text
    assert '  locked-by: "controller"' in close_text


def test_changed_amount_in_locked_year_names_the_entry(closed: Path) -> None:
    header = change_an_invoice(closed)
    [error] = lock_errors(closed / "nhn.beancount")
    assert error.message.startswith("låst periode til og med 2024-12-31 er endret siden låsen:")
    assert f"nhn/2024.beancount:{header + 1} (2024-04-15 transaksjon" in error.message
    assert "(107469256.29 NOK)) er endret (låst versjon:" in error.message
    assert "(107469256.28 NOK), på nhn/2024.beancount:" in error.message
    assert "2 forskjeller i alt" in error.message


def test_inserted_entry_in_locked_year(closed: Path) -> None:
    path = closed / "nhn" / "2024.beancount"
    before = path.read_text(encoding="utf-8")
    path.write_text(
        before + '\n2024-06-30 * "Korreksjon" "ført i låst periode"\n'
        "  Assets:1920-Bank  1.00 NOK\n  Equity:2050-OtherEquity  -1.00 NOK\n",
        encoding="utf-8",
    )
    [error] = lock_errors(closed / "nhn.beancount")
    line = before.count("\n") + 2
    assert (
        f'nhn/2024.beancount:{line} (2024-06-30 transaksjon "Korreksjon ført i låst periode" '
        "(1.00 NOK)) er satt inn etter låsen; 1 forskjell i alt" in error.message
    )


def test_deleted_entry_in_locked_year(closed: Path) -> None:
    path = closed / "nhn" / "2024.beancount"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    header = invoice_block(lines)
    del lines[header : header + 5]
    path.write_text("".join(lines), encoding="utf-8")
    [error] = lock_errors(closed / "nhn.beancount")
    assert (
        'den låste posten 2024-04-15 transaksjon "Aktørgruppe Kommuner Faktura nasjonale '
        'e-helseløsninger 2. kvartal 2024" (107469256.28 NOK) '
        f"(på nhn/2024.beancount:{header + 1} da den ble låst) er slettet; 5 forskjeller i alt"
        in error.message
    )


def test_correction_in_open_year_passes(closed: Path) -> None:
    (closed / "nhn" / "2025.beancount").write_text(
        '2025-01-15 * "Korreksjon" "feilført faktura Q2 2024"\n'
        "  Assets:1920-Bank  1.00 NOK\n  Equity:2050-OtherEquity  -1.00 NOK\n",
        encoding="utf-8",
    )
    main = closed / "nhn.beancount"
    main.write_text(main.read_text(encoding="utf-8") + 'include "nhn/2025.beancount"\n')
    assert load(main).errors == []


def test_reordered_and_split_includes_keep_the_lock(closed: Path) -> None:
    main = closed / "nhn.beancount"
    lines = main.read_text(encoding="utf-8").splitlines(keepends=True)
    includes = [line for line in lines if line.startswith("include ")]
    rest = [line for line in lines if not line.startswith("include ")]
    main.write_text("".join(rest + includes[::-1]) + 'include "nhn/2024b.beancount"\n')
    year = closed / "nhn" / "2024.beancount"
    text = year.read_text(encoding="utf-8")
    cut = text.index("\n\n", len(text) // 2) + 2
    year.write_text(text[:cut], encoding="utf-8")
    (closed / "nhn" / "2024b.beancount").write_text(text[cut:], encoding="utf-8")
    assert load(main).errors == []


def test_missing_sidecar_still_detects_the_change(closed: Path) -> None:
    (closed / "locks" / "2024-12-31.json").unlink()
    assert lock_errors(closed / "nhn.beancount") == []  # unchanged books need no sidecar
    path = closed / "nhn" / "2024.beancount"
    path.write_text(path.read_text(encoding="utf-8").replace("107469256.28", "107469256.27", 2))
    [error] = lock_errors(closed / "nhn.beancount")
    assert "registeret " in error.message
    assert "kan ikke leses (finnes ikke), så posten kan ikke navngis" in (
        error.message
    )


def test_altered_sidecar_is_reported(closed: Path) -> None:
    sidecar = closed / "locks" / "2024-12-31.json"
    text = sidecar.read_text(encoding="utf-8")
    first = json.loads(text)["entries"][0]["sha256"]
    sidecar.write_text(text.replace(first, "0" * 64), encoding="utf-8")
    path = closed / "nhn" / "2024.beancount"
    path.write_text(path.read_text(encoding="utf-8").replace("107469256.28", "107469256.27", 2))
    [error] = lock_errors(closed / "nhn.beancount")
    assert ("locks/2024-12-31.json er endret etter låsen (postene stemmer ikke lenger med "
            "digesten), så posten kan ikke navngis" in error.message)


def test_per_rule_plugin_lines_hold_the_lock_too(closed: Path) -> None:
    """The lock check holds with the per-rule lines instead of ``plugin "nhnfin"``, wherever its
    line stands; naming both ways at once is an error (the rules would run twice)."""
    main = closed / "nhn.beancount"
    text = main.read_text(encoding="utf-8")
    rules = ('plugin "nhnfin.assets.delivery_obligation"\nplugin "nhnfin.grants"\n'
             'plugin "nhnfin.ehealth"\nplugin "nhnfin.mapping"\n')
    per_rule = text.replace('plugin "nhnfin"\n', rules)
    lock_line = 'plugin "nhnfin.close.period_lock"\ninclude "'
    main.write_text(per_rule.replace('include "', lock_line, 1))
    assert load(main).errors == []
    main.write_text(text.replace('include "', lock_line, 1))
    [error] = load(main).errors
    assert error.message == (
        "plugin \"nhnfin.close.period_lock\" er en del av plugin \"nhnfin\"; fjern en av de to "
         "linjene"
    )


def test_the_lock_holds_in_a_ledger_that_includes_the_closed_one(closed: Path) -> None:
    """2024 closed on nhn.beancount; another ledger, in another folder, includes it (with the same
    options and plugin lines, which Beancount does not take from an included file). The lock holds
    there, account values in custom directives included; a change in 2024 still names the period
    and the entry."""
    text = (closed / "nhn.beancount").read_text(encoding="utf-8")
    head = [line for line in text.splitlines() if line.startswith(("option ", "plugin "))]
    top = closed.parent / "books" / "main.beancount"
    top.parent.mkdir()
    top.write_text("\n".join(head) + '\ninclude "../ledger/nhn.beancount"\n', encoding="utf-8")
    assert load(top).errors == []
    change_an_invoice(closed)
    [error] = [e for e in load(top).errors if isinstance(e, PeriodLockError)]
    assert error.message.startswith("låst periode til og med 2024-12-31 er endret siden låsen:")
    assert "nhn/2024.beancount" in error.message
    assert "2024-04-15 transaksjon" in error.message
