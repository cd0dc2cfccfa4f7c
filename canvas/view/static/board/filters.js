// Which notes the filters let through, and the persona lens (a persona's challenge areas and
// the notes linked to them stand out; the rest fade).

export function install(B) {
  const {state} = B

  function matches(note) {
    const f = state.filter
    if (!f.horizon && !f.anchor && !f.kind && !f.persona && !f.author && !f.tag && !f.minVotes && !f.search && !f.since) {
      return true
    }
    if (f.horizon && note.horizon !== f.horizon) return false
    if (f.anchor && note.anchor !== f.anchor) return false
    if (f.kind) {
      const a = note.anchor && state.anchors.get(note.anchor)
      if (!a || a.kind !== f.kind) return false
    }
    if (f.persona && !(note.personas || []).includes(f.persona)) return false
    if (f.author && note.author !== f.author) return false
    if (f.tag && !(note.tags || []).includes(f.tag)) return false
    if (f.minVotes && (note.votes || 0) < f.minVotes) return false
    if (f.search && !note.text.toLocaleLowerCase().includes(f.search.toLocaleLowerCase())) return false
    if (f.since && state.changedIds && !state.changedIds.has(note.id)) return false
    return true
  }

  function lensPersona() { return state.lens ? state.personas.find((p) => p.id === state.lens) : null }

  function inLens(kind, item) {
    const p = lensPersona()
    if (!p) return null
    if (kind === "anchor") return p.challenge_areas.includes(item.id)
    return (item.personas || []).includes(p.id) || (!!item.anchor && p.challenge_areas.includes(item.anchor))
  }

  Object.assign(B, {matches, lensPersona, inLens})
}
