// Finding the `tmdiag` command the extension starts: the `tmdiag.path` setting, else the workspace's
// virtual environment (`.venv`, `venv`), else `tmdiag` on the PATH. No `vscode` import: tested in node.
"use strict";
const fs = require("fs");
const path = require("path");

const INSTALL_HINT =
  "Install tmdiag in the workspace: `python3 -m venv .venv && .venv/bin/pip install <tmdiag checkout or wheel>` " +
  "(a wheel comes from `make dist` in a tmdiag checkout), or set `tmdiag.path` to the command.";

function isExecutable(file) {
  try {
    const stat = fs.statSync(file);
    if (!stat.isFile()) return false;
    if (process.platform === "win32") return true;
    fs.accessSync(file, fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function venvCommands(folder, platform) {
  const names = platform === "win32" ? [["Scripts", "tmdiag.exe"]] : [["bin", "tmdiag"]];
  const found = [];
  for (const venv of [".venv", "venv"]) {
    for (const [dir, name] of names) found.push(path.join(folder, venv, dir, name));
  }
  return found;
}

function onPath(name, env, platform, check) {
  const names = platform === "win32" ? [`${name}.exe`, `${name}.cmd`, name] : [name];
  const separator = platform === "win32" ? ";" : ":";
  for (const dir of (env.PATH || env.Path || "").split(separator).filter(Boolean)) {
    for (const candidate of names.map((n) => path.join(dir, n))) {
      if (check(candidate)) return candidate;
    }
  }
  return null;
}

/**
 * The tmdiag command to run.
 * @param {{configured?: string, folders?: string[], env?: object, platform?: string, check?: (p: string) => boolean}} options
 * @returns {{command: string, source: string} | {missing: string}}
 */
function resolveTmdiag(options = {}) {
  const folders = options.folders || [];
  const platform = options.platform || process.platform;
  const check = options.check || isExecutable;
  const configured = (options.configured || "").trim();
  const env = options.env || process.env;
  if (configured) {
    const expanded = configured.replace(/\$\{workspaceFolder\}/g, folders[0] || ".");
    const bare = !expanded.includes("/") && !expanded.includes("\\");
    const found = bare
      ? onPath(expanded, env, platform, check)
      : [path.isAbsolute(expanded) || !folders.length ? expanded : path.join(folders[0], expanded)].find(check);
    if (found) return { command: found, source: "the setting tmdiag.path" };
    return { missing: `The command of the setting \`tmdiag.path\` was not found: ${configured}. ${INSTALL_HINT}` };
  }
  for (const folder of folders) {
    for (const candidate of venvCommands(folder, platform)) {
      if (check(candidate)) return { command: candidate, source: `the workspace's ${path.basename(path.dirname(path.dirname(candidate)))}` };
    }
  }
  const found = onPath("tmdiag", env, platform, check);
  if (found) return { command: found, source: "PATH" };
  return { missing: `tmdiag was not found (not in the workspace's .venv nor on the PATH). ${INSTALL_HINT}` };
}

/** The language server's command line: `tmdiag lsp`, with `--no-threats` when threats are off. */
function serverArgs(settings = {}) {
  const args = ["lsp"];
  if (settings.threats === false) args.push("--no-threats");
  return args;
}

module.exports = { resolveTmdiag, serverArgs, INSTALL_HINT };
