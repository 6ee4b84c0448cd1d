"""The links of a page are quoted as ``urllib.parse.urlencode`` quotes them, ASCII and not."""

from __future__ import annotations

from urllib.parse import urlencode

from hypothesis import given
from hypothesis import strategies as st

from nhnfin.fava_ext.views import form_encoded

TEXT = st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=40)


@given(st.lists(st.tuples(TEXT, TEXT | st.integers()), max_size=4))
def test_form_encoded_is_urlencode(pairs: list[tuple[str, object]]) -> None:
    assert form_encoded(pairs) == urlencode(pairs)


def test_a_query_quoted() -> None:
    query = "SELECT * WHERE account ~ '^(Assets:1920-Bank)(:|$)' AND date < 2025-01-01"
    assert form_encoded([("query_string", query)]) == urlencode({"query_string": query})
    assert form_encoded([("a b", "æ ø/å~")]) == "a+b=%C3%A6+%C3%B8%2F%C3%A5~"
