from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from nhnfin.money import KRONE
from nhnfin.money import ORE
from nhnfin.money import allocate
from nhnfin.money import norwegian
from nhnfin.money import round_krone
from nhnfin.money import to_decimal


def test_allocate_largest_remainder_gives_leftover_to_largest_remainders() -> None:
    # 100 over 3 equal weights: 33.33 each and one øre to the first (ties go to the earliest)
    assert allocate(Decimal("100.00"), [Decimal(1)] * 3) == [
        Decimal("33.34"),
        Decimal("33.33"),
        Decimal("33.33"),
    ]
    # 10 kroner by 0.5/0.3/0.2 keys with krone quantum: exact
    assert allocate(Decimal(10), [Decimal("0.5"), Decimal("0.3"), Decimal("0.2")], KRONE) == [
        Decimal(5),
        Decimal(3),
        Decimal(2),
    ]
    # remainders 0.6 and 0.4 of 7 over (0.6, 0.4) at krone: 4.2 / 2.8 -> 4 / 3
    assert allocate(Decimal(7), [Decimal("0.6"), Decimal("0.4")], KRONE) == [Decimal(4), Decimal(3)]


def test_allocate_negative_total_keeps_signs() -> None:
    assert allocate(Decimal("-0.05"), [Decimal(1), Decimal(1)]) == [
        Decimal("-0.03"),
        Decimal("-0.02"),
    ]


@pytest.mark.parametrize(
    ("total", "weights", "message"),
    [
        (Decimal(1), [Decimal(0)], "positiv"),
        (Decimal(1), [Decimal(-1), Decimal(2)], "negative"),
        (Decimal("1.005"), [Decimal(1)], "helt antall"),
    ],
)
def test_allocate_rejects_bad_input(total: Decimal, weights: list[Decimal], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        allocate(total, weights)


@given(
    total=st.integers(min_value=-(10**12), max_value=10**12),
    weights=st.lists(st.integers(min_value=0, max_value=10**7), min_size=1, max_size=40).filter(
        lambda w: sum(w) > 0
    ),
)
def test_allocate_parts_always_sum_to_the_whole(total: int, weights: list[int]) -> None:
    amount = Decimal(total) * ORE
    parts = allocate(amount, [Decimal(w) for w in weights])
    assert sum(parts) == amount
    assert all(p == p.quantize(ORE) for p in parts)
    # each part is within one quantum of its exact share, zero-weight parts get nothing
    for part, weight in zip(parts, weights, strict=True):
        exact = amount * weight / sum(weights)
        assert abs(part - exact) < ORE
        if weight == 0:
            assert part == 0


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("1 042 953 698", Decimal(1042953698)),
        ("1\u00a0042\u00a0953,50", Decimal("1042953.50")),
        ("\u221281 455 995", Decimal(-81455995)),
        ("-12.5", Decimal("-12.5")),
    ],
)
def test_to_decimal_reads_norwegian_amounts(text: str, value: Decimal) -> None:
    assert to_decimal(text) == value


@pytest.mark.parametrize(("text", "message"), [
    ("", "ikke et beløp: ''"), ("abc", "ikke et beløp: 'abc'"),
    ("1,2.3", "tvetydig beløp '1,2.3': både ',' og '.'"),
    ("NaN", "ikke et endelig beløp: 'NaN'"), ("Infinity", "ikke et endelig beløp: 'Infinity'")])
def test_to_decimal_rejects_non_amounts_in_norwegian(text: str, message: str) -> None:
    with pytest.raises(ValueError, match="beløp") as raised:
        to_decimal(text)
    assert str(raised.value) == message


def test_round_krone_is_half_up() -> None:
    assert round_krone(Decimal("0.5")) == 1
    assert round_krone(Decimal("-0.5")) == -1
    assert round_krone(Decimal("103213939.49")) == 103213939


@pytest.mark.parametrize(("amount", "text"), [
    ("1234567.50", "1 234 567,50"), ("-40", "\u221240"), ("40000.00", "40 000"),
    ("-0.004", "0"), ("0.005", "0,01"), ("-1042953698.4", "\u22121 042 953 698,40"),
])
def test_norwegian_notation_for_messages(amount: str, text: str) -> None:
    assert norwegian(Decimal(amount)) == text


@pytest.mark.parametrize(("amount", "shown"), [
    ("1e30", "1 000 000 000 000 000 000 000 000 000 000"),
    ("123456789012345678901234567890.555", "123 456 789 012 345 678 901 234 567 890,56"),
    ("-1234.5", "\u22121 234,50"), ("1500.00", "1 500"), ("NaN", "NaN")])
def test_norwegian_shows_any_amount_an_error_may_name(amount: str, shown: str) -> None:
    """An amount beyond the limit (the error that names it) is shown whole, not raised on
    (fails before: decimal.InvalidOperation from quantize at 28 digits)."""
    assert norwegian(Decimal(amount)) == shown


@pytest.mark.parametrize(("total", "shown"), [("100", "100.00"), ("-0.05", "-0.05"),
                                              ("0", "0.00"), ("12.3", "12.30")])
def test_allocate_one_weight_gives_the_whole_in_the_quantum(total: str, shown: str) -> None:
    """One weight (a grant link's 100 %) takes the shortcut: the whole, written to the quantum,
    as the largest-remainder path writes every part."""
    assert [str(p) for p in allocate(Decimal(total), [Decimal(7)])] == [shown]
    assert str(allocate(Decimal(total), [Decimal(7), Decimal(0)])[0]) == shown


@pytest.mark.parametrize(("total", "weight", "message"), [
    ("1.005", "-1", "negative"), ("1.005", "0", "positiv"), ("1.005", "1", "helt antall"),
    ("1000000000000000", "-1", "for stort"), ("-0.001", "1", "helt antall")])
def test_allocate_one_weight_checks_in_the_order_of_many(total: str, weight: str,
                                                         message: str) -> None:
    """One weight is checked as any weights are: the total's size first, then the weight
    negative, then not positive, then the total not whole quanta."""
    with pytest.raises(ValueError, match=message):
        allocate(Decimal(total), [Decimal(weight)])


@given(total=st.integers(min_value=-(10**14), max_value=10**14),
       places=st.integers(min_value=0, max_value=2), krone=st.booleans())
def test_allocate_one_weight_is_the_general_split_of_one(total: int, places: int,
                                                        krone: bool) -> None:
    """The one-weight part is what the largest-remainder split gives the one part, digit for
    digit (``str``: the exponent and the sign of a zero too, ``-0.00`` written ``0.00``)."""
    quantum = KRONE if krone else Decimal("0.01")
    amount = Decimal(total).scaleb(-places)
    if amount % quantum:
        return
    assert [str(p) for p in allocate(amount, [Decimal(3)], quantum)] == [
        str(allocate(amount, [Decimal(3), Decimal(0)], quantum)[0])]
    zero = Decimal("-0").scaleb(-places)
    assert [str(p) for p in allocate(zero, [Decimal(1)], quantum)] == [
        str(allocate(zero, [Decimal(1), Decimal(0)], quantum)[0])]
