"""The language server (`tmdiag lsp`): an incremental front end over the same pipeline as the CLI.

`document` keeps one open file analysed incrementally (with `tmdiag.syntax.incremental`),
`server` wires it to pygls, `navigation`/`hover`/`completion`/`symbols` answer requests,
`publish` writes diagnostics, `threats` runs pytm in a child process for hovers.
"""
