"""The language's meaning beyond its syntax, checked on a loaded model: names resolve, ids are
unique, attributes fit the schema, decisions are complete, custom rules type-check
(`validate`); and pytm's threat library as data (`threatlib`), which threat ids may name.

Reads the model only; never imports pytm (the library is read from pytm's JSON file).
"""

from tmdiag.semantics.validate import Validation, check, validate

__all__ = ["Validation", "check", "validate"]
