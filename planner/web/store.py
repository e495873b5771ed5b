"""Where the web app keeps uploads and their plans: one folder per upload under ``--data``.

Layout::

    DATA/uploads/<upload id>/meta.json      original file name, upload time
    DATA/uploads/<upload id>/input.xlsx     or input/ with the CSV files
    DATA/uploads/<upload id>/plans/p001/    plan folders as ``dakpan plan`` writes them

Ids are checked against fixed patterns before they touch a path.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import threading
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from planner.planfile import Plan, read_plan
from planner.read import InputError
from planner.web.uploads import save_upload

UPLOAD_ID = re.compile(r"[0-9a-f]{16}")
"""The form of an upload id."""
PLAN_ID = re.compile(r"p[0-9]{3,6}")
"""The form of a plan id."""


def default_data_dir() -> Path:
    """The user's data folder for dakpan: ``$XDG_DATA_HOME/dakpan`` or ``~/.local/share/dakpan``."""
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "dakpan"


@dataclass(frozen=True, slots=True)
class Upload:
    """One stored upload: its id, original file name, upload time (ISO) and input path."""

    id: str
    name: str
    uploaded: str
    input: Path


class Store:
    """The uploads and plans under one data folder.

    Parameters
    ----------
    root
        The data folder (created when missing).
    """

    def __init__(self, root: Path) -> None:
        self.root = root
        self.uploads_dir = root / "uploads"
        root.mkdir(parents=True, exist_ok=True, mode=0o700)
        self.uploads_dir.mkdir(exist_ok=True, mode=0o700)
        self._lock = threading.Lock()

    # ------------------------------------------------------------ uploads
    def add(self, name: str, data: bytes) -> Upload:
        """Check and store an upload; raises :class:`~planner.web.uploads.UploadError`."""
        uid = secrets.token_hex(8)
        tmp = self.uploads_dir / f".{uid}.new"
        tmp.mkdir()
        try:
            path = save_upload(name, data, tmp)
            meta = {"name": name, "uploaded": datetime.now(UTC).isoformat(timespec="seconds")}
            (tmp / "meta.json").write_text(json.dumps(meta), encoding="utf-8")
            tmp.rename(self.uploads_dir / uid)
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
        return Upload(uid, name, meta["uploaded"], self.uploads_dir / uid / path.name)

    def remove(self, uid: str) -> None:
        """Delete an upload and its plans."""
        shutil.rmtree(self._folder(uid), ignore_errors=True)

    def _folder(self, uid: str) -> Path:
        if not UPLOAD_ID.fullmatch(uid):
            raise KeyError(uid)
        folder = self.uploads_dir / uid
        if not (folder / "meta.json").is_file():
            raise KeyError(uid)
        return folder

    def get(self, uid: str) -> Upload:
        """The upload ``uid``; :class:`KeyError` when there is none."""
        folder = self._folder(uid)
        try:
            meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            raise KeyError(uid) from None
        for candidate in ("input.xlsx", "input.xlsm", "input"):
            if (folder / candidate).exists():
                return Upload(uid, str(meta["name"]), str(meta["uploaded"]), folder / candidate)
        raise KeyError(uid)

    def uploads(self) -> list[Upload]:
        """Every upload, newest first."""
        found = []
        for entry in self.uploads_dir.iterdir():
            try:
                found.append(self.get(entry.name))
            except KeyError:
                continue
        return sorted(found, key=lambda u: (u.uploaded, u.id), reverse=True)

    # ------------------------------------------------------------ plans
    def new_plan_dir(self, uid: str) -> tuple[str, Path]:
        """A fresh plan id and its (not yet existing) folder."""
        plans = self._folder(uid) / "plans"
        with self._lock:
            plans.mkdir(exist_ok=True)
            taken = [int(p.name[1:]) for p in plans.iterdir() if PLAN_ID.fullmatch(p.name)]
            pid = f"p{max(taken, default=0) + 1:03d}"
            (plans / pid).mkdir()
        return pid, plans / pid

    def plan_dir(self, uid: str, pid: str) -> Path:
        """The folder of plan ``pid``; :class:`KeyError` when there is no such plan."""
        if not PLAN_ID.fullmatch(pid):
            raise KeyError(pid)
        folder = self._folder(uid) / "plans" / pid
        if not (folder / "plan.json").is_file():
            raise KeyError(pid)
        return folder

    def plan(self, uid: str, pid: str) -> Plan:
        """Plan ``pid`` read back; :class:`KeyError` when missing or unreadable."""
        try:
            return read_plan(self.plan_dir(uid, pid))
        except (InputError, OSError):
            raise KeyError(pid) from None

    def plans(self, uid: str) -> list[tuple[str, Plan]]:
        """Every readable plan of an upload, oldest first."""
        folder = self._folder(uid) / "plans"
        if not folder.is_dir():
            return []
        out = []
        for entry in sorted(folder.iterdir()):
            if PLAN_ID.fullmatch(entry.name):
                try:
                    out.append((entry.name, self.plan(uid, entry.name)))
                except KeyError:
                    continue
        return out
