"""docs/new-ledger.md holds when followed: every command and file of the page, in order
(issue 21). A ``sh`` block's lines are run (``# exits 1`` at the end: that exit status is
expected); a ``beancount`` block starting ``; add to FILE`` is appended to FILE, one starting
``; FILE (whole file)`` replaces it; the ``xml`` block is saved as the file its paragraph names."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PAGE = ROOT / "docs" / "new-ledger.md"
BLOCK = re.compile(r"```(\w+)\n(.*?)```", re.S)


def steps(text: str) -> list[tuple[str, str, str]]:
    """(kind, body, the text before the block) for every fenced block, in order."""
    found, last = [], 0
    for match in BLOCK.finditer(text):
        found.append((match.group(1), match.group(2), text[last:match.start()]))
        last = match.end()
    return found


def run(line: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    expected = 1 if line.rstrip().endswith("# exits 1") else 0
    command = shlex.split(line, comments=True)
    bindir = Path(sys.executable).parent
    env = {**os.environ, "PATH": f"{bindir}{os.pathsep}{os.environ.get('PATH', '')}"}
    result = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True,
                            timeout=300, check=False)
    assert result.returncode == expected, (line, result.stdout, result.stderr)
    assert "Traceback" not in result.stderr
    return result


def replace_rows(root: Path, body: str) -> None:
    """A ``toml`` block ``# FILE: the rows of table "KEY"`` replaces that table's ``rows = [...]``
    in FILE (the ``[[notes.tables]]`` whose key is KEY)."""
    first, _, rows = body.partition("\n")
    found = re.fullmatch(r'# (\S+): the rows of table "([a-z_]+)"', first)
    assert found, f"a toml block without a target: {first}"
    path = root / found.group(1)
    text = path.read_text(encoding="utf-8")
    start = text.index(f'\nkey = "{found.group(2)}"\n')
    begin = text.index("\nrows = [\n", start) + 1
    end = text.index("\n]\n", begin) + 3
    path.write_text(text[:begin] + rows + text[end:], encoding="utf-8")


def test_the_page_runs_from_nothing_to_a_closed_month(tmp_path: Path) -> None:
    outputs: list[str] = []
    for kind, body, before in steps(PAGE.read_text(encoding="utf-8")):
        if kind == "sh":
            for line in body.splitlines():
                if line.strip():
                    outputs.append(run(line, tmp_path).stdout)
        elif kind == "beancount":
            first, _, rest = body.partition("\n")
            if added := re.fullmatch(r"; add to (\S+)", first):
                with (tmp_path / added.group(1)).open("a", encoding="utf-8") as stream:
                    stream.write("\n" + rest)
            elif whole := re.fullmatch(r"; (\S+) \(whole file\)", first):
                (tmp_path / whole.group(1)).write_text(rest, encoding="utf-8")
            else:
                pytest.fail(f"a beancount block without a target: {first}")
        elif kind == "toml":
            replace_rows(tmp_path, body)
        elif kind == "xml":
            [name] = re.findall(r"save it as `([^`]+)`", before)
            (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
            (tmp_path / name).write_text(body, encoding="utf-8")
    assert "alt er avstemt" in outputs[-3]
    report = (tmp_path / "books" / "rapport-2025-01.md").read_text(encoding="utf-8")
    for label, figure in (("Salgsinntekt", "200 000"), ("Lønnskostnad", "300 000"),
                          ("Årsresultat", "−100 000"), ("Bankinnskudd, kontanter o.l.", "900 000")):
        assert re.search(rf"\| \**{re.escape(label)}\** \|[^|]*\| \**{figure}\** \|", report), label
    february = (tmp_path / "books" / "rapport-2025-02.md").read_text(encoding="utf-8")
    note10 = february.split("## Note 10 ", 1)[1].split("\n## ", 1)[0]
    assert [line for line in note10.splitlines() if line.startswith("| ") and "|---" not in line
            and "---:" not in line] == [
        "|  | 2025 | 2024 |",
        "| Lån til ansatte | 50 000 | 0 |",
        "| Andre langsiktige fordringer | 0 | 0 |",
        "| **Sum** | **50 000** | **0** |"]
