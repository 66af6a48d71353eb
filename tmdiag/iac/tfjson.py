"""Terraform's JSON syntax (`*.tf.json`, `*.tfvars.json`): JSON read with the place of every object,
array and key, so that resources declared in JSON point at their lines as `.tf` ones do.

    parse(text) -> value     objects are `Object` (a dict with `at` and `keys`: line and column of
                             the object and of each key), arrays `Array` (a list with `at` and `items`)

`template(text)` turns a JSON string (an HCL template: `"${aws_vpc.main.id}"`, `"web-${var.env}"`)
into the HCL text of the same expression, for the `.tf` reader to evaluate.
"""

from __future__ import annotations

import json
import re
from typing import Any

MAX_DEPTH = 200
_SPACE = re.compile(r"[ \t\n\r]*")
_NUMBER = re.compile(r"-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][-+]?\d+)?")
_LITERALS = {"true": True, "false": False, "null": None}


class Object(dict[str, Any]):
    at: tuple[int, int] = (1, 1)
    keys_at: dict[str, tuple[int, int]]


class Array(list[Any]):
    at: tuple[int, int] = (1, 1)
    items_at: list[tuple[int, int]]


class JsonError(ValueError):
    def __init__(self, message: str, line: int, column: int):
        super().__init__(message)
        self.line, self.column = line, column


class _Parser:
    def __init__(self, text: str):
        self.text = text
        self.lines = [m.end() for m in re.finditer("\n", text)]

    def where(self, offset: int) -> tuple[int, int]:
        import bisect

        line = bisect.bisect_right(self.lines, offset)
        return line + 1, offset - (self.lines[line - 1] if line else 0) + 1

    def fail(self, message: str, offset: int) -> JsonError:
        return JsonError(message, *self.where(offset))

    def space(self, offset: int) -> int:
        return _SPACE.match(self.text, offset).end()  # type: ignore[union-attr]

    def value(self, offset: int, depth: int) -> tuple[Any, int]:
        if depth > MAX_DEPTH:
            raise self.fail("JSON nested too deeply to read", offset)
        offset = self.space(offset)
        char = self.text[offset : offset + 1]
        if char == "{":
            return self.object(offset, depth)
        if char == "[":
            return self.array(offset, depth)
        if char == '"':
            return self.string(offset)
        for word, literal in _LITERALS.items():
            if self.text.startswith(word, offset):
                return literal, offset + len(word)
        number = _NUMBER.match(self.text, offset)
        if number:
            text = number.group()
            return (float(text) if any(c in text for c in ".eE") else int(text)), number.end()
        raise self.fail("expected a value" if char else "unexpected end of file", offset)

    def string(self, offset: int) -> tuple[str, int]:
        try:
            return json.decoder.scanstring(self.text, offset + 1)  # type: ignore[attr-defined,no-any-return]
        except json.JSONDecodeError as error:
            raise self.fail(error.msg.lower(), error.pos) from None

    def object(self, start: int, depth: int) -> tuple[Object, int]:
        out, out.keys_at, out.at = Object(), {}, self.where(start)
        offset = self.space(start + 1)
        if self.text.startswith("}", offset):
            return out, offset + 1
        while True:
            offset = self.space(offset)
            if not self.text.startswith('"', offset):
                raise self.fail("expected a key in double quotes", offset)
            key_at = self.where(offset)
            key, offset = self.string(offset)
            offset = self.space(offset)
            if not self.text.startswith(":", offset):
                raise self.fail("expected `:` after the key", offset)
            out[key], offset = self.value(offset + 1, depth + 1)
            out.keys_at.setdefault(key, key_at)
            offset = self.space(offset)
            if self.text.startswith(",", offset):
                offset += 1
            elif self.text.startswith("}", offset):
                return out, offset + 1
            else:
                raise self.fail("expected `,` or `}`", offset)

    def array(self, start: int, depth: int) -> tuple[Array, int]:
        out, out.items_at, out.at = Array(), [], self.where(start)
        offset = self.space(start + 1)
        if self.text.startswith("]", offset):
            return out, offset + 1
        while True:
            offset = self.space(offset)
            out.items_at.append(self.where(offset))
            item, offset = self.value(offset, depth + 1)
            out.append(item)
            offset = self.space(offset)
            if self.text.startswith(",", offset):
                offset += 1
            elif self.text.startswith("]", offset):
                return out, offset + 1
            else:
                raise self.fail("expected `,` or `]`", offset)


def parse(text: str) -> Any:
    """The JSON value with places; raises JsonError (with line and column) when it is not JSON."""
    parser = _Parser(text)
    value, offset = parser.value(0, 0)
    offset = parser.space(offset)
    if offset < len(text):
        raise parser.fail("unexpected text after the JSON value", offset)
    return value


def template(text: str) -> str:
    """A JSON string of Terraform's JSON syntax as HCL expression text: `${x}` alone is `x`; any other
    string is a quoted template whose literal parts are escaped (interpolations are kept as written)."""
    if text.startswith("${") and text.endswith("}") and _interpolation_end(text, 2) == len(text) - 1:
        return text[2:-1]
    out, offset = ['"'], 0
    while offset < len(text):
        if text.startswith(("${", "%{"), offset) and not text.startswith(("$${", "%%{"), offset - 1 if offset else 0):
            end = _interpolation_end(text, offset + 2)
            if end < 0:
                out.append(_escape(text[offset:]))
                break
            out.append(text[offset : end + 1])
            offset = end + 1
        else:
            out.append(_escape(text[offset]))
            offset += 1
    return "".join(out) + '"'


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t")


def _interpolation_end(text: str, offset: int) -> int:
    """The index of the `}` closing an interpolation whose content starts at `offset`; -1 if none."""
    depth, quoted = 0, False
    while offset < len(text):
        char = text[offset]
        if quoted:
            if char == "\\":
                offset += 1
            elif char == '"':
                quoted = False
        elif char == '"':
            quoted = True
        elif char == "{":
            depth += 1
        elif char == "}":
            if depth == 0:
                return offset
            depth -= 1
        offset += 1
    return -1


class Block:
    """A block written in JSON (a resource, a module call, a `dynamic` content): its body and place."""

    def __init__(self, body: Any, at: tuple[int, int]):
        self.body: Object = body if isinstance(body, Object) else _object(body)
        self.at = at


class Value:
    """An expression written in JSON: strings are templates, unless `literal` (variable defaults, tfvars)."""

    def __init__(self, value: Any, literal: bool = False):
        self.value = value
        self.literal = literal


def _object(value: Any) -> Object:
    out = Object(value if isinstance(value, dict) else {})
    out.keys_at = {}
    return out


def objects(value: Any) -> list[Object]:
    """A JSON block level may be an object or an array of objects (to keep an order)."""
    if isinstance(value, Object):
        return [value]
    if isinstance(value, list):
        return [v for v in value if isinstance(v, Object)]
    return []


def plain(value: Any) -> Any:
    """Without places: dicts and lists."""
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items() if k != "//"}
    if isinstance(value, list):
        return [plain(v) for v in value]
    return value
