"""Loading a model: read and decode files, parse, build, follow imports, merge.

Imports resolve relative to the importing file; `std/...` resolves in tmdiag's standard modules.
An import may not leave the project root: the nearest folder above the entry file holding
`tmdiag.toml`, `pyproject.toml` or `.git` (else the entry file's own folder).

Files are read through a `Files` source: the disk by default (regular files only, bounded:
`tmdiag.inputs`); `tmdiag diff --git` passes one that reads a git revision
(`tmdiag.diff.git.GitFiles`), so an old version loads with its imports.
"""

from __future__ import annotations

import codecs
import dataclasses
import errno
import os
from collections.abc import Collection, Sequence
from pathlib import Path
from types import MappingProxyType
from typing import Protocol

from tmdiag.diagnostics import Diagnostic, Span, closest
from tmdiag.inputs import read_prefix, size_text
from tmdiag.limits import MAX_FILE_BYTES, MAX_IMPORT_DEPTH, MAX_IMPORTED_FILES, MAX_MODEL_BYTES, MAX_TOKENS
from tmdiag.memory import gc_paused
from tmdiag.model import nodes as n
from tmdiag.model.parts import FileParts, number_flows
from tmdiag.model.text import refused_characters
from tmdiag.reader import read
from tmdiag.resources import std_root

ROOT_MARKERS = ("tmdiag.toml", "pyproject.toml", ".git")


class Files(Protocol):
    """Where the loader reads files: absolute paths in, bytes out (OSError when unreadable)."""

    def read(self, path: Path, limit: int) -> bytes: ...
    def exists(self, path: Path) -> bool: ...
    def is_file(self, path: Path) -> bool: ...
    def is_dir(self, path: Path) -> bool: ...
    def display(self, path: Path) -> str: ...


class DiskFiles:
    """The file system; paths are shown relative to the current folder."""

    def read(self, path: Path, limit: int) -> bytes:
        """At most `limit` bytes of a regular file: a pipe or a device is refused before any read."""
        return read_prefix(path, limit)

    def exists(self, path: Path) -> bool:
        return path.exists()

    def is_file(self, path: Path) -> bool:
        return path.is_file()

    def is_dir(self, path: Path) -> bool:
        return path.is_dir()

    def display(self, path: Path) -> str:
        """A file as diagnostics and outputs name it: relative to the working directory (`../x.tm`
        outside it), never absolute unless it cannot be relative (another drive)."""
        try:
            return os.path.relpath(path)
        except ValueError:
            return str(path)


DISK = DiskFiles()


def project_root(entry: Path, files: Files = DISK) -> Path:
    for folder in [entry.parent, *entry.parent.parents]:
        if any(files.exists(folder / marker) for marker in ROOT_MARKERS):
            return folder
    return entry.parent


def decode(raw: bytes, path: str) -> tuple[str | None, Diagnostic | None]:
    """UTF-8 text (a BOM is dropped; CRLF is kept, the grammar treats it as space)."""
    if raw.startswith(codecs.BOM_UTF8):
        raw = raw[len(codecs.BOM_UTF8) :]
    try:
        return raw.decode("utf-8"), None
    except UnicodeDecodeError as error:
        good = raw[: error.start].decode("utf-8", errors="replace")
        line = good.count("\n") + 1
        column = len(good) - (good.rfind("\n") + 1) + 1
        return None, Diagnostic(
            "E004",
            f"not UTF-8 text: byte 0x{raw[error.start]:02x} cannot be decoded",
            Span.point(path, line, column),
            hint="save the file as UTF-8",
        )


@dataclasses.dataclass
class _Loaded:
    order: list[FileParts]
    sources: dict[str, str]
    comments: dict[str, tuple[object, ...]]
    imports: list[n.Import]
    diagnostics: list[Diagnostic]
    unparsed_names: set[str] = dataclasses.field(default_factory=set)


class Loader:
    def __init__(self, root: Path, files: Files = DISK):
        self.files = files
        self.root = root.resolve()
        self.std = std_root().resolve()
        self.state = _Loaded([], {}, {}, [], [])
        self.done: set[str] = set()
        self.bytes_read = 0  # of every file so far (MAX_MODEL_BYTES)
        self.tokens = 0  # of every file so far (MAX_TOKENS)
        self.too_many = False  # MAX_IMPORTED_FILES reached (said once)

    def load_text(self, text: str, display: str, key: str, stack: tuple[str, ...]) -> None:
        """Load `text` (the file `key`, shown as `display`) and everything it imports."""
        self.bytes_read += len(text)
        self._follow(self._build(text, display), key, stack)

    def load_file(self, path: Path, span: Span | None, stack: tuple[str, ...], given: str | None = None) -> None:
        """Load the file `path` (resolved; imported at `span`, None for the entry file) and everything it
        imports; `given`: the entry file as the user wrote it, which names it (a symbolic link keeps the
        name it was given)."""
        key = str(path)
        if key in self.done:
            return
        self.done.add(key)
        parts = self._read(path, span, given)
        if parts is not None:
            self._follow(parts, key, stack)

    def _build(self, text: str, display: str) -> FileParts:
        self.state.sources[display] = text
        budget = max(0, MAX_TOKENS - self.tokens)
        fast = read(text, display, budget)  # well-formed text, without Lark
        if fast is not None:
            parts, self.state.comments[display], tokens = fast
            self.tokens += tokens
        else:  # anything else, with every diagnostic
            from tmdiag.model.build import build
            from tmdiag.syntax import parse

            result = parse(text, display, max_tokens=budget)
            self.tokens += result.tokens
            self.state.comments[display] = result.comments
            self.state.diagnostics.extend(result.diagnostics)
            self.state.unparsed_names |= result.unparsed_names
            parts = build(display, result.statements)
            self.state.diagnostics.extend(parts.diagnostics)
        for extra in parts.info[1:]:
            self.state.diagnostics.append(
                Diagnostic(
                    "E102", "a file has one `model` header", extra.span, related=(("first header", parts.info[0].span),)
                )
            )
        return parts

    def _follow(self, first: FileParts, key: str, stack: tuple[str, ...]) -> None:
        """Load the imports of `first` depth-first, each file once, with an explicit stack (a chain of
        thousands of files must not exhaust Python's recursion limit); files go into `order` after
        the files they import."""
        frames = [(first, iter(first.imports), key, stack)]
        while frames:
            parts, pending, at, chain = frames[-1]
            step = next(pending, None)
            if step is None:
                frames.pop()
                self.state.order.append(parts)
                continue
            written, span = step
            target = self.resolve(written, Path(at).parent if at else self.root, span)
            self.state.imports.append(n.Import(written, str(target or ""), span))
            if target is None:
                continue
            if str(target) in chain:
                cycle = " -> ".join([*(Path(s).name for s in chain[chain.index(str(target)) :]), target.name])
                self.state.diagnostics.append(Diagnostic("E302", f"import cycle: {cycle}", span))
                continue
            if str(target) in self.done:
                continue
            if len(chain) > MAX_IMPORT_DEPTH:
                message = f"imports nested deeper than {MAX_IMPORT_DEPTH} files"
                hint = "import shared files from the entry model instead of through a chain"
                self.state.diagnostics.append(Diagnostic("E304", message, span, hint=hint))
                continue
            if len(self.done) >= MAX_IMPORTED_FILES:
                if not self.too_many:
                    message = f"a model reads at most {MAX_IMPORTED_FILES:,} files; `{written}` and later ones skipped"
                    self.state.diagnostics.append(Diagnostic("E304", message, span))
                self.too_many = True
                continue
            self.done.add(str(target))
            child = self._read(target, span)
            if child is not None:
                frames.append((child, iter(child.imports), str(target), (*chain, str(target))))

    def _read(self, path: Path, span: Span | None, given: str | None = None) -> FileParts | None:
        """Read, decode, parse and build one file; None when it cannot be read or is not text."""
        display = self.display(Path(os.path.abspath(given)) if given is not None else path)
        where = span or Span.point(display, 1, 1)
        budget = MAX_MODEL_BYTES - self.bytes_read
        limit = min(MAX_FILE_BYTES, budget)
        try:
            raw = self.files.read(path, limit + 1)
            if len(raw) > limit:
                raise OSError(
                    f"larger than {size_text(MAX_FILE_BYTES)}" if limit == MAX_FILE_BYTES
                    else f"the model's files together are larger than {size_text(MAX_MODEL_BYTES)}"
                )  # fmt: skip
        except OSError as error:
            reason = _reason(error)
            self.state.diagnostics.append(Diagnostic("E301", f"cannot read `{display}`: {reason}", where))
            return None
        self.bytes_read += len(raw)
        text, problem = decode(raw, display)
        if problem is not None or text is None:
            # Read but not text: a content error (exit 1, like a syntax error), shown with `�` for bad bytes.
            self.state.diagnostics.append(problem)  # type: ignore[arg-type]
            self.state.sources[display] = raw.removeprefix(codecs.BOM_UTF8).decode("utf-8", errors="replace")
            self.state.comments[display] = ()
            return None
        return self._build(text, display)

    def display(self, path: Path) -> str:
        return self.files.display(path)

    def resolve(self, written: str, base: Path, span: Span) -> Path | None:
        if refused_characters(written):  # E007 says why; no file system takes a lone surrogate or a control
            return None
        try:
            return self._resolve(written, base, span)
        except (OSError, RuntimeError) as error:  # RuntimeError: a symlink loop (Python < 3.13)
            reason = _reason(error)
            self.state.diagnostics.append(Diagnostic("E301", f"cannot read import `{written}`: {reason}", span))
            return None

    def _resolve(self, written: str, base: Path, span: Span) -> Path | None:
        if written.startswith("std/"):
            root, target = self.std, (self.std / written[4:]).resolve()
        else:
            root, target = self.root, (base / written).resolve()
        if not target.is_relative_to(root):
            where = "tmdiag's standard modules" if root == self.std else f"the project root `{self.display(root)}`"
            self.state.diagnostics.append(
                Diagnostic(
                    "E303",
                    f"import `{written}` leaves {where}",
                    span,
                    hint="imports resolve inside the project (the nearest folder above the model with "
                    "tmdiag.toml, pyproject.toml or .git); move the file there or mark a higher root",
                )
            )
            return None
        if target.suffix != ".tm":
            target = target.with_suffix(target.suffix + ".tm") if not self.files.exists(target) else target
        if self.files.is_dir(target):
            self.state.diagnostics.append(
                Diagnostic("E301", f"import `{written}` names a folder, not a .tm file", span)
            )
            return None
        if not self.files.exists(target):  # a pipe or device exists: reading it refuses it with its kind
            hint = None
            if written.startswith("std/"):  # compare module names: every path shares `std/` and `.tm`
                modules = [p.stem for p in sorted(self.std.glob("*.tm"))]
                close = closest(written.removeprefix("std/").removesuffix(".tm"), modules)
                listed = ", ".join(f"std/{m}.tm" for m in modules)
                hint = f"did you mean `std/{close}.tm`?" if close else f"standard modules: {listed}"
            self.state.diagnostics.append(Diagnostic("E301", f"imported file `{written}` not found", span, hint=hint))
            return None
        return target

    def model(self, entry: str) -> n.Model:
        merged = FileParts.merged(entry, self.state.order)
        flows = number_flows(merged.flows)
        assumptions = [dataclasses.replace(a, id=f"A{i}") for i, a in enumerate(merged.assumptions, 1)]
        return n.Model(
            path=entry,
            info=_entry_header(self.state.order),
            team=tuple(merged.team),
            data=tuple(merged.data),
            agents=tuple(merged.agents),
            boundaries=tuple(merged.boundaries),
            elements=tuple(merged.elements),
            flows=tuple(flows),
            controls=tuple(merged.controls),
            risks=tuple(merged.risks),
            assumptions=tuple(assumptions),
            rules=tuple(merged.rules),
            views=tuple(merged.views),
            imports=tuple(self.state.imports),
            sources=MappingProxyType(dict(self.state.sources)),
            comments=MappingProxyType(dict(self.state.comments)),
            unparsed_names=frozenset(self.state.unparsed_names),
        )


def _entry_header(order: list[FileParts]) -> n.ModelInfo | None:
    """The entry file's header (it is loaded last); headers of imported files are ignored."""
    return order[-1].info[0] if order and order[-1].info else None


def _reason(error: Exception) -> str:
    if isinstance(error, RuntimeError) or getattr(error, "errno", None) == errno.ELOOP:
        return "a loop of symbolic links"
    return getattr(error, "strerror", None) or str(error)


def load_path(path: str | Path, files: Files = DISK) -> tuple[n.Model | None, list[Diagnostic]]:
    """Load a model file and everything it imports. The model is None when nothing could be read."""
    try:
        entry = Path(path).resolve()
    except (OSError, RuntimeError) as error:
        return None, [Diagnostic("E301", f"cannot read `{path}`: {_reason(error)}", Span.point(str(path), 1, 1))]
    loader = Loader(project_root(entry, files), files)
    with gc_paused():
        loader.load_file(entry, None, (str(entry),), given=str(path))
        display = loader.display(Path(os.path.abspath(path)))
        if display not in loader.state.sources:
            return None, loader.state.diagnostics
        return loader.model(display), loader.state.diagnostics


def load_text(text: str, path: str = "<string>", root: str | Path | None = None) -> tuple[n.Model, list[Diagnostic]]:
    """Load a model from text; imports resolve against `root` (default: the current folder)."""
    base = Path(root) if root is not None else Path.cwd()
    loader = Loader(base)
    key = str((base / path).resolve()) if path != "<string>" else ""
    with gc_paused():
        loader.load_text(text.removeprefix("\ufeff"), path, key or str(base / "_"), (key,))
        return loader.model(path), loader.state.diagnostics


def resolved(path: Path) -> Path:
    """The absolute path with links followed; as it is when they loop (loading reports that)."""
    try:
        return path.resolve()
    except (OSError, RuntimeError):
        return path.absolute()


def imported_files(model: n.Model | None) -> frozenset[str]:
    """The files a model imports (resolved paths); none when it could not be read."""
    return frozenset(i.resolved for i in model.imports if i.resolved) if model else frozenset()


def entry_models(found: Sequence[tuple[Path, Collection[str]]], named: Collection[Path] = ()) -> list[Path]:
    """The files that are models among `found` (each file and the files it imports, resolved:
    `imported_files`): those no other file there imports — an imported file is checked or compared
    as part of its importers — the files in `named` (named on the command line), and any file
    imported only in a cycle of imports. Model order is kept."""
    imports = {path: set(targets) for path, targets in found}
    key = {path: str(resolved(path)) for path, _ in found}
    imported = {target for path, targets in imports.items() for target in targets if target != key[path]}
    entries = [path for path, _ in found if key[path] not in imported or path in named]
    reached = {target for path in entries for target in imports[path]} | {key[p] for p in entries}
    return [path for path, _ in found if path in entries or key[path] not in reached]
