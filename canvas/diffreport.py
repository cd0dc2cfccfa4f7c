"""A session diff told to people (text, Markdown) and to programs (JSON).

The CLI, and later the app and the exports, print changes the same way, so the counts a
steering group sees on screen match what ``horizons diff`` prints.
"""

from __future__ import annotations

import json
from typing import Any

from canvas.diff import Change, ItemsDiff, SessionDiff
from canvas.model import Anchor, Note, Session


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
        elif name == "votes":
            delta = after.votes - before.votes
            parts.append(f"votes {'+' if delta > 0 else ''}{delta}")
        elif name == "text":
            parts.append("text edited")
        elif name in ("horizon", "polarity", "colour", "kind", "title"):
            parts.append(f"{name} {getattr(before, name)} -> {getattr(after, name)}")
        elif name not in ("rev", "updated"):
            parts.append(f"{name} changed")
    return parts


def _anchor_name(session: Session, anchor_id: str | None) -> str:
    if anchor_id is None:
        return "(none)"
    anchor = session.anchors.get(anchor_id)
    return f"'{anchor.title}'" if anchor else anchor_id


def counts(d: SessionDiff) -> dict[str, dict[str, int]]:
    """How many items were added, updated and removed, per kind of item."""
    return {
        kind: {
            "added": len(items.added),
            "updated": len(items.updated),
            "removed": len(items.removed),
        }
        for kind, items in (("notes", d.notes), ("anchors", d.anchors))
    }


def to_json(d: SessionDiff, a: Session, b: Session) -> str:
    """Every change as JSON, with the counts on top."""

    def items(part: ItemsDiff) -> dict[str, Any]:
        return {
            "added": sorted(part.added),
            "removed": sorted(part.removed),
            "updated": {
                k: {"fields": list(c.fields), "detail": _change_detail(c, a, b)}
                for k, c in part.updated.items()
            },
        }

    data = {
        "from": {"id": a.id, "iteration": a.iteration, "title": a.title},
        "to": {"id": b.id, "iteration": b.iteration, "title": b.title},
        "counts": counts(d),
        "notes": items(d.notes),
        "anchors": items(d.anchors),
        "session": sorted(d.session),
    }
    return json.dumps(data, ensure_ascii=False, indent=2)


def _lines(d: SessionDiff, a: Session, b: Session, bullet: str) -> list[str]:
    out = []
    for kind, part in (("note", d.notes), ("anchor", d.anchors)):
        for k, item in part.added.items():
            out.append(f"{bullet}added {kind} {k}: {_label(item)}")
        for k, item in part.removed.items():
            out.append(f"{bullet}removed {kind} {k}: {_label(item)}")
        for k, change in part.updated.items():
            detail = "; ".join(_change_detail(change, a, b)) or "revision only"
            out.append(f"{bullet}changed {kind} {k}: {_label(change.after)} ({detail})")
    for name in sorted(d.session):
        out.append(f"{bullet}session {name} changed")
    return out


def to_text(d: SessionDiff, a: Session, b: Session) -> str:
    c = counts(d)["notes"]
    head = (
        f"{a.id} -> {b.id}: {c['added']} notes added, {c['updated']} changed,"
        f" {c['removed']} removed"
    )
    return "\n".join([head, *_lines(d, a, b, "  ")]) + "\n"


def to_markdown(d: SessionDiff, a: Session, b: Session) -> str:
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
    rows.append("")
    rows.extend(_lines(d, a, b, "- "))
    return "\n".join(rows) + "\n"
