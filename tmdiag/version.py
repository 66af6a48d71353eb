"""tmdiag's version (what `tmdiag --version` prints and outputs record)."""

__version__ = "0.1.0"
