"""Progress feedback: shown on a terminal, nothing in a pipeline."""

from __future__ import annotations

import io
import re

import pytest

from nhnfin.cli.progress import stage


class Terminal(io.StringIO):
    """A stream that says it is a terminal."""

    def isatty(self) -> bool:
        return True


def test_a_pipe_gets_nothing() -> None:
    out = io.StringIO()
    with stage("leser books.beancount", out):
        pass
    assert out.getvalue() == ""


def test_a_terminal_sees_the_stage_and_its_duration() -> None:
    out = Terminal()
    with stage("leser books.beancount", out):
        assert out.getvalue() == "leser books.beancount ..."
    assert re.fullmatch(r"leser books\.beancount \.\.\. \d+\.\d s\n", out.getvalue())


def test_a_failed_stage_says_so_and_the_error_propagates() -> None:
    out = Terminal()
    with pytest.raises(KeyError), stage("kontrollerer 2024", out):
        raise KeyError("x")
    assert out.getvalue() == "kontrollerer 2024 ... feilet\n"


def test_close_output_in_a_pipeline_has_no_progress(tmp_path: object) -> None:
    from tests.close.conftest import run_close
    from tests.close.test_close_cli import small

    result = run_close(small(tmp_path), "--year", 2024, "--waive", "months", "--dry-run")  # type: ignore[arg-type]
    assert result.exit_code == 0
    assert "loading" not in result.output
    assert " ... " not in result.output
