// Compare mode: this board against an earlier iteration. Every change is listed, badged on
// its card, removed and moved notes leave a ghost where they were, arrows show the moves.

import {h, select, svg} from "./dom.js"
import {HORIZONS} from "./context.js"

const KINDS = ["added", "removed", "moved", "edited", "horizon", "anchor", "polarity"]

export function install(B) {
  const {state, t} = B
  const M = B.metrics
  const [NOTE_W, NOTE_H] = [M.note_w, M.face_h]
  const toPx = B.toPx

  function changeBadge(change, n) {
    const b = change.before
    const parts = []
    for (const kind of change.kinds) {
      if (kind === "added") parts.push(t("badge_added"))
      else if (kind === "removed") parts.push(t("badge_removed"))
      else if (kind === "moved") parts.push(t("badge_moved"))
      else if (kind === "edited") parts.push(t("badge_edited"))
      else if (kind === "horizon") parts.push(`${b.horizon}→${n ? n.horizon : "?"}`)
      else if (kind === "anchor") parts.push(t("badge_anchor"))
      else if (kind === "polarity") parts.push(`H2${b.polarity || ""}→H2${n?.polarity || ""}`)
    }
    return parts.join(" · ")
  }

  function changeText(change) {
    const n = state.notes.get(change.id)
    const text = n ? n.text : change.before?.text || ""
    return `${changeBadge(change, n)}: ${text || t("empty_note")}`
  }

  function arrowHead() {
    const marker = svg("marker", {id: "thc-arrowhead", viewBox: "0 0 10 10", refX: "9", refY: "5", markerWidth: "8",
      markerHeight: "8", orient: "auto-start-reverse"})
    marker.append(svg("path", {d: "M 0 0 L 10 5 L 0 10 z", fill: "#4a5360"}))
    const defs = svg("defs")
    defs.append(marker)
    return defs
  }

  function setupCompare(payload) {
    if (!payload || !payload.changes) return
    state.cmp = {...payload, byId: new Map(payload.changes.map((c) => [c.id, c])), filter: {kind: "", horizon: "", anchor: ""}}
    const {ghostLayer, arrows} = B.el
    ghostLayer.replaceChildren()
    arrows.replaceChildren(arrowHead())
    for (const c of payload.changes) {
      if (!c.before) continue
      const [left, top] = toPx(c.before.x, c.before.y, NOTE_W, NOTE_H)
      if (c.kinds.includes("removed") || c.kinds.includes("moved")) {
        const ghost = h("div", {cls: "thc-ghost", "data-id": c.id, "data-kind": c.kinds.includes("removed") ? "removed" : "moved",
          text: c.before.text || t("empty_note")})
        ghost.style.left = `${left}px`
        ghost.style.top = `${top}px`
        ghostLayer.append(ghost)
      }
      const now = state.notes.get(c.id)
      if (c.kinds.includes("moved") && now) {
        const [nl, nt, ns] = B.cardOf(now)
        arrows.append(svg("line", {x1: left + NOTE_W / 2, y1: top + NOTE_H / 2, x2: nl + (NOTE_W * ns) / 2, y2: nt + (NOTE_H * ns) / 2,
          class: "thc-arrow", "marker-end": "url(#thc-arrowhead)"}))
      }
    }
  }

  function cmpMatches(c) {
    const f = state.cmp.filter
    const n = state.notes.get(c.id) || c.before
    if (f.kind && !c.kinds.includes(f.kind)) return false
    if (f.horizon && n.horizon !== f.horizon && c.before?.horizon !== f.horizon) return false
    if (f.anchor && n.anchor !== f.anchor && c.before?.anchor !== f.anchor) return false
    return true
  }

  function focusChange(c, moveFocus = true) {
    if (state.notes.has(c.id)) { B.revealNote(c.id, moveFocus); return }
    const ghost = B.el.ghostLayer.querySelector(`[data-id="${CSS.escape(c.id)}"]`)
    if (!ghost || !c.before) return
    const [left, top] = toPx(c.before.x, c.before.y, NOTE_W, NOTE_H)
    B.centreOn(left + NOTE_W / 2, top + NOTE_H / 2)
    for (const g of B.el.ghostLayer.children) g.classList.toggle("focused", g === ghost)
    B.announce(changeText(c))
  }

  function changeList(shown) {
    const list = h("ol", {cls: "thc-change-list"})
    for (const c of shown) {
      list.append(h("li", {}, h("button", {type: "button", cls: "thc-list-note", "data-change": c.id,
        text: changeText(c), onclick: () => focusChange(c)})))
    }
    list.addEventListener("keydown", (e) => {
      if (e.key !== "ArrowDown" && e.key !== "ArrowUp") return
      const buttons = [...list.querySelectorAll("button")]
      const i = buttons.indexOf(B.activeEl())
      const next = buttons[i + (e.key === "ArrowDown" ? 1 : -1)]
      if (!next) return
      e.preventDefault()
      next.focus()
      // Stepping shows each change on the board but keeps the focus in the list.
      const change = state.cmp.byId.get(next.dataset.change)
      if (change) focusChange(change, false)
    })
    return list
  }

  function renderCompare() {
    const cmp = state.cmp
    const box = B.el.compareBox
    if (!cmp) { box.hidden = true; return }
    box.hidden = false
    const f = cmp.filter
    const onChange = (key) => (v) => { f[key] = v; renderCompare() }
    const counts = cmp.counts
    const parts = [
      h("h2", {text: t("changes_since", {n: cmp.against.iteration, title: cmp.against.title})}),
      h("p", {cls: "thc-counts", "data-added": counts.added, "data-updated": counts.updated, "data-removed": counts.removed,
        text: t("change_counts", {added: counts.added, updated: counts.updated, removed: counts.removed})}),
      h("p", {cls: "thc-vote-totals", text: t("vote_totals", {iteration: cmp.against.iteration, ...cmp.votes})}),
      select(t("kind_of_change"), [["", t("all")], ...KINDS.map((k) => [k, t("change_" + k)])], f.kind, onChange("kind")),
      select(t("horizon"), [["", t("all")], ...HORIZONS.map((x) => [x, x])], f.horizon, onChange("horizon")),
      select(t("anchor"), B.anchorOptions(t("all")), f.anchor, onChange("anchor")),
      changeList(cmp.changes.filter(cmpMatches)),
    ]
    if (cmp.summary?.length) {
      const ul = h("ul")
      for (const line of cmp.summary) ul.append(h("li", {text: line}))
      parts.push(h("h3", {text: t("per_anchor")}), ul)
    }
    const focused = B.activeEl()?.dataset?.change
    box.replaceChildren(...parts)
    if (focused) box.querySelector(`[data-change="${CSS.escape(focused)}"]`)?.focus()
  }

  function wordDiffBlock(change) {
    if (!change?.words) return null
    const p = h("p", {cls: "thc-words", "aria-label": t("text_changes")})
    for (const [op, token] of change.words) {
      p.append(op === "equal" ? document.createTextNode(token) : h(op === "insert" ? "ins" : "del", {text: token}))
    }
    return h("div", {}, h("h3", {text: t("text_changes")}), p)
  }

  Object.assign(B, {changeBadge, setupCompare, renderCompare, wordDiffBlock})
}
