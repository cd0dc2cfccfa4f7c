// Only notes near the visible part of the board get a card: 5,000 notes stay responsive.

import {NOTE_H, NOTE_W, toPx} from "./camera.js"

const MARGIN = 200

export function install(B) {
  const {state} = B
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

  function cull() {
    const [x0, y0, x1, y1] = visibleRect()
    const focused = B.activeEl()
    for (const n of state.notes.values()) {
      const [left, top] = toPx(n.x, n.y, NOTE_W, NOTE_H)
      const inside = left + NOTE_W >= x0 && left <= x1 && top + NOTE_H >= y0 && top <= y1
      const card = state.cards.get(n.id)
      const show = (inside && B.matches(n)) || state.editing?.id === n.id || (card && focused === card)
      if (show && !card) B.noteCard(n)
      else if (!show && card) { card.remove(); state.cards.delete(n.id) }
    }
    for (const [id, card] of state.anchorCards) {
      const a = state.anchors.get(id)
      card.classList.toggle("dimmed", !!state.filter.anchor && state.filter.anchor !== id ||
        !!state.filter.kind && a.kind !== state.filter.kind)
    }
  }

  Object.assign(B, {scheduleCull, cull})
}
