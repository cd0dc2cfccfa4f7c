// Opening an anchor: its notes spread out beside it at a size that reads (14 px at the
// current zoom), however crowded its zone is, above the rest of the board until closed
// (Escape, the close button, a click elsewhere on the board, or opening another anchor).

import {button, h} from "./dom.js"
import {READABLE} from "./places.js"

const SPREAD_PX = 14
const GAP = 12  // screen pixels between the spread's cards

export function install(B) {
  const {state, t, L} = B
  const M = B.metrics
  let backdrop = null

  function openAnchor(anchorId) {
    if (!state.layout.zones.has(anchorId) || !B.countOn(anchorId)) return
    state.spread = anchorId
    const a = state.anchors.get(anchorId)
    B.announce(t("spread_open", {title: L(a, "title"), n: B.countOn(anchorId)}))
    B.cull()
  }

  function closeSpread() {
    if (!state.spread) return
    state.spread = null
    backdrop?.remove()
    backdrop = null
    B.cull()
  }

  // The notes of the open anchor, best first, each with its place: {id -> place}.
  function spreadPlaces(notes) {
    const view = state.view.scale
    const k = Math.max(...notes.map((n) => B.cardOf(n)[2]), SPREAD_PX / (M.note_size * view))
    const gap = GAP / view
    const head = 48 / view  // the spread's title bar
    const r = B.el.viewport.getBoundingClientRect()
    const [vx0, vy0] = B.clientToWorld(r.left, r.top)
    const [vx1, vy1] = B.clientToWorld(r.right, r.bottom)
    const colW = M.note_w * k
    const heights = notes.map((n) => (B.cardOf(n)[3] || M.face_h) * k)
    const maxCols = Math.max(1, Math.floor((vx1 - vx0 - 2 * gap) / (colW + gap)))
    let cols = 1
    let tops = []
    for (cols = 1; cols <= maxCols; cols++) {
      tops = new Array(cols).fill(0)
      for (const hgt of heights) { const i = tops.indexOf(Math.min(...tops)); tops[i] += hgt + gap }
      if (Math.max(...tops) <= vy1 - vy0 - 3 * gap - head) break
    }
    cols = Math.min(cols, maxCols)
    const width = cols * (colW + gap) + gap
    const height = Math.max(...tops) + gap * 2 + head
    const zone = state.layout.zones.get(state.spread)
    const x0 = Math.min(Math.max(zone[0], vx0 + gap), Math.max(vx0 + gap, vx1 - gap - width))
    const y0 = Math.min(Math.max(zone[1], vy0 + gap), Math.max(vy0 + gap, vy1 - gap - height))
    drawBackdrop(x0, y0, width, height)
    const places = new Map()
    const col = new Array(cols).fill(0)
    notes.forEach((n, i) => {
      const c = col.indexOf(Math.min(...col))
      places.set(n.id, {mode: "spread", x: x0 + gap + c * (colW + gap), y: y0 + head + gap + col[c], s: k,
        w: M.note_w, h: heights[i] / k, more: 0})
      col[c] += heights[i] + gap
    })
    return places
  }

  function drawBackdrop(x, y, w, hgt) {
    const a = state.anchors.get(state.spread)
    if (!backdrop) {
      backdrop = h("div", {cls: "thc-spread", role: "group"})
      B.el.world.append(backdrop)
    }
    const k = 1 / state.view.scale
    backdrop.setAttribute("aria-label", t("spread_label", {title: L(a, "title")}))
    Object.assign(backdrop.style, {left: `${x}px`, top: `${y}px`, width: `${w}px`, height: `${hgt}px`,
      "--spread-k": String(k)})
    const title = h("div", {cls: "thc-spread-title", text: L(a, "title")})
    const close = button("×", closeSpread, {cls: "thc-btn thc-spread-close", "aria-label": t("spread_close")})
    backdrop.replaceChildren(title, close)
  }

  // The open anchor's notes that the filters let through, top-voted first.
  function spreadNotes() {
    if (!state.spread) return []
    const notes = [...state.notes.values()].filter((n) => n.anchor === state.spread && B.inZone(n) && B.matches(n))
    if (!notes.length) { closeSpread(); return [] }
    return notes.sort((p, q) => (q.votes || 0) - (p.votes || 0) || B.cardOf(p)[0] - B.cardOf(q)[0] ||
      B.cardOf(p)[1] - B.cardOf(q)[1])
  }

  B.el.viewport.addEventListener("pointerdown", (e) => {
    if (state.spread && !e.target.closest(".thc-spread, .thc-note, .thc-more")) closeSpread()
  }, true)

  Object.assign(B, {openAnchor, closeSpread, spreadPlaces, spreadNotes, READABLE})
}
