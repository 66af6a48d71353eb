// Tokenize .tm files with the real VS Code engine (vscode-textmate + vscode-oniguruma).
// usage: node tokenize.js GRAMMAR.json FILE...   -> JSON on stdout (a FILE.md is tokenized as
// Markdown, with the ```tm fence injection grammar beside GRAMMAR.json and a stub Markdown grammar):
//   {"FILE": [[{"text": "...", "start": 0, "end": 5, "scopes": ["source.tm", ...]}, ...], ...], ...}
// One process for all files: node start-up is the slow part.
"use strict";
const fs = require("fs");
const path = require("path");
const textmate = require("vscode-textmate");
const oniguruma = require("vscode-oniguruma");

async function main() {
  const [grammarPath, ...files] = process.argv.slice(2);
  const wasm = fs.readFileSync(path.join(path.dirname(require.resolve("vscode-oniguruma")), "onig.wasm"));
  await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
  const registry = new textmate.Registry({
    onigLib: Promise.resolve({
      createOnigScanner: (patterns) => new oniguruma.OnigScanner(patterns),
      createOnigString: (text) => new oniguruma.OnigString(text),
    }),
    loadGrammar: async (scope) => {
      if (scope === "source.tm") return textmate.parseRawGrammar(fs.readFileSync(grammarPath, "utf8"), grammarPath);
      if (scope === "markdown.tm.codeblock") {
        const injection = path.join(path.dirname(grammarPath), "tm.markdown.tmLanguage.json");
        return textmate.parseRawGrammar(fs.readFileSync(injection, "utf8"), injection);
      }
      if (scope === "text.html.markdown") {  // stand-in for VS Code's Markdown grammar
        return textmate.parseRawGrammar(JSON.stringify({ scopeName: scope, patterns: [] }), "markdown.json");
      }
      return null;
    },
    getInjections: (scope) => (scope === "text.html.markdown" ? ["markdown.tm.codeblock"] : undefined),
  });
  const grammar = await registry.loadGrammar("source.tm");
  if (!grammar) throw new Error(`could not load ${grammarPath}`);
  const markdown = await registry.loadGrammar("text.html.markdown");
  const result = {};
  for (const file of files) {
    const grammarOf = file.endsWith(".md") ? markdown : grammar;
    let stack = textmate.INITIAL;
    result[file] = fs.readFileSync(file, "utf8").replace(/^\uFEFF/, "").split(/\r?\n/).map((line) => {
      const tokens = grammarOf.tokenizeLine(line, stack);
      stack = tokens.ruleStack;
      return tokens.tokens.map((t) => ({
        text: line.slice(t.startIndex, t.endIndex), start: t.startIndex, end: t.endIndex, scopes: t.scopes,
      }));
    });
  }
  process.stdout.write(JSON.stringify(result));
}

main().catch((error) => {
  process.stderr.write(String(error && error.stack || error) + "\n");
  process.exit(2);
});
