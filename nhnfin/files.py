"""Files: what a ledger reads, and writing safely. Every command writes through here.

- :func:`write_atomically` and :func:`append_atomically`: a temporary file in the target's
  folder, written in full, fsynced, then renamed over the target, so a reader never sees half a
  file and a failure (a full disk, an interrupt) leaves the old file byte for byte and no
  temporary file behind. An append writes the old content and the new into the temporary file.
  New files get the mode the umask gives (as ``open`` would); a replaced file keeps its mode.
  A symbolic link is followed: the file it names is replaced, and the link stays a link.
- :func:`ledger_inputs`: every file a ledger reads (its includes, the files its ``custom``
  directives name, the lock digests), the files its ``document`` directives name and its
  ``option "documents"`` folders, and its include patterns, resolved afresh; the report cache
  keys on their content (a document's existence, a folder's listing), and
  :func:`refuse_inputs` keeps a command from writing onto one of them (or onto a new file the
  documents search or an include pattern would load, or onto a file nhnfin keeps: a report
  cache, its signing key, a lock record: :func:`kept_file`).
- :func:`beancount_string` and :func:`format_entries`: the one way nhnfin writes values into
  Beancount text: escaped, or refused (a newline or control character), and the text parsed
  back before it is written.
"""

from __future__ import annotations

import errno
import fnmatch
import glob
import os
import re
import secrets
import stat
from collections.abc import Iterable
from collections.abc import Sequence
from dataclasses import dataclass
from dataclasses import replace
from pathlib import Path
from pathlib import PurePath
from typing import TYPE_CHECKING
from typing import Any

if TYPE_CHECKING:
    from beancount.core import data

# Beancount's modules are imported where they are used: the report cache reads this module, and
# a warm report imports no Beancount (benchmarks/README.md, the warm report).


class WriteRefused(ValueError):
    """A write nhnfin will not do (onto an input of the command, or text that would not parse);
    the message is one line naming the file."""


# ---- writing ----------------------------------------------------------------------------------


def write_chunk(fd: int, content: bytes | memoryview) -> int:
    """Write (part of) ``content`` to ``fd``; the one place bytes reach the disk (a test replaces
    it to simulate a full disk)."""
    return os.write(fd, content)


def _temporary(folder: Path, name: str, perm: int = 0o666) -> tuple[int, Path]:
    """A new file ``.NAME.<random>.tmp`` in ``folder``, opened for writing with the mode the
    umask gives (``mkstemp`` would make it 0600), or at most ``perm``."""
    for _ in range(100):
        candidate = folder / f".{name}.{secrets.token_hex(6)}.tmp"
        try:
            return os.open(candidate, os.O_WRONLY | os.O_CREAT | os.O_EXCL, perm), candidate
        except FileExistsError:
            continue
    # not FileExistsError: the caller's path is not what exists, and the commands say of a
    # FileExistsError that their output is there already
    raise OSError(f"{folder}: fant ikke et ledig navn til en midlertidig fil")


def _fsync_folder(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:  # pragma: no cover - a platform without folder handles
        return
    try:
        os.fsync(fd)
    except OSError:  # pragma: no cover
        pass
    finally:
        os.close(fd)


def write_atomically(path: Path, content: bytes, *, exclusive: bool = False,
                     mode: int | None = None) -> None:
    """Write ``content`` to ``path`` through a temporary file in the same folder, fsync and a
    rename. The old file stays as it was if anything fails; no temporary file is left.

    Args:
        exclusive: never replace a file: FileExistsError if ``path`` exists (also when another
            process creates it meanwhile).
        mode: the file's mode, whatever the umask or the old file's (a secret: 0o600); from
            the moment the temporary file is made.

    Raises:
        OSError: the folder cannot be made or written, the disk is full, ``path`` is a folder.
    """
    path = Path(path)
    if path.is_symlink() and not exclusive:  # the file it names is written; the link stays
        path = Path(os.path.realpath(path))
    folder = path.parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except FileExistsError:  # a file where a folder must be
        raise NotADirectoryError(20, "Not a directory", str(folder)) from None
    if path.is_dir():
        raise IsADirectoryError(21, "Is a directory", str(path))
    if exclusive and os.path.lexists(path):
        raise FileExistsError(17, "File exists", str(path))
    if mode is None:
        mode = _existing_mode(path)
        fd, temporary = _temporary(folder, path.name)
    else:
        fd, temporary = _temporary(folder, path.name, mode)
    try:
        try:
            view = memoryview(content)
            while view:
                view = view[write_chunk(fd, view) :]
            if mode is not None:
                os.fchmod(fd, mode)
            os.fsync(fd)
        finally:
            os.close(fd)
        if exclusive:
            os.link(temporary, path)  # fails if path appeared meanwhile; never replaces
            temporary.unlink()
        else:
            os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    _fsync_folder(folder)


def _existing_mode(path: Path) -> int | None:
    try:
        return path.stat().st_mode & 0o7777
    except OSError:
        return None


def append_atomically(path: Path, content: bytes) -> None:
    """Append ``content`` to ``path`` atomically: the old content and the new are written to a
    temporary file that replaces ``path``; a failure leaves ``path`` byte for byte as it was."""
    path = Path(path)
    old = path.read_bytes() if path.exists() else b""
    if old and not old.endswith(b"\n"):
        old += b"\n"
    write_atomically(path, old + content)


# ---- reading ----------------------------------------------------------------------------------

#: The largest data file (a layout, a published report) nhnfin reads: they are kilobytes.
MAX_DATA_BYTES = 16 * 1024 * 1024


def read_regular_file(path: Path, limit: int = MAX_DATA_BYTES) -> bytes:
    """The bytes of ``path`` if it is a regular file of at most ``limit`` bytes.

    Opened without blocking and checked on the open handle, so a FIFO cannot hang the reader
    and ``/dev/zero`` cannot fill the memory.

    Raises:
        OSError: it cannot be opened, is not a regular file (strerror says so) or is too large.
    """
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    with os.fdopen(fd, "rb") as stream:
        info = os.fstat(stream.fileno())
        if not stat.S_ISREG(info.st_mode):
            raise OSError(errno.EINVAL, "not a regular file", str(path))
        content = stream.read(limit + 1)
    if len(content) > limit:
        raise OSError(errno.EFBIG, f"larger than {limit} bytes", str(path))
    return content


#: the operating system's words for what can go wrong with a file (its ``strerror``, as this
#: platform says it: ``os.strerror``), said in Norwegian; round thirteen: "kan ikke skrives:
#: Permission denied", "nope.toml: No such file or directory" reached people in English
OS_PROBLEM_WORDS = {
    errno.ENOENT: "finnes ikke", errno.EACCES: "ingen tilgang", errno.EPERM: "ikke tillatt",
    errno.EISDIR: "er en mappe", errno.ENOTDIR: "en del av stien er en fil, ikke en mappe",
    errno.EROFS: "filsystemet er skrivebeskyttet", errno.ENOSPC: "disken er full",
    errno.EDQUOT: "diskkvoten er brukt opp", errno.EEXIST: "finnes allerede",
    errno.ELOOP: "for mange symbolske lenker", errno.ENAMETOOLONG: "navnet er for langt",
    errno.EMFILE: "for mange åpne filer", errno.ENFILE: "for mange åpne filer i systemet",
    errno.EIO: "lese- eller skrivefeil på disken", errno.EBUSY: "opptatt",
    errno.ETXTBSY: "filen er i bruk",
    errno.EXDEV: "på et annet filsystem", errno.ENXIO: "ingen slik enhet eller adresse",
    errno.ENODEV: "ingen slik enhet", errno.EINVAL: "ugyldig argument",
    errno.ENOTEMPTY: "mappen er ikke tom", errno.EAGAIN: "ikke tilgjengelig nå, prøv igjen",
}
#: the words a file's problem is kept in where it is data (a lock's digested file record, the
#: strerror above), as a message says them to people (:func:`file_problem_words`)
FILE_PROBLEM_WORDS = (
    # the operating system's words (EISDIR's "Is a directory", ENOTDIR's "Not a directory")
    # before nhnfin's "a directory", which would make them "Is en mappe"
    *sorted(((os.strerror(number), words) for number, words in OS_PROBLEM_WORDS.items()),
            key=lambda pair: -len(pair[0])),
    ("not a regular file", "ikke en vanlig fil"), ("a directory", "en mappe"),
    ("a FIFO", "en FIFO"), ("a character device", "en tegnenhet"),
    ("a block device", "en blokkenhet"), ("a socket", "en socket"), ("not a file", "ikke en fil"),
)
#: what the operating system's words for a file that cannot be written mean there, where
#: they say more than :data:`OS_PROBLEM_WORDS` (round 13's probe: "kan ikke skrives: Permission
#: denied"); every other error in those words
WRITE_ERROR_WORDS = {
    errno.EACCES: "ingen skrivetilgang",
    errno.ENOENT: "stien finnes ikke",
    errno.EFBIG: "filen blir for stor",
}


def write_error_words(exc: OSError) -> str:
    """Why ``exc`` kept a file from being written, in bokmål (:data:`WRITE_ERROR_WORDS`, else
    :func:`file_problem_words`)."""
    words = WRITE_ERROR_WORDS.get(exc.errno) if exc.errno is not None else None
    return words or file_problem_words(exc.strerror or str(exc))


_SIZE_WORDS = re.compile(r"(\d+) bytes, more than the limit of (\d+) bytes|larger than (\d+) bytes")


def file_problem_words(text: str) -> str:
    """``text`` (why a file cannot be read or written, in the words it is kept in: the operating
    system's or nhnfin's own) said in Norwegian (:data:`FILE_PROBLEM_WORDS`)."""
    for english, norwegian in FILE_PROBLEM_WORDS:
        text = text.replace(english, norwegian)
    return _SIZE_WORDS.sub(lambda m: (f"{m[1]} byte, mer enn grensen på {m[2]} byte" if m[1]
                                      else f"større enn {m[3]} byte"), text)


def os_error_words(exc: OSError) -> str:
    """An ``OSError`` as people read it: ``<file>: <why, in Norwegian>``, without Python's
    ``[Errno 2]`` and quotes (the file left out when the error names none)."""
    why = file_problem_words(exc.strerror or str(exc))
    return f"{exc.filename}: {why}" if exc.filename else why


# ---- what a ledger reads ----------------------------------------------------------------------

_INCLUDE = re.compile(rb'^[ \t]*include[ \t]+"((?:[^"\\\n]|\\.)*)"', re.MULTILINE)


@dataclass(frozen=True)
class Inputs:
    """Files a command reads: ``files`` (absolute, sorted), the ``include`` patterns of the
    ledger (absolute globs, as Beancount resolves them) and other ``watched`` globs (the lock
    digests). ``complete`` is False when the include directives found in the files' text do not
    account for every file Beancount loaded (then nothing may be cached from them)."""

    files: tuple[Path, ...]
    includes: tuple[str, ...] = ()
    watched: tuple[str, ...] = ()
    complete: bool = True
    #: the files the ledger's ``document`` directives name (also those Beancount found in the
    #: ``option "documents"`` folders): the report depends on whether each exists (a missing one
    #: is a ledger error), not on its content, which is not read
    documents: tuple[Path, ...] = ()
    #: the ``option "documents"`` folders (absolute): a file put there becomes a ``document``
    folders: tuple[str, ...] = ()

    @property
    def patterns(self) -> tuple[str, ...]:
        """Every glob whose matches the inputs depend on."""
        return self.includes + self.watched

    def without_watched(self) -> Inputs:
        """These inputs without the files the ``watched`` globs find now (the lock records
        beside the ledger), which a load looks for rather than reads as part of the books."""
        found = {Path(p).absolute() for pattern in self.watched for p in resolve_pattern(pattern)}
        return replace(self, files=tuple(f for f in self.files if f not in found))

    def plus(self, paths: Iterable[Path | str | None]) -> Inputs:
        """These inputs and ``paths`` besides (None is skipped)."""
        extra = {Path(p).absolute() for p in paths if p is not None}
        return replace(self, files=tuple(sorted({*self.files, *extra})))


def include_patterns(path: Path, text: bytes) -> list[str]:
    """The ``include`` patterns in a file's text, made absolute against its folder."""
    result = []
    for match in _INCLUDE.finditer(text):
        raw = match.group(1).decode("utf-8", "replace")
        raw = raw.replace('\\"', '"').replace("\\\\", "\\")
        result.append(raw if os.path.isabs(raw) else str(path.parent / raw))
    return result


def resolve_pattern(pattern: str) -> list[str]:
    """The files an include pattern loads now, as Beancount resolves it (sorted, recursive)."""
    return sorted(glob.glob(pattern, recursive=True))


def _named_paths(entry: data.Custom) -> list[Path]:
    """Files a ``custom`` directive names: string values and string metadata that are paths of
    regular files, relative to the directive's file (a layout, a published report, a digest)."""
    base = Path(str(entry.meta.get("filename", "."))).parent
    texts = [v.value for v in entry.values or [] if isinstance(v.value, str)]
    texts += [v for k, v in entry.meta.items() if k != "filename" and isinstance(v, str)]
    found = []
    for text in texts:
        if not text or "\n" in text or len(text) > 4096:
            continue
        candidate = Path(text) if os.path.isabs(text) else base / text
        try:
            if candidate.is_file():
                found.append(candidate.absolute())
        except (OSError, ValueError):
            continue
    return found


# the directives that name a file nhnfin reads for the figures -> which of their values is the
# path (relative to the directive's file): the statements' and the notes' layouts, a note's text
# template, a published report
FILE_DIRECTIVES: dict[str, int] = {
    "nhnfin-layout": 0,
    "nhnfin-notes": 0,
    "nhnfin-note-text": 1,
    "nhnfin-published": 0,
}


def directive_path(entry: Any, value: str) -> Path:
    """The file a ``custom`` directive's ``value`` names: an absolute path as it is, a relative
    one from the folder of the directive's own file."""
    return Path(str(entry.meta.get("filename", "."))).parent / value


def directive_files(customs: Iterable[Any]) -> list[Path]:
    """The files the ``custom`` directives ``customs`` name for nhnfin to read
    (:data:`FILE_DIRECTIVES`), absolute, whether or not they exist."""
    found: list[Path] = []
    for entry in customs:
        index = FILE_DIRECTIVES.get(entry.type)
        if index is None or len(entry.values or ()) <= index:
            continue
        value = entry.values[index].value
        if isinstance(value, str) and value and "\n" not in value and "\0" not in value:
            found.append(Path(os.path.abspath(directive_path(entry, value))))
    return found


def watch(options_map: dict[str, Any], paths: Iterable[Path]) -> None:
    """Add ``paths`` (the regular files among them) to the loader's list of input files.

    Beancount's load cache (``.LEDGER.picklecache``, used by ``bean-check``) and Fava's file
    watcher look only at the files in ``options_map["include"]``, which lists the Beancount files
    loaded; a plugin that reads another file (a layout, a lock record) must add it there, or an
    edit of that file alone is served the cached result, and Fava keeps the figures built before
    it. The loader computes its cache key from that list after the plugins ran.
    """
    included = options_map.get("include")
    if not isinstance(included, list):
        return
    names = set()
    for path in paths:
        try:
            if stat.S_ISREG(os.stat(path).st_mode):
                names.add(str(path.resolve()))
        except (OSError, ValueError):
            continue
    new = sorted(names - set(included))
    if new:  # after the loaded files, which keep their order
        options_map["include"] = [*included, *new]


def ledger_inputs(
    entries: Sequence[Any], options_map: dict[str, Any], ledger: Path | None
) -> Inputs:
    """Every file a report of the ledger reads: each file Beancount loaded, each file a
    ``custom`` directive names, the lock digests in ``locks/`` beside the ledger; and the
    include patterns (so a new file matching ``include "parts/*.beancount"`` is seen)."""
    from beancount.core import data

    loaded = [Path(f).absolute() for f in options_map.get("include", [])]
    named: set[Path] = set()
    for entry in entries:
        if isinstance(entry, data.Custom):
            named.update(_named_paths(entry))
    watched = [str(ledger.absolute().parent / "locks" / "*.json")] if ledger is not None else []
    named.update(Path(p).absolute() for pattern in watched for p in resolve_pattern(pattern))
    code, code_known = plugin_code_files(options_map)
    named.update(code)
    # the period lock adds the files it read (layout, lock record ...) to Beancount's input list,
    # so Beancount's load cache sees their edits: they are named files, not ledger files
    files = set(loaded) | named
    includes: list[str] = []
    for path in loaded:
        if path in named:
            continue
        try:
            includes.extend(include_patterns(path, path.read_bytes()))
        except OSError:
            continue
    resolved = {Path(p).absolute() for pattern in includes for p in resolve_pattern(pattern)}
    main = {ledger.absolute()} if ledger is not None else set(loaded[:1])
    complete = set(loaded) <= resolved | main | named and code_known
    documents = {Path(os.path.abspath(e.filename)) for e in entries
                 if isinstance(e, data.Document) and isinstance(e.filename, str)}
    return Inputs(tuple(sorted(files)), tuple(dict.fromkeys(includes)), tuple(watched), complete,
                  tuple(sorted(documents - files)), document_folders(options_map))


def document_folders(options_map: dict[str, Any]) -> tuple[str, ...]:
    """The ``option "documents"`` folders, absolute, as Beancount finds them (from the main
    file's folder)."""
    base = os.path.dirname(str(options_map.get("filename") or "."))
    folders = options_map.get("documents") or []
    return tuple(dict.fromkeys(os.path.abspath(os.path.join(base, os.path.normpath(str(f))))
                               for f in folders))


_DOCUMENT_NAME = re.compile(r"\d{4}-\d{2}-\d{2}\..")
_ACCOUNT_PART = re.compile(r"[\w][\w-]*")


def would_be_document(output: Path, folder: str) -> bool:
    """True when ``output`` is a file Beancount's search of the documents folder ``folder``
    would make a ``document`` of: ``ACCOUNT/PARTS/YYYY-MM-DD.name`` below it."""
    target = Path(os.path.realpath(output))
    root = Path(os.path.realpath(folder))
    if not target.is_relative_to(root):
        return False
    parts = target.relative_to(root).parts
    return (len(parts) > 1 and bool(_DOCUMENT_NAME.match(parts[-1]))
            and all(_ACCOUNT_PART.fullmatch(part) for part in parts[:-1]))


def folder_listing(folder: str) -> list[str]:
    """Every path below ``folder``, sorted (what Beancount's document search walks)."""
    found: list[str] = []
    for root, dirs, names in os.walk(folder):
        dirs.sort()
        found.extend(os.path.join(root, name) for name in [*dirs, *names])
    return sorted(found)


VERSIONED_CODE = ("nhnfin", "beancount")
"""Plugin packages whose code the report cache keys by version and digest already
(:mod:`nhnfin.report_cache`)."""

PLUGIN_CODE_LIMIT = 1000  # source files of one plugin package; more, and it is not cached


def plugin_code_files(options_map: dict[str, Any]) -> tuple[set[Path], bool]:
    """The source files of the ledger's plugins that are not nhnfin's or Beancount's (a
    ``plugin "myplugin"`` beside the ledger with ``option "insert_pythonpath"``, a package of the
    enterprise's own): the code that made the entries, so an edit of it is a changed input.
    Returns the files and whether every plugin's code was found (else nothing may be cached)."""
    import importlib.util
    import sys

    files: set[Path] = set()
    known = True
    for name, _config in options_map.get("plugin", []):
        if not isinstance(name, str) or name.split(".")[0] in VERSIONED_CODE:
            continue
        module = sys.modules.get(name)
        origin = getattr(module, "__file__", None)
        if origin is None:
            try:
                spec = importlib.util.find_spec(name)
            except (ImportError, ValueError):
                spec = None
            origin = spec.origin if spec is not None else None
        if not origin or not Path(origin).is_file():
            known = False
            continue
        path = Path(origin).absolute()
        files.add(path)
        if path.name == "__init__.py":  # a package: its modules are its code too
            sources = sorted(path.parent.rglob("*.py"))
            if len(sources) > PLUGIN_CODE_LIMIT:
                known = False
            files.update(p.absolute() for p in sources[:PLUGIN_CODE_LIMIT])
        helpers = _modules_beside(search_root(name, path))
        if len(helpers) > PLUGIN_CODE_LIMIT:
            known = False
        files.update(helpers[:PLUGIN_CODE_LIMIT])
    return files, known


def search_root(name: str, origin: Path) -> Path:
    """The folder on the import path that the plugin module ``name`` (its file ``origin``) was
    found in: the ledger's folder for a ``plugin "myplugin"`` beside it."""
    root = origin.parent
    for _ in range(name.count(".") + (origin.name == "__init__.py")):
        root = root.parent
    return root


def _installed_roots() -> set[Path]:
    """The folders installed code comes from (the standard library, site-packages): versioned
    by their installer, not the ledger's own code."""
    import site
    import sysconfig

    paths = sysconfig.get_paths()
    folders = [*(paths[k] for k in ("stdlib", "platstdlib", "purelib", "platlib") if k in paths),
               *site.getsitepackages(), site.getusersitepackages()]
    return {Path(f).absolute() for f in folders}


def _modules_beside(root: Path) -> list[Path]:
    """The source files of every module loaded from ``root`` (other than nhnfin's and
    Beancount's), when ``root`` is not a folder of installed code: the modules a plugin of the
    ledger's own imports (``import myhelper`` beside it) make its entries as its own file does
    (round twelve's probe: an edit of such a module was served the cached figures)."""
    import sys

    installed = _installed_roots()
    if root in installed:
        return []
    found = set()
    for module_name, module in list(sys.modules.items()):
        origin = getattr(module, "__file__", None)
        if not origin or module_name.split(".")[0] in VERSIONED_CODE:
            continue
        path = Path(origin).absolute()
        # installed code below the folder (a virtualenv inside the ledger's repository) is not
        # the ledger's own
        if (path.is_relative_to(root) and path.is_file()
                and not any(path.is_relative_to(folder) for folder in installed)):
            found.add(path)
    return sorted(found)


def _same(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve() or (a.exists() and b.exists() and a.samefile(b))
    except OSError:
        return False


def _matches(path: Path, pattern: str) -> bool:
    target = str(path.absolute())
    if "**" in pattern:
        return fnmatch.fnmatchcase(target, pattern)
    return PurePath(target).match(pattern) and len(PurePath(target).parts) == len(
        PurePath(pattern).parts
    )


# ---- the files nhnfin keeps ------------------------------------------------------------------

_CACHE_NAME = re.compile(r"\..+\.nhnfin-\d+\.cache")
_RECORD_NAME = re.compile(r"\d{4}-\d{2}-\d{2}\.json")


def report_cache_file(ledger: Path, year: int) -> Path:
    """Where the report for ``year`` of ``ledger`` is cached (:mod:`nhnfin.report_cache`)."""
    return ledger.parent / f".{ledger.name}.nhnfin-{year}.cache"


def cache_key_file() -> Path:
    """This user's signing key for report caches (:mod:`nhnfin.report_cache`)."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "nhnfin" / "report-cache.key"


def kept_file(output: Path, inputs: Inputs, *, record: bool = False) -> str | None:
    """What nhnfin itself keeps in ``output``, in the words of a message, or None: a report
    cache (any ledger's: its name says it), the caches' signing key, or a lock record (a
    ``locks/YYYY-MM-DD.json``, or a file the ledger's lock records are looked for in;
    ``record``: the write is ``nhnfin close``'s own record, which may)."""
    if _CACHE_NAME.fullmatch(output.name):
        return "rapportbufferen"
    if _same(output, cache_key_file()):
        return "nøkkelen rapportbufferen signeres med"
    if not record and ((output.parent.name == "locks" and _RECORD_NAME.fullmatch(output.name))
                       or any(_matches(output, pattern) for pattern in inputs.watched)):
        return "et låseregister"
    return None


def refuse_inputs(output: Path, inputs: Inputs, *, patterns: bool = True,
                  record: bool = False) -> None:
    """Refuse to write ``output`` when it is one of ``inputs`` (the same file under any name),
    a file nhnfin itself keeps (:func:`kept_file`; ``record`` for ``nhnfin close``'s own lock
    record) or, with ``patterns``, a file an include pattern of the ledger would load.

    Raises:
        WriteRefused: one line naming the file.
    """
    # the path as given and the file it names (a `..` resolved, a symbolic link followed, as
    # the write follows it): each is refused for what it is
    names = tuple(dict.fromkeys((Path(output), Path(os.path.realpath(output)))))
    kept = next((k for k in (kept_file(n, inputs, record=record) for n in names) if k), None)
    if kept is not None:
        raise WriteRefused(f"{output}: skriver ikke dit: filen er {kept}, som nhnfin holder "
                           "selv; velg en annen --output")
    for source in (*inputs.files, *inputs.documents):
        if _same(output, source):
            raise WriteRefused(
                f"{output}: skriver ikke over {source}, som kommandoen leser "
                "(regnskapet eller en fil det leser); velg en annen --output"
            )
    for folder in inputs.folders:
        if would_be_document(output, folder):
            raise WriteRefused(
                f"{output}: skriver ikke dit: filen ville ligget i dokumentmappen {folder} "
                "(option \"documents\"), så den ville blitt et dokument i regnskapet; velg en "
                "annen --output"
            )
    if patterns:
        for pattern in inputs.includes:
            if any(_matches(name, pattern) for name in names):
                raise WriteRefused(
                    f"{output}: skriver ikke dit: regnskapet tar med {pattern!r}, så "
                    "filen ville blitt en del av regnskapet; velg en annen --output"
                )


# ---- Beancount text ---------------------------------------------------------------------------

_CONTROL = re.compile(r"[\x00-\x1f\x7f\u2028\u2029]")


def check_value(value: str, what: str = "verdien") -> str:
    """``value`` if it can be written into a Beancount string; WriteRefused for a newline or
    another control character (it would write lines of its own into the file)."""
    bad = _CONTROL.search(value)
    if bad:
        raise WriteRefused(
            f"{what} {value!r} inneholder et kontrolltegn ({bad.group()!r}) og kan ikke "
            "skrives i en Beancount-fil"
        )
    return value


def escape_string(value: str, what: str = "verdien") -> str:
    """The inside of a Beancount string literal for ``value``: backslash and quote escaped; a
    newline or control character is refused (:func:`check_value`)."""
    return _escape(check_value(value, what))


def beancount_string(value: str, what: str = "verdien") -> str:
    """``value`` as a Beancount string literal, quoted (:func:`escape_string`)."""
    return '"' + escape_string(value, what) + '"'


def _checked(entry: Any) -> Any:
    """``entry`` after checking every text it carries (payee, narration, comment, metadata,
    custom values) can be written; WriteRefused otherwise."""
    for name, what in (("payee", "betalingsmottakeren"), ("narration", "teksten"),
                       ("comment", "kommentaren")):
        value = getattr(entry, name, None)
        if isinstance(value, str):
            check_value(value, what)
    for value in getattr(entry, "values", None) or []:
        if isinstance(value.value, str):
            check_value(value.value, "custom-verdien")
    metas = [entry.meta, *(p.meta or {} for p in getattr(entry, "postings", []) or [])]
    for meta in metas:
        for key, value in (meta or {}).items():
            if isinstance(value, str) and key != "filename":
                check_value(value, f"metadata {key}")
    return entry


def _escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace('"', '\\"')


def format_entry(entry: Any) -> str:
    """One directive as Beancount text, every value escaped or refused. Beancount's printer
    escapes a transaction's strings and metadata but not a ``custom`` directive's string values
    or a note's comment; those are escaped here before it prints them."""
    from beancount.core import data
    from beancount.parser import printer

    _checked(entry)
    if isinstance(entry, data.Custom):
        entry = entry._replace(values=[
            v._replace(value=_escape(v.value)) if isinstance(v.value, str)
            and v.dtype is str else v
            for v in entry.values or []
        ])
        _checked_type(entry.type)
    elif isinstance(entry, data.Note):
        entry = entry._replace(comment=_escape(entry.comment))
    return str(printer.format_entry(entry))


def _checked_type(name: str) -> None:
    if '"' in name or "\\" in name:
        raise WriteRefused(f"custom-typen {name!r} kan ikke skrives i en Beancount-fil")


def format_entries(entries: Iterable[Any]) -> list[str]:
    """Each directive as Beancount text (:func:`format_entry`)."""
    return [format_entry(entry) for entry in entries]


ROOT_OPTIONS = ("name_assets", "name_liabilities", "name_equity", "name_income", "name_expenses")


def check_beancount_text(text: str, where: str, roots: tuple[str, ...] | None = None) -> str:
    """``text`` if Beancount parses it without an error; WriteRefused (naming ``where`` and the
    first problem) otherwise: nhnfin never writes a Beancount file that does not parse.

    ``roots``: the ledger's five root account names (``option "name_assets" …``), when it renames
    them, so that its own accounts parse as they do in the ledger."""
    from beancount.parser import parser

    prefix = "".join(f'option "{key}" "{root}"\n'
                     for key, root in zip(ROOT_OPTIONS, roots or (), strict=False))
    shift = prefix.count("\n")
    _entries, errors, _options = parser.parse_string(prefix + text, report_filename=where)
    if errors:
        first = errors[0]
        line = (first.source.get("lineno", 0) if first.source else 0) - shift
        raise WriteRefused(
            f"{where}: skriver ikke Beancount-tekst som ikke kan leses (linje {line}: "
            f"{first.message.splitlines()[0]})"
        )
    return text
