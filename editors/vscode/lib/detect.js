// Is a `.tm` file a tmdiag model or a Tcl module (`.tm` is both)? The same test as the Vim/Neovim
// detection (editors/vim/ftdetect/tmdiag.vim): the first line that is not blank or a `#` comment
// starts with a statement keyword or is a flow `a -> b` / `name: a -> b`. No `vscode` import.
"use strict";

// tmdiag's statement keywords (tests/editors/test_vscode.py holds this equal to the grammar's).
const KEYWORDS = [
  "threat_agent", "datastore", "boundary", "external", "control", "process", "assume", "import", "lambda",
  "server", "actor", "agent", "model", "data", "risk", "rule", "team", "view", "llm",
];
const ID = "[A-Za-z_][A-Za-z0-9_]*(?:-[A-Za-z0-9_]+)*";
const STATEMENT = new RegExp(`^\\s*(?:${KEYWORDS.join("|")})(?![A-Za-z0-9_-])`);
const FLOW = new RegExp(`^\\s*${ID}\\s*(?::\\s*${ID}\\s*)?->`);
// package.json's `firstLine` (files opened without the .tm extension): the same two tests, on line 1.
const FIRST_LINE = `${STATEMENT.source}|${FLOW.source}`;

// "tmdiag", "other" (a first statement tmdiag does not start with: Tcl), or "empty" (nothing to go by).
function classify(text, maxLines = 200) {
  const lines = text.replace(/^\uFEFF/, "").split(/\r?\n/, maxLines);
  for (const line of lines) {
    if (/^\s*(#.*)?$/.test(line)) continue;
    return STATEMENT.test(line) || FLOW.test(line) ? "tmdiag" : "other";
  }
  return "empty";
}

module.exports = { KEYWORDS, FIRST_LINE, classify };
