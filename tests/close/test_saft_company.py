"""The close's SAF-T check: the company details ``nhnfin saft`` needs (the ``nhnfin-company``
directive in force on 31 December with a contact person) are there before the year is locked.
Before, a year closed with a company line without ``contact-first-name:``/``contact-last-name:``
could not be exported (``nhnfin saft`` stops on the missing contact person) without reopening
the year, since the lock holds the line (docs/year-end-close.md)."""

from __future__ import annotations

from pathlib import Path

from tests.close.conftest import run_close
from tests.close.conftest import write

BOOKS = """
option "title" "Testforetaket AS"
option "operating_currency" "NOK"
plugin "nhnfin.mapping"
plugin "nhnfin.close.period_lock"

2019-12-31 open Assets:1920-Bank NOK
2019-12-31 open Equity:2000-ContributedCapital NOK
2019-12-31 open Equity:2050-OtherEquity NOK
2019-12-31 open Equity:8960-TransferToOtherEquity NOK
2019-12-31 open Income:3400-GrantIncome NOK

2024-01-02 * "Innskutt kapital"
  Assets:1920-Bank                 5000.00 NOK
  Equity:2000-ContributedCapital  -5000.00 NOK

2024-03-01 * "Tilskudd"
  Assets:1920-Bank                 1000.00 NOK
  Income:3400-GrantIncome         -1000.00 NOK
"""
COMPANY = '2019-12-31 custom "nhnfin-company" "994598759" "Testforetaket AS"\n'
COMPANY_LINE = BOOKS.count("\n")  # write() drops the first blank line
CONTACT = '  contact-first-name: "Kari"\n  contact-last-name: "Nordmann"\n'


def close(tmp_path: Path, extra: str, *waive: str) -> tuple[int, list[str], str]:
    """``nhnfin close --dry-run --waive months`` (the books end in March) of BOOKS + ``extra``:
    its exit code, the SAF-T check's lines and the whole output."""
    main = write(tmp_path / "books.beancount", BOOKS + extra)
    args = [a for w in ("months", *waive) for a in ("--waive", w)]
    result = run_close(main, "--year", 2024, "--dry-run", *args)
    lines = result.output.splitlines()
    start = next(i for i, x in enumerate(lines) if "SAF-T" in x and not x.startswith(" "))
    end = next((i for i, x in enumerate(lines) if i > start and not x.startswith(" ")),
               len(lines))
    return result.exit_code, lines[start:end], result.output


def test_a_company_without_a_contact_person_stops_the_close(tmp_path: Path) -> None:
    code, lines, output = close(tmp_path, COMPANY)
    main = tmp_path / "books.beancount"
    assert code == 1, output
    assert lines == [
        "STOPPER SAF-T-opplysninger om foretaket [--waive saft]: 2 feil",
        f"         ✗ {main}:{COMPANY_LINE}: nhnfin-company: contact-first-name: mangler (SAF-T "
        "krever en kontaktperson); nhnfin saft --year 2024 kan ikke eksportere året når det "
        "er låst uten",
        f"         ✗ {main}:{COMPANY_LINE}: nhnfin-company: contact-last-name: mangler (SAF-T "
        "krever en kontaktperson); nhnfin saft --year 2024 kan ikke eksportere året når det "
        "er låst uten",
    ]
    assert ("årsavslutning 2024 stoppes av: SAF-T-opplysninger om foretaket [--waive saft]; "
            "ingenting er skrevet") in output
    # signed off: the close goes on, the lines written into the lock as waived
    code, lines, output = close(tmp_path, COMPANY, "saft")
    assert code == 0, output
    assert lines[0] == "ok      SAF-T-opplysninger om foretaket: 2 listet, stopper ikke"
    assert lines[1].startswith(f"         - fraveket: {main}:{COMPANY_LINE}: nhnfin-company: "
                               "contact-first-name: mangler")
    assert (f'waived-2: "saft: books.beancount:{COMPANY_LINE}: nhnfin-company: '
            "contact-first-name: mangler (SAF-T krever en kontaktperson)") in output


def test_a_company_with_its_contact_person_passes(tmp_path: Path) -> None:
    code, lines, output = close(tmp_path, COMPANY + CONTACT)
    assert (code, lines) == (0, ["ok      SAF-T-opplysninger om foretaket"]), output


def test_a_ledger_without_a_company_line_is_told_and_not_stopped(tmp_path: Path) -> None:
    """A ledger that declares no company does not export SAF-T through nhnfin (nhnfin init
    writes the line): the check lists it and does not block."""
    code, lines, output = close(tmp_path, "")
    main = tmp_path / "books.beancount"
    assert code == 0, output
    assert lines == [
        "ok      SAF-T-opplysninger om foretaket: 1 listet, stopper ikke",
        f'         - {main}: ingen custom "nhnfin-company" datert 2024-12-31 eller tidligere; '
        "nhnfin saft --year 2024 trenger foretakets navn, organisasjonsnummer og en "
        "kontaktperson",
    ]


UNGROUPED = """\
2019-12-31 open Assets:1921-BankEUR NOK
2024-03-02 * "Til valutakonto"
  Assets:1921-BankEUR              500.00 NOK
  Assets:1920-Bank                -500.00 NOK
"""
UNGROUPED_LINE = (BOOKS + COMPANY + CONTACT).count("\n")


def test_an_account_saft_cannot_group_stops_the_close(tmp_path: Path) -> None:
    """r15probe: a year was closed though ``nhnfin saft --year`` then stopped on an account
    without a SAF-T grouping code (``Assets:1921-BankEUR``, not in the reviewed chart mapping),
    and the code goes on the account's ``open``, which the lock holds: the year could not be
    exported without reopening it. The close now runs the export's own checks of the year and
    stops on what would stop it, at the ``open``'s line; ``--waive saft`` signs it off."""
    code, lines, output = close(tmp_path, COMPANY + CONTACT + UNGROUPED)
    main = tmp_path / "books.beancount"
    assert code == 1, output
    assert lines == [
        "STOPPER SAF-T-opplysninger om foretaket [--waive saft]: 1 feil",
        f"         ✗ {main}:{UNGROUPED_LINE}: ingen SAF-T-grupperingskode for 1921 "
        "(Assets:1921-BankEUR): den er ikke i den gjennomgåtte tilordningen av kontoplanen "
        "(docs/importers.md); legg saft-grouping-category og saft-grouping-code på "
        "open-direktivet; nhnfin saft --year 2024 kan ikke eksportere året når det er låst uten",
    ]
    code, lines, output = close(tmp_path, COMPANY + CONTACT + UNGROUPED, "saft")
    assert code == 0, output
    assert lines[0] == "ok      SAF-T-opplysninger om foretaket: 1 listet, stopper ikke"
    grouped = UNGROUPED.replace(
        "BankEUR NOK\n",
        'BankEUR NOK\n  saft-grouping-category: "balanseverdiForOmloepsmiddel"\n'
        '  saft-grouping-code: "1920"\n')
    code, lines, output = close(tmp_path, COMPANY + CONTACT + grouped)
    assert (code, lines) == (0, ["ok      SAF-T-opplysninger om foretaket"]), output
