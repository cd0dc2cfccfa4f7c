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

from canvas.format import paths, store, templates, workshops
from canvas.format.problems import FormatError
from canvas.view.pages.render import render
from canvas.view.pages.site import BOARD_ROUTE, t

DEFAULT_TEMPLATE = "wales-2022"
MAX_TITLE = 120
MAX_QUESTION = 300
# Fields sit side by side while each has 17rem, and one under the other on a phone.
FIELD = {"flex": "1 1 17rem", "min-width": "0"}
TABLE_CSS = """
.thc-table-scroll { overflow-x: auto; }
table.thc-iterations { border-collapse: collapse; font-size: 1rem; }
.thc-iterations th, .thc-iterations td { text-align: left; vertical-align: top;
  padding: 6px 14px 6px 0; border-bottom: 1px solid #dde3ea; }
.thc-iterations th, .thc-iterations td:nth-child(3) { white-space: nowrap; }
a { color: #0b5cd5; line-height: 1.8; }
"""


def board_href(path: Path) -> str:
    return f"./{BOARD_ROUTE}?session={workshops.session_name(path)}"


def opener() -> pn.widgets.TextInput:
    """A hidden field: when the server puts an address in it, the browser goes there."""
    go = pn.widgets.TextInput(value="", visible=False)
    go.jscallback(value="if (cb_obj.value) { window.location.assign(cb_obj.value) }")
    return go


def _text(label: str, most: int, **kw) -> pn.widgets.TextInput:
    return pn.widgets.TextInput(
        name=label, max_length=most, sizing_mode="stretch_width", styles=FIELD, **kw
    )


def _question(label: str) -> pn.widgets.TextAreaInput:
    return pn.widgets.TextAreaInput(
        name=label, max_length=MAX_QUESTION, rows=2, sizing_mode="stretch_width", styles=FIELD
    )


def fields(*widgets) -> pn.FlexBox:
    """Fields side by side that wrap one under the other on a narrow screen."""
    return pn.FlexBox(*widgets, flex_wrap="wrap", gap="0 1rem", sizing_mode="stretch_width")


def template_choices(lang: str) -> dict[str, str]:
    """The bundled templates by their titles in ``lang`` (the file's name when unreadable)."""
    choices = {}
    for name, path in templates.bundled().items():
        try:
            found = store.load(path)
            title = (found.title_cy if lang == "cy" else "") or found.title
        except (FormatError, OSError):
            title = name
        choices[f"{title} ({name})"] = name
    return choices


def new_workshop_form(on_made, lang: str = "en") -> pn.viewable.Viewable:
    """The form that starts a workshop; ``on_made(path)`` runs once its first iteration is
    written (the page refreshes its list), then the browser opens its board."""
    choices = template_choices(lang)
    names = list(choices.values())
    template = pn.widgets.Select(
        name=t("template"),
        options=choices,
        value=DEFAULT_TEMPLATE if DEFAULT_TEMPLATE in names else names[0],
        sizing_mode="stretch_width",
        styles=FIELD,
    )
    title = _text(t("setup_title"), MAX_TITLE, placeholder=t("setup_title_hint"))
    title_cy = _text(t("setup_title_cy"), MAX_TITLE)
    name = _text(t("workshop_name"), 40, placeholder=t("setup_name_hint"))
    date = pn.widgets.DatePicker(
        name=t("date_col"), value=dt.date.today(), sizing_mode="stretch_width", styles=FIELD
    )
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
        fields(template, date),
        fields(title, title_cy),
        fields(name, facilitator),
        fields(question, question_cy),
        create,
        result,
        go,
        sizing_mode="stretch_width",
    )
