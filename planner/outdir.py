"""Output folders that are replaced safely: only dakpan's own, always whole.

A folder dakpan writes (a plan folder, an ``ics/`` folder) carries a marker
file :data:`MARKER`. :func:`folder_problem` says, before any long work,
whether a folder may be written: it may be missing (its parent must be
writable), empty, or a folder dakpan wrote (the marker, or a ``plan.json``
with dakpan's format tag, or for ``ics`` folders calendar files only); any
other folder is refused.

:func:`atomic_folder` writes the new folder beside the old one
(``.<name>.dakpan-<hex>.new``) and swaps the two with one
``renameat2(RENAME_EXCHANGE)`` where the system has it (Linux), so ``out``
always holds either the old or the new folder, whatever moment the process
is killed. Elsewhere it renames the old folder away
(``.<name>.dakpan-<hex>.old``) and the new one in; a kill between the two
renames is repaired by :func:`recover` on the next run, which puts the old
folder back. After the swap, files in the old folder that dakpan did not
write (not in ``owned``) are moved into the new one; only dakpan's own files
are removed. :func:`recover` also removes temporary folders left by a killed
run (a temporary folder still being written by another run is locked and
left alone) and reports what it did.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import functools
import os
import re
import secrets
import shutil
import tempfile
from collections.abc import Callable, Container, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

try:
    import fcntl
except ImportError:  # pragma: no cover - not on Linux
    fcntl = None  # type: ignore[assignment]

#: File in every folder dakpan writes.
MARKER = ".dakpan"
#: File in a temporary folder while it is being written (removed just before the swap).
UNFINISHED = ".dakpan-unfinished"
#: What every plan folder may hold that dakpan wrote.
PLAN_FILES: frozenset[str] = frozenset(
    {MARKER, "schedule.csv", "plan.json", "ics", "report.html", "schedule.xlsx", "changes.csv"}
)


class CalendarFiles:
    """The entries dakpan writes into a calendar folder: ``*.ics`` and the marker."""

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and (name == MARKER or name.endswith(".ics"))


#: A leftover of an interrupted write: ``.<name>.dakpan-<hex>.<new|old>``.
_LEFTOVER = re.compile(r"\.(?P<name>.+)\.dakpan-[0-9a-f]{8}\.(?P<kind>new|old)")
#: A leftover of an older dakpan (``.<name>.<8 characters>.<tmp|old>``): reported, not touched.
_LEGACY = re.compile(r"\.(?P<name>.+)\.[0-9a-z_]{8}\.(?P<kind>tmp|old)")
_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


class OutputFolderError(OSError):
    """The output folder may not be written (refused before anything is written)."""


# ------------------------------------------------------------------ ownership
def written_by_dakpan(folder: Path, kind: str = "plan") -> bool:
    """Whether ``folder`` is a folder dakpan wrote.

    Parameters
    ----------
    folder
        An existing folder.
    kind
        ``"plan"`` (a plan folder: the marker, or ``plan.json`` whose
        ``format`` is ``dakpan-plan``) or ``"ics"`` (the marker, or only
        ``.ics`` files, as older dakpan versions wrote them).
    """
    if (folder / MARKER).is_file():
        return True
    if kind == "ics":
        entries = list(folder.iterdir())
        return bool(entries) and all(p.is_file() and p.suffix == ".ics" for p in entries)
    plan = folder / "plan.json"
    if not plan.is_file() or plan.is_symlink():
        return False
    try:
        with open(plan, "rb") as fh:
            head = fh.read(4096).decode("utf-8", "replace")
    except OSError:
        return False
    return re.match(r'\s*\{\s*"format"\s*:\s*"dakpan-plan"', head.lstrip("\ufeff")) is not None


def _probe(folder: Path) -> str | None:
    """Why no folder can be created in ``folder`` (tried for real), or ``None``."""
    try:
        probe = tempfile.mkdtemp(prefix=".dakpan-probe-", dir=folder)
    except OSError as exc:
        return f"{folder} is not writable ({exc.strerror or exc})"
    os.rmdir(probe)
    return None


def folder_problem(out: Path, kind: str = "plan") -> str | None:
    """Why ``out`` cannot be written as a dakpan folder, or ``None`` when it can.

    Checked before a long solve: ``out`` must be missing (with a writable
    ancestor), an empty folder, or a folder dakpan wrote; a folder that
    holds anything else, a file or a symbolic link is refused.
    """
    if out.is_symlink():
        return f"{out} is a symbolic link; refusing to replace it: choose another folder"
    if out.exists() and not out.is_dir():
        return f"{out} exists and is not a folder; choose another folder"
    if out.is_dir():
        try:
            entries = sorted(p.name for p in out.iterdir())
        except OSError as exc:
            return f"{out} cannot be read ({exc.strerror or exc})"
        if entries and not written_by_dakpan(out, kind):
            shown = ", ".join(entries[:3]) + (" ..." if len(entries) > 3 else "")
            what = "a plan folder" if kind == "plan" else "a calendar folder"
            return (
                f"{out} is not {what} written by dakpan (it holds {shown}); refusing to "
                "replace it: choose a new or empty folder"
            )
    ancestor = out.absolute().parent
    while not ancestor.exists():
        ancestor = ancestor.parent
    if not ancestor.is_dir():
        return f"{ancestor} is not a folder; cannot create {out}"
    return _probe(ancestor)


# ------------------------------------------------------------------ swapping
@functools.cache
def _renameat2() -> Any:
    """libc's ``renameat2``, or ``None`` where there is none (not Linux, old glibc)."""
    try:
        function = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError, TypeError):
        return None
    function.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p]
    function.argtypes += [ctypes.c_uint]
    function.restype = ctypes.c_int
    return function


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths with one ``renameat2(RENAME_EXCHANGE)``; ``False`` if unsupported."""
    renameat2 = _renameat2()
    if renameat2 is None:
        return False
    rc = renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    if rc == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP):
        return False
    raise OSError(err, os.strerror(err), str(a))


#: Swaps two folders; tests replace it to simulate systems without ``renameat2``.
exchange: Callable[[Path, Path], bool] = _exchange


def _lock(path: Path) -> int | None:
    """Lock a folder (held until the descriptor is closed); ``None`` when it is locked already."""
    if fcntl is None:  # pragma: no cover
        return os.open(path, os.O_RDONLY)
    fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        os.close(fd)
        return None
    return fd


def _settle(old: Path, new: Path, owned: Container[str]) -> list[str]:
    """Move the user's files from the replaced folder into the new one; remove dakpan's.

    Returns what could not be settled (the old folder then stays, reported).
    """
    left: list[str] = []
    for entry in sorted(old.iterdir()):
        if entry.name in owned:
            if entry.is_dir() and not entry.is_symlink():
                shutil.rmtree(entry)
            else:
                entry.unlink()
        elif not (new / entry.name).exists() and not (new / entry.name).is_symlink():
            os.rename(entry, new / entry.name)
        else:
            left.append(entry.name)
    if left:
        return [f"{old} kept: it holds {', '.join(left)}, which the new folder also has"]
    old.rmdir()
    return []


def _swap_in(tmp: Path, target: Path, owned: Container[str]) -> None:
    if not target.exists():
        os.rename(tmp, target)
        return
    fd = _lock(target)
    try:
        if exchange(tmp, target):
            _settle(tmp, target, owned)  # tmp now holds the old folder
            return
        old = target.with_name(f".{target.name}.dakpan-{secrets.token_hex(4)}.old")
        os.rename(target, old)
        os.rename(tmp, target)  # a kill before this line is repaired by recover()
        _settle(old, target, owned)
    finally:
        if fd is not None:
            os.close(fd)


@contextmanager
def atomic_folder(
    out: str | Path, *, owned: Container[str] = PLAN_FILES, kind: str = "plan"
) -> Iterator[Path]:
    """Write a folder that replaces ``out`` in one step; yield the folder to write into.

    On normal exit the marker is written and the new folder swapped into
    place (see the module docstring); on an exception the temporary folder
    is removed and ``out`` is untouched.

    Parameters
    ----------
    out
        The folder to create or replace (see :func:`folder_problem`).
    owned
        Names of the entries dakpan writes into such a folder: only these
        are removed from the old folder; other entries move into the new one.
    kind
        ``"plan"`` or ``"ics"`` (see :func:`written_by_dakpan`).

    Raises
    ------
    OutputFolderError
        (before anything is written) if ``out`` may not be replaced.
    """
    target = Path(out)
    recover(target, owned=owned)
    why = folder_problem(target, kind)
    if why is not None:
        raise OutputFolderError(why)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.dakpan-{secrets.token_hex(4)}.new")
    tmp.mkdir()
    fd = _lock(tmp)
    try:
        try:
            (tmp / UNFINISHED).touch()
            yield tmp
            if kind == "plan":  # a calendar folder is recognised by its .ics files
                (tmp / MARKER).write_text("written by dakpan (plan folder)\n", encoding="utf-8")
            os.chmod(tmp, 0o755)
            why = folder_problem(target, kind)
            if why is not None:
                raise OutputFolderError(why)
            (tmp / UNFINISHED).unlink()
            _swap_in(tmp, target, owned)
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
    finally:
        if fd is not None:
            os.close(fd)


def recover(out: str | Path, *, owned: Container[str] = PLAN_FILES) -> list[str]:
    """Repair what an interrupted write of ``out`` left behind; say what was done.

    - ``out`` missing and an old folder beside it: the old folder is put back;
    - an old folder beside an existing ``out``: settled as after a swap
      (the user's files move into ``out``, dakpan's are removed);
    - an unfinished temporary folder (not locked by a running write): removed;
    - a leftover of an older dakpan version (``.<name>.<hex>.tmp`` or ``.old``):
      reported only;
      a finished one (a kill came just before or after the swap) is treated
      as an old folder.

    Returns
    -------
    list[str]
        One line per repair, for the user.
    """
    target = Path(out)
    parent = target.absolute().parent
    if not parent.is_dir():
        return []
    notes: list[str] = []
    try:  # old folders first: a missing ``out`` gets the old folder back
        entries = sorted(parent.iterdir(), key=lambda p: (not p.name.endswith(".old"), p.name))
    except OSError:
        return []
    for entry in entries:
        match = _LEFTOVER.fullmatch(entry.name)
        legacy = _LEGACY.fullmatch(entry.name)
        if match is None and legacy is not None and legacy["name"] == target.name:
            what = "the replaced output" if legacy["kind"] == "old" else "an unfinished output"
            notes.append(
                f"{entry} was left by an interrupted run of an older dakpan ({what}); "
                "remove it when you no longer need it"
            )
            continue
        if match is None or match["name"] != target.name or not entry.is_dir():
            continue
        if entry.is_symlink():
            continue
        fd = _lock(entry)
        if fd is None:
            continue  # another dakpan run is writing it
        try:
            notes += _repair(entry, match["kind"], target, owned)
        except OSError as exc:
            notes.append(f"{entry}: left from an interrupted run; could not repair ({exc})")
        finally:
            os.close(fd)
    return notes


def _repair(entry: Path, kind: str, target: Path, owned: Container[str]) -> list[str]:
    if kind == "new" and (entry / UNFINISHED).exists():
        shutil.rmtree(entry)
        return [f"removed {entry.name}, an unfinished folder of an interrupted run"]
    if not target.exists() and not target.is_symlink():
        os.rename(entry, target)
        return [f"restored {target} from {entry.name}, left by an interrupted run"]
    with contextlib.suppress(OSError):
        more = _settle(entry, target, owned)
        return more or [f"finished replacing {target} (an interrupted run left {entry.name})"]
    return [f"{entry}: left from an interrupted run; could not tidy it"]


def atomic_file(path: str | Path, write: Callable[[Path], object]) -> None:
    """Write a file through a temporary sibling renamed into place.

    A failure (a full disk, an interrupt) leaves the old file, or none,
    and no temporary file.

    Parameters
    ----------
    path
        The file to create or replace.
    write
        Called with the temporary file's path; writes the whole file.
    """
    target = Path(path)
    tmp = target.with_name(f".{target.name}.dakpan-{secrets.token_hex(4)}.tmp")
    try:
        write(tmp)
        with open(tmp, "rb") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
