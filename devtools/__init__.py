"""Development tools for the tmdiag repository; not part of the wheel (`pyproject.toml` ships `tmdiag/` only).

`python -m devtools.generate {docs,grammars,all} [--check]` regenerates the committed files that are
derived from the code (`make docs`, `make grammars`; `make lint` runs the check).
"""
