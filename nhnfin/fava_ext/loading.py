"""``nhnfin fava`` loads the ledger as every nhnfin command does: through
:func:`nhnfin.loading.load`, Beancount's result with less work for plain transactions.

Fava (1.30) loads each file through ``fava.core.load_uncached(path, *, is_encrypted)``, which
calls ``beancount.loader._load([(path, True)], None, None, None)``. :func:`install` puts
:func:`load_uncached` in its place, the same result (and the same ``include`` list and
``input_hash``, which Fava's file watcher and nhnfin's lock read). A Fava whose ``fava.core`` has
no ``load_uncached`` of that signature is left alone (``tests/test_loading.py`` checks the seam,
so an upgrade that moves it fails loudly).
"""

from __future__ import annotations

import inspect
from typing import Any

from nhnfin import loading

_FAVA_PARAMETERS = ["beancount_file_path", "is_encrypted"]


def load_uncached(beancount_file_path: str, *, is_encrypted: bool) -> Any:
    """``fava.beans.load.load_uncached``, loaded by :func:`nhnfin.loading.load` (an encrypted
    file: Fava's own)."""
    if is_encrypted:
        from fava.beans.load import load_uncached as fava_load

        return fava_load(beancount_file_path, is_encrypted=is_encrypted)
    return loading.load([(beancount_file_path, True)])


def install() -> bool:
    """Make Fava load through :func:`load_uncached`; False (Fava unchanged) when its
    ``fava.core.load_uncached`` is missing or takes other parameters."""
    import fava.core

    current = getattr(fava.core, "load_uncached", None)
    if current is load_uncached:
        return True
    if current is None or list(inspect.signature(current).parameters) != _FAVA_PARAMETERS:
        return False
    fava.core.load_uncached = load_uncached  # type: ignore[attr-defined]
    return True
