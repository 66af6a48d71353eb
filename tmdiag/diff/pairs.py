"""Which versions `tmdiag diff` compares: two files; two folders (their models — the files no other
file there imports — paired by path); or a git revision and the working tree. A model that was
moved or renamed is paired with its old self: by git's rename detection (`git mv`, a committed
rename) in `--git` mode, and in any mode by the model's header name when one model went away and
one with the same `model "Name"` appeared.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from tmdiag.diagnostics import TmdiagError
from tmdiag.diff.git import GitFiles
from tmdiag.loader import DISK, Files, entry_models, imported_files, load_path


class PairError(TmdiagError):
    """The paths cannot be compared as given: a usage error (exit 2)."""


@dataclass(frozen=True)
class Version:
    """One side of a pair: a file as `files` has it (absent: None), and its name as shown."""

    path: Path | None
    files: Files
    name: str


Pairs = list[tuple[Version, Version]]


def files_pairs(old: Path, new: Path) -> Pairs:
    """Two files, or two folders."""
    for path in (old, new):
        if not path.exists():
            raise PairError(f"no such file or folder: {path}")
    if old.is_dir() != new.is_dir():
        raise PairError("compare a file with a file, or a folder with a folder")
    if not old.is_dir():
        return [(Version(old, DISK, str(old)), Version(new, DISK, str(new)))]
    olds, news = entries(old, DISK, disk_files(old)), entries(new, DISK, disk_files(new))
    return paired(olds, news, DISK, DISK, str(old), str(new), {})


def git_pairs(revision: str, raw: str) -> Pairs:
    """A file or folder (`raw`) in the working tree and at `revision`."""
    path = Path(raw).resolve()
    folder = path if path.is_dir() else path.parent
    if not folder.is_dir():
        raise PairError(f"no such file or folder: {raw}")
    git = GitFiles(folder, revision)
    if path.is_dir() or git.is_dir(path):
        olds = entries(path, git, git.files_below(path))
        news = entries(path, DISK, disk_files(path)) if path.is_dir() else {}
        prefix = git.relative(path) or "."
        moved = {_below(a, prefix): _below(b, prefix) for a, b in git.renames(path).items()}
        shown = f"{revision}:{git.display(path).partition(':')[2]}"
        return paired(olds, news, git, DISK, shown, raw, {a: b for a, b in moved.items() if a and b})
    if not path.exists() and not git.is_file(path):
        raise PairError(f"no such file, now or at {revision}: {raw}")
    old_path: Path | None = path if git.is_file(path) else None
    if old_path is None:  # renamed since the revision (`git mv shop.tm checkout.tm`)?
        rel = git.relative(path)
        before = next((a for a, b in git.renames(folder).items() if b == rel), None)
        old_path = git.root / before if before else None
    old = Version(old_path, git, git.display(old_path or path))
    new = Version(path if path.exists() else None, DISK, raw)
    return [(old, new)]


def _below(rel: str, prefix: str) -> str | None:
    if prefix == ".":
        return rel
    return rel[len(prefix) + 1 :] if rel.startswith(prefix + "/") else None


def disk_files(folder: Path) -> list[Path]:
    return sorted(p.resolve() for p in folder.rglob("*.tm") if ".venv" not in p.parts)


def entries(folder: Path, files: Files, candidates: list[Path]) -> dict[str, Path]:
    """Models in a folder by their path below it: the .tm files no other file there imports (as
    `tmdiag check` finds them)."""
    found = [(path, imported_files(load_path(path, files)[0])) for path in candidates]
    root = folder.resolve()
    return {p.relative_to(root).as_posix(): p for p in entry_models(found)}


def paired(
    olds: dict[str, Path], news: dict[str, Path], old_files: Files, new_files: Files, old_name: str, new_name: str,
    moved: dict[str, str],
) -> Pairs:  # fmt: skip
    """Pairs by path below the folders; a model moved (`moved`: old path -> new path, from git) or
    renamed with its header name kept is paired with its old self."""
    if not olds and not news:
        raise PairError(f"no .tm models in {new_name} or {old_name}")
    gone = sorted(set(olds) - set(news))
    came = sorted(set(news) - set(olds))
    moves = {a: b for a, b in moved.items() if a in gone and b in came}
    left_gone = [a for a in gone if a not in moves]
    left_came = [b for b in came if b not in moves.values()]
    moves.update(_same_header(left_gone, left_came, olds, news, old_files, new_files))

    def version(rel: str | None, paths: dict[str, Path], files: Files, name: str) -> Version:
        path = paths.get(rel) if rel is not None else None
        return Version(path, files, files.display(path) if path else f"{name}/{rel}")

    pairs = []
    taken = set(moves.values())
    for rel in sorted((set(olds) | set(news)) - taken):
        other = moves.get(rel, rel)
        pairs.append((version(rel, olds, old_files, old_name), version(other, news, new_files, new_name)))
    return pairs


def _same_header(
    gone: list[str], came: list[str], olds: dict[str, Path], news: dict[str, Path], old_files: Files, new_files: Files
) -> dict[str, str]:
    """Models that went and came with the same header name (`model "Shop"`), one each."""
    if not gone or not came:
        return {}

    def names(rels: list[str], paths: dict[str, Path], files: Files) -> dict[str, list[str]]:
        out: dict[str, list[str]] = defaultdict(list)
        for rel in rels:
            model = load_path(paths[rel], files)[0]
            if model is not None and model.info is not None and model.info.label:
                out[model.info.label].append(rel)
        return out

    before, after = names(gone, olds, old_files), names(came, news, new_files)
    return {
        rels[0]: after[name][0] for name, rels in before.items() if len(rels) == 1 and len(after.get(name, ())) == 1
    }
