"""The tie-out of a foreign-currency balance on Fava's "Avstemminger" page: the NOK the books
carry links to the account's postings and sums to it; the units at the rate, and so the
difference, are shown unlinked with a hover saying why (nhnfin.tieouts.revaluation_tieouts)."""

from __future__ import annotations

from pathlib import Path

from nhnfin.fava_ext import views
from nhnfin.ledger import load
from nhnfin.report import build_report
from tests.close.conftest import write
from tests.close.test_currency import BOOKS
from tests.close.test_currency import RATE
from tests.fava.drill_check import QUERY_PAGE
from tests.fava.drill_check import figures_of
from tests.fava.drill_check import page_problems


def test_the_booked_side_links_to_the_accounts_postings(tmp_path: Path) -> None:
    ledger = load(write(tmp_path / "books.beancount", BOOKS + RATE))
    page = views.page(build_report(ledger, 2024), views.TIEOUTS, QUERY_PAGE)
    assert page is not None
    _, wrong = page_problems([page], ledger)
    assert wrong == []
    figures = {f.where.rsplit("/", 1)[1]: f for f in figures_of(page)
               if "/bs.currency_at_rate.Assets:1921-BankEUR.2024/" in f.where}
    assert sorted(figures) == ["1", "2", "3"]
    assert (figures["1"].value, figures["1"].drill is None) == (11200, False)
    assert (figures["2"].value, figures["2"].drill) == (11750, None)
    assert (figures["3"].value, figures["3"].drill) == (-550, None)
    assert {figures["2"].title, figures["3"].title} == {
        "Ingen lenke: beholdningen i valuta ganger kursen i price-direktivet som beskrivelsen "
        "nevner, ikke et beløp i bøkene"}
