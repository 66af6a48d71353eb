"""Model text and the characters it may hold: what the language refuses in strings (E007), and
model text made safe for every output (XML 1.0 legal, isolated for direction).

Outputs call `for_output(text)`: characters no output may carry become U+FFFD, and text that can
change the direction of what surrounds it (right-to-left letters, bidi controls such as U+202E,
the Trojan Source characters of CVE-2021-42574) is balanced and wrapped in FIRST STRONG ISOLATE
… POP DIRECTIONAL ISOLATE, the plain-text form of HTML's `<bdi>`: it reads in its own direction
and never reorders the text around it, in HTML, Markdown, SVG and terminals alike.
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
_EMBEDDINGS = frozenset({LRE, RLE, LRO, RLO})
_ISOLATES = frozenset({LRI, RLI, FSI})
_RTL_CLASSES = frozenset({"R", "AL", "AN", "RLE", "RLO", "LRE", "LRO", "PDF", "RLI", "LRI", "FSI", "PDI"})

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


def has_bidi_controls(text: str) -> bool:
    return not text.isascii() and any(c in BIDI_CONTROLS for c in text)


def needs_isolation(text: str) -> bool:
    """Whether `text` can change the direction of what surrounds it."""
    return not text.isascii() and any(unicodedata.bidirectional(c) in _RTL_CLASSES for c in text)


def isolate(text: str) -> str:
    """`text` balanced and wrapped in FSI … PDI when it can affect the direction around it."""
    if not needs_isolation(text):
        return text
    return FSI + _balanced(text) + PDI


def _balanced(text: str) -> str:
    """Unmatched PDF/PDI dropped, embeddings and isolates left open closed at the end: nothing in
    `text` reaches past it (a PDI inside would otherwise close our FSI early)."""
    out: list[str] = []
    stack: list[str] = []  # PDF or PDI: what closes each open embedding or isolate
    for char in text:
        if char in _EMBEDDINGS:
            stack.append(PDF)
        elif char in _ISOLATES:
            stack.append(PDI)
        elif char == PDF:
            if not stack or stack[-1] != PDF:
                continue
            stack.pop()
        elif char == PDI:
            if PDI not in stack:
                continue
            while stack[-1] != PDI:  # a PDI also closes the embeddings opened inside its isolate
                out.append(stack.pop())
            stack.pop()
        out.append(char)
    out.extend(reversed(stack))
    return "".join(out)


@functools.lru_cache(maxsize=65536)
def for_output(text: str) -> str:
    """Model text as every output shows it: XML-safe and isolated for direction."""
    return isolate(xml_safe(text))
