"""Hostile labels render as text: autoescaped HTML, escaped Markdown (CommonMark and Python-Markdown:
tests/security/test_markdown.py renders it with both), inert SVG."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tmdiag.report.escape import UnsafeSvg, md_escape, sanitize_svg

PAYLOADS = ("<script>window.__pwned", "<img src=x onerror", "<svg onload", "<iframe", "</table><script>")


def test_html_shows_hostile_labels_as_text(hostile_dir: Path) -> None:
    html = (hostile_dir / "report.html").read_text(encoding="utf-8")
    for payload in PAYLOADS:
        assert payload not in html, payload
    assert "&lt;script&gt;window.__pwned = 1&lt;/script&gt; Hostile | *model*" in html
    assert "&#34;&gt;&lt;img src=x onerror=" in html
    # the only script element is the report's own filter script
    assert len(re.findall(r"<script\b", html)) == 1
    assert not re.search(r"<[^>]*\son\w+\s*=", html), "an event handler attribute leaked into a tag"


def test_markdown_escapes_metacharacters(hostile_dir: Path) -> None:
    md = (hostile_dir / "report.md").read_text(encoding="utf-8")
    text = re.sub(r'<a id="[\w-]+"></a>', "", md)  # the report's own anchors
    assert "<" not in text, "an unescaped < from a label"
    assert "\\[a link\\](javascript:alert(1))" in md
    assert "\\`code\\`" in md and "&lt;b&gt;bold&lt;/b&gt;" in md
    assert "Write &#124; table &#124; breaker" in md
    assert "![" not in md.replace("![Data flow diagram](dfd.svg)", "")
    # every table row of the flows table still has exactly 10 unescaped pipes (9 cells)
    rows = [line for line in md.splitlines() if line.startswith('| <a id="flow-')]
    assert len(rows) == 2
    for row in rows:
        assert row.count("|") == 10, row


def test_svg_files_hold_no_active_content(hostile_dir: Path) -> None:
    svg = (hostile_dir / "dfd.svg").read_text(encoding="utf-8")
    for payload in PAYLOADS:
        assert payload not in svg
    assert not re.search(r"<[^>]*\son\w+\s*=", svg)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a | b", "a &#124; b"),
        ("*bold* _it_", "\\*bold\\* \\_it\\_"),
        ("[x](y)", "\\[x\\](y)"),
        ("`code`", "\\`code\\`"),
        ("<script>", "&lt;script&gt;"),
        ("- item", "\\- item"),
        ("1. first", "1\\. first"),
        ("2.1", "2.1"),
        ("-1 degree", "-1 degree"),
        ("= x", "&#61; x"),
        ("# title", "\\# title"),
        ("line\none\r\n  two", "line one two"),
        ("a & b $x$", "a &amp; b &#36;x&#36;"),
        ("R&D shop <v2>", "R&amp;D shop &lt;v2&gt;"),
        ("{{ 7+7 }} {% x %} {# c #}", "&#123;&#123; 7+7 &#125;&#125; &#123;% x %&#125; &#123;\\# c \\#&#125;"),
        ("~~strike~~", "&#126;&#126;strike&#126;&#126;"),
        ("ping @acme/security", "ping &#64;acme/security"),
        ("Alice\u202e", "Alice"),
        ("\u05e9\u05dc\u05d5\u05dd \u202e1", "\u2068\u05e9\u05dc\u05d5\u05dd 1\u2069"),
        ("W\x0bx\x1b[31m", "W\ufffdx\ufffd\\[31m"),
        ("back\\slash", "back\\\\slash"),
    ],
)
def test_md_escape(text: str, expected: str) -> None:
    assert str(md_escape(text)) == expected


def test_sanitize_svg_drops_active_content_and_prefixes_ids() -> None:
    hostile = (
        '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" onload="x()">'
        '<script>alert(1)</script><g id="node1" onclick="x()"><a xlink:href="#el-web"><text>ok</text></a>'
        '<a xlink:href="javascript:alert(1)"><text>bad</text></a><image xlink:href="http://evil.invalid/x.png"/>'
        '<image xlink:href="data:image/png;base64,AAAA"/><foreignObject><div>x</div></foreignObject>'
        '<rect fill="url(#grad)" style="fill:url(http://evil.invalid/)"/></g></svg>'
    )
    clean = sanitize_svg(hostile)
    assert "script" not in clean and "onload" not in clean and "onclick" not in clean
    assert "javascript:" not in clean and "evil.invalid" not in clean and "foreignObject" not in clean
    assert 'xlink:href="#el-web"' in clean and 'id="dfd-node1"' in clean and "url(#dfd-grad)" in clean
    assert "data:image/png;base64,AAAA" in clean
    assert 'xlink:href="report.html#el-web"' in sanitize_svg(hostile, link_prefix="report.html")


def test_sanitize_svg_rejects_non_svg() -> None:
    with pytest.raises(UnsafeSvg):
        sanitize_svg("<html><script/></html>")
    with pytest.raises(UnsafeSvg):
        sanitize_svg("not xml <")
