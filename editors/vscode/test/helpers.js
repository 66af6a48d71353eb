// Shared by the tests: the repository, a real `tmdiag lsp` started the way the extension starts it,
// and an LSP conversation over its stdio with vscode-jsonrpc (the library vscode-languageclient uses).
"use strict";
const path = require("path");
const { spawn } = require("child_process");
const rpc = require("vscode-jsonrpc/node");
const { resolveTmdiag, serverArgs } = require("../lib/executable");

const ROOT = process.env.TMDIAG_ROOT || path.resolve(__dirname, "..", "..", "..");

// What VS Code's client announces, for the parts the server looks at.
const CAPABILITIES = {
  general: { positionEncodings: ["utf-16"] },
  workspace: {
    didChangeWatchedFiles: { dynamicRegistration: true },
    codeLens: { refreshSupport: true },
    semanticTokens: { refreshSupport: true },
    symbol: { dynamicRegistration: true },
    workspaceFolders: true,
    configuration: true,
  },
  textDocument: {
    synchronization: { didSave: true, dynamicRegistration: true },
    publishDiagnostics: { relatedInformation: true, codeDescriptionSupport: true, dataSupport: true },
    hover: { contentFormat: ["markdown", "plaintext"] },
    codeAction: { dataSupport: true, codeActionLiteralSupport: { codeActionKind: { valueSet: ["quickfix"] } } },
    semanticTokens: {
      requests: { full: true, range: true },
      tokenTypes: ["namespace", "class", "struct", "parameter", "event", "function", "interface", "macro",
        "variable", "property", "enumMember", "type", "string", "number", "comment", "keyword", "operator"],
      tokenModifiers: ["declaration", "defaultLibrary"],
      formats: ["relative"],
    },
    codeLens: { dynamicRegistration: true },
    formatting: { dynamicRegistration: true },
  },
};

/** Start the server as the extension does (its executable lookup and arguments) and connect to it. */
async function startServer(settings = {}) {
  const found = resolveTmdiag({ configured: settings.path || "", folders: [ROOT] });
  if (found.missing) throw new Error(found.missing);
  const child = spawn(found.command, serverArgs(settings), { cwd: ROOT, stdio: ["pipe", "pipe", "pipe"] });
  const connection = rpc.createMessageConnection(new rpc.StreamMessageReader(child.stdout), new rpc.StreamMessageWriter(child.stdin));
  const published = [];
  const waiting = [];
  connection.onNotification("textDocument/publishDiagnostics", (params) => {
    published.push(params);
    for (const waiter of [...waiting]) waiter();
  });
  const requests = [];
  connection.onRequest((method, params) => {
    requests.push({ method, params });
    return null;
  });
  connection.onNotification("window/showMessage", () => undefined);
  connection.onNotification("window/logMessage", () => undefined);
  connection.listen();
  const exited = new Promise((resolve) => child.on("exit", (code) => resolve(code)));
  const session = {
    child, connection, found, published, requests, exited,
    /** The next diagnostics of `uri` for which `check` holds. */
    diagnostics(uri, check = () => true, timeout = 20000) {
      return new Promise((resolve, reject) => {
        let seen = 0;
        const timer = setTimeout(() => reject(new Error(`no diagnostics for ${uri}`)), timeout);
        const look = () => {
          for (; seen < published.length; seen++) {
            const params = published[seen];
            if (params.uri === uri && check(params.diagnostics)) {
              clearTimeout(timer);
              waiting.splice(waiting.indexOf(look), 1);
              resolve(params.diagnostics);
              return;
            }
          }
        };
        waiting.push(look);
        look();
      });
    },
    async stop() {
      await connection.sendRequest("shutdown");
      connection.sendNotification("exit");
      const code = await exited;
      connection.dispose();
      return code;
    },
  };
  const initialized = await connection.sendRequest("initialize", {
    processId: process.pid, rootUri: `file://${ROOT}`, capabilities: CAPABILITIES,
    workspaceFolders: [{ uri: `file://${ROOT}`, name: "tmdiag" }],
    clientInfo: { name: "Visual Studio Code", version: "1.95.0" },
  });
  connection.sendNotification("initialized", {});
  session.capabilities = initialized.capabilities;
  return session;
}

function fileUri(file) {
  return `file://${path.resolve(file)}`;
}

module.exports = { ROOT, startServer, fileUri, CAPABILITIES };
