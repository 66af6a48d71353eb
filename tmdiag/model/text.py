"""Model text and the characters it may hold: what the language refuses in strings (E007), and
model text made safe for every output (XML 1.0 legal, isolated for direction).

Outputs call `for_output(text)`: characters no output may carry become U+FFFD; the explicit bidi
formatting characters (embeddings, overrides and isolates such as U+202E, the Trojan Source
characters of CVE-2021-42574) are dropped, since an override can reach past any isolation a
sentence built around the text could give it; and text that still has a right-to-left letter is
wrapped in FIRST STRONG ISOLATE … POP DIRECTIONAL ISOLATE, the plain-text form of HTML's `<bdi>`:
it reads in its own direction and never reorders the text around it, in HTML, Markdown and SVG
alike. (Lint rule TM701 reports the dropped controls in the source.)
"""

from __future__ import annotations

import functools
import re
import unicodedata

# Explicit bidi formatting characters: embeddings and overrides (closed by PDF), isolates (closed by
# PDI), and the three invisible marks.
LRE, RLE, PDF, LRO, RLO = "\u202a", "\u202b", "\u202c", "\u202d", "\u202e"
LRI, RLI, FSI, PDI = "\u2066", "\u2067", "\u2068", "\u2069"
BIDI_CONTROLS = frozenset({LRE, RLE, PDF, LRO, RLO, LRI, RLI, FSI, PDI, "\u200e", "\u200f", "\u061c"})
_EXPLICIT = dict.fromkeys(map(ord, (LRE, RLE, PDF, LRO, RLO, LRI, RLI, FSI, PDI)))  # dropped in outputs
_RTL_CLASSES = frozenset({"R", "AL", "AN"})

_NONCHARACTERS = "\ufdd0-\ufdef" + "".join(
    f"{chr(plane * 0x10000 + 0xFFFE)}{chr(plane * 0x10000 + 0xFFFF)}" for plane in range(17)
)
# What a string may not hold (E007): C0 controls but tab, DEL, C1 controls, surrogates, non-characters.
_REFUSED = re.compile(f"[\x00-\x08\x0a-\x1f\x7f-\x9f\ud800-\udfff{_NONCHARACTERS}]")
# What no output carries: the same, except tab and line breaks (which escapes such as `\n` make).
_UNSAFE = re.compile(f"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff{_NONCHARACTERS}]")
REPLACEMENT = "\ufffd"


def refused_characters(text: str) -> list[tuple[int, str]]:
    """(offset, character) of each character a string may not hold."""
    return [(m.start(), m.group()) for m in _REFUSED.finditer(text)]


def describe(char: str) -> str:
    """`U+000B (LINE TABULATION)`: how a diagnostic names an invisible character."""
    code = ord(char)
    name = unicodedata.name(char, "")
    if not name and (0xFDD0 <= code <= 0xFDEF or code & 0xFFFE == 0xFFFE):
        name = "a non-character"
    elif not name and 0xD800 <= code <= 0xDFFF:
        name = "a lone surrogate"
    elif not name:
        name = _CONTROL_NAMES.get(code, "a control character")
    return f"U+{code:04X} ({name})"


_CONTROL_NAMES = {0x07: "BELL", 0x08: "BACKSPACE", 0x0B: "LINE TABULATION", 0x0C: "FORM FEED",
                  0x0D: "CARRIAGE RETURN", 0x1B: "ESCAPE", 0x7F: "DELETE", 0x85: "NEXT LINE"}  # fmt: skip


def xml_safe(text: str) -> str:
    """`text` with every character XML 1.0 (and a terminal) cannot take replaced by U+FFFD."""
    return _UNSAFE.sub(REPLACEMENT, text) if _UNSAFE.search(text) else text


def needs_isolation(text: str) -> bool:
    """Whether `text` has a right-to-left letter (or digit in Arabic context) that can move its neighbours."""
    return not text.isascii() and any(unicodedata.bidirectional(c) in _RTL_CLASSES for c in text)


def isolate(text: str) -> str:
    """`text` without explicit bidi formatting characters, wrapped in FSI … PDI when it has a
    right-to-left letter."""
    if text.isascii():
        return text
    text = text.translate(_EXPLICIT)
    return FSI + text + PDI if needs_isolation(text) else text


@functools.lru_cache(maxsize=65536)
def for_output(text: str) -> str:
    """Model text as every output shows it: XML-safe and isolated for direction."""
    return isolate(xml_safe(text))
