// Pointer gestures on the board: drag notes (onto an anchor to attach), drag anchors
// (facilitator), lasso-select, pan (middle button or space), pinch and wheel zoom, and
// double-click to write a note. One operation is sent per finished gesture.

import {clamp} from "./dom.js"

export function install(B) {
  const {state} = B
  const M = B.metrics
  const [W, H] = [B.W, B.H]
  const {viewport, lasso} = B.el
  const pointers = new Map()
  let gesture = null
  B.keys = {space: false}
  B.gesturing = () => !!gesture

  // The anchor under a point: its card or its zone (dropping a note in a zone attaches it).
  function anchorAt(clientX, clientY, exceptId) {
    const [wx, wy] = B.clientToWorld(clientX, clientY)
    const within = ([x, y, w, hgt], pad) => wx >= x - pad && wx <= x + w + pad && wy >= y - pad && wy <= y + hgt + pad
    for (const [id, box] of state.layout.anchors) if (id !== exceptId && state.anchors.has(id) && within(box, 6)) return id
    for (const [id, box] of state.layout.zones) if (id !== exceptId && state.anchors.has(id) && within(box, 0)) return id
    return null
  }

  // Where a card is drawn now (its style), in world pixels.
  const drawnAt = (card) => [parseFloat(card.style.left) || 0, parseFloat(card.style.top) || 0]

  function startNotes(e, noteEl) {
    const id = noteEl.dataset.id
    if (!state.selected.has(id) || e.shiftKey) B.selectNote(id, e.shiftKey)
    const ids = [...state.selected].filter((i) => state.notes.has(i) && B.canEditNote(state.notes.get(i)) && state.cards.has(i))
    gesture = {kind: "notes", ids, start: [e.clientX, e.clientY], moved: false,
      origin: new Map(ids.map((i) => [i, drawnAt(state.cards.get(i))]))}
  }

  viewport.addEventListener("pointerdown", (e) => {
    pointers.set(e.pointerId, [e.clientX, e.clientY])
    if (pointers.size === 2) { startPinch(); return }
    if (e.button === 1 || (e.button === 0 && B.keys.space)) { startPan(e); return }
    if (e.button !== 0) return
    const noteEl = e.target.closest(".thc-note")
    const anchorEl = e.target.closest(".thc-anchor")
    if (noteEl && !noteEl.classList.contains("draft")) {
      startNotes(e, noteEl)
      e.preventDefault()
    } else if (anchorEl) {
      const id = anchorEl.dataset.id
      B.selectAnchor(id)
      if (B.canShape) {
        const a = state.anchors.get(id)
        gesture = {kind: "anchor", id, start: [e.clientX, e.clientY], moved: false, origin: drawnAt(state.anchorCards.get(a.id))}
      }
      e.preventDefault()
    } else if (!e.target.closest("textarea")) {
      const [wx, wy] = B.clientToWorld(e.clientX, e.clientY)
      gesture = {kind: "lasso", start: [e.clientX, e.clientY], world: [wx, wy], moved: false, add: e.shiftKey}
    }
  })

  function dragNotes(e, dx, dy) {
    const k = state.view.scale
    for (const id of gesture.ids) {
      const card = state.cards.get(id)
      const [l, tp] = gesture.origin.get(id)
      if (!card) continue
      card.style.left = `${clamp(l + dx / k, 0, W - 40)}px`
      card.style.top = `${clamp(tp + dy / k, 0, H - 40)}px`
      card.classList.add("dragging")
    }
    const over = gesture.ids.length === 1 ? anchorAt(e.clientX, e.clientY) : null
    for (const [id, card] of state.anchorCards) card.classList.toggle("drop-target", id === over)
  }

  viewport.addEventListener("pointermove", (e) => {
    if (pointers.has(e.pointerId)) pointers.set(e.pointerId, [e.clientX, e.clientY])
    if (!gesture) return
    if (gesture.kind === "pinch") { movePinch(); return }
    const dx = e.clientX - gesture.start[0]
    const dy = e.clientY - gesture.start[1]
    if (!gesture.moved && Math.hypot(dx, dy) < 4) return
    if (!gesture.moved) {
      // Capture only once a drag has begun: a captured pointer retargets click and
      // dblclick to the viewport, and double-click must still reach the card under it.
      try { viewport.setPointerCapture(e.pointerId) } catch (err) { /* pointer already gone */ }
    }
    gesture.moved = true
    const k = state.view.scale
    if (gesture.kind === "pan") {
      B.panBy(gesture.view.tx + dx - state.view.tx, gesture.view.ty + dy - state.view.ty)
    } else if (gesture.kind === "notes") dragNotes(e, dx, dy)
    else if (gesture.kind === "anchor") {
      const card = state.anchorCards.get(gesture.id)
      card.style.left = `${clamp(gesture.origin[0] + dx / k, 0, W - M.anchor_w)}px`
      card.style.top = `${clamp(gesture.origin[1] + dy / k, 0, H - 40)}px`
    } else if (gesture.kind === "lasso") {
      const r = viewport.getBoundingClientRect()
      const x0 = Math.min(e.clientX, gesture.start[0]) - r.left
      const y0 = Math.min(e.clientY, gesture.start[1]) - r.top
      Object.assign(lasso.style, {left: `${x0}px`, top: `${y0}px`, width: `${Math.abs(dx)}px`, height: `${Math.abs(dy)}px`})
      lasso.hidden = false
    }
  })

  function dropNotes(e, g) {
    const moves = []
    for (const id of g.ids) {
      const card = state.cards.get(id)
      card?.classList.remove("dragging")
      if (!card) continue
      const [x, y] = B.toUnit(...drawnAt(card))
      moves.push({id, x, y})
    }
    if (moves.length === 1) {
      const over = anchorAt(e.clientX, e.clientY)
      const op = {op: "move", id: moves[0].id, x: moves[0].x, y: moves[0].y}
      if (over) op.anchor = over
      B.send(op)
    } else if (moves.length) B.send({op: "move_many", moves})
  }

  function endLasso(e, g) {
    lasso.hidden = true
    if (!g.moved) { if (!g.add) B.clearSelection(); return }
    const [wx, wy] = B.clientToWorld(e.clientX, e.clientY)
    const [x0, x1] = [Math.min(wx, g.world[0]), Math.max(wx, g.world[0])]
    const [y0, y1] = [Math.min(wy, g.world[1]), Math.max(wy, g.world[1])]
    if (!g.add) state.selected.clear()
    for (const n of state.notes.values()) {
      if (!B.matches(n)) continue
      const [left, top, s, hgt] = B.cardOf(n)
      if (left + M.note_w * s >= x0 && left <= x1 && top + (hgt || 100) * s >= y0 && top <= y1) state.selected.add(n.id)
    }
    state.selectedAnchor = null
    B.refreshSelection()
    B.announce(B.t("selected_count", {n: state.selected.size}))
  }

  function endGesture(e) {
    pointers.delete(e.pointerId)
    const g = gesture
    if (!g) return
    if (g.kind === "pinch") { if (pointers.size < 2) gesture = null; return }
    gesture = null
    for (const card of state.anchorCards.values()) card.classList.remove("drop-target")
    if (e.type === "pointercancel") { lasso.hidden = true; return }
    if (g.kind === "notes" && g.moved) dropNotes(e, g)
    else if (g.kind === "notes" && !g.moved) state.cards.get(g.ids[0])?.focus()
    else if (g.kind === "anchor" && g.moved) {
      const [x, y] = B.toUnit(...drawnAt(state.anchorCards.get(g.id)))
      B.send({op: "anchor_move", id: g.id, x, y})
    } else if (g.kind === "anchor") state.anchorCards.get(g.id)?.focus()
    else if (g.kind === "lasso") endLasso(e, g)
  }
  viewport.addEventListener("pointerup", endGesture)
  viewport.addEventListener("pointercancel", endGesture)

  function startPan(e) {
    gesture = {kind: "pan", start: [e.clientX, e.clientY], view: {...state.view}, moved: false}
    viewport.setPointerCapture(e.pointerId)
  }

  function startPinch() {
    const [a, b] = [...pointers.values()]
    gesture = {kind: "pinch", dist: Math.hypot(a[0] - b[0], a[1] - b[1]), mid: [(a[0] + b[0]) / 2, (a[1] + b[1]) / 2]}
  }

  function movePinch() {
    const [a, b] = [...pointers.values()]
    const dist = Math.hypot(a[0] - b[0], a[1] - b[1])
    const mid = [(a[0] + b[0]) / 2, (a[1] + b[1]) / 2]
    const r = viewport.getBoundingClientRect()
    B.panBy(mid[0] - gesture.mid[0], mid[1] - gesture.mid[1])
    if (gesture.dist > 0) B.zoomBy(dist / gesture.dist, mid[0] - r.left, mid[1] - r.top)
    gesture.dist = dist
    gesture.mid = mid
  }

  viewport.addEventListener("wheel", (e) => {
    e.preventDefault()
    const r = viewport.getBoundingClientRect()
    if (e.ctrlKey || e.metaKey) B.zoomBy(Math.exp(-e.deltaY / 300), e.clientX - r.left, e.clientY - r.top)
    else B.panBy(-e.deltaX, -e.deltaY)
  }, {passive: false})

  viewport.addEventListener("dblclick", (e) => {
    const noteEl = e.target.closest(".thc-note")
    if (noteEl) { B.beginEdit(noteEl.dataset.id); return }
    if (!B.canWrite) return
    const anchorEl = e.target.closest(".thc-anchor")
    const [wx, wy] = B.clientToWorld(e.clientX, e.clientY)
    const [x, y] = B.toUnit(clamp(wx - M.note_w / 2, 0, W - M.note_w), clamp(wy - 10, 0, H - 100))
    B.startDraft(x, y, anchorEl ? anchorEl.dataset.id : null)
  })
}
