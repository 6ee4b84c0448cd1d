"""The map of the house (docs/developing.md), enforced: which package may import which.

Rules import the core; jobs import rules and the core; the CLI, Fava and the reports sit on top.
Every import is read from the source (also those inside functions), so a lazy import counts too.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
RULES = ("grants", "ehealth", "assets")
JOBS = ("cost_basis", "close", "reconcile")
TOP = ("cli", "fava_ext", "reports")


def modules() -> dict[str, Path]:
    """Dotted name -> file for every module of the library (importers/ and reports/ under
    nhnfin, as installed)."""
    found: dict[str, Path] = {}
    for folder, prefix in ((ROOT / "nhnfin", "nhnfin"), (ROOT / "importers", "nhnfin.importers"),
                           (ROOT / "reports", "nhnfin.reports")):
        for path in folder.rglob("*.py"):
            parts = list(path.relative_to(folder).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            found[".".join([prefix, *parts])] = path
    return found


def imported(name: str, path: Path) -> set[str]:
    """The nhnfin modules ``path`` imports (relative imports resolved)."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    result: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            result.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - node.level + 1]
                base = ".".join([*anchor, base]) if base else ".".join(anchor)
            result.add(base)
            result.update(f"{base}.{a.name}" for a in node.names)
        elif (isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "import_module"
              and node.args and isinstance(node.args[0], ast.Constant)):
            result.add(str(node.args[0].value))
    return {m for m in result if m.startswith("nhnfin")}


def area(name: str) -> str:
    """The room of the house a dotted module name is in."""
    parts = name.split(".")
    return parts[1] if len(parts) > 1 else "core"


EDGES = [(name, target) for name, path in modules().items() for target in imported(name, path)]


def violations(allowed: dict[str, tuple[str, ...]]) -> list[str]:
    """Imports from an area into an area it may not import."""
    bad = []
    for source, target in EDGES:
        src, dst = area(source), area(target)
        if src in allowed and dst in allowed[src]:
            bad.append(f"{source} imports {target}")
    return bad


def test_the_modules_are_found() -> None:
    names = set(modules())
    assert {"nhnfin.grants.plugin", "nhnfin.cli.main", "nhnfin.importers.camt053",
            "nhnfin.reports.xlsx", "nhnfin.pipeline"} <= names
    assert len([n for n in names if n.count(".") == 1 and area(n) not in
                (*RULES, *JOBS, *TOP, "notes", "data", "importers")]) <= 20


def test_nothing_outside_the_cli_imports_it() -> None:
    bad = [f"{s} imports {t}" for s, t in EDGES if area(t) == "cli" and area(s) != "cli"]
    assert bad == []


@pytest.mark.parametrize("rule", RULES)
def test_rules_import_neither_fava_reports_jobs_nor_other_rules(rule: str) -> None:
    forbidden = (*TOP, *JOBS, *(r for r in RULES if r != rule))
    assert violations({rule: forbidden}) == []


def test_the_core_imports_no_rule_job_or_top() -> None:
    core_modules = {n for n in modules() if area(n) not in (*RULES, *JOBS, *TOP, "notes",
                                                             "importers", "pipeline")}
    bad = [f"{s} imports {t}" for s, t in EDGES
           if s in core_modules and area(t) in (*RULES, *JOBS, *TOP)]
    assert bad == []


def test_the_check_sees_a_forbidden_import(tmp_path: Path) -> None:
    """The reader resolves what a rule module would write to reach the CLI."""
    source = tmp_path / "x.py"
    source.write_text("def f():\n    from nhnfin.cli.main import main\n    from ..cli import x\n")
    assert imported("nhnfin.grants.x", source) >= {"nhnfin.cli.main", "nhnfin.cli"}
