"""Money arithmetic: Decimal only, exact splits by largest remainder, krone rounding for display.

Every split of an amount in nhnfin (an invoice over actor groups, a group over its members, a
yearly amortisation over months) goes through :func:`allocate`, so the parts always add up to the
whole to the quantum asked for (øre or krone).
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import ROUND_DOWN
from decimal import ROUND_HALF_UP
from decimal import Decimal
from decimal import InvalidOperation
from decimal import localcontext
from typing import TYPE_CHECKING
from typing import Any

if TYPE_CHECKING:
    from beancount.core.amount import Amount

    from nhnfin.errors import NhnfinError

ZERO = Decimal(0)
ORE = Decimal("0.01")
KRONE = Decimal(1)
#: Amounts must stay below this (10^15 NOK): with øre that is 17 digits, so sums, splits and
#: roundings stay exact within Decimal's 28 significant digits. Larger numbers are input errors.
MAX_AMOUNT = Decimal(10) ** 15


def limit_words(unit: str = "NOK") -> str:
    """:data:`MAX_AMOUNT` as a message says it: ``grensen er 1 000 000 000 000 000 NOK``."""
    return f"grensen er {MAX_AMOUNT:,} {unit}".replace(",", " ").rstrip()


def over_limit(number: object, unit: str = "NOK") -> str:
    """``number`` is too large for nhnfin (not below :data:`MAX_AMOUNT`), in Norwegian."""
    return f"{number} er for stort ({limit_words(unit)})"


def posting_over_limit(account: str, number: object) -> str:
    """A posting of ``number`` to ``account`` too large for nhnfin (the ledger, e-health)."""
    return f"posteringen på {account}: {over_limit(number)}"


#: The currency the books are kept in: every posting weighs an amount of it (:func:`nok_weight`).
CURRENCY = "NOK"


def nok_weight(entry: Any, posting: Any) -> tuple[Decimal | None, NhnfinError | None]:
    """The NOK weight of ``posting`` of the transaction ``entry`` (its units, or at its price
    or cost), and the error of the ledger when it has none the books can sum: the weight is in
    another currency (a EUR posting without a price or cost in NOK), or not below
    :data:`MAX_AMOUNT`. The error is at the posting's file and line (the transaction's, for a
    posting without its own). ``(None, None)``: the posting has no amount. The one rule the
    report's movement table (:func:`nhnfin.ledger.movement_table`) and the load
    (``plugin "nhnfin"``, :func:`nhnfin.config.posting_problems`) apply."""
    # imported here: the warm report reads this module for its number format and imports no
    # Beancount (tests/test_cli_startup.py); the load and the report call this only for a
    # posting that is not plain NOK
    from beancount.core import convert

    from nhnfin.errors import NhnfinError

    # a plain posting weighs its units (convert.get_weight, without its checks)
    plain = posting.cost is None and posting.price is None
    weight: Amount | None = posting.units if plain else convert.get_weight(posting)
    if weight is None or not isinstance(weight.number, Decimal):
        return None, None
    number = weight.number
    if weight.currency != CURRENCY:
        words = (f"posteringen på {posting.account} er i {weight.currency}; regnskapet føres i "
                 f"{CURRENCY} (oppgi en pris eller kost i {CURRENCY})")
    elif not abs(number) < MAX_AMOUNT:
        words = f"{posting_over_limit(posting.account, number)}; den er utelatt av rapporten"
    else:
        return number, None
    own = posting.meta
    source = own if own and "lineno" in own else entry.meta
    return None, NhnfinError(source, words, entry)


def to_decimal(text: str | int | Decimal) -> Decimal:
    """Parse a Norwegian or plain amount ("1 042 953,50", "−81 455 995", "1042953.5") exactly.

    Raises:
        ValueError: the text is not an amount.
    """
    if isinstance(text, Decimal):
        return text
    if isinstance(text, int):
        return Decimal(text)
    cleaned = (
        text.strip()
        .replace("\u00a0", "")
        .replace("\u202f", "")
        .replace(" ", "")
        .replace("\u2212", "-")
    )
    if "," in cleaned:
        if "." in cleaned:
            raise ValueError(f"tvetydig beløp {text!r}: både ',' og '.'")
        cleaned = cleaned.replace(",", ".")
    try:
        value = Decimal(cleaned)
    except InvalidOperation as exc:
        raise ValueError(f"ikke et beløp: {text!r}") from exc
    if not value.is_finite():
        raise ValueError(f"ikke et endelig beløp: {text!r}")
    return value


def group_thousands(digits: str, separator: str) -> str:
    """'1042953698' -> '1 042 953 698' with ``separator``."""
    head = len(digits) % 3 or 3
    groups = [digits[:head]] + [digits[i : i + 3] for i in range(head, len(digits), 3)]
    return separator.join(groups)


def norwegian(amount: Decimal) -> str:
    """An exact amount in Norwegian notation for messages: kroner grouped by spaces, a decimal
    comma only where there are øre, and the minus sign U+2212 ('−1 234,50', '40 000')."""
    if not amount.is_finite():
        return str(amount)
    with localcontext() as context:  # any size: the amount beyond the limit an error names
        context.prec = max(context.prec, amount.adjusted() + 4)
        exact = amount.quantize(ORE, rounding=ROUND_HALF_UP)
        kroner, ore = divmod(abs(exact) * 100, 100)
    text = group_thousands(str(int(kroner)), " ")
    text = text if ore == 0 else f"{text},{int(ore):02d}"
    return f"\u2212{text}" if exact < 0 else text


def round_krone(amount: Decimal) -> Decimal:
    """Round to whole kroner, half away from zero, as the published report rounds each line."""
    return amount.quantize(KRONE, rounding=ROUND_HALF_UP)


def allocate(total: Decimal, weights: Sequence[Decimal], quantum: Decimal = ORE) -> list[Decimal]:
    """Split ``total`` in proportion to ``weights`` so the parts sum exactly to ``total``.

    Largest-remainder method: each part is first truncated (toward zero) to the quantum, then the
    quanta still missing go one each to the parts with the largest remainders; ties go to the
    earlier part, so the result is deterministic. ``total`` must be a whole number of quanta.

    Args:
        total: the amount to split (may be negative: then every part has the sign of its share).
        weights: non-negative weights, at least one positive.
        quantum: the smallest unit of a part (``ORE`` or ``KRONE``).

    Returns:
        One part per weight, in the same order, summing to ``total``.

    Raises:
        ValueError: no positive weight, a negative weight, ``total`` not a multiple of quantum,
            or ``total`` not below :data:`MAX_AMOUNT`.
    """
    if not abs(total) < MAX_AMOUNT:
        raise ValueError(f"{total} er for stort til å fordeles nøyaktig ({limit_words()})")
    if len(weights) == 1:  # the whole to the one part (a grant link's usual 100 %)
        return [_whole(total, weights[0], quantum)]
    if any(w < 0 for w in weights):
        raise ValueError("vektene kan ikke være negative")
    weight_sum = sum(weights, ZERO)
    if weight_sum <= 0:
        raise ValueError("minst én vekt må være positiv")
    if total % quantum != 0:
        raise ValueError(f"{total} er ikke et helt antall {quantum}")
    sign = Decimal(-1) if total < 0 else Decimal(1)
    magnitude = abs(total)
    exact = [magnitude * w / weight_sum for w in weights]
    parts = [e.quantize(quantum, rounding=ROUND_DOWN) for e in exact]
    missing = int((magnitude - sum(parts, ZERO)) / quantum)
    order = sorted(range(len(parts)), key=lambda i: (-(exact[i] - parts[i]), i))
    for i in order[:missing]:
        parts[i] += quantum
    return [sign * p for p in parts]


def _whole(total: Decimal, weight: Decimal, quantum: Decimal) -> Decimal:
    """:func:`allocate` of ``total`` to one weight: the same checks in the same order (the
    weight negative, then not positive, then ``total`` not whole quanta) and the same part,
    ``total`` to the quantum (a zero part without its sign), without sums or a sort."""
    if weight < 0:
        raise ValueError("vektene kan ikke være negative")
    if weight <= 0:
        raise ValueError("minst én vekt må være positiv")
    part = total.quantize(quantum, rounding=ROUND_DOWN)
    if part != total:  # total % quantum != 0: the truncated total is not the total
        raise ValueError(f"{total} er ikke et helt antall {quantum}")
    return part if part else abs(part)
