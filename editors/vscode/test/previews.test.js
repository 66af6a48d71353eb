// The diagram preview and the report, made by the real tmdiag as the extension's commands make them.
"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const fs = require("fs");
const os = require("os");
const path = require("path");
const { ROOT } = require("./helpers");
const { resolveTmdiag, serverArgs } = require("../lib/executable");
const { renderDiagram, buildReport } = require("../lib/run");
const { diagramHtml, sanitizeSvg } = require("../lib/webview");

const tmdiag = resolveTmdiag({ folders: [ROOT] }).command;

test("the diagram of a model, in a webview page with a strict content security policy", async () => {
  const result = await renderDiagram(tmdiag, path.join(ROOT, "examples", "checkout.tm"), { style: "dfd" });
  assert.ok(result.svg.includes("<svg"), JSON.stringify(result).slice(0, 300));
  const html = diagramHtml({ title: "checkout.tm", cspSource: "vscode-webview:", ...result });
  assert.match(html, /Content-Security-Policy" content="default-src 'none'/);
  assert.ok(html.includes("<svg") && !/<script/i.test(html));
  assert.match(html, /Checkout web app/);
});

test("a model with errors shows the errors instead of a diagram", async () => {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), "tmdiag-vscode-"));
  const file = path.join(folder, "broken.tm");
  fs.writeFileSync(file, 'process web "Web" { clasification: secret }\n');
  const result = await renderDiagram(tmdiag, file);
  assert.equal(result.svg, undefined);
  assert.match(result.problems, /E201/);
  const html = diagramHtml({ title: "broken.tm", ...result });
  assert.match(html, /could not be drawn/);
  assert.ok(html.includes("clasification") && !html.includes("<svg"));
});

test("an SVG cannot bring scripts or handlers into the preview", () => {
  const svg = '<?xml version="1.0"?><svg onload="x()"><script>alert(1)</script><a href="javascript:x()"><g onclick=\'y()\'/></a></svg>';
  const clean = sanitizeSvg(svg);
  assert.ok(!/script|onload|onclick|javascript:/i.test(clean), clean);
  assert.ok(clean.startsWith("<svg"));
});

test("the report: report.html written into the extension's folder", async () => {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), "tmdiag-report-"));
  const result = await buildReport(tmdiag, path.join(ROOT, "examples", "checkout.tm"), path.join(folder, "checkout"));
  assert.ok(result.html && fs.existsSync(result.html), JSON.stringify(result));
  assert.match(fs.readFileSync(result.html, "utf8"), /<html/i);
});

test("threats off starts the server with --no-threats", () => {
  assert.deepEqual(serverArgs({ threats: false }), ["lsp", "--no-threats"]);
  assert.deepEqual(serverArgs({}), ["lsp"]);
});
