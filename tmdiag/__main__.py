from tmdiag.cli import entry

entry()
