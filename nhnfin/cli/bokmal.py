"""Click's own words in bokmål, for the ``nhnfin`` command line only.

Click writes its help headers ("Usage:", "Options:"), the extras after an option's help
("[default: md]"), the hint after a usage error and every usage-error message in English through
:func:`gettext.gettext`. A translation installed for the process would reach Fava and beangulp
too, which share it, so nothing is installed: nhnfin's commands are :class:`Command` and
:class:`Group`, whose help is written by :class:`HelpFormatter` and whose errors are shown by
:meth:`Command.main` in bokmål. The message a Click exception carries is translated by
:data:`MESSAGES`, a table from Click's message templates (the ``_()`` and ``ngettext()`` strings
of Click's source) to bokmål; ``tests/test_cli_bokmal.py`` walks Click's source against it, so a
Click that adds a message fails the test until the message is translated here.

Light: only :mod:`click`, so ``nhnfin --version`` imports nothing more through it.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Sequence
from typing import Any

import click

MESSAGES: dict[str, str] = {
    # exceptions.py
    "Error: {message}": "Feil: {message}",
    "Try '{command} {option}' for help.": "Prøv '{command} {option}' for hjelp.",
    "Invalid value: {message}": "Ugyldig verdi: {message}",
    "Invalid value for {param_hint}: {message}": "Ugyldig verdi for {param_hint}: {message}",
    "Missing argument": "Mangler argumentet",
    "Missing option": "Mangler valget",
    "Missing parameter": "Mangler parameteren",
    "Missing {param_type}": "Mangler {param_type}",
    "No such option {name!r}.": "Ukjent valg {name!r}.",
    "No such command {name!r}.": "Ukjent kommando {name!r}.",
    "Did you mean {possibility}?": "Mente du {possibility}?",
    "(Did you mean one of: {possibilities}?)": "(Mente du en av: {possibilities}?)",
    "unknown error": "ukjent feil",
    "Could not open file {filename!r}: {message}": "Kunne ikke åpne filen {filename!r}: {message}",
    # core.py
    "Aborted!": "Avbrutt!",
    "Missing command.": "Mangler kommando.",
    "Got unexpected extra argument ({args})": "Uventet ekstra argument ({args})",
    "Got unexpected extra arguments ({args})": "Uventede ekstra argumenter ({args})",
    "Value must be an iterable.": "Verdien må være en liste av verdier.",
    "Takes {nargs} values but 1 was given.": "Tar {nargs} verdier, men 1 ble gitt.",
    "Takes {nargs} values but {len} were given.": "Tar {nargs} verdier, men {len} ble gitt.",
    "Options": "Valg",
    "Positional arguments": "Argumenter",
    "Commands": "Kommandoer",
    "env var: {var}": "miljøvariabel: {var}",
    "default: {default}": "standard: {default}",
    "required": "påkrevd",
    "(dynamic)": "(dynamisk)",
    # parser.py
    "Option {name!r} does not take a value.": "Valget {name!r} tar ingen verdi.",
    "Option {name!r} requires an argument.": "Valget {name!r} krever en verdi.",
    "Option {name!r} requires {nargs} arguments.": "Valget {name!r} krever {nargs} verdier.",
    "Argument {name!r} takes {nargs} values.": "Argumentet {name!r} tar {nargs} verdier.",
    # formatting.py
    "Usage:": "Bruk:",
    # types.py
    "Choose from:\n\t{choices}": "Velg blant:\n\t{choices}",
    "{value!r} is not {choice}.": "{value!r} er ikke {choice}.",
    "{value!r} is not one of {choices}.": "{value!r} er ikke en av {choices}.",
    "{value!r} does not match the format {format}.":
        "{value!r} passer ikke med formatet {format}.",
    "{value!r} does not match the formats {formats}.":
        "{value!r} passer ikke med noen av formatene {formats}.",
    "{value!r} is not a valid {number_type}.": "{value!r} er ikke et gyldig {number_type}.",
    "{value} is not in the range {range}.": "{value} er ikke i intervallet {range}.",
    "{value!r} is not a valid boolean. Recognized values: {states}":
        "{value!r} er ikke en gyldig sannhetsverdi. Gyldige verdier: {states}",
    "{value!r} is not a valid UUID.": "{value!r} er ikke en gyldig UUID.",
    "{len_type} values are required, but {len_value} was given.":
        "{len_type} verdier kreves, men {len_value} ble gitt.",
    "{len_type} values are required, but {len_value} were given.":
        "{len_type} verdier kreves, men {len_value} ble gitt.",
    "file": "fil",
    "directory": "mappe",
    "path": "sti",
    "{name} {filename!r} does not exist.": "{name} {filename!r} finnes ikke.",
    "{name} {filename!r} is a file.": "{name} {filename!r} er en fil.",
    "{name} {filename!r} is a directory.": "{name} {filename!r} er en mappe.",
    "{name} {filename!r} is not readable.": "{name} {filename!r} kan ikke leses.",
    "{name} {filename!r} is not writable.": "{name} {filename!r} kan ikke skrives.",
    "{name} {filename!r} is not executable.": "{name} {filename!r} kan ikke kjøres.",
}
"""Click's message templates (its ``_()``/``ngettext()`` strings) in bokmål, with the same
fields; what Click writes that no nhnfin user sees is in ``NOT_SHOWN`` of the test."""

WORDS: dict[str, dict[str, str]] = {
    # "{value!r} is not a valid {number_type}.": the number type's name (types.py)
    "number_type": {"integer": "heltall", "integer range": "heltall", "float": "desimaltall",
                    "float range": "desimaltall"},
    # "{name} {filename!r} does not exist.": a Path's name, title-cased (types.py)
    "name": {"File": "Filen", "Directory": "Mappen", "Path": "Stien"},
}
"""The words Click puts into a field of a message (without ``!r``), in bokmål."""

METAVARS: dict[str, str] = {
    "text": "TEKST", "integer": "HELTALL", "integer range": "HELTALL", "float": "DESIMALTALL",
    "float range": "DESIMALTALL", "boolean": "JA/NEI", "uuid": "UUID", "filename": "FILNAVN",
    "file": "FIL", "directory": "MAPPE", "path": "STI", "choice": "VALG", "datetime": "DATO",
}
"""The placeholder an option's help shows for its value (Click's: its type's name in capitals,
``--year INTEGER RANGE``), by the type's name."""

OPTIONS_METAVAR = "[VALG]"
SUBCOMMAND_METAVAR = "KOMMANDO [ARGUMENTER]..."
"""Click's ``[OPTIONS]`` and ``COMMAND [ARGS]...`` in the usage line."""

_FIELD = re.compile(r"\{(\w+)(![rsa])?\}")


def _pattern(template: str) -> re.Pattern[str]:
    """A regular expression matching what ``template`` formats to, a group per field."""
    parts, seen, position = [], set(), 0
    for field in _FIELD.finditer(template):
        parts.append(re.escape(template[position:field.start()]))
        name = field.group(1)
        parts.append(f"(?P={name})" if name in seen else f"(?P<{name}>.+?)")
        seen.add(name)
        position = field.end()
    parts.append(re.escape(template[position:]))
    return re.compile("".join(parts), re.DOTALL)


_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (_pattern(english), bokmal)
    for english, bokmal in sorted(MESSAGES.items(), key=lambda item: -len(_FIELD.sub("", item[0])))
)
"""The templates with the longest fixed text first: "'x' is not a valid integer." is the number
message, not "{value!r} is not {choice}." with the choice "a valid integer"."""


def _filled(template: str, values: dict[str, str]) -> str:
    """``template`` with each field the text Click put there (a word of :data:`WORDS` in
    bokmål)."""
    def value(field: re.Match[str]) -> str:
        name, conversion = field.group(1), field.group(2)
        text = values[name]
        return text if conversion else WORDS.get(name, {}).get(text, text)

    return _FIELD.sub(value, template)


def translate(message: str) -> str:
    """``message`` in bokmål if it is one of Click's (:data:`MESSAGES`), nested messages too
    ("Invalid value for '--year': 'x' is not a valid integer range."); any other message (nhnfin's
    own are bokmål already) as it is."""
    for pattern, bokmal in _PATTERNS:
        found = pattern.fullmatch(message)
        if found is not None:
            values = {name: translate(text) if name == "message" else text
                      for name, text in found.groupdict().items()}
            return _filled(bokmal, values)
    return message


def _hint(exc: click.BadParameter) -> str | None:
    """The parameter a bad value was given to, as Click names it (``'--year'``, ``'LEDGER'``)."""
    hint: Sequence[str] | str | None = exc.param_hint
    if hint is None and exc.param is not None:
        hint = exc.param.get_error_hint(exc.ctx)
    if hint is None or isinstance(hint, str):
        return hint
    return " / ".join(repr(item) for item in hint)


def _missing(exc: click.MissingParameter) -> str:
    """Click's "Missing argument 'LEDGER'." and its kin in bokmål."""
    hint = _hint(exc)
    param_type = exc.param_type
    if param_type is None and exc.param is not None:
        param_type = exc.param.param_type_name
    text = translate(exc.message) if exc.message else ""
    if exc.param is not None:
        extra = exc.param.type.get_missing_message(param=exc.param, ctx=exc.ctx)
        if extra:
            text = f"{text}. {translate(extra)}" if text else translate(extra)
    missing = {"argument": MESSAGES["Missing argument"], "option": MESSAGES["Missing option"],
               "parameter": MESSAGES["Missing parameter"]}.get(
        param_type or "", _filled(MESSAGES["Missing {param_type}"],
                                  {"param_type": str(param_type)}))
    return f"{missing}{f' {hint}' if hint else ''}.{f' {text}' if text else ''}"


def _possibilities(names: Sequence[str]) -> str:
    """Click's "Did you mean '--year'?" in bokmål."""
    shown = ", ".join(repr(name) for name in sorted(names))
    if len(names) == 1:
        return _filled(MESSAGES["Did you mean {possibility}?"], {"possibility": shown})
    return _filled(MESSAGES["(Did you mean one of: {possibilities}?)"],
                   {"possibilities": shown})


def error_message(exc: click.ClickException) -> str:
    """What ``exc`` says, in bokmål: Click's own messages by :data:`MESSAGES`, nhnfin's as
    they are."""
    if isinstance(exc, click.MissingParameter):
        return _missing(exc)
    if isinstance(exc, click.BadParameter):
        hint = _hint(exc)
        if hint is None:
            return _filled(MESSAGES["Invalid value: {message}"],
                           {"message": translate(exc.message)})
        return _filled(MESSAGES["Invalid value for {param_hint}: {message}"],
                       {"param_hint": hint, "message": translate(exc.message)})
    if isinstance(exc, click.FileError):
        return _filled(MESSAGES["Could not open file {filename!r}: {message}"],
                       {"filename": repr(exc.ui_filename), "message": translate(exc.message)})
    possibilities: Sequence[str] | None = getattr(exc, "possibilities", None)
    if possibilities:  # NoSuchOption, NoSuchCommand
        return f"{translate(exc.message)} {_possibilities(possibilities)}"
    return translate(exc.format_message())


def _help_names(ctx: click.Context) -> list[str]:
    """The names of the command's help option: Click's own or one the command declares
    (nhnfin's ``HELP``, which Click's hint does not see)."""
    return [name for name in ctx.help_option_names
            if any(name in param.opts for param in ctx.command.get_params(ctx))]


def show(exc: click.ClickException) -> None:
    """``exc`` on stderr as Click shows it, in bokmål: a usage error after the command's usage
    line and the hint to ``--help``."""
    if isinstance(exc, click.exceptions.NoArgsIsHelpError):
        click.echo(exc.format_message(), err=True, color=exc.ctx.color)
        return
    color = exc.show_color
    if isinstance(exc, click.UsageError) and exc.ctx is not None:
        ctx, color = exc.ctx, exc.ctx.color
        hint = ""
        names = _help_names(ctx)
        if names:
            hint = _filled(MESSAGES["Try '{command} {option}' for help."],
                           {"command": ctx.command_path, "option": max(names, key=len)}) + "\n"
        formatter = HelpFormatter(width=ctx.terminal_width, max_width=ctx.max_content_width)
        ctx.command.format_usage(ctx, formatter)
        click.echo(f"{formatter.getvalue().rstrip(chr(10))}\n{hint}", err=True, color=color)
    # the table's key is Click's English; what is echoed is its bokmål
    shown = _filled(MESSAGES["Error: {message}"], {"message": error_message(exc)})
    click.echo(shown, err=True, color=color)


class HelpFormatter(click.HelpFormatter):
    """Click's help layout with its words in bokmål: "Bruk:", "Valg:", "Kommandoer:"."""

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        super().write_usage(prog, args, f"{MESSAGES['Usage:']} " if prefix is None else prefix)

    def write_heading(self, heading: str) -> None:
        super().write_heading(MESSAGES.get(heading, heading))


class Context(click.Context):
    """A context whose help is written by :class:`HelpFormatter`."""

    formatter_class = HelpFormatter


def _option_help(option: click.Option, ctx: click.Context) -> tuple[str, str] | None:
    """``option``'s row in the help: Click's, with its extras ("[default: md]") in bokmål."""
    record = option.get_help_record(ctx)
    if record is None:
        return None
    extra = option.get_help_extra(ctx)
    items = []
    if "envvars" in extra:
        items.append(_filled(MESSAGES["env var: {var}"], {"var": ", ".join(extra["envvars"])}))
    if "default" in extra:
        default = extra["default"]
        items.append(_filled(MESSAGES["default: {default}"],
                             {"default": MESSAGES.get(default, default)
                              if default == "(dynamic)" else default}))
    if "range" in extra:
        items.append(extra["range"])
    if "required" in extra:
        items.append(MESSAGES[extra["required"]])
    text = option.help or ""
    if items:
        text = f"{text}  [{'; '.join(items)}]" if text else f"[{'; '.join(items)}]"
    return record[0], text


def _name_metavar(param: click.Parameter) -> bool:
    """True if Click shows ``param``'s value as its type's name (``TEXT``, ``INTEGER RANGE``),
    not as the type writes it (a choice's ``[md|html]``)."""
    return (isinstance(param, click.Option) and param.metavar is None and not param.is_flag
            and not param.count
            and type(param.type).get_metavar is click.ParamType.get_metavar
            and param.type.name in METAVARS)


class Command(click.Command):
    """An nhnfin command: its help and its errors in bokmål (see the module)."""

    context_class = Context

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("options_metavar", OPTIONS_METAVAR)
        super().__init__(*args, **kwargs)
        for param in self.params:
            if _name_metavar(param):
                param.metavar = METAVARS[param.type.name] + ("..." if param.nargs != 1 else "")

    def format_options(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = [row for param in self.get_params(ctx) if isinstance(param, click.Option)
                if (row := _option_help(param, ctx)) is not None]
        if rows:
            with formatter.section(MESSAGES["Options"]):
                formatter.write_dl(rows)

    def main(self, args: Sequence[str] | None = None, prog_name: str | None = None,
             complete_var: str | None = None, standalone_mode: bool = True,
             windows_expand_args: bool = True, **extra: Any) -> Any:
        """Click's ``main``; in standalone mode (a command line) its errors are shown in bokmål
        (:func:`show`), exit code 2 for a usage error, 1 for any other and for an abort."""
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, False,
                                windows_expand_args=windows_expand_args,
                                **extra)
        try:
            code = super().main(args, prog_name, complete_var, False,
                                windows_expand_args=windows_expand_args,
                                **extra)
        except click.ClickException as exc:
            show(exc)
            sys.exit(exc.exit_code)
        except click.Abort:
            click.echo(MESSAGES["Aborted!"], err=True)
            sys.exit(1)
        sys.exit(code if isinstance(code, int) else 0)

    def invoke(self, ctx: click.Context) -> None:
        """The command run; nothing returned, so :meth:`main` returns only an exit code (Click's
        ``ctx.exit(code)``)."""
        super().invoke(ctx)


class Group(click.Group, Command):
    """An nhnfin group: its commands are :class:`Command`, its help and errors bokmål."""

    command_class = Command

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("subcommand_metavar", SUBCOMMAND_METAVAR)
        super().__init__(*args, **kwargs)

