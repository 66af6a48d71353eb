// The HTML of the diagram preview: the SVG inline, behind a strict content security policy (no
// scripts; styles only inline), or the problems that kept the diagram from being drawn.
"use strict";

function escapeHtml(text) {
  return String(text).replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);
}

/** Drop what an SVG must not bring into the preview: scripts, event handlers, foreign objects. */
function sanitizeSvg(svg) {
  const start = svg.indexOf("<svg");
  return svg
    .slice(start >= 0 ? start : 0)
    .replace(/<script[\s\S]*?<\/script\s*>/gi, "")
    .replace(/<foreignObject[\s\S]*?<\/foreignObject\s*>/gi, "")
    .replace(/\son[a-z]+\s*=\s*("[^"]*"|'[^']*')/gi, "")
    .replace(/(xlink:href|href)\s*=\s*(["'])\s*javascript:[^"']*\2/gi, "");
}

/**
 * @param {{title: string, svg?: string, problems?: string, updated?: string, cspSource?: string}} view
 */
function diagramHtml(view) {
  const body = view.svg !== undefined
    ? `<div class="diagram">${sanitizeSvg(view.svg)}</div>`
    : `<h2>The diagram could not be drawn</h2><pre class="problems">${escapeHtml(view.problems || "")}</pre>`;
  const csp = `default-src 'none'; img-src ${view.cspSource || "'none'"} data:; style-src 'unsafe-inline';`;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<title>${escapeHtml(view.title)}</title>
<style>
  body { margin: 0; padding: 8px; background: #fff; color: #222; font-family: sans-serif; }
  .status { font-size: 12px; color: #666; margin-bottom: 6px; }
  .diagram svg { max-width: 100%; height: auto; }
  .problems { white-space: pre-wrap; font-family: monospace; color: #a00; }
</style>
</head>
<body>
<div class="status">${escapeHtml(view.title)}${view.updated ? ` · updated ${escapeHtml(view.updated)}` : ""} · refreshes on save</div>
${body}
</body>
</html>
`;
}

module.exports = { diagramHtml, sanitizeSvg, escapeHtml };
