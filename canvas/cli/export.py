"""``horizons export SESSION --format html|png|svg|pdf|md|csv|yaml [-o PATH] [--bundle]``.

Wired into :mod:`canvas.cli.main` with :func:`add_parser`. Loads no plotting library until a
format needs one, so ``horizons --help`` stays quick. Exit codes: 0 written, 1 bad input
(an unreadable session, a folder that does not exist), 2 a usage error (from argparse).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

from canvas.cli.help import add_command
from canvas.domain.model import Session
from canvas.format import paths, safefile, store, workshops
from canvas.format.i18n import languages
from canvas.format.problems import FormatError
from canvas.view.export import BUNDLE, FORMATS, default_name, export

PROGRESS_DELAY = 0.5  # seconds of silence before progress lines start


class StderrProgress:
    """Prints ``export:  40% Drawing the board`` lines to stderr, once an export is slow."""

    def __init__(self, stream=None, delay: float = PROGRESS_DELAY) -> None:
        self.stream = stream if stream is not None else sys.stderr
        self.delay = delay
        self.started = time.monotonic()
        self.last: tuple[int, str] | None = None

    def __call__(self, fraction: float, message: str) -> None:
        if time.monotonic() - self.started < self.delay:
            return
        key = (int(fraction * 10), message)
        if key == self.last:
            return
        self.last = key
        print(f"export: {fraction:4.0%} {message}", file=self.stream, flush=True)


def is_session_file(target: Path) -> bool:
    """Whether ``target`` exists and is (or may be) a session: anything in ``sessions/``, or
    a file that starts like one. Read without blocking, whatever ``target`` is."""
    if not os.path.lexists(target):
        return False
    if safefile.inside(target, paths.sessions_dir()):
        return True
    return b"three-horizons-session" in safefile.head(target)


def _target(output: str | None, session: Session, fmt: str, source: Path) -> tuple[Path, str]:
    """Where ``-o`` puts the export, or why it may not go there (never over a session)."""
    target = Path(output) if output else Path.cwd() / default_name(session, fmt)
    if target.is_dir():
        target = target / default_name(session, fmt)
    if paths.real(target) == paths.real(source):
        return target, f"{target}: would overwrite the session itself"
    if is_session_file(target):
        return target, (
            f"{target}: is a session file; an export never replaces one"
            " (choose another name with -o)"
        )
    if not target.parent.is_dir():
        return target, f"{target.parent}: no such folder"
    return target, ""


def cmd_export(args: argparse.Namespace) -> int:
    """Export a session: a page, a poster, a report, a table, or all of them in a zip.

    html  one self-contained page: the board (zoom, hover), the outline, the summary
    png   the board as an A3 poster image (svg: the same as a vector drawing)
    pdf   the poster, then report pages: horizons, anchors, notes, votes, changes
    md    the report as Markdown; csv: one row per note; yaml: the session file

    --bundle writes every format and the YAML as <workshop>-<NN>-<date>.zip. The changes
    since the previous iteration (the file before SESSION in its workshop folder) are
    included when there is one. Hidden notes are never exported; private notes that were
    not revealed only with --include-private (the YAML is always the whole session). -o is
    a file, a folder (the default name is used in it), or - for standard output.
    """
    source = Path(args.session)
    fmt = BUNDLE if args.bundle else args.format
    try:
        session = store.load(source)
    except FormatError as exc:
        print(exc, file=sys.stderr)
        return 1
    previous, warning = workshops.load_previous(source, session)
    if warning:
        print(f"horizons: {warning}", file=sys.stderr)

    options = {
        "lang": args.lang,
        "previous": previous,
        "include_private": args.include_private,
        "progress": StderrProgress(),
    }
    try:
        if args.output == "-":
            from canvas.view.export import render

            sys.stdout.buffer.write(render(session, fmt, **options))
            sys.stdout.flush()
            return 0
        target, refusal = _target(args.output, session, fmt, source)
        if refusal:
            print(f"horizons: {refusal}", file=sys.stderr)
            return 1
        written = export(session, fmt, target, **options)
    except OSError as exc:
        print(f"horizons: {exc.filename or ''}: {exc.strerror or exc}", file=sys.stderr)
        return 1
    except ValueError as exc:
        print(f"horizons: {exc}", file=sys.stderr)
        return 1
    print(f"wrote {written}")
    return 0


def add_parser(subparsers) -> argparse.ArgumentParser:
    """Add ``export`` to ``horizons``' subcommands."""
    p = add_command(subparsers, cmd_export, "export")
    p.add_argument("session", metavar="SESSION", help="the session file to export")
    what = p.add_mutually_exclusive_group(required=True)
    what.add_argument("--format", "-f", choices=FORMATS, help="the format to write")
    what.add_argument("--bundle", action="store_true", help="every format in one zip")
    p.add_argument("-o", "--output", metavar="PATH", help="file, folder, or - (standard output)")
    p.add_argument(
        "--lang",
        choices=sorted(set(languages()) | {"en", "cy"}),
        default="en",
        help="language of the labels (default: en)",
    )
    p.add_argument(
        "--include-private",
        action="store_true",
        help="include private notes that were not revealed yet",
    )
    p.set_defaults(func=cmd_export)
    return p
