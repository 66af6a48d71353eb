// Finding tmdiag: the setting, the workspace's virtual environment, the PATH; a clear message otherwise.
"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const fs = require("fs");
const os = require("os");
const path = require("path");
const { resolveTmdiag, INSTALL_HINT } = require("../lib/executable");

function workspace(withVenv) {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), "tmdiag-ws-"));
  if (withVenv) {
    fs.mkdirSync(path.join(folder, ".venv", "bin"), { recursive: true });
    const command = path.join(folder, ".venv", "bin", "tmdiag");
    fs.writeFileSync(command, "#!/bin/sh\nexit 0\n", { mode: 0o755 });
  }
  return folder;
}

test("the workspace's .venv first", () => {
  const folder = workspace(true);
  const found = resolveTmdiag({ folders: [folder], env: { PATH: "" }, platform: "linux" });
  assert.equal(found.command, path.join(folder, ".venv", "bin", "tmdiag"));
  assert.match(found.source, /\.venv/);
});

test("the setting wins, with ${workspaceFolder}", () => {
  const folder = workspace(true);
  const found = resolveTmdiag({ configured: "${workspaceFolder}/.venv/bin/tmdiag", folders: [folder], platform: "linux" });
  assert.equal(found.command, path.join(folder, ".venv", "bin", "tmdiag"));
  assert.equal(found.source, "the setting tmdiag.path");
});

test("else the PATH", () => {
  const folder = workspace(true);
  const found = resolveTmdiag({ folders: [workspace(false)], env: { PATH: path.join(folder, ".venv", "bin") }, platform: "linux" });
  assert.equal(found.source, "PATH");
});

test("nothing found: a message that says how to install", () => {
  const found = resolveTmdiag({ folders: [workspace(false)], env: { PATH: "" }, platform: "linux" });
  assert.ok(found.missing.includes("not found") && found.missing.endsWith(INSTALL_HINT));
  assert.match(found.missing, /pip install/);
  const configured = resolveTmdiag({ configured: "/nowhere/tmdiag", folders: [], env: { PATH: "" } });
  assert.match(configured.missing, /tmdiag\.path/);
});
