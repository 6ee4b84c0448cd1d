"""The shape of notes 5, 6 and 9-13 as data: tables, rows, columns, units and Norwegian labels.

Keys and labels are those of the published annual report 2024
(``ledger/published/nhn-annual-report-2024.json``). Two kinds of table are declared here:

* :class:`AccountTable`: rows made of ledger accounts (note 5's pay costs, notes 10-13). Which
  account makes which row is ledger data (``note-row`` on the account's ``open``, or a
  ``custom "nhnfin-note-accounts"`` number range: :mod:`nhnfin.notes.note_accounts`); the table
  names the statement line whose accounts it must cover.
* :class:`DataTable`: figures the general ledger does not hold (remuneration per person, the
  auditor's fees, head count, the actuary's report), declared in ``custom "nhnfin-note-data"``
  directives (:mod:`nhnfin.notes.note_data`). Rows whose ``parts`` are given are sums, computed
  and never declared.

Nothing here is code that a controller edits; ``docs/notes.md`` says what they write instead.
"""

from __future__ import annotations

from dataclasses import dataclass

from nhnfin.model import Column
from nhnfin.model import Kind

NOK = "NOK"
TEXT = "text"
UNITS = (NOK, "percent", "years", "count")


@dataclass(frozen=True)
class RowSpec:
    """A fixed row: ``parts`` (row keys) make it a computed sum; ``unit`` overrides the table's."""

    key: str
    label: str
    unit: str = NOK
    parts: tuple[str, ...] = ()
    kind: Kind = Kind.ITEM


@dataclass(frozen=True)
class AccountTable:
    """A note table whose rows are ledger accounts.

    Attributes:
        note: the note number.
        title: the note's title.
        caption: the table's caption.
        statement: the statement whose line the table specifies.
        line: the layout line whose accounts every row together must cover.
        rows: the rows an account can be mapped to (``note-row`` values).
        total: the label of the computed "Sum" row; None for no total.
        opt_in: the accounts of ``line`` belong to the note only when mapped (note 12: only the
            restricted part of the bank deposits); otherwise every one of them must be mapped.
    """

    note: str
    title: str
    caption: str
    statement: str
    line: str
    rows: tuple[RowSpec, ...]
    total: str | None = "Sum"
    opt_in: bool = False


@dataclass(frozen=True)
class DataTable:
    """A note table declared in ``custom "nhnfin-note-data"`` directives.

    ``by_year`` tables have the fiscal and the prior year as columns and fixed ``rows``; one
    directive per row and year gives the value. Other tables have one directive per row (a
    person) with ``columns`` and ``text_columns`` as metadata; ``computed`` columns are sums.
    """

    note: str
    key: str
    caption: str
    by_year: bool
    unit: str = NOK
    rows: tuple[RowSpec, ...] = ()
    columns: tuple[Column, ...] = ()
    text_columns: tuple[Column, ...] = ()
    computed: tuple[tuple[str, tuple[str, ...]], ...] = ()

    def row(self, key: str) -> RowSpec | None:
        """The fixed row ``key``, if the table has it."""
        return next((r for r in self.rows if r.key == key), None)

    @property
    def declared_columns(self) -> tuple[str, ...]:
        """Amount columns a directive gives (not the computed ones)."""
        sums = {key for key, _ in self.computed}
        return tuple(c.key for c in self.columns if c.key not in sums)


# --- account tables ------------------------------------------------------------------------

PAY_COSTS = AccountTable(
    note="5", title="Lønnskostnader", caption="Spesifikasjon av lønnskostnader",
    statement="income_statement", line="payroll_costs",
    rows=(
        RowSpec("salaries", "Lønn"),
        RowSpec("employer_social_security_contributions", "Arbeidsgiveravgift"),
        RowSpec("pension_costs", "Pensjonskostnader"),
        RowSpec("other_personnel_costs_and_benefits", "Andre personalkostnader og ytelser"),
    ),
)  # fmt: skip
LONG_TERM_RECEIVABLES = AccountTable(
    note="10", title="Langsiktige fordringer", caption="Langsiktige fordringer",
    statement="balance_sheet", line="other_long_term_receivables",
    rows=(
        RowSpec("project_emergency_medical_communication_centre",
                "Prosjekt Akuttmedisinsk kommunikasjonssentral*"),
        RowSpec("backbone_network_helse_sor_ost", "Utbygging stamnett Helse Sør-Øst"),
        RowSpec("other_receivables", "Andre fordringer"),
    ),
)  # fmt: skip
SHORT_TERM_RECEIVABLES = AccountTable(
    note="11", title="Andre kortsiktige fordringer", caption="Andre kortsiktige fordringer",
    statement="balance_sheet", line="other_short_term_receivables",
    rows=(
        RowSpec("earned_not_invoiced_income", "Opptjent, ikke fakturert inntekt"),
        RowSpec("prepaid_expenses", "Forskuddsbetalte kostnader"),
        RowSpec("other_short_term_receivables", "Andre kortsiktige fordringer"),
    ),
)  # fmt: skip
RESTRICTED_FUNDS = AccountTable(
    note="12", title="Bundne midler og kassekreditt", caption="Bundne midler",
    statement="balance_sheet", line="cash_and_bank_deposits",
    rows=(
        RowSpec("restricted_bank_deposits_tax_withholding", "Bundne bankinnskudd (skattetrekk)"),
    ),
    total=None, opt_in=True,
)  # fmt: skip
OTHER_SHORT_TERM_DEBT = AccountTable(
    note="13", title="Annen kortsiktig gjeld", caption="Annen kortsiktig gjeld",
    statement="balance_sheet", line="other_short_term_liabilities",
    rows=(
        RowSpec("accrued_items", "Periodiserte poster"),
        RowSpec("holiday_pay_payable", "Skyldige feriepenger"),
        RowSpec("cost_accruals", "Kostnadsavsetninger"),
        RowSpec("state_budget_appropriation_used_on_investments",
                "Statsbudsjettbevilgning benyttet på investeringer"),
        RowSpec("other_short_term_liabilities", "Annen kortsiktig gjeld"),
    ),
)  # fmt: skip
ACCOUNT_TABLES: tuple[AccountTable, ...] = (
    PAY_COSTS, LONG_TERM_RECEIVABLES, SHORT_TERM_RECEIVABLES, RESTRICTED_FUNDS,
    OTHER_SHORT_TERM_DEBT,
)  # fmt: skip

# --- data tables ---------------------------------------------------------------------------

_SALARY = Column("salary_and_holiday_pay", "Lønn og feriepenger")
_OTHER = Column("other_benefits", "Andre ytelser")
_TOTAL = Column("total_salary_and_other_benefits", "Sum lønn og andre ytelser")
_FEE = Column("board_fee_paid", "Utbetalt styrehonorar")
_PENSION = Column("pension_accrual", "Pensjonsopptjening")
_TITLE = Column("title", "Tittel")
_EMPLOYED = Column("employment_period", "Ansettelsesperiode")
_TERM = Column("term_of_office", "Funksjonsperiode")
_SUM = ((_TOTAL.key, (_SALARY.key, _OTHER.key)),)

DATA_TABLES: tuple[DataTable, ...] = (
    DataTable("5", "board_owner", "Ytelser til styremedlemmer – Eieroppnevnte styremedlemmer",
              by_year=False, columns=(_FEE,), text_columns=(_TITLE, _TERM)),
    DataTable("5", "board_employee", "Ytelser til styremedlemmer – Ansattvalgte styremedlemmer",
              by_year=False, columns=(_SALARY, _OTHER, _TOTAL, _FEE, _PENSION),
              text_columns=(_TERM,), computed=_SUM),
    DataTable("5", "ceo", "Ytelser til ledende personer – Administrerende direktør",
              by_year=False, columns=(_SALARY, _OTHER, _TOTAL, _PENSION),
              text_columns=(_TITLE, _EMPLOYED, _TERM), computed=_SUM),
    DataTable("5", "management", "Ytelser til ledende personer – Ledende personell",
              by_year=False, columns=(_SALARY, _OTHER, _TOTAL, _PENSION),
              text_columns=(_TITLE, _EMPLOYED, _TERM), computed=_SUM),
    DataTable("5", "auditor", "Godtgjørelse til revisor", by_year=True, rows=(
        RowSpec("audit_fee", "Revisjonshonorar"),
        RowSpec("other_services", "Andre tjenester"),
        RowSpec("total", "Sum", parts=("audit_fee", "other_services"), kind=Kind.TOTAL),
    )),
    DataTable("5", "staff", "Ansatte og årsverk", by_year=True, unit="count", rows=(
        RowSpec("employees", "Ansatte ved utgangen av året", unit="count"),
        RowSpec("full_time_equivalents", "Årsverk ved utgangen av året", unit="count"),
    )),
    DataTable("6", "pension_cost", "Pensjonskostnader i resultatregnskapet", by_year=True, rows=(
        RowSpec("service_cost", "Nåverdi av årets pensjonsopptjening"),
        RowSpec("interest_cost", "Rentekostnad av pensjonsforpliktelsen"),
        RowSpec("return_on_plan_assets", "Avkastning på pensjonsmidler"),
        RowSpec("administration_cost_interest_guarantee", "Administrasjonskostnad/rentegaranti"),
        RowSpec("employer_social_security_contributions", "Arbeidsgiveravgift"),
        RowSpec("recognised_actuarial_loss_gain", "Resultatført aktuarielt tap (gevinst)"),
        RowSpec("net_pension_cost", "Netto pensjonskostnad", kind=Kind.TOTAL, parts=(
            "service_cost", "interest_cost", "return_on_plan_assets",
            "administration_cost_interest_guarantee", "employer_social_security_contributions",
            "recognised_actuarial_loss_gain")),
    )),
    DataTable("6", "pension_balance", "Pensjonsforpliktelser i balansen", by_year=True, rows=(
        RowSpec("accrued_pension_obligations", "Påløpte pensjonsforpliktelser"),
        RowSpec("plan_assets_at_market_value", "Pensjonsmidler (til markedsverdi)"),
        RowSpec("net_obligation_before_employer_tax", "Netto beregnet pensjonsforpliktelse før aga",
                kind=Kind.SUBTOTAL,
                parts=("accrued_pension_obligations", "plan_assets_at_market_value")),
        RowSpec("employer_tax_on_obligation", "Beregnet aga på pensjonsforpliktelsen"),
        RowSpec("unrecognised_effect_of_estimate_deviations",
                "Ikke resultatført virkning av estimatavvik"),
        RowSpec("recognised_pension_obligation",
                "Balanseført pensjonsforpliktelse (netto pensjonsforpliktelser)", kind=Kind.TOTAL,
                parts=("net_obligation_before_employer_tax", "employer_tax_on_obligation",
                       "unrecognised_effect_of_estimate_deviations")),
    )),
    DataTable("6", "assumptions", "Økonomiske forutsetninger", by_year=True, unit="percent",
              rows=(
        RowSpec("discount_rate", "Diskonteringsrente", unit="percent"),
        RowSpec("expected_wage_growth", "Forventet lønnsvekst", unit="percent"),
        RowSpec("expected_g_adjustment", "Forventet G-regulering", unit="percent"),
        RowSpec("expected_adjustment_of_pensions_in_payment",
                "Forventet regulering av pensjoner under betaling", unit="percent"),
        RowSpec("expected_return_on_plan_assets", "Forventet avkastning på fondsmidler",
                unit="percent"),
        RowSpec("employer_social_security_rate", "Arbeidsgiveravgiftssats", unit="percent"),
        RowSpec("amortisation_period", "Amortiseringstid", unit="years"),
        RowSpec("corridor_size", "Korridorstørrelse", unit="percent"),
    )),
    # note 2's text quotes the repayments decided for the net unused funds (no table)
    DataTable("2", "repayments", "Tilbakebetaling av netto ubenyttede midler", by_year=True, rows=(
        RowSpec("agreed_next_year", "Avtalt tilbakebetalt neste år"),
        RowSpec("proposed_year_after", "Foreslått tilbakebetalt året etter"),
    )),
    # note 7 is text only; its template quotes these declared terms of the pay policy
    DataTable("7", "pay_policy", "Lederlønnspolitikk", by_year=True, unit="mixed", rows=(
        RowSpec("employee_pension_contribution", "Ansattes pensjonstrekk", unit="percent"),
        RowSpec("employer_pension_contribution_low",
                "Arbeidsgivers pensjonsinnskudd, nedre", unit="percent"),
        RowSpec("employer_pension_contribution_high",
                "Arbeidsgivers pensjonsinnskudd, øvre", unit="percent"),
        RowSpec("ceo_severance_pay_months", "Etterlønn administrerende direktør (måneder)",
                unit="count"),
        RowSpec("ceo_salary_increase", "Lønnsøkning administrerende direktør", unit="percent"),
    )),
    DataTable("6", "membership", "Medlemsstatus", by_year=True, unit="mixed", rows=(
        RowSpec("active_members", "Antall aktive", unit="count"),
        RowSpec("deferred_members", "Antall oppsatte", unit="count"),
        RowSpec("pensioners", "Antall pensjoner", unit="count"),
        RowSpec("average_pensionable_salary_active", "Gj.snittlig pensjonsgrunnlag aktive"),
        RowSpec("average_age_active", "Gj.snittlig alder aktive", unit="years"),
        RowSpec("average_service_years_active", "Gj.snittlig tjenestetid aktive", unit="years"),
    )),
)  # fmt: skip


def data_table(note: str, key: str) -> DataTable | None:
    """The data table ``key`` of ``note``, if declared."""
    return next((t for t in DATA_TABLES if t.note == note and t.key == key), None)


def data_tables(note: str) -> tuple[DataTable, ...]:
    """The data tables of ``note`` in print order."""
    return tuple(t for t in DATA_TABLES if t.note == note)


def account_table(row_key: str) -> AccountTable | None:
    """The account table that has a row ``row_key`` (row keys are unique across them)."""
    return next((t for t in ACCOUNT_TABLES if any(r.key == row_key for r in t.rows)), None)
