"""Who may do what: the facilitator's password, and the join, view and review codes.

A shared password says nothing about who someone is, so roles come from the server's own
checks: the facilitator signs in with a password kept only as a scrypt hash; participants
and observers hold a code derived from a secret that never leaves the server, one per
session, so a code for one board opens no other. Participants are also given one code per
workshop, which opens whichever of its iterations is current: one join link for the day.
On a server only this machine can reach, with no password set, whoever opens the board is
the facilitator (a facilitator's laptop).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import ipaddress
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

SCRYPT = {"n": 2**14, "r": 8, "p": 1}
MIN_PASSWORD = 12
MIN_DISTINCT = 6
CODE_LENGTH = 8
_ALPHABET = "23456789abcdefghjkmnpqrstuvwxyz"  # no 0/o, 1/l/i: read aloud in a room


def password_problem(password: str) -> str:
    """Why ``password`` is too weak to guard a workshop run on a network, or "" if it will do.

    Length is what slows guessing most; a long run of one or two characters is not length.
    """
    if len(password) < MIN_PASSWORD:
        return f"use a facilitator password of at least {MIN_PASSWORD} characters"
    if len(set(password)) < MIN_DISTINCT:
        return f"use a facilitator password of at least {MIN_DISTINCT} different characters"
    return ""


def hash_password(password: str, *, salt: bytes | None = None) -> str:
    """A storable hash of a password: ``scrypt$N$r$p$salt$hash`` (base64)."""
    salt = salt or secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode("utf-8"), salt=salt, dklen=32, **SCRYPT)
    b64 = base64.urlsafe_b64encode
    return "scrypt${n}${r}${p}$".format(**SCRYPT) + f"{b64(salt).decode()}${b64(digest).decode()}"


def check_password(password: str, stored: str) -> bool:
    """Whether ``password`` matches a hash made by :func:`hash_password`."""
    try:
        scheme, n, r, p, salt, digest = stored.strip().split("$")
        if scheme != "scrypt":
            return False
        expected = base64.urlsafe_b64decode(digest)
        actual = hashlib.scrypt(
            password.encode("utf-8"),
            salt=base64.urlsafe_b64decode(salt),
            dklen=len(expected),
            n=int(n),
            r=int(r),
            p=int(p),
        )
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(actual, expected)


def host_port(host: str, port: int) -> str:
    """``host:port`` as a URL and a Host header write it (``[::1]:5006`` for IPv6)."""
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


def is_loopback(address: str) -> bool:
    if address in ("localhost", ""):
        return True
    try:
        return ipaddress.ip_address(address).is_loopback
    except ValueError:
        return False


def load_secret(folder: Path) -> bytes:
    """The server's secret, made once and kept (owner-only) so join links survive restarts."""
    path = folder / ".horizons" / "secret"
    if path.exists():
        return bytes.fromhex(path.read_text(encoding="ascii").strip())
    path.parent.mkdir(parents=True, exist_ok=True)
    secret = secrets.token_bytes(32)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as handle:
        handle.write(secret.hex())
    return secret


def workshop_of(session: str) -> str:
    """The workshop of a session name (``workshop/NN-slug``)."""
    return session.partition("/")[0]


def _code(secret: bytes, purpose: str, session: str) -> str:
    digest = hmac.new(secret, f"{purpose}:{session}".encode(), hashlib.sha256).digest()
    return "".join(_ALPHABET[b % len(_ALPHABET)] for b in digest[:CODE_LENGTH])


@dataclass(frozen=True)
class Access:
    """The server's access rules: its secret and, when set, the facilitator's password hash."""

    secret: bytes
    password_hash: str = ""
    loopback: bool = True

    @property
    def open(self) -> bool:
        """No password on a loopback server: every visitor without a code is the facilitator."""
        return not self.password_hash and self.loopback

    def join_code(self, session: str) -> str:
        """One session's participant code (the links of earlier versions hold these)."""
        return _code(self.secret, "join", session)

    def workshop_code(self, workshop: str) -> str:
        """The participants' code of a whole workshop: the one the facilitator shows. It
        opens the workshop's current iteration, and follows it to the next one."""
        return _code(self.secret, "workshop", workshop)

    def entry(self, role: str, session: str) -> dict[str, str]:
        """The query arguments that take a visitor of ``role`` into ``session`` (an
        iteration of the workshop they are in): what a page moving on to it needs."""
        if role == "participant":
            return {"join": self.workshop_code(workshop_of(session))}
        if role == "observer":
            return {"view": self.view_code(session)}
        if role == "reviewer":
            return {"review": self.review_code(session)}
        return {}

    def view_code(self, session: str) -> str:
        return _code(self.secret, "view", session)

    def review_code(self, session: str) -> str:
        return _code(self.secret, "review", session)

    def role(
        self,
        session: str,
        *,
        join: str = "",
        view: str = "",
        review: str = "",
        signed_in: bool = False,
    ):
        """The role a visitor gets on a session's board, or None when they may not enter."""
        if signed_in:
            return "facilitator"
        if join and any(
            hmac.compare_digest(join.lower(), code)
            for code in (self.join_code(session), self.workshop_code(workshop_of(session)))
        ):
            return "participant"
        if review and hmac.compare_digest(review.lower(), self.review_code(session)):
            return "reviewer"
        if view and hmac.compare_digest(view.lower(), self.view_code(session)):
            return "observer"
        if self.open and not (join or view or review):
            return "facilitator"
        return None

    def check(self, password: str) -> bool:
        return bool(self.password_hash) and check_password(password, self.password_hash)


def from_environment(home: Path, address: str, credentials: Path | None = None) -> Access:
    """The access rules for a server: the password from a credentials file or the environment.

    ``HORIZONS_FACILITATOR_PASSWORD`` is hashed at once and dropped from the environment;
    a credentials file holds a hash made by ``horizons password``.
    """
    stored = ""
    if credentials is not None:
        stored = credentials.read_text(encoding="utf-8").strip()
        if not stored.startswith("scrypt$"):
            raise ValueError(
                f"{credentials}: not a password hash (make one with `horizons password`)"
            )
    elif os.environ.get("HORIZONS_FACILITATOR_HASH"):
        stored = os.environ["HORIZONS_FACILITATOR_HASH"].strip()
    elif os.environ.get("HORIZONS_FACILITATOR_PASSWORD"):
        password = os.environ.pop("HORIZONS_FACILITATOR_PASSWORD")
        problem = password_problem(password)
        if problem:
            raise ValueError(f"HORIZONS_FACILITATOR_PASSWORD: {problem}")
        stored = hash_password(password)
    return Access(secret=load_secret(home), password_hash=stored, loopback=is_loopback(address))
