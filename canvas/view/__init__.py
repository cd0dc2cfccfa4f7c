"""The views: Panel pages, the board component and its ES modules, trends and exports.

Panel, HoloViews, Bokeh, Tornado and Jinja2 live here and nowhere below. May import the live
layer, the format and the domain.
"""
