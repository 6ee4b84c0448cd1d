"""A period lock must be checked: a ``nhnfin-lock`` directive in a ledger that does not run the
lock check is an error (docs/year-end-close.md).

The lock check (:mod:`nhnfin.close.period_lock`) runs as the last step of ``plugin "nhnfin"`` or as
its own ``plugin "nhnfin.close.period_lock"`` line, which must then be the last plugin line. A
ledger with per-rule plugin lines and no lock check gets this error from its last nhnfin plugin
line; ``nhnfin report``, ``nhnfin close`` and the Fava pages refuse such a ledger too
(:func:`lock_check_problem`).

Every nhnfin plugin line also makes the files the ledger names for nhnfin inputs of the load
(:func:`watch_named_files`), so Beancount's load cache and Fava notice an edit of one of them,
and checks what no rule reads at load (:func:`directive_problems`).

The marks ordinary postings carry name declared ids (:data:`nhnfin.config.MARKS`, declared by
the directives of :data:`nhnfin.config.MARK_DECLARATIONS`): ``asset: "<id>"`` an asset or
transfer, ``grant: "<id>"`` (or ``"A:60,B:40"``, or a tag ``#grant-<id>``) a grant,
``solution: "<id>"`` an e-health solution, ``cost-element: "<id>"`` and ``funding: "<id>"``
a cost element and a funding source of the cost basis (``nhnfin-cost-element``,
``nhnfin-funding``, or one of the two funding sources built in), ``initiative: "<id>"`` an
initiative of the investment plan (``nhnfin-initiative``). A mark naming an id nothing
declares did nothing, without a word: a purchase marked with a typo'd asset id was never
depreciated, a cost marked with an unknown grant or solution was no grant's or solution's, and
when the ledger declared no grant (no solution) at all, the rule that reads the mark did not
even run; a cost marked with an unknown cost element or funding source was refused only by
``nhnfin cost-basis`` (an unknown initiative only by ``nhnfin investment-plan``), and a mark
on a posting the command does not read (no ``solution:``, not a cost account) never. It is an
error at the mark's line, naming the id and the nearest declared one (:func:`dangling_marks`).
An id declared anywhere in the ledger counts, whatever the dates: a cost booked before its asset
is ready, or before its grant's declaration, is the rule's to judge, not a dangling mark.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable
from collections.abc import Iterator
from collections.abc import Set
from pathlib import Path
from typing import Any

from beancount.core import account
from beancount.core import data

from nhnfin.accounts import UNDER_CONSTRUCTION
from nhnfin.config import MARK_BUILT_IN
from nhnfin.config import MARK_DECLARATIONS
from nhnfin.config import MARK_TAG
from nhnfin.config import MARKS
from nhnfin.config import entries_of
from nhnfin.config import mark_values
from nhnfin.config import marked_transactions
from nhnfin.errors import NhnfinError
from nhnfin.errors import as_written
from nhnfin.errors import declared_twice
from nhnfin.errors import did_you_mean
from nhnfin.errors import location
from nhnfin.errors import utf8_problem
from nhnfin.files import directive_files
from nhnfin.files import directive_path
from nhnfin.files import file_problem_words
from nhnfin.files import read_regular_file
from nhnfin.files import watch
from nhnfin.provenance import GENERATED_TAG

LOCK_DIRECTIVE = "nhnfin-lock"
TEXTS_DIRECTIVE = "nhnfin-lock-texts"
LOCK_PLUGINS = ("nhnfin", "nhnfin.close.period_lock")


def locks(entries: Iterable[Any]) -> list[data.Custom]:
    """The ledger's ``custom "nhnfin-lock"`` directives."""
    return [e for e in entries_of(entries, data.Custom) if e.type == LOCK_DIRECTIVE]


def records_folder(options_map: dict[str, Any]) -> Path | None:
    """The folder of the ledger's lock records, ``locks/`` beside its main file, where ``nhnfin
    close`` writes them; None for a ledger read from no file (a string)."""
    top = options_map.get("filename")
    if not isinstance(top, str) or not top or top.startswith("<"):
        return None
    return Path(top).parent / "locks"


def may_be_locked(entries: Iterable[Any], options_map: dict[str, Any]) -> bool:
    """Whether the period-lock check (:func:`nhnfin.close.period_lock.check_locks`) has anything
    to read: a lock or texts-lock directive, or a lock records folder (a record whose lock is
    gone is an error). When not, ``plugin "nhnfin"`` does not import the check and the digest
    code behind it."""
    if any(e.type in (LOCK_DIRECTIVE, TEXTS_DIRECTIVE) for e in entries_of(entries, data.Custom)):
        return True
    folder = records_folder(options_map)
    if folder is None:
        return False
    try:
        return folder.is_dir()
    except OSError:  # the check itself says what it makes of an unreadable folder
        return True


def lock_check_problem(options_map: dict[str, Any]) -> str | None:
    """Why the lock check does not run last in this ledger, or None when it does."""
    if options_map.get("plugin_processing_mode") == "raw":
        return ('option "plugin_processing_mode" er "raw", så ingen plugin kjører, heller ikke '
                "låsekontrollen")
    names = [name for name, _ in options_map.get("plugin", [])]
    checks = [n for n in names if n in LOCK_PLUGINS]
    if not checks:
        return (f'ingen plugin-linje kjører låsekontrollen: legg til plugin "{LOCK_PLUGINS[0]}" '
                f'(eller plugin "{LOCK_PLUGINS[1]}" som siste plugin-linje)')
    if names[-1] not in LOCK_PLUGINS:
        return (f'plugin "{names[-1]}" kommer etter låsekontrollen (plugin "{checks[-1]}"), så det '
                "den legger til, blir aldri kontrollert: sett låsekontrollen sist")
    return None


#: Every ``custom`` directive type nhnfin reads: its rules and checks, the lock, the commands
#: (import, reconcile, close, cost-basis) and the SAF-T export. The e-health rule names an
#: unknown ``nhnfin-ehealth-…`` type itself (:data:`EHEALTH_PREFIX`).
DIRECTIVES = frozenset({
    "nhnfin-asset", "nhnfin-bank-account", "nhnfin-budget", "nhnfin-budget-version",
    "nhnfin-company", "nhnfin-cost-element", "nhnfin-customer", "nhnfin-disposal",
    "nhnfin-funding", "nhnfin-grant", "nhnfin-grant-award", "nhnfin-grant-reallocation",
    "nhnfin-grant-repayment", "nhnfin-impairment", "nhnfin-initiative",
    "nhnfin-investment-margin", "nhnfin-investment-plan", "nhnfin-layout", LOCK_DIRECTIVE,
    TEXTS_DIRECTIVE, "nhnfin-note-accounts", "nhnfin-note-data", "nhnfin-note-text",
    "nhnfin-notes", "nhnfin-published", "nhnfin-ready-for-management", "nhnfin-schedule",
    "nhnfin-supplier", "nhnfin-transfer", "nhnfin-volume", "nhnfin-year-end",
})
EHEALTH_PREFIX = "nhnfin-ehealth-"


def unknown_directives(entries: Iterable[Any]) -> list[NhnfinError]:
    """An error at each ``custom "nhnfin-…"`` directive of a type nhnfin does not read: a typo
    (``"nhnfin-imapirment"``) would otherwise do nothing, without a word, and the figures would
    lack what it declares. ``plugin "nhnfin"`` gives them, or the last per-rule nhnfin line."""
    errors = []
    for entry in entries_of(entries, data.Custom):
        kind = entry.type
        if (not kind.startswith("nhnfin-") or kind in DIRECTIVES
                or kind.startswith(EHEALTH_PREFIX)):
            continue
        errors.append(NhnfinError(entry.meta, f'ukjent direktiv custom "{kind}": nhnfin leser '
                                              f"det ikke, så det virker ikke"
                                              f"{did_you_mean(kind, DIRECTIVES)}", entry))
    return errors


def directive_problems(entries: list[Any]) -> list[NhnfinError]:
    """The errors of the directives no rule reads at load: :func:`unknown_directives`,
    :func:`bank_account_problems`, :func:`year_end_problems`, :func:`note_text_problems` and
    :func:`party_problems`; and a mark on a posting that names no declared id
    (:func:`dangling_marks`), which no rule reads when none declares its kind."""
    locked = max((lock.date for lock in locks(entries)), default=None)
    return [*unknown_directives(entries), *bank_account_problems(entries),
            *year_end_problems(entries), *note_text_problems(entries),
            *party_problems(entries), *dangling_marks(entries, locked)]


COMPANY = "nhnfin-company"  # the SAF-T export's (nhnfin.importers.saft_export: not imported here)
PARTIES = ("nhnfin-customer", "nhnfin-supplier")
CONTACT_KEYS = ("contact-first-name", "contact-last-name")
_ORG_WEIGHTS = (3, 2, 7, 6, 5, 4, 3, 2)


def valid_org_number(number: str) -> bool:
    """True for a nine-digit Norwegian organisation number with a valid MOD11 check digit."""
    if len(number) != 9 or not number.isdigit():
        return False
    remainder = sum(int(d) * w for d, w in zip(number, _ORG_WEIGHTS, strict=False)) % 11
    check = 0 if remainder == 0 else 11 - remainder
    return check != 10 and check == int(number[8])


def company_problems(entry: data.Custom) -> list[str]:
    """What is wrong with a ``nhnfin-company`` directive as written (none: nothing): its two
    values, a valid organisation number and a name, and a contact person given as names. Only
    ``nhnfin saft`` read it, so bean-check and Fava said nothing of a typo in the number until
    the export; the export also needs the contact person, which a new ledger has not yet
    (``nhnfin init`` writes the directive without it), so a missing one is the export's to say."""
    values = [v.value for v in entry.values or []]
    if len(values) != 2 or not all(isinstance(v, str) for v in values):
        return [f'{COMPANY}: skal være "{COMPANY}" "<organisasjonsnummer>" "<navn>"']
    problems = []
    if not valid_org_number(values[0].replace(" ", "")):
        problems.append(f"organisasjonsnummeret {values[0]!r} er ikke gyldig (9 sifre, MOD11)")
    if not values[1].strip():
        problems.append("foretaksnavnet er tomt")
    for key in CONTACT_KEYS:
        value = entry.meta.get(key)
        if value is not None and not (isinstance(value, str) and value.strip()):
            problems.append(f'{key}: må være et navn i anførselstegn, f.eks. {key}: "Kari", '
                            f"men er {as_written(value)}")
    return [f"{COMPANY}: {p}" for p in problems]


def company_of(entries: Iterable[Any], year: int) -> data.Custom | None:
    """The ``nhnfin-company`` directive a SAF-T export of ``year`` reads: the latest dated on
    or before 31 December (None: the ledger declares none by then). ``nhnfin saft`` and the
    close's SAF-T check read it."""
    end = datetime.date(year, 12, 31)
    found = [e for e in entries_of(entries, data.Custom) if e.type == COMPANY and e.date <= end]
    return max(found, key=lambda e: e.date) if found else None


def missing_contact(entry: data.Custom) -> list[str]:
    """The contact person's keys a ``nhnfin-company`` directive lacks, which the SAF-T schema
    requires, each as the export says it (``nhnfin-company: contact-first-name: mangler …``)."""
    return [f"{COMPANY}: {key}: mangler (SAF-T krever en kontaktperson)"
            for key in CONTACT_KEYS if entry.meta.get(key) is None]


def party_problem(entry: data.Custom) -> str | None:
    """What is wrong with a ``nhnfin-customer``/``nhnfin-supplier`` directive (None: nothing):
    a name and a registration number, which must pass MOD11 when it has nine digits. Only
    ``nhnfin saft`` read them."""
    values = [v.value for v in entry.values or []]
    if len(values) != 2 or not all(isinstance(v, str) and v.strip() for v in values):
        return f'skal være {entry.type} "<navn>" "<organisasjonsnummer>"'
    number = str(values[1]).replace(" ", "")
    if number.isdigit() and len(number) == 9 and not valid_org_number(number):
        return f"{entry.type}: organisasjonsnummeret {values[1]!r} er ikke gyldig (MOD11)"
    return None


def party_problems(entries: Iterable[Any]) -> list[NhnfinError]:
    """An error at each ``nhnfin-company`` (:func:`company_problems`), ``nhnfin-customer`` and
    ``nhnfin-supplier`` (:func:`party_problem`) directive that is malformed, and at each that
    repeats an earlier one's name or number (:func:`repeated_parties`)."""
    errors: list[NhnfinError] = []
    parties: list[data.Custom] = []
    for entry in entries_of(entries, data.Custom):
        if entry.type == COMPANY:
            errors.extend(NhnfinError(entry.meta, p, entry) for p in company_problems(entry))
        elif entry.type in PARTIES:
            if (problem := party_problem(entry)) is not None:
                errors.append(NhnfinError(entry.meta, problem, entry))
            else:
                parties.append(entry)
    return [*errors, *repeated_parties(parties)]


#: a party directive's party, as a message names it (definite, indefinite)
PARTY_WORDS = {"nhnfin-customer": ("kunden", "kunde"),
               "nhnfin-supplier": ("leverandøren", "leverandør")}


def party_values(entry: data.Custom) -> tuple[str, str]:
    """The name and registration number of a well-formed party directive (:func:`party_problem`
    None), as the SAF-T export reads them: the name without surrounding blanks, the number
    without blanks."""
    values = [v.value for v in entry.values]
    return str(values[0]).strip(), str(values[1]).replace(" ", "")


def repeated_parties(parties: Iterable[data.Custom]) -> list[NhnfinError]:
    """An error at each well-formed ``nhnfin-customer`` (``nhnfin-supplier``) directive that
    names a customer (supplier) an earlier one names, or gives an earlier one's registration
    number under another name, naming the earlier one's file:line: ``nhnfin saft`` took the
    last directive of a name, without a word, so the export gave the customer whichever number
    came last, and one number under two names was two customers."""
    errors = []
    names: dict[tuple[str, str], tuple[str, data.Custom]] = {}
    numbers: dict[tuple[str, str], tuple[str, data.Custom]] = {}
    for entry in parties:
        name, number = party_values(entry)
        party, one = PARTY_WORDS[entry.type]
        earlier = names.get((entry.type, name))
        if earlier is not None:
            message = declared_twice(f"{entry.type}: {party}", name, earlier[1].meta)
            if earlier[0] != number:
                message += (f", med organisasjonsnummeret {earlier[0]!r} der og {number!r} her: "
                            f"SAF-T-eksporten kan bare gi {party} ett")
            errors.append(NhnfinError(entry.meta, message, entry))
            continue
        names[entry.type, name] = (number, entry)
        other = numbers.setdefault((entry.type, number), (name, entry))
        if other[1] is not entry:
            errors.append(NhnfinError(entry.meta, (
                f"{entry.type}: organisasjonsnummeret {number!r} er oppgitt for både "
                f"{other[0]!r} ({location(other[1].meta)}) og {name!r}: er det samme {one}, "
                "skal den stå én gang, med ett navn"), entry))
    return errors


YEAR_END = "nhnfin-year-end"  # nhnfin.close.year_end's (a job: not imported here)


def year_end_problems(entries: Iterable[Any]) -> list[NhnfinError]:
    """An error at each ``nhnfin-year-end`` directive that is not two accounts: only ``nhnfin
    close`` read it, so bean-check said nothing until the year was closed (and nothing of an
    earlier one that the close does not use)."""
    message = (f'custom "{YEAR_END}" tar to kontoer: overføringskontoen (8960) og kontoen for '
               "annen egenkapital (2050)")
    errors = []
    for entry in entries_of(entries, data.Custom):
        values = [v.value for v in entry.values or []]
        if entry.type == YEAR_END and (len(values) != 2 or not all(
                isinstance(v, str) and account.is_valid(v) for v in values)):
            errors.append(NhnfinError(entry.meta, message, entry))
    return errors


BANK_ACCOUNT = "nhnfin-bank-account"
BANK_USAGE = (f'custom "{BANK_ACCOUNT}" tar kontonummeret (IBAN) i anførselstegn og kontoen, '
              'f.eks. "NO9386011117947" Assets:1920-Bank')


_IBAN = re.compile(r"[A-Z]{2}[0-9]{2}[A-Z0-9]{11,30}")


def iban_check_fails(number: str) -> bool:
    """Whether ``number`` (spaces allowed) has the form of an IBAN and its check digits are
    wrong (ISO 13616: the number with its first four characters moved to the end, letters as
    10-35, is 1 modulo 97). A number of another form (a BBAN, ``Othr/Id`` in camt) is not
    checked."""
    compact = number.replace(" ", "").upper()
    if not _IBAN.fullmatch(compact):
        return False
    digits = "".join(str(int(c, 36)) for c in compact[4:] + compact[:4])
    return int(digits) % 97 != 1


def _not_opened(name: str, entry: data.Custom) -> str:
    return f"kontoen {name} er ikke åpnet (legg til {entry.date} open {name} NOK)"


def bank_account_problem(entry: data.Custom, opened: Set[str] | None = None) -> str | None:
    """What is wrong with a ``nhnfin-bank-account`` directive (None: nothing). ``nhnfin
    import`` and ``nhnfin reconcile`` read only the well-formed ones, so a malformed one left
    the account unconfigured, and reconcile said "alt er avstemt", without a word. With
    ``opened`` (the accounts the ledger opens), an account or counter-account not among them is
    one too, and so is an IBAN whose check digits are wrong (round fourteen: both were taken
    without a word)."""
    values = [v.value for v in entry.values or []]
    if (len(values) != 2 or not isinstance(values[0], str) or not values[0].strip()
            or not isinstance(values[1], str) or not account.is_valid(values[1])):
        return BANK_USAGE
    counter = entry.meta.get("counter-account")
    if counter is not None and not (isinstance(counter, str) and account.is_valid(counter)):
        return (f'custom "{BANK_ACCOUNT}": counter-account: må være et kontonavn i '
                f'anførselstegn, f.eks. "Assets:1590-Unreconciled", men er {as_written(counter)}')
    if iban_check_fails(values[0]):
        return (f'custom "{BANK_ACCOUNT}": kontonummeret "{values[0]}" er ikke et gyldig IBAN: '
                "kontrollsifrene stemmer ikke (se etter en feilskrevet eller byttet siffer)")
    if opened is not None:
        if values[1] not in opened:
            return f'custom "{BANK_ACCOUNT}": {_not_opened(values[1], entry)}'
        if counter is not None and counter not in opened:
            return f'custom "{BANK_ACCOUNT}": counter-account: {_not_opened(counter, entry)}'
    return None


def bank_account_problems(entries: Iterable[Any]) -> list[NhnfinError]:
    """An error at each malformed ``nhnfin-bank-account`` directive
    (:func:`bank_account_problem`), or one naming an account the ledger does not open."""
    if not isinstance(entries, list):
        entries = list(entries)
    opened = {e.account for e in entries_of(entries, data.Open)}
    return [NhnfinError(e.meta, problem, e) for e in entries_of(entries, data.Custom)
            if e.type == BANK_ACCOUNT and (problem := bank_account_problem(e, opened)) is not None]


BOM = b"\xef\xbb\xbf"


def bom_problems(entries: list[Any], options_map: dict[str, Any]) -> list[NhnfinError]:
    """An error at line 1 of each Beancount file of the ledger that starts with a byte order
    mark (a BOM, U+FEFF, which some Windows editors write): Beancount's parser then reports each
    word of the first line as an "Invalid token", in English, without saying why. Reads three
    bytes of each file Beancount loaded (not the files the directives name, which
    :func:`watch_named_files` adds to the same list: their readers say what is wrong)."""
    named = {str(p.resolve()) for p in directive_files(entries_of(entries, data.Custom))}
    errors = []
    for name in options_map.get("include", []):
        if str(name) in named:
            continue
        try:
            with Path(name).open("rb") as stream:
                start = stream.read(len(BOM))
        except OSError:
            continue
        if start == BOM:
            errors.append(NhnfinError(
                data.new_metadata(str(name), 1),
                "filen begynner med et BOM-tegn (U+FEFF), som Beancount ikke leser: "
                "lagre den som UTF-8 uten BOM", None))
    return errors


NOTE_TEXT = "nhnfin-note-text"  # nhnfin.notes.text's (not imported: it loads jinja2)


def note_text_problem(entry: data.Custom) -> str | None:
    """Why the template a ``nhnfin-note-text`` directive names cannot be used (None: it can be
    read): the directive's shape, and the file as a regular UTF-8 file. Only ``nhnfin report``
    filled the template in, so bean-check and Fava's load said nothing of a template that was
    missing, a folder or not UTF-8 (the template's own syntax is the report's to check)."""
    values = [v.value for v in entry.values or []]
    if len(values) != 2 or not all(isinstance(v, str) for v in values):
        return (f'custom "{NOTE_TEXT}" tar et notenummer og stien til en mal, f.eks. "2" '
                '"notes/note-02.md.j2"')
    return note_template_text(directive_path(entry, values[1]))[1]


def note_template_text(path: Path) -> tuple[str | None, str | None]:
    """The text of the note template at ``path``, or None and why it cannot be read, in
    Norwegian (not a regular file, not UTF-8: the line and column); its syntax is the report's
    to check. The one reading of a template, at the load and when the report fills it in."""
    try:
        return read_regular_file(path).decode("utf-8"), None
    except UnicodeDecodeError as exc:
        line, problem = utf8_problem(exc)
        return None, f"notemalen {path}:{line} {problem}"
    except OSError as exc:
        return None, (f"kan ikke lese notemalen {path}: "
                      f"{file_problem_words(exc.strerror or str(exc))}")


def note_text_problems(entries: Iterable[Any]) -> list[NhnfinError]:
    """An error at each ``nhnfin-note-text`` directive whose template cannot be used
    (:func:`note_text_problem`)."""
    return [NhnfinError(e.meta, problem, e) for e in entries_of(entries, data.Custom)
            if e.type == NOTE_TEXT and (problem := note_text_problem(e)) is not None]


def watch_named_files(entries: list[Any], options_map: dict[str, Any]) -> None:
    """Make the files the ledger's directives name for nhnfin (layouts, note texts, published
    reports: :data:`nhnfin.files.FILE_DIRECTIVES`) inputs of the load, so that Beancount's load
    cache and Fava's file watcher see an edit of one of them as an edit of the ledger
    (:func:`nhnfin.files.watch`). Every nhnfin plugin line does it."""
    watch(options_map, directive_files(entries_of(entries, data.Custom)))


def per_rule_line(
    entries: list[Any], options_map: dict[str, Any], names: tuple[str, ...]
) -> list[NhnfinError]:
    """What a per-rule plugin line (one of ``names``) does besides its rule: it watches the
    files the ledger names (:func:`watch_named_files`) and gives the errors of
    :func:`unchecked_locks` and, when it is the last nhnfin rule line, of
    :func:`directive_problems`."""
    watch_named_files(entries, options_map)
    plugins = [name for name, _ in options_map.get("plugin", [])]
    rules = [n for n in plugins if n.startswith("nhnfin.") and n not in LOCK_PLUGINS]
    last = bool(rules) and rules[-1] in names
    unknown = [*directive_problems(entries), *bom_problems(entries, options_map)] if last else []
    return [*unknown, *unchecked_locks(entries, options_map, names)]


def unchecked_locks(
    entries: list[Any], options_map: dict[str, Any], names: tuple[str, ...]
) -> list[NhnfinError]:
    """For a per-rule plugin line (one of ``names``): an error at each lock directive when the
    ledger runs no lock check, reported by the last nhnfin plugin line only."""
    plugins = [name for name, _ in options_map.get("plugin", [])]
    if any(n in LOCK_PLUGINS for n in plugins):
        return []
    ours = [n for n in plugins if n.startswith("nhnfin.")]
    if not ours or ours[-1] not in names:
        return []
    problem = lock_check_problem(options_map)
    return [
        NhnfinError(lock.meta, f"låst periode til og med {lock.date} blir ikke kontrollert: "
                               f"{problem}", lock)
        for lock in locks(entries)
    ]


# ---- marks that name nothing ------------------------------------------------------------

#: what each mark names, as a controller says it (the noun and its pronoun)
WORDS = {"asset": ("eiendel", "den"), "grant": ("tilskudd", "det"), "solution": ("løsning", "den"),
         "cost-element": ("kostnadselement", "det"), "funding": ("finansiering", "den"),
         "initiative": ("tiltak", "det")}
#: what else makes an id known, and what an unknown one does not get
ALSO = {"asset": (f", ingen tilskuddskobling (grant:) finansierer den og den har ingen kostnad på "
                  f"{UNDER_CONSTRUCTION}, så den blir verken avskrevet eller fulgt av et "
                  "investeringstilskudd"),
        "funding": (", og den er ingen av de innebygde "
                    f"({' og '.join(repr(i) for i in MARK_BUILT_IN['funding'])})")}


def link_parts(spec: str) -> list[tuple[str, str]]:
    """The parts of a grant link, ``(id, share text)``: ``"A:60,B:40"`` -> [("A", "60"),
    ("B", "40")], ``"A"`` -> [("A", "")]; the one reading of a link's ids
    (:func:`nhnfin.grants.links.parse_shares` reads the shares)."""
    parts = []
    for part in spec.split(","):
        gid, _, share = part.strip().partition(":")
        parts.append((gid.strip(), share.strip()))
    return parts


def unknown_id(kind: str, ident: str, known: Iterable[str] = ()) -> str:
    """The words of a mark or directive naming an id of ``kind`` (a key of
    :data:`~nhnfin.config.MARKS`) that no directive declares, with the nearest of ``known``."""
    noun, pronoun = WORDS[kind]
    declared = " eller ".join(f'custom "{d}"' for d in MARK_DECLARATIONS[kind])
    return (f"ukjent {noun} {ident!r}: ingen {declared} oppgir {pronoun}{ALSO.get(kind, '')}"
            f"{did_you_mean(ident, known)}")


def declared_ids(entries: list[Any]) -> dict[str, set[str]]:
    """The ids declared for each mark (the first value of its directives), and its built-in
    ones (:data:`~nhnfin.config.MARK_BUILT_IN`)."""
    kinds = {directive: kind for kind, types in MARK_DECLARATIONS.items() for directive in types}
    found: dict[str, set[str]] = {kind: set(MARK_BUILT_IN.get(kind, ())) for kind in MARKS}
    for entry in entries_of(entries, data.Custom):
        kind = kinds.get(entry.type)
        if kind is not None and entry.values and isinstance(entry.values[0].value, str):
            found[kind].add(entry.values[0].value)
    return found


def dangling_marks(entries: list[Any], locked: datetime.date | None = None
                   ) -> list[NhnfinError]:
    """An error at each mark that names an id no directive declares (:func:`unknown_id`), once
    per line and id: a mark on a transaction (its metadata or a ``#grant-<id>`` tag) at its
    line, one on a posting at the posting's. An asset is also known through the ledger without
    a declaration on a posting to :data:`~nhnfin.accounts.UNDER_CONSTRUCTION` (not yet declared
    ready: its cost so far) and on a posting with a grant link (its own or its transaction's):
    the investment or deferred grant :mod:`nhnfin.grants.investments` follows an asset
    depreciated by hand with. Generated entries are skipped (their ids come from declarations).
    Within a plugin run the texts the marks give are first checked against the declared ids
    (:func:`named_only_declared`); the marked transactions are read for the places only when
    one may name nothing."""
    known = declared_ids(entries)
    named = mark_values(entries)
    if named is not None and named_only_declared(entries, named, known):
        return []
    assets = known["asset"]
    unknown: dict[tuple[Any, Any, str, str], tuple[dict[str, Any], data.Transaction]] = {}
    read: dict[str, list[str]] = {}  # a grant link -> its ids (a few links, many postings)
    disjoint, among = MARKS.isdisjoint, MARKS.intersection

    def note(where: dict[str, Any], kind: str, value: Any, txn: data.Transaction) -> None:
        if kind == "grant":
            spec = str(value)
            ids = read.get(spec)
            if ids is None:
                ids = read[spec] = [gid for gid, _ in link_parts(spec) if gid]
        else:
            ids = [str(value)]
        for ident in ids:
            if ident not in known[kind]:
                unknown.setdefault((where.get("filename"), where.get("lineno"), kind, ident),
                                   (where, txn))

    for _, txn in marked_transactions(entries, MARKS):
        if not isinstance(txn, data.Transaction):
            continue
        tags, meta = txn.tags, txn.meta
        if tags and GENERATED_TAG in tags:
            continue
        for kind in () if disjoint(meta) else sorted(among(meta)):
            note(meta, kind, meta[kind], txn)
        linked = "grant" in meta
        for tag in sorted(tags) if tags else ():
            if tag.startswith(MARK_TAG):
                linked = True
                note(meta, "grant", tag[len(MARK_TAG):], txn)
        for posting in txn.postings:
            own = posting.meta
            if own and not disjoint(own):
                for kind in sorted(among(own)):
                    note(own, kind, own[kind], txn)
        assets.update(known_through_ledger(txn, linked))
    return [NhnfinError(where, _unknown_words(kind, ident, known[kind], txn, locked), txn)
            for (_, _, kind, ident), (where, txn) in unknown.items()
            if ident not in known[kind]]  # (an asset may be known further on)


def known_through_ledger(txn: data.Transaction, linked: bool) -> Iterator[str]:
    """The asset ids ``txn`` makes known without a declaration (``linked``: it carries a grant
    link itself): on a posting to :data:`~nhnfin.accounts.UNDER_CONSTRUCTION` and on a posting
    with a grant link (see :func:`dangling_marks`)."""
    default = txn.meta.get("asset")
    for posting in txn.postings:
        own = posting.meta
        asset = own.get("asset", default) if own else default
        if asset is not None and (linked or (own and "grant" in own)
                                  or posting.account == UNDER_CONSTRUCTION):
            yield str(asset)


def named_only_declared(entries: list[Any], named: dict[str, set[str]],
                        known: dict[str, set[str]]) -> bool:
    """Whether every id the mark texts ``named`` give (:func:`~nhnfin.config.mark_values`) is
    one of the ``known`` declared, or an asset the ledger makes known (:func:`known_through_
    ledger`, read from the transactions with an asset mark only)."""
    for kind in sorted(MARKS):
        texts = named[kind]
        ids = ({gid for spec in texts for gid, _ in link_parts(spec) if gid} if kind == "grant"
               else texts)
        left = ids - known[kind]
        if left and kind == "asset":
            for _, txn in marked_transactions(entries, ("asset",)):
                tags = txn.tags
                if isinstance(txn, data.Transaction) and not (tags and GENERATED_TAG in tags):
                    linked = "grant" in txn.meta or any(t.startswith(MARK_TAG)
                                                        for t in tags or ())
                    left = left.difference(known_through_ledger(txn, linked))
        if left:
            return False
    return True


def _unknown_words(kind: str, ident: str, known: set[str], txn: data.Transaction,
                   locked: datetime.date | None) -> str:
    """:func:`unknown_id`, and for a mark in the period locked until ``locked``, that
    correcting it changes the locked year."""
    message = unknown_id(kind, ident, known)
    if locked is not None and txn.date <= locked:
        message += (f"; posteringen er i den låste perioden til og med {locked}, så "
                    "rettelsen endrer det låste året (docs/year-end-close.md)")
    return message
