// The board by keyboard: Tab through cards, Enter/F2 to edit (a note on its way too), arrows
// to move (Shift: further), Delete, Space to select, + and - to vote, N for a new note,
// Ctrl+Z / Ctrl+Shift+Z.

import {clamp} from "./dom.js"

export function install(B) {
  const {state} = B
  const M = B.metrics
  const nudgeTimers = new Map()

  function nudge(kind, id, dx, dy) {
    const item = kind === "note" ? state.notes.get(id) : state.anchors.get(id)
    if (!item) return
    const local = state.pendingMoves.get(id) || {x: item.x, y: item.y}
    local.x = clamp(local.x + dx, 0, 1)
    local.y = clamp(local.y + dy, 0, 1)
    state.pendingMoves.set(id, local)
    const card = kind === "note" ? state.cards.get(id) : state.anchorCards.get(id)
    const [left, top] = B.toPx(local.x, local.y, kind === "note" ? M.note_w : M.anchor_w, 0)
    if (card) { card.style.left = `${left}px`; card.style.top = `${top}px` }
    clearTimeout(nudgeTimers.get(id))
    nudgeTimers.set(id, setTimeout(() => {
      nudgeTimers.delete(id)
      state.pendingMoves.delete(id)
      const [ux, uy] = B.toUnit(left, top)
      if (kind === "note") {
        // Keyboard moves keep a note on its anchor; detaching is done from the details panel.
        const op = {op: "move", id, x: ux, y: uy}
        if (item.anchor) op.anchor = item.anchor
        B.send(op)
      } else B.send({op: "anchor_move", id, x: ux, y: uy})
    }, 400))
  }

  function onNote(e, id, arrows) {
    const n = state.notes.get(id)
    if (state.voting.open && n?.in_scope && B.canWrite && (e.key === "+" || e.key === "=" || e.key === "-")) {
      e.preventDefault()
      const spent = e.key === "-" ? "" : B.voteBlock()
      if (spent) B.showAlert(spent)
      else B.send({op: "vote", id, delta: e.key === "-" ? -1 : 1})
      return true
    }
    if (e.key === " ") { e.preventDefault(); B.selectNote(id, e.shiftKey); return true }
    if (!B.canEditNote(n)) return true  // someone else's note: nothing more to do here
    if (e.key === "Enter" || e.key === "F2") { e.preventDefault(); B.beginEdit(id); return true }
    if (e.key === "Delete" || e.key === "Backspace") {
      e.preventDefault()
      B.send({op: "delete", ids: state.selected.has(id) ? [...state.selected] : [id]})
      return true
    }
    if (arrows[e.key]) { e.preventDefault(); nudge("note", id, ...arrows[e.key]); return true }
    return false
  }

  function onAnchor(e, id, arrows) {
    if (e.key === "Enter" || e.key === " ") { e.preventDefault(); B.selectAnchor(id); return true }
    if (B.canShape && arrows[e.key]) { e.preventDefault(); nudge("anchor", id, ...arrows[e.key]); return true }
    if (e.key === "n" || e.key === "N") {
      e.preventDefault()
      const a = state.anchors.get(id)
      B.startDraft(a.x, a.y, id)
      return true
    }
    return false
  }

  const root = B.el.root
  root.addEventListener("keydown", (e) => {
    const target = e.target
    const typing = target.matches("input, textarea, select")
    if ((e.ctrlKey || e.metaKey) && !typing && B.canWrite) {
      const key = e.key.toLowerCase()
      if (key === "z" && !e.shiftKey) { e.preventDefault(); B.send({op: "undo"}); return }
      if ((key === "z" && e.shiftKey) || key === "y") { e.preventDefault(); B.send({op: "redo"}); return }
    }
    if (typing) return
    if (e.key === " " && target === B.el.viewport) { B.keys.space = true; return }
    const noteEl = target.closest?.(".thc-note")
    const anchorEl = target.closest?.(".thc-anchor")
    const step = e.shiftKey ? 0.05 : 0.01
    const arrows = {ArrowLeft: [-step, 0], ArrowRight: [step, 0], ArrowUp: [0, step], ArrowDown: [0, -step]}
    const onItsWay = noteEl?.classList.contains("draft")  // sent; the board has not answered yet
    if (onItsWay && (e.key === "Enter" || e.key === "F2")) { e.preventDefault(); B.beginEdit(noteEl.dataset.id); return }
    if (noteEl && !onItsWay && onNote(e, noteEl.dataset.id, arrows)) return
    if (anchorEl && onAnchor(e, anchorEl.dataset.id, arrows)) return
    if ((e.key === "n" || e.key === "N") && B.canWrite) { e.preventDefault(); B.startDraftAtCentre(); return }
    if (e.key === "Escape") {
      if (state.spread) { e.preventDefault(); B.closeSpread() } else if (state.selected.size || state.selectedAnchor) {
        e.preventDefault()
        B.clearSelection()
      }
    }
  })
  root.addEventListener("keyup", (e) => { if (e.key === " ") B.keys.space = false })
  root.addEventListener("focusin", (e) => {
    const noteEl = e.target.closest?.(".thc-note")
    if (noteEl && !noteEl.classList.contains("draft") && !state.selected.has(noteEl.dataset.id) && !B.gesturing()) {
      B.selectNote(noteEl.dataset.id)
    }
  })
}
