"""Every bound tmdiag puts on its input, in one place (documented in docs/security.md).

They keep time and memory proportionate to the input on any file, hostile or broken: beyond a
bound tmdiag reports a positioned diagnostic (or exits 2 with one line), never a traceback.
"""

from __future__ import annotations

MIB = 1024 * 1024

MAX_FILE_BYTES = 16 * MIB  # one .tm file (E301); real models are well under 1 MiB
MAX_MODEL_BYTES = 32 * MIB  # all files of one model together, imports included (E301)
MAX_IMPORT_DEPTH = 32  # a chain of files each importing the next (E304)
MAX_IMPORTED_FILES = 1000  # files in one model, the entry file included (E304)
MAX_TOKENS = 1_000_000  # words, strings, numbers and symbols in one model's files (E008)
MAX_NESTING = 64  # brackets of any kind inside each other (E005)
MAX_EXPRESSION_DEPTH = 100  # operators inside each other in a rule condition (E005)
MAX_SYNTAX_ERRORS = 100  # syntax errors reported per file before giving up (E001)
MAX_STRING_CHARS = 100_000  # characters in one string (E007)
MAX_NUMBER_DIGITS = 18  # digits in one number: every value fits a 64-bit integer (E202)
MAX_DURATION_DAYS = 100 * 365  # a duration of at most 100 years (E202)
MAX_ANALYSED = 30_000  # elements and flows the threat analysis takes on (pytm: ~13-65 KB of memory each)
MAX_CONFIG_BYTES = 1 * MIB  # tmdiag.toml, pyproject.toml
MAX_TEMPLATE_BYTES = 4 * MIB  # one report template file (--template)
