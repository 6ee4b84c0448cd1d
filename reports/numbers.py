"""Norwegian number format for presented figures: whole kroner, space as thousands separator,
minus sign (U+2212) for negatives: 1 042 953 698 and −81 455 995."""

from __future__ import annotations

from decimal import Decimal

from nhnfin.money import group_thousands
from nhnfin.money import round_krone

MINUS = "\u2212"
__all__ = ["MINUS", "format_nok", "format_value", "group_thousands", "presented"]


def format_nok(amount: Decimal | None, separator: str = " ") -> str:
    """A figure as the annual report prints it: rounded to kroner, grouped, true minus sign."""
    if amount is None:
        return ""
    rounded = round_krone(amount)
    text = group_thousands(str(abs(int(rounded))), separator)
    return f"{MINUS}{text}" if rounded < 0 else text


def format_value(amount: Decimal | None, unit: str | None, separator: str = " ") -> str:
    """NOK amounts as :func:`format_nok`; percentages, counts and years with a decimal comma."""
    if amount is None:
        return ""
    if unit in (None, "NOK"):
        return format_nok(amount, separator)
    # as declared: 4.0 stays "4,0" (the report prints the precision the actuary gives)
    text = format(amount, "f").replace(".", ",").replace("-", MINUS)
    if unit == "percent":
        return f"{text} %"
    return f"{text} år" if unit == "years" else text


def presented(amount: Decimal | None, unit: str | None = None) -> str | None:
    """The figure as a plain string for JSON/CSV: whole kroner for NOK ("-81455995")."""
    if amount is None:
        return None
    if unit in (None, "NOK"):
        return str(int(round_krone(amount)))
    return format(amount, "f")
