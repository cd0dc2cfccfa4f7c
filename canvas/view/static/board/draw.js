// Drawing the board from the state sync.js keeps: all of it from a snapshot, then only what
// a patch changed; and putting back what a refused gesture had moved on the page.

export function install(B) {
  const {state, L} = B

  function drawAll(snapshot) {
    B.el.titleEl.textContent = L(snapshot, "title")
    B.el.focalEl.textContent = L(snapshot, "focal_question")
    B.recount()
    B.drawCurves()
    for (const card of state.anchorCards.values()) card.remove()
    state.anchorCards.clear()
    for (const a of state.anchors.values()) B.anchorCard(a)
    B.orderAnchors()
    // The card being written stays, with its words: a new connection does not take them.
    const writing = state.editing && state.cards.get(state.editing.id)
    for (const card of state.cards.values()) if (card !== writing) card.remove()
    state.cards.clear()
    if (writing) state.cards.set(state.editing.id, writing)
    B.renderStep()
    B.cull()
    B.renderSide()
  }

  function removeNoteCard(id) {
    state.selected.delete(id)
    const card = state.cards.get(id)
    if (card) {
      const hadFocus = B.activeEl() === card
      card.remove()
      state.cards.delete(id)
      if (hadFocus) B.el.viewport.focus()
    }
    if (state.editing?.id === id) state.editing = null
  }

  function drawAnchors(anchors) {
    for (const [id, a] of Object.entries(anchors || {})) {
      if (a) B.anchorCard(a)
      else {
        B.removeAnchorCard(id)
        if (state.selectedAnchor === id) state.selectedAnchor = null
      }
    }
  }

  function drawPatch({p, notes, touchedAnchors, commented, relaid, sideChanged}) {
    drawAnchors(p.anchors)
    for (const [id, n] of notes) {
      if (!n) { removeNoteCard(id); continue }
      if (state.drafts.has(id)) B.dropDraft(id)
      if (state.cards.has(id)) B.fillNoteCard(state.cards.get(id), n)
    }
    for (const id of commented) {  // their comment counts
      if (state.cards.has(id) && state.notes.has(id)) B.fillNoteCard(state.cards.get(id), state.notes.get(id))
      if (state.anchors.has(id)) touchedAnchors.add(id)
    }
    B.rescaleZones()
    if (relaid) { B.orderAnchors(); B.drawLabels() }
    if (p.settings) B.drawCurves()
    if (p.comments || p.personas) B.scheduleSide()
    if (p.prompts || p.facilitation || p.voting) B.renderStep()
    B.recount()
    for (const id of touchedAnchors) { const a = state.anchors.get(id); if (a) B.anchorCard(a) }
    B.scheduleCull()
    if (sideChanged) B.scheduleSide()
  }

  // A refusal: put back whatever the gesture changed locally (a draft's card goes: the
  // outbox keeps its words, and the drafts tray shows them with the reason).
  function undoLocal() {
    for (const id of state.drafts.keys()) if (!state.editing || state.editing.id !== id) B.dropDraft(id)
    for (const n of state.notes.values()) if (state.cards.has(n.id)) B.fillNoteCard(state.cards.get(n.id), n)
    for (const a of state.anchors.values()) B.anchorCard(a)
  }

  Object.assign(B, {drawAll, drawPatch, undoLocal})
}
