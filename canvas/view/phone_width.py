"""A page laid out at the phone's own width.

Panel's page template has no viewport tag, so a phone lays a Panel page out 980 px wide and
shrinks it until nothing can be read; the board sets its own, the other pages add this.
"""

from __future__ import annotations

from panel.custom import JSComponent


class PhoneWidth(JSComponent):
    """Lays the page out at the phone's own width (Panel's page has no viewport tag)."""

    _esm = """
export function render() {
  if (document.querySelector('meta[name="viewport"]')) return
  const meta = document.createElement("meta")
  meta.name = "viewport"
  meta.content = "width=device-width, initial-scale=1"
  document.head.append(meta)
}
"""
