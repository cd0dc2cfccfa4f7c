"""A session diff told to people (text, Markdown) and to programs (JSON).

The CLI, and later the app and the exports, print changes the same way, so the counts a
steering group sees on screen match what ``horizons diff`` prints. Each report ends with the
per-anchor summary of :mod:`canvas.domain.compare`; notes paired by text (``matched``: before id ->
after id, from :func:`canvas.domain.compare.diff_with_matching`) are labelled "matched by text".
Every report reads the diff through :func:`canvas.domain.diff.for_people`, so a note whose votes
were reset by a new iteration is no change; the votes of each iteration are reported apart.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from canvas.domain.compare import AnchorSummary, VoteTotals, anchor_summaries, vote_totals
from canvas.domain.diff import Change, ItemsDiff, SessionDiff, for_people
from canvas.domain.model import Anchor, Note, Session


def _label(item: Note | Anchor) -> str:
    text = item.text if isinstance(item, Note) else item.title
    text = " ".join(text.split())
    return text if len(text) <= 60 else text[:57] + "..."


def _change_detail(change: Change, a: Session, b: Session) -> list[str]:
    before, after = change.before, change.after
    parts = []
    for name in change.fields:
        if name == "position":
            parts.append(
                f"moved ({before.x:.2f}, {before.y:.2f}) -> ({after.x:.2f}, {after.y:.2f})"
            )
        elif name == "anchor":
            parts.append(
                f"anchor {_anchor_name(a, before.anchor)} -> {_anchor_name(b, after.anchor)}"
            )
        elif name == "text":
            parts.append("text edited")
        elif name == "id":
            continue  # a note matched by text: its line names both ids
        elif name in ("horizon", "polarity", "colour", "kind", "title"):
            parts.append(f"{name} {getattr(before, name)} -> {getattr(after, name)}")
        elif name not in ("rev", "updated", "votes"):
            parts.append(f"{name} changed")
    return parts


def _anchor_name(session: Session, anchor_id: str | None) -> str:
    if anchor_id is None:
        return "(none)"
    anchor = session.anchors.get(anchor_id)
    return f"'{anchor.title}'" if anchor else anchor_id


def counts(d: SessionDiff) -> dict[str, dict[str, int]]:
    """How many items were added, changed (for people) and removed, per kind of item."""
    d = for_people(d)
    return {
        kind: {
            "added": len(items.added),
            "updated": len(items.updated),
            "removed": len(items.removed),
        }
        for kind, items in (("notes", d.notes), ("anchors", d.anchors))
    }


def _summaries(
    d: SessionDiff, a: Session, b: Session, summaries: list[AnchorSummary] | None
) -> list[AnchorSummary]:
    return anchor_summaries(a, b, d) if summaries is None else summaries


def to_json(
    d: SessionDiff,
    a: Session,
    b: Session,
    *,
    matched: Mapping[str, str] | None = None,
    summaries: list[AnchorSummary] | None = None,
) -> str:
    """Every change as JSON, with the counts on top and the per-anchor summary below.

    ``summary`` holds every field of each :class:`canvas.domain.compareAnchorSummary` (anchors with
    changes only, unless ``summaries`` says otherwise); ``matched_by_text`` maps before ids to
    after ids, and each matched note's entry in ``notes.updated`` names its after id.
    """
    matched = matched or {}
    d = for_people(d)

    def items(part: ItemsDiff, pairs: Mapping[str, str]) -> dict[str, Any]:
        updated = {}
        for k, c in part.updated.items():
            entry: dict[str, Any] = {"fields": list(c.fields), "detail": _change_detail(c, a, b)}
            if k in pairs:
                entry["matched_by_text"] = pairs[k]
            updated[k] = entry
        return {"added": sorted(part.added), "removed": sorted(part.removed), "updated": updated}

    data = {
        "from": {"id": a.id, "iteration": a.iteration, "title": a.title},
        "to": {"id": b.id, "iteration": b.iteration, "title": b.title},
        "counts": counts(d),
        "notes": items(d.notes, matched),
        "anchors": items(d.anchors, {}),
        "session": sorted(d.session),
        "matched_by_text": dict(sorted(matched.items())),
        "votes": vote_totals(a, b).to_dict(),
        "summary": [s.to_dict() for s in _summaries(d, a, b, summaries)],
    }
    return json.dumps(data, ensure_ascii=False, indent=2)


def _lines(
    d: SessionDiff, a: Session, b: Session, bullet: str, matched: Mapping[str, str]
) -> list[str]:
    out = []
    for kind, part in (("note", d.notes), ("anchor", d.anchors)):
        for k, item in part.added.items():
            out.append(f"{bullet}added {kind} {k}: {_label(item)}")
        for k, item in part.removed.items():
            out.append(f"{bullet}removed {kind} {k}: {_label(item)}")
        for k, change in part.updated.items():
            detail = "; ".join(_change_detail(change, a, b)) or "revision only"
            name = k
            if kind == "note" and k in matched:
                name = f"{k} (matched by text: now {matched[k]})"
            out.append(f"{bullet}changed {kind} {name}: {_label(change.after)} ({detail})")
    for name in sorted(d.session):
        out.append(f"{bullet}session {name} changed")
    return out


def _matched_count(matched: Mapping[str, str] | None) -> str:
    return f", {len(matched)} matched by text" if matched else ""


def to_text(
    d: SessionDiff,
    a: Session,
    b: Session,
    *,
    matched: Mapping[str, str] | None = None,
    summaries: list[AnchorSummary] | None = None,
) -> str:
    """One headline, one line per change, the votes of each iteration, then one line per anchor."""
    d = for_people(d)
    c = counts(d)["notes"]
    head = (
        f"{a.id} -> {b.id}: {c['added']} notes added, {c['updated']} changed,"
        f" {c['removed']} removed{_matched_count(matched)}"
    )
    per_anchor = [f"  {s.text()}" for s in _summaries(d, a, b, summaries)] or ["  none"]
    return (
        "\n".join(
            [head, *_lines(d, a, b, "  ", matched or {}), *_votes_text(a, b), "by anchor:"]
            + per_anchor
        )
        + "\n"
    )


def _votes_text(a: Session, b: Session) -> list[str]:
    votes = vote_totals(a, b)
    lines = [
        f"votes (not changes): {votes.before} in iteration {a.iteration},"
        f" {votes.after} in iteration {b.iteration}"
    ]
    return lines + [f"  {title}: {x} -> {y}" for _, title, x, y in votes.by_anchor]


def _votes_markdown(a: Session, b: Session, votes: VoteTotals) -> list[str]:
    rows = [
        "",
        "## Votes",
        "",
        "Votes start again with each iteration, so they are totals here, not changes.",
        "",
        f"| | iteration {a.iteration} | iteration {b.iteration} |",
        "| --- | --- | --- |",
        f"| all notes | {votes.before} | {votes.after} |",
    ]
    for _, title, x, y in votes.by_anchor:
        cell = title.replace("|", "\\|")
        rows.append(f"| {cell} | {x} | {y} |")
    return rows


def to_markdown(
    d: SessionDiff,
    a: Session,
    b: Session,
    *,
    matched: Mapping[str, str] | None = None,
    summaries: list[AnchorSummary] | None = None,
) -> str:
    """A heading, a table of counts, one bullet per change, the votes, then a section per anchor."""
    d = for_people(d)
    c = counts(d)
    rows = [
        f"# Changes from iteration {a.iteration} to {b.iteration}",
        "",
        f"From *{a.title}* ({a.id}) to *{b.title}* ({b.id}).",
        "",
        "| | added | changed | removed |",
        "| --- | --- | --- | --- |",
    ]
    for kind in ("notes", "anchors"):
        rows.append(
            f"| {kind} | {c[kind]['added']} | {c[kind]['updated']} | {c[kind]['removed']} |"
        )
    if matched:
        rows += ["", f"{len(matched)} notes matched by text (they share no id)."]
    rows.append("")
    rows.extend(_lines(d, a, b, "- ", matched or {}))
    rows += _votes_markdown(a, b, vote_totals(a, b))
    rows += ["", "## By anchor", ""]
    per_anchor = _summaries(d, a, b, summaries)
    rows.extend(f"- {s.text()}" for s in per_anchor)
    if not per_anchor:
        rows.append("No anchor changed.")
    return "\n".join(rows) + "\n"
