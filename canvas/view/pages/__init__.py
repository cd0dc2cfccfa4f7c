"""The served pages, each thin: the board, the workshops page, sign-in and join, exports and
trends. Each page module builds one page from the layers below; :mod:`canvas.view.server`
routes them. HTML other than Panel's comes from Jinja2 templates (:mod:`.render`).
"""
