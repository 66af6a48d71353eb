// The extension's client against a real `tmdiag lsp` (started as the extension starts it): what
// VS Code gets for a model being edited. Run by `node --test` (tests/editors/test_vscode.py runs it).
"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const fs = require("fs");
const path = require("path");
const { ROOT, startServer, fileUri } = require("./helpers");

const CHECKOUT = path.join(ROOT, "examples", "checkout.tm");

test("the server starts from the workspace's .venv and offers what the extension uses", async () => {
  const server = await startServer({ threats: false });
  try {
    assert.equal(server.found.command, path.join(ROOT, ".venv", "bin", "tmdiag"));
    const caps = server.capabilities;
    assert.ok(caps.hoverProvider && caps.definitionProvider && caps.referencesProvider && caps.renameProvider);
    assert.ok(caps.documentFormattingProvider && caps.codeActionProvider && caps.workspaceSymbolProvider);
    assert.deepEqual(caps.semanticTokensProvider.legend.tokenModifiers, ["declaration", "defaultLibrary"]);
    assert.ok(caps.semanticTokensProvider.full && caps.semanticTokensProvider.range);
    assert.ok(caps.executeCommandProvider.commands.includes("tmdiag.showThreats"));
    const deadline = Date.now() + 10000;
    let registered;
    while (!(registered = server.requests.find((r) => r.method === "client/registerCapability"))) {
      assert.ok(Date.now() < deadline, "the server registered no file watcher");
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    assert.equal(registered.params.registrations[0].method, "workspace/didChangeWatchedFiles");
  } finally {
    assert.equal(await server.stop(), 0);
  }
});

test("diagnostics as you type, a quick fix, hover, semantic tokens, formatting", async () => {
  const server = await startServer({ threats: false });
  const uri = fileUri(path.join(ROOT, "examples", "vscode-harness.tm"));
  const text = fs.readFileSync(CHECKOUT, "utf8").replace("classification: secret", "clasification: secret");
  try {
    server.connection.sendNotification("textDocument/didOpen", { textDocument: { uri, languageId: "tmdiag", version: 1, text } });
    const found = await server.diagnostics(uri, (ds) => ds.some((d) => d.code === "E201"));
    const typo = found.find((d) => d.code === "E201");
    assert.match(typo.message, /did you mean `classification`\?/);
    assert.deepEqual(typo.data.fix, { replacement: "classification" });
    const actions = await server.connection.sendRequest("textDocument/codeAction", {
      textDocument: { uri }, range: typo.range, context: { diagnostics: [typo] },
    });
    assert.equal(actions[0].edit.changes[uri][0].newText, "classification");

    // fix it as VS Code would (an incremental change): the error goes away
    server.connection.sendNotification("textDocument/didChange", {
      textDocument: { uri, version: 2 }, contentChanges: [{ range: typo.range, text: "classification" }],
    });
    await server.diagnostics(uri, (ds) => !ds.some((d) => d.code === "E201"));

    const lines = text.split("\n");
    const line = lines.findIndex((l) => l.includes("web -> db"));
    const hover = await server.connection.sendRequest("textDocument/hover", {
      textDocument: { uri }, position: { line, character: lines[line].indexOf("web") },
    });
    assert.match(hover.contents.value, /\*\*process\*\* `web`/);

    const tokens = await server.connection.sendRequest("textDocument/semanticTokens/full", { textDocument: { uri } });
    assert.equal(tokens.data.length % 5, 0);
    assert.ok(tokens.data.length / 5 > 200, `${tokens.data.length / 5} tokens`);

    const edits = await server.connection.sendRequest("textDocument/formatting", {
      textDocument: { uri }, options: { tabSize: 2, insertSpaces: true },
    });
    assert.ok(Array.isArray(edits));

    const symbols = await server.connection.sendRequest("workspace/symbol", { query: "web" });
    assert.ok(symbols.some((s) => s.name === "web" && s.location.uri.endsWith("checkout.tm")));
  } finally {
    assert.equal(await server.stop(), 0);
  }
});

test("code lenses with open threats, refreshed when pytm is done, listed on click", async () => {
  const server = await startServer({ threats: true });
  const uri = fileUri(CHECKOUT);
  try {
    server.connection.sendNotification("textDocument/didOpen", {
      textDocument: { uri, languageId: "tmdiag", version: 1, text: fs.readFileSync(CHECKOUT, "utf8") },
    });
    await server.diagnostics(uri);
    const deadline = Date.now() + 90000;
    while (!server.requests.some((r) => r.method === "workspace/codeLens/refresh")) {
      assert.ok(Date.now() < deadline, "the server never asked to refresh the code lenses");
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    const lenses = await server.connection.sendRequest("textDocument/codeLens", { textDocument: { uri } });
    const web = lenses.find((lens) => lens.command.arguments[1] === "web");
    assert.match(web.command.title, /^\d+ open threats?: \d+ (critical|high|medium|low)/);
    const listed = await server.connection.sendRequest("workspace/executeCommand", {
      command: web.command.command, arguments: web.command.arguments,
    });
    assert.equal(listed.split("\n- ").length - 1, Number(web.command.title.split(" ")[0]));
  } finally {
    assert.equal(await server.stop(), 0);
  }
});
