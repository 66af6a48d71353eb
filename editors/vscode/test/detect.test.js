// `.tm` files: tmdiag models or Tcl modules, told apart as the Vim detection does.
"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const fs = require("fs");
const path = require("path");
const { classify, FIRST_LINE } = require("../lib/detect");

const ROOT = path.resolve(__dirname, "../../..");
const manifest = JSON.parse(fs.readFileSync(path.join(__dirname, "..", "package.json"), "utf8"));

test("every example model is tmdiag", () => {
  const examples = fs.readdirSync(path.join(ROOT, "examples")).filter((name) => name.endsWith(".tm"));
  assert.ok(examples.length >= 3);
  for (const name of examples) {
    assert.equal(classify(fs.readFileSync(path.join(ROOT, "examples", name), "utf8")), "tmdiag", name);
  }
});

test("a Tcl module is not, an empty file has nothing to go by", () => {
  assert.equal(classify("package provide mymodule 1.0\nnamespace eval mymodule {}\n"), "other");
  assert.equal(classify("# a comment\n\n"), "empty");
  assert.equal(classify("\uFEFF# model\r\n\r\nweb -> db\r\n"), "tmdiag");
  assert.equal(classify("checkout: customer -> web \"Submit\"\n"), "tmdiag");
  assert.equal(classify("  processor x\n"), "other"); // a keyword must be a whole word
});

test("package.json's firstLine is the detection's", () => {
  const language = manifest.contributes.languages[0];
  assert.equal(language.firstLine, FIRST_LINE);
  const firstLine = new RegExp(language.firstLine);
  assert.ok(firstLine.test('boundary prod "Prod" {') && firstLine.test("web -> db"));
  assert.ok(!firstLine.test("package provide mymodule 1.0"));
});
