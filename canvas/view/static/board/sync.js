// The board as the server says it is: a snapshot to start from, then patches of the items
// each accepted operation changed, and the room's live state (people, locks, timer...).
// The server is the truth; local positions only bridge the time until its patch arrives.

// What the list and side panels show of a note; a patch that only moves notes leaves it.
const listed = (n) => n ? [n.text, n.anchor, n.horizon, n.votes, n.my_votes, n.author, n.polarity].join("\u0000") : ""

export function install(B) {
  const {state, t, L} = B

  function load(snapshot) {
    state.title = snapshot.title
    state.focal = snapshot.focal_question
    state.settings = snapshot.settings
    state.notes = new Map(snapshot.notes.map((n) => [n.id, n]))
    state.anchors = new Map(snapshot.anchors.map((a) => [a.id, a]))
    B.setLayout(snapshot.layout || {})
    B.el.titleEl.textContent = L(snapshot, "title")
    B.el.focalEl.textContent = L(snapshot, "focal_question")
    document.title = `${L(snapshot, "title")} · ${t("app_name")}`
    B.recount()
    B.drawCurves()
    for (const card of state.anchorCards.values()) card.remove()
    state.anchorCards.clear()
    for (const a of state.anchors.values()) B.anchorCard(a)
    B.orderAnchors()
    for (const card of state.cards.values()) card.remove()
    state.cards.clear()
    if (snapshot.status) B.setStatus(snapshot.status)
    state.prompts = snapshot.prompts || {}
    state.prompts_cy = snapshot.prompts_cy || {}
    state.personas = snapshot.personas || []
    state.comments = snapshot.comments || []
    if (snapshot.facilitation) state.facilitation = snapshot.facilitation
    if (snapshot.voting) state.voting = snapshot.voting
    if (snapshot.people) state.people = snapshot.people
    if (snapshot.editing) state.locks = snapshot.editing
    if (snapshot.timer) B.setTimer(snapshot.timer)
    B.renderStep()
    B.cull()
    B.renderSide()
  }

  function patchAnchors(anchors) {
    for (const [id, a] of Object.entries(anchors || {})) {
      if (a) { state.anchors.set(id, a); B.anchorCard(a) } else {
        state.anchors.delete(id)
        B.removeAnchorCard(id)
        if (state.selectedAnchor === id) state.selectedAnchor = null
      }
    }
  }

  function announceNew(n) {
    const a = n.anchor && state.anchors.get(n.anchor)
    B.announce(a ? t("added_note_to", {name: n.author || t("someone"), title: L(a, "title")})
      : t("added_note", {name: n.author || t("someone")}))
  }

  function removeNote(id) {
    state.notes.delete(id)
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

  // Returns whether the side panels show something that changed.
  function patchNotes(notes, touchedAnchors) {
    let sideChanged = false
    for (const [id, n] of Object.entries(notes || {})) {
      const old = state.notes.get(id)
      if (old?.anchor) touchedAnchors.add(old.anchor)
      if (listed(old) !== listed(n) || state.selected.has(id)) sideChanged = true
      if (!n) { removeNote(id); continue }
      if (n.anchor) touchedAnchors.add(n.anchor)
      if (!old && !n.mine && !state.drafts.has(id)) announceNew(n)
      state.notes.set(id, n)
      if (state.drafts.has(id)) B.dropDraft(id)
      if (state.cards.has(id)) B.fillNoteCard(state.cards.get(id), n)
    }
    return sideChanged
  }

  function applyPatch(p) {
    let sideChanged = !!(p.anchors && Object.keys(p.anchors).length) || !!(p.facilitation || p.voting || p.settings)
    // Sections first: how cards are drawn depends on them (vote buttons, the step).
    if (p.facilitation) state.facilitation = p.facilitation
    if (p.voting) state.voting = p.voting
    const relaid = !!p.layout?.anchors
    B.patchLayout(p.layout)
    patchAnchors(p.anchors)
    const touchedAnchors = new Set()
    sideChanged = patchNotes(p.notes, touchedAnchors) || sideChanged
    B.rescaleZones()
    if (relaid) { B.orderAnchors(); B.drawLabels() }
    if (p.settings) { state.settings = p.settings; B.drawCurves() }
    if (p.prompts) state.prompts = p.prompts
    if (p.prompts_cy) state.prompts_cy = p.prompts_cy
    if (p.comments) {
      // Only the comments that changed come, by id (null: removed).
      const byId = new Map(state.comments.map((c) => [c.id, c]))
      for (const [id, c] of Object.entries(p.comments)) { if (c) byId.set(id, c); else byId.delete(id) }
      const targets = new Set(Object.keys(p.comments).map((id) => (byId.get(id) || state.comments.find((c) => c.id === id))?.target))
      state.comments = [...byId.values()].sort((a, b) => (a.created + a.id).localeCompare(b.created + b.id))
      for (const id of targets) {
        if (state.cards.has(id) && state.notes.has(id)) B.fillNoteCard(state.cards.get(id), state.notes.get(id))
        if (state.anchors.has(id)) touchedAnchors.add(id)
      }
      B.scheduleSide()
    }
    if (p.personas) { state.personas = p.personas; B.scheduleSide() }
    if (p.prompts || p.facilitation || p.voting) B.renderStep()
    B.recount()
    for (const id of touchedAnchors) { const a = state.anchors.get(id); if (a) B.anchorCard(a) }
    B.scheduleCull()
    if (sideChanged) B.scheduleSide()
  }

  function refused(msg) {
    B.showAlert(t("refused", {reason: msg.message}))
    B.answered(msg)
    // Put back whatever the gesture changed locally.
    for (const id of state.drafts.keys()) if (!state.editing || state.editing.id !== id) B.dropDraft(id)
    for (const n of state.notes.values()) if (state.cards.has(n.id)) B.fillNoteCard(state.cards.get(n.id), n)
    for (const a of state.anchors.values()) B.anchorCard(a)
  }

  const handlers = {
    patch: applyPatch,
    status: (msg) => B.setStatus(msg),
    refused,
    snapshot: load,
    announce: (msg) => B.announce(msg.message),
    presence: (msg) => { state.people = msg.people; B.renderRoom() },
    editing: (msg) => { state.locks = msg.locks || {}; B.refreshNoteCards() },
    timer: (msg) => B.setTimer(msg),
    view: (msg) => { B.bringTo(msg); B.announce(t("brought_to_view", {name: msg.by || t("facilitator")})) },
    changed: (msg) => {
      state.changedIds = new Set(msg.ids)
      B.cull()
      B.renderList()
      B.announce(t("changed_since_count", {n: msg.ids.length, iteration: msg.iteration}))
    },
    ack: (msg) => B.answered(msg),
    identity: () => localStorage.removeItem("thc-pid"),  // ids are the server's now (an HttpOnly cookie)
  }

  function receive(msg) {
    const handler = handlers[msg?.type]
    if (handler) handler(msg)
  }

  Object.assign(B, {load, applyPatch, receive, handlers})
}
