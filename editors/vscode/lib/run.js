// Running tmdiag commands for the previews: the diagram (SVG on stdout) and the report (a folder).
// No `vscode` import: tested in node against the real command.
"use strict";
const { execFile } = require("child_process");
const path = require("path");

function run(command, args, options = {}) {
  return new Promise((resolve) => {
    execFile(command, args, { cwd: options.cwd, maxBuffer: 256 * 1024 * 1024, timeout: options.timeout || 300000,
      env: { ...process.env, NO_COLOR: "1" } }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === "number" ? error.code : -1) : 0;
      resolve({ code, stdout: String(stdout), stderr: String(stderr), spawnError: error && typeof error.code !== "number" ? error : null });
    });
  });
}

/**
 * The model's data-flow diagram as SVG text, or the problems that kept it from being drawn.
 * @returns {Promise<{svg: string} | {problems: string}>}
 */
async function renderDiagram(command, file, settings = {}) {
  const args = ["diagram", file, "--format", "svg", "--color", "never", "-q"];
  if (settings.style) args.push("--style", settings.style);
  if (settings.threats) args.push("--threats");
  const result = await run(command, args, { cwd: path.dirname(file) });
  if (result.spawnError) return { problems: `could not run ${command}: ${result.spawnError.message}` };
  if (result.code !== 0 || !result.stdout.includes("<svg")) {
    return { problems: (result.stderr || result.stdout || `tmdiag diagram exited with ${result.code}`).trim() };
  }
  return { svg: result.stdout };
}

/**
 * Write the model's report into `folder`; the path of report.html, or the problems.
 * @returns {Promise<{html: string} | {problems: string}>}
 */
async function buildReport(command, file, folder) {
  const result = await run(command, ["report", file, "-o", folder, "-q", "--color", "never"], { cwd: path.dirname(file) });
  if (result.spawnError) return { problems: `could not run ${command}: ${result.spawnError.message}` };
  if (result.code !== 0) return { problems: (result.stderr || result.stdout).trim() };
  return { html: path.join(folder, "report.html") };
}

module.exports = { run, renderDiagram, buildReport };
