"""`tmdiag diff`: what changed for security between two versions of a model.

    old = Side(old_model, old_analysis.findings, today)
    new = Side(new_model, new_analysis.findings, today)
    result = compare(old, new)          # ModelDiff: changes (declared and derived) and findings
    result.reversed() == compare(new, old)

Both sides' findings come from the same engine (`tmdiag.pipeline.analyze`); this package only
compares. Keys and renames: `keys`; how a change bears on security: `effects`; reading a git
revision (entry file and imports): `git`. Docs: docs/diff.md.
"""

from tmdiag.diff.changes import NEUTRAL, STRENGTHENED, WEAKENED, Change, FindingChange, FindingState
from tmdiag.diff.compare import ModelDiff, Side, Uncompared, compare

__all__ = [
    "NEUTRAL", "STRENGTHENED", "WEAKENED", "Change", "FindingChange", "FindingState", "ModelDiff", "Side",
    "Uncompared", "compare",
]  # fmt: skip
