"""Reading a model as it was at a git revision: `git ls-tree` lists the revision's files once,
`git show REV:path` reads the entry file and each import. Files outside the repository (tmdiag's
standard modules) are read from the disk.
"""

from __future__ import annotations

import errno
import subprocess
from pathlib import Path, PurePosixPath

from tmdiag.diagnostics import TmdiagError
from tmdiag.loader import DISK


class GitError(TmdiagError):
    """Not a git work tree, or a revision git does not know: a usage error (exit 2)."""


def _git(folder: Path, *args: str) -> bytes:
    try:
        done = subprocess.run(["git", *args], cwd=folder, capture_output=True, check=False)
    except FileNotFoundError:
        raise GitError("git is not installed (needed by --git)") from None
    except OSError as problem:
        raise GitError(f"cannot run git: {problem}") from None
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", errors="replace").strip().splitlines()
        raise GitError(message[-1] if message else f"git {' '.join(args)} failed")
    return done.stdout


def toplevel(folder: Path) -> Path:
    """The work tree holding `folder`; GitError when it is not in one."""
    try:
        out = _git(folder, "rev-parse", "--show-toplevel")
    except GitError:
        raise GitError(f"{folder} is not in a git work tree (--git compares with a revision of one)") from None
    return Path(out.decode("utf-8").strip()).resolve()


def missing_revision_hint(root: Path, revision: str) -> str:
    """What to run when `revision` is not in this clone: fetch a remote's branch, deepen a shallow
    clone (CI checkouts are shallow: actions/checkout fetches one commit), or look up the names."""
    try:
        shallow = _git(root, "rev-parse", "--is-shallow-repository").strip() == b"true"
        remotes = _git(root, "remote").decode("utf-8", errors="replace").split()
    except GitError:
        shallow, remotes = False, []
    remote, _, branch = revision.partition("/")
    if remote in remotes and branch:  # origin/main: a remote-tracking branch not fetched
        return (f"fetch it first: `git fetch --depth=1 {remote} {branch}:refs/remotes/{remote}/{branch}` "
                "(on GitHub, `fetch-depth: 0` on actions/checkout fetches every branch)")  # fmt: skip
    tracking = [f"{r}/{revision}" for r in remotes if _has(root, f"refs/remotes/{r}/{revision}")]
    if tracking:  # `main` where only `origin/main` exists (a CI checkout of another branch)
        return f"did you mean `{tracking[0]}`?"
    _, tilde, steps = revision.partition("~")
    if shallow and tilde and (steps or "1").isdigit():
        return (
            f"this clone is shallow (CI checkouts are): `git fetch --deepen={steps or 1}` (or `git fetch --unshallow`)"
        )
    if shallow and remotes:
        return (f"this clone is shallow (CI checkouts are) and lacks it: `git fetch --depth=1 {remotes[0]} "
                f"{revision}:{revision}` (a branch or tag of {remotes[0]}) or `git fetch --unshallow`")  # fmt: skip
    return "try `git log --oneline` or `git branch -a` for names"


def _has(root: Path, ref: str) -> bool:
    try:
        _git(root, "rev-parse", "--verify", "--quiet", ref)
    except GitError:
        return False
    return True


class GitFiles:
    """The files of one revision (a loader `Files` source). Paths are shown as `REV:path`."""

    def __init__(self, folder: Path, revision: str):
        self.root = toplevel(folder)
        self.revision = revision
        try:
            self.commit = _git(self.root, "rev-parse", "--verify", "--quiet", "--end-of-options",
                               f"{revision}^{{commit}}").decode().strip()  # fmt: skip
        except GitError:
            raise GitError(f"unknown revision `{revision}`: {missing_revision_hint(self.root, revision)}") from None
        listing = _git(self.root, "ls-tree", "-r", "-z", "--full-tree", "--name-only", self.commit)
        self.tree = frozenset(name.decode("utf-8", errors="surrogateescape") for name in listing.split(b"\0") if name)
        self.folders = frozenset(str(parent) for name in self.tree for parent in PurePosixPath(name).parents)

    def relative(self, path: Path) -> str | None:
        try:
            return path.relative_to(self.root).as_posix()
        except ValueError:
            return None

    def files_below(self, path: Path, suffix: str = ".tm") -> list[Path]:
        """Files of the revision below a folder (or the file itself), sorted."""
        rel = self.relative(path)
        if rel is None:
            return []
        if rel in self.tree:
            return [path]
        prefix = "" if rel == "." else rel + "/"
        return sorted(self.root / name for name in self.tree if name.startswith(prefix) and name.endswith(suffix))

    def read(self, path: Path, limit: int) -> bytes:
        rel = self.relative(path)
        if rel is None:
            return DISK.read(path, limit)
        if rel not in self.tree:
            raise FileNotFoundError(errno.ENOENT, f"not in {self.revision}", str(path))
        try:
            return _git(self.root, "cat-file", "blob", f"{self.commit}:{rel}")[:limit]
        except GitError as problem:
            raise OSError(errno.EIO, str(problem), str(path)) from None

    def exists(self, path: Path) -> bool:
        rel = self.relative(path)
        if rel is None:
            return DISK.exists(path)
        return rel in self.tree or rel in self.folders or rel == ".git"  # the project root is the work tree's

    def is_file(self, path: Path) -> bool:
        rel = self.relative(path)
        return DISK.is_file(path) if rel is None else rel in self.tree

    def is_dir(self, path: Path) -> bool:
        rel = self.relative(path)
        return DISK.is_dir(path) if rel is None else rel in self.folders

    def display(self, path: Path) -> str:
        rel = self.relative(path)
        return DISK.display(path) if rel is None else f"{self.revision}:{rel}"

    def renames(self, path: Path) -> dict[str, str]:
        """Files below `path` that git sees renamed between the revision and the working tree
        (`git mv`, a committed rename): {old path: new path}, relative to the work tree."""
        rel = self.relative(path)
        if rel is None:
            return {}
        try:
            out = _git(self.root, "diff", "-M", "--name-status", "-z", self.commit, "--", rel or ".")
        except GitError:
            return {}
        fields = out.decode("utf-8", errors="surrogateescape").split("\0")
        found: dict[str, str] = {}
        i = 0
        while i < len(fields) and fields[i]:
            status = fields[i]
            if status.startswith(("R", "C")) and i + 2 < len(fields):
                if status.startswith("R"):
                    found[fields[i + 1]] = fields[i + 2]
                i += 3
            else:
                i += 2
        return found
