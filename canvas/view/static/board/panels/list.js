// Every note as a list, by horizon and anchor: the board's accessible twin. Choosing a note
// here selects it; "show on board" brings the board to it.

import {button, h} from "../dom.js"
import {HORIZONS} from "../context.js"
import {READABLE} from "../places.js"

export function install(B) {
  const {state, t, L} = B

  function revealNote(id, moveFocus = true) {
    const n = state.notes.get(id)
    if (!n) return
    if (!B.matches(n)) {
      Object.assign(state.filter, {horizon: "", kind: "", anchor: "", persona: "", author: "", tag: "", minVotes: 0, search: "", since: 0})
      B.renderFilters()
    }
    // Zoom in until the note reads (at 14 px), then centre it.
    const M = B.metrics
    const [x, y, s, hgt] = B.cardOf(n)
    B.centreOn(x + (M.note_w * s) / 2, y + ((hgt || 100) * s) / 2, (READABLE * 1.3) / (M.note_size * s))
    B.cull()
    B.selectNote(id)
    if (moveFocus) state.cards.get(id)?.focus()
  }

  const titleOf = (key) => (key ? L(state.anchors.get(key), "title") || key : "~")

  function groupSection(hz, byAnchor) {
    const section = h("section", {cls: "thc-group", "aria-label": hz})
    section.append(h("h3", {text: `${hz} · ${t(hz.toLowerCase() + "_name")}`}))
    const keys = [...byAnchor.keys()].sort((a, b) => titleOf(a).localeCompare(titleOf(b)))
    if (!keys.length) section.append(h("p", {cls: "thc-hint", text: t("no_notes")}))
    for (const key of keys) {
      const a = key && state.anchors.get(key)
      section.append(h("h4", {text: a ? `${t("kind_" + a.kind)}: ${L(a, "title")}` : t("not_on_anchor")}))
      const ul = h("ul")
      for (const n of byAnchor.get(key).sort((p, q) => (q.votes || 0) - (p.votes || 0) || p.id.localeCompare(q.id))) {
        const item = h("button", {type: "button", cls: "thc-list-note", "data-id": n.id,
          "aria-label": B.noteLabel(n), text: n.text || t("empty_note"),
          onclick: () => { B.selectNote(n.id); B.el.details.querySelector("textarea")?.focus() }})
        ul.append(h("li", {}, item))
      }
      section.append(ul)
    }
    return section
  }

  function renderList() {
    const groups = new Map(HORIZONS.map((hz) => [hz, new Map()]))
    for (const n of state.notes.values()) {
      if (!B.matches(n)) continue
      const byAnchor = groups.get(n.horizon)
      const key = n.anchor || ""
      if (!byAnchor.has(key)) byAnchor.set(key, [])
      byAnchor.get(key).push(n)
    }
    const parts = [h("h2", {text: t("all_notes")})]
    if (B.canWrite) parts.push(button(t("add_note"), () => B.startDraftAtCentre(), {"data-action": "add-from-list"}))
    for (const [hz, byAnchor] of groups) parts.push(groupSection(hz, byAnchor))
    const box = B.el.listBox
    const focused = B.activeEl()?.dataset?.id
    const hadFocus = box.contains(B.activeEl())
    box.replaceChildren(...parts)
    B.refreshWriting?.()
    if (hadFocus && focused) box.querySelector(`[data-id="${CSS.escape(focused)}"]`)?.focus()
  }

  Object.assign(B, {revealNote, renderList})
}
