"""Asset classes of the fixed-asset register: accounts, useful lives and what note 8 prints.

Per class the chart keeps a cost account and beside it the accumulated depreciation on NNN9 and
the accumulated impairment on NNN8 (``ledger/accounts.beancount``); the cash-flow statement relies
on depreciation being credited to NNN9 and impairment to NNN8. Useful lives are in months; the
ranges are the ones note 8 of the 2024 annual report states (seed 004, line 3928 and 3951), the
default is used when an asset's directive gives no ``months``.

The national e-health solutions are amortised over five years (note 1, line 3391; note 4, line
3475) although note 8 prints "10 år" for them: the register keeps the five years for the
schedule, the notes layout the printed text (``nhnfin/data/notes_nhn.toml``), and note 8's
tie-outs flag the difference.
"""

from __future__ import annotations

from dataclasses import dataclass

from nhnfin.accounts import UNDER_CONSTRUCTION as AUC_ACCOUNT

__all__ = ["AUC_ACCOUNT", "IMPAIRMENT_EXPENSE", "AssetClass"]
IMPAIRMENT_EXPENSE = "Expenses:6050-Impairment"


@dataclass(frozen=True)
class AssetClass:
    """One class of fixed or intangible assets.

    Attributes:
        key: the class name used in directives (``"infrastructure"``).
        cost: the cost account.
        accumulated: accumulated depreciation/amortisation (NNN9).
        impairment: accumulated impairment (NNN8).
        expense: the depreciation expense account (6000 tangible, 6010 intangible).
        min_months: the shortest useful life note 8 allows (0 = not depreciated).
        max_months: the longest useful life note 8 allows.
        default_months: the life used when a directive gives none.
    """

    key: str
    cost: str
    accumulated: str
    impairment: str
    expense: str
    min_months: int
    max_months: int
    default_months: int

    @property
    def depreciable(self) -> bool:
        """Whether assets of this class are depreciated at all (art is not)."""
        return self.default_months > 0


_TANGIBLE = "Expenses:6000-DepreciationTangible"
_INTANGIBLE = "Expenses:6010-AmortisationIntangible"

CLASSES: dict[str, AssetClass] = {
    c.key: c
    for c in (
        AssetClass(
            "ehealth",
            "Assets:1020-EHealthSolutions",
            "Assets:1029-EHealthSolutionsAccumAmortisation",
            "Assets:1028-EHealthSolutionsAccumImpairment",
            _INTANGIBLE,
            60,
            120,
            60,
        ),
        AssetClass(
            "software",
            "Assets:1040-Software",
            "Assets:1049-SoftwareAccumAmortisation",
            "Assets:1048-SoftwareAccumImpairment",
            _INTANGIBLE,
            36,
            60,
            60,
        ),
        AssetClass("art", "Assets:1060-Art", "", "", "", 0, 0, 0),
        AssetClass(
            "infrastructure",
            "Assets:1200-Infrastructure",
            "Assets:1209-InfrastructureAccumDepreciation",
            "Assets:1208-InfrastructureAccumImpairment",
            _TANGIBLE,
            36,
            84,
            60,
        ),
        AssetClass(
            "fixtures",
            "Assets:1250-FixturesAndEquipment",
            "Assets:1259-FixturesAccumDepreciation",
            "Assets:1258-FixturesAccumImpairment",
            _TANGIBLE,
            36,
            120,
            60,
        ),
    )
}


def class_names() -> str:
    """The class keys, for error messages."""
    return ", ".join(sorted(CLASSES))
