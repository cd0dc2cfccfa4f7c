"""The only way a session is read from or written to disk.

Reading: size cap, UTF-8, the hostile-input checks of :mod:`canvas.format.safeyaml`, the header,
migrations, then validation that reports every problem as ``FILE:LINE:COL: field: message``.

Writing: canonical text to a temporary file in the same folder, flushed and fsynced, moved
over the old file with ``os.replace``, then the folder fsynced. A process killed at any moment
leaves the old file or the new one, never a mix. The previous versions are kept as hidden
backups beside the file, and temporary files orphaned by a crash are swept when a folder is
opened.
"""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
import shutil
import stat
from pathlib import Path

from canvas.domain.model import Session
from canvas.format import safefile, safeyaml
from canvas.format.migrations import REGISTRY, MigrationError, Migrations
from canvas.format.problems import FormatError, Problem, field_name
from canvas.format.schema import check_header, from_tree, to_tree

MAX_BYTES = safeyaml.MAX_BYTES
BACKUPS = 5
_TEMP_MARK = ".tmp-"
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)


def dumps(session: Session) -> str:
    """The canonical YAML text of a session."""
    return safeyaml.emit(to_tree(session))


def _locate(issues: list, text: str, source: str) -> list[Problem]:
    positions: dict = {}
    try:
        safeyaml.read(text, source, positions=positions)
    except FormatError:
        positions = {}
    problems = []
    for path, message in issues:
        line = column = None
        for end in range(len(path), -1, -1):
            found = positions.get(tuple(path[:end]))
            if found:
                line, column = found
                break
        problems.append(Problem(source, message, field_name(path), line, column))
    return problems


def read_tree(data: bytes | str, source: str = "<string>", *, max_bytes: int = MAX_BYTES):
    """The parsed, header-checked tree of a file and its text, before migration."""
    size = len(data)
    if isinstance(data, str) and size > max_bytes // 4:  # up to 4 bytes a character
        size = len(data.encode("utf-8", "surrogatepass"))
    if size > max_bytes:
        raise safefile.too_big(source, size, max_bytes)
    text = safeyaml.decode(data, source) if isinstance(data, bytes) else data
    if not text.strip():
        raise FormatError([Problem(source, "the file is empty")])
    tree = safeyaml.read(text, source)
    issues = check_header(tree)
    if issues:
        raise FormatError(_locate(issues, text, source))
    return tree, text


def loads(
    data: bytes | str,
    source: str = "<string>",
    *,
    max_bytes: int = MAX_BYTES,
    migrations: Migrations = REGISTRY,
) -> Session:
    """Read a session from YAML text or bytes; raises :class:`FormatError` with every problem."""
    tree, text = read_tree(data, source, max_bytes=max_bytes)
    declared = tree["schema_version"]
    if declared != migrations.current:
        try:
            tree, _ = migrations.migrate(tree)
        except MigrationError as exc:
            raise FormatError(_locate([(("schema_version",), str(exc))], text, source)) from None
    session, issues = from_tree(tree, declared)
    if issues or session is None:
        raise FormatError(_locate(issues, text, source))
    return session


def load(
    path: str | os.PathLike,
    *,
    max_bytes: int = MAX_BYTES,
    folder: str | os.PathLike | None = None,
) -> Session:
    """Read a session file: a regular file inside ``folder`` (default: its own folder),
    its size checked on the open file before a byte is read."""
    source = str(path)
    data = safefile.read_bytes(path, max_bytes, folder=folder, source=source)
    return loads(data, source, max_bytes=max_bytes)


def backup_paths(path: Path, count: int = BACKUPS) -> list[Path]:
    """The hidden backups of a file, newest first."""
    return [path.with_name(f".{path.name}.{i}") for i in range(1, count + 1)]


def _rotate_backups(path: Path, count: int) -> None:
    if count <= 0 or not path.exists():
        return
    names = backup_paths(path, count)
    for older, newer in zip(reversed(names[1:]), reversed(names[:-1]), strict=True):
        if newer.exists():
            os.replace(newer, older)
    try:
        os.link(path, names[0])
    except OSError:
        shutil.copy2(path, names[0])


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


class ReadOnlyFile(PermissionError):
    """A file whose mode says it must not be written: saving would silently replace it
    with a writable one, so the save is refused (``strerror`` says why, without the path)."""


def _keep_mode(path: Path) -> os.stat_result | None:
    """The mode the new file must keep, or None for a new file; refuses read-only files."""
    try:
        info = os.stat(path)
    except FileNotFoundError:
        return None
    what = safefile.kind(info.st_mode)
    if what:
        raise ReadOnlyFile(errno.EISDIR, f"the path is {what}, not a session file", str(path))
    if not info.st_mode & 0o222:
        raise ReadOnlyFile(
            errno.EACCES,
            f"the file is read-only (mode {stat.S_IMODE(info.st_mode):04o}); not replaced."
            " Make it writable to save",
            str(path),
        )
    return info


def write_atomic(path: str | os.PathLike, data: bytes, *, backups: int = BACKUPS) -> None:
    """Replace ``path`` with ``data`` so that a crash leaves the old or the new file whole.

    The new file keeps the old one's permissions (a 0640 file stays 0640) and, where the
    process may, its group; a read-only file is refused, never silently replaced.
    """
    path = Path(path)
    folder = path.parent
    folder.mkdir(parents=True, exist_ok=True)
    old = _keep_mode(path)
    temp = folder / f".{path.name}{_TEMP_MARK}{os.getpid()}-{secrets.token_hex(4)}"
    try:
        fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW, 0o666)
        with open(fd, "wb") as handle:
            if old is not None:
                os.fchmod(fd, stat.S_IMODE(old.st_mode))
                with contextlib.suppress(OSError):
                    os.fchown(fd, -1, old.st_gid)
            handle.write(data)
            handle.flush()
            os.fsync(fd)
        _rotate_backups(path, backups)
        os.replace(temp, path)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    _fsync_dir(folder)


def save(session: Session, path: str | os.PathLike, *, backups: int = BACKUPS) -> None:
    """Write a session atomically in canonical form, keeping ``backups`` earlier versions."""
    write_atomic(path, dumps(session).encode("utf-8"), backups=backups)


def save_checked(session: Session, path: str | os.PathLike, *, backups: int = BACKUPS) -> int:
    """Like :func:`save`, but first proves the text reads back as the same session; returns
    the size of the file written.

    The live rooms save this way: a board that could not be read again (a bug upstream)
    stays in memory with a visible "Not saved" instead of replacing a good file.
    """
    data = dumps(session).encode("utf-8")
    if loads(data, str(path)) != session:
        raise ValueError("the board would not read back as it is; not saved")
    write_atomic(path, data, backups=backups)
    return len(data)


def sweep(folder: str | os.PathLike) -> list[Path]:
    """Remove temporary files that a crashed save left in ``folder``; returns what went."""
    folder = Path(folder)
    if not folder.is_dir():
        return []
    removed = []
    for entry in folder.iterdir():
        if entry.name.startswith(".") and _TEMP_MARK in entry.name and entry.is_file():
            entry.unlink(missing_ok=True)
            removed.append(entry)
    return removed
