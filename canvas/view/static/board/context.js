// The board's shared context: who is looking, what they may do, the state drawn from the
// server, and (added by each module's install) the functions the modules call on one another.

import {localiser, translator} from "./i18n.js"

export const HORIZONS = ["H1", "H2", "H3"]
export const KINDS = ["finding", "concern", "outcome", "pocket", "change", "challenge_area",
  "action_area", "principle", "vision", "driver"]

// ``as`` draws the board for another role than the page's: the phone view's look at the
// board is an observer's (it follows the room and changes nothing).
export function createBoard(model, el, transport, {as = null} = {}) {
  const strings = model.strings || {}
  const lang = model.lang || "en"
  const role = as || model.role || "participant"
  // Compare mode is for reading: nobody changes the board from it (the server refuses it too),
  // unless the facilitator switched editing on.
  const readOnly = !!model.read_only
  const B = {
    model,
    host: el,
    transport,
    strings,
    lang,
    role,
    looking: !!as,
    workshop: (model.session_name || "").split("/")[0],
    person: model.person || role,
    online: true,
    t: translator(strings, lang),
    L: localiser(lang),
    readOnly,
    canShape: role === "facilitator" && !readOnly,
    canWrite: (role === "facilitator" || role === "participant") && !readOnly,
    canComment: role === "facilitator" || role === "reviewer",
    el: {},
    state: {
      title: "",
      title_cy: "",
      focal: "",
      settings: {},
      notes: new Map(),      // id -> note data from the server
      anchors: new Map(),    // id -> anchor data from the server
      cards: new Map(),      // id -> DOM card of a note on screen
      anchorCards: new Map(),
      selected: new Set(),
      selectedAnchor: null,
      editing: null,         // {id, draft, area}
      drafts: new Map(),     // id -> local note not yet sent
      view: {scale: 1, tx: 0, ty: 0},
      prompts: {},
      facilitation: {step: "", open_all: false, private: false, locked: false},
      voting: {open: false, budget: 5, used: 0},
      people: [],
      locks: {},
      timer: {running: false, remaining: 0, duration: 0, at: 0},
      filter: {horizon: "", kind: "", anchor: "", persona: "", author: "", tag: "", minVotes: 0, search: "", since: 0},
      changedIds: null,      // ids changed since the iteration chosen in the filter
      personas: [],
      comments: [],
      lens: "",
      cmp: null,             // compare mode: {against, counts, changes, byId, filter}
      pendingMoves: new Map(),
      moved: null,           // where the workshop went, once this iteration has ended
    },
  }
  B.canEditNote = (n) => B.canShape || (role === "participant" && !!n?.mine)
  // Inside a shadow root, document.activeElement is the host: ask the root itself.
  B.activeEl = () => B.el.root?.getRootNode().activeElement || document.activeElement
  return B
}

// What the server says, from the first snapshot on: ``start`` draws it, every message after
// goes to B.receive. A later snapshot is a new connection, and the board is the truth.
export function hear(B, start) {
  let started = false
  B.transport.listen((msg) => {
    if (started) {
      if (msg.type === "snapshot") B.forgetUnanswered()
      B.receive(msg)
    } else if (msg.type === "snapshot") {
      started = true
      start(msg)
    } else if (msg.type === "refused") B.showAlert(B.t("refused", {reason: msg.message}))
  })
}
