// The Three Horizons board: SVG curves, anchors and notes as DOM cards, a details panel,
// filters and a list of every note (the board's accessible twin).
//
// Rules this file keeps:
// - User text (notes, titles, names) reaches the page only through textContent, value,
//   or setAttribute; never innerHTML.
// - One operation per finished gesture goes to the server; the server's patches are the
//   truth, local positions only bridge the time until they arrive.
// - Every interface string comes from the catalogue (model.strings) through t().

const W = 2000
const H = 1200
const NOTE_W = 140
const NOTE_H = 64
const ANCHOR_W = 150
const ANCHOR_H = 56
const MARGIN = 200
const HORIZONS = ["H1", "H2", "H3"]
const KINDS = ["finding", "concern", "outcome", "pocket", "change", "challenge_area",
  "action_area", "principle", "vision", "driver"]
const SVG_NS = "http://www.w3.org/2000/svg"
// Operations that change the board (and so lead to a save).
const CHANGES = new Set(["add", "edit", "move", "move_many", "style", "attach", "delete", "vote", "personas",
  "comment", "anchor_add", "anchor_edit", "anchor_move", "anchor_delete", "gather", "settings", "prompt",
  "step", "facilitate", "reveal", "hide", "vote_start", "vote_close", "undo", "redo"])

function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag)
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue
    if (key === "text") el.textContent = value
    else if (key === "cls") el.className = value
    else if (key.startsWith("on")) el.addEventListener(key.slice(2), value)
    else if (key === "value") el.value = value
    else el.setAttribute(key, value === true ? "" : String(value))
  }
  for (const child of children) if (child) el.append(child)
  return el
}

function svg(tag, attrs = {}) {
  const el = document.createElementNS(SVG_NS, tag)
  for (const [key, value] of Object.entries(attrs)) el.setAttribute(key, String(value))
  return el
}

function newId(prefix) {
  const rand = Math.random().toString(36).slice(2, 8)
  return `${prefix}-${Date.now().toString(36)}-${rand}`
}

const clamp = (v, lo, hi) => Math.min(Math.max(v, lo), hi)

export function render({ model, el }) {
  const strings = model.strings || {}
  const plurals = new Intl.PluralRules(model.lang || "en")
  const t = (key, params = {}) => {
    let s = strings[key] ?? key
    // A counted string holds its CLDR plural forms; the count is always params.n.
    if (typeof s === "object") s = s[typeof params.n === "number" ? plurals.select(Math.abs(params.n)) : "other"] ?? s.other
    for (const [k, v] of Object.entries(params)) s = s.split(`{${k}}`).join(String(v))
    return s
  }
  const lang = model.lang || "en"
  document.documentElement.lang = lang
  if (!document.querySelector('meta[name="viewport"]')) {
    // Phones lay the page out at their own width, not a desktop's.
    document.head.append(h("meta", {name: "viewport", content: "width=device-width, initial-scale=1"}))
  }
  // An item's text in the page's language, falling back to English where no Welsh is given.
  const L = (item, field) => (lang === "cy" && item?.[field + "_cy"]) || item?.[field] || ""
  const role = model.role || "participant"
  const canShape = role === "facilitator"
  const canWrite = role === "facilitator" || role === "participant"
  const canComment = role === "facilitator" || role === "reviewer"
  const canEditNote = (n) => canShape || (role === "participant" && !!n?.mine)
  const state = {
    title: "",
    focal: "",
    settings: {},
    notes: new Map(),      // id -> note data from the server
    anchors: new Map(),    // id -> anchor data from the server
    cards: new Map(),      // id -> DOM card of a note on screen
    anchorCards: new Map(),
    selected: new Set(),
    selectedAnchor: null,
    editing: null,         // {id, draft, textarea}
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
  }

  // ---------------------------------------------------------------- skeleton
  const status = h("span", {cls: "thc-status", role: "status", "aria-live": "polite"})
  const announcer = h("div", {cls: "thc-sr", "aria-live": "polite"})
  const alertBox = h("div", {cls: "thc-alert", role: "alert"})
  const titleEl = h("h1", {cls: "thc-title"})
  const focalEl = h("p", {cls: "thc-focal"})
  const nameInput = h("input", {
    type: "text", maxlength: "40", "aria-label": t("your_name"), placeholder: t("your_name"),
    value: localStorage.getItem("thc-name") || "",
  })
  const button = (label, onclick, extra = {}) =>
    h("button", {type: "button", cls: "thc-btn", onclick, ...extra, text: label})

  const toolbar = h("div", {cls: "thc-toolbar", role: "toolbar", "aria-label": t("board_tools")},
    canWrite ? button(t("add_note"), () => startDraftAtCentre(), {"aria-keyshortcuts": "N", "data-action": "add"}) : null,
    canWrite ? button(t("undo"), () => send({op: "undo"}), {"aria-keyshortcuts": "Control+Z"}) : null,
    canWrite ? button(t("redo"), () => send({op: "redo"}), {"aria-keyshortcuts": "Control+Shift+Z"}) : null,
    button(t("zoom_in"), () => zoomBy(1.25)),
    button(t("zoom_out"), () => zoomBy(0.8)),
    button(t("fit_board"), () => fit(), {"data-action": "fit"}),
    canWrite ? h("label", {cls: "thc-name"}, h("span", {text: t("your_name") + " "}), nameInput) : null,
    canWrite && !canShape ? button(t("take_pseudonym"), () => {
      nameInput.value = pseudonym()
      nameInput.dispatchEvent(new Event("change"))
    }) : null,
  )
  const stepBanner = h("p", {cls: "thc-step", "aria-live": "polite"})
  const timerEl = h("span", {cls: "thc-timer", role: "timer", "aria-label": t("timer")})
  const votesLeft = h("span", {cls: "thc-votes-left", "aria-live": "polite"})
  const roleBadge = h("span", {cls: "thc-role", text: t("role_" + role)})
  const langSelect = h("select", {"aria-label": t("language"), cls: "thc-lang"})
  for (const [code, name] of [["en", "English"], ["cy", "Cymraeg"]]) {
    const opt = h("option", {value: code, text: name, lang: code})
    if (code === lang) opt.selected = true
    langSelect.append(opt)
  }
  langSelect.addEventListener("change", () => switchLanguage(langSelect.value))
  function switchLanguage(code) {
    localStorage.setItem("thc-lang", code)
    // The server's own pages (/join, sign-in) cannot read localStorage: a cookie tells them.
    document.cookie = `thc-lang=${code}; path=/; max-age=31536000; samesite=lax`
    const url = new URL(window.location.href)
    url.searchParams.set("lang", code)
    window.location.assign(url.toString())
  }
  {
    // The choice is remembered: a link without ?lang= opens in the language chosen last.
    const remembered = localStorage.getItem("thc-lang")
    const asked = new URL(window.location.href).searchParams.get("lang")
    if (!asked && remembered && remembered !== lang) switchLanguage(remembered)
  }
  // A button rather than a #fragment link: the list lives in a shadow root, where fragments
  // of the document do not reach.
  const skip = h("button", {type: "button", cls: "thc-skip", text: t("skip_to_list"),
    onclick: () => { listBox.focus(); listBox.scrollIntoView({block: "start"}) }})
  const header = h("header", {cls: "thc-header"},
    skip, h("div", {cls: "thc-heading"}, titleEl, focalEl, stepBanner), roleBadge, langSelect, timerEl, votesLeft,
    status, toolbar)

  const viewport = h("div", {
    cls: "thc-viewport", role: "region", "aria-label": t("board"), tabindex: "-1",
  })
  const world = h("div", {cls: "thc-world"})
  const curves = svg("svg", {class: "thc-curves", viewBox: `0 0 ${W} ${H}`, width: W, height: H,
    "aria-hidden": "true"})
  const anchorLayer = h("div", {cls: "thc-anchors", role: "list", "aria-label": t("anchors")})
  const noteLayer = h("div", {cls: "thc-notes", role: "list", "aria-label": t("notes")})
  const lasso = h("div", {cls: "thc-lasso", hidden: true})
  const ghostLayer = h("div", {cls: "thc-ghosts", "aria-hidden": "true"})
  const arrows = svg("svg", {class: "thc-arrows", viewBox: `0 0 ${W} ${H}`, width: W, height: H, "aria-hidden": "true"})
  world.append(curves, ghostLayer, arrows, anchorLayer, noteLayer)
  viewport.append(world, lasso)

  const details = h("section", {cls: "thc-details", "aria-label": t("details")})
  const filters = h("section", {cls: "thc-filters", "aria-label": t("filters")})
  const listBox = h("section", {cls: "thc-list", id: "thc-list", tabindex: "-1",
    "aria-label": t("all_notes")})
  const shapeBox = h("section", {cls: "thc-shape", "aria-label": t("shape_board")})
  const runBox = h("section", {cls: "thc-run", "aria-label": t("run_workshop")})
  const roomBox = h("section", {cls: "thc-room", "aria-label": t("in_the_room")})
  const rankBox = h("section", {cls: "thc-ranked", "aria-label": t("vote_results")})
  const personaBox = h("section", {cls: "thc-persona-box", "aria-label": t("personas")})
  const compareBox = h("section", {cls: "thc-compare", "aria-label": t("changes")})
  const exportBox = h("section", {cls: "thc-export", "aria-label": t("export")})
  const side = h("aside", {cls: "thc-side"}, compareBox, runBox, details, rankBox, filters, personaBox, shapeBox, exportBox, roomBox, listBox)
  const root = h("div", {cls: "thc-root"}, header,
    h("main", {cls: "thc-main"}, viewport, side), alertBox, announcer)
  el.append(root)
  // Inside a shadow root, document.activeElement is the host: ask the root itself.
  const activeEl = () => root.getRootNode().activeElement || document.activeElement

  // ---------------------------------------------------------------- messages
  let alertTimer = null
  function showAlert(message) {
    alertBox.textContent = message
    alertBox.classList.add("visible")
    clearTimeout(alertTimer)
    alertTimer = setTimeout(() => { alertBox.textContent = ""; alertBox.classList.remove("visible") }, 6000)
  }
  function announce(message) { announcer.textContent = message }
  // "Saved" is a promise: the server answers each change this page sends with the sequence
  // number it got (or a refusal), and a save status names the last sequence number on disk.
  // Until every change sent is answered and covered, this page shows that it is saving.
  let serverStatus = {state: "saved", seq: 0}
  let nextRef = 1
  const unanswered = new Set()
  let mine = 0
  function send(op) {
    if (CHANGES.has(op.op)) {
      const ref = nextRef++
      unanswered.add(ref)
      op = {...op, ref}
    }
    model.send_msg(op)
    showStatus()
  }

  function answered(msg) {
    if (msg.ref) unanswered.delete(msg.ref)
    if (msg.type === "ack" && msg.seq > mine) mine = msg.seq
    showStatus()
  }

  function setStatus(s) {
    serverStatus = s
    showStatus()
  }

  function showStatus() {
    let s = serverStatus
    if (s.state !== "error" && (unanswered.size || (s.seq || 0) < mine)) s = {state: "saving"}
    status.dataset.state = s.state
    if (s.state === "saved") {
      const time = s.at ? new Date(s.at).toLocaleTimeString(strings._locale || undefined, {hourCycle: "h23"}) : ""
      status.textContent = t("saved_at", {time})
    } else if (s.state === "saving") status.textContent = t("saving")
    else status.textContent = t("not_saved", {reason: s.reason || ""})
  }

  // ---------------------------------------------------------------- geometry
  const toPx = (x, y, w, hgt) => [clamp(x * W, 0, W - w), clamp((1 - y) * H, 0, H - hgt)]
  const toUnit = (left, top) => [clamp(left / W, 0, 1), clamp(1 - top / H, 0, 1)]

  function drawCurves() {
    curves.replaceChildren()
    const s = state.settings
    const band = svg("g", {class: "thc-grid"})
    for (let i = 1; i < 4; i++) {
      band.append(svg("line", {x1: (W * i) / 4, y1: 0, x2: (W * i) / 4, y2: H}))
    }
    curves.append(band)
    for (const hz of HORIZONS) {
      const pts = (s.curves?.[hz] || []).map(([x, y]) => `${(x * W).toFixed(1)},${((1 - y) * H).toFixed(1)}`)
      curves.append(svg("polyline", {points: pts.join(" "), class: `thc-curve thc-${hz}`}))
    }
    const label = (text, x, y, cls, anchor = "start") => {
      const node = svg("text", {x, y, class: cls, "text-anchor": anchor})
      node.textContent = text
      curves.append(node)
    }
    const at = (hz, x) => {
      const pts = s.curves?.[hz] || []
      const i = Math.round(x * (pts.length - 1))
      return pts[i] ? (1 - pts[i][1]) * H : H / 2
    }
    label(`H1 · ${t("h1_name")}`, 0.02 * W, at("H1", 0.02) - 12, "thc-hlabel thc-H1")
    label(`H2 · ${t("h2_name")}`, s.h2_peak * W, at("H2", s.h2_peak) - 12, "thc-hlabel thc-H2", "middle")
    label(`H3 · ${t("h3_name")}`, 0.98 * W, at("H3", 0.98) - 12, "thc-hlabel thc-H3", "end")
    // The default labels are interface text (translated); labels a facilitator set are theirs.
    const from = s.axis_from === "Now" ? t("axis_now") : s.axis_from || ""
    const to = s.axis_to === "Future" ? t("axis_future") : s.axis_to || ""
    label(`${from} → ${to}`, W / 2, H - 8, "thc-axis", "middle")
    const y = svg("text", {x: 14, y: H / 2, class: "thc-axis", transform: `rotate(-90 14 ${H / 2})`,
      "text-anchor": "middle"})
    y.textContent = t("prevalence")
    curves.append(y)
  }

  function applyView() {
    const {scale, tx, ty} = state.view
    world.style.transform = `translate(${tx}px, ${ty}px) scale(${scale})`
    scheduleCull()
  }

  function fit() {
    const r = viewport.getBoundingClientRect()
    const scale = Math.max(0.1, Math.min(r.width / W, r.height / H))
    state.view = {scale, tx: (r.width - W * scale) / 2, ty: (r.height - H * scale) / 2}
    applyView()
  }

  function zoomBy(factor, cx, cy) {
    const r = viewport.getBoundingClientRect()
    const px = cx ?? r.width / 2
    const py = cy ?? r.height / 2
    const v = state.view
    const scale = clamp(v.scale * factor, 0.1, 4)
    const k = scale / v.scale
    state.view = {scale, tx: px - (px - v.tx) * k, ty: py - (py - v.ty) * k}
    applyView()
  }

  function clientToWorld(clientX, clientY) {
    const r = viewport.getBoundingClientRect()
    const v = state.view
    return [(clientX - r.left - v.tx) / v.scale, (clientY - r.top - v.ty) / v.scale]
  }

  function viewCentreUnit() {
    const r = viewport.getBoundingClientRect()
    const [wx, wy] = clientToWorld(r.left + r.width / 2, r.top + r.height / 2)
    return toUnit(clamp(wx - NOTE_W / 2, 0, W - NOTE_W), clamp(wy - NOTE_H / 2, 0, H - NOTE_H))
  }

  // ---------------------------------------------------------------- filters
  function matches(note) {
    const f = state.filter
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

  // The persona lens: a persona's challenge areas and the notes linked to them stand out.
  function lensPersona() { return state.lens ? state.personas.find((p) => p.id === state.lens) : null }
  function inLens(kind, item) {
    const p = lensPersona()
    if (!p) return null
    if (kind === "anchor") return p.challenge_areas.includes(item.id)
    return (item.personas || []).includes(p.id) || (!!item.anchor && p.challenge_areas.includes(item.anchor))
  }

  // ---------------------------------------------------------------- cards
  function noteLabel(n) {
    const a = n.anchor && state.anchors.get(n.anchor)
    const parts = [n.text || t("empty_note"), `${n.horizon}${n.polarity ? n.polarity : ""}`]
    if (a) parts.push(t("on_anchor", {title: L(a, "title")}))
    if (n.author) parts.push(t("by_author", {name: n.author}))
    if (n.votes !== null && n.votes !== undefined) parts.push(t("votes_count", {n: n.votes}))
    if (state.voting.open && n.in_scope) parts.push(t("my_votes", {n: n.my_votes || 0}))
    if (n.private) parts.push(t("private_note"))
    if (n.hidden) parts.push(t("hidden_note"))
    if (state.locks[n.id]) parts.push(t("is_editing", {name: state.locks[n.id]}))
    return parts.join(", ")
  }

  function voteButtons(n) {
    const row = h("span", {cls: "thc-vote"})
    const up = h("button", {type: "button", cls: "thc-vote-btn", text: "+", "aria-label": t("vote_for", {text: n.text}),
      onclick: (e) => { e.stopPropagation(); send({op: "vote", id: n.id, delta: 1}) }})
    const down = h("button", {type: "button", cls: "thc-vote-btn", text: "−", "aria-label": t("unvote_for", {text: n.text}),
      disabled: !(n.my_votes > 0), onclick: (e) => { e.stopPropagation(); send({op: "vote", id: n.id, delta: -1}) }})
    for (const b of [up, down]) b.addEventListener("pointerdown", (e) => e.stopPropagation())
    row.append(down, h("span", {cls: "thc-my-votes", text: "●".repeat(Math.min(n.my_votes || 0, 10)) || "○"}), up)
    return row
  }

  function fillNoteCard(card, n) {
    card.classList.remove("draft")
    card.dataset.id = n.id
    card.dataset.horizon = n.horizon
    card.dataset.colour = n.colour
    card.style.setProperty("--note-bg", state.settings.palette?.[n.colour] || "#fff3a6")
    card.classList.toggle("selected", state.selected.has(n.id))
    card.classList.toggle("private", !!n.private)
    card.classList.toggle("hidden-note", !!n.hidden)
    card.classList.toggle("locked", !!state.locks[n.id])
    card.classList.toggle("readonly", !canEditNote(n))
    const lensed = inLens("note", n)
    card.classList.toggle("lens-on", lensed === true)
    card.classList.toggle("lens-off", lensed === false)
    card.setAttribute("aria-label", noteLabel(n) + (state.selected.has(n.id) ? `, ${t("selected")}` : ""))
    const [left, top] = toPx(n.x, n.y, NOTE_W, NOTE_H)
    card.style.left = `${left}px`
    card.style.top = `${top}px`
    if (state.editing?.id === n.id) return
    const text = h("div", {cls: "thc-note-text", text: n.text || t("empty_note")})
    if (!n.text) text.classList.add("placeholder")
    const meta = h("div", {cls: "thc-note-meta"})
    const tag = n.horizon === "H2" && n.polarity ? `H2${n.polarity}` : n.horizon
    meta.append(h("span", {cls: "thc-badge", text: tag}))
    if (n.private) meta.append(h("span", {cls: "thc-flag", text: t("private_short")}))
    if (n.hidden) meta.append(h("span", {cls: "thc-flag", text: t("hidden_short")}))
    if (state.locks[n.id]) meta.append(h("span", {cls: "thc-flag", text: t("is_editing", {name: state.locks[n.id]})}))
    else if (n.author) meta.append(h("span", {cls: "thc-author", text: n.author}))
    const change = state.cmp?.byId.get(n.id)
    if (change) {
      card.dataset.change = change.kinds.join(" ")
      meta.prepend(h("span", {cls: "thc-change", text: changeBadge(change, n)}))
    } else delete card.dataset.change
    if (state.voting.open && n.in_scope && canWrite) meta.append(voteButtons(n))
    else if (n.votes) meta.append(h("span", {cls: "thc-votes", text: `● ${n.votes}`, title: t("votes_count", {n: n.votes})}))
    card.replaceChildren(text, meta)
  }

  function ensureCard(cards, layer, cls, id) {
    let card = cards.get(id)
    if (!card) {
      card = h("div", {cls, role: "listitem", tabindex: "0"})
      cards.set(id, card)
      layer.append(card)
    }
    return card
  }

  function noteCard(n) {
    const card = ensureCard(state.cards, noteLayer, "thc-note", n.id)
    fillNoteCard(card, n)
    return card
  }

  function anchorCard(a) {
    const card = ensureCard(state.anchorCards, anchorLayer, "thc-anchor", a.id)
    card.dataset.id = a.id
    card.dataset.kind = a.kind
    card.dataset.horizon = a.horizon
    const count = countOn(a.id)
    card.setAttribute("aria-label", `${t("kind_" + a.kind)}: ${L(a, "title")}. ${L(a, "summary")} ${t("notes_on", {n: count})}`)
    card.classList.toggle("selected", state.selectedAnchor === a.id)
    const lensed = inLens("anchor", a)
    card.classList.toggle("lens-on", lensed === true)
    card.classList.toggle("lens-off", lensed === false)
    const [left, top] = toPx(a.x, a.y, ANCHOR_W, ANCHOR_H)
    card.style.left = `${left}px`
    card.style.top = `${top}px`
    const summary = L(a, "summary") ? h("div", {cls: "thc-anchor-summary", text: L(a, "summary")}) : null
    card.replaceChildren(
      h("div", {cls: "thc-anchor-kind", text: `${t("kind_" + a.kind)} · ${a.horizon}`}),
      h("div", {cls: "thc-anchor-title", text: L(a, "title")}),
      h("span", {cls: "thc-count", text: String(count), title: t("notes_on", {n: count})}),
      summary,
    )
    return card
  }

  const counts = new Map()
  function recount() {
    counts.clear()
    for (const n of state.notes.values()) if (n.anchor) counts.set(n.anchor, (counts.get(n.anchor) || 0) + 1)
  }
  const countOn = (id) => counts.get(id) || 0

  // Only notes near the visible part of the board get a card: 5,000 notes stay responsive.
  let cullQueued = false
  function scheduleCull() {
    if (cullQueued) return
    cullQueued = true
    requestAnimationFrame(() => { cullQueued = false; cull() })
  }
  function visibleRect() {
    const r = viewport.getBoundingClientRect()
    const [x0, y0] = clientToWorld(r.left, r.top)
    const [x1, y1] = clientToWorld(r.right, r.bottom)
    return [x0 - MARGIN, y0 - MARGIN, x1 + MARGIN, y1 + MARGIN]
  }
  function cull() {
    const [x0, y0, x1, y1] = visibleRect()
    for (const n of state.notes.values()) {
      const [left, top] = toPx(n.x, n.y, NOTE_W, NOTE_H)
      const inside = left + NOTE_W >= x0 && left <= x1 && top + NOTE_H >= y0 && top <= y1
      const show = (inside && matches(n)) || state.editing?.id === n.id || activeEl() === state.cards.get(n.id)
      const card = state.cards.get(n.id)
      if (show && !card) noteCard(n)
      else if (!show && card) { card.remove(); state.cards.delete(n.id) }
    }
    for (const [id, card] of state.anchorCards) {
      const a = state.anchors.get(id)
      card.classList.toggle("dimmed", !!state.filter.anchor && state.filter.anchor !== id ||
        !!state.filter.kind && a.kind !== state.filter.kind)
    }
  }

  // ---------------------------------------------------------------- state from the server
  function load(snapshot) {
    state.title = snapshot.title
    state.focal = snapshot.focal_question
    state.settings = snapshot.settings
    state.notes = new Map(snapshot.notes.map((n) => [n.id, n]))
    state.anchors = new Map(snapshot.anchors.map((a) => [a.id, a]))
    titleEl.textContent = L(snapshot, "title")
    focalEl.textContent = L(snapshot, "focal_question")
    document.title = `${L(snapshot, "title")} · ${t("app_name")}`
    recount()
    drawCurves()
    for (const card of state.anchorCards.values()) card.remove()
    state.anchorCards.clear()
    for (const a of state.anchors.values()) anchorCard(a)
    for (const card of state.cards.values()) card.remove()
    state.cards.clear()
    if (snapshot.status) setStatus(snapshot.status)
    state.prompts = snapshot.prompts || {}
    state.prompts_cy = snapshot.prompts_cy || {}
    state.personas = snapshot.personas || []
    state.comments = snapshot.comments || []
    if (snapshot.facilitation) state.facilitation = snapshot.facilitation
    if (snapshot.voting) state.voting = snapshot.voting
    if (snapshot.people) state.people = snapshot.people
    if (snapshot.editing) state.locks = snapshot.editing
    if (snapshot.timer) setTimer(snapshot.timer)
    renderStep()
    cull()
    renderSide()
  }

  // What the list and side panels show of a note; a patch that only moves notes leaves it.
  const listed = (n) => n ? [n.text, n.anchor, n.horizon, n.votes, n.my_votes, n.author, n.polarity].join("\u0000") : ""

  function applyPatch(p) {
    let sideChanged = !!(p.anchors && Object.keys(p.anchors).length) || !!(p.facilitation || p.voting || p.settings)
    // Sections first: how cards are drawn depends on them (vote buttons, the step).
    if (p.facilitation) state.facilitation = p.facilitation
    if (p.voting) state.voting = p.voting
    const touchedAnchors = new Set()
    for (const [id, a] of Object.entries(p.anchors || {})) {
      if (a) { state.anchors.set(id, a); anchorCard(a) } else {
        state.anchors.delete(id)
        state.anchorCards.get(id)?.remove()
        state.anchorCards.delete(id)
        if (state.selectedAnchor === id) state.selectedAnchor = null
      }
    }
    for (const [id, n] of Object.entries(p.notes || {})) {
      const old = state.notes.get(id)
      if (old?.anchor) touchedAnchors.add(old.anchor)
      if (listed(old) !== listed(n) || state.selected.has(id)) sideChanged = true
      if (n) {
        if (n.anchor) touchedAnchors.add(n.anchor)
        if (!old && !n.mine && !state.drafts.has(id)) {
          const a = n.anchor && state.anchors.get(n.anchor)
          announce(a ? t("added_note_to", {name: n.author || t("someone"), title: L(a, "title")})
            : t("added_note", {name: n.author || t("someone")}))
        }
        state.notes.set(id, n)
        if (state.drafts.has(id)) dropDraft(id)
        if (state.cards.has(id)) fillNoteCard(state.cards.get(id), n)
      } else {
        state.notes.delete(id)
        state.selected.delete(id)
        const card = state.cards.get(id)
        if (card) {
          const hadFocus = activeEl() === card
          card.remove()
          state.cards.delete(id)
          if (hadFocus) viewport.focus()
        }
        if (state.editing?.id === id) state.editing = null
      }
    }
    if (p.settings) { state.settings = p.settings; drawCurves() }
    if (p.prompts) state.prompts = p.prompts
    if (p.prompts_cy) state.prompts_cy = p.prompts_cy
    if (p.comments) {
      // Only the comments that changed come, by id (null: removed).
      const byId = new Map(state.comments.map((c) => [c.id, c]))
      for (const [id, c] of Object.entries(p.comments)) { if (c) byId.set(id, c); else byId.delete(id) }
      state.comments = [...byId.values()].sort((a, b) => (a.created + a.id).localeCompare(b.created + b.id))
      scheduleSide()
    }
    if (p.personas) { state.personas = p.personas; scheduleSide() }
    if (p.prompts || p.facilitation || p.voting) renderStep()
    recount()
    for (const id of touchedAnchors) { const a = state.anchors.get(id); if (a) anchorCard(a) }
    scheduleCull()
    if (sideChanged) scheduleSide()
  }

  model.on("msg:custom", (msg) => {
    if (msg.type === "patch") applyPatch(msg)
    else if (msg.type === "status") setStatus(msg)
    else if (msg.type === "ack") answered(msg)
    else if (msg.type === "refused") {
      showAlert(t("refused", {reason: msg.message}))
      answered(msg)
      // Put back whatever the gesture changed locally.
      for (const id of state.drafts.keys()) if (!state.editing || state.editing.id !== id) dropDraft(id)
      for (const n of state.notes.values()) if (state.cards.has(n.id)) fillNoteCard(state.cards.get(n.id), n)
      for (const a of state.anchors.values()) anchorCard(a)
    } else if (msg.type === "snapshot") load(msg)
    else if (msg.type === "announce") announce(msg.message)
    else if (msg.type === "presence") { state.people = msg.people; renderRoom() }
    else if (msg.type === "editing") {
      state.locks = msg.locks || {}
      for (const [id, card] of state.cards) { const n = state.notes.get(id); if (n && state.editing?.id !== id) fillNoteCard(card, n) }
    } else if (msg.type === "timer") setTimer(msg)
    else if (msg.type === "view") { bringTo(msg); announce(t("brought_to_view", {name: msg.by || t("facilitator")})) }
    else if (msg.type === "changed") {
      state.changedIds = new Set(msg.ids)
      cull()
      renderList()
      announce(t("changed_since_count", {n: msg.ids.length, iteration: msg.iteration}))
    } else if (msg.type === "identity") {
      localStorage.removeItem("thc-pid")  // ids are the server's now (an HttpOnly cookie)
    }
  })

  // ---------------------------------------------------------------- exports
  const EXPORTS = [["html", "HTML"], ["png", "PNG"], ["svg", "SVG"], ["pdf", "PDF"], ["md", "Markdown"],
    ["csv", "CSV"], ["yaml", "YAML"], ["bundle", "ZIP"]]
  const exportStatus = h("p", {cls: "thc-meta", role: "status"})

  async function download(fmt, label) {
    const here = new URL(window.location.href)
    const url = new URL("./export", here)
    url.searchParams.set("session", model.session_name || "")
    url.searchParams.set("format", fmt)
    url.searchParams.set("lang", lang)
    for (const key of ["join", "view", "review"]) {
      const value = here.searchParams.get(key)
      if (value) url.searchParams.set(key, value)
    }
    exportStatus.textContent = t("export_preparing", {format: label})
    try {
      const response = await fetch(url, {credentials: "same-origin"})
      if (!response.ok) throw new Error(String(response.status))
      const blob = await response.blob()
      const disposition = response.headers.get("Content-Disposition") || ""
      const name = (disposition.match(/filename="([^"]+)"/) || [])[1] || `export.${fmt}`
      const link = h("a", {href: URL.createObjectURL(blob), download: name})
      root.append(link)
      link.click()
      link.remove()
      const leftOut = response.headers.get("X-Horizons-Left-Out")
      exportStatus.textContent = leftOut ? `${t("export_ready", {name})}. ${t("export_left_out", {name: leftOut})}`
        : t("export_ready", {name})
    } catch (err) {
      exportStatus.textContent = t("export_failed", {format: label})
    }
  }

  function renderExport() {
    if (!model.session_name) { exportBox.hidden = true; return }
    const row = h("div", {cls: "thc-row"})
    for (const [fmt, label] of EXPORTS) {
      if (fmt === "yaml" && model.role !== "facilitator") continue  // the session file is the facilitator's
      row.append(button(label, () => download(fmt, label), {"data-format": fmt}))
    }
    exportBox.replaceChildren(h("h2", {text: t("export")}), row, exportStatus)
  }

  // ---------------------------------------------------------------- compare mode
  function changeBadge(change, n) {
    const b = change.before
    const parts = []
    for (const kind of change.kinds) {
      if (kind === "added") parts.push(t("badge_added"))
      else if (kind === "removed") parts.push(t("badge_removed"))
      else if (kind === "moved") parts.push(t("badge_moved"))
      else if (kind === "edited") parts.push(t("badge_edited"))
      else if (kind === "horizon") parts.push(`${b.horizon}→${n ? n.horizon : "?"}`)
      else if (kind === "anchor") parts.push(t("badge_anchor"))
      else if (kind === "polarity") parts.push(`H2${b.polarity || ""}→H2${n?.polarity || ""}`)
    }
    return parts.join(" · ")
  }

  function changeText(change) {
    const n = state.notes.get(change.id)
    const text = n ? n.text : change.before?.text || ""
    return `${changeBadge(change, n)}: ${text || t("empty_note")}`
  }

  function setupCompare(payload) {
    if (!payload || !payload.changes) return
    state.cmp = {...payload, byId: new Map(payload.changes.map((c) => [c.id, c])), filter: {kind: "", horizon: "", anchor: ""}}
    ghostLayer.replaceChildren()
    arrows.replaceChildren()
    const marker = svg("marker", {id: "thc-arrowhead", viewBox: "0 0 10 10", refX: "9", refY: "5", markerWidth: "8",
      markerHeight: "8", orient: "auto-start-reverse"})
    marker.append(svg("path", {d: "M 0 0 L 10 5 L 0 10 z", fill: "#4a5360"}))
    const defs = svg("defs")
    defs.append(marker)
    arrows.append(defs)
    for (const c of payload.changes) {
      if (!c.before) continue
      const [left, top] = toPx(c.before.x, c.before.y, NOTE_W, NOTE_H)
      if (c.kinds.includes("removed") || c.kinds.includes("moved")) {
        const ghost = h("div", {cls: "thc-ghost", "data-id": c.id, "data-kind": c.kinds.includes("removed") ? "removed" : "moved",
          text: c.before.text || t("empty_note")})
        ghost.style.left = `${left}px`
        ghost.style.top = `${top}px`
        ghostLayer.append(ghost)
      }
      const now = state.notes.get(c.id)
      if (c.kinds.includes("moved") && now) {
        const [nl, nt] = toPx(now.x, now.y, NOTE_W, NOTE_H)
        arrows.append(svg("line", {x1: left + NOTE_W / 2, y1: top + NOTE_H / 2, x2: nl + NOTE_W / 2, y2: nt + NOTE_H / 2,
          class: "thc-arrow", "marker-end": "url(#thc-arrowhead)"}))
      }
    }
  }

  function cmpMatches(c) {
    const f = state.cmp.filter
    const n = state.notes.get(c.id) || c.before
    if (f.kind && !c.kinds.includes(f.kind)) return false
    if (f.horizon && n.horizon !== f.horizon && c.before?.horizon !== f.horizon) return false
    if (f.anchor && n.anchor !== f.anchor && c.before?.anchor !== f.anchor) return false
    return true
  }

  function focusChange(c, moveFocus = true) {
    if (state.notes.has(c.id)) { revealNote(c.id, moveFocus); return }
    const ghost = ghostLayer.querySelector(`[data-id="${CSS.escape(c.id)}"]`)
    if (!ghost || !c.before) return
    const r = viewport.getBoundingClientRect()
    const [left, top] = toPx(c.before.x, c.before.y, NOTE_W, NOTE_H)
    state.view.tx = r.width / 2 - (left + NOTE_W / 2) * state.view.scale
    state.view.ty = r.height / 2 - (top + NOTE_H / 2) * state.view.scale
    applyView()
    for (const g of ghostLayer.children) g.classList.toggle("focused", g === ghost)
    announce(changeText(c))
  }

  function renderCompare() {
    const cmp = state.cmp
    if (!cmp) { compareBox.hidden = true; return }
    compareBox.hidden = false
    const f = cmp.filter
    const kinds = ["added", "removed", "moved", "edited", "horizon", "anchor", "polarity"]
    const onChange = (key) => (v) => { f[key] = v; renderCompare() }
    const shown = cmp.changes.filter(cmpMatches)
    const list = h("ol", {cls: "thc-change-list"})
    for (const c of shown) {
      list.append(h("li", {}, h("button", {type: "button", cls: "thc-list-note", "data-change": c.id,
        text: changeText(c), onclick: () => focusChange(c)})))
    }
    list.addEventListener("keydown", (e) => {
      if (e.key !== "ArrowDown" && e.key !== "ArrowUp") return
      const buttons = [...list.querySelectorAll("button")]
      const i = buttons.indexOf(activeEl())
      const next = buttons[i + (e.key === "ArrowDown" ? 1 : -1)]
      if (!next) return
      e.preventDefault()
      next.focus()
      // Stepping shows each change on the board but keeps the focus in the list.
      const change = state.cmp.byId.get(next.dataset.change)
      if (change) focusChange(change, false)
    })
    const counts = cmp.counts
    const parts = [
      h("h2", {text: t("changes_since", {n: cmp.against.iteration, title: cmp.against.title})}),
      h("p", {cls: "thc-counts", "data-added": counts.added, "data-updated": counts.updated, "data-removed": counts.removed,
        text: t("change_counts", {added: counts.added, updated: counts.updated, removed: counts.removed})}),
      h("p", {cls: "thc-vote-totals", text: t("vote_totals", {iteration: cmp.against.iteration, ...cmp.votes})}),
      select(t("kind_of_change"), [["", t("all")], ...kinds.map((k) => [k, t("change_" + k)])], f.kind, onChange("kind")),
      select(t("horizon"), [["", t("all")], ...HORIZONS.map((x) => [x, x])], f.horizon, onChange("horizon")),
      select(t("anchor"), anchorOptions(t("all")), f.anchor, onChange("anchor")),
      list,
    ]
    if (cmp.summary?.length) {
      const ul = h("ul")
      for (const line of cmp.summary) ul.append(h("li", {text: line}))
      parts.push(h("h3", {text: t("per_anchor")}), ul)
    }
    const focused = activeEl()?.dataset?.change
    compareBox.replaceChildren(...parts)
    if (focused) compareBox.querySelector(`[data-change="${CSS.escape(focused)}"]`)?.focus()
  }

  function wordDiffBlock(change) {
    if (!change?.words) return null
    const p = h("p", {cls: "thc-words", "aria-label": t("text_changes")})
    for (const [op, token] of change.words) {
      p.append(op === "equal" ? document.createTextNode(token) : h(op === "insert" ? "ins" : "del", {text: token}))
    }
    return h("div", {}, h("h3", {text: t("text_changes")}), p)
  }

  // ---------------------------------------------------------------- facilitation
  const PSEUDO_A = ["Curious", "Bright", "Steady", "Kind", "Bold", "Quiet", "Patient", "Hopeful"]
  const PSEUDO_B = ["Otter", "Heron", "Badger", "Wren", "Kite", "Hare", "Salmon", "Robin"]
  function pseudonym() {
    const pick = (xs) => xs[Math.floor(Math.random() * xs.length)]
    return `${pick(PSEUDO_A)} ${pick(PSEUDO_B)}`
  }

  function renderStep() {
    const f = state.facilitation
    const parts = []
    if (f.step) {
      const name = f.step === "review" ? t("step_review") : `${f.step} · ${t(f.step.toLowerCase() + "_name")}`
      parts.push(t("step_now", {step: name}))
      const prompt = f.step !== "review" ? (lang === "cy" && state.prompts_cy?.[f.step]) || state.prompts[f.step] : ""
      if (prompt) parts.push(prompt)
    }
    if (f.private) parts.push(t("private_on"))
    if (f.locked) parts.push(t("board_locked"))
    stepBanner.textContent = parts.join(" — ")
    if (state.voting.open) {
      votesLeft.textContent = t("votes_left", {n: Math.max(0, state.voting.budget - (state.voting.used || 0)), budget: state.voting.budget})
    } else votesLeft.textContent = ""
    renderRun()
    renderRanked()
  }

  let timerTick = null
  let lastAnnounced = null
  function setTimer(msg) {
    state.timer = {...msg, at: performance.now()}
    clearInterval(timerTick)
    drawTimer()
    if (msg.running) timerTick = setInterval(drawTimer, 250)
  }
  function timerLeft() {
    const tm = state.timer
    if (!tm.running) return tm.remaining
    return Math.max(0, tm.remaining - (performance.now() - tm.at) / 1000)
  }
  function drawTimer() {
    const tm = state.timer
    if (!tm.duration && !tm.remaining) { timerEl.textContent = ""; timerEl.dataset.state = ""; return }
    const left = timerLeft()
    const whole = Math.ceil(left)
    timerEl.textContent = left > 0 ? `${Math.floor(whole / 60)}:${String(whole % 60).padStart(2, "0")}` : t("time_up")
    timerEl.dataset.state = left <= 0 ? "done" : tm.running ? "running" : "paused"
    const milestone = left <= 0 ? "end" : whole === 60 ? "minute" : null
    if (milestone && milestone !== lastAnnounced && tm.running) {
      lastAnnounced = milestone
      announce(milestone === "end" ? t("time_up") : t("one_minute_left"))
    }
    if (left > 60) lastAnnounced = null
    if (left <= 0) clearInterval(timerTick)
  }

  function bringTo(v) {
    const r = viewport.getBoundingClientRect()
    const fitScale = Math.max(0.1, Math.min(r.width / W, r.height / H))
    const scale = clamp(fitScale * v.zoom, 0.1, 4)
    state.view = {scale, tx: r.width / 2 - v.cx * W * scale, ty: r.height / 2 - (1 - v.cy) * H * scale}
    applyView()
  }

  function myView() {
    const r = viewport.getBoundingClientRect()
    const [wx, wy] = clientToWorld(r.left + r.width / 2, r.top + r.height / 2)
    const fitScale = Math.max(0.1, Math.min(r.width / W, r.height / H))
    return {cx: clamp(wx / W, 0, 1), cy: clamp(1 - wy / H, 0, 1), zoom: clamp(state.view.scale / fitScale, 0.1, 10)}
  }

  function toggle(label, checked, onchange) {
    const box = h("input", {type: "checkbox"})
    box.checked = !!checked
    box.addEventListener("change", () => onchange(box.checked))
    return h("label", {cls: "thc-toggle"}, box, h("span", {text: " " + label}))
  }

  function renderRun() {
    if (!canShape) { runBox.hidden = true; return }
    const f = state.facilitation
    const v = state.voting
    const stepRow = h("div", {cls: "thc-row", role: "group", "aria-label": t("steps")})
    for (const st of ["H1", "H3", "H2", "review"]) {
      const label = st === "review" ? t("step_review") : st
      const b = button(label, () => send({op: "step", step: f.step === st ? "" : st}), {"aria-pressed": f.step === st ? "true" : "false"})
      stepRow.append(b)
    }
    const parts = [h("h2", {text: t("run_workshop")}), stepRow]
    if (f.step && f.step !== "review") {
      const current = (lang === "cy" ? state.prompts_cy?.[f.step] : state.prompts[f.step]) || ""
      const area = h("textarea", {"aria-label": t("step_prompt"), value: current, rows: "2", "data-field": "prompt"})
      area.addEventListener("change", () => send({op: "prompt", horizon: f.step, text: area.value, lang}))
      parts.push(h("label", {cls: "thc-field"}, h("span", {text: t("step_prompt")}), area))
    }
    parts.push(
      toggle(t("open_all"), f.open_all, (x) => send({op: "facilitate", open_all: x})),
      toggle(t("private_writing"), f.private, (x) => send({op: "facilitate", private: x})),
      toggle(t("lock_board"), f.locked, (x) => send({op: "facilitate", locked: x})),
      h("div", {cls: "thc-row"},
        button(t("reveal"), () => send({op: "reveal"})),
        button(t("bring_everyone"), () => send({op: "bring", ...myView()}))),
    )
    const minutes = h("input", {type: "number", min: "1", max: "240", value: "5", "aria-label": t("minutes"), cls: "thc-num"})
    parts.push(h("h3", {text: t("timer")}), h("div", {cls: "thc-row"}, minutes,
      button(t("timer_start"), () => send({op: "timer", action: "start", seconds: Math.max(1, Number(minutes.value) || 5) * 60})),
      button(state.timer.running ? t("timer_pause") : t("timer_resume"), () => send({op: "timer", action: state.timer.running ? "pause" : "resume"})),
      button(t("timer_add"), () => send({op: "timer", action: "add", seconds: 60})),
      button(t("timer_reset"), () => send({op: "timer", action: "reset"}))))
    parts.push(h("h3", {text: t("dot_vote")}))
    if (v.open) {
      parts.push(h("p", {text: t("vote_open", {each: t("votes_each", {n: v.budget}), voted: t("people_voted", {n: v.voters || 0})})}),
        button(t("vote_close"), () => send({op: "vote_close"})))
    } else {
      const budget = h("input", {type: "number", min: "1", max: "50", value: String(v.budget || 5), "aria-label": t("vote_budget"), cls: "thc-num"})
      const kind = h("select", {"aria-label": t("vote_scope_kind")})
      kind.append(h("option", {value: "", text: t("all")}))
      for (const k of KINDS) kind.append(h("option", {value: k, text: t("kind_" + k)}))
      const hz = h("select", {"aria-label": t("vote_scope_horizon")})
      for (const x of ["", ...HORIZONS]) hz.append(h("option", {value: x, text: x || t("all")}))
      parts.push(
        h("label", {cls: "thc-field"}, h("span", {text: t("vote_budget")}), budget),
        h("label", {cls: "thc-field"}, h("span", {text: t("vote_scope_kind")}), kind),
        h("label", {cls: "thc-field"}, h("span", {text: t("vote_scope_horizon")}), hz),
        button(t("vote_start"), () => send({op: "vote_start", budget: Math.max(1, Math.round(Number(budget.value) || 5)),
          kind: kind.value, horizon: hz.value})))
    }
    const join = model.join || {}
    if (join.code) {
      const qr = svg("svg", {class: "thc-qr", viewBox: `-2 -2 ${join.qr.length + 4} ${join.qr.length + 4}`, role: "img",
        "aria-label": t("qr_label")})
      qr.append(svg("rect", {x: -2, y: -2, width: join.qr.length + 4, height: join.qr.length + 4, fill: "#fff"}))
      join.qr.forEach((row, y) => {
        for (let x = 0; x < row.length; x++) if (row[x] === "1") qr.append(svg("rect", {x, y, width: 1, height: 1, fill: "#000"}))
      })
      const link = h("input", {type: "text", readonly: true, value: join.link, "aria-label": t("join_link")})
      const observe = h("input", {type: "text", readonly: true, value: join.observe, "aria-label": t("observer_link")})
      const review = h("input", {type: "text", readonly: true, value: join.review || "", "aria-label": t("review_link")})
      parts.push(h("h3", {text: t("join_title")}), h("p", {cls: "thc-code", text: t("join_code_is", {code: join.code})}), qr,
        h("label", {cls: "thc-field"}, h("span", {text: t("join_link")}), link),
        h("label", {cls: "thc-field"}, h("span", {text: t("observer_link")}), observe),
        h("label", {cls: "thc-field"}, h("span", {text: t("review_link")}), review))
    }
    const focusKey = activeEl()?.dataset?.field
    runBox.replaceChildren(...parts)
    if (focusKey === "prompt") runBox.querySelector('[data-field="prompt"]')?.focus()
  }

  function renderRanked() {
    const ranked = state.voting.ranked || []
    if (state.voting.open || !ranked.length) { rankBox.replaceChildren(); return }
    const ol = h("ol")
    for (const r of ranked) {
      ol.append(h("li", {}, h("button", {type: "button", cls: "thc-list-note", text: `${r.text} (${t("votes_count", {n: r.votes})})`,
        onclick: () => revealNote(r.id)})))
    }
    rankBox.replaceChildren(h("h2", {text: t("vote_results")}), ol)
  }

  function renderRoom() {
    const ul = h("ul")
    for (const p of state.people) ul.append(h("li", {text: `${p.name || t("no_name_yet")} (${t("role_" + p.role)})`}))
    roomBox.replaceChildren(h("h2", {text: t("in_the_room_n", {n: state.people.length})}), ul)
  }

  // ---------------------------------------------------------------- drafts and editing
  function startDraft(x, y, anchor = null) {
    if (!canWrite) return
    if (!canShape && !nameInput.value.trim()) {
      showAlert(t("name_first"))
      nameInput.focus()
      return
    }
    const id = newId("n")
    const note = {id, text: "", x, y, horizon: "", anchor, polarity: null, colour: "yellow",
      author: nameInput.value, votes: 0, rev: 0}
    state.drafts.set(id, note)
    const card = h("div", {cls: "thc-note draft", role: "listitem", tabindex: "0"})
    card.style.setProperty("--note-bg", state.settings.palette?.yellow || "#fff3a6")
    const [left, top] = toPx(x, y, NOTE_W, NOTE_H)
    card.style.left = `${left}px`
    card.style.top = `${top}px`
    card.dataset.id = id
    state.cards.set(id, card)
    noteLayer.append(card)
    beginEdit(id, true)
  }

  function startDraftAtCentre(anchor = null) {
    const [x, y] = viewCentreUnit()
    startDraft(x, y, anchor)
  }

  function dropDraft(id) {
    state.drafts.delete(id)
    if (!state.notes.has(id)) {
      state.cards.get(id)?.remove()
      state.cards.delete(id)
    }
    if (state.editing?.id === id && !state.notes.has(id)) state.editing = null
  }

  function beginEdit(id, draft = false) {
    const card = state.cards.get(id)
    const note = state.notes.get(id) || state.drafts.get(id)
    if (!card || !note) return
    if (!draft) {
      if (!canEditNote(note)) { showAlert(t("not_yours")); return }
      if (state.locks[id]) { showAlert(t("is_editing", {name: state.locks[id]})); return }
      send({op: "editing", id})
    }
    const area = h("textarea", {cls: "thc-editor", "aria-label": t("note_text"),
      maxlength: String(state.settings.max_text || 500), value: note.text})
    state.editing = {id, draft, area}
    card.replaceChildren(area)
    card.classList.add("editing")
    area.addEventListener("keydown", (e) => {
      e.stopPropagation()
      if (e.key === "Enter" && !e.shiftKey) { e.preventDefault(); commitEdit() } else if (e.key === "Escape") { e.preventDefault(); cancelEdit() }
    })
    area.addEventListener("blur", () => { if (state.editing?.area === area) commitEdit() })
    area.addEventListener("pointerdown", (e) => e.stopPropagation())
    area.addEventListener("dblclick", (e) => e.stopPropagation())
    area.focus()
    area.select()
  }

  function finishEdit(id, sent = false) {
    const card = state.cards.get(id)
    state.editing = null
    if (!sent) send({op: "editing", id: null})
    if (!card) return
    card.classList.remove("editing")
    const note = state.notes.get(id)
    if (note) { fillNoteCard(card, note); card.focus() }
  }

  function commitEdit() {
    const ed = state.editing
    if (!ed) return
    const text = ed.area.value
    if (ed.draft) {
      const d = state.drafts.get(ed.id)
      state.editing = null
      if (!text.trim()) { dropDraft(ed.id); viewport.focus(); return }
      const card = state.cards.get(ed.id)
      card.classList.remove("editing")
      card.replaceChildren(h("div", {cls: "thc-note-text", text}))
      const op = {op: "add", id: ed.id, x: d.x, y: d.y, text}
      if (d.anchor) op.anchor = d.anchor
      send(op)
      selectNote(ed.id)
      card.focus()
      return
    }
    const note = state.notes.get(ed.id)
    const changed = note && text !== note.text
    finishEdit(ed.id, changed)
    if (changed) send({op: "edit", id: ed.id, text})
  }

  function cancelEdit() {
    const ed = state.editing
    if (!ed) return
    if (ed.draft) { state.editing = null; dropDraft(ed.id); viewport.focus(); return }
    finishEdit(ed.id)
  }

  // ---------------------------------------------------------------- selection
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
  function refreshSelection() {
    for (const [id, card] of state.cards) {
      card.classList.toggle("selected", state.selected.has(id))
      const n = state.notes.get(id)
      if (n) card.setAttribute("aria-label", noteLabel(n) + (state.selected.has(id) ? `, ${t("selected")}` : ""))
    }
    for (const [id, card] of state.anchorCards) card.classList.toggle("selected", state.selectedAnchor === id)
    renderDetails()
  }

  // ---------------------------------------------------------------- pointer gestures
  let gesture = null
  const pointers = new Map()

  function anchorAt(clientX, clientY, exceptId) {
    const [wx, wy] = clientToWorld(clientX, clientY)
    for (const a of state.anchors.values()) {
      if (a.id === exceptId) continue
      const [left, top] = toPx(a.x, a.y, ANCHOR_W, ANCHOR_H)
      if (wx >= left - 6 && wx <= left + ANCHOR_W + 6 && wy >= top - 6 && wy <= top + ANCHOR_H + 6) return a.id
    }
    return null
  }

  viewport.addEventListener("pointerdown", (e) => {
    pointers.set(e.pointerId, [e.clientX, e.clientY])
    if (pointers.size === 2) { startPinch(); return }
    if (e.button === 1 || (e.button === 0 && spaceDown)) { startPan(e); return }
    if (e.button !== 0) return
    const noteEl = e.target.closest(".thc-note")
    const anchorEl = e.target.closest(".thc-anchor")
    if (noteEl && !noteEl.classList.contains("draft")) {
      const id = noteEl.dataset.id
      if (!state.selected.has(id) || e.shiftKey) selectNote(id, e.shiftKey)
      const ids = [...state.selected].filter((i) => state.notes.has(i) && canEditNote(state.notes.get(i)))
      gesture = {kind: "notes", ids, start: [e.clientX, e.clientY], moved: false,
        origin: new Map(ids.map((i) => [i, toPx(state.notes.get(i).x, state.notes.get(i).y, NOTE_W, NOTE_H)]))}
      e.preventDefault()
    } else if (anchorEl) {
      const id = anchorEl.dataset.id
      selectAnchor(id)
      if (canShape) {
        const a = state.anchors.get(id)
        gesture = {kind: "anchor", id, start: [e.clientX, e.clientY], moved: false,
          origin: toPx(a.x, a.y, ANCHOR_W, ANCHOR_H)}
      }
      e.preventDefault()
    } else if (!e.target.closest("textarea")) {
      const [wx, wy] = clientToWorld(e.clientX, e.clientY)
      gesture = {kind: "lasso", start: [e.clientX, e.clientY], world: [wx, wy], moved: false, add: e.shiftKey}
    }
  })

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
      state.view.tx = gesture.view.tx + dx
      state.view.ty = gesture.view.ty + dy
      applyView()
    } else if (gesture.kind === "notes") {
      for (const id of gesture.ids) {
        const card = state.cards.get(id)
        const [l, tp] = gesture.origin.get(id)
        if (!card) continue
        card.style.left = `${clamp(l + dx / k, 0, W - NOTE_W)}px`
        card.style.top = `${clamp(tp + dy / k, 0, H - NOTE_H)}px`
        card.classList.add("dragging")
      }
      const over = gesture.ids.length === 1 ? anchorAt(e.clientX, e.clientY) : null
      for (const [id, card] of state.anchorCards) card.classList.toggle("drop-target", id === over)
    } else if (gesture.kind === "anchor") {
      const card = state.anchorCards.get(gesture.id)
      card.style.left = `${clamp(gesture.origin[0] + dx / k, 0, W - ANCHOR_W)}px`
      card.style.top = `${clamp(gesture.origin[1] + dy / k, 0, H - ANCHOR_H)}px`
    } else if (gesture.kind === "lasso") {
      const r = viewport.getBoundingClientRect()
      const x0 = Math.min(e.clientX, gesture.start[0]) - r.left
      const y0 = Math.min(e.clientY, gesture.start[1]) - r.top
      Object.assign(lasso.style, {left: `${x0}px`, top: `${y0}px`,
        width: `${Math.abs(dx)}px`, height: `${Math.abs(dy)}px`})
      lasso.hidden = false
    }
  })

  function endGesture(e) {
    pointers.delete(e.pointerId)
    const g = gesture
    if (!g) return
    if (g.kind === "pinch") { if (pointers.size < 2) gesture = null; return }
    gesture = null
    for (const card of state.anchorCards.values()) card.classList.remove("drop-target")
    if (e.type === "pointercancel") { lasso.hidden = true; return }
    if (g.kind === "notes" && g.moved) {
      const moves = []
      for (const id of g.ids) {
        const card = state.cards.get(id)
        card?.classList.remove("dragging")
        if (!card) continue
        const [x, y] = toUnit(parseFloat(card.style.left), parseFloat(card.style.top))
        moves.push({id, x, y})
      }
      if (moves.length === 1) {
        const over = anchorAt(e.clientX, e.clientY)
        const op = {op: "move", id: moves[0].id, x: moves[0].x, y: moves[0].y}
        if (over) op.anchor = over
        send(op)
      } else if (moves.length) send({op: "move_many", moves})
    } else if (g.kind === "notes" && !g.moved) {
      state.cards.get(g.ids[0])?.focus()
    } else if (g.kind === "anchor" && g.moved) {
      const card = state.anchorCards.get(g.id)
      const [x, y] = toUnit(parseFloat(card.style.left), parseFloat(card.style.top))
      send({op: "anchor_move", id: g.id, x, y})
    } else if (g.kind === "anchor") {
      state.anchorCards.get(g.id)?.focus()
    } else if (g.kind === "lasso") {
      lasso.hidden = true
      if (!g.moved) { if (!g.add) { state.selected.clear(); state.selectedAnchor = null; refreshSelection() } return }
      const [wx, wy] = clientToWorld(e.clientX, e.clientY)
      const [x0, x1] = [Math.min(wx, g.world[0]), Math.max(wx, g.world[0])]
      const [y0, y1] = [Math.min(wy, g.world[1]), Math.max(wy, g.world[1])]
      if (!g.add) state.selected.clear()
      for (const n of state.notes.values()) {
        if (!matches(n)) continue
        const [left, top] = toPx(n.x, n.y, NOTE_W, NOTE_H)
        if (left + NOTE_W >= x0 && left <= x1 && top + NOTE_H >= y0 && top <= y1) state.selected.add(n.id)
      }
      state.selectedAnchor = null
      refreshSelection()
      announce(t("selected_count", {n: state.selected.size}))
    }
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
    state.view.tx += mid[0] - gesture.mid[0]
    state.view.ty += mid[1] - gesture.mid[1]
    if (gesture.dist > 0) zoomBy(dist / gesture.dist, mid[0] - r.left, mid[1] - r.top)
    else applyView()
    gesture.dist = dist
    gesture.mid = mid
  }

  viewport.addEventListener("wheel", (e) => {
    e.preventDefault()
    const r = viewport.getBoundingClientRect()
    if (e.ctrlKey || e.metaKey) zoomBy(Math.exp(-e.deltaY / 300), e.clientX - r.left, e.clientY - r.top)
    else { state.view.tx -= e.deltaX; state.view.ty -= e.deltaY; applyView() }
  }, {passive: false})

  viewport.addEventListener("dblclick", (e) => {
    const noteEl = e.target.closest(".thc-note")
    if (noteEl) { if (!noteEl.classList.contains("draft")) beginEdit(noteEl.dataset.id); return }
    if (!canWrite) return
    const anchorEl = e.target.closest(".thc-anchor")
    const [wx, wy] = clientToWorld(e.clientX, e.clientY)
    const [x, y] = toUnit(clamp(wx - NOTE_W / 2, 0, W - NOTE_W), clamp(wy - 10, 0, H - NOTE_H))
    startDraft(x, y, anchorEl ? anchorEl.dataset.id : null)
  })

  // ---------------------------------------------------------------- keyboard
  let spaceDown = false
  const nudgeTimers = new Map()
  function nudge(kind, id, dx, dy) {
    const item = kind === "note" ? state.notes.get(id) : state.anchors.get(id)
    if (!item) return
    const local = state.pendingMoves.get(id) || {x: item.x, y: item.y}
    local.x = clamp(local.x + dx, 0, 1)
    local.y = clamp(local.y + dy, 0, 1)
    state.pendingMoves.set(id, local)
    const card = kind === "note" ? state.cards.get(id) : state.anchorCards.get(id)
    const [left, top] = toPx(local.x, local.y, kind === "note" ? NOTE_W : ANCHOR_W, kind === "note" ? NOTE_H : ANCHOR_H)
    if (card) { card.style.left = `${left}px`; card.style.top = `${top}px` }
    clearTimeout(nudgeTimers.get(id))
    nudgeTimers.set(id, setTimeout(() => {
      nudgeTimers.delete(id)
      state.pendingMoves.delete(id)
      const [ux, uy] = toUnit(left, top)
      if (kind === "note") {
        // Keyboard moves keep a note on its anchor; detaching is done from the details panel.
        const op = {op: "move", id, x: ux, y: uy}
        if (item.anchor) op.anchor = item.anchor
        send(op)
      } else send({op: "anchor_move", id, x: ux, y: uy})
    }, 400))
  }

  root.addEventListener("keydown", (e) => {
    const target = e.target
    const typing = target.matches("input, textarea, select")
    if ((e.ctrlKey || e.metaKey) && !typing) {
      const key = e.key.toLowerCase()
      if (key === "z" && !e.shiftKey) { e.preventDefault(); send({op: "undo"}); return }
      if ((key === "z" && e.shiftKey) || key === "y") { e.preventDefault(); send({op: "redo"}); return }
    }
    if (typing) return
    if (e.key === " " && target === viewport) { spaceDown = true; return }
    const noteEl = target.closest?.(".thc-note")
    const anchorEl = target.closest?.(".thc-anchor")
    const step = e.shiftKey ? 0.05 : 0.01
    const arrows = {ArrowLeft: [-step, 0], ArrowRight: [step, 0], ArrowUp: [0, step], ArrowDown: [0, -step]}
    if (noteEl && !noteEl.classList.contains("draft")) {
      const id = noteEl.dataset.id
      const n = state.notes.get(id)
      if (state.voting.open && n?.in_scope && canWrite && (e.key === "+" || e.key === "=" || e.key === "-")) {
        e.preventDefault()
        send({op: "vote", id, delta: e.key === "-" ? -1 : 1})
        return
      }
      if (e.key === " ") { e.preventDefault(); selectNote(id, e.shiftKey); return }
      if (!canEditNote(n)) return
      if (e.key === "Enter" || e.key === "F2") { e.preventDefault(); beginEdit(id); return }
      if (e.key === "Delete" || e.key === "Backspace") {
        e.preventDefault()
        const ids = state.selected.has(id) ? [...state.selected] : [id]
        send({op: "delete", ids})
        return
      }
      if (arrows[e.key]) { e.preventDefault(); nudge("note", id, ...arrows[e.key]); return }
    }
    if (anchorEl) {
      const id = anchorEl.dataset.id
      if (e.key === "Enter" || e.key === " ") { e.preventDefault(); selectAnchor(id); return }
      if (canShape && arrows[e.key]) { e.preventDefault(); nudge("anchor", id, ...arrows[e.key]); return }
      if (e.key === "n" || e.key === "N") {
        e.preventDefault()
        const a = state.anchors.get(id)
        startDraft(a.x, a.y, id)
        return
      }
    }
    if ((e.key === "n" || e.key === "N") && canWrite) { e.preventDefault(); startDraftAtCentre(); return }
    if (e.key === "Escape") { state.selected.clear(); state.selectedAnchor = null; refreshSelection() }
  })
  root.addEventListener("keyup", (e) => { if (e.key === " ") spaceDown = false })
  root.addEventListener("focusin", (e) => {
    const noteEl = e.target.closest?.(".thc-note")
    if (noteEl && !noteEl.classList.contains("draft") && !state.selected.has(noteEl.dataset.id) && !gesture) {
      selectNote(noteEl.dataset.id)
    }
  })

  nameInput.addEventListener("change", () => {
    localStorage.setItem("thc-name", nameInput.value)
    send({op: "name", name: nameInput.value})
  })

  // ---------------------------------------------------------------- side panel
  let sideQueued = null
  function scheduleSide() {
    if (sideQueued) return
    sideQueued = setTimeout(() => { sideQueued = null; renderSide() }, 120)
  }
  function renderSide() {
    renderExport()
    renderCompare()
    renderPersonas()
    renderRoom()
    renderRun()
    renderRanked()
    renderDetails()
    renderFilters()
    renderShape()
    renderList()
  }

  function select(label, options, value, onchange, attrs = {}) {
    const sel = h("select", {"aria-label": label, ...attrs})
    for (const [v, text] of options) {
      const opt = h("option", {value: v, text})
      if (v === (value ?? "")) opt.selected = true
      sel.append(opt)
    }
    sel.addEventListener("change", () => onchange(sel.value))
    return h("label", {cls: "thc-field"}, h("span", {text: label}), sel)
  }

  function anchorOptions(none) {
    const opts = [["", none]]
    for (const kind of KINDS) {
      for (const a of [...state.anchors.values()].filter((x) => x.kind === kind).sort((p, q) => L(p, "title").localeCompare(L(q, "title")))) {
        opts.push([a.id, `${t("kind_" + kind)}: ${L(a, "title")}`])
      }
    }
    return opts
  }

  function renderDetails() {
    const focusKey = activeEl()?.dataset?.field
    const ids = [...state.selected].filter((i) => state.notes.has(i))
    const parts = [h("h2", {text: t("details")})]
    if (ids.length === 1) {
      const n = state.notes.get(ids[0])
      const editable = canEditNote(n)
      if (editable) {
        const area = h("textarea", {"aria-label": t("note_text"), value: n.text, "data-field": "text",
          maxlength: String(state.settings.max_text || 500), rows: "4"})
        const save = () => { if (area.value !== n.text) send({op: "edit", id: n.id, text: area.value}) }
        area.addEventListener("change", save)
        parts.push(h("label", {cls: "thc-field"}, h("span", {text: t("note_text")}), area))
        parts.push(select(t("anchor"), anchorOptions(t("no_anchor")), n.anchor, (v) => {
          if (v) send({op: "attach", id: n.id, anchor: v})
          else send({op: "move", id: n.id, x: n.x, y: n.y})
        }, {"data-field": "anchor"}))
        parts.push(select(t("horizon"), HORIZONS.map((x) => [x, `${x} · ${t(x.toLowerCase() + "_name")}`]), n.horizon,
          (v) => send({op: "style", id: n.id, horizon: v}), {"data-field": "horizon"}))
        if (n.horizon === "H2") {
          parts.push(select(t("polarity"), [["", t("polarity_none")], ["+", t("polarity_plus")], ["-", t("polarity_minus")]],
            n.polarity || "", (v) => send({op: "style", id: n.id, polarity: v || null}), {"data-field": "polarity"}))
        }
        const palette = Object.keys(state.settings.palette || {})
        parts.push(select(t("colour"), palette.map((c) => [c, t("colour_" + c)]), n.colour,
          (v) => send({op: "style", id: n.id, colour: v}), {"data-field": "colour"}))
      } else {
        const a = n.anchor && state.anchors.get(n.anchor)
        parts.push(h("p", {cls: "thc-note-detail", text: n.text || t("empty_note")}),
          h("p", {cls: "thc-meta", text: `${n.horizon}${n.polarity || ""}${a ? " · " + t("on_anchor", {title: L(a, "title")}) : ""}`}))
      }
      const facts = [n.author ? t("by_author", {name: n.author}) : ""]
      if (n.votes !== null && n.votes !== undefined) facts.push(t("votes_count", {n: n.votes}))
      if (n.private) facts.push(t("private_note"))
      if (n.hidden) facts.push(t("hidden_note"))
      parts.push(h("p", {cls: "thc-meta", text: facts.filter(Boolean).join(" · ")}))
      const row = h("div", {cls: "thc-row"}, button(t("show_on_board"), () => revealNote(n.id)))
      if (state.voting.open && n.in_scope && canWrite) {
        row.append(button(t("vote"), () => send({op: "vote", id: n.id, delta: 1}), {"data-field": "vote"}),
          button(t("unvote"), () => send({op: "vote", id: n.id, delta: -1}), {"data-field": "unvote"}))
        parts.push(h("p", {cls: "thc-meta", text: t("my_votes", {n: n.my_votes || 0})}))
      }
      if (editable) row.append(button(t("delete_note"), () => send({op: "delete", ids: [n.id]}), {"data-field": "delete"}))
      if (canShape) {
        row.append(button(n.hidden ? t("unhide_note") : t("hide_note"), () => send({op: "hide", id: n.id, hidden: !n.hidden}),
          {"data-field": "hide"}))
      }
      parts.push(row, wordDiffBlock(state.cmp?.byId.get(n.id)), voicesBlock(n, editable), commentBlock(n.id))
    } else if (ids.length > 1) {
      parts.push(h("p", {text: t("selected_count", {n: ids.length})}))
      if (ids.every((i) => canEditNote(state.notes.get(i)))) parts.push(button(t("delete_selected"), () => send({op: "delete", ids})))
      if (canShape) {
        const kindSel = h("select", {"aria-label": t("anchor_kind")})
        for (const k of KINDS) kindSel.append(h("option", {value: k, text: t("kind_" + k)}))
        kindSel.value = "challenge_area"
        const title = h("input", {type: "text", "aria-label": t("anchor_title"), placeholder: t("anchor_title"), maxlength: "120"})
        parts.push(h("div", {cls: "thc-gather"}, h("h3", {text: t("gather")}), kindSel, title,
          button(t("gather_button"), () => {
            if (!title.value.trim()) { showAlert(t("title_needed")); title.focus(); return }
            send({op: "gather", ids, anchor_id: newId("a"), kind: kindSel.value, title: title.value})
          })))
      }
    } else if (state.selectedAnchor && state.anchors.has(state.selectedAnchor)) {
      const a = state.anchors.get(state.selectedAnchor)
      parts.push(h("h3", {text: `${t("kind_" + a.kind)} · ${a.horizon}`}))
      if (canShape) {
        const own = (field) => (lang === "cy" ? a[field + "_cy"] : a[field]) || ""
        const title = h("input", {type: "text", value: own("title"), "aria-label": t("anchor_title"), maxlength: "120", "data-field": "atitle"})
        title.addEventListener("change", () => send({op: "anchor_edit", id: a.id, title: title.value, lang}))
        const summary = h("textarea", {value: own("summary"), "aria-label": t("anchor_summary"), rows: "4", "data-field": "asummary"})
        summary.addEventListener("change", () => send({op: "anchor_edit", id: a.id, summary: summary.value, lang}))
        parts.push(h("label", {cls: "thc-field"}, h("span", {text: t("anchor_title")}), title))
        parts.push(h("label", {cls: "thc-field"}, h("span", {text: t("anchor_summary")}), summary))
        parts.push(select(t("anchor_kind"), KINDS.map((k) => [k, t("kind_" + k)]), a.kind,
          (v) => send({op: "anchor_edit", id: a.id, kind: v})))
      } else {
        parts.push(h("p", {cls: "thc-anchor-title", text: L(a, "title")}), h("p", {text: L(a, "summary")}))
      }
      if (L(a, "prompt")) parts.push(h("p", {cls: "thc-prompt", text: L(a, "prompt")}))
      parts.push(h("p", {text: t("notes_on", {n: countOn(a.id)})}))
      const row = h("div", {cls: "thc-row"})
      if (canWrite) row.append(button(t("add_note_here"), () => startDraft(a.x, a.y, a.id)))
      if (canShape) row.append(button(t("delete_anchor"), () => send({op: "anchor_delete", id: a.id})))
      parts.push(row, commentBlock(a.id))
    } else {
      parts.push(h("p", {cls: "thc-hint", text: t("details_hint")}))
    }
    details.replaceChildren(...parts.filter(Boolean))
    if (focusKey) details.querySelector(`[data-field="${focusKey}"]`)?.focus()
  }

  function renderFilters() {
    const f = state.filter
    const onChange = (key) => (v) => { f[key] = v; cull(); renderList() }
    const authors = [...new Set([...state.notes.values()].map((n) => n.author).filter(Boolean))].sort()
    const tags = [...new Set([...state.notes.values()].flatMap((n) => n.tags || []))].sort()
    const search = h("input", {type: "search", value: f.search, "aria-label": t("search"), placeholder: t("search"),
      "data-field": "search"})
    search.addEventListener("input", () => { f.search = search.value; cull(); renderList() })
    const minVotes = h("input", {type: "number", min: "0", value: String(f.minVotes || 0), cls: "thc-num",
      "aria-label": t("min_votes"), "data-field": "minvotes"})
    minVotes.addEventListener("change", () => { f.minVotes = Math.max(0, Number(minVotes.value) || 0); cull(); renderList() })
    const parts = [
      h("h2", {text: t("filters")}),
      h("label", {cls: "thc-field"}, h("span", {text: t("search")}), search),
      select(t("horizon"), [["", t("all")], ...HORIZONS.map((x) => [x, x])], f.horizon, onChange("horizon")),
      select(t("anchor_kind"), [["", t("all")], ...KINDS.map((k) => [k, t("kind_" + k)])], f.kind, onChange("kind")),
      select(t("anchor"), anchorOptions(t("all")), f.anchor, onChange("anchor")),
      select(t("persona"), [["", t("all")], ...state.personas.map((p) => [p.id, L(p, "name")])], f.persona, onChange("persona")),
      select(t("author"), [["", t("all")], ...authors.map((a) => [a, a])], f.author, onChange("author")),
    ]
    if (tags.length) parts.push(select(t("tag"), [["", t("all")], ...tags.map((x) => [x, x])], f.tag, onChange("tag")))
    parts.push(h("label", {cls: "thc-field"}, h("span", {text: t("min_votes")}), minVotes))
    const earlier = model.iterations || []
    if (earlier.length) {
      parts.push(select(t("changed_since"), [["", t("all")], ...earlier.map((i) => [String(i.number), t("iteration", {n: i.number})])],
        f.since ? String(f.since) : "", (v) => {
          f.since = Number(v) || 0
          state.changedIds = null
          if (f.since) send({op: "changed_since", iteration: f.since})
          cull()
          renderList()
        }))
    }
    const focusKey = activeEl()?.dataset?.field
    filters.replaceChildren(...parts)
    if (focusKey) filters.querySelector(`[data-field="${focusKey}"]`)?.focus()
  }

  function renderPersonas() {
    if (!state.personas.length) { personaBox.replaceChildren(); return }
    const lensSel = select(t("persona_lens"), [["", t("no_lens")], ...state.personas.map((p) => [p.id, `${L(p, "name")} · ${L(p, "role")}`])],
      state.lens, (v) => {
        state.lens = v
        for (const a of state.anchors.values()) anchorCard(a)
        for (const [id, card] of state.cards) { const n = state.notes.get(id); if (n) fillNoteCard(card, n) }
        const p = lensPersona()
        announce(p ? t("lens_on", {name: L(p, "name")}) : t("lens_off"))
      }, {"data-field": "lens"})
    const cards = h("div", {cls: "thc-personas"})
    for (const p of state.personas) {
      const areas = p.challenge_areas.map((id) => L(state.anchors.get(id), "title") || id).join(", ")
      const links = p.links.map((id) => L(state.personas.find((x) => x.id === id), "name") || id).join(", ")
      cards.append(h("details", {cls: "thc-persona", "data-persona": p.id},
        h("summary", {text: `${L(p, "name")} · ${L(p, "role")}`}),
        h("p", {cls: "thc-meta", text: `${t("group_" + p.group)} · ${t("persona_" + p.type)}`}),
        L(p, "message") ? h("p", {cls: "thc-message", text: L(p, "message")}) : null,
        p.quote ? h("blockquote", {text: p.quote}) : null,
        areas ? h("p", {text: `${t("challenge_areas")}: ${areas}`}) : null,
        links ? h("p", {text: `${t("linked_personas")}: ${links}`}) : null))
    }
    personaBox.replaceChildren(h("h2", {text: t("personas")}), lensSel, cards)
  }

  function commentBlock(targetId) {
    if (!canComment) return null
    const mine = state.comments.filter((c) => c.target === targetId)
    const box = h("section", {cls: "thc-comments", "aria-label": t("comments")}, h("h3", {text: t("comments")}))
    const ul = h("ul")
    for (const c of mine) ul.append(h("li", {text: `${c.author || t("someone")}: ${c.text}`}))
    if (mine.length) box.append(ul)
    const area = h("textarea", {rows: "2", "aria-label": t("add_comment"), "data-field": "comment", maxlength: "2000"})
    box.append(h("label", {cls: "thc-field"}, h("span", {text: t("add_comment")}), area),
      button(t("add_comment"), () => {
        if (!area.value.trim()) { area.focus(); return }
        send({op: "comment", id: newId("c"), target: targetId, text: area.value})
        area.value = ""
      }, {"data-field": "comment-send"}))
    return box
  }

  function voicesBlock(n, editable) {
    if (!state.personas.length) return null
    const box = h("section", {cls: "thc-voices", "aria-label": t("voices")}, h("h3", {text: t("voices")}))
    if (editable) {
      const group = h("div", {cls: "thc-checks", role: "group", "aria-label": t("link_personas")})
      for (const p of state.personas) {
        const check = h("input", {type: "checkbox", value: p.id})
        check.checked = (n.personas || []).includes(p.id)
        check.addEventListener("change", () => {
          const chosen = [...group.querySelectorAll("input:checked")].map((x) => x.value)
          send({op: "personas", id: n.id, personas: chosen})
        })
        group.append(h("label", {cls: "thc-toggle"}, check, h("span", {text: " " + L(p, "name")})))
      }
      box.append(group)
    }
    const linked = state.personas.filter((p) => (n.personas || []).includes(p.id))
    if (linked.length) {
      box.append(h("p", {cls: "thc-prompt", text: t("how_would_they_respond")}))
      for (const p of linked) box.append(h("p", {}, h("strong", {text: `${L(p, "name")}: `}), h("span", {text: L(p, "message")})))
    }
    return box
  }

  function renderShape() {
    if (!canShape) { shapeBox.hidden = true; return }
    const s = state.settings
    const kindSel = h("select", {"aria-label": t("anchor_kind")})
    for (const k of KINDS) kindSel.append(h("option", {value: k, text: t("kind_" + k)}))
    kindSel.value = "challenge_area"
    const title = h("input", {type: "text", "aria-label": t("anchor_title"), placeholder: t("anchor_title"), maxlength: "120"})
    const from = h("input", {type: "text", value: s.axis_from, "aria-label": t("axis_from"), maxlength: "40"})
    const to = h("input", {type: "text", value: s.axis_to, "aria-label": t("axis_to"), maxlength: "40"})
    const peak = h("input", {type: "range", min: "0.2", max: "0.8", step: "0.01", value: s.h2_peak, "aria-label": t("h2_peak")})
    const cross = h("input", {type: "range", min: "0.2", max: "0.8", step: "0.01", value: s.crossover, "aria-label": t("crossover")})
    shapeBox.replaceChildren(
      h("details", {},
        h("summary", {text: t("shape_board")}),
        h("div", {cls: "thc-field"}, h("span", {text: t("new_anchor")}), kindSel, title,
          button(t("add_anchor"), () => {
            if (!title.value.trim()) { showAlert(t("title_needed")); title.focus(); return }
            const [x, y] = viewCentreUnit()
            send({op: "anchor_add", id: newId("a"), kind: kindSel.value, title: title.value, x, y})
            title.value = ""
          })),
        h("label", {cls: "thc-field"}, h("span", {text: t("axis_from")}), from),
        h("label", {cls: "thc-field"}, h("span", {text: t("axis_to")}), to),
        h("label", {cls: "thc-field"}, h("span", {text: t("h2_peak")}), peak),
        h("label", {cls: "thc-field"}, h("span", {text: t("crossover")}), cross),
        button(t("apply_settings"), () => send({op: "settings", axis_from: from.value, axis_to: to.value,
          h2_peak: parseFloat(peak.value), crossover: parseFloat(cross.value)})),
      ),
    )
  }

  function revealNote(id, moveFocus = true) {
    const n = state.notes.get(id)
    if (!n) return
    if (!matches(n)) { state.filter = {horizon: "", kind: "", anchor: ""}; renderFilters() }
    const r = viewport.getBoundingClientRect()
    const [left, top] = toPx(n.x, n.y, NOTE_W, NOTE_H)
    state.view.tx = r.width / 2 - (left + NOTE_W / 2) * state.view.scale
    state.view.ty = r.height / 2 - (top + NOTE_H / 2) * state.view.scale
    applyView()
    cull()
    selectNote(id)
    if (moveFocus) state.cards.get(id)?.focus()
  }

  function renderList() {
    const groups = new Map(HORIZONS.map((hz) => [hz, new Map()]))
    for (const n of state.notes.values()) {
      if (!matches(n)) continue
      const byAnchor = groups.get(n.horizon)
      const key = n.anchor || ""
      if (!byAnchor.has(key)) byAnchor.set(key, [])
      byAnchor.get(key).push(n)
    }
    const parts = [h("h2", {text: t("all_notes")})]
    if (canWrite) parts.push(button(t("add_note"), () => startDraftAtCentre()))
    for (const [hz, byAnchor] of groups) {
      const section = h("section", {cls: "thc-group", "aria-label": hz})
      section.append(h("h3", {text: `${hz} · ${t(hz.toLowerCase() + "_name")}`}))
      const keys = [...byAnchor.keys()].sort((a, b) => (a ? L(state.anchors.get(a), "title") || a : "~").localeCompare(b ? L(state.anchors.get(b), "title") || b : "~"))
      if (!keys.length) section.append(h("p", {cls: "thc-hint", text: t("no_notes")}))
      for (const key of keys) {
        const a = key && state.anchors.get(key)
        section.append(h("h4", {text: a ? `${t("kind_" + a.kind)}: ${L(a, "title")}` : t("not_on_anchor")}))
        const ul = h("ul")
        for (const n of byAnchor.get(key).sort((p, q) => (q.votes || 0) - (p.votes || 0) || p.id.localeCompare(q.id))) {
          const item = h("button", {type: "button", cls: "thc-list-note", "data-id": n.id,
            "aria-label": noteLabel(n), text: n.text || t("empty_note"),
            onclick: () => { selectNote(n.id); details.querySelector("textarea")?.focus() }})
          ul.append(h("li", {}, item))
        }
        section.append(ul)
      }
      parts.push(section)
    }
    const focused = activeEl()?.dataset?.id
    const hadFocus = listBox.contains(activeEl())
    listBox.replaceChildren(...parts)
    if (hadFocus && focused) listBox.querySelector(`[data-id="${CSS.escape(focused)}"]`)?.focus()
  }

  // ---------------------------------------------------------------- start
  load(model.snapshot)
  if (model.compare && model.compare.changes) {
    setupCompare(model.compare)
    for (const [id, card] of state.cards) { const n = state.notes.get(id); if (n) fillNoteCard(card, n) }
    renderCompare()
  }
  send({op: "hello", name: nameInput.value})
  const resize = new ResizeObserver(() => { if (!state.fitted) { state.fitted = true; fit() } else scheduleCull() })
  resize.observe(viewport)
  requestAnimationFrame(() => fit())
  model.on("remove", () => resize.disconnect())
}
