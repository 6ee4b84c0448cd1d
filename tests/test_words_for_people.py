"""What a command says to a controller is Norwegian bokmål (the guide's "words for people"):
every message the CLI raises or prints, and the refusals of nhnfin.files, which the CLI passes on.

A guard, not a translator: it reads the string literals of the calls that speak to the reader
(``click.ClickException``, ``click.UsageError``, ``click.BadParameter``, ``click.echo``,
``WriteRefused``, ``SkeletonError``, ``ReportError``, ``stage``) and fails on the English words
those messages used before they were translated (each failed this test then).
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# the call and the position of its message: an error record's message follows its source
SPEAKING = {"ClickException": 0, "UsageError": 0, "BadParameter": 0, "echo": 0,
            "WriteRefused": 0, "SkeletonError": 0, "ReportError": 0, "stage": 0,
            "PeriodLockError": 1, "NhnfinError": 1}
ENGLISH = re.compile(
    r"\b(the|is|not|no|cannot|refusing|exists|written|error|needs|expected|give|loading|"
    r"building|disagree|must|unknown|choose|which|file|folder|entries|found)\b", re.IGNORECASE)
# the period lock builds its messages in functions that return them: their returned text too
LOCK = [ROOT / "nhnfin" / "close" / "period_lock.py", ROOT / "nhnfin" / "lock_guard.py"]
SOURCES = [*sorted((ROOT / "nhnfin" / "cli").glob("*.py")), ROOT / "nhnfin" / "files.py",
           ROOT / "nhnfin" / "report.py", *LOCK]


def _name(call: ast.Call) -> str:
    func = call.func
    return func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")


def _words(node: ast.AST) -> list[str]:
    """The literal text of a message: its constants and an f-string's constant parts."""
    return [n.value for n in ast.walk(node) if isinstance(n, ast.Constant)
            and isinstance(n.value, str)]


def _messages(tree: ast.AST, returned: bool) -> list[tuple[int, ast.AST]]:
    """(line, node) of each message: a speaking call's, and (``returned``) a returned value."""
    found: list[tuple[int, ast.AST]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and _name(node) in SPEAKING:
            at = SPEAKING[_name(node)]
            if len(node.args) > at:
                found.append((node.lineno, node.args[at]))
        elif returned and isinstance(node, ast.Return) and node.value is not None:
            found.append((node.lineno, node.value))
    return found


def english_messages(path: Path, *, returned: bool = False) -> list[tuple[int, str]]:
    """(line, text) of each message's literal that holds an English word."""
    found = []
    for line, node in _messages(ast.parse(path.read_text("utf-8")), returned):
        for text in _words(node):
            # option names and Beancount's own directive words are not English prose
            prose = re.sub(r"--[\w-]+|nhnfin-[\w-]+|custom|Beancount", "", text)
            if ENGLISH.search(prose):
                found.append((line, text))
    return found


def test_what_commands_say_is_norwegian() -> None:
    assert [f"{path.relative_to(ROOT)}:{line}: {text!r}" for path in SOURCES
            for line, text in english_messages(path, returned=path in LOCK)] == []


def test_the_guard_sees_an_english_message(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text('import click\n'
                      'raise click.ClickException(f"{x}: no such ledger file")\n'
                      'raise click.ClickException(f"{x}: regnskapsfilen finnes ikke")\n'
                      'click.echo("--year krever --output (custom nhnfin-grant)")\n')
    assert english_messages(sample) == [(2, ": no such ledger file")]
