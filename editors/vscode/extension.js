// tmdiag for VS Code: starts the language server (`tmdiag lsp`), and shows the model's diagram
// (refreshed on save) and its report. The logic that needs no VS Code lives in lib/ and is tested
// against the real tmdiag in node (test/); this file is the glue to the VS Code API.
"use strict";
const path = require("path");
const os = require("os");
const fs = require("fs");
const vscode = require("vscode");
const { LanguageClient, TransportKind } = require("vscode-languageclient/node");
const { resolveTmdiag, serverArgs } = require("./lib/executable");
const { renderDiagram, buildReport } = require("./lib/run");
const { diagramHtml } = require("./lib/webview");
const { classify } = require("./lib/detect");

const INSTALL_DOCS = "https://github.com/tmdiag/tmdiag/blob/main/docs/cli.md";
let client = null;
let output = null;
const diagrams = new Map(); // document path → webview panel

function settings() {
  const config = vscode.workspace.getConfiguration("tmdiag");
  return {
    path: config.get("path", ""),
    threats: config.get("threats", true),
    style: config.get("diagram.style", "dfd"),
    diagramThreats: config.get("diagram.threats", false),
  };
}

function tmdiag() {
  const folders = (vscode.workspace.workspaceFolders || []).map((f) => f.uri.fsPath);
  const found = resolveTmdiag({ configured: settings().path, folders });
  if (found.missing) {
    vscode.window.showErrorMessage(found.missing, "Open settings", "Installation").then((choice) => {
      if (choice === "Open settings") vscode.commands.executeCommand("workbench.action.openSettings", "tmdiag.path");
      if (choice === "Installation") vscode.env.openExternal(vscode.Uri.parse(INSTALL_DOCS));
    });
    return null;
  }
  output.appendLine(`tmdiag: ${found.command} (from ${found.source})`);
  return found.command;
}

async function startClient() {
  const command = tmdiag();
  if (!command) return;
  const executable = { command, args: serverArgs(settings()), transport: TransportKind.stdio };
  client = new LanguageClient("tmdiag", "tmdiag language server", { run: executable, debug: executable }, {
    documentSelector: [{ scheme: "file", language: "tmdiag" }, { scheme: "untitled", language: "tmdiag" }],
    outputChannel: output,
  });
  try {
    await client.start();
  } catch (error) {
    vscode.window.showErrorMessage(`tmdiag language server did not start: ${error.message || error}`);
    client = null;
  }
}

async function restartClient() {
  if (client) await client.stop().catch(() => undefined);
  client = null;
  await startClient();
}

function activeModel() {
  const editor = vscode.window.activeTextEditor;
  if (!editor || editor.document.languageId !== "tmdiag") {
    vscode.window.showWarningMessage("Open a .tm model first.");
    return null;
  }
  if (editor.document.isUntitled) {
    vscode.window.showWarningMessage("Save the model first: tmdiag draws the file on disk.");
    return null;
  }
  return editor.document;
}

async function refreshDiagram(file, panel) {
  const command = tmdiag();
  if (!command) return;
  const { style, diagramThreats } = settings();
  const result = await renderDiagram(command, file, { style, threats: diagramThreats });
  const updated = new Date().toLocaleTimeString();
  panel.webview.html = diagramHtml({ title: path.basename(file), updated, cspSource: panel.webview.cspSource, ...result });
}

async function showDiagram() {
  const document = activeModel();
  if (!document) return;
  const file = document.uri.fsPath;
  let panel = diagrams.get(file);
  if (panel) {
    panel.reveal(vscode.ViewColumn.Beside, true);
  } else {
    panel = vscode.window.createWebviewPanel("tmdiag.diagram", `Diagram: ${path.basename(file)}`,
      { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true }, { enableScripts: false, localResourceRoots: [] });
    diagrams.set(file, panel);
    panel.onDidDispose(() => diagrams.delete(file));
  }
  await refreshDiagram(file, panel);
}

async function showReport(context) {
  const document = activeModel();
  if (!document) return;
  const command = tmdiag();
  if (!command) return;
  const base = context.storageUri ? context.storageUri.fsPath : fs.mkdtempSync(path.join(os.tmpdir(), "tmdiag-"));
  const folder = path.join(base, "report", path.basename(document.uri.fsPath, ".tm"));
  await document.save();
  const result = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: "tmdiag: building the report (pytm, Graphviz)…" },
    () => buildReport(command, document.uri.fsPath, folder));
  if (result.problems) {
    output.appendLine(result.problems);
    vscode.window.showErrorMessage("tmdiag report: the model has problems (see the Problems panel and the output).");
    return;
  }
  const panel = vscode.window.createWebviewPanel("tmdiag.report", `Report: ${path.basename(document.uri.fsPath)}`,
    vscode.ViewColumn.Beside, { enableScripts: true, enableFindWidget: true, localResourceRoots: [vscode.Uri.file(folder)] });
  panel.webview.html = fs.readFileSync(result.html, "utf8");
  vscode.window.showInformationMessage(`Report written to ${folder}`, "Open in browser").then((choice) => {
    if (choice) vscode.env.openExternal(vscode.Uri.file(result.html));
  });
}

// `.tm` is also Tcl's module extension: a file whose first statement is not tmdiag's goes back to
// Tcl (when a Tcl extension is installed) or plain text, as the Vim detection does.
async function handBack(document) {
  if (document.languageId !== "tmdiag" || classify(document.getText()) !== "other") return;
  const languages = await vscode.languages.getLanguages();
  await vscode.languages.setTextDocumentLanguage(document, languages.includes("tcl") ? "tcl" : "plaintext");
}

async function activate(context) {
  output = vscode.window.createOutputChannel("tmdiag");
  context.subscriptions.push(vscode.workspace.onDidOpenTextDocument(handBack));
  await Promise.all(vscode.workspace.textDocuments.map(handBack));
  context.subscriptions.push(
    output,
    vscode.commands.registerCommand("tmdiag.showDiagram", showDiagram),
    vscode.commands.registerCommand("tmdiag.showReport", () => showReport(context)),
    vscode.commands.registerCommand("tmdiag.restartServer", restartClient),
    vscode.workspace.onDidSaveTextDocument((document) => {
      const panel = diagrams.get(document.uri.fsPath);
      if (panel) refreshDiagram(document.uri.fsPath, panel);
    }),
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (event.affectsConfiguration("tmdiag.path") || event.affectsConfiguration("tmdiag.threats")) restartClient();
    }),
  );
  await startClient();
}

async function deactivate() {
  if (client) await client.stop();
}

module.exports = { activate, deactivate };
