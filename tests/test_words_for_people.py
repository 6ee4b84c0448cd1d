"""What a command says to a controller is Norwegian bokmål (the guide's "words for people"):
every message the CLI raises or prints, the refusals of nhnfin.files, which the CLI passes on,
and every error the rules and checks put into the ledger's error list (bean-check's output,
Fava's error page).

A guard, not a translator: it reads the string literals of the calls that speak to the reader
(``click.ClickException``, ``click.UsageError``, ``click.BadParameter``, ``click.echo``,
``WriteRefused``, ``SkeletonError``, ``ReportError``, ``stage``, the error records and the
``ValueError`` a rule turns into one) and fails on the English words those messages used before
they were translated (each failed this test then). In the rules' modules a message is also built
apart from the record: a returned text, a text assigned to ``message``/``problem``/``usage``, or
one appended to a list of problems (``problems.append((meta, "..."))``); those are read too.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# the call and the position of its message: an error record's message follows its source
SPEAKING = {"ClickException": 0, "UsageError": 0, "BadParameter": 0, "echo": 0,
            "WriteRefused": 0, "SkeletonError": 0, "ReportError": 0, "stage": 0,
            "PeriodLockError": 1, "NhnfinError": 1, "GrantError": 1, "NoteAccountError": 1,
            "NoteDataError": 1, "LockFigureError": 1, "Problem": 0,
            # the notes' layout and templates: their errors are the report's
            "NoteLayoutError": 0, "NoteTextError": 0, "MissingFigure": 0,
            # the importers' refusals of a document: the message follows file, line and element
            "DocumentError": 3, "_fail": -1}
# what a finding or a tie-out says in the report (its formula too: the JSON report shows it)
SPOKEN_FIELDS = {"PublishedFinding": ("where", "formula", "explanation"),
                 "TieOut": ("description", "detail"), "TextFinding": ("message",)}
# in the rules' modules a ValueError's message becomes a ledger error's (the rule catches it)
RAISED = {"ValueError": 0, "ConfigError": 0, "CostBasisError": 0}
ENGLISH = re.compile(
    r"\b(the|is|not|no|cannot|refusing|exists|written|error|needs|expected|give|loading|"
    r"building|disagree|must|unknown|choose|which|file|folder|entries|found|twice|declared|given|"
    r"takes|has|invalid|got|exceeds|before|only|should|add|already|missing|field|required|"
    r"input|valid|than|of|with|without|into|itself|lands|mapped|declares|named|use|more|less|"
    r"against|change|rounded|quoted|ambiguous|malformed|record|posted|aside|carried)\b",
    re.IGNORECASE)
# the period lock builds its messages in functions that return them: their returned text too
LOCK = [ROOT / "nhnfin" / "close" / "period_lock.py", ROOT / "nhnfin" / "lock_guard.py"]
# the modules whose errors reach the ledger's error list (the rules, their checks, the core)
RULES = [ROOT / "nhnfin" / name for name in (
    "errors.py", "config.py", "pipeline.py", "mapping.py", "ledger.py",
    "grants/directives.py", "grants/engine.py", "grants/links.py", "grants/models.py",
    "grants/plugin.py", "ehealth/directives.py", "ehealth/plugin.py", "ehealth/basis.py",
    "assets/directives.py", "assets/engine.py", "assets/register.py", "assets/depreciation.py",
    "assets/plugin.py", "assets/delivery_obligation.py", "cost_basis/directives.py",
    "cost_basis/facts.py", "cost_basis/investment_plan.py", "cost_basis/basis.py",
    "notes/note_accounts.py", "notes/note_data.py", "close/figures.py", "layout.py",
    "notes/layout.py", "notes/requirements.py", "fava_ext/__init__.py", "provenance.py",
    "money.py")]
# the importers and the SAF-T export: their refusals and warnings are what nhnfin import,
# nhnfin saft and nhnfin reconcile print (read as a rule's module, and their returned texts)
IMPORTERS = sorted((ROOT / "importers").glob("*.py"))
# the modules whose findings, tie-outs and errors the report, reconcile and close show
REPORTED = [ROOT / "nhnfin" / name for name in (
    "published.py", "tieouts.py", "ehealth/note2.py", "reconcile/customer_ledger.py",
    "close/digest.py", "close/figures.py", "notes/text.py", "notes/ledger_tables.py",
    "notes/layout_notes.py", "notes/tables.py", "assets/note8.py")]
SOURCES = [*sorted((ROOT / "nhnfin" / "cli").glob("*.py")), ROOT / "nhnfin" / "files.py",
           ROOT / "nhnfin" / "report.py", *LOCK, *RULES, *IMPORTERS, *REPORTED]
BUILT = {"message", "problem", "usage", "overlap", "reason", "comment", "detail"}


def _name(call: ast.Call) -> str:
    func = call.func
    return func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")


def _words(node: ast.AST) -> list[str]:
    """The literal text of a message: its constants and an f-string's constant parts."""
    return [n.value for n in ast.walk(node) if isinstance(n, ast.Constant)
            and isinstance(n.value, str)]


def _docstrings(tree: ast.AST) -> set[int]:
    return {id(node.body[0].value) for node in ast.walk(tree)
            if isinstance(node, ast.Module | ast.FunctionDef | ast.ClassDef) and node.body
            and isinstance(node.body[0], ast.Expr) and isinstance(node.body[0].value, ast.Constant)}


def _built(node: ast.AST, returned: bool, rule: bool, docstrings: set[int],
           assigned: bool = False) -> ast.AST | None:
    """The text a rule's module builds apart from the record (``rule``), or a returned one;
    with ``assigned``, a text assigned to a message's name."""
    if rule and isinstance(node, ast.Call) and _name(node) in ("append", "extend") and (
            node.args and isinstance(node.args[0], ast.Tuple | ast.GeneratorExp | ast.JoinedStr
                                     | ast.Constant | ast.ListComp)):
        return node.args[0]
    if (rule or assigned) and isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id in BUILT for t in node.targets):
        return node.value
    if ((returned or rule) and isinstance(node, ast.Return) and node.value is not None
            and id(node.value) not in docstrings):
        return node.value
    return None


def _messages(tree: ast.AST, returned: bool, rule: bool = False, raised: bool = False
              ) -> list[tuple[int, ast.AST]]:
    """(line, node) of each message: a speaking call's, and (``returned``) a returned value;
    in a rule's module (``rule``) also a raised ValueError's and a text built apart; with
    ``raised`` a raised ValueError's and a text assigned to a message's name (not the returned
    texts: a lock record's file problems are kept in the words they were digested in)."""
    speaking = {**SPEAKING, **RAISED} if rule or raised else SPEAKING
    docstrings = _docstrings(tree)
    found: list[tuple[int, ast.AST]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and _name(node) in SPOKEN_FIELDS:
            found += [(node.lineno, k.value) for k in node.keywords
                      if k.arg in SPOKEN_FIELDS[_name(node)]]
        if isinstance(node, ast.Call) and _name(node) in speaking:
            at = speaking[_name(node)]
            if len(node.args) > at:
                found.append((node.lineno, node.args[at]))
            continue
        built = _built(node, returned, rule, docstrings, raised)
        if built is not None:
            found.append((getattr(node, "lineno", 0), built))
    return found


def english_messages(path: Path, *, returned: bool = False, rule: bool = False,
                     raised: bool = False) -> list[tuple[int, str]]:
    """(line, text) of each message's literal that holds an English word."""
    found = []
    for line, node in _messages(ast.parse(path.read_text("utf-8")), returned, rule, raised):
        for text in _words(node):
            # option names and Beancount's own directive words are not English prose
            # (and pydantic's prefixes a rule strips, a docs page named, an unknown location)
            prose = re.sub(r"--[\w-]+|nhnfin-[\w-]+|custom|Beancount|^Value error, $|docs/[\w./-]+|"
                           r"<unknown>", "", text)
            if ENGLISH.search(prose):
                found.append((line, text))
    return found


def test_what_commands_say_is_norwegian() -> None:
    assert [f"{path.relative_to(ROOT)}:{line}: {text!r}" for path in SOURCES
            for line, text in english_messages(path, returned=path in LOCK or path in IMPORTERS,
                                               rule=path in RULES or path in IMPORTERS,
                                               raised=path in REPORTED)
            ] == []


def test_the_guard_sees_an_english_message(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text('import click\n'
                      'raise click.ClickException(f"{x}: no such ledger file")\n'
                      'raise click.ClickException(f"{x}: regnskapsfilen finnes ikke")\n'
                      'click.echo("--year krever --output (custom nhnfin-grant)")\n')
    assert english_messages(sample) == [(2, ": no such ledger file")]


def test_the_guard_reads_a_rules_built_messages(tmp_path: Path) -> None:
    sample = tmp_path / "rule.py"
    sample.write_text('def check(meta, x):\n'
                      '    problems.append((meta, f"{x} declared twice"))\n'
                      '    message = f"unknown grant {x!r}"\n'
                      '    raise ValueError(f"{x} must be an amount")\n'
                      '    return f"tilskuddet {x!r} er oppgitt to ganger"\n')
    assert sorted(english_messages(sample, rule=True)) == [
        (2, " declared twice"), (3, "unknown grant "), (4, " must be an amount")]


# ---- what the ledger's error list says: literal ledgers, the message and its file:line ------

GRANT_LINES = ('  name: "Tilskudd"\n  source: "Kap. 701"\n  amount: 1000.00 NOK\n'
               '  note-row: "public_grant"\n')
ACCOUNTS = ROOT / "ledger" / "accounts.beancount"


def _errors(tmp_path: Path, text: str) -> list[tuple[str, int, str]]:
    from beancount import loader

    path = tmp_path / "bok.beancount"
    path.write_text(text, encoding="utf-8")
    _entries, errors, _options = loader.load_file(str(path))
    return [(str(e.source["filename"]).replace(str(path), "bok.beancount"),
             int(e.source["lineno"]), e.message.replace(str(path), "bok.beancount"))
            for e in errors]


def test_a_grant_declared_twice_is_said_in_norwegian_at_its_line(tmp_path: Path) -> None:
    text = (f'option "operating_currency" "NOK"\nplugin "nhnfin.grants"\ninclude "{ACCOUNTS}"\n'
            f'2024-01-01 custom "nhnfin-grant" "g1"\n{GRANT_LINES}'
            f'2024-02-01 custom "nhnfin-grant" "g1"\n{GRANT_LINES}')
    assert ("bok.beancount", 9, "tilskuddet 'g1' er oppgitt to ganger (første gang på "
            "bok.beancount:4)") in _errors(tmp_path, text)


def test_a_missing_field_is_said_by_pydantics_error_type_with_the_field(tmp_path: Path) -> None:
    lines = GRANT_LINES.replace('  name: "Tilskudd"\n', "")
    text = (f'option "operating_currency" "NOK"\nplugin "nhnfin.grants"\ninclude "{ACCOUNTS}"\n'
            f'2024-01-01 custom "nhnfin-grant" "g1"\n{lines}')
    assert ("bok.beancount", 4, 'custom "nhnfin-grant" "g1": name: feltet mangler') in _errors(
        tmp_path, text)


def test_an_unknown_pipeline_section_is_said_in_norwegian(tmp_path: Path) -> None:
    from nhnfin.pipeline import SECTIONS

    text = ('option "operating_currency" "NOK"\nplugin "nhnfin" "{\'asets\': {}}"\n'
            f'include "{ACCOUNTS}"\n')
    messages = [m for _f, _l, m in _errors(tmp_path, text) if "asets" in m]
    known = ", ".join(SECTIONS)
    assert messages == [f"plugin \"nhnfin\": ukjent seksjon 'asets' (kjente: {known})"]


def test_pydantic_messages_by_type_and_an_unknown_type_falls_back() -> None:
    from nhnfin.errors import validation_problem

    assert validation_problem({"type": "missing", "msg": "Field required"}) == "feltet mangler"
    assert validation_problem({"type": "literal_error", "msg": "...", "ctx": {
        "expected": "'month', 'quarter' or 'year'"}}) == "må være 'month', 'quarter' eller 'year'"
    assert validation_problem({"type": "less_than", "ctx": {"lt": 5}}) == "må være mindre enn 5"
    assert validation_problem({"type": "value_error", "msg": "Value error, slutt er før start"}
                              ) == "slutt er før start"
    assert validation_problem({"type": "url_scheme", "msg": "URL scheme should be"}
                              ) == "verdien er ugyldig"
