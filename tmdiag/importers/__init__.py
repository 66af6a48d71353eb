"""Draft a model from another description of the system: one module per source format, each with
`add_arguments(parser)` and `draft(args) -> (text or None, diagnostics, sources)`; `tmdiag import`
lists them in `tmdiag.cli.import_.FORMATS` (`terraform`, `otm`). `check.checked` formats a draft and
loads it before it is written."""
