"""The workshops page: every workshop's iterations (dates, counts, and links to the board,
compare mode, trends and exports), the next iteration (its title and date asked for), merging
breakout maps, a new workshop (:mod:`canvas.view.pages.setup`); and the trends page.
Facilitators only."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from urllib.parse import quote

import panel as pn

from canvas.format import paths, store, workshops
from canvas.format.problems import FormatError
from canvas.live.hub import HUB
from canvas.view.pages.message import message_page
from canvas.view.pages.render import render
from canvas.view.pages.setup import MAX_TITLE, TABLE_CSS, new_workshop_form
from canvas.view.pages.site import BOARD_ROUTE, TRENDS_ROUTE, Site, arg, lang, may_lead, t
from canvas.view.phone_width import PhoneWidth

_COLUMNS = (
    "iteration_col",
    "title_col",
    "date_col",
    "facilitator_col",
    "notes",
    "votes_col",
    "comments",
)


def _board_href(path: Path) -> str:
    return f"./{BOARD_ROUTE}?session={quote(workshops.session_name(path))}"


def _row(path: Path, earlier: Path | None) -> dict:
    try:
        s = store.load(path)
    except FormatError:
        return {"invalid": True, "file": path.name}
    href = _board_href(path)
    links = [{"href": href, "label": t("open_board")}]
    if earlier is not None:
        against = quote(workshops.session_name(earlier))
        links.append({"href": f"{href}&compare={against}", "label": t("compare_previous")})
    name = quote(workshops.session_name(path))
    exports = [
        {"href": f"./export?session={name}&format={fmt}&lang={lang()}", "label": t(label)}
        for fmt, label in (("pdf", "export_pdf_report"), ("bundle", "export_all_formats"))
    ]
    return {
        "invalid": False,
        "iteration": s.iteration,
        "title": (s.title_cy if lang() == "cy" else "") or s.title,
        "exports": exports,
        "comments": len(s.comments),
        "date": s.date,
        "facilitator": s.facilitator,
        "notes": len(s.notes),
        "votes": sum(n.votes for n in s.notes.values()),
        "links": links,
    }


def iterations_table(folder: Path) -> str:
    """One workshop's iterations: number, title, date, facilitator, notes and votes, links."""
    found = workshops.iterations(folder)
    rows = [_row(path, found[i - 1] if i else None) for i, path in enumerate(found)]
    return render(
        "iterations.html",
        workshop=folder.name,
        heads=[t(k) for k in _COLUMNS],
        rows=rows,
        trends=f"./{TRENDS_ROUTE}?workshop={quote(folder.name)}&lang={lang()}",
        t=t,
    )


def _opened(result: pn.pane.HTML, target: Path) -> None:
    result.object = render("link.html", href=_board_href(target), label=t("open_board"))


def _failed(result: pn.pane.HTML, exc: Exception) -> None:
    result.object = render("alert.html", text=str(exc))


def workshop_block(folder: Path) -> pn.viewable.Viewable:
    """A workshop's table with its "start next iteration" and "merge breakouts" controls."""
    table = pn.pane.HTML(
        iterations_table(folder), sizing_mode="stretch_width", stylesheets=[TABLE_CSS]
    )
    keep = pn.widgets.Checkbox(name=t("keep_votes"), value=False)
    title = pn.widgets.TextInput(
        name=t("next_title", workshop=folder.name),
        max_length=MAX_TITLE,
        placeholder=t("next_title_hint"),
    )
    date = pn.widgets.DatePicker(name=t("date_col"), value=dt.date.today())
    start = pn.widgets.Button(name=t("start_next"))
    result = pn.pane.HTML("")
    groups = pn.widgets.MultiChoice(
        name=t("merge_groups"), options=[p.name for p in workshops.iterations(folder)]
    )
    merge_button = pn.widgets.Button(name=t("merge_button"))

    def _refresh(target: Path) -> None:
        table.object = iterations_table(folder)
        groups.options = [p.name for p in workshops.iterations(folder)]
        _opened(result, target)

    def _next(_event) -> None:
        latest = workshops.latest(folder)
        try:
            if latest is None:
                raise ValueError(t("no_sessions"))
            if not title.value.strip():
                raise ValueError(t("next_title_needed"))
            when = date.value.isoformat() if date.value else ""
            # Through the rooms: the copy holds what they have, their pages move to it.
            target = HUB.next_iteration(
                latest, title=title.value.strip(), keep_votes=keep.value, date=when
            )
        except (ValueError, FormatError, OSError) as exc:
            return _failed(result, exc)
        _refresh(target)

    def _merge(_event) -> None:
        try:
            if len(groups.value) < 2:
                raise ValueError(t("merge_need_two"))
            target = workshops.merge_breakouts(folder, list(groups.value))
        except (ValueError, FormatError, OSError) as exc:
            return _failed(result, exc)
        _refresh(target)

    start.on_click(_next)
    merge_button.on_click(_merge)
    return pn.Column(
        table,
        pn.FlexBox(title, date, keep, start, flex_wrap="wrap", align_items="end"),
        pn.FlexBox(groups, merge_button, flex_wrap="wrap", align_items="end"),
        result,
        sizing_mode="stretch_width",
    )


def start_page(site: Site) -> pn.viewable.Viewable:
    """All workshops with their iterations, and a form to start a new workshop."""
    if not may_lead(site):
        return message_page(t("need_access"), signin=True)
    listing = pn.Column(
        *(workshop_block(f) for f in workshops.workshops()), sizing_mode="stretch_width"
    )

    def _made(_target: Path) -> None:
        listing.objects = [workshop_block(f) for f in workshops.workshops()]

    return pn.Column(
        PhoneWidth(),
        pn.pane.HTML(render("heading.html", level=1, text=t("workshops"))),
        new_workshop_form(_made, lang()),
        listing,
        sizing_mode="stretch_width",
        styles={"max-width": "70rem", "padding": "1rem"},
    )


def trends_route(site: Site) -> pn.viewable.Viewable:
    """Trends across all iterations of ``?workshop=``, for facilitators."""
    if not may_lead(site):
        return message_page(t("need_access"), signin=True)
    try:
        folder = paths.workshop_dir(arg("workshop") or site.default.split("/")[0])
    except ValueError as exc:
        return message_page(str(exc))
    from canvas.view.trends import trends_page

    return trends_page(folder, lang())
