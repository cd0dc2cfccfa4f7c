// Where each card goes. The server lays the board out (canvas/domain/layout.py) and sends
// the result: every anchor's box, its zone, every note's card (top-left, scale, height at full
// size), the horizon labels and the frames. The board draws from it and never guesses, so the
// browser, the HTML export and the poster show one picture.
//
// Semantic zoom: the notes of a zone are drawn at the zone's scale, which is often too small
// to read; then the zone shows one card, its "face" (the top-voted note, one line, with the
// count of the others), until the view is zoomed in far enough for its notes to read at 11 px.

import {clamp} from "./dom.js"

export const READABLE = 11  // px: no text on the board is shown smaller

export function install(B) {
  const {state} = B
  const M = B.metrics
  const [W, H] = [M.world_w, M.world_h]
  B.W = W
  B.H = H
  // Board units (0 to 1, y up, as the file keeps them) and world pixels (y down).
  B.toPx = (x, y, w, hgt) => [clamp(x * W, 0, W - w), clamp((1 - y) * H, 0, H - hgt)]
  B.toUnit = (left, top) => [clamp(left / W, 0, 1), clamp(1 - top / H, 0, 1)]
  const L = (state.layout = {anchors: new Map(), zones: new Map(), notes: new Map(), labels: {}, frames: {}, order: []})
  const zoneScale = new Map()

  function setLayout(wire) {
    L.anchors = new Map(Object.entries(wire.anchors || {}))
    L.zones = new Map(Object.entries(wire.zones || {}))
    L.notes = new Map(Object.entries(wire.notes || {}))
    L.labels = wire.labels || {}
    L.frames = wire.frames || {}
    L.order = wire.order || []
    rescale()
  }

  function patchLayout(delta) {
    if (!delta) return
    if (delta.anchors) { setLayout(delta); return }
    for (const [id, card] of Object.entries(delta.notes || {})) {
      if (card) L.notes.set(id, card)
      else L.notes.delete(id)
    }
  }

  function rescale() {
    zoneScale.clear()
    for (const n of state.notes.values()) {
      const card = L.notes.get(n.id)
      if (card && n.anchor && L.zones.has(n.anchor)) zoneScale.set(n.anchor, card[2])
    }
  }

  // Whether a zone's notes read at the current zoom.
  const zoneOpen = (anchorId) => M.note_size * (zoneScale.get(anchorId) ?? 1) * state.view.scale >= READABLE - 0.01

  // A note's card as [x, y, scale, height] in world pixels; free notes without a layout yet
  // (just written) sit at their own position at full size.
  function cardOf(n) {
    const card = L.notes.get(n.id)
    if (card) return card
    const [x, y] = B.toPx(n.x, n.y, M.note_w, 0)
    return [x, y, 1, 0]
  }

  const inZone = (n) => !!n.anchor && L.zones.has(n.anchor) && L.notes.has(n.id)

  // A face's box: the zone's top-left, one line high, as wide as the zone (smaller if the
  // zone is).
  function faceBox(anchorId) {
    const [x, y, w, hgt] = L.zones.get(anchorId)
    const s = Math.min(1, hgt / M.face_h)
    return {x, y, w: w / s, s}
  }

  Object.assign(B, {setLayout, patchLayout, rescaleZones: rescale, zoneOpen, cardOf, inZone, faceBox})
}
