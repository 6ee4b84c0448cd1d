"""The depreciation engine's arithmetic (issue 4): schedules and events, no Beancount."""

from __future__ import annotations

import datetime
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from nhnfin.assets.depreciation import Event
from nhnfin.assets.depreciation import explicit
from nhnfin.assets.depreciation import run
from nhnfin.assets.depreciation import scaled
from nhnfin.assets.depreciation import straight_line

D = Decimal
JAN = datetime.date(2024, 1, 1)


def test_straight_line_puts_the_remainder_in_the_last_month() -> None:
    plan = straight_line(D("1000.00"), 3, JAN)
    assert list(plan.values()) == [D("333.33"), D("333.33"), D("333.34")]
    assert list(plan) == [JAN, datetime.date(2024, 2, 1), datetime.date(2024, 3, 1)]


def test_mid_month_start_takes_the_days_left_and_the_rest_after_the_life() -> None:
    plan = straight_line(D("3100.00"), 3, datetime.date(2024, 1, 11))
    # 21 of January's 31 days; the 10 days left come in April
    assert plan == {
        JAN: D("700.00"),
        datetime.date(2024, 2, 1): D("1033.33"),
        datetime.date(2024, 3, 1): D("1033.33"),
        datetime.date(2024, 4, 1): D("333.34"),
    }


def test_explicit_year_is_spread_from_the_start_month() -> None:
    lines = [(datetime.date(2022, 1, 1), datetime.date(2022, 12, 1), D("100.00"))]
    plan = explicit(lines, datetime.date(2022, 11, 1))
    assert plan == {datetime.date(2022, 11, 1): D("50.00"), datetime.date(2022, 12, 1): D("50.00")}


def test_impairment_replans_the_rest_and_caps_at_book_value() -> None:
    plan = straight_line(D("1200.00"), 12, JAN)
    events = [
        Event(datetime.date(2024, 6, 30), "impairment", D("300.00"), {"lineno": 7}),
        Event(datetime.date(2024, 9, 15), "impairment", D("1000.00"), {"lineno": 8}),
    ]
    charges, problems = run(D("1200.00"), plan, events, datetime.date(2024, 12, 31))
    depreciation = [c.amount for c in charges if c.kind == "depreciation"]
    # 6 x 100, then 300 over 6 months (50 each) for July and August, then capped
    assert depreciation == [D(100)] * 6 + [D(50)] * 2
    assert [c.amount for c in charges if c.kind == "impairment"] == [D("300.00"), D("200.00")]
    assert [(p.source["lineno"], p.message) for p in problems] == [
        (8, "nedskrivningen 1000.00 er større enn bokført verdi 200.00; begrenset til 200.00")
    ]


@given(
    total=st.integers(min_value=1, max_value=10**11).map(lambda n: D(n) / 100),
    months=st.integers(min_value=1, max_value=240),
    day=st.integers(min_value=1, max_value=28),
)
def test_straight_line_adds_up_and_never_goes_negative(total: D, months: int, day: int) -> None:
    plan = straight_line(total, months, datetime.date(2023, 5, day))
    assert sum(plan.values()) == total
    assert all(part >= 0 for part in plan.values())
    charges, _ = run(total, plan, [], datetime.date(2100, 1, 1))
    assert sum(c.amount for c in charges) == total


def test_scaled_parts_add_up() -> None:
    assert scaled(D("0.05"), [D(1), D(1), D(1)]) == [D("0.01"), D("0.01"), D("0.03")]


def test_month_end_is_the_last_day_of_any_day_s_month_read_once() -> None:
    """``month_end`` (kept per month: a register asks for the same months again and again) is
    the month's last day, leap Februaries included, for its first day or any other."""
    from nhnfin.assets.depreciation import month_end

    day = datetime.date
    cases = {day(2024, 2, 1): day(2024, 2, 29), day(2023, 2, 1): day(2023, 2, 28),
             day(2100, 2, 1): day(2100, 2, 28), day(2000, 2, 15): day(2000, 2, 29),
             day(2024, 12, 31): day(2024, 12, 31), day(2024, 4, 30): day(2024, 4, 30),
             day(2024, 1, 1): day(2024, 1, 31)}
    for first, last in cases.items():
        assert month_end(first) == last
        assert month_end(first) == last  # again: from what was kept
    assert month_end.cache_info().hits >= len(cases)
