"""Reading a file that may not be a file: the only way session bytes come off the disk.

A workshop folder is shared ground: a FIFO named ``03-x.yaml`` would block a plain ``open``
forever, a link to ``/dev/zero`` would be read without end, a link loop raises from deep
inside ``pathlib``, and a link out of the folder would hand any file on the server to
whoever can name it. So a session file is opened without blocking and without following a
last link, checked on the open descriptor (a regular file, not over the size limit), and
read for at most the limit; a link is followed only when its target stays inside the
folder it is named in. Every refusal is a :class:`FormatError` saying what the path is.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

from canvas.format.problems import FormatError, Problem

_FLAGS = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
_FLAGS |= getattr(os, "O_NOCTTY", 0)
_KINDS = (
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISCHR, "a device"),
    (stat.S_ISBLK, "a device"),
    (stat.S_ISSOCK, "a socket"),
)
_MB = 1024 * 1024


def too_big(source: str, size: int, max_bytes: int) -> FormatError:
    """The refusal of a file over the size limit (MB here are MiB: the limit reads "10 MB")."""
    return FormatError(
        [Problem(source, f"the file is {size / _MB:.1f} MB, over the {max_bytes / _MB:g} MB limit")]
    )


def _refuse(source: str, message: str) -> FormatError:
    return FormatError([Problem(source, message)])


def _os_problem(source: str, exc: OSError) -> FormatError:
    if exc.errno == errno.ELOOP:
        return _refuse(source, "cannot read the file: a symbolic link (or a loop of them)")
    if exc.errno == errno.ENOENT:
        return _refuse(source, "cannot read the file: there is no such file")
    return _refuse(source, f"cannot read the file: {exc.strerror or exc}")


def inside(path: str | os.PathLike, folder: str | os.PathLike) -> bool:
    """Whether ``path``, with every link resolved, is ``folder`` or lies inside it."""
    real = Path(os.path.realpath(path))
    base = Path(os.path.realpath(folder))
    return real == base or real.is_relative_to(base)


def kind(mode: int) -> str:
    """What a file of ``mode`` is, in words, or "" for a regular file."""
    for test, name in _KINDS:
        if test(mode):
            return name
    return "" if stat.S_ISREG(mode) else "not a regular file"


def read_bytes(
    path: str | os.PathLike,
    max_bytes: int,
    *,
    folder: str | os.PathLike | None = None,
    source: str | None = None,
) -> bytes:
    """The bytes of a regular file inside ``folder`` (default: the folder it is named in).

    Returns within the time of one bounded read whatever ``path`` is; never reads more than
    ``max_bytes + 1`` bytes.
    """
    path = Path(path)
    source = source if source is not None else str(path)
    folder = Path(folder) if folder is not None else path.parent
    real = os.path.realpath(path)
    if not inside(real, folder):
        raise _refuse(source, f"a link to a file outside {folder.name or folder}/: not read")
    try:
        fd = os.open(real, _FLAGS)
    except OSError as exc:
        raise _os_problem(source, exc) from None
    try:
        info = os.fstat(fd)
        what = kind(info.st_mode)
        if what:
            raise _refuse(source, f"{what}, not a session file: not read")
        if info.st_size > max_bytes:
            raise too_big(source, info.st_size, max_bytes)
        chunks = []
        left = max_bytes + 1
        while left > 0:
            chunk = os.read(fd, min(left, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
    except OSError as exc:
        raise _os_problem(source, exc) from None
    finally:
        os.close(fd)
    data = b"".join(chunks)
    if len(data) > max_bytes:  # it grew while we read
        raise too_big(source, len(data), max_bytes)
    return data


def head(path: str | os.PathLike, count: int = 4096) -> bytes:
    """The first ``count`` bytes of a regular file, or b"" for anything else (never blocks)."""
    try:
        fd = os.open(path, _FLAGS)
    except OSError:
        return b""
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return b""
        return os.read(fd, count)
    except OSError:
        return b""
    finally:
        os.close(fd)
