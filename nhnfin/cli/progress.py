"""Progress feedback for long CLI work: shown on a terminal, silent in a pipeline.

A stage prints its label when it starts and its duration when it ends, on stderr, but only when
stderr is a terminal; redirected or piped output (CI, ``2> log``, scripts) gets nothing, so
captured output stays byte-for-byte the same::

    with stage("leser ledger/nhn.beancount"):
        ledger = load(path)
    # on a terminal:  leser ledger/nhn.beancount ... 0.4 s
"""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TextIO


def is_terminal(stream: TextIO) -> bool:
    """True when ``stream`` is an interactive terminal."""
    isatty = getattr(stream, "isatty", None)
    try:
        return bool(isatty()) if callable(isatty) else False
    except ValueError:  # a closed stream
        return False


@contextmanager
def stage(label: str, stream: TextIO | None = None) -> Iterator[None]:
    """Show ``label`` while the block runs and its duration when it ends (terminal only).

    Args:
        label: what is being done, in the reader's words ("leser ledger/nhn.beancount").
        stream: where to write; stderr by default.
    """
    out = sys.stderr if stream is None else stream
    active = is_terminal(out)
    started = time.monotonic()
    if active:
        out.write(f"{label} ...")
        out.flush()
    outcome = "feilet"
    try:
        yield
        outcome = f"{time.monotonic() - started:.1f} s"
    finally:
        if active:
            out.write(f" {outcome}\n")
            out.flush()
