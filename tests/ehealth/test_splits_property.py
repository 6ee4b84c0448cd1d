"""Exact splits for random inputs: parts sum to the whole; signs follow the whole."""

from __future__ import annotations

import datetime
from decimal import Decimal

from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st

from nhnfin.ehealth.basis import split_group
from nhnfin.ehealth.basis import split_solution
from nhnfin.ehealth.directives import Actor
from nhnfin.ehealth.directives import CostBasis
from nhnfin.ehealth.directives import Group
from nhnfin.ehealth.directives import Key
from nhnfin.money import KRONE
from nhnfin.money import ORE

META = {"filename": "<test>", "lineno": 1}
quanta = st.sampled_from([KRONE, ORE])


@st.composite
def keys(draw: st.DrawFn) -> tuple[Key, dict[str, Group]]:
    """A key of 1-5 groups whose percentages (in tenths) sum to exactly 100."""
    size = draw(st.integers(1, 5))
    cuts = sorted(draw(st.lists(st.integers(0, 1000), min_size=size - 1, max_size=size - 1)))
    tenths = [b - a for a, b in zip([0, *cuts], [*cuts, 1000], strict=True)]
    shares = tuple((f"G{i}", Decimal(t) / 10) for i, t in enumerate(tenths))
    compensated = draw(st.lists(st.booleans(), min_size=size, max_size=size))
    groups = {g: Group(id=g, compensated=c, meta=META)
              for (g, _), c in zip(shares, compensated, strict=True)}
    return Key(solution="s", date=datetime.date(2024, 1, 1), shares=shares, meta=META), groups


@settings(max_examples=300, deadline=None)
@given(keys(), st.integers(0, 10**10), st.integers(0, 10**10), quanta)
def test_solution_split_sums_and_signs(key_groups: tuple[Key, dict[str, Group]], need: int,
                                       compensated: int, quantum: Decimal) -> None:
    key, groups = key_groups
    basis = CostBasis(solution="s", year=2024, need=Decimal(need) * quantum,
                      compensated=Decimal(compensated) * quantum, meta=META)
    split = split_solution(basis, key, groups, "S", quantum)
    assert sum(g.invoiced for g in split.groups) == basis.need
    growth = basis.need - basis.compensated
    compensated_groups = [g for g in split.groups if groups[g.group].compensated]
    for share in split.groups:
        assert share.invoiced >= 0
        assert share.invoiced % quantum == 0
        if groups[share.group].compensated:
            # negative only as its share of a negative growth; positive only of a positive one
            assert share.not_compensated * growth >= 0
        else:
            assert share.compensated == 0
            assert share.not_compensated == share.invoiced
    if len(compensated_groups) == len(split.groups):
        assert sum(g.not_compensated for g in split.groups) == growth


@settings(max_examples=300, deadline=None)
@given(st.integers(-10**9, 10**9), st.lists(st.integers(0, 10**6), min_size=1, max_size=40),
       quanta)
def test_group_split_sums_and_signs(amount: int, populations: list[int],
                                    quantum: Decimal) -> None:
    group = Group(id="Kommune", compensated=True, meta=META)
    actors = [Actor(id=f"K{i}", group="Kommune", name=f"K{i}", account=f"Assets:X:K{i}",
                    date=datetime.date(2024, 1, 1), meta=META) for i in range(len(populations))]
    population = {a.id: Decimal(p) for a, p in zip(actors, populations, strict=True)}
    total = Decimal(amount) * quantum
    parts, errors = split_group(total, group, actors, population, quantum)
    if total == 0:
        assert (parts, errors) == ([], [])
    elif not any(populations):
        assert parts == []
        assert errors[0].message == ("gruppen 'Kommune' har ingen aktør med folketall å fordele "
                                     "andelen sin på")
    else:
        assert errors == []
        assert sum(p for _, p in parts) == total
        assert all(p * total > 0 for _, p in parts)
        assert all(population[a] > 0 for a, _ in parts)
