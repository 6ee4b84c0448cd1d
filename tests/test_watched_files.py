"""The files a ledger names for nhnfin (a layout, a notes layout, a note's text, a published
report) are inputs of the load: Beancount's load cache and Fava's file watcher look only at
``options_map["include"]``, so an edit of one of those files alone was never noticed (Fava kept
the figures and labels built before it) unless a period lock happened to read the file."""

from __future__ import annotations

import os
from importlib import resources
from pathlib import Path

import pytest

from nhnfin.ledger import load_entries
from tests.fava.conftest import fava_app
from tests.fava.conftest import page_url
from tests.fava.conftest import slug

HEAD = """\
option "title" "Testforetak"
option "operating_currency" "NOK"
{plugins}
2024-12-31 custom "fava-extension" "nhnfin.fava_ext"
2024-12-31 custom "nhnfin-layout" "layout.toml"
2024-12-31 custom "nhnfin-notes" "notes/notes.toml"
2024-12-31 custom "nhnfin-note-text" "1" "notes/note-01.md.j2"
2024-12-31 custom "nhnfin-published" "published.json"
2024-12-31 custom "nhnfin-published" "missing.json"
2024-12-31 open Assets:1920-Bank
2024-12-31 open Equity:2050-OtherEquity
2024-12-31 open Income:3100-Services
2024-12-31 * "Opening"
  Assets:1920-Bank         1000.00 NOK
  Equity:2050-OtherEquity -1000.00 NOK
2025-03-01 * "Kunde AS" "Salg"
  Assets:1920-Bank          500.00 NOK
  Income:3100-Services     -500.00 NOK
"""
NAMED = ("layout.toml", "notes/notes.toml", "notes/note-01.md.j2", "published.json")


def books(folder: Path, plugins: str) -> Path:
    """A small ledger naming one file of each kind (and one that does not exist)."""
    (folder / "notes").mkdir()
    data = resources.files("nhnfin") / "data"
    (folder / "layout.toml").write_text((data / "layout_generic.toml").read_text("utf-8"))
    (folder / "notes/notes.toml").write_text((data / "notes_nhn.toml").read_text("utf-8"))
    (folder / "notes/note-01.md.j2").write_text("Regnskapsprinsipper.\n")
    (folder / "published.json").write_text("{}\n")
    ledger = folder / "books.beancount"
    ledger.write_text(HEAD.format(plugins=plugins))
    return ledger.resolve()


@pytest.mark.parametrize("plugins", [
    'plugin "nhnfin"',
    'plugin "nhnfin.mapping"',  # a per-rule line alone
])
def test_the_named_files_are_inputs_of_the_load(tmp_path: Path, plugins: str) -> None:
    ledger = books(tmp_path, plugins)
    _entries, _errors, options = load_entries(ledger)
    named = [p for p in options["include"] if not p.endswith(".beancount")]
    assert sorted(named) == sorted(str((tmp_path / n).resolve()) for n in NAMED)
    assert str(ledger) in options["include"]


@pytest.mark.parametrize("nhnfin_fava", [False, True], ids=["fava", "nhnfin fava"])
def test_fava_shows_an_edit_of_the_layout_alone(tmp_path: Path, nhnfin_fava: bool,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """Before: ``changed()`` stayed False and the page kept "Salgsinntekt". Also when Fava
    loads as ``nhnfin fava`` makes it load (``nhnfin.fava_ext.loading.install``)."""
    import fava.core

    from nhnfin.fava_ext.loading import install

    monkeypatch.setattr(fava.core, "load_uncached", fava.core.load_uncached)  # restored after
    if nhnfin_fava:
        assert install()
    ledger = books(tmp_path, 'plugin "nhnfin"')
    app = fava_app(ledger, poll_watcher=True)
    fava = app.config["LEDGERS"][slug(app)]
    extension = fava.extensions.get_extension("NhnfinReport")
    assert extension is not None
    assert extension.ready(timeout=120)
    client = app.test_client()
    page = client.get(page_url(app, "income_statement")).get_data(as_text=True)
    assert "Salgsinntekt" in page
    assert "Salg av tjenester" not in page
    layout = tmp_path / "layout.toml"
    text = layout.read_text()
    layout.write_text(text.replace('label = "Salgsinntekt"', 'label = "Salg av tjenester"', 1))
    later = os.stat(layout).st_mtime + 10
    os.utime(layout, (later, later))  # the polling watcher compares modification times
    assert fava.changed()
    assert extension.ready(timeout=120)
    page = client.get(page_url(app, "income_statement")).get_data(as_text=True)
    assert "Salg av tjenester" in page


def test_a_file_named_twice_is_an_input_once(tmp_path: Path) -> None:
    ledger = books(tmp_path, 'plugin "nhnfin"')
    ledger.write_text(ledger.read_text() + '2025-01-01 custom "nhnfin-layout" "layout.toml"\n')
    _entries, _errors, options = load_entries(ledger)
    assert sorted(options["include"]).count(str((tmp_path / "layout.toml").resolve())) == 1
