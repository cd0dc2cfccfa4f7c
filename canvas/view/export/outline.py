"""The one reading of a session that every export tells: what is on the board, in order.

Per horizon, its anchors (in the order of :data:`canvas.domain.modelANCHOR_KINDS`, then by title)
with their notes (most votes first), and the notes placed on no anchor; the top-voted notes;
the personas the notes refer to; reviewers' comment threads on each anchor and note (and those
whose note or anchor is not in the report); and, given the previous iteration, one line per
anchor of what changed since. Comments are in a session only for those who may read them
(:func:`canvas.domain.visibility.project`), so a report holds them only for them. Hidden
notes are never exported; private notes (written during private writing and not yet
revealed) only with ``include_private``.

Standard library and the domain only: the Markdown and CSV exports need no plotting library.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, replace

from canvas.domain.model import (
    ANCHOR_KINDS,
    HORIZONS,
    Anchor,
    Comment,
    Note,
    Persona,
    Session,
    threads,
)
from canvas.domain.visibility import in_snapshot
from canvas.format.i18n import persona_name, t
from canvas.format.summaries import line as summary_line
from canvas.view.export.common import localised

TOP_VOTED = 10
_KIND_ORDER = {kind: i for i, kind in enumerate(ANCHOR_KINDS)}


@dataclass(frozen=True, slots=True)
class AnchorBlock:
    """One anchor and its notes; ``anchor`` is None for a horizon's notes on no anchor."""

    anchor: Anchor | None
    title: str
    kind: str
    summary: str
    notes: tuple[Note, ...]

    @property
    def votes(self) -> int:
        return sum(n.votes for n in self.notes)


@dataclass(frozen=True, slots=True)
class HorizonBlock:
    horizon: str
    heading: str
    prompt: str
    anchors: tuple[AnchorBlock, ...]
    loose: AnchorBlock | None

    @property
    def blocks(self) -> tuple[AnchorBlock, ...]:
        return self.anchors + ((self.loose,) if self.loose else ())

    @property
    def notes(self) -> int:
        return sum(len(b.notes) for b in self.blocks)

    @property
    def votes(self) -> int:
        return sum(b.votes for b in self.blocks)


@dataclass(frozen=True, slots=True)
class PersonaRef:
    persona: Persona
    name: str
    role: str
    notes: int


@dataclass(frozen=True, slots=True)
class Thread:
    """A comment and the replies to it, oldest first."""

    comment: Comment
    replies: tuple[Comment, ...]

    @property
    def resolved(self) -> bool:
        return self.comment.resolved

    @property
    def comments(self) -> tuple[Comment, ...]:
        return (self.comment, *self.replies)


def said(comment: Comment, lang: str) -> str:
    """Who wrote a comment and when (UTC, 24-hour clock): "Mair, 2022-04-21 10:02"."""
    author = " ".join(comment.author.split()) or t("someone", lang)
    when = comment.created[:16].replace("T", " ")
    return f"{author}, {when}" if when else author


@dataclass(frozen=True, slots=True)
class Outline:
    session: Session
    lang: str
    title: str
    focal_question: str
    horizons: tuple[HorizonBlock, ...]
    notes: tuple[Note, ...]
    top: tuple[Note, ...]
    personas: tuple[PersonaRef, ...]
    anchor_titles: dict[str, str]
    previous_iteration: int | None
    changes: tuple[str, ...]
    include_private: bool
    threads: dict[str, tuple[Thread, ...]]
    stray_threads: tuple[Thread, ...]

    @property
    def votes(self) -> int:
        return sum(n.votes for n in self.notes)

    def threads_on(self, target: str) -> tuple[Thread, ...]:
        """The comment threads about one note or anchor."""
        return self.threads.get(target, ())

    def anchor_title(self, note: Note) -> str:
        return self.anchor_titles.get(note.anchor or "", "")

    def subtitle(self) -> str:
        """Iteration, date and workshop (Iteration 2 · 2022-04-21 · wales-2022), as present."""
        s = self.session
        parts = [t("iteration", self.lang, n=s.iteration)]
        parts += [p for p in (s.date, s.workshop) if p]
        return " · ".join(parts)


def exported(note: Note, include_private: bool = False) -> bool:
    """Whether a note appears in an export (:func:`canvas.domain.visibility.in_snapshot`)."""
    return in_snapshot(note, include_private)


def exported_notes(session: Session, include_private: bool = False) -> list[Note]:
    """The notes an export shows, in id order."""
    return [n for _, n in sorted(session.notes.items()) if exported(n, include_private)]


def by_votes(notes) -> list[Note]:
    """Most votes first; ties in id order."""
    return sorted(notes, key=lambda n: (-n.votes, n.id))


def horizon_heading(horizon: str, lang: str) -> str:
    return t(
        "export_horizon_heading", lang, horizon=horizon, name=t(f"{horizon.lower()}_name", lang)
    )


def _prompt(session: Session, horizon: str, lang: str) -> str:
    """A horizon's prompt in ``lang`` (``prompts_cy``...) when the session has it."""
    translated = getattr(session, f"prompts_{lang}", {}) if lang != "en" else {}
    return translated.get(horizon) or session.prompts.get(horizon, "")


def changes_since(
    previous: Session, session: Session, include_private: bool = False, lang: str = "en"
) -> list[str]:
    """One line per anchor that changed between two iterations, as
    :mod:`canvas.domain.compare` counts and :mod:`canvas.format.summaries` tells in ``lang``.

    Both sessions are first narrowed to the notes an export may show, so that the counts
    never reveal hidden or unrevealed notes.
    """
    from canvas.domain.compare import anchor_summaries

    def shown(s: Session) -> Session:
        return replace(s, notes={n.id: n for n in exported_notes(s, include_private)})

    titles = {
        k: localised(a, "title", lang) for k, a in {**previous.anchors, **session.anchors}.items()
    }
    summaries = anchor_summaries(shown(previous), shown(session))
    return [summary_line(s, lang, titles) for s in summaries]


def build(
    session: Session,
    *,
    lang: str = "en",
    previous: Session | None = None,
    include_private: bool = False,
    top: int = TOP_VOTED,
) -> Outline:
    """The outline of ``session`` in ``lang``; ``previous`` adds the changes since it."""
    notes = exported_notes(session, include_private)
    anchors = session.anchors
    titles = {aid: localised(a, "title", lang) for aid, a in anchors.items()}
    changes = (
        changes_since(previous, session, include_private, lang) if previous is not None else []
    )
    on_target, stray = _threads(session, {n.id for n in notes} | set(anchors))
    return Outline(
        session=session,
        lang=lang,
        title=localised(session, "title", lang),
        focal_question=localised(session, "focal_question", lang),
        horizons=_horizon_blocks(session, notes, titles, lang),
        notes=tuple(notes),
        top=tuple(by_votes(n for n in notes if n.votes > 0)[:top]),
        personas=_persona_refs(session, notes, lang),
        anchor_titles=titles,
        previous_iteration=previous.iteration if previous is not None else None,
        changes=tuple(changes),
        include_private=include_private,
        threads=on_target,
        stray_threads=stray,
    )


def _horizon_blocks(
    session: Session, notes: list[Note], titles: dict[str, str], lang: str
) -> tuple[HorizonBlock, ...]:
    """Each horizon's anchors in reading order with their notes, then its loose notes."""
    anchors = session.anchors
    on_anchor: dict[str, list[Note]] = {}
    loose: dict[str, list[Note]] = {h: [] for h in HORIZONS}
    for note in notes:
        if note.anchor in anchors:
            on_anchor.setdefault(note.anchor, []).append(note)
        else:
            loose.setdefault(note.horizon, []).append(note)

    horizons = []
    for horizon in HORIZONS:
        mine = [a for a in anchors.values() if a.horizon == horizon]
        mine.sort(
            key=lambda a: (_KIND_ORDER.get(a.kind, len(_KIND_ORDER)), titles[a.id].casefold(), a.id)
        )
        blocks = tuple(
            AnchorBlock(
                anchor=a,
                title=titles[a.id],
                kind=a.kind,
                summary=localised(a, "summary", lang),
                notes=tuple(by_votes(on_anchor.get(a.id, ()))),
            )
            for a in mine
        )
        free = loose.get(horizon) or []
        horizons.append(
            HorizonBlock(
                horizon=horizon,
                heading=horizon_heading(horizon, lang),
                prompt=_prompt(session, horizon, lang),
                anchors=blocks,
                loose=AnchorBlock(None, t("not_on_anchor", lang), "", "", tuple(by_votes(free)))
                if free
                else None,
            )
        )
    return tuple(horizons)


def _persona_refs(session: Session, notes: list[Note], lang: str) -> tuple[PersonaRef, ...]:
    """The personas the notes speak for, most cited first."""
    referenced = Counter(pid for n in notes for pid in dict.fromkeys(n.personas))
    return tuple(
        sorted(
            (
                PersonaRef(p, persona_name(p, lang), localised(p, "role", lang), referenced[pid])
                for pid, p in session.personas.items()
                if referenced[pid]
            ),
            key=lambda r: (-r.notes, r.name.casefold(), r.persona.id),
        )
    )


def _threads(
    session: Session, shown: set[str]
) -> tuple[dict[str, tuple[Thread, ...]], tuple[Thread, ...]]:
    """Comment threads by the note or anchor they are about; those about something the
    report does not show (removed, or hidden) come apart, so no reviewer's words are lost."""
    on_target: dict[str, list[Thread]] = {}
    stray: list[Thread] = []
    for first, replies in threads(session):
        thread = Thread(first, tuple(replies))
        if first.target in shown:
            on_target.setdefault(first.target, []).append(thread)
        else:
            stray.append(thread)
    return {k: tuple(v) for k, v in on_target.items()}, tuple(stray)
