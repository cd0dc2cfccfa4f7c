"""What changed on each anchor, told in the reader's language.

The domain's :class:`~canvas.domain.compare.AnchorSummary` holds the figures and says them in
English for ``horizons diff``; the reports and compare mode tell the same figures from the
catalogue (plural forms included), with each anchor's title in the reader's language.
"""

from __future__ import annotations

from canvas.domain.compare import AnchorSummary, Move
from canvas.format.i18n import t

_STATUS = {"added": "sum_status_added", "removed": "sum_status_removed"}


def _moves(moves: tuple[Move, ...], lang: str, first: str, rest: str, title) -> str:
    head, *tail = moves
    parts = [t(first, lang, n=head.count, title=title(head))]
    parts += [t(rest, lang, n=m.count, title=title(m)) for m in tail]
    return ", ".join(parts)


def describe(s: AnchorSummary, lang: str, titles: dict[str, str] | None = None) -> str:
    """The changes on one anchor without its title ("+7 notes; 2 notes moved here from X")."""
    titles = titles or {}

    def title(m: Move) -> str:
        if m.anchor is None:
            return t("not_on_anchor", lang)
        return titles.get(m.anchor, m.title)

    groups: list[str] = []
    if s.delta_notes:
        key = "sum_notes_more" if s.delta_notes > 0 else "sum_notes_fewer"
        groups.append(t(key, lang, n=abs(s.delta_notes)))
    if s.moved_in:
        groups.append(_moves(s.moved_in, lang, "sum_moved_here", "sum_moved_here_more", title))
    if s.moved_out:
        groups.append(_moves(s.moved_out, lang, "sum_moved_away", "sum_moved_away_more", title))
    if s.added:
        added = t("sum_added", lang, n=s.added)
        groups.append(
            f"{added}, {t('sum_also_removed', lang, n=s.removed)}" if s.removed else added
        )
    elif s.removed:
        groups.append(t("sum_removed", lang, n=s.removed))
    if s.edited:
        groups.append(t("sum_edited", lang, n=s.edited))
    if s.status:
        groups.append(t(_STATUS.get(s.status, "sum_status_changed"), lang))
    return "; ".join(groups) or t("sum_no_change", lang)


def line(s: AnchorSummary, lang: str, titles: dict[str, str] | None = None) -> str:
    """One line for people: the anchor's title in ``lang``, then its changes."""
    title = (titles or {}).get(s.anchor, s.title)
    return f"{title}: {describe(s, lang, titles)}"
