"""Memory habits shared by the heavy stages (parse, build, enumerate, render)."""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator


@contextlib.contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector for work that makes many young objects and no cycles
    (parse trees, findings, rendered pieces): collections would only re-scan them (2.5× slower
    on big models, and super-linear when rendering). Nests; restores the state it found."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
