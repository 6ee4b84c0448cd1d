"""Hardened, streaming XML parsing for the camt.053 and SAF-T importers.

Bank statements and SAF-T files come from outside, so they are parsed with lxml's safe settings:
no entity expansion (``resolve_entities=False``), no network access (``no_network=True``), no
DTD loading and libxml2's default size limits (``huge_tree=False``). On top of that any document
that declares a DTD (``<!DOCTYPE …>``) is refused before its first element is read: neither
camt.053 nor SAF-T uses one, and a DTD is how a billion-laughs bomb or an external entity
(``<!ENTITY x SYSTEM "file:///etc/passwd">``) gets in. The refusal and any syntax error are a
:class:`~nhnfin.importers.common.DocumentError` naming the file and line.

Elements are streamed (``iterparse``) so a 100 000-entry statement is never held in memory
at once: callers clear what they have read.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from typing import Any

from lxml import etree
from nhnfin.importers.common import DocumentError

#: The two iterparse events the importers use.
EVENTS = ("start", "end")


def local(elem: Any) -> str:
    """The tag of ``elem`` without its namespace (``{urn:…}Ntry`` → ``Ntry``)."""
    tag = elem.tag
    return _local_name(tag) if isinstance(tag, str) else ""


@functools.lru_cache(maxsize=1024)
def _local_name(tag: str) -> str:
    # Pure and called millions of times on a large statement: memoised by tag.
    return tag.rpartition("}")[2]


def namespace(elem: Any) -> str:
    """The namespace URI of ``elem`` ('' when it has none)."""
    tag = elem.tag
    return tag[1:].partition("}")[0] if isinstance(tag, str) and tag.startswith("{") else ""


def iterparse(filepath: str) -> Iterator[tuple[str, Any]]:
    """Yield ``(event, element)`` pairs of ``filepath`` with the safe settings of this module.

    Raises:
        DocumentError: the document declares a DTD or entities, or is not well-formed XML.
    """
    context = etree.iterparse(
        filepath,
        events=EVENTS,
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )
    checked = False
    try:
        for event, elem in context:
            if not checked:
                _refuse_dtd(filepath, elem)
                checked = True
            yield event, elem
    except etree.XMLSyntaxError as exc:
        raise DocumentError(filepath, exc.lineno, "XML", f"ikke velformet: {exc.msg}") from exc


def _refuse_dtd(filepath: str, root: Any) -> None:
    docinfo = root.getroottree().docinfo
    if docinfo.doctype or docinfo.internalDTD is not None or docinfo.externalDTD is not None:
        raise DocumentError(
            filepath,
            root.sourceline,
            "<!DOCTYPE>",
            "dokumentet oppgir en DTD; entitetsdeklarasjoner (billion laughs, eksterne "
            "entiteter) avvises",
        )


def check(filepath: str) -> None:
    """Read the root of ``filepath`` and raise what :func:`iterparse` finds wrong with it.

    Raises:
        DocumentError: a DTD or entity declaration, or not well-formed before the root.
    """
    for _event, _elem in iterparse(filepath):
        return


def root_element(filepath: str) -> Any | None:
    """The root element of ``filepath`` (children not read), or None if it is not safe XML."""
    try:
        for _event, elem in iterparse(filepath):
            return elem
    except (DocumentError, OSError):
        return None
    return None


def text(elem: Any, path: str) -> str | None:
    """Stripped text of the first descendant at ``path`` (local names, ``/``-separated)."""
    node = find(elem, path)
    if node is None or node.text is None:
        return None
    stripped: str = node.text.strip()
    return stripped or None


def find(elem: Any, path: str) -> Any | None:
    """The first element at ``path`` below ``elem``, matching local names (any namespace)."""
    current = elem
    for step in path.split("/"):
        current = next((child for child in current if local(child) == step), None)
        if current is None:
            return None
    return current


def findall(elem: Any, path: str) -> list[Any]:
    """All elements at ``path`` below ``elem`` (local names; only the last step repeats)."""
    head, _, last = path.rpartition("/")
    parent = find(elem, head) if head else elem
    if parent is None:
        return []
    return [child for child in parent if local(child) == last]


def release(elem: Any) -> None:
    """Free a processed element and the already-processed siblings before it."""
    elem.clear()
    parent = elem.getparent()
    if parent is not None:
        while elem.getprevious() is not None:
            del parent[0]
