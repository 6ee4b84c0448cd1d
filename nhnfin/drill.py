"""Drills: what makes a figure, as data on the figure (:class:`nhnfin.model.Drill`).

A builder makes the drill where it computes the figure, from the same accounts, dates and sides:

* :func:`postings` - the postings to some accounts in a period (all, debits or credits, with an
  extra BQL condition such as "in a transaction that also posts to income"), and the sign the
  figure is presented with;
* :func:`declared` - the directives (file, line, value key) whose declared values make a figure;
* :func:`combine` - a sum or subtotal: the signed drills of its terms;
* :func:`ratio` - a quotient (a unit cost): a drill divided by another's figure;
* :func:`at_rate` - an amount at a percentage rate (employer's tax on a base);
* :func:`at_price` - foreign units at a price (a balance in EUR at the year-end rate): a
  drill of postings summed in units of their currency (:func:`postings` with ``units``) times
  the rate of a ``price`` directive (:func:`price_directive`);
* :func:`rounded` - a figure rounded (to whole kroner, as a tie-out compares rounded figures).

Every drill carries a Norwegian description of what it selects, which Fava shows as the link's
hover text. ``tests/fava/test_drill_sums.py`` runs every drill of every page with beanquery and
checks that it sums to its figure to the øre.
"""

from __future__ import annotations

import datetime
import functools
import re
from collections.abc import Iterable
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from nhnfin.model import Drill
from nhnfin.model import norwegian_date

SELECT = "SELECT date, flag, payee, narration, account, position, balance"
NOTHING = "(?!)"  # a regular expression no account matches
_WHERE = re.compile(r"\bWHERE\s+(?P<rest>.*)$", re.I | re.S)
SIDES = {None: "posteringer", "debit": "debetposteringer", "credit": "kreditposteringer"}
SHOWN_ACCOUNTS = 4
PRICE_KEY = "price"
"""The value key of a ``price`` directive in a declared drill: its amount (the rate)."""


def where(drill: Drill) -> str:
    """The WHERE clause of a drill's query (what it selects); ``FALSE`` when it has none."""
    match = _WHERE.search(drill.query)
    return match.group("rest").strip() if match else "FALSE"


@functools.lru_cache(maxsize=1 << 16)
def _escaped(account: str) -> str:
    """``account`` in a regular expression (a report's drills name the same accounts often)."""
    return re.escape(account).replace("\\-", "-")


def covering(accounts: Iterable[str]) -> list[str]:
    """``accounts`` in order, once each, without those a listed account's pattern takes already
    (its sub-accounts): the same postings, and a query a fraction as long when a line takes an
    account and its thousands of sub-accounts (a customer or supplier each)."""
    listed = list(dict.fromkeys(accounts))
    chosen = set(listed)
    return [a for a in listed
            if not any(a[:i] in chosen for i, c in enumerate(a) if c == ":")]


def account_pattern(accounts: Iterable[str]) -> str:
    """A regular expression for ``accounts`` and their sub-accounts."""
    pattern = "|".join(map(_escaped, covering(accounts))) or NOTHING
    return f"^({pattern})(:|$)"


def account_condition(accounts: Iterable[str]) -> str:
    """BQL: the posting is to one of ``accounts`` or a sub-account."""
    return f"account ~ '{account_pattern(accounts)}'"


def in_transactions(entries: Iterable[Any]) -> str:
    """BQL: the posting belongs to one of ``entries`` (beanquery's ``id`` of a posting is
    Beancount's ``hash_entry`` of its transaction). The one spelling of this clause."""
    from beancount.core.compare import hash_entry  # here: a warm report imports no Beancount

    return "id IN (" + ", ".join(f"'{hash_entry(e)}'" for e in entries) + ")"


def not_in_transactions(entries: Iterable[Any]) -> str:
    """BQL: the posting belongs to none of ``entries`` (:func:`in_transactions` negated)."""
    return f"NOT ({in_transactions(entries)})"


def meta_value(key: str) -> str:
    """BQL: the metadata ``key`` of the posting, else of its transaction, as a string. Not
    beanquery's ``any_meta``, which gives null for a posting with no metadata of its own (a
    generated one), whatever its transaction carries."""
    return f"COALESCE(str(meta('{key}')), str(entry_meta('{key}')))"


def literal(text: str) -> str:
    """BQL: ``text`` as a string constant, whatever it holds. beanquery (0.2) reads '...' with
    no ' inside (it keeps a doubled '' as two) and "..." with no " inside, so a text with both
    is its runs joined by ``+``: ``('O' + "'" + 'Neil "NHN"')``."""
    if "'" not in text:
        return f"'{text}'"
    if '"' not in text:
        return f'"{text}"'
    runs = re.split("('+)", text)
    return "(" + " + ".join(f'"{run}"' if run.startswith("'") else f"'{run}'"
                            for run in runs if run) + ")"


def member_of(expression: str, values: Iterable[str]) -> str:
    """BQL: ``expression`` is one of ``values`` (none: it is the empty text), each value a
    :func:`literal`; beanquery's ``IN (…)`` takes plain quoted texts only, so a value with both
    quote kinds is compared on its own (``OR expression = (…)``)."""
    listed = list(dict.fromkeys(values)) or [""]
    plain = [literal(v) for v in listed if "'" not in v or '"' not in v]
    joined = [f"{expression} = {literal(v)}" for v in listed if "'" in v and '"' in v]
    clauses = ([f"{expression} IN ({', '.join(plain)})"] if plain else []) + joined
    return clauses[0] if len(clauses) == 1 else "(" + " OR ".join(clauses) + ")"


def at_places(places: Iterable[tuple[str, int]]) -> str:
    """BQL: the posting stands at one of ``places`` (its file and line, as Beancount's parser
    puts them in the posting's metadata): the very postings, not their transactions' others."""
    by_file: dict[str, list[int]] = {}
    for file, line in dict.fromkeys(places):
        by_file.setdefault(file, []).append(line)
    # the posting's own meta, not beanquery's filename/lineno columns (which fail on a posting
    # whose meta has no file, such as a generated one); "IN (7)" is a number to BQL, not a list
    clauses = [f"(str(meta('filename')) = {literal(file)} AND meta('lineno') "
               + (f"= {lines[0]})" if len(lines) == 1 else f"IN ({', '.join(map(str, lines))}))")
               for file, lines in by_file.items()]
    return " OR ".join(clauses) or "FALSE"


def in_transaction_with(accounts: Iterable[str]) -> str:
    """BQL: the posting's transaction also posts to one of ``accounts``."""
    return f"has_account('{account_pattern(accounts)}')"


def period_text(start: datetime.date | None, end: datetime.date) -> str:
    """The period in words: ``før 01.01.2024`` or ``01.01.2024–31.12.2024``."""
    if start is None:
        return f"før {norwegian_date(end)}"
    last = end - datetime.timedelta(days=1)
    return f"{norwegian_date(start)}–{norwegian_date(last)}"


def accounts_text(accounts: tuple[str, ...]) -> str:
    """The accounts by name (the first few, then how many more)."""
    if not accounts:
        return "ingen konto"
    shown = ", ".join(accounts[:SHOWN_ACCOUNTS])
    more = len(accounts) - SHOWN_ACCOUNTS
    return f"{shown} og {more} til" if more > 0 else shown


def postings(
    accounts: Iterable[str],
    start: datetime.date | None,
    end: datetime.date,
    *,
    sign: int = 1,
    side: str | None = None,
    condition: str = "",
    condition_text: str = "",
    nok_only: bool = False,
    nok_weights: bool = False,
    units: str = "",
) -> Drill:
    """The postings to ``accounts`` dated from ``start`` (None: from the beginning) to ``end``
    (exclusive); only debits or credits with ``side``; ``condition`` (BQL) narrows them further
    and ``condition_text`` says so in Norwegian. The figure is ``sign`` × their sum; with
    ``units`` (a currency), only the postings in it and the sum of their units, not their NOK
    weights (a holding, :attr:`Drill.units`). ``nok_only``: only postings whose units are NOK
    (as a figure summing units in NOK); ``nok_weights``: only postings whose weight is NOK (as
    a figure summing :func:`nhnfin.statements.posting_weights`: units at a price or at cost in
    NOK count, by their weight)."""
    taken = tuple(accounts)
    clauses = [account_condition(taken)]
    if start is not None:
        clauses.append(f"date >= {start.isoformat()}")
    clauses.append(f"date < {end.isoformat()}")
    if nok_only:
        clauses.append("currency = 'NOK'")
    if nok_weights:
        clauses.append("currency(weight) = 'NOK'")
    if units:
        clauses.append(f"currency = {literal(units)}")
    if side == "debit":
        clauses.append("number > 0")
    elif side == "credit":
        clauses.append("number < 0")
    if condition:
        clauses.append(f"({condition})")
    words = f"{SIDES[side].capitalize()} på {accounts_text(taken)}, {period_text(start, end)}"
    if units:
        words = f"Beholdning i {units} (enheter, ikke NOK): {words[0].lower()}{words[1:]}"
    if condition_text:
        words += f", {condition_text}"
    if sign < 0:
        words += "; vist med motsatt fortegn"
    return Drill(
        accounts=taken,
        start=start.isoformat() if start else None,
        end=end.isoformat(),
        query=f"{SELECT} WHERE {' AND '.join(clauses)}",
        sign=sign,
        description=words,
        units=units,
    )


def declared(facts: Iterable[tuple[Mapping[str, Any], str]], what: str = "") -> Drill:
    """The directives (their meta) and value keys whose declared values sum to a figure."""
    places = tuple(
        (str(meta.get("filename", "")), int(meta.get("lineno", 0)), key) for meta, key in facts
    )
    lines = ", ".join(f"{file.rsplit('/', 1)[-1]}:{line}" for file, line, _ in places)
    text = what or "Oppgitt i regnskapet"
    return Drill(declared=places, description=f"{text}: {lines or 'ingen direktiv'}")


def counted(items: Iterable[tuple[Mapping[str, Any], str]], what: str) -> Drill:
    """A count's drill: the items counted, each at its directive's (or line's) meta with what
    it is (an error's message); the figure is how many there are (:attr:`Drill.counted`)."""
    places = tuple(
        (str(meta.get("filename", "")), int(meta.get("lineno", 0)), key) for meta, key in items
    )
    lines = ", ".join(f"{file.rsplit('/', 1)[-1]}:{line}" for file, line, _ in places)
    return Drill(declared=places, counted=True,
                 description=f"{what}: {len(places)} ({lines or 'ingen'})")


def counts(drill: Drill) -> bool:
    """Whether the figure is a count, or a sum with one (its link lists the counted items,
    which may be none: a count of zero)."""
    return drill.counted or any(counts(part) for _, part in drill.parts)


def _flat(terms: Iterable[tuple[int, Drill]]) -> list[tuple[int, Drill]]:
    """The terms' parts, signed; a computed term (a quotient, a rounding ...) stays whole."""
    result: list[tuple[int, Drill]] = []
    for sign, drill in terms:
        if drill.parts and not drill.computed:
            result += [(sign * s, d) for s, d in drill.parts]
        else:
            result.append((sign, drill))
    return result


def combine(terms: Iterable[tuple[int, Drill | None]], what: str = "Sum") -> Drill | None:
    """A sum's drill (see :func:`total`); None when a term has none (then neither has the sum)."""
    given = list(terms)
    if any(d is None for _, d in given):
        return None
    return total(((s, d) for s, d in given if d is not None), what)


def _dated(drill: Drill) -> tuple[str, datetime.date | None, datetime.date] | None:
    """A postings drill as (its WHERE clause with its dates cut out, start, end), so that two
    drills of the same postings over other dates can be told apart by their dates alone; None
    for a drill that is not one plain period of postings."""
    if (drill.parts or drill.declared or drill.computed or drill.units or not drill.query
            or not drill.end):
        return None
    dates = f"date < {drill.end}"
    if drill.start is not None:
        dates = f"date >= {drill.start} AND {dates}"
    clause = where(drill)
    if clause.count(dates) != 1 or clause.count("date ") != dates.count("date "):
        return None
    start = datetime.date.fromisoformat(drill.start) if drill.start else None
    return clause.replace(dates, "\0"), start, datetime.date.fromisoformat(drill.end)


def _redated(drill: Drill, start: datetime.date | None, end: datetime.date) -> Drill:
    """``drill``'s postings from ``start`` (None: from the beginning) to ``end`` (exclusive)."""
    shape = _dated(drill)
    assert shape is not None
    clause, old_start, old_end = shape
    dates = f"date < {end.isoformat()}"
    if start is not None:
        dates = f"date >= {start.isoformat()} AND {dates}"
    head = drill.query[: len(drill.query) - len(where(drill))]
    words = drill.description.replace(period_text(old_start, old_end), period_text(start, end), 1)
    return Drill(accounts=drill.accounts, start=start.isoformat() if start else None,
                 end=end.isoformat(), query=head + clause.replace("\0", dates), sign=drill.sign,
                 description=words)


def _before(a: datetime.date | None, b: datetime.date | None) -> bool:
    """Whether start ``a`` is earlier than start ``b`` (None: the beginning)."""
    return b is not None and (a is None or a < b)


def _joined(  # noqa: PLR0911 - one return per case of the algebra below
        first: tuple[int, Drill], second: tuple[int, Drill]) -> list[tuple[int, Drill]] | None:
    """Two signed terms over the same postings as one term, or none when they cancel; None when
    they cannot be joined (other postings, or periods that leave a gap).

    With ``e`` the effective sign (term sign × drill sign) and P[a, b) the postings dated from a
    to b: e·P[a, c) − e·P[a, b) = e·P[b, c) (a balance at the year's end less the one at its
    start is the year's postings), e·P[a, c) − e·P[b, c) = e·P[a, b), e·P[a, b) + e·P[b, c) =
    e·P[a, c), and e·P[a, b) − e·P[a, b) = 0."""
    (s1, d1), (s2, d2) = first, second
    one, two = _dated(d1), _dated(d2)
    if one is None or two is None or one[0] != two[0] or d1.accounts != d2.accounts:
        return None
    (_, a1, b1), (_, a2, b2) = one, two
    e1, e2 = s1 * d1.sign, s2 * d2.sign
    if e1 == -e2:
        if (a1, b1) == (a2, b2):
            return []
        if a1 == a2:  # the same start: what lies between the two ends, with the later's sign
            later, (s, d) = (b1, first) if b2 < b1 else (b2, second)
            return [(s, _redated(d, min(b1, b2), later))]
        if b1 == b2:  # the same end: what lies between the two starts, with the earlier's sign
            (s, d), early, late = (first, a1, a2) if _before(a1, a2) else (second, a2, a1)
            assert late is not None
            return [(s, _redated(d, early, late))]
        return None
    if b1 == a2:
        return [(s1, _redated(d1, a1, b2))]
    if b2 == a1:
        return [(s2, _redated(d2, a2, b1))]
    return None


def simplified(terms: Iterable[tuple[int, Drill]]) -> list[tuple[int, Drill]]:
    """Signed terms with the terms over the same postings joined (see :func:`_joined`), until
    no two join: a change in a balance becomes the postings of the period, and terms that
    cancel go, so that what a sum lists is what makes it."""
    result = list(terms)
    joined = True
    while joined:
        joined = False
        pairs = [(i, j) for i in range(len(result)) for j in range(i + 1, len(result))]
        for i, j in pairs:
            one = _joined(result[i], result[j])
            if one is not None:
                result = [*result[:i], *one, *result[i + 1 : j], *result[j + 1 :]]
                joined = True
                break
    return result


def one_listing(drill: Drill) -> bool:
    """Whether the figure is its drill's query alone: ``sign`` × the sum of the postings it
    lists (or one plain drill, or one rounding of such), with no directive and no part of
    another sign. A figure that is not is followed part by part."""
    if drill.declared:
        return False
    if drill.per is not None or drill.rate is not None:
        return False
    parts = [p for _, p in drill.parts] if drill.parts else []
    if any(p.declared or p.computed or p.parts or p.units for p in parts):
        return False
    return bool(drill.query) and len({s * p.sign for s, p in drill.parts}) <= 1


def total(terms: Iterable[tuple[int, Drill]], what: str = "Sum") -> Drill:
    """A sum's drill: ``Σ sign × term``.

    The parts are the terms' parts, :func:`simplified`. The query selects the postings of every
    part; the declared directives of every part are kept. The sign is the parts' common
    effective sign (1 when they differ). Terms that all cancel (a tie-out's two sides over the
    same postings: their difference) stay as they are, so that the zero they make is followed
    to both sides, not to a page that lists nothing."""
    given = _flat(terms)
    flat = simplified(given) or given
    with_postings = [(s, d) for s, d in flat if d.query]
    signs = {s * d.sign for s, d in with_postings}
    accounts = tuple(dict.fromkeys(a for _, d in with_postings for a in d.accounts))
    starts = [d.start for _, d in with_postings]
    query = ""
    if with_postings:
        clauses = " OR ".join(dict.fromkeys(f"({where(d)})" for _, d in with_postings))
        query = f"{SELECT} WHERE {clauses}"
    descriptions = "; ".join(
        dict.fromkeys(f"{'+' if s > 0 else '−'} {d.description}" for s, d in flat)
    )
    return Drill(
        accounts=accounts,
        start=None if None in starts or not starts else min(s for s in starts if s),
        end=max((d.end for _, d in with_postings), default=""),
        query=query,
        sign=signs.pop() if len(signs) == 1 else 1,
        description=f"{what} av: {descriptions}",
        parts=tuple(flat),
        declared=tuple(p for _, d in flat for p in d.declared),
    )


def ratio(numerator: Drill, divisor: Drill, what: str = "Per enhet") -> Drill:
    """A quotient's drill: what ``numerator`` makes divided by what ``divisor`` makes (rounded
    half up to the øre); its postings and directives are the numerator's, ``per`` the divisor."""
    return Drill(
        accounts=numerator.accounts, start=numerator.start, end=numerator.end,
        query=numerator.query, sign=numerator.sign,
        description=f"{what}: ({numerator.description}) delt på ({divisor.description})",
        parts=numerator.parts or ((1, numerator),), declared=numerator.declared, per=divisor,
    )


def _operand(drill: Drill) -> tuple[tuple[int, Drill], ...]:
    """The parts of a drill computed from ``drill``: its parts, or itself when it is computed."""
    return drill.parts if drill.parts and not drill.computed else ((1, drill),)


def at_rate(base: Drill, rate: Drill, what: str = "Beregnet") -> Drill:
    """An amount at a percentage rate: what ``base`` makes times what ``rate`` makes / 100."""
    return Drill(
        accounts=base.accounts, start=base.start, end=base.end, query=base.query, sign=base.sign,
        description=f"{what}: ({base.description}) × ({rate.description}) %",
        parts=_operand(base), declared=base.declared, rate=rate,
    )


def price_directive(entry: Any, what: str = "Kursen") -> Drill:
    """The declared drill of a ``price`` directive (``entry``): its rate, the value of its
    :data:`PRICE_KEY` (the directive's amount)."""
    number = entry.amount.number
    rate = format(number, "f").replace(".", ",") if number is not None else "ingen kurs"
    return declared([(entry.meta, PRICE_KEY)],
                    f"{what} {rate} {entry.amount.currency} pr. {entry.currency} "
                    f"({norwegian_date(entry.date)})")


def at_price(units: Drill, price: Drill, what: str = "Til kursen") -> Drill:
    """Foreign units at a price: what ``units`` makes (postings summed in units of a currency,
    :func:`postings` with ``units``) times what ``price`` makes (:func:`price_directive`). Its
    postings are the units' (its one part), ``price`` the rate."""
    assert units.units, "at_price takes a drill of units (postings(..., units=...))"
    return Drill(
        accounts=units.accounts, start=units.start, end=units.end, query=units.query,
        sign=units.sign, description=f"{what}: ({units.description}) × ({price.description})",
        parts=((1, units),), units=units.units, price=price,
    )


def rounded(drill: Drill, quantum: Decimal, what: str = "Avrundet til hele kroner") -> Drill:
    """``drill``'s figure rounded half up to ``quantum``."""
    return Drill(
        accounts=drill.accounts, start=drill.start, end=drill.end, query=drill.query,
        sign=drill.sign, description=f"{what}: {drill.description}",
        parts=_operand(drill), declared=drill.declared, rounded=quantum,
    )
