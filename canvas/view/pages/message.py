"""A page that only says something: an error, or "you need a code", with where to go next."""

from __future__ import annotations

import panel as pn

from canvas.view.pages.render import render
from canvas.view.pages.site import START_ROUTE, t


def message_page(text: str, *, signin: bool = False) -> pn.viewable.Viewable:
    if signin:
        links = [
            {"href": "./signin", "label": t("sign_in")},
            {"href": "./join", "label": t("join_with_code")},
        ]
    else:
        links = [{"href": f"./{START_ROUTE}", "label": t("all_workshops")}]
    return pn.pane.HTML(render("message.html", text=text, links=links))
