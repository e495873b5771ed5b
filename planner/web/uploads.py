"""Checks of uploaded files: size, workbook or zip, zip bombs and unsafe archive names.

An upload is a workbook (``.xlsx``/``.xlsm``, itself a zip) or a zip of the
input's CSV files. Both are opened as zips and refused when they are not,
when an entry's name could leave the folder (``../``, an absolute path, a
drive letter, a backslash), when an entry is a link, or when they would
unpack to more than :data:`MAX_UNPACKED` bytes or hold more than
:data:`MAX_ENTRIES` entries. A zip of CSV files is unpacked (only its
``.csv`` and ``settings.toml`` files, from one folder) into a fresh folder.
"""

from __future__ import annotations

import io
import stat
import zipfile
from pathlib import Path, PurePosixPath

MAX_UPLOAD = 10 * 1024 * 1024
"""Largest upload in bytes (the default of ``dakpan serve --max-upload-mb``)."""
MAX_UNPACKED = 100 * 1024 * 1024
"""Most bytes a workbook or zip may unpack to."""
MAX_ENTRIES = 2000
"""Most entries in a workbook or zip."""
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")
"""Upload names taken as workbooks."""


class UploadError(ValueError):
    """An upload refused; ``key`` names the text of :mod:`planner.web.texts`.

    Parameters
    ----------
    key
        The text's key.
    values
        Values filled into the text.
    """

    def __init__(self, key: str, **values: object) -> None:
        super().__init__(key)
        self.key = key
        self.values = values


def unsafe_name(name: str) -> bool:
    """Whether an archive entry's name could point outside the folder it is unpacked in."""
    if not name or "\\" in name or "\x00" in name or name.startswith("/"):
        return True
    first = name.split("/", 1)[0]
    if len(first) >= 2 and first[1] == ":":
        return True
    return any(part == ".." for part in name.split("/"))


def _is_link(info: zipfile.ZipInfo) -> bool:
    return stat.S_ISLNK(info.external_attr >> 16)


def checked_zip(name: str, data: bytes) -> zipfile.ZipFile:
    """Open ``data`` as a zip after checking its entries.

    Parameters
    ----------
    name
        The upload's file name (for messages).
    data
        Its bytes.

    Returns
    -------
    zipfile.ZipFile
        The open archive.

    Raises
    ------
    UploadError
        ``not_zip``, ``bad_name`` or ``bomb``.
    """
    if not data.startswith(b"PK\x03\x04"):
        raise UploadError("not_zip", name=name)
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        raise UploadError("not_zip", name=name) from None
    mb = MAX_UNPACKED // (1024 * 1024)
    if len(infos) > MAX_ENTRIES:
        raise UploadError("bomb", name=name, mb=mb)
    total = 0
    for info in infos:
        if unsafe_name(info.filename) or _is_link(info):
            raise UploadError("bad_name", name=name, entry=info.filename)
        total += info.file_size
    if total > MAX_UNPACKED:
        raise UploadError("bomb", name=name, mb=mb)
    return archive


def _read_entry(archive: zipfile.ZipFile, info: zipfile.ZipInfo, name: str) -> bytes:
    """An entry's bytes, never more than its declared size (a lying header is refused)."""
    with archive.open(info) as handle:
        data = handle.read(info.file_size + 1)
    if len(data) > info.file_size:
        raise UploadError("bomb", name=name, mb=MAX_UNPACKED // (1024 * 1024))
    return data


def _csv_entries(archive: zipfile.ZipFile, name: str) -> list[tuple[str, zipfile.ZipInfo]]:
    """The zip's input files (``*.csv``, ``settings.toml``), all in one folder."""
    found: list[tuple[str, zipfile.ZipInfo]] = []
    folders = set()
    for info in archive.infolist():
        if info.is_dir():
            continue
        path = PurePosixPath(info.filename)
        if path.name.startswith(".") or "__MACOSX" in path.parts:
            continue
        if path.suffix.lower() == ".csv" or path.name.lower() == "settings.toml":
            folders.add(path.parent)
            found.append((path.name, info))
    if not found:
        raise UploadError("no_csv", name=name)
    names = [n.lower() for n, _ in found]
    if len(folders) > 1 or len(set(names)) != len(names):
        raise UploadError("nested", name=name)
    return found


def save_upload(name: str, data: bytes, folder: Path) -> Path:
    """Check an upload and store it in ``folder`` (which must exist and be empty).

    Parameters
    ----------
    name
        The upload's file name; its suffix says workbook (``.xlsx``,
        ``.xlsm``) or zip of CSV files (``.zip``).
    data
        Its bytes.
    folder
        Where to store it: as ``input.xlsx`` (or ``input.xlsm``), or as the
        CSV files in ``input/``.

    Returns
    -------
    Path
        The input to read: the workbook or the folder.

    Raises
    ------
    UploadError
        When the upload is refused.
    """
    suffix = PurePosixPath(name.replace("\\", "/")).suffix.lower()
    if suffix in WORKBOOK_SUFFIXES:
        checked_zip(name, data).close()
        target = folder / f"input{suffix}"
        target.write_bytes(data)
        return target
    if suffix != ".zip":
        raise UploadError("bad_kind")
    with checked_zip(name, data) as archive:
        entries = _csv_entries(archive, name)
        target = folder / "input"
        target.mkdir()
        for base, info in entries:
            (target / base).write_bytes(_read_entry(archive, info, name))
    return target
