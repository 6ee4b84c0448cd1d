"""Click's own words on the ``nhnfin`` command line are bokmål (:mod:`nhnfin.cli.bokmal`): the
help's headers, the extras after an option's help, the hint after a usage error and every
usage-error message, with Click's exit codes (2 for a usage error, 1 for any other).

The table of Click's messages is walked against the installed Click's source: each of its
``_()``/``ngettext()`` strings is translated or named here as one no nhnfin user sees, so a
Click that adds a message fails :func:`test_every_click_message_is_translated_or_never_shown`.
"""

from __future__ import annotations

import ast
import runpy
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from nhnfin.cli import bokmal
from nhnfin.cli.bokmal import MESSAGES
from nhnfin.cli.bokmal import METAVARS
from nhnfin.cli.bokmal import WORDS
from nhnfin.cli.bokmal import translate
from nhnfin.cli.main import main

REPO = Path(__file__).resolve().parent.parent
CLICK = Path(click.__file__).parent

NOT_SHOWN: dict[str, str] = {
    # nhnfin asks nothing and opens no editor (test_nhnfin_asks_nothing)
    "Repeat for confirmation": "click.prompt",
    "Error: The two entered values do not match.": "click.prompt",
    "Error: invalid input": "click.prompt",
    "Press any key to continue...": "click.pause",
    "Do you want to continue?": "click.confirmation_option",
    "Confirm the action without prompting.": "click.confirmation_option",
    "{editor}: Editing failed": "click.edit",
    "{editor}: Editing failed: {e}": "click.edit",
    "d": "click.progressbar (its time left in days)",
    # nhnfin passes its own text (tests/test_help_words.py reads it)
    "Show this message and exit.": "nhnfin.cli.options.HELP",
    "Show the version and exit.": "the version_option of nhnfin and of ingest",
    "%(prog)s, version %(version)s": "the version_option of nhnfin and of ingest",
    # no command or parameter of nhnfin is deprecated (test_nothing_is_deprecated)
    "deprecated": "a deprecated command's help",
    "DeprecationWarning: The command {name!r} is deprecated.{extra_message}": "deprecated",
    "DeprecationWarning: The {param_type} {name!r} is deprecated.{extra_message}": "deprecated",
    # MissingParameter's str(); Click and nhnfin show its format_message (bokmal._missing)
    "Missing parameter: {param_name}": "str() of MissingParameter",
    # the programmer's errors, raised when a command is declared (every test imports them)
    "Name '{name}' defined twice": "TypeError declaring a command",
    "Boolean option {decl!r} cannot use the same flag for true/false.": "TypeError",
    "Could not determine name for option with declarations {decls!r}": "TypeError",
    "No options defined but a name was passed ({name}). Did you mean to declare an argument "
    "instead? Did you mean to pass '--{name}'?": "TypeError",
    "Arguments take exactly one parameter declaration, got {length}: {decls}.": "TypeError",
    "Invalid start character for option ({option})": "ValueError declaring an option",
    "Unknown color {colour!r}": "ValueError of click.style",
    "Unknown standard stream '{name}'": "TypeError of click.get_text_stream",
    "Choice({choices})": "repr() of a Choice",
    # not nhnfin's: the Windows console, Click's shell completion (which nhnfin does not offer)
    "Windows error: {error}": "Windows console",
    "Shell completion is not supported for Bash versions older than 4.4.": "shell completion",
    "Couldn't detect Bash version, shell completion is not supported.": "shell completion",
}
"""Click's messages no nhnfin user sees, and why."""

COMPUTED = {"extra['required']": "required"}
"""The ``_()`` calls of Click whose message is not a literal, and the message: the help extra
"required" (``extra["required"] = "required"`` in core.py)."""


def click_messages(folder: Path = CLICK) -> tuple[set[str], set[str]]:
    """The literal messages of Click's ``_()`` and ``ngettext()`` calls (in ``folder``), and the
    source of the ``_()`` arguments that are not literals."""
    literal, computed = set(), set()
    for path in sorted(folder.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                    and node.func.id in {"_", "ngettext"}):
                continue
            texts = node.args[:2] if node.func.id == "ngettext" else node.args[:1]
            for text in texts:
                if isinstance(text, ast.Constant) and isinstance(text.value, str):
                    literal.add(text.value)
                else:
                    computed.add(ast.unparse(text))
    return literal, computed


def test_every_click_message_is_translated_or_never_shown() -> None:
    literal, computed = click_messages()
    assert computed == COMPUTED.keys()
    assert '"required"' in (CLICK / "core.py").read_text("utf-8")
    literal |= set(COMPUTED.values())
    assert untranslated(literal) == []
    assert sorted((MESSAGES.keys() | NOT_SHOWN.keys()) - literal) == []  # no stale entry


def untranslated(messages: set[str]) -> list[str]:
    return sorted(messages - MESSAGES.keys() - NOT_SHOWN.keys())


def test_a_new_message_of_click_is_found(tmp_path: Path) -> None:
    """A Click with a message more (in a ``_()`` or ``ngettext()`` call) fails the test above."""
    (tmp_path / "core.py").write_text(
        'from gettext import gettext as _, ngettext\n'
        'x = _("Missing command.") + _("Option {name!r} is new.")\n'
        'y = ngettext("One {n} thing.", "{n} things.", 2)\n', "utf-8")
    literal, computed = click_messages(tmp_path)
    assert (untranslated(literal), computed) == (
        ["One {n} thing.", "Option {name!r} is new.", "{n} things."], set())


def test_each_translation_keeps_the_fields_and_is_not_english() -> None:
    def fields(text: str) -> list[str]:
        return sorted(f.group(1) for f in bokmal._FIELD.finditer(text))

    assert [k for k, v in MESSAGES.items() if fields(k) != fields(v) or k == v] == []


def test_every_type_name_has_bokmal_words() -> None:
    """Each parameter type's name (Click's metavar ``INTEGER RANGE``) has a bokmål metavar, each
    number type a word for "not a valid ...", each kind of path a noun."""
    names = set()
    for node in ast.walk(ast.parse((CLICK / "types.py").read_text("utf-8"))):
        if isinstance(node, ast.ClassDef):
            for item in node.body:
                value = item.value if isinstance(item, (ast.Assign, ast.AnnAssign)) else None
                target = (item.targets[0] if isinstance(item, ast.Assign)
                          else getattr(item, "target", None))
                if (isinstance(target, ast.Name) and target.id == "name"
                        and isinstance(value, ast.Constant)):
                    names.add(value.value)
    assert names - METAVARS.keys() == set()
    numbers = {click.INT.name, click.FLOAT.name, click.IntRange(0, 1).name,
               click.FloatRange(0, 1).name}
    assert numbers == WORDS["number_type"].keys()
    paths = {click.Path(file_okay=f, dir_okay=d).name for f, d in
             ((True, False), (False, True), (True, True))}
    assert paths <= METAVARS.keys()
    assert {name.title() for name in paths} == WORDS["name"].keys()
    kinds = {c.param_type_name for c in (click.Option, click.Argument)}
    assert kinds == {"option", "argument"}


def test_nhnfin_asks_nothing() -> None:
    """The prompts, the editor and the progress bar of Click are never used (their words are
    in ``NOT_SHOWN``)."""
    used = [f"{path}: {word}" for folder in ("nhnfin", "importers", "reports")
            for path in sorted((REPO / folder).rglob("*.py"))
            for word in ("prompt(", "confirm(", "confirmation_option", "password_option",
                         "edit(", "pause(", "progressbar(")
            if f"click.{word}" in path.read_text("utf-8")]
    assert used == []


def _ingest() -> click.Group:
    from nhnfin.cli.imports import ingest

    config = runpy.run_path(str(REPO / "ledger" / "import.py"))["CONFIG"]
    return ingest(config)


def _all_commands() -> list[tuple[str, click.Command]]:
    groups = [("nhnfin", main), ("import.py", _ingest())]
    found: list[tuple[str, click.Command]] = []
    for name, group in groups:
        assert isinstance(group, click.Group)
        ctx = click.Context(group, info_name=name)
        found.append((name, group))
        found.extend((f"{name} {n}", c) for n in group.list_commands(ctx)
                     if (c := group.get_command(ctx, n)) is not None)
    return found


def test_every_command_is_nhnfins_and_nothing_is_deprecated() -> None:
    commands = _all_commands()
    assert [n for n, c in commands if not isinstance(c, bokmal.Command)] == []
    assert [n for n, c in commands if c.deprecated] == []
    assert [f"{n} {p.name}" for n, c in commands
            for p in c.get_params(click.Context(c)) if p.deprecated] == []


CLICK_ENGLISH = ("Usage:", "Options:", "Commands:", "Positional arguments:", "[default:",
                 "[required]", "env var:", "(dynamic)", "[OPTIONS]", "COMMAND [ARGS]")
ENGLISH_METAVARS = {name.upper() for name in METAVARS} - set(METAVARS.values())


@pytest.mark.parametrize(("name", "command"), _all_commands(), ids=[n for n, _ in _all_commands()])
def test_help_has_no_word_of_click_in_english(name: str, command: click.Command) -> None:
    shown = command.get_help(bokmal.Context(command, info_name=name))
    assert shown.startswith(f"Bruk: {name} [VALG]")
    assert [word for word in CLICK_ENGLISH if word in shown] == []
    ctx = bokmal.Context(command, info_name=name)
    shown_metavars = {p.make_metavar(ctx).removesuffix("...") for p in command.get_params(ctx)
                      if isinstance(p, click.Option) and not p.is_flag and not p.count}
    assert shown_metavars & ENGLISH_METAVARS == set()


def _run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit)
    return result.exit_code, result.stdout, result.stderr


def test_help_headers() -> None:
    code, out, _err = _run("--help")
    assert code == 0
    assert out.startswith("Bruk: main [VALG] KOMMANDO [ARGUMENTER]...\n\n  nhnfin: årsregnskapet ")
    assert "\nValg:\n  --version  Vis versjonen og avslutt.\n" in out
    assert "\nKommandoer:\n  close " in out


def test_help_shows_a_default_in_bokmal() -> None:
    code, out, _err = _run("report", "--help")
    assert code == 0
    assert "Formatet som skrives.  [standard: md]\n" in out
    assert "  --year HELTALL " in out
    assert "  --output FIL " in out
    code, out, _err = _run("fava", "--help")
    assert "Adressen Fava lytter på.  [standard: 127.0.0.1]\n" in out


REPORT_USAGE = "Bruk: main report [VALG] LEDGER\nPrøv 'main report --help' for hjelp.\n\n"


@pytest.mark.parametrize(("args", "message"), [
    (("report", "l.beancount", "--yaer", "2024"), "Ukjent valg '--yaer'. Mente du '--year'?"),
    (("report", "l.beancount", "--zzz"), "Ukjent valg '--zzz'."),
    (("report", "l.beancount", "--pub", "p.json"),
     "Ukjent valg '--pub'. (Mente du en av: '--output', '--published'?)"),
    (("report",), "Mangler argumentet 'LEDGER'."),
    (("report", "l.beancount", "--year", "abc"),
     "Ugyldig verdi for '--year': 'abc' er ikke et gyldig heltall."),
    (("report", "l.beancount", "--year", "0"),
     "Ugyldig verdi for '--year': 0 er ikke i intervallet 1<=x<=9998."),
    (("report", "l.beancount", "--year", "2024", "--published", "nope.json"),
     "Ugyldig verdi for '--published': Filen 'nope.json' finnes ikke."),
    (("report", "l.beancount", "--format", "odt"),
     "Ugyldig verdi for '--format': 'odt' er ikke en av 'md', 'html', 'csv', 'xlsx', 'json', "
     "'docx', 'pdf'."),
    (("report", "l.beancount", "other.beancount", "--year", "2024"),
     "Uventet ekstra argument (other.beancount)"),
])
def test_a_usage_error_in_bokmal(args: tuple[str, ...], message: str) -> None:
    assert _run(*args) == (2, "", f"{REPORT_USAGE}Feil: {message}\n")


def test_a_date_that_is_no_date_is_one_line_in_bokmal() -> None:
    """``--as-of`` takes nhnfin's own date type (cli/options.DAY): its one line, exit 2."""
    assert _run("report", "l.beancount", "--as-of", "31.12.2024") == (
        2, "", "Feil: --as-of: «31.12.2024» er ikke en dato; skriv den ÅÅÅÅ-MM-DD, f.eks. "
               "2025-01-15\n")


def test_an_option_without_its_value() -> None:
    """Click gives this error no context, so no usage line (as Click)."""
    assert _run("report", "l.beancount", "--year") == (
        2, "", "Feil: Valget '--year' krever en verdi.\n")


def test_an_unknown_command() -> None:
    assert _run("repot") == (2, "", "Bruk: main [VALG] KOMMANDO [ARGUMENTER]...\n"
                             "Prøv 'main --help' for hjelp.\n\n"
                             "Feil: Ukjent kommando 'repot'. Mente du 'report'?\n")


def test_a_missing_option_and_a_missing_file(tmp_path: Path) -> None:
    ledger = tmp_path / "l.beancount"
    ledger.write_text("", "utf-8")
    usage = "Bruk: main saft [VALG] LEDGER\nPrøv 'main saft --help' for hjelp.\n\n"
    assert _run("saft", str(ledger), "--output", str(tmp_path / "s.xml")) == (
        2, "", f"{usage}Feil: Mangler valget '--year'.\n")
    assert _run("saft", str(tmp_path / "nope.beancount"), "--year", "2024", "-o", "s.xml") == (
        2, "", f"{usage}Feil: Ugyldig verdi for 'LEDGER': Filen "
        f"'{tmp_path / 'nope.beancount'}' finnes ikke.\n")


def test_an_error_of_nhnfin_exits_1_in_bokmal(tmp_path: Path) -> None:
    missing = tmp_path / "nope.beancount"
    assert _run("report", str(missing), "--year", "2024") == (
        1, "", f"Feil: {missing}: regnskapsfilen finnes ikke\n")


def test_no_command_shows_the_help_and_exits_2() -> None:
    code, out, err = _run()
    assert (code, out) == (2, "")
    assert err.startswith("Bruk: main [VALG] KOMMANDO [ARGUMENTER]...\n")


def test_an_abort_in_bokmal() -> None:
    @click.command(cls=bokmal.Command)
    def stop() -> None:
        raise click.Abort

    result = CliRunner().invoke(stop, [])
    assert (result.exit_code, result.stderr) == (1, "Avbrutt!\n")


def test_ctx_exit_keeps_its_code_and_a_returned_value_is_no_code() -> None:
    @click.command(cls=bokmal.Command)
    @click.pass_context
    def leave(ctx: click.Context) -> None:
        ctx.exit(3)

    @click.command(cls=bokmal.Command)
    def answer() -> int:
        return 5

    assert CliRunner().invoke(leave, []).exit_code == 3
    assert CliRunner().invoke(answer, []).exit_code == 0


def test_ingest_speaks_bokmal() -> None:
    result = CliRunner().invoke(_ingest(), ["identify", "/nonexistent/folder"],
                                prog_name="import.py")
    assert (result.exit_code, result.stderr) == (
        2, "Bruk: import.py identify [VALG] [SRC]...\n"
        "Prøv 'import.py identify --help' for hjelp.\n\n"
        "Feil: Ugyldig verdi for '[SRC]...': Stien '/nonexistent/folder' finnes ikke.\n")
    shown = CliRunner().invoke(_ingest(), ["--help"], prog_name="import.py").stdout
    assert "\nKommandoer:\n  archive " in shown


def test_ingest_runs_beangulps_commands_with_their_parameters() -> None:
    """nhnfin's ``identify`` and ``archive`` pass beangulp's every parameter, by its name."""
    import beangulp

    from nhnfin.cli import imports

    for ours, theirs in ((imports._identify, beangulp._identify),
                         (imports._archive, beangulp._archive)):
        def names(command: click.Command) -> list[str | None]:
            return sorted(p.name for p in command.params if p.name != "help")

        assert names(ours) == names(theirs)


def test_translate_reads_nested_messages_and_leaves_others() -> None:
    assert translate("Invalid value for '--x': 'a' is not a valid float range.") == (
        "Ugyldig verdi for '--x': 'a' er ikke et gyldig desimaltall.")
    assert translate("Directory 'd' is not writable.") == "Mappen 'd' kan ikke skrives."
    assert translate("'x' is not 'md'.") == "'x' er ikke 'md'."
    assert translate("Got unexpected extra arguments (File Path)") == (
        "Uventede ekstra argumenter (File Path)")  # a user's words are not translated
    assert translate("regnskapet har ingen posteringer i 2030") == (
        "regnskapet har ingen posteringer i 2030")


def test_a_missing_choice_names_the_choices() -> None:
    @click.command(cls=bokmal.Command)
    @click.option("--kind", type=click.Choice(["a", "b"]), required=True, help="Slag.")
    def pick(kind: str) -> None:
        del kind

    result = CliRunner().invoke(pick, [], prog_name="pick")
    assert result.stderr.endswith("Feil: Mangler valget '--kind'. Velg blant:\n\ta,\n\tb\n")
    assert result.exit_code == 2
