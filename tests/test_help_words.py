"""What ``nhnfin --help`` and every command's ``--help`` say is Norwegian bokmål (the guide's
"words for people"): the group's and each command's help, every option's and argument's help,
``--help``'s and ``--version``'s own. The option names (``--year``), the arguments' names
(``LEDGER``) and code in backticks are code names and stay English.

A guard, not a translator: it walks every command the ``nhnfin`` group lists (and the ``extract``
nhnfin puts into beangulp's command line, with its ``identify`` and ``archive``) and fails on the
English function words the help used before it was translated (each failed this test then).
Click's own words around the help ("Bruk:", "[standard: md]") are nhnfin's bokmål too
(``nhnfin.cli.bokmal``), checked in ``tests/test_cli_bokmal.py``.
"""

from __future__ import annotations

import re

import click
import pytest

from nhnfin.cli.imports import _archive
from nhnfin.cli.imports import _identify
from nhnfin.cli.imports import _safe_extract
from nhnfin.cli.main import main

ENGLISH = re.compile(
    r"\b(the|of|and|with|from|in|on|an|or|is|are|not|no|this|that|which|when|if|only|"
    r"its|it|be|by|as|into|instead|despite|default|write|writes|show|file|files|ledger|year|"
    r"report|exit|lock|checks|message|version|entries|statement|output|existing|new|ids|costs?|"
    r"grant|accounts?|address|mode|page|repeatable|required|budget|forecast)\b",
    re.IGNORECASE)
# code names: an option (--year), a metavar or argument (LEDGER, HOST:PORT), a path or file
# pattern (<ledger dir>/close-YYYY.beancount), a directive (nhnfin-published), code in backticks
CODE = re.compile(r"``[^`]*``|`[^`]*`|--[\w-]+|\bnhnfin-[\w-]+|\b[A-Z][A-Z_]+\b|<[^>]*>|"
                  r"[\w.-]*/[\w./<>-]*|\bhttps?://\S+")


def _commands() -> list[tuple[str, click.Command]]:
    """Every command a user can ask ``--help`` of, by its command line: the group itself, each
    command it lists, and beangulp's ``extract``, ``identify`` and ``archive`` as nhnfin gives
    them."""
    ctx = click.Context(main, info_name="nhnfin")
    assert isinstance(main, click.Group)
    listed = [(f"nhnfin {name}", main.get_command(ctx, name)) for name in main.list_commands(ctx)]
    return [("nhnfin", main), *((n, c) for n, c in listed if c is not None),
            ("import.py extract", _safe_extract), ("import.py identify", _identify),
            ("import.py archive", _archive)]


def help_texts(command: click.Command, name: str) -> list[tuple[str, str]]:
    """(where, text) of each help text of ``command``: its own, each parameter's (``--help``'s
    and ``--version``'s too)."""
    ctx = click.Context(command, info_name=name)
    texts = [(name, command.help or ""), (f"{name} (kort)", command.short_help or "")]
    for param in command.get_params(ctx):
        text = getattr(param, "help", None) or ""
        texts.append((f"{name} {param.opts[0] if param.opts else param.name}", text))
    return [(where, text) for where, text in texts if text]


def english_words(text: str) -> list[str]:
    """The English words of ``text`` outside its code names."""
    return ENGLISH.findall(CODE.sub(" ", text))


@pytest.mark.parametrize(("name", "command"), _commands(), ids=[n for n, _ in _commands()])
def test_every_help_text_is_norwegian(name: str, command: click.Command) -> None:
    found = [f"{where}: {text!r} ({', '.join(words)})" for where, text in help_texts(command, name)
             if (words := english_words(text))]
    assert found == []


def test_every_command_and_option_has_help() -> None:
    """A command without help would show nothing, an option without it only its name: each has
    a text for the guard above to read (the ledger and file arguments have none in Click)."""
    missing = [f"{name} {param.opts[0]}" for name, command in _commands()
               for param in command.get_params(click.Context(command, info_name=name))
               if isinstance(param, click.Option) and not param.help]
    assert missing == []
    assert [name for name, command in _commands() if not command.help] == []


def test_the_guard_sees_english_help_and_passes_code_names() -> None:
    assert english_words("Write the new entries to this file (refused if it exists).") == [
        "Write", "the", "new", "entries", "this", "file", "if", "it"]
    assert english_words("Show this message and exit.") == ["Show", "this", "message", "and",
                                                             "exit"]
    assert english_words("Skriv hit (standard: <ledger dir>/close-YYYY.beancount, --as-of, "
                         "`the file`, LEDGER_OR_FILE, nhnfin-published).") == []


def test_help_and_version_speak_norwegian() -> None:
    from click.testing import CliRunner

    runner = CliRunner()
    assert runner.invoke(main, ["--version"]).output.startswith("nhnfin, versjon ")
    shown = runner.invoke(main, ["report", "--help"]).output
    assert "--help                          Vis denne hjelpen og avslutt." in shown
    assert "Regnskapsåret (med året før ved siden av)." in shown
    assert shown.startswith("Bruk: main report [VALG] LEDGER\n")
    assert "Formatet som skrives.  [standard: md]" in shown
