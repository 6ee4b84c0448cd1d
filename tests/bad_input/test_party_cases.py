"""Customers and suppliers declared twice (``nhnfin-customer``/``nhnfin-supplier``,
nhnfin.lock_guard.repeated_parties): one name with two numbers, or one number under two names,
is an error at the second directive's line naming the first's file:line. Before: bean-check said
nothing, and ``nhnfin saft`` gave the customer the number of the last directive.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from beancount import loader
from nhnfin.importers.saft_export import registrations

from tests.bad_input.cases import ACCOUNTS

HEAD = f'option "operating_currency" "NOK"\nplugin "nhnfin"\ninclude "{ACCOUNTS}"\n'
LINE = HEAD.count("\n")  # the body's line 1 is the file's LINE + 1

BODY = (
    '2024-01-01 custom "nhnfin-customer" "Helse Vest RHF" "983974732"\n'      # 1
    '2024-01-01 custom "nhnfin-customer" "Helse Vest RHF" "983 974 724"\n'    # 2: other number
    '2024-01-01 custom "nhnfin-customer" "Helse Vest" "983974732"\n'          # 3: other name
    '2024-01-01 custom "nhnfin-customer" "Helse Vest RHF" "983974732"\n'      # 4: the same again
    '2024-01-01 custom "nhnfin-supplier" "Helse Vest RHF" "983974732"\n'      # 5: also a supplier
    '2024-01-01 custom "nhnfin-supplier" "Crayon AS" "988999903"\n'           # 6
    '2024-01-01 custom "nhnfin-supplier" "Crayon AS" "988999990"\n'           # 7: not MOD11
    '2024-01-01 custom "nhnfin-supplier" "Crayon Norge AS" "988 999 903"\n'   # 8: other name
)


def _expected(path: Path, first: int = LINE) -> list[tuple[int, str]]:
    """The errors of BODY at ``path`` (body line, message), its line 1 at file line
    ``first`` + 1."""
    def at(line: int) -> str:
        return f"{path}:{first + line}"
    return [
        (2, "nhnfin-customer: kunden 'Helse Vest RHF' er oppgitt to ganger (første gang på "
            f"{at(1)}), med organisasjonsnummeret '983974732' der og '983974724' her: "
            "SAF-T-eksporten kan bare gi kunden ett"),
        (3, "nhnfin-customer: organisasjonsnummeret '983974732' er oppgitt for både 'Helse Vest "
            f"RHF' ({at(1)}) og 'Helse Vest': er det samme kunde, skal den stå én gang, med ett "
            "navn"),
        (4, "nhnfin-customer: kunden 'Helse Vest RHF' er oppgitt to ganger (første gang på "
            f"{at(1)})"),
        (8, "nhnfin-supplier: organisasjonsnummeret '988999903' er oppgitt for både 'Crayon AS' "
            f"({at(6)}) og 'Crayon Norge AS': er det samme leverandør, skal den stå én gang, med "
            "ett navn"),
    ]


BAD_NUMBER = (7, "nhnfin-supplier: organisasjonsnummeret '988999990' er ikke gyldig (MOD11)")


def test_a_customer_or_supplier_declared_twice_is_an_error_at_the_second(tmp_path: Path) -> None:
    path = tmp_path / "parties.beancount"
    path.write_text(HEAD + BODY, encoding="utf-8")
    _entries, errors, _options = loader.load_file(str(path))
    found = [(e.source["lineno"] - LINE, e.message) for e in errors
             if e.source["filename"] == str(path)]
    assert found == [BAD_NUMBER, *_expected(path)]


def test_the_saft_export_reads_the_same_errors_and_the_first_directive(tmp_path: Path) -> None:
    """The export's own reading (``registrations``) gives the same errors; the numbers it
    takes are the first directive's of each name (it refuses a ledger with errors anyway)."""
    path = tmp_path / "parties.beancount"
    path.write_text(HEAD.replace('plugin "nhnfin"\n', "") + BODY, encoding="utf-8")
    entries, _, _ = loader.load_file(str(path))
    errors: list[Any] = []
    assert registrations(entries, errors) == {
        ("customer", "Helse Vest RHF"): "983974732", ("customer", "Helse Vest"): "983974732",
        ("supplier", "Helse Vest RHF"): "983974732", ("supplier", "Crayon AS"): "988999903",
        ("supplier", "Crayon Norge AS"): "988999903"}
    assert [(e.source["lineno"] - (LINE - 1), e.message) for e in errors] == [
        BAD_NUMBER, *_expected(path, LINE - 1)]
