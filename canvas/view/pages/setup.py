"""Setting up a workshop on the workshops page: a new workshop from a template (the Wales 2022
template unless another is chosen), with its title, date, facilitator and focal question in
English and, where wanted, in Welsh; once made, the page opens its board.

The workshop service (:mod:`canvas.format.workshops`) checks every name and writes the file;
this module only asks, and says what went wrong in the page's language.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import panel as pn

from canvas.format import paths, templates, workshops
from canvas.format.problems import FormatError
from canvas.view.pages.render import render
from canvas.view.pages.site import BOARD_ROUTE, t

DEFAULT_TEMPLATE = "wales-2022"
MAX_TITLE = 120
MAX_QUESTION = 300


def board_href(path: Path) -> str:
    return f"./{BOARD_ROUTE}?session={workshops.session_name(path)}"


def opener() -> pn.widgets.TextInput:
    """A hidden field: when the server puts an address in it, the browser goes there."""
    go = pn.widgets.TextInput(value="", visible=False)
    go.jscallback(value="if (cb_obj.value) { window.location.assign(cb_obj.value) }")
    return go


def _text(label: str, most: int, **kw) -> pn.widgets.TextInput:
    return pn.widgets.TextInput(name=label, max_length=most, sizing_mode="stretch_width", **kw)


def _question(label: str) -> pn.widgets.TextAreaInput:
    return pn.widgets.TextAreaInput(
        name=label, max_length=MAX_QUESTION, rows=2, sizing_mode="stretch_width"
    )


def new_workshop_form(on_made) -> pn.viewable.Viewable:
    """The form that starts a workshop; ``on_made(path)`` runs once its first iteration is
    written (the page refreshes its list), then the browser opens its board."""
    bundled = list(templates.bundled())
    template = pn.widgets.Select(
        name=t("template"),
        options=bundled,
        value=DEFAULT_TEMPLATE if DEFAULT_TEMPLATE in bundled else bundled[0],
    )
    title = _text(t("setup_title"), MAX_TITLE, placeholder=t("setup_title_hint"))
    title_cy = _text(t("setup_title_cy"), MAX_TITLE)
    name = _text(t("workshop_name"), 40, placeholder=t("setup_name_hint"))
    date = pn.widgets.DatePicker(name=t("date_col"), value=dt.date.today())
    facilitator = _text(t("setup_facilitator"), 80)
    question = _question(t("setup_focal_question"))
    question_cy = _question(t("setup_focal_question_cy"))
    create = pn.widgets.Button(name=t("create_and_open"), button_type="primary")
    result = pn.pane.HTML("", sizing_mode="stretch_width")
    go = opener()

    def _create(_event) -> None:
        chosen = title.value.strip()
        slug = name.value.strip() or paths.slugify(chosen)
        try:
            if not chosen:
                raise ValueError(t("setup_title_needed"))
            target, _ = workshops.new_workshop(
                slug,
                template.value,
                chosen,
                title_cy=title_cy.value.strip(),
                date=date.value.isoformat() if date.value else "",
                facilitator=facilitator.value.strip(),
                focal_question=question.value.strip(),
                focal_question_cy=question_cy.value.strip(),
            )
        except (ValueError, FormatError, OSError) as exc:
            result.object = render("alert.html", text=str(exc))
            return
        on_made(target)
        result.object = render("link.html", href=board_href(target), label=t("open_board"))
        go.value = board_href(target)

    create.on_click(_create)
    return pn.Column(
        pn.pane.HTML(render("heading.html", level=2, text=t("new_workshop"))),
        pn.Row(template, date, sizing_mode="stretch_width"),
        pn.Row(title, title_cy, sizing_mode="stretch_width"),
        pn.Row(name, facilitator, sizing_mode="stretch_width"),
        pn.Row(question, question_cy, sizing_mode="stretch_width"),
        create,
        result,
        go,
        sizing_mode="stretch_width",
    )
