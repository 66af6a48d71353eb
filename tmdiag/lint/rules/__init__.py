"""Lint rules, one module per family. Each module registers its rules with `registry.rule`.

Adding a rule: one decorated function in its family's module, plus `tests/lint/rules/TMnnn/fires.tm`
and `clean.tm`; then `make docs` regenerates docs/rules/.
"""
