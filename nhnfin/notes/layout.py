"""The notes of the annual report as data: number, title and order of every note, the builder
that makes its tables, and the statement lines that cite it in their "Note" column.

``nhnfin/data/notes_nhn.toml`` is NHN's 2024 notes, the packaged default; a ledger may name its
own with ``custom "nhnfin-notes" "path/to/notes.toml"``. The file is validated with pydantic; a
problem is an error at the file's line (the ``[[notes]]`` entry or its field). Renumbering a
note, reordering them, or adding a note of text only needs no code change: its text is a template
the ledger names (:mod:`nhnfin.notes.text`).
"""

from __future__ import annotations

import re
import tomllib
from importlib import resources
from pathlib import Path
from typing import Any

from beancount.core import data
from pydantic import BaseModel
from pydantic import ConfigDict
from pydantic import Field
from pydantic import ValidationError
from pydantic import field_validator
from pydantic import model_validator

from nhnfin.files import read_regular_file

NOTES_DIRECTIVE = "nhnfin-notes"
PACKAGED = "data/notes_nhn.toml"

_LINE_REF = r"^(income_statement|balance_sheet|cash_flow)\.[a-z0-9_]+$"


class NoteLayoutError(Exception):
    """The notes file is not valid; the message starts with ``file:line``."""


class NoteSpec(BaseModel):
    """One note: its printed number and title, its builder, the statement lines citing it."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    number: str = Field(pattern=r"^[0-9]+[a-z]?$")
    title: str = Field(min_length=1)
    builder: str | None = Field(default=None, pattern=r"^[a-z0-9_]+$")
    lines: tuple[str, ...] = ()

    @field_validator("lines")
    @classmethod
    def _line_refs(cls, lines: tuple[str, ...]) -> tuple[str, ...]:
        for ref in lines:
            if not re.match(_LINE_REF, ref):
                raise ValueError(
                    f"line {ref!r}: write statement.line, e.g. 'income_statement.payroll_costs'"
                )
        return lines


class NotesLayout(BaseModel):
    """Every note of the report, in print order."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str
    notes: tuple[NoteSpec, ...]

    @model_validator(mode="after")
    def _unique(self) -> NotesLayout:
        numbers: set[str] = set()
        builders: set[str] = set()
        for note in self.notes:
            if note.number in numbers:
                raise ValueError(f"note {note.number} appears twice")
            if note.builder is not None and note.builder in builders:
                raise ValueError(f"builder {note.builder!r} makes two notes")
            numbers.add(note.number)
            if note.builder is not None:
                builders.add(note.builder)
        return self

    def by_builder(self, builder: str) -> NoteSpec | None:
        """The note whose tables ``builder`` makes, if any."""
        return next((n for n in self.notes if n.builder == builder), None)

    def note(self, number: str) -> NoteSpec | None:
        """The note numbered ``number``, if any."""
        return next((n for n in self.notes if n.number == number), None)

    def citing(self, statement: str, line: str) -> str | None:
        """The "Note" column of a statement line: the numbers of the notes citing it, in note
        order, joined by commas ("5,6,7"); None if none does."""
        ref = f"{statement}.{line}"
        numbers = [n.number for n in self.notes if ref in n.lines]
        return ",".join(numbers) if numbers else None

    def cites_any(self, statement: str) -> bool:
        """Whether any note names a line of ``statement``."""
        return any(ref.startswith(f"{statement}.") for n in self.notes for ref in n.lines)


def notes_directive(entries: list[Any]) -> data.Custom | None:
    """The ledger's ``custom "nhnfin-notes"`` directive, if any (the last one wins)."""
    found = None
    for entry in entries:
        if isinstance(entry, data.Custom) and entry.type == NOTES_DIRECTIVE:
            found = entry
    return found


def notes_layout_file(entries: list[Any]) -> Path | None:
    """The notes file the ledger names (relative to the file of the directive), if any."""
    directive = notes_directive(entries)
    if directive is None or not directive.values:
        return None
    value = directive.values[0].value
    if not isinstance(value, str):
        return None
    path = Path(value)
    if not path.is_absolute():
        path = Path(directive.meta.get("filename", ".")).parent / path
    return path


def _entry_lines(text: str) -> list[int]:
    """The line numbers (1-based) of every ``[[notes]]`` header."""
    return [
        number
        for number, line in enumerate(text.splitlines(), start=1)
        if re.match(r"^\s*\[\[\s*notes\s*\]\]", line)
    ]


def _line_of(text: str, loc: tuple[int | str, ...]) -> int:
    """The line of the TOML text that a pydantic error location points at (best effort: the
    ``[[notes]]`` entry, or its field's line)."""
    headers = _entry_lines(text)
    if len(loc) < 2 or loc[0] != "notes" or not isinstance(loc[1], int):
        return 1
    if loc[1] >= len(headers):
        return headers[-1] if headers else 1
    start = headers[loc[1]]
    end = headers[loc[1] + 1] if loc[1] + 1 < len(headers) else len(text.splitlines()) + 1
    if len(loc) >= 3:
        lines = text.splitlines()
        for number in range(start, end):
            if re.match(rf"^\s*{re.escape(str(loc[2]))}\s*=", lines[number - 1]):
                return number
    return start


def parse_notes_layout(text: str, name: str) -> NotesLayout:
    """Validate the text of a notes file called ``name`` (for messages).

    Raises:
        NoteLayoutError: ``name:line: what is wrong``.
    """
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        found = re.search(r"\(at line (\d+)", str(exc))
        line = int(found.group(1)) if found else 1
        raise NoteLayoutError(f"{name}:{line}: not valid TOML: {exc}") from exc
    try:
        return NotesLayout.model_validate(raw)
    except ValidationError as exc:
        err = exc.errors()[0]
        where = ".".join(str(p) for p in err["loc"])
        message = err["msg"].removeprefix("Value error, ")
        line = _line_of(text, tuple(err["loc"]))
        if len(err["loc"]) == 0 and "notes" in raw:
            # a check across notes (a number twice): point at the entry that repeats it
            line = _repeat_line(text, raw)
        raise NoteLayoutError(f"{name}:{line}: {where + ': ' if where else ''}{message}") from exc


def _repeat_line(text: str, raw: dict[str, Any]) -> int:
    headers = _entry_lines(text)
    seen: set[tuple[str, object]] = set()
    for index, note in enumerate(raw.get("notes", [])):
        for field in ("number", "builder"):
            value = note.get(field) if isinstance(note, dict) else None
            if value is not None and (field, value) in seen and index < len(headers):
                return headers[index]
            seen.add((field, value))
    return 1


def packaged_notes_layout() -> NotesLayout:
    """NHN's 2024 notes (the packaged default)."""
    text = resources.files("nhnfin").joinpath(PACKAGED).read_text("utf-8")
    return parse_notes_layout(text, f"nhnfin/{PACKAGED}")


def load_notes_layout(entries: list[Any]) -> NotesLayout:
    """The notes file the ledger names, or the packaged one.

    Raises:
        NoteLayoutError: the file cannot be read or is not valid (with file:line).
    """
    path = notes_layout_file(entries)
    if path is None:
        directive = notes_directive(entries)
        if directive is not None:
            where = f"{directive.meta.get('filename')}:{directive.meta.get('lineno')}"
            raise NoteLayoutError(
                f'{where}: custom "{NOTES_DIRECTIVE}" takes one string: the path of a notes TOML'
            )
        return packaged_notes_layout()
    try:
        text = read_regular_file(path).decode("utf-8")  # a FIFO or /dev/zero is refused
    except (OSError, UnicodeDecodeError) as exc:
        raise NoteLayoutError(f"{path}:1: cannot read the notes file: {exc}") from exc
    layout = parse_notes_layout(text, str(path))
    check_builders(layout, text, str(path))
    return layout


def check_builders(layout: NotesLayout, text: str, name: str) -> None:
    """Every builder the file names is registered (:data:`nhnfin.notes.BUILDER_PATHS`).

    Raises:
        NoteLayoutError: at the line of the unknown builder.
    """
    from nhnfin.notes import BUILDER_PATHS

    for index, note in enumerate(layout.notes):
        if note.builder is not None and note.builder not in BUILDER_PATHS:
            line = _line_of(text, ("notes", index, "builder"))
            known = ", ".join(BUILDER_PATHS)
            raise NoteLayoutError(
                f"{name}:{line}: note {note.number}: unknown builder {note.builder!r} "
                f"(builders: {known})"
            )
