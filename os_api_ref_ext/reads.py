"""Sphinx-free: bounded reads, only regular files and only up to a size limit.

Sphinx and docutils read what a page names without looking first: a FIFO
blocks for ever, a symlink to ``/dev/zero`` fills the memory.  Every file
the project reads (parameters, status files, samples, pages, ``conf.py``)
goes through :func:`read_bytes`, which refuses what is no regular file once
symlinks are followed, or is larger than the limit.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass

#: The largest file read when nothing else is configured
#: (``os_api_ref_max_file_size`` in conf.py, ``--max-file-size`` on the
#: command line): far above any real parameters file or sample, far below
#: what would strain a build machine's memory.
DEFAULT_MAX_FILE_SIZE = 16 * 1024 * 1024

#: What a path may be instead of a regular file, as ``stat`` tells it.
_NOT_REGULAR = (
    (stat.S_ISDIR, "a directory"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISSOCK, "a socket"),
)


def max_file_size(value: object) -> int:
    """The configured size limit in bytes: a positive integer, else the default."""
    if isinstance(value, int) and not isinstance(value, bool) and value > 0:
        return value
    return DEFAULT_MAX_FILE_SIZE


def size_text(size: int) -> str:
    """A byte count as people write it: ``16 MiB``, ``300 KiB``, ``12 bytes``."""
    for unit, factor in (("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)):
        if size >= factor:
            amount = size / factor
            return f"{amount:.0f} {unit}" if amount == int(amount) else f"{amount:.1f} {unit}"
    return f"{size} bytes"


def _refusal(status: os.stat_result, max_bytes: int) -> tuple[str, bool] | None:
    """Why a file with this ``stat`` is not read, and whether that is because
    it is no regular file; None when it may be read."""
    if not stat.S_ISREG(status.st_mode):
        kind = next((name for test, name in _NOT_REGULAR if test(status.st_mode)), None)
        return f"is {kind or 'not a regular file'}, not a regular file", True
    if status.st_size > max_bytes:
        return _too_big(max_bytes), False
    return None


def _too_big(max_bytes: int) -> str:
    return (
        f"is larger than the limit of {size_text(max_bytes)} (os_api_ref_max_file_size); not read"
    )


def refusal(path: str, max_bytes: int) -> str | None:
    """Why the file at ``path`` would not be read (it is no regular file
    once symlinks are followed, or it is over ``max_bytes``); None when it
    may be read or does not exist.  For files someone else reads (Sphinx's
    ``literalinclude``, docutils' ``include``)."""
    try:
        status = os.stat(path)
    except (OSError, ValueError):
        return None
    found = _refusal(status, max_bytes)
    return None if found is None else found[0]


@dataclass(slots=True)
class LoadedFile:
    """What every loaded file records: whether and how reading it failed."""

    path: str
    read_error: str | None = None
    read_error_line: int = 1
    missing: bool = False


@dataclass(slots=True)
class ReadResult:
    """The text of a file, or why there is none."""

    text: str | None
    error: str | None = None
    error_line: int = 1
    #: No regular file at the path (absent, a directory, a device, a FIFO, a
    #: socket): the finding goes where the file is named.
    missing: bool = False


@dataclass(slots=True)
class BytesRead:
    """The bytes of a file, or why there are none."""

    data: bytes | None
    error: str | None = None
    missing: bool = False  # as ReadResult.missing


def read_bytes(path: str, max_bytes: int = DEFAULT_MAX_FILE_SIZE) -> BytesRead:
    """Read a regular file of at most ``max_bytes``; never raises, never blocks.

    Anything but a regular file (after symlinks) is refused before it is
    opened.  The open does not block on a FIFO put there meanwhile, the
    open descriptor is checked once more, and at most ``max_bytes + 1``
    bytes are read, so a file that grows while it is read is refused too.
    """
    try:
        found = _refusal(os.stat(path), max_bytes)
    except (FileNotFoundError, NotADirectoryError):
        return BytesRead(None, "file not found", missing=True)
    except (OSError, ValueError) as exc:
        return BytesRead(
            None, f"cannot read file: {getattr(exc, 'strerror', None) or type(exc).__name__}"
        )
    if found is not None:
        return BytesRead(None, found[0], missing=found[1])
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        descriptor = os.open(path, flags)
    except OSError as exc:
        return BytesRead(None, f"cannot read file: {exc.strerror or type(exc).__name__}")
    try:
        status = os.fstat(descriptor)
        found = _refusal(status, max_bytes)
        if found is not None:
            return BytesRead(None, found[0], missing=found[1])
        data = _read_at_most(descriptor, status.st_size, max_bytes)
    except OSError as exc:
        return BytesRead(None, f"cannot read file: {exc.strerror or type(exc).__name__}")
    finally:
        os.close(descriptor)
    if data is None:
        return BytesRead(None, _too_big(max_bytes))
    return BytesRead(data)


def _read_at_most(descriptor: int, size: int, max_bytes: int) -> bytes | None:
    """The rest of an open file, or None once it passes ``max_bytes``.

    The first read asks for the size ``stat`` gave (one byte more, to see
    the end), later ones for 64 KiB, so memory follows what the file holds
    rather than the limit; a file that is larger than it said, or grows,
    stops being read one byte past the limit.
    """
    chunks: list[bytes] = []
    total = 0
    want = size + 1
    while True:
        chunk = os.read(descriptor, min(want, max_bytes + 1 - total))
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)
        total += len(chunk)
        if total > max_bytes:
            return None
        want = 1 << 16


def read_text(path: str, max_bytes: int = DEFAULT_MAX_FILE_SIZE) -> ReadResult:
    """Read a UTF-8 file (a BOM is allowed) with :func:`read_bytes`; never raises."""
    read = read_bytes(path, max_bytes)
    data = read.data
    if data is None:
        return ReadResult(None, read.error, missing=read.missing)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        return ReadResult(
            None,
            f"not valid UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start})",
            error_line=line,
        )
    return ReadResult(text.replace("\r\n", "\n").replace("\r", "\n"))
