// Ways out of the board and back: compare with any earlier iteration (compare mode reads
// only; the facilitator has an explicit switch to edit), leave compare mode, and for the
// facilitator the workshop's trends and the workshops page. Links keep the page's own
// access (its code, its language): only the session's arguments change.

import {h} from "../dom.js"

export function install(B) {
  const {state, t} = B

  function href(changes) {
    const url = new URL(window.location.href)
    for (const [key, value] of Object.entries(changes)) {
      if (value === null) url.searchParams.delete(key)
      else url.searchParams.set(key, value)
    }
    return url.toString()
  }

  const link = (text, to, attrs = {}) => h("a", {href: to, text, cls: "thc-link", ...attrs})

  function modeLine() {
    if (!state.cmp) return null
    const editing = !B.readOnly
    const parts = [h("strong", {text: editing ? t("compare_editing") : t("compare_read_only")})]
    if (B.role === "facilitator") {
      parts.push(" ", link(editing ? t("stop_editing") : t("edit_board"), href({edit: editing ? null : "1"}),
        {"data-action": "edit-switch", role: "button"}))
    }
    parts.push(" ", link(t("leave_compare"), href({compare: null, edit: null}), {"data-action": "leave-compare"}))
    return h("p", {cls: "thc-mode"}, ...parts)
  }

  function renderNav() {
    const box = B.el.navBox
    const earlier = B.model.iterations || []
    const lead = B.role === "facilitator"
    if (!earlier.length && !lead) { box.hidden = true; return }
    box.hidden = false
    const against = state.cmp?.against?.name
    const items = earlier.slice().reverse().map((it) => h("li", {}, link(t("compare_with", {n: it.number}),
      href({compare: it.name, edit: null}), it.name === against ? {"aria-current": "page"} : {})))
    const workshop = (B.model.session_name || "").split("/")[0]
    const parts = [modeLine()]
    if (items.length) parts.push(h("ul", {cls: "thc-nav-list", "aria-label": t("compare_iterations")}, ...items))
    if (lead) {
      parts.push(h("p", {cls: "thc-row"},
        link(t("trends"), `./trends?workshop=${encodeURIComponent(workshop)}&lang=${B.lang}`, {"data-action": "trends"}),
        link(t("workshops"), `./workshops?lang=${B.lang}`, {"data-action": "workshops"})))
    }
    box.replaceChildren(...parts.filter(Boolean))
  }

  Object.assign(B, {renderNav})
}
