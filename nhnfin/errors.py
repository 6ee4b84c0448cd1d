"""Error records in Beancount's shape: ``(source, message, entry)``.

``source`` is the metadata of the directive at fault (its ``filename`` and ``lineno``), so
bean-check, Emacs and Fava show the error at that line. Plugins return these; they never raise
for bad input.
"""

from __future__ import annotations

import datetime
import functools
import re
from bisect import bisect_right
from collections.abc import Callable
from collections.abc import Iterable
from collections.abc import Mapping
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from typing import NamedTuple
from typing import TypeVar

from beancount.core import data

Plugin = TypeVar("Plugin", bound=Callable[..., tuple[list[Any], list[Any]]])


class NhnfinError(NamedTuple):
    """A problem in the ledger found by nhnfin, located at ``source`` (a directive's meta)."""

    source: dict[str, Any]
    message: str
    entry: Any


def error_key(error: Any) -> tuple[Any, Any, str]:
    """What makes two errors one: the same message at the same file and line (an error several
    steps, or the load and the report, both meet is said once)."""
    source = error.source or {}
    return source.get("filename"), source.get("lineno"), str(error.message)


def pseudo_source(name: str) -> dict[str, Any]:
    """Meta for an error with no directive to point at (``<nhnfin.NAME>``, line 0)."""
    return data.new_metadata(f"<nhnfin.{name}>", 0)


def location(meta: dict[str, Any] | None) -> str:
    """``file:line`` of a directive's meta, for messages and provenance keys."""
    if not meta:
        return "<unknown>"
    return f"{meta.get('filename', '<unknown>')}:{meta.get('lineno', 0)}"


def printable(error: Any) -> Any:
    """``error`` as Beancount's printer can print it: a ``custom`` directive written without
    values (``custom "nhnfin-layout"``) is parsed with ``values`` None, and Beancount's
    ``printer.format_error`` raises on such an entry, so bean-check, Fava's error page and
    ``nhnfin report`` would show a traceback instead of the error. It is given an empty list."""
    entry = getattr(error, "entry", None)
    if isinstance(entry, data.Custom) and entry.values is None and hasattr(error, "_replace"):
        return error._replace(entry=entry._replace(values=[]))
    return error


def format_error(error: Any) -> str:
    """``file:line: message`` and the entry at fault, as Beancount prints a load error."""
    from beancount.parser import printer

    return str(printer.format_error(printable(error))).strip()


def printable_errors(plugin: Plugin) -> Plugin:
    """The Beancount plugin ``plugin`` with each error it returns :func:`printable`."""

    @functools.wraps(plugin)
    def wrapped(*args: Any, **kwargs: Any) -> tuple[list[Any], list[Any]]:
        entries, errors = plugin(*args, **kwargs)
        return entries, [printable(e) for e in errors]

    return wrapped  # type: ignore[return-value]


class ReportError(Exception):
    """The report cannot be built (the message says why and where)."""


# ---- words: what the ledger's error list says, in Norwegian bokmål ----------------------------

#: pydantic's validation messages by error ``type``, said in Norwegian (``{...}`` from its ctx)
VALIDATION_WORDS = {
    "missing": "feltet mangler",
    "extra_forbidden": "ukjent felt (det er ikke tillatt her)",
    "decimal_parsing": "må være et desimaltall",
    "decimal_type": "må være et desimaltall",
    "decimal_max_digits": "kan ha høyst {max_digits} sifre",
    "decimal_max_places": "kan ha høyst {decimal_places} desimaler",
    "decimal_whole_digits": "kan ha høyst {whole_digits} sifre foran desimaltegnet",
    "finite_number": "må være et endelig tall",
    "int_parsing": "må være et heltall",
    "int_type": "må være et heltall",
    "int_from_float": "må være et heltall",
    "float_parsing": "må være et tall",
    "float_type": "må være et tall",
    "string_type": "må være en tekst",
    "string_too_short": "må ha minst {min_length} tegn",
    "string_too_long": "kan ha høyst {max_length} tegn",
    "string_pattern_mismatch": "må følge mønsteret '{pattern}'",
    "bool_parsing": "må være sann eller usann (TRUE eller FALSE)",
    "bool_type": "må være sann eller usann (TRUE eller FALSE)",
    "date_type": "må være en dato (ÅÅÅÅ-MM-DD)",
    "date_parsing": "må være en dato (ÅÅÅÅ-MM-DD)",
    "date_from_datetime_parsing": "må være en dato (ÅÅÅÅ-MM-DD)",
    "date_from_datetime_inexact": "må være en dato uten klokkeslett",
    "literal_error": "må være {expected}",
    "enum": "må være {expected}",
    "greater_than": "må være større enn {gt}",
    "greater_than_equal": "må være minst {ge}",
    "less_than": "må være mindre enn {lt}",
    "less_than_equal": "kan være høyst {le}",
    "too_short": "må ha minst {min_length} element",
    "too_long": "kan ha høyst {max_length} element",
    "list_type": "må være en liste",
    "tuple_type": "må være en liste",
    "set_type": "må være en liste",
    "dict_type": "må være en tabell (nøkler med verdier)",
    "model_type": "må være en tabell (nøkler med verdier)",
    "model_attributes_type": "må være en tabell (nøkler med verdier)",
    "frozen_instance": "kan ikke endres",
    "invalid_key": "nøklene må være tekster",
    "is_instance_of": "har feil type",
    "none_required": "skal ikke ha noen verdi",
    "multiple_of": "må være et multiplum av {multiple_of}",
    "datetime_type": "må være et tidspunkt",
    "datetime_parsing": "må være et tidspunkt",
}


def validation_problem(err: Mapping[str, Any]) -> str:
    """One of pydantic's errors (``ValidationError.errors()``) as a Norwegian sentence; a
    validator's own message (``value_error``, written in Norwegian) is kept as it is."""
    kind = str(err.get("type", ""))
    if kind in ("value_error", "assertion_error"):
        return str(err.get("msg", "")).removeprefix("Value error, ").removeprefix(
            "Assertion failed, ")
    words = VALIDATION_WORDS.get(kind)
    if words is None:
        return "verdien er ugyldig"
    context = {k: str(v).replace(" or ", " eller ") for k, v in (err.get("ctx") or {}).items()}
    try:
        return words.format(**context)
    except (KeyError, IndexError):
        return words.split(" {")[0]


def validation_problems(exc: Any, prefix: str = "") -> str:
    """A pydantic ``ValidationError`` as one line, ``field: problem; field: problem`` (each
    field's location kept, ``prefix`` before it), in Norwegian (:func:`validation_problem`)."""
    parts = []
    for err in exc.errors():
        where = ".".join(str(p) for p in err["loc"])
        where = f"{prefix}{where}" if where else prefix.rstrip(": ")
        message = validation_problem(err)
        parts.append(f"{where}: {message}" if where else message)
    return "; ".join(parts)


def declared_twice(what: str, name: Any, first: dict[str, Any] | None = None) -> str:
    """``what`` ``name`` is declared on a second directive (grants, e-health, assets), with the
    first declaration's file:line when its meta ``first`` is given (round twelve's probe: "første
    gang på linje 32" named no file, the first was in another one; grants and e-health named
    none)."""
    where = f" (første gang på {location(first)})" if first is not None else ""
    return f"{what} {name!r} er oppgitt to ganger{where}"


def meta_date(value: Any) -> Any:
    """A pydantic before-validator for a date written in a directive's metadata: Beancount gives
    a ``datetime.date``; anything else is refused (round 13's probe: pydantic's lax mode took a
    text ``"2025-03-01"`` and a Unix time ``1740787200`` as dates without a word). None passes
    (an optional field's default)."""
    if value is None or (isinstance(value, datetime.date)
                         and not isinstance(value, datetime.datetime)):
        return value
    raise ValueError(f"må være en dato (ÅÅÅÅ-MM-DD), men er {as_written(value)}")


def meta_whole(value: Any) -> Any:
    """A pydantic before-validator for a whole number written in metadata (``months: 60``, a
    Decimal to Beancount): ``TRUE`` (taken as 1 before) and a text (``"12"``) are refused; a
    fraction is left to the int field to refuse."""
    if value is None or (isinstance(value, (int, Decimal)) and not isinstance(value, bool)):
        return value
    raise ValueError(f"må være et heltall, men er {as_written(value)}")


def not_an_amount(what: str, value: Any) -> str:
    """``what`` should be written as an amount in NOK and is not."""
    return f"{what} må være et beløp i NOK (f.eks. 1000.00 NOK), men er {as_written(value)}"


def as_written(value: Any) -> str:
    """A directive's value as the ledger writes it, for an error that quotes it: a number
    ``-20``, an amount ``5.00 USD``, a date ``2025-01-01``, ``TRUE``, a text ``'Fixtures'``
    (round twelve's probe: a negative key share was quoted as Python writes it,
    ``Decimal('-20')``, and a date as ``datetime.date(2025, 1, 1)``)."""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, datetime.date):
        return value.isoformat()
    number, currency = getattr(value, "number", None), getattr(value, "currency", None)
    if isinstance(number, Decimal) and isinstance(currency, str):  # a Beancount Amount
        return f"{format(number, 'f')} {currency}"
    return repr(value)


def given_twice(what: str) -> str:
    """A key, an option or a value given twice where one counts."""
    return f"{what} er oppgitt to ganger"


#: Why a metadata line may not give a field the directive's own values or date give (the
#: rules' directive parsers: :func:`fields_in_meta`)
DATE_FROM_DIRECTIVE = "datoen er direktivets dato"
META_OF_NHNFIN = "navnet brukes av nhnfin selv"


def fields_in_meta(keys: Iterable[str], fields: Mapping[str, str]) -> list[str]:
    """One problem per metadata key of ``keys`` that names a field the directive's values or
    date give (``fields``: the field and why): read as a field it would silently replace the
    directive's own value, or be dropped (a ``date:`` on a 2025 award moved it into 2024)."""
    return [f"{k}: kan ikke oppgis som metadata ({fields[k]})" for k in keys if k in fields]


def with_first_error(message: str, errors: Sequence[Any]) -> str:
    """``message`` and, when the ledger has errors, how many and the first at its file:line: a
    year or a declaration that seems absent is often in a file that could not be read (round
    seven's probe: a file of random bytes was "a ledger with no postings in 2024" and "no
    grants declared", its 44 errors unsaid)."""
    if not errors:
        return message
    first = format_error(errors[0]).splitlines()[0]
    return f"{message}; regnskapet har {len(errors)} feil, den første: {first}"


_TOML_AT = re.compile(r" \(at line (\d+), column (\d+)\)$| \(at end of document\)$")


def toml_problem(exc: ValueError, text: str) -> tuple[int, str]:
    """The line a TOML syntax error (``tomllib.TOMLDecodeError``) is at, and what it says with
    its place in Norwegian: tomllib puts the line and column at the end of its message, or
    "at end of document" (then the last line). tomllib's own words are kept, but for a text
    that starts with a byte order mark (BOM), which tomllib reports as "Invalid statement" at
    column 1, this says so."""
    if text.startswith("\ufeff"):
        return 1, ("filen begynner med et BOM-tegn (U+FEFF), som TOML ikke tillater: lagre den "
                   "som UTF-8 uten BOM")
    message = str(exc)
    found = _TOML_AT.search(message)
    if found is None:
        return 1, message
    if found.group(1):
        return int(found.group(1)), f"{message[:found.start()]} (kolonne {found.group(2)})"
    return max(len(text.splitlines()), 1), f"{message[:found.start()]} (ved slutten av filen)"


def utf8_problem(exc: UnicodeDecodeError) -> tuple[int, str]:
    """The line of a file's first byte that is not UTF-8 (``exc`` from decoding the file's
    whole content), and what it is, in Norwegian: the byte and its column on that line."""
    content = bytes(exc.object)
    line = content.count(b"\n", 0, exc.start) + 1
    # the line before the byte is UTF-8 (the byte is the first that is not): count characters
    before = content[content.rfind(b"\n", 0, exc.start) + 1:exc.start]
    column = len(before.decode("utf-8", errors="replace")) + 1
    return line, (f"er ikke UTF-8-tekst: byte 0x{content[exc.start]:02x} i kolonne {column} "
                  "er ikke gyldig UTF-8")


def json_problem(exc: ValueError) -> tuple[int, str]:
    """The line a JSON syntax error (``json.JSONDecodeError``) is at, and what it says with its
    column in Norwegian (the json module's own words are kept)."""
    lineno, colno = getattr(exc, "lineno", 1), getattr(exc, "colno", None)
    problem = getattr(exc, "msg", str(exc))
    return int(lineno), f"{problem} (kolonne {colno})" if colno is not None else problem


# ---- where in a TOML file: the line a pydantic error location points at ----------------------
# tomllib gives no positions; the layouts' and notes files' errors find the line of the key in
# the file's text (best effort: the ``[[...]]`` entry, its key's line, the line of an inline
# table in an array)

TomlLoc = tuple[int | str, ...]  # a pydantic error location: ("notes", 3, "tables", 0, "key")

_HEADER = re.compile(r"^\s*\[\[\s*([A-Za-z0-9_.\s-]+?)\s*\]\]")


def _toml_headers(text: str) -> dict[TomlLoc, int]:
    """The line (1-based) of every ``[[notes]]``, ``[[notes.tables]]``, ... header, by its
    location: ("notes", 3), ("notes", 3, "tables", 0), ..."""
    found: dict[TomlLoc, int] = {}
    counts: dict[TomlLoc, int] = {}
    current: dict[str, TomlLoc] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        match = _HEADER.match(line)
        if not match:
            continue
        names = [p.strip() for p in match.group(1).split(".")]
        parent: TomlLoc = current.get(".".join(names[:-1]), ()) if len(names) > 1 else ()
        field = (*parent, names[-1])
        index = counts.get(field, -1) + 1
        counts[field] = index
        where = (*field, index)
        current[".".join(names)] = where
        found[where] = number
    return found


@dataclass(frozen=True)
class TomlLines:
    """A TOML file's text read once for locating errors and entries: its lines, the line of
    each ``[[...]]`` header and those lines in order."""

    lines: list[str]
    headers: dict[TomlLoc, int]
    starts: list[int]

    def line(self, loc: TomlLoc) -> int:
        """The line a pydantic error location ``loc`` points at: the key's own line in its
        ``[[...]]`` entry (or before the first header, for a key of the file itself), the line
        of an inline table in an array, else the entry's header; 1 when nothing is found."""
        depth = len(loc)
        while depth and tuple(loc[:depth]) not in self.headers:
            depth -= 1
        if depth == 0:
            start, end = 1, self.starts[0] if self.starts else len(self.lines) + 1
        else:
            start = self.headers[tuple(loc[:depth])]
            after = bisect_right(self.starts, start)  # the next header ends the entry
            end = self.starts[after] if after < len(self.starts) else len(self.lines) + 1
        rest = loc[depth:]
        if not rest or not isinstance(rest[0], str):
            return start
        key = re.escape(rest[0])
        line = next((n for n in range(start, end)
                     if re.match(rf"^\s*(?:{key}|\"{key}\"|'{key}')\s*=", self.lines[n - 1])),
                    None)
        if line is None:
            return start
        if len(rest) >= 2 and isinstance(rest[1], int):
            return self._inline_item(line, end, rest[1])
        return line

    def _inline_item(self, first: int, end: int, index: int) -> int:
        """The line of item ``index`` of an array of inline tables that starts at line
        ``first`` (one inline table a line, as the packaged files write them)."""
        seen, depth = -1, 0
        for number in range(first, end):
            text = self.lines[number - 1]
            body = text.split("=", 1)[1] if number == first else text
            for char in body:  # only the array's own items: a nested inline table is not one
                if char == "{":
                    seen += depth == 0
                    depth += 1
                elif char == "}":
                    depth -= 1
            if seen >= index:
                return number
        return first


def toml_lines(text: str) -> TomlLines:
    """The text of a TOML file read for locating (:class:`TomlLines`)."""
    headers = _toml_headers(text)
    return TomlLines(text.splitlines(), headers, sorted(headers.values()))


def toml_line(text: str, loc: TomlLoc) -> int:
    """The line of the TOML text ``text`` that the pydantic error location ``loc`` points at."""
    return toml_lines(text).line(loc)


def did_you_mean(word: str, known: Iterable[str]) -> str:
    """`` (mente du "X"?)`` with the one of ``known`` nearest ``word``, or "" when none is close:
    the hint of an unknown directive type or id, so a typo's fix is in its error."""
    import difflib  # here: only a ledger with an unknown word needs it, not every load

    close = difflib.get_close_matches(word, sorted(known), n=1, cutoff=0.75)
    return f' (mente du "{close[0]}"?)' if close else ""
