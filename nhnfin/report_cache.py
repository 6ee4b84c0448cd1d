"""A cache of built reports, so a second `nhnfin report` on an unchanged ledger is fast.

Beancount's own cache keeps the parsed entries, but at a million postings unpickling them alone
takes many seconds. The report for a year is small, so nhnfin keeps it beside the ledger
(``.<ledger file>.nhnfin-<year>.cache``) as JSON, with its key:

- the ledger's absolute path, the year and the ``--published`` file asked for;
- nhnfin's version and a digest of its own modules, and Beancount's version;
- the SHA-256 of the content of every file the report read (:func:`nhnfin.files.ledger_inputs`:
  every included file, the layout, the published report, the lock digests, any file a ``custom``
  directive names), and what each include pattern resolves to now, so a new file matching
  ``include "parts/*.beancount"`` changes the key;
- whether each file a ``document`` directive names exists (a missing one is a ledger error in
  the report), and the listing of each ``option "documents"`` folder (a file put there is a
  ``document``).

The key is that of the content the report was built from: it is written only when the inputs
are as they were when the ledger was loaded (their digests right after the load, and no file
changed since just before it), so a file saved while a report is built is never cached as
built from its new content. A cached report is used only when the whole key is the same now;
otherwise the report is built again and the cache rewritten (atomically). The file holds data
only (Decimals as strings), decoded back into the frozen dataclasses of :mod:`nhnfin.model`; it
is signed with a key only this user can read (``$XDG_CACHE_HOME/nhnfin/report-cache.key``), so
a cache file planted beside the ledger, copied from elsewhere, corrupt or from another ledger is
ignored and rebuilt, never executed and never trusted. ``nhnfin report --no-cache`` skips it.

The file is one JSON object, ``{"format":…,"key":…,"signature":…,"report":…}``, written in that
order and compactly, so that a reader parses the small head (format, key, signature) alone and
checks the signature over the report's bytes as written before it decodes them: a warm report
at 100 k postings reads megabytes of drills, and parsing them twice (once to a dict, again to
verify) was most of its time. A file in any other shape, an edited one included, is not this
format and is rebuilt.

msgspec writes the report and reads it back (:func:`encode_report`, :func:`decode_report`),
straight between the JSON and the dataclasses, each value checked against their annotations:
pydantic's validator for the report's 26 dataclasses took longer to build than a warm report
may take (benchmarks/README.md).
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import importlib.util
import json
import os
import secrets
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import msgspec

import nhnfin
from nhnfin.files import Inputs
from nhnfin.files import cache_key_file
from nhnfin.files import folder_listing
from nhnfin.files import report_cache_file
from nhnfin.files import resolve_pattern
from nhnfin.files import write_atomically
from nhnfin.model import Report

FORMAT = "nhnfin-report-cache/4"
REPORT_MEMBER = b',"report":'  # the last member; the head before it is compact JSON
MAX_CACHE_BYTES = 64 * 1024 * 1024  # a report is kilobytes; anything larger is not ours
KEY_BYTES = 32


@functools.cache
def _codec() -> tuple[msgspec.json.Encoder, msgspec.json.Decoder[Report]]:
    """msgspec's JSON encoder and its decoder into :class:`nhnfin.model.Report` (built once)."""
    return msgspec.json.Encoder(), msgspec.json.Decoder(Report, strict=True)


def encode_report(report: Report) -> bytes:
    """``report`` as JSON: each dataclass an object, Decimals and dates as strings."""
    return _codec()[0].encode(report)


def decode_report(text: bytes) -> Report:
    """The report in ``text`` (the JSON of :func:`encode_report`), typed by the dataclasses'
    own annotations.

    Raises:
        msgspec.DecodeError: ``text`` is not JSON, or (``msgspec.ValidationError``) holds a
            value of another type or shape than the dataclass says.
    """
    return _codec()[1].decode(text)


@dataclass(frozen=True)
class Cached:
    """A report read from the cache, and the inputs it was built from."""

    report: Report
    inputs: Inputs


def cache_path(ledger: Path, year: int) -> Path:
    """Where the report for ``year`` of ``ledger`` is cached."""
    return report_cache_file(ledger, year)


def key_path() -> Path:
    """This user's signing key for report caches."""
    return cache_key_file()


def _read_key(path: Path) -> bytes | None:
    try:
        key = path.read_bytes()
    except OSError:
        return None
    return key if len(key) == KEY_BYTES else None


def signing_key() -> bytes | None:
    """This user's key (made on first use, readable by this user only); None if there is none
    and none can be made (then nothing is cached).

    Written atomically (0600 from the start): an interrupted first run leaves no key or the
    whole key, never a short one; a key file of another length (left by an older nhnfin) is
    replaced, which only makes the caches signed with it be built again."""
    path = key_path()
    key = _read_key(path)
    if key is not None:
        return key
    key = secrets.token_bytes(KEY_BYTES)
    try:
        write_atomically(path, key, exclusive=not os.path.lexists(path), mode=0o600)
    except FileExistsError:  # another nhnfin made it meanwhile: that one is the key
        return _read_key(path)
    except OSError:
        return None
    return key


def file_digest(path: Path) -> str | None:
    """SHA-256 of a regular file's content; None when it is missing or not a regular file."""
    try:
        if not path.is_file():
            return None
        with path.open("rb") as stream:
            return hashlib.file_digest(stream, "sha256").hexdigest()
    except OSError:
        return None


@functools.cache
def source_digest() -> str:
    """A digest of nhnfin's own modules and data: a changed rule invalidates every cache."""
    digest = hashlib.sha256()
    for root in (Path(p) for p in nhnfin.__path__):
        for path in sorted(f for f in root.rglob("*") if f.suffix in (".py", ".toml")):
            digest.update(f"{path.relative_to(root)}\0{file_digest(path)}\0".encode())
    return digest.hexdigest()


def beancount_version() -> str:
    """The version of the Beancount that loads the ledger: the imported module's, else read as
    Beancount reads it (its ``VERSION`` file), so a warm report need not import Beancount."""
    module = sys.modules.get("beancount")
    if module is not None:
        return str(module.__version__)
    spec = importlib.util.find_spec("beancount")
    folders = list(spec.submodule_search_locations or []) if spec is not None else []
    for folder in folders:
        try:
            return (Path(folder) / "VERSION").read_text(encoding="utf-8").strip()
        except OSError:
            continue
    import beancount  # the files are not where Beancount keeps them

    return str(beancount.__version__)


def base_key(ledger: Path, year: int, published: Path | None) -> dict[str, Any]:
    """The part of the key known before the ledger is read."""
    return {
        "ledger": str(ledger.absolute()),
        "year": year,
        "published": str(published.absolute()) if published else None,
        "nhnfin": nhnfin.__version__,
        "nhnfin_sources": source_digest(),
        "beancount": beancount_version(),
    }


def content_key(inputs: Inputs) -> dict[str, Any]:
    """The files' content digests and what each include pattern resolves to now."""
    return {
        "files": {str(p): file_digest(p) for p in inputs.files},
        "includes": {p: resolve_pattern(p) for p in inputs.includes},
        "watched": {p: resolve_pattern(p) for p in inputs.watched},
        "documents": {str(p): p.is_file() for p in inputs.documents},
        "folders": {f: folder_listing(f) for f in inputs.folders},
    }


def _head(key: dict[str, Any], signature: str = "") -> bytes:
    """The cache file up to its report: format, key and (when given) signature, compact."""
    head = {"format": FORMAT, "key": key, **({"signature": signature} if signature else {})}
    text = json.dumps(head, sort_keys=False, ensure_ascii=True, separators=(",", ":"))
    return text[:-1].encode("ascii")  # without its closing brace: the report follows


def _signature(secret: bytes, key: dict[str, Any], report: bytes) -> str:
    """The signature of a cache file: over its format, its key and the report's bytes."""
    digest = hmac.new(secret, _head(key), hashlib.sha256)
    digest.update(b"\0")
    digest.update(report)
    return digest.hexdigest()


def _document(path: Path, secret: bytes) -> tuple[dict[str, Any], bytes] | None:
    """The key and the report's bytes of the cache file, if it is a signed cache document of
    this user in this format; else None."""
    if not path.is_file() or path.stat().st_size > MAX_CACHE_BYTES:
        return None
    content = path.read_bytes()
    end = content.find(REPORT_MEMBER)  # no string of the compact head holds a bare quote
    if end < 0 or not content.endswith(b"}"):
        return None
    head = json.loads(content[:end] + b"}")
    report = content[end + len(REPORT_MEMBER):-1]
    if not isinstance(head, dict) or head.get("format") != FORMAT:
        return None
    key = head["key"]
    if content[:end] != _head(key, str(head["signature"])):  # the head as this module writes it
        return None
    signed = hmac.compare_digest(str(head["signature"]), _signature(secret, key, report))
    return (key, report) if signed else None


def read(ledger: Path, year: int, published: Path | None = None) -> Cached | None:
    """The cached report, if its whole key (content of every input included) is the same now
    and its signature is this user's; None otherwise (the caller builds the report)."""
    secret = signing_key()
    if secret is None:
        return None
    try:
        document = _document(cache_path(ledger, year), secret)
        if document is None or document[0]["base"] != base_key(ledger, year, published):
            return None
        content = document[0]["content"]
        inputs = Inputs(tuple(Path(p) for p in content["files"]), tuple(content["includes"]),
                        tuple(content["watched"]),
                        documents=tuple(Path(p) for p in content["documents"]),
                        folders=tuple(content["folders"]))
        if content != content_key(inputs):
            return None
        return Cached(decode_report(document[1]), inputs)
    except (OSError, ValueError, KeyError, TypeError, AttributeError, RecursionError,
            msgspec.DecodeError):
        return None


def changed_since(inputs: Inputs, started: int) -> bool:
    """True when one of the files ``inputs`` names (documents too) was changed at or after
    ``started`` (``time.time_ns()``): its status-change time, which every write and every
    ``touch -d`` sets to the present, is not older."""
    for path in (*inputs.files, *inputs.documents):
        try:
            if path.stat().st_ctime_ns >= started:
                return True
        except OSError:
            continue
    return False


def write(ledger: Path, year: int, published: Path | None, inputs: Inputs, report: Report,
          *, loaded: dict[str, Any], started: int) -> None:
    """Cache ``report`` (atomically) under the content of ``inputs``; a cache that cannot be
    written, inputs that cannot all be known (an include the text scan does not see), or inputs
    that are not as they were when the ledger was read (``loaded``: their :func:`content_key`
    right after the load; ``started``: the ``time.time_ns()`` before it) are simply not
    written: the report was built from the content loaded, which is no longer the content the
    key would name (an included file saved while the report was built)."""
    secret = signing_key()
    if secret is None or not inputs.complete:
        return
    content = content_key(inputs)
    if content != loaded or changed_since(inputs, started):
        return
    key = {"base": base_key(ledger, year, published), "content": content}
    body = encode_report(report)
    head = _head(key, _signature(secret, key, body))
    try:
        write_atomically(cache_path(ledger, year), head + REPORT_MEMBER + body + b"}")
    except OSError:
        return
