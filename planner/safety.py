"""Hostile input and output: limits, id rules, CSV formula cells, terminal text.

Everything here is small and free of dakpan imports, so the reader, the data
model, the writers and the CLI can all use it.

Limits
    :data:`MAX_FILE_BYTES` for one CSV or ``plan.json`` file,
    :data:`MAX_CELL_CHARS` for one cell (Excel's own limit),
    :data:`MAX_WORKBOOK_BYTES`, :data:`MAX_SHEETS` and :data:`MAX_SHEET_CELLS`
    for a workbook, :data:`MAX_JSON_DEPTH` for ``plan.json``, and
    :data:`NUMBER_LIMITS` for every number of the input: the ranges keep
    every term of CP-SAT's objective far inside 64 bits.
Ids
    :func:`id_problem`: no ``;`` (the list separator), no control
    characters, no leading or trailing spaces.
Formula cells
    :func:`neutralise_cell` prefixes a ``'`` to a CSV cell that starts with
    ``= + - @``, a tab or a carriage return (OWASP's advice against CSV
    injection); :func:`restore_cell` takes exactly that ``'`` away again, so
    dakpan reads its own files back unchanged.
Terminal text
    :func:`printable` replaces control characters by a visible escape.
"""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path

#: Largest CSV or plan.json file read (bytes).
MAX_FILE_BYTES = 64 * 1024 * 1024
#: Largest cell (characters); Excel's own limit is 32,767.
MAX_CELL_CHARS = 32_767
#: Largest uncompressed content of a workbook (bytes, all parts together).
MAX_WORKBOOK_BYTES = 16 * 1024 * 1024
#: Most sheets in a workbook.
MAX_SHEETS = 64
#: Most cells (rows x columns as the sheet's dimension says) in one sheet.
MAX_SHEET_CELLS = 2_000_000
#: Deepest nesting of arrays and objects in ``plan.json`` (dakpan writes 5).
MAX_JSON_DEPTH = 32
#: Largest seed (CP-SAT takes a 32-bit signed seed).
MAX_SEED = 2**31 - 1
#: Longest time limit in seconds (a week).
MAX_TIME_LIMIT = 7 * 24 * 3600.0

#: Upper bound of every number of the input, by table and column (settings as ``settings``).
NUMBER_LIMITS: dict[tuple[str, str], float] = {
    ("networks", "meetings"): 366,
    ("networks", "duration"): 1440,
    ("networks", "min_gap_days"): 3660,
    ("venues", "capacity"): 100_000,
    ("venues", "rooms"): 1_000,
    ("venues", "cost"): 1_000_000,
    ("travel", "km"): 40_000,
    ("travel", "minutes"): 10_000,
    ("settings", "slot"): 1440,
    ("settings", "changeover"): 1440,
    ("settings", "long_wait"): 1440,
    ("settings", "min_gap_days"): 3660,
    ("settings", "max_meetings_per_day"): 100,
    ("settings", "road_factor"): 10,
    ("settings", "speed_kmh"): 1_000,
    ("settings", "time_limit"): MAX_TIME_LIMIT,
    ("settings", "seed"): MAX_SEED,
    ("settings", "weight"): 1_000_000,
}
#: Smallest value of numbers whose lower end matters (a speed of 1e-9 km/h is absurd).
NUMBER_MINIMA: dict[tuple[str, str], float] = {("settings", "speed_kmh"): 1}
#: Longest planning horizon in days (ten years).
MAX_HORIZON_DAYS = 3660

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_ID_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


# ------------------------------------------------------------------ ids
def id_problem(value: str) -> str | None:
    """Why ``value`` cannot be an id, or ``None`` when it can.

    Parameters
    ----------
    value
        The id as read.

    Returns
    -------
    str | None
        E.g. ``"holds ';', the list separator"``.
    """
    if ";" in value:
        return "holds ';', the separator of lists (attendees, venues); choose an id without it"
    bad = _ID_CONTROL.search(value)
    if bad is not None:
        return (
            f"holds the control character U+{ord(bad.group()):04X} (a line break, tab, escape "
            "or similar); ids must be plain text"
        )
    if value != value.strip():
        return "begins or ends with a space; remove it"
    return None


# ------------------------------------------------------------------ CSV cells
def neutralise_cell(value: str) -> str:
    """A CSV cell that a spreadsheet cannot take for a formula (OWASP's advice).

    A cell that starts with ``= + - @``, a tab or a carriage return gets a
    ``'`` in front; so does one that would otherwise be taken for such a
    cell (``'=x``, ``''``), while ``'s-Hertogenbosch`` stays as it is.
    :func:`restore_cell` undoes exactly that.
    """
    if value.startswith(_FORMULA_START) or restore_cell(value) != value:
        return "'" + value
    return value


def restore_cell(value: str) -> str:
    """Undo :func:`neutralise_cell`: ``'=x`` becomes ``=x``, ``''x`` becomes ``'x``."""
    if len(value) > 1 and value[0] == "'" and value[1] in ("'", *_FORMULA_START):
        return value[1:]
    return value


# ------------------------------------------------------------------ terminal
def printable(text: str) -> str:
    """``text`` with control characters shown as ``\\x1b`` (line ends and tabs kept).

    Ids and names can hold escape sequences that would clear or rewrite a
    terminal; everything dakpan prints from the input goes through here.
    """
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}" if ord(m.group()) < 256 else "?", text)


# ------------------------------------------------------------------ files
def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def file_problem(path: Path, limit: int = MAX_FILE_BYTES) -> str | None:
    """Why ``path`` cannot be read as an input file, or ``None`` when it can.

    A folder, a named pipe, a device (also through a symbolic link, e.g. to
    ``/dev/zero``), a broken link or a file over ``limit`` bytes is refused
    before it is opened, so reading never blocks or fills the memory.
    """
    try:
        st = os.stat(path)
    except FileNotFoundError:
        if path.is_symlink():
            return f"is a symbolic link to {os.readlink(path)!r}, which does not exist"
        return "does not exist"
    except OSError as exc:
        return f"cannot be read ({exc.strerror or exc})"
    if not stat.S_ISREG(st.st_mode):
        link = f" (a symbolic link to {os.readlink(path)!r})" if path.is_symlink() else ""
        return f"is {_kind(st.st_mode)}{link}, not a file"
    if st.st_size > limit:
        return f"is {st.st_size:,} bytes; files over {limit:,} bytes are not read"
    return None


def read_file_bytes(path: Path, limit: int = MAX_FILE_BYTES) -> bytes:
    """The bytes of a regular file of at most ``limit`` bytes.

    Raises
    ------
    ValueError
        With :func:`file_problem`'s reason (to follow the file's name).
    FileNotFoundError
        When it does not exist.
    """
    why = file_problem(path, limit)
    if why == "does not exist":
        raise FileNotFoundError(str(path))
    if why is not None:
        raise ValueError(why)
    with open(path, "rb") as fh:
        data = fh.read(limit + 1)
    if len(data) > limit:
        raise ValueError(f"is over {limit:,} bytes; files that large are not read")
    return data


def json_depth_problem(text: str, limit: int = MAX_JSON_DEPTH) -> str | None:
    """Why a JSON text nests too deeply to be read (brackets outside strings), or ``None``."""
    depth = 0
    in_string = False
    skip = -1  # the position of a character escaped by a backslash
    line = 1
    for match in _JSON_TOKEN.finditer(text):
        i, ch = match.start(), match.group()
        if ch == "\n":
            line += 1
        elif i == skip:
            continue
        elif in_string:
            if ch == "\\":
                skip = i + 1
            elif ch == '"':
                in_string = False
        elif ch == '"':
            in_string = True
        elif ch in "[{":
            depth += 1
            if depth > limit:
                return f"line {line}: nested more than {limit} levels deep; not a dakpan plan"
        elif ch in "]}":
            depth -= 1
    return None


_JSON_TOKEN = re.compile(r'[\\"\[\]{}\n]')


def unclosed_quote(text: str, sep: str) -> int | None:
    """The line where a quoted CSV cell opens that no quote closes, or ``None``.

    A quote opens a quoted cell only at the start of a cell (as Python's
    ``csv`` and Excel read it); ``""`` inside one is an escaped quote.
    """
    line = 1
    opened_at = 0
    quoted = False
    at_cell_start = True
    i = 0
    n = len(text)
    while i < n:
        ch = text[i]
        if quoted:
            if ch == '"':
                if i + 1 < n and text[i + 1] == '"':
                    i += 1
                else:
                    quoted = False
            elif ch == "\n":
                line += 1
        elif ch == '"' and at_cell_start:
            quoted = True
            opened_at = line
        elif ch == "\n":
            line += 1
        at_cell_start = not quoted and ch in (sep, "\n", "\r")
        i += 1
    return opened_at if quoted else None


# ------------------------------------------------------------------ workbooks
def workbook_problem(path: Path) -> str | None:
    """Why a workbook is refused before it is opened (size, parts, sheets), or ``None``.

    The sizes a zip file declares bound what unpacking it can produce, so a
    small file holding one huge cell is refused without unpacking it.
    """
    import zipfile

    why = file_problem(path, MAX_WORKBOOK_BYTES)
    if why is not None:
        return why
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return None  # openpyxl says what is wrong with it
    total = sum(i.file_size for i in infos)
    if total > MAX_WORKBOOK_BYTES:
        return (
            f"unpacks to {total:,} bytes; workbooks over {MAX_WORKBOOK_BYTES:,} bytes unpacked "
            "are not read (is there a huge cell or an image in it?)"
        )
    sheets = sum(1 for i in infos if i.filename.startswith("xl/worksheets/sheet"))
    if sheets > MAX_SHEETS:
        return f"has {sheets} sheets; workbooks with more than {MAX_SHEETS} are not read"
    return None


def workbook_has_formulas(path: Path) -> bool:
    """Whether any sheet of a workbook holds a formula (a ``<f>`` element)."""
    import zipfile

    try:
        with zipfile.ZipFile(path) as zf:
            for info in zf.infolist():
                if info.filename.startswith("xl/worksheets/sheet") and (
                    b"<f>" in zf.read(info) or b"<f " in zf.read(info)
                ):
                    return True
    except (zipfile.BadZipFile, OSError, ValueError):
        return False
    return False
