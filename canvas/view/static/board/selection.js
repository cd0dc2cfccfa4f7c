// Which notes (or which anchor) are selected: shown on the cards, named to screen readers,
// and detailed in the side panel.

export function install(B) {
  const {state, t} = B

  function selectNote(id, add = false) {
    if (!add) state.selected.clear()
    if (add && state.selected.has(id)) state.selected.delete(id)
    else state.selected.add(id)
    state.selectedAnchor = null
    refreshSelection()
  }

  function selectAnchor(id) {
    state.selected.clear()
    state.selectedAnchor = id
    refreshSelection()
  }

  function clearSelection() {
    state.selected.clear()
    state.selectedAnchor = null
    refreshSelection()
  }

  function refreshSelection() {
    for (const [id, card] of state.cards) {
      card.classList.toggle("selected", state.selected.has(id))
      const n = state.notes.get(id)
      if (n) card.setAttribute("aria-label", B.noteLabel(n) + (state.selected.has(id) ? `, ${t("selected")}` : ""))
    }
    for (const [id, card] of state.anchorCards) card.classList.toggle("selected", state.selectedAnchor === id)
    B.renderDetails()
  }

  Object.assign(B, {selectNote, selectAnchor, clearSelection, refreshSelection})
}
