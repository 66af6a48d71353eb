"""Loading a model: read and decode files, parse, build, follow imports, merge.

Imports resolve relative to the importing file; `std/...` resolves in tmdiag's standard modules.
An import may not leave the project root: the nearest folder above the entry file holding
`tmdiag.toml`, `pyproject.toml` or `.git` (else the entry file's own folder).

Files are read through a `Files` source: the disk by default; `tmdiag diff --git` passes one that
reads a git revision (`tmdiag.diff.git.GitFiles`), so an old version loads with its imports.
"""

from __future__ import annotations

import codecs
import dataclasses
import errno
import os
from pathlib import Path
from types import MappingProxyType
from typing import Protocol

from tmdiag.diagnostics import Diagnostic, Span, closest
from tmdiag.memory import gc_paused
from tmdiag.model import nodes as n
from tmdiag.model.parts import FileParts, number_flows
from tmdiag.reader import read
from tmdiag.resources import std_root

ROOT_MARKERS = ("tmdiag.toml", "pyproject.toml", ".git")
MAX_FILE_BYTES = 64 * 1024 * 1024


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
        with path.open("rb") as handle:  # read at most the limit: a device or pipe may never end
            return handle.read(limit)

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

    def load_text(self, text: str, display: str, key: str, stack: tuple[str, ...]) -> None:
        self.state.sources[display] = text
        fast = read(text, display)  # well-formed text, without Lark
        if fast is not None:
            parts, self.state.comments[display] = fast
        else:  # anything else, with every diagnostic
            from tmdiag.model.build import build
            from tmdiag.syntax import parse

            result = parse(text, display)
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
        for written, span in parts.imports:
            target = self.resolve(written, Path(key).parent if key else self.root, span)
            self.state.imports.append(n.Import(written, str(target or ""), span))
            if target is None:
                continue
            if str(target) in stack:
                cycle = " -> ".join([*(Path(s).name for s in stack[stack.index(str(target)) :]), target.name])
                self.state.diagnostics.append(Diagnostic("E302", f"import cycle: {cycle}", span))
                continue
            self.load_file(target, span, (*stack, str(target)))
        self.state.order.append(parts)

    def load_file(self, path: Path, span: Span | None, stack: tuple[str, ...], given: str | None = None) -> None:
        """Read, parse and merge a file (resolved `path`) and its imports; `given`: the entry file as
        the user wrote it, which names it (a symbolic link keeps the name it was given)."""
        key = str(path)
        if key in self.done:
            return
        self.done.add(key)
        display = self.display(Path(os.path.abspath(given)) if given is not None else path)
        try:
            raw = self.files.read(path, MAX_FILE_BYTES + 1)
            if len(raw) > MAX_FILE_BYTES:
                raise OSError(f"larger than {MAX_FILE_BYTES // (1024 * 1024)} MiB")
        except OSError as error:
            where = span or Span.point(display, 1, 1)
            reason = _reason(error)
            self.state.diagnostics.append(Diagnostic("E301", f"cannot read `{display}`: {reason}", where))
            return
        text, problem = decode(raw, display)
        if problem is not None or text is None:
            # Read but not text: a content error (exit 1, like a syntax error), shown with `�` for bad bytes.
            self.state.diagnostics.append(problem)  # type: ignore[arg-type]
            self.state.sources[display] = raw.removeprefix(codecs.BOM_UTF8).decode("utf-8", errors="replace")
            self.state.comments[display] = ()
            return
        self.load_text(text, display, key, stack)

    def display(self, path: Path) -> str:
        return self.files.display(path)

    def resolve(self, written: str, base: Path, span: Span) -> Path | None:
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
        if not self.files.is_file(target):
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
