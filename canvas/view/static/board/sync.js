// The board as the server says it is: a snapshot to start from, then patches of the items
// each accepted operation changed, and the room's live state (people, locks, timer...).
// The server is the truth; local positions only bridge the time until its patch arrives.
//
// This module keeps the state and answers the server's messages for the board and the
// phone view alike; each draws it its own way (B.drawAll, B.drawPatch, B.undoLocal).

// What the list and side panels show of a note; a patch that only moves notes leaves it.
const listed = (n) => n ? [n.text, n.anchor, n.horizon, n.votes, n.my_votes, n.author, n.polarity, n.hidden].join("\u0000") : ""

export function install(B) {
  const {state, t, L} = B

  function take(snapshot) {
    state.title = snapshot.title
    state.title_cy = snapshot.title_cy
    state.focal = snapshot.focal_question
    state.settings = snapshot.settings
    state.notes = new Map(snapshot.notes.map((n) => [n.id, n]))
    state.anchors = new Map(snapshot.anchors.map((a) => [a.id, a]))
    B.setLayout(snapshot.layout || {})
    state.prompts = snapshot.prompts || {}
    state.prompts_cy = snapshot.prompts_cy || {}
    state.personas = snapshot.personas || []
    state.comments = snapshot.comments || []
    if (snapshot.facilitation) state.facilitation = snapshot.facilitation
    if (snapshot.voting) state.voting = snapshot.voting
    if (snapshot.people) state.people = snapshot.people
    if (snapshot.editing) state.locks = snapshot.editing
    state.moved = snapshot.moved || null
  }

  function load(snapshot) {
    take(snapshot)
    document.title = `${L(snapshot, "title")} · ${t("app_name")}`
    if (snapshot.status) B.setStatus(snapshot.status)
    if (snapshot.timer) B.setTimer(snapshot.timer)
    B.drawAll(snapshot)
    B.outbox?.settle()
    if (state.moved) B.movedOn?.(state.moved)
  }

  function announceNew(n) {
    const a = n.anchor && state.anchors.get(n.anchor)
    B.announce(a ? t("added_note_to", {name: n.author || t("someone"), title: L(a, "title")})
      : t("added_note", {name: n.author || t("someone")}))
  }

  // The notes of a patch into the state: returns [[id, note or null], ...] as they came, and
  // whether what the side panels show of them changed.
  function takeNotes(notes, touchedAnchors) {
    const changed = []
    let sideChanged = false
    for (const [id, n] of Object.entries(notes || {})) {
      const old = state.notes.get(id)
      if (old?.anchor) touchedAnchors.add(old.anchor)
      if (listed(old) !== listed(n) || state.selected.has(id)) sideChanged = true
      changed.push([id, n])
      if (!n) { state.notes.delete(id); continue }
      if (n.anchor) touchedAnchors.add(n.anchor)
      if (!old && !n.mine && !state.drafts.has(id)) announceNew(n)
      state.notes.set(id, n)
      B.outbox?.arrived(id)
    }
    return [changed, sideChanged]
  }

  function takeSections(p) {
    if (p.anchors) {
      for (const [id, a] of Object.entries(p.anchors)) { if (a) state.anchors.set(id, a); else state.anchors.delete(id) }
    }
    if (p.settings) state.settings = p.settings
    if (p.prompts) state.prompts = p.prompts
    if (p.prompts_cy) state.prompts_cy = p.prompts_cy
    if (p.comments) {
      // Only the comments that changed come, by id (null: removed).
      const byId = new Map(state.comments.map((c) => [c.id, c]))
      for (const [id, c] of Object.entries(p.comments)) { if (c) byId.set(id, c); else byId.delete(id) }
      const targets = new Set(Object.keys(p.comments).map((id) => (byId.get(id) || state.comments.find((c) => c.id === id))?.target))
      state.comments = [...byId.values()].sort((a, b) => (a.created + a.id).localeCompare(b.created + b.id))
      if (p.personas) state.personas = p.personas
      return targets  // the notes and anchors whose comments changed: drawn again
    }
    if (p.personas) state.personas = p.personas
    return new Set()
  }

  function applyPatch(p) {
    const sections = !!(p.anchors && Object.keys(p.anchors).length) || !!(p.facilitation || p.voting || p.settings)
    // Sections first: how notes are drawn depends on them (vote buttons, the step).
    if (p.facilitation) state.facilitation = p.facilitation
    if (p.voting) state.voting = p.voting
    const relaid = !!p.layout?.anchors
    B.patchLayout(p.layout)
    const commented = takeSections(p)
    const touchedAnchors = new Set()
    const [notes, sideChanged] = takeNotes(p.notes, touchedAnchors)
    B.drawPatch({p, notes, touchedAnchors, commented, relaid, sideChanged: sideChanged || sections})
  }

  function refused(msg) {
    B.answered(msg)
    const mine = B.outbox?.answered(msg)
    if (!msg.retry && !mine) B.showAlert(t("refused", {reason: B.explain(msg)}))
    B.undoLocal?.()
  }

  function answered(msg) {
    B.answered(msg)
    B.outbox?.answered(msg)
  }

  const handlers = {
    patch: applyPatch,
    status: (msg) => B.setStatus(msg),
    refused,
    snapshot: load,
    announce: (msg) => B.announce(msg.message),
    presence: (msg) => { state.people = msg.people; B.renderRoom?.() },
    editing: (msg) => { state.locks = msg.locks || {}; B.refreshNoteCards?.() },
    timer: (msg) => B.setTimer(msg),
    view: (msg) => { B.bringTo?.(msg); B.announce(t("brought_to_view", {name: msg.by || t("facilitator")})) },
    changed: (msg) => {
      state.changedIds = new Set(msg.ids)
      B.cull?.()
      B.renderList?.()
      B.announce(t("changed_since_count", {n: msg.ids.length, iteration: msg.iteration}))
    },
    ack: answered,
    moved: (msg) => { state.moved = msg; B.movedOn?.(msg) },
    identity: () => localStorage.removeItem("thc-pid"),  // ids are the server's now (an HttpOnly cookie)
  }

  function receive(msg) {
    const handler = handlers[msg?.type]
    if (handler) handler(msg)
  }

  Object.assign(B, {load, applyPatch, receive, handlers, announceNew})
}
