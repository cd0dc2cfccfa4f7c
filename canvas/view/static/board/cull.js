// Which cards the board shows, and how: one pass over the notes after every change of view
// or of the board. Only cards near the visible part of the board exist (5,000 notes stay
// responsive); a zone too small to read at this zoom shows only its face.

const MARGIN = 200  // world pixels around the view where cards are kept ready
// More loose notes in view than this and they show as piles with their counts (piles.js)
// until the view is zoomed in.
const LOOSE_BUDGET = 250

export function install(B) {
  const {state} = B
  const M = B.metrics
  let queued = false

  function scheduleCull() {
    if (queued) return
    queued = true
    requestAnimationFrame(() => { queued = false; cull() })
  }

  function visibleRect() {
    const r = B.el.viewport.getBoundingClientRect()
    const [x0, y0] = B.clientToWorld(r.left, r.top)
    const [x1, y1] = B.clientToWorld(r.right, r.bottom)
    return [x0 - MARGIN, y0 - MARGIN, x1 + MARGIN, y1 + MARGIN]
  }

  // For each collapsed zone: its face (a selected note if there is one, so that what someone
  // works with comes to the front; else the top-voted note the filters let through, the first
  // placed of equals) and how many others it stands for.
  function facesOf(open) {
    const faces = new Map()
    for (const n of state.notes.values()) {
      if (!B.inZone(n) || open.get(n.anchor) || !B.matches(n)) continue
      const best = faces.get(n.anchor)
      if (!best) { faces.set(n.anchor, {note: n, count: 1}); continue }
      best.count += 1
      if (ahead(n, best.note)) best.note = n
    }
    return faces
  }

  function ahead(a, b) {
    const sa = state.selected.has(a.id)
    if (sa !== state.selected.has(b.id)) return sa
    const va = a.votes || 0
    const vb = b.votes || 0
    if (va !== vb) return va > vb
    const ca = B.cardOf(a)
    const cb = B.cardOf(b)
    return ca[0] !== cb[0] ? ca[0] < cb[0] : ca[1] < cb[1]
  }

  // Where a note's card goes now: {mode, x, y, s, w, h, more}.
  function placeOf(n, open, faces) {
    const [x, y, s, hgt] = B.cardOf(n)
    if (!B.inZone(n)) return {mode: "free", x, y, s, w: M.note_w, h: hgt, more: 0}
    if (open.get(n.anchor)) return {mode: "open", x, y, s, w: M.note_w, h: hgt, more: 0}
    const face = faces.get(n.anchor)
    if (face?.note.id !== n.id) return {mode: "stacked", x, y, s, w: 0, h: 0, more: 0}
    const box = B.faceBox(n.anchor)
    return {mode: "face", x: box.x, y: box.y, s: box.s, w: box.w, h: M.face_h, more: face.count - 1}
  }

  const overlaps = (p, x0, y0, x1, y1) =>
    p.x + p.w * p.s >= x0 && p.x <= x1 && p.y + Math.max(p.h, M.face_h) * p.s >= y0 && p.y <= y1

  // Whether the loose notes in view are too many to draw as cards.
  function crowded() {
    const r = B.el.viewport.getBoundingClientRect()
    const [x0, y0] = B.clientToWorld(r.left, r.top)
    const [x1, y1] = B.clientToWorld(r.right, r.bottom)
    let count = 0
    for (const n of state.notes.values()) {
      if (B.inZone(n)) continue
      const [x, y] = B.cardOf(n)
      if (x + M.note_w >= x0 && x <= x1 && y + M.face_h >= y0 && y <= y1 && ++count > LOOSE_BUDGET) return true
    }
    return false
  }

  function cull() {
    const [x0, y0, x1, y1] = visibleRect()
    const focused = B.activeEl()
    const open = new Map()
    for (const id of state.layout.zones.keys()) open.set(id, B.zoneOpen(id))
    const faces = facesOf(open)
    const spread = B.spreadNotes()
    const spreading = spread.length ? B.spreadPlaces(spread) : null
    const piles = crowded() ? B.gatherPiles() : null
    const near = ([x, y, w, hgt]) => x + w >= x0 && x <= x1 && y + hgt >= y0 && y <= y1
    for (const n of state.notes.values()) {
      let card = state.cards.get(n.id)
      const held = state.selected.has(n.id) || state.editing?.id === n.id || (card && focused === card)
      // Most notes are far from the view, or stacked behind a face, and have no card: leave
      // them at once (5,000 notes are gone through after every pan).
      if (!spreading && !held) {
        if (B.inZone(n)) {
          if (!card && (!near(state.layout.zones.get(n.anchor)) || (!open.get(n.anchor) && faces.get(n.anchor)?.note !== n))) continue
        } else {
          const [x, y] = B.cardOf(n)
          if (!near([x, y, M.note_w, M.face_h]) && !card) continue
          if (piles) {
            if (B.matches(n) && near([x, y, M.note_w, M.face_h])) B.addToPile(piles, n)
            if (card) { card.remove(); state.cards.delete(n.id) }
            continue
          }
        }
      }
      const place = spreading?.get(n.id) || placeOf(n, open, faces)
      const wanted = place.mode === "spread" ||
        (place.mode !== "stacked" && overlaps(place, x0, y0, x1, y1) && (place.mode === "face" || B.matches(n)))
      if (!wanted && !held) {
        if (card) { card.remove(); state.cards.delete(n.id) }
        continue
      }
      if (!card) card = B.noteCard(n)
      if (!card.classList.contains("dragging") && state.editing?.id !== n.id) B.placeCard(card, place)
    }
    for (const [id, card] of state.anchorCards) {
      const a = state.anchors.get(id)
      card.classList.toggle("dimmed", !!state.filter.anchor && state.filter.anchor !== id ||
        !!state.filter.kind && a.kind !== state.filter.kind)
    }
    B.drawPiles(piles)
    state.frame = {open, faces}
  }

  Object.assign(B, {scheduleCull, cull, placeOf})
}
