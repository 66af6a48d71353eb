"""Lint rules, one module per family. Each module registers its rules with `registry.rule`."""
