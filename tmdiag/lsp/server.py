"""`tmdiag lsp`: the language server (pygls 2, stdio).

Diagnostics are published after every change (unless they are the ones last sent): parse, build and
validation are incremental (see `tmdiag.lsp.document`). On open, statements are read without Lark
trees; the trees (for semantic tokens) are parsed after the first publish, a slice at a time.
Lint runs whole-model: inline when it is fast for this document, otherwise
in a worker thread once typing pauses (`LINT_DELAY`), and its results are published when they
arrive. pytm threats (for hovers) run in a child process on open, on save and after a longer pause.

An open 3,000-element model is ~700,000 long-lived objects (trees, model parts): one full pass of
the cyclic garbage collector over them takes ~300 ms, and lint ran 4x slower under those passes. After
each publish the survivors are moved out of the collector's sight (`gc.freeze()`); they are still
freed by reference counting when an edit drops them (they form no cycles). Closing a document
gives them back to the collector.
"""

from __future__ import annotations

import asyncio
import bisect
import gc
import json
import logging
import re
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lsprotocol import types
from pygls.lsp.server import LanguageServer
from pygls.uris import from_fs_path, to_fs_path

from tmdiag.diagnostics import Diagnostic, Severity, Span
from tmdiag.loader import project_root
from tmdiag.lsp import completion, hover, lenses, navigation, symbols, tokens
from tmdiag.lsp import publish as wire
from tmdiag.lsp.document import Document
from tmdiag.lsp.formatting import Formatter, NotFormatted
from tmdiag.lsp.positions import LineIndex
from tmdiag.lsp.threats import ThreatRunner
from tmdiag.lsp.workspace import SymbolIndex
from tmdiag.syntax.grammar import NAME_PATTERN
from tmdiag.syntax.incremental import Chunk
from tmdiag.version import __version__

log = logging.getLogger(__name__)

LINT_INLINE_BUDGET = 0.025  # s: lint this fast runs on every change
LINT_DELAY = 0.5  # s of quiet before a slow lint runs
IMPORTERS_DELAY = 0.3  # s of quiet in an imported file before the documents importing it are analysed again
THREATS_DELAY = 5.0  # s of quiet before threats are re-analysed
MAX_IMPORTED = 20  # problems of imported files shown on the import line
TREES_SLICE = 0.02  # s of tree parsing at a time after open, between the messages that come meanwhile
TREES_DELAY = 0.3  # s of quiet after a change before the trees of new statements are parsed

_SEVERITY = {
    Severity.ERROR: types.DiagnosticSeverity.Error,
    Severity.WARNING: types.DiagnosticSeverity.Warning,
    Severity.INFO: types.DiagnosticSeverity.Information,
}


@dataclass(eq=False)
class Anchored:
    """A lint finding tied to the chunk it is in, with its encoded form for the chunk's current line."""

    diagnostic: Diagnostic
    chunk: Chunk
    line: int  # lines below the chunk's first line
    end_line: int
    encoded_at: int = -1  # the chunk's line when `encoded` was made
    encoded: str = ""
    rest: str = ""  # everything but the range, encoded


@dataclass
class LintState:
    """The last lint result of a document, anchored to chunks so it survives edits elsewhere."""

    generation: int = -1
    anchored: list[Anchored] = field(default_factory=list)
    duration: float | None = None  # s, of the last run; None: never ran
    running: bool = False
    timer: asyncio.TimerHandle | None = None


@dataclass
class OpenDocument:
    uri: str
    document: Document
    version: int | None
    lint: LintState = field(default_factory=LintState)
    threats: ThreatRunner | None = None
    threats_timer: asyncio.TimerHandle | None = None
    trees_timer: asyncio.TimerHandle | None = None
    published_at: float = 0.0  # perf_counter of the last publish (benchmarks)
    published: str | None = None  # the diagnostics last sent (encoded); an identical set is not sent again
    encoder: wire.Encoder = field(default_factory=wire.Encoder)


class TmLanguageServer(LanguageServer):
    def __init__(self) -> None:
        super().__init__("tmdiag", __version__)
        self.open: dict[str, OpenDocument] = {}
        self.threats_enabled = True
        self.session: object = None  # tmdiag.lsp.transport.Session, when serving stdio
        self.overlays: dict[str, tuple[str, int]] = {}  # open documents' paths → (text, edit generation)
        self.symbols = SymbolIndex()
        self.formatter = Formatter()
        self.importers_timer: asyncio.TimerHandle | None = None
        self._changed_paths: set[str] = set()
        self._imported_lines: dict[tuple[str, str], tuple[str, LineIndex]] = {}  # (path, encoding) → (text, index)

    # ---- documents ----------------------------------------------------------------------
    def open_document(self, uri: str, text: str, version: int | None) -> OpenDocument:
        self.close(uri)  # opened again: start over
        fs = to_fs_path(uri)
        fs_path = Path(fs).resolve() if fs else None
        display = _display(fs_path) if fs_path else uri
        negotiated = self.workspace.position_encoding or types.PositionEncodingKind.Utf16
        encoding = str(getattr(negotiated, "value", negotiated))  # "utf-16", "utf-8" or "utf-32"
        opened = OpenDocument(uri, Document(text, display, fs_path, encoding), version)
        opened.document.overlays = self.overlays
        self.open[uri] = opened
        self.remember(opened)
        return opened

    def remember(self, opened: OpenDocument) -> None:
        """Let documents that import this one read it as it is in the editor."""
        document = opened.document
        if document.fs_path is not None:
            self.overlays[str(document.fs_path)] = (document.text, document.generation)

    # ---- documents that import others --------------------------------------------------
    def refresh_importers(self, path: str, delay: float = 0.0) -> None:
        """Analyse again the open documents that import `path` (changed in the editor or on disk)."""
        self._changed_paths.add(path)
        if self.importers_timer is not None:
            self.importers_timer.cancel()
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:  # outside the server's loop (tests in process)
            self._refresh_now()
            return
        self.importers_timer = loop.call_later(delay, self._refresh_now)

    def _refresh_now(self) -> None:
        self.importers_timer = None
        changed, self._changed_paths = self._changed_paths, set()
        for opened in list(self.open.values()):
            document = opened.document
            own = str(document.fs_path) if document.fs_path else None
            if any(path != own and document.imports.reads(path) for path in changed):
                document.analysis = None
                self.publish(opened)
                if self.threats_enabled:
                    self.request_threats(opened, THREATS_DELAY)

    def publish(self, opened: OpenDocument) -> None:
        document = opened.document
        analysis = document.analyse()
        lint = self._lint_inline(opened) if not analysis.syntax_errors else None
        found = [d for d in analysis.diagnostics if d.span.path == document.path]
        found += lint or []
        found += _imported_problems(analysis.diagnostics, document)
        lines, encoder = document.lines, opened.encoder

        def locate(span: Span) -> tuple[str, str]:  # for related information
            return self._uri_of(opened, span.path), json.dumps(self._unstructured_range(opened, span))

        items = [encoder.encode(d, d.span, lines, locate) for d in found]
        if lint is None:
            items += self._anchored_lint(opened, locate)
        encoder.done()
        encoded = ",".join(items)
        if encoded != opened.published:  # the same diagnostics at the same places: the editor has them
            opened.published = encoded
            if not wire.send_diagnostics(self.protocol.writer, opened.uri, opened.version, [encoded]):
                self.text_document_publish_diagnostics(  # no stream writer (tests in process): the pygls way
                    types.PublishDiagnosticsParams(opened.uri, [self._to_lsp(opened, d) for d in found], opened.version)
                )
        opened.published_at = time.perf_counter()
        gc.freeze()  # see the module docstring
        if lint is None and not analysis.syntax_errors:
            self._schedule_lint(opened)

    def _to_lsp(self, opened: OpenDocument, d: Diagnostic) -> types.Diagnostic:
        lines = opened.document.lines
        related = [
            types.DiagnosticRelatedInformation(
                types.Location(self._uri_of(opened, where.path), self._range(opened, where)), note
            )
            for note, where in d.related
        ]
        href = None
        if d.code.startswith("TM"):
            from tmdiag.lint.registry import help_uri

            href = types.CodeDescription(href=help_uri(d.code))
        return types.Diagnostic(
            range=lines.lsp_range(d.span),
            message=d.message + (f"\n{d.hint}" if d.hint else ""),
            severity=_SEVERITY.get(d.severity, types.DiagnosticSeverity.Error),
            code=d.code,
            code_description=href,
            source="tmdiag",
            related_information=related or None,
        )

    def _lines_of(self, opened: OpenDocument, path: str) -> LineIndex | None:
        """Positions in the document, or in an imported file it shows (None: text unknown)."""
        document = opened.document
        if path == document.path:
            return document.lines
        text = document.analyse().model.sources.get(path)
        if text is None:
            return None
        key = (path, document.lines.encoding)
        cached = self._imported_lines.get(key)
        if cached is None or cached[0] is not text:
            cached = self._imported_lines[key] = (text, LineIndex(text, document.lines.encoding))
        return cached[1]

    def _unstructured_range(self, opened: OpenDocument, span: Span) -> dict[str, dict[str, int]]:
        lines = self._lines_of(opened, span.path)
        if lines is not None:
            line, start = lines.position_units(span.line, span.column)
            end_line, end = lines.position_units(span.end_line, span.end_column)
        else:  # columns as code points, which is right for ASCII text
            line, start, end_line, end = span.line - 1, span.column - 1, span.end_line - 1, span.end_column - 1
        return {"start": {"line": line, "character": start}, "end": {"line": end_line, "character": end}}

    def _range(self, opened: OpenDocument, span: Span) -> types.Range:
        lines = self._lines_of(opened, span.path)
        if lines is not None:
            return lines.lsp_range(span)
        return types.Range(
            types.Position(span.line - 1, span.column - 1), types.Position(span.end_line - 1, span.end_column - 1)
        )

    def workspace_roots(self) -> list[Path]:
        """The workspace folders (else the root), as folders on disk."""
        workspace = self.workspace
        uris = [f.uri for f in workspace.folders.values()] or ([workspace.root_uri] if workspace.root_uri else [])
        roots = []
        for uri in uris:
            fs = to_fs_path(uri)
            if fs and Path(fs).is_dir():
                roots.append(Path(fs).resolve())
        return roots

    def _uri_of(self, opened: OpenDocument, path: str) -> str:
        if path == opened.document.path:
            return opened.uri
        return from_fs_path(str(Path(path).resolve())) or path

    # ---- lint ---------------------------------------------------------------------------
    def _lint_inline(self, opened: OpenDocument) -> list[Diagnostic] | None:
        state = opened.lint
        if state.duration is None or state.duration > LINT_INLINE_BUDGET:
            return None
        model = opened.document.analyse().model
        found = _run_lint(model, opened.document)
        self._store_lint(opened, found, opened.document.generation, state.duration)
        return [d for d in found if d.span.path == opened.document.path]

    def _schedule_lint(self, opened: OpenDocument) -> None:
        state = opened.lint
        if state.timer is not None:
            state.timer.cancel()
        delay = 0.0 if state.duration is None else LINT_DELAY
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:  # used outside the server's loop (benchmarks): lint is the caller's business
            return
        state.timer = loop.call_later(delay, lambda: self._start_lint(opened))

    def _start_lint(self, opened: OpenDocument) -> None:
        state = opened.lint
        state.timer = None
        if state.running or self.open.get(opened.uri) is not opened:
            return
        analysis = opened.document.analyse()
        if analysis.syntax_errors:
            return
        state.running = True
        generation = opened.document.generation
        loop = asyncio.get_running_loop()

        def work() -> tuple[list[Diagnostic], float]:
            clock = time.perf_counter()
            found = _run_lint(analysis.model, opened.document)
            return found, time.perf_counter() - clock

        def done(future: asyncio.Future[tuple[list[Diagnostic], float]]) -> None:
            state.running = False
            try:
                found, duration = future.result()
            except Exception as error:  # a broken rule must not take the server down
                log.exception("lint failed")
                self.window_log_message(types.LogMessageParams(types.MessageType.Error, f"tmdiag lint failed: {error}"))
                return
            state.duration = duration
            if opened.document.generation != generation:  # edited meanwhile: positions moved, run again
                self._schedule_lint(opened)
                return
            self._store_lint(opened, found, generation, duration)
            if self.open.get(opened.uri) is opened:
                self.publish(opened)

        loop.run_in_executor(None, work).add_done_callback(done)

    def _store_lint(
        self, opened: OpenDocument, found: list[Diagnostic], generation: int, duration: float | None
    ) -> None:
        chunks = opened.document.parse.chunks
        lines = [c.line for c in chunks]
        anchored = []
        for d in found:
            if d.span.path != opened.document.path or not chunks:
                continue
            chunk = chunks[max(0, bisect.bisect_right(lines, d.span.line) - 1)]
            anchored.append(Anchored(d, chunk, d.span.line - chunk.line, d.span.end_line - chunk.line))
        opened.lint = LintState(generation, anchored, duration, opened.lint.running, opened.lint.timer)

    def _anchored_lint(self, opened: OpenDocument, locate: wire.Locate) -> list[str]:
        """The last lint result (encoded), moved with its chunks; findings in changed chunks are dropped."""
        document = opened.document
        born, generation, lines = document.born, opened.lint.generation, document.lines
        items = []
        for anchored in opened.lint.anchored:
            chunk = anchored.chunk
            if born.get(chunk.uid, generation + 1) > generation:  # gone, or replaced since the lint ran
                continue
            if anchored.encoded_at != chunk.line:
                d = anchored.diagnostic
                span = Span(d.span.path, chunk.line + anchored.line, d.span.column,
                            chunk.line + anchored.end_line, d.span.end_column)  # fmt: skip
                if not anchored.rest:
                    anchored.rest = wire.rest(d, locate)
                anchored.encoded = '{"range":' + wire.range_json(lines, span) + "," + anchored.rest + "}"
                anchored.encoded_at = chunk.line
            items.append(anchored.encoded)
        return items

    def parse_trees(self, opened: OpenDocument, index: int = 0) -> None:
        """Parse the statements' trees (for semantic tokens) after open or a change, a slice at a time on
        the event loop: a message that comes meanwhile waits for one slice at most."""
        opened.trees_timer = None
        if self.open.get(opened.uri) is not opened:
            return
        chunks = opened.document.parse.chunks
        deadline = time.perf_counter() + TREES_SLICE
        while index < len(chunks) and time.perf_counter() < deadline:
            if not chunks[index].parsed:
                chunks[index].statements()
            index += 1
        if index < len(chunks):
            asyncio.get_running_loop().call_soon(self.parse_trees, opened, index)
        else:
            gc.freeze()  # see the module docstring

    # ---- threats ------------------------------------------------------------------------
    def request_threats(self, opened: OpenDocument, delay: float = 0.0) -> None:
        if not self.threats_enabled:
            return
        loop = asyncio.get_running_loop()
        if opened.threats is None:

            def post(callback: Callable[[], None]) -> None:
                loop.call_soon_threadsafe(callback)

            opened.threats = ThreatRunner(post)
            opened.threats.on_done = self.refresh_lenses
        if opened.threats_timer is not None:
            opened.threats_timer.cancel()
        opened.threats_timer = loop.call_later(delay, lambda: self._start_threats(opened))

    def _start_threats(self, opened: OpenDocument) -> None:
        opened.threats_timer = None
        document = opened.document
        if opened.threats is None or self.open.get(opened.uri) is not opened:
            return
        if document.analyse().syntax_errors:
            opened.threats.skip("the file has syntax errors")
            return
        fs_path = document.fs_path or Path.cwd() / "untitled.tm"
        opened.threats.request(document.text, str(fs_path), project_root(fs_path))

    def close(self, uri: str) -> None:
        opened = self.open.pop(uri, None)
        if opened is None:
            return
        if opened.document.fs_path is not None:
            path = str(opened.document.fs_path)
            self.overlays.pop(path, None)
            if self.open:
                self.refresh_importers(path)  # they read the file from disk again
        gc.unfreeze()
        for timer in (opened.lint.timer, opened.threats_timer, opened.trees_timer):
            if timer is not None:
                timer.cancel()
        if opened.threats is not None:
            opened.threats.stop()

    def refresh_lenses(self) -> None:
        """Ask the editor to fetch code lenses again (new threat counts), if it can be asked."""
        workspace = getattr(self.client_capabilities, "workspace", None)
        code_lens = getattr(workspace, "code_lens", None)
        if code_lens is not None and code_lens.refresh_support:
            self.workspace_code_lens_refresh(None)

    def stop_all(self) -> None:
        for uri in list(self.open):
            self.close(uri)
        self.formatter.stop()


def _run_lint(model: object, document: Document) -> list[Diagnostic]:
    try:
        from tmdiag.lint import lint, load_config
        from tmdiag.lint.config import ConfigError
    except ImportError:
        return []
    try:
        config = load_config(document.fs_path) if document.fs_path else None
    except ConfigError as error:
        return [Diagnostic("E000", f"lint configuration: {error}", Span.point(document.path, 1, 1), Severity.WARNING)]
    from tmdiag.lint.waiting import shown_while_broken

    found = lint(model, config)  # type: ignore[arg-type]
    return shown_while_broken(found, document.analyse().diagnostics, model.sources)  # type: ignore[attr-defined]


def _imported_problems(found: list[Diagnostic], document: Document) -> list[Diagnostic]:
    """Problems inside imported files, shown on the document's first import."""
    foreign = [d for d in found if d.span.path != document.path and d.severity >= Severity.WARNING]
    model = document.analysis.model if document.analysis else None
    anchor = next((i.span for i in model.imports if i.span.path == document.path), None) if model else None
    if not foreign or anchor is None:
        return []
    return [
        Diagnostic(d.code, f"in {d.span.path}:{d.span.line}:{d.span.column}: {d.message}", anchor, d.severity, d.hint)
        for d in foreign[:MAX_IMPORTED]
    ]


def _display(path: Path) -> str:
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def _offset(opened: OpenDocument, position: types.Position) -> int:
    return opened.document.lines.offset(position)


def _uses_at(opened: OpenDocument | None, position: types.Position) -> list[navigation.Occurrence] | None:
    """Every occurrence (declaration and references) of the name under the cursor, or None."""
    if opened is None:
        return None
    document = opened.document
    document.analyse()
    occurrence = navigation.at(document, _offset(opened, position))
    if occurrence is None:
        return None
    return navigation.references(document, occurrence.name, occurrence.role)


def make_server() -> TmLanguageServer:
    server = TmLanguageServer()

    @server.feature(types.TEXT_DOCUMENT_DID_OPEN)
    def did_open(ls: TmLanguageServer, params: types.DidOpenTextDocumentParams) -> None:
        item = params.text_document
        opened = ls.open_document(item.uri, item.text, item.version)
        ls.publish(opened)
        ls.request_threats(opened)
        asyncio.get_running_loop().call_soon(ls.parse_trees, opened)

    @server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(ls: TmLanguageServer, params: types.DidChangeTextDocumentParams) -> None:
        opened = ls.open.get(params.text_document.uri)
        if opened is None:
            return
        try:
            apply_changes(opened.document, params.content_changes)
            opened.version = params.text_document.version
            ls.remember(opened)
            ls.publish(opened)
        except Exception:  # a bug must not leave the editor with stale diagnostics: start over from the text
            log.exception("incremental update failed; re-reading the document")
            ls.window_log_message(types.LogMessageParams(types.MessageType.Error, "tmdiag: re-read the document"))
            text = ls.workspace.get_text_document(params.text_document.uri).source
            opened = ls.open_document(params.text_document.uri, text, params.text_document.version)
            ls.publish(opened)
        ls.request_threats(opened, THREATS_DELAY)
        if opened.trees_timer is not None:
            opened.trees_timer.cancel()
        opened.trees_timer = asyncio.get_running_loop().call_later(TREES_DELAY, ls.parse_trees, opened)
        if opened.document.fs_path is not None and len(ls.open) > 1:
            ls.refresh_importers(str(opened.document.fs_path), IMPORTERS_DELAY)

    @server.feature(types.TEXT_DOCUMENT_DID_SAVE)
    def did_save(ls: TmLanguageServer, params: types.DidSaveTextDocumentParams) -> None:
        opened = ls.open.get(params.text_document.uri)
        if opened is not None:
            opened.document.imports = type(opened.document.imports)()  # imported files may have changed too
            opened.document.analysis = None
            ls.publish(opened)
            ls.request_threats(opened)
            if opened.document.fs_path is not None:
                ls.refresh_importers(str(opened.document.fs_path))

    @server.feature(types.INITIALIZED)
    def initialized(ls: TmLanguageServer, params: types.InitializedParams) -> None:
        """Watch `.tm` files on disk (an imported file changed by another program, a branch switch)."""
        workspace = getattr(ls.client_capabilities, "workspace", None)
        watched = getattr(workspace, "did_change_watched_files", None)
        if watched is None or not watched.dynamic_registration:
            return
        options = types.DidChangeWatchedFilesRegistrationOptions(
            watchers=[types.FileSystemWatcher(glob_pattern="**/*.tm")]
        )
        registration = types.Registration("tmdiag-watch-tm", types.WORKSPACE_DID_CHANGE_WATCHED_FILES, options)
        ls.client_register_capability(types.RegistrationParams([registration]), None)

    @server.feature(types.WORKSPACE_DID_CHANGE_WATCHED_FILES)
    def watched_files(ls: TmLanguageServer, params: types.DidChangeWatchedFilesParams) -> None:
        for change in params.changes:
            fs = to_fs_path(change.uri)
            if fs and fs.endswith(".tm"):
                path = str(Path(fs).resolve())
                if path not in ls.overlays:  # an open document is read from the editor, not the disk
                    ls.refresh_importers(path)

    @server.feature(types.WORKSPACE_SYMBOL)
    async def workspace_symbols(
        ls: TmLanguageServer, params: types.WorkspaceSymbolParams
    ) -> list[types.WorkspaceSymbol]:
        roots = ls.workspace_roots()
        open_models = {
            str(o.document.fs_path): (o.document.analyse().model, o.uri, o.document.lines)
            for o in ls.open.values()
            if o.document.fs_path is not None
        }
        encoding = next(iter(ls.open.values())).document.lines.encoding if ls.open else "utf-16"
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(None, ls.symbols.search, roots, params.query, open_models, encoding)

    @server.feature(types.TEXT_DOCUMENT_CODE_LENS)
    def code_lens(ls: TmLanguageServer, params: types.CodeLensParams) -> list[types.CodeLens] | None:
        opened = ls.open.get(params.text_document.uri)
        if opened is None or not ls.threats_enabled:
            return None
        document = opened.document
        model = document.analyse().model
        return lenses.lenses(model, document.path, opened.uri, opened.threats.counts if opened.threats else None,
                             lambda span: ls._range(opened, span))  # fmt: skip

    @server.command(lenses.SHOW_THREATS)
    def show_threats(ls: TmLanguageServer, *arguments: Any) -> str:
        """List a target's open threats (the click on a code lens): shown as a message, and returned."""
        uri, target = [*arguments, None, None][:2]
        opened = ls.open.get(str(uri))
        threats = opened.threats.counts if opened is not None and opened.threats else None
        text = lenses.listing(str(target), threats)
        ls.window_show_message(types.ShowMessageParams(types.MessageType.Info, text))
        return text

    @server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls: TmLanguageServer, params: types.DidCloseTextDocumentParams) -> None:
        ls.close(params.text_document.uri)
        ls.text_document_publish_diagnostics(
            types.PublishDiagnosticsParams(uri=params.text_document.uri, diagnostics=[])
        )

    @server.feature(types.SHUTDOWN)
    def shutdown(ls: TmLanguageServer, params: None) -> None:
        ls.stop_all()

    @server.feature(types.TEXT_DOCUMENT_HOVER)
    def on_hover(ls: TmLanguageServer, params: types.HoverParams) -> types.Hover | None:
        opened = ls.open.get(params.text_document.uri)
        if opened is None:
            return None
        document = opened.document
        model = document.analyse().model
        offset = _offset(opened, params.position)
        occurrence = navigation.at(document, offset)
        if occurrence is not None:
            if occurrence.role == "threat":
                text = hover.describe_threat(occurrence.name, model)
            else:
                node = navigation.declaration(model, occurrence.name, occurrence.role)
                if node is None:
                    return None
                counts = opened.threats.counts if opened.threats else None
                text = hover.describe(model, node, counts)
            return types.Hover(types.MarkupContent(types.MarkupKind.Markdown, text), ls._range(opened, occurrence.span))
        found = navigation.attribute_at(document, offset)
        if found is None:
            return None
        return types.Hover(types.MarkupContent(types.MarkupKind.Markdown, hover.describe_attribute(*found)))

    @server.feature(types.TEXT_DOCUMENT_DEFINITION)
    def definition(ls: TmLanguageServer, params: types.DefinitionParams) -> types.Location | None:
        opened = ls.open.get(params.text_document.uri)
        if opened is None:
            return None
        document = opened.document
        occurrence = navigation.at(document, _offset(opened, params.position))
        if occurrence is None:
            return None
        node = navigation.declaration(document.analyse().model, occurrence.name, occurrence.role)
        if node is None:
            return None
        return types.Location(ls._uri_of(opened, node.id_span.path), ls._range(opened, node.id_span))

    @server.feature(types.TEXT_DOCUMENT_REFERENCES)
    def references(ls: TmLanguageServer, params: types.ReferenceParams) -> list[types.Location] | None:
        opened = ls.open.get(params.text_document.uri)
        found = _uses_at(opened, params.position)
        if opened is None or found is None:
            return None
        if not params.context.include_declaration:
            found = [o for o in found if o.role != "decl"]
        return [types.Location(opened.uri, ls._range(opened, o.span)) for o in found]

    @server.feature(types.TEXT_DOCUMENT_PREPARE_RENAME)
    def prepare_rename(ls: TmLanguageServer, params: types.PrepareRenameParams) -> types.Range | None:
        opened = ls.open.get(params.text_document.uri)
        found = renamable(opened, params.position) if opened else None
        return ls._range(opened, found.span) if opened and found else None

    @server.feature(types.TEXT_DOCUMENT_RENAME)
    def rename(ls: TmLanguageServer, params: types.RenameParams) -> types.WorkspaceEdit | None:
        opened = ls.open.get(params.text_document.uri)
        found = renamable(opened, params.position) if opened else None
        if opened is None or found is None:
            return None
        problem = rename_problem(opened.document, params.new_name)
        if problem:
            ls.window_show_message(types.ShowMessageParams(types.MessageType.Warning, f"not renamed: {problem}"))
            return None
        uses = navigation.references(opened.document, found.name, found.role)
        edits = [types.TextEdit(ls._range(opened, o.span), params.new_name) for o in uses]
        return types.WorkspaceEdit(changes={opened.uri: edits})

    @server.feature(
        types.TEXT_DOCUMENT_CODE_ACTION,
        types.CodeActionOptions(code_action_kinds=[types.CodeActionKind.QuickFix]),
    )
    def code_actions(ls: TmLanguageServer, params: types.CodeActionParams) -> list[types.CodeAction] | None:
        """A diagnostic's structured fix (`data.fix`, published with it) as a quick fix."""
        actions = []
        for diagnostic in params.context.diagnostics:
            fix = diagnostic.data.get("fix") if isinstance(diagnostic.data, dict) else None
            if diagnostic.source != "tmdiag" or not isinstance(fix, dict) or "replacement" not in fix:
                continue
            where = diagnostic.range
            if isinstance(fix.get("range"), dict):
                where = ls.protocol._converter.structure(fix["range"], types.Range)
            replacement = str(fix["replacement"])
            edit = types.TextEdit(where, replacement)
            actions.append(
                types.CodeAction(
                    title=str(fix.get("title") or f"Change to `{replacement}`"),
                    kind=types.CodeActionKind.QuickFix,
                    diagnostics=[diagnostic],
                    edit=types.WorkspaceEdit(changes={params.text_document.uri: [edit]}),
                    is_preferred=True,
                )
            )
        return actions or None

    @server.feature(types.TEXT_DOCUMENT_DOCUMENT_HIGHLIGHT)
    def highlight(ls: TmLanguageServer, params: types.DocumentHighlightParams) -> list[types.DocumentHighlight] | None:
        opened = ls.open.get(params.text_document.uri)
        found = _uses_at(opened, params.position)
        if opened is None or found is None:
            return None
        kinds = {"decl": types.DocumentHighlightKind.Write}
        return [
            types.DocumentHighlight(ls._range(opened, o.span), kinds.get(o.role, types.DocumentHighlightKind.Read))
            for o in found
        ]

    @server.feature(
        types.TEXT_DOCUMENT_COMPLETION,
        types.CompletionOptions(trigger_characters=[":", " ", "[", ",", ">"]),
    )
    def complete(ls: TmLanguageServer, params: types.CompletionParams) -> types.CompletionList | None:
        opened = ls.open.get(params.text_document.uri)
        if opened is None:
            return None
        document = opened.document
        offset = _offset(opened, params.position)
        chunk = document.chunk_at(max(0, offset - 1))
        model = document.analyse().model
        items = completion.complete(model, document.text, chunk.start if chunk else 0, offset)
        return types.CompletionList(is_incomplete=False, items=items)

    @server.feature(types.TEXT_DOCUMENT_DOCUMENT_SYMBOL)
    def document_symbols(ls: TmLanguageServer, params: types.DocumentSymbolParams) -> list[types.DocumentSymbol]:
        opened = ls.open.get(params.text_document.uri)
        if opened is None:
            return []
        document = opened.document
        return symbols.outline(document.analyse().model, document.path, lambda span: ls._range(opened, span))

    legend = types.SemanticTokensLegend(token_types=list(tokens.TYPES), token_modifiers=list(tokens.MODIFIERS))

    @server.feature(types.TEXT_DOCUMENT_SEMANTIC_TOKENS_FULL, legend)
    def semantic_tokens(ls: TmLanguageServer, params: types.SemanticTokensParams) -> types.SemanticTokens:
        opened = ls.open.get(params.text_document.uri)
        return types.SemanticTokens(data=tokens.document_tokens(opened.document) if opened else [])

    @server.feature(types.TEXT_DOCUMENT_SEMANTIC_TOKENS_RANGE, legend)
    def semantic_tokens_range(ls: TmLanguageServer, params: types.SemanticTokensRangeParams) -> types.SemanticTokens:
        opened = ls.open.get(params.text_document.uri)
        if opened is None:
            return types.SemanticTokens(data=[])
        where = params.range
        return types.SemanticTokens(data=tokens.document_tokens(opened.document, where.start.line, where.end.line))

    @server.feature(types.TEXT_DOCUMENT_FORMATTING)
    async def formatting(ls: TmLanguageServer, params: types.DocumentFormattingParams) -> list[types.TextEdit] | None:
        opened = ls.open.get(params.text_document.uri)
        if opened is None:
            return None
        return await format_edits(ls, opened)

    return server


def renamable(opened: OpenDocument, position: types.Position) -> navigation.Occurrence | None:
    """The id under the cursor, if this document declares it (pytm's threat ids and imported ids stay)."""
    document = opened.document
    model = document.analyse().model
    occurrence = navigation.at(document, document.lines.offset(position))
    if occurrence is None:
        return None
    node = navigation.declaration(model, occurrence.name, occurrence.role)
    return occurrence if node is not None and node.span.path == document.path else None


def rename_problem(document: Document, name: str) -> str | None:
    from tmdiag.model.build import RESERVED

    if not re.fullmatch(NAME_PATTERN, name):
        return f"`{name}` is not an id (letters, digits, `_`, inner `-`)"
    if name in RESERVED:
        return f"`{name}` is a keyword"
    model = document.analyse().model
    if any(node.id == name for node in model.nodes()):
        return f"`{name}` is already declared"
    return None


def apply_changes(document: Document, changes: Sequence[types.TextDocumentContentChangeEvent]) -> None:
    for change in changes:
        if isinstance(change, types.TextDocumentContentChangePartial):
            start = document.lines.offset(change.range.start)
            end = document.lines.offset(change.range.end)
            document.edit(start, max(start, end), change.text)
        else:
            document.replace_all(change.text)


async def format_edits(ls: TmLanguageServer, opened: OpenDocument) -> list[types.TextEdit] | None:
    """One edit replacing the whole text with `tmdiag fmt`'s layout; none when it cannot format.

    The formatter runs in a worker process (`tmdiag.lsp.formatting`): requests that come meanwhile
    (a hover, a completion) are answered at once. An edit made while it runs makes the result
    stale: nothing is changed."""
    text, generation = opened.document.text, opened.document.generation
    try:
        formatted = await ls.formatter.format(text)
    except NotFormatted as problem:
        reason = "the file has syntax errors" if problem.reason == "syntax" else problem.detail
        ls.window_show_message(types.ShowMessageParams(types.MessageType.Warning, f"not formatted: {reason}"))
        return None
    if ls.open.get(opened.uri) is not opened or opened.document.generation != generation:
        log.info("formatting skipped: the document changed while it was formatted")
        return None
    if formatted == text:
        return []
    lines = opened.document.lines
    end = lines.position(len(text))
    return [types.TextEdit(types.Range(types.Position(0, 0), end), formatted)]


def run_stdio(post: Callable[[TmLanguageServer], None] | None = None) -> int:
    """Serve one editor on stdin/stdout; the exit code (0 after `shutdown` + `exit`, else 1)."""
    from pygls.io_ import StdoutWriter

    from tmdiag.lsp import transport

    server = make_server()
    if post is not None:
        post(server)
    server.protocol.set_writer(StdoutWriter(sys.stdout.buffer))
    try:
        return asyncio.run(transport.serve(server, transport.FdReader(sys.stdin.fileno())))
    except BrokenPipeError:
        log.error("the editor closed the connection")
        return 1
    finally:
        server.stop_all()
