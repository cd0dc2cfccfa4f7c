"""The ``horizons`` command: create, iterate, check, migrate, show, compare and merge sessions.

Every subcommand's docstring is its ``--help``. Exit codes: 0 success, 1 invalid input
(a bad file, a missing template), 2 a usage error. Input errors print a message, never a
traceback.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

from canvas.cli.help import add_command, summary
from canvas.domain import diffreport
from canvas.domain.compare import diff_with_matching
from canvas.domain.diff import diff, for_people
from canvas.domain.merge import RULE
from canvas.domain.model import ANCHOR_KINDS, HORIZONS
from canvas.format import breakout, paths, safefile, store, templates, workshops
from canvas.format.migrations import REGISTRY, MigrationError
from canvas.format.problems import FormatError


class InputError(Exception):
    """Bad input from the user: reported in one line, exit code 1."""


def cmd_new(args: argparse.Namespace) -> int:
    """Start a new workshop from a template.

    Writes sessions/WORKSHOP/01-<title>.yaml. The template is a bundled name
    (see `horizons templates`) or the path of any session file.
    """
    _workshop_folder(args.workshop)
    target, session = workshops.new_workshop(args.workshop, args.template, args.title)
    print(f"created {target} ({len(session.anchors)} anchors, {len(session.personas)} personas)")
    return 0


def cmd_iterate(args: argparse.Namespace) -> int:
    """Start the next iteration of a workshop from SESSION.

    The new file keeps every note id, so the two iterations compare note by note.
    Votes start again at zero unless --keep-votes is given.
    """
    target, following = workshops.next_iteration(Path(args.session), args.title, args.keep_votes)
    print(f"created {target} (iteration {following.iteration}, {len(following.notes)} notes)")
    return 0


def cmd_validate(args: argparse.Namespace) -> int:
    """Check session files; prints every problem as FILE:LINE:COL: field: message."""
    failed = 0
    for name in args.files:
        try:
            session = store.load(name)
        except FormatError as exc:
            failed += 1
            print(exc, file=sys.stderr)
        else:
            print(f"ok {name}: {len(session.notes)} notes, {len(session.anchors)} anchors")
    return 1 if failed else 0


def cmd_migrate(args: argparse.Namespace) -> int:
    """Bring a session file to the current schema version (--write saves it)."""
    tree, _ = store.read_tree(safefile.read_bytes(args.file, store.MAX_BYTES), args.file)
    try:
        _, applied = REGISTRY.migrate(tree)
    except MigrationError as exc:
        raise InputError(f"{args.file}: {exc}") from None
    session = store.load(args.file)
    if not applied:
        print(f"{args.file}: already at schema_version {REGISTRY.current}")
        return 0
    print(f"{args.file}: {' -> '.join(applied)}")
    if args.write:
        store.save(session, args.file)
        print(f"wrote {args.file}")
    return 0


def cmd_show(args: argparse.Namespace) -> int:
    """Summarise a session: notes by horizon, anchors by kind, notes per anchor kind."""
    s = store.load(args.file)
    by_horizon = Counter(n.horizon for n in s.notes.values())
    by_kind = Counter(a.kind for a in s.anchors.values())
    placed = Counter(s.anchors[n.anchor].kind for n in s.notes.values() if n.anchor in s.anchors)
    votes = sum(n.votes for n in s.notes.values())
    print(f"{s.title} ({s.id}), iteration {s.iteration}{', ' + s.date if s.date else ''}")
    if s.focal_question:
        print(f"focal question: {s.focal_question}")
    print(
        f"{len(s.notes)} notes, {votes} votes, {len(s.anchors)} anchors, {len(s.personas)} personas"
    )
    print("notes by horizon:")
    for h in HORIZONS:
        print(f"  {h}: {by_horizon.get(h, 0)}")
    print("anchors by kind (notes placed on them):")
    for kind in ANCHOR_KINDS:
        if by_kind.get(kind):
            print(f"  {kind}: {by_kind[kind]} ({placed.get(kind, 0)} notes)")
    return 0


def cmd_diff(args: argparse.Namespace) -> int:
    """Compare two sessions, usually two iterations of one workshop.

    Lists every note and anchor added, changed or removed, the votes of each iteration (a vote
    reset by a new iteration is no change of a note), then what happened on each anchor
    ("Metrics: +7 notes; 2 notes moved here from Requirements"). With
    --match-text, notes that exist on one side only are paired by text similarity (for a
    board re-typed by hand or imported, whose note ids differ); a pair is reported as a
    change under the earlier id, labelled "matched by text".
    """
    a = store.load(args.a)
    b = store.load(args.b)
    matched: dict[str, str] = {}
    if args.match_text:
        d, matched = diff_with_matching(a, b, args.threshold)
    else:
        d = diff(a, b)
    render = {
        "text": diffreport.to_text,
        "json": diffreport.to_json,
        "markdown": diffreport.to_markdown,
    }[args.format]
    out = render(d, a, b, matched=matched)
    sys.stdout.write(out if out.endswith("\n") else out + "\n")
    return 0


def cmd_merge(args: argparse.Namespace) -> int:
    """Merge breakout maps: sessions that groups worked on in parallel, into one new session.

    Each GROUP file is one group's session, started from the same BASE iteration. A group is
    named after its title when every group gave its copy a title of its own (different, and
    not the base's), otherwise after its file name without the NN- prefix. Without --base,
    the base is the iteration before the groups': all groups must share one workshop and one
    iteration N, and the file of iteration N-1 is looked for in sessions/<workshop>/, then
    beside the group files. The merge is written to NEW (which must not exist yet) as the
    next iteration after the base, and every conflict is printed.
    """
    files = [Path(f) for f in args.groups]
    target = Path(args.into)
    if target.exists():
        raise InputError(f"{target} exists already; choose another file for --into")
    try:
        result, base_path, base, names = breakout.merge_files(
            files, Path(args.base) if args.base else None, args.title
        )
    except ValueError as exc:
        if isinstance(exc, FormatError):
            raise
        raise InputError(str(exc)) from None
    store.save_checked(result.session, target)  # never write a file we cannot read back
    d = for_people(diff(base, result.session))
    print(
        f"merged {len(names)} groups ({', '.join(sorted(names))}) from {base_path} into"
        f" {target}: {len(result.session.notes)} notes ({len(d.notes.added)} added,"
        f" {len(d.notes.updated)} changed, {len(d.notes.removed)} removed)"
    )
    print(f"{len(result.conflicts)} conflicts" + (":" if result.conflicts else ""))
    for conflict in result.conflicts:
        print(f"  {conflict.text()}")
    return 0


def _served(target: str) -> Path:
    """The session file ``horizons serve TARGET`` serves (it must load)."""
    path = Path(target)
    if path.suffix in (".yaml", ".yml"):
        try:
            name = workshops.session_name(path)
        except ValueError:
            raise InputError(f"{target}: sessions are served from {paths.sessions_dir()}") from None
    else:
        name = target
    try:
        session = workshops.resolve(name)
    except ValueError as exc:
        raise InputError(str(exc)) from None
    store.load(session)
    return session


def cmd_serve(args: argparse.Namespace) -> int:
    """Serve the live board in a browser.

    TARGET is a workshop (its latest iteration), WORKSHOP/NN-slug, or a session file under
    sessions/; without it, the sample workshop's latest iteration. The start page of all
    workshops is at /workshops.

    The server answers only to the host names it knows: 127.0.0.1, localhost and --address
    with the port (and, listening on the network, bare IP addresses). Behind a domain name
    or a reverse proxy, name it with --allow-host (as the browser's address bar shows it,
    with :PORT unless it is 80 or 443); behind a proxy that sets X-Forwarded-For, add
    --trust-proxy so that limits apply per visitor, not per proxy. Both need a facilitator
    password. See "Running a live workshop" in the README.
    Several processes behind nginx: see docs/DEPLOY.md (--prefix, --workshop, /health).
    """
    session = _served(args.target or "wales-2022")
    from canvas.live.access import from_environment, host_port

    access = from_environment(paths.home(), args.address, args.credentials)
    reached = "" if access.loopback else f"on {args.address}"
    if args.allow_host or args.trust_proxy:
        reached = "by other host names or through a proxy"
    if not access.password_hash and reached:
        raise InputError(
            f"refusing to serve {reached} without a facilitator password: anyone on"
            " the network could run the workshop. Set one with `horizons password > creds`"
            " and `--credentials creds`, or HORIZONS_FACILITATOR_PASSWORD"
        )
    url = f"http://{host_port(args.address, args.port)}/"
    print(f"serving {session} at {url} (Ctrl+C stops)", flush=True)
    if access.open:
        print(
            "No facilitator password: whoever opens the board on this machine is the"
            " facilitator. To require one: `horizons password > creds`, then"
            " `horizons serve --credentials creds` (or set HORIZONS_FACILITATOR_PASSWORD).",
            flush=True,
        )
    else:
        print(f"Facilitators sign in at {url}signin; participants join at {url}join", flush=True)
    from canvas.view import server  # Panel loads only for this command

    server.serve(
        session,
        access=access,
        port=args.port,
        address=args.address,
        show=args.show,
        allow_hosts=tuple(args.allow_host),
        trust_proxy=args.trust_proxy,
        prefix=server.clean_prefix(args.prefix),
        pinned=tuple(args.workshop),
    )
    return 0


def cmd_password(args: argparse.Namespace) -> int:
    """Make a facilitator password hash for `horizons serve --credentials FILE`.

    Reads the password twice from the terminal (or once from standard input when it is
    not a terminal) and prints only its scrypt hash, e.g. `horizons password > creds`.
    """
    import getpass

    from canvas.live.access import hash_password, password_problem

    if sys.stdin.isatty():
        first = getpass.getpass("Facilitator password: ")
        if first != getpass.getpass("Again: "):
            raise InputError("the two passwords differ")
    else:
        first = sys.stdin.readline().rstrip("\n")
    problem = password_problem(first)
    if problem:
        raise InputError(problem)
    print(hash_password(first))
    return 0


def cmd_templates(args: argparse.Namespace) -> int:
    """List the bundled templates."""
    for name, path in templates.bundled().items():
        s = store.load(path)
        print(f"{name}: {s.title} ({len(s.anchors)} anchors, {len(s.personas)} personas)")
    return 0


def _workshop_folder(name: str) -> Path:
    try:
        return paths.workshop_dir(name)
    except ValueError as exc:
        raise InputError(str(exc)) from None


def _ratio(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not 0.0 < value <= 1.0:
        raise argparse.ArgumentTypeError(f"expected a number above 0 and at most 1, got {text!r}")
    return value


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="horizons", description=summary(__doc__, "Three Horizons Canvas")
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    _session_commands(sub)
    _comparing_commands(sub)
    _serving_commands(sub)
    from canvas.cli.export import add_parser as add_export_parser

    add_export_parser(sub)
    return parser


def _session_commands(sub) -> None:
    """Commands that make, check and show session files."""
    p = add_command(sub, cmd_new, "new")
    p.add_argument("workshop", help="workshop name: a-z, 0-9 and '-'")
    p.add_argument("--template", default="wales-2022", help="template name or session file")
    p.add_argument("--title", help="title of the first iteration")
    p.set_defaults(func=cmd_new)

    p = add_command(sub, cmd_iterate, "iterate")
    p.add_argument("session", help="the session file to continue from")
    p.add_argument("--title", help="title of the new iteration")
    p.add_argument("--keep-votes", action="store_true", help="carry the votes over")
    p.set_defaults(func=cmd_iterate)

    p = add_command(sub, cmd_validate, "validate")
    p.add_argument("files", nargs="+", metavar="FILE")
    p.set_defaults(func=cmd_validate)

    p = add_command(sub, cmd_migrate, "migrate")
    p.add_argument("file", metavar="FILE")
    p.add_argument("--write", action="store_true", help="save the migrated file in place")
    p.set_defaults(func=cmd_migrate)

    p = add_command(sub, cmd_show, "show")
    p.add_argument("file", metavar="FILE")
    p.set_defaults(func=cmd_show)

    p = add_command(sub, cmd_templates, "templates")
    p.set_defaults(func=cmd_templates)


def _comparing_commands(sub) -> None:
    """Commands that compare and merge iterations."""
    p = add_command(sub, cmd_diff, "diff")
    p.add_argument("a", metavar="A", help="the earlier session")
    p.add_argument("b", metavar="B", help="the later session")
    p.add_argument("--format", choices=("text", "json", "markdown"), default="text")
    p.add_argument(
        "--match-text", action="store_true", help="pair notes without a shared id by their text"
    )
    p.add_argument(
        "--threshold",
        type=_ratio,
        default=0.8,
        help="similarity from 0 to 1 that --match-text needs (default 0.8)",
    )
    p.set_defaults(func=cmd_diff)

    rule = "The rule for conflicts (the result is the same in any order of the groups):\n\n"
    p = add_command(sub, cmd_merge, "merge", epilog=rule + RULE.replace("``", ""))
    p.add_argument("groups", nargs="+", metavar="GROUP", help="a group's session file")
    p.add_argument("--into", required=True, metavar="NEW", help="the merged session file to write")
    p.add_argument("--base", metavar="BASE", help="the session the groups started from")
    p.add_argument("--title", help="title of the merged session (default: the base's)")
    p.set_defaults(func=cmd_merge)


def _serving_commands(sub) -> None:
    """Serving the board, and the facilitator's password for it."""
    p = add_command(sub, cmd_serve, "serve")
    p.add_argument("target", nargs="?", metavar="SESSION|WORKSHOP")
    p.add_argument("--port", type=int, default=5006)
    p.add_argument("--address", default="127.0.0.1", help="interface to listen on")
    p.add_argument("--show", action="store_true", help="open a browser")
    p.add_argument("--credentials", type=Path, help="file with the facilitator password hash")
    host_help = "a host name the server answers to besides 127.0.0.1 and localhost (repeatable)"
    p.add_argument("--allow-host", action="append", default=[], metavar="NAME", help=host_help)
    p.add_argument(
        "--trust-proxy",
        action="store_true",
        help="take the visitor's address from X-Forwarded-For (only behind your own proxy)",
    )
    p.add_argument("--prefix", default="", help="serve every route under this path (/canvas)")
    p.add_argument("--workshop", action="append", default=[], help="pin a workshop (repeatable)")
    p.set_defaults(func=cmd_serve)

    p = add_command(sub, cmd_password, "password")
    p.set_defaults(func=cmd_password)


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help(sys.stderr)
        return 2
    try:
        return args.func(args)
    except FormatError as exc:
        print(exc, file=sys.stderr)
    except (InputError, ValueError) as exc:
        print(f"horizons: {exc}", file=sys.stderr)
    except OSError as exc:
        print(f"horizons: {exc.filename or ''}: {exc.strerror or exc}", file=sys.stderr)
    return 1
