// Writing and editing notes. A new note is a local draft until the server accepts it (the
// outbox keeps its words if it is refused); an edit holds the note's lock so that two people
// never overwrite each other's words. Pasting several lines offers one note per line.
//
// A note on its way (sent, the board has not answered yet: a full room, a slow link) can be
// edited at once: its new words follow the note through the outbox, which sends them after it.
//
// The note being written is shown in a readable overlay: its card, enlarged above everything
// else so that its text reads at 16 px or more whatever the zoom (a note in a crowded zone is
// far smaller than that), and kept inside the view.

import {clamp, h, newId} from "./dom.js"
import {listLines} from "./rules.js"

const EDIT_PX = 16

export function install(B) {
  const {state, t} = B
  const M = B.metrics

  // Where the card being edited goes: at its note's place, scaled up to read, inside the view.
  function placeEditor() {
    const ed = state.editing
    const card = ed && state.cards.get(ed.id)
    if (!card) return
    const note = state.notes.get(ed.id) || state.drafts.get(ed.id)
    const [x, y, s] = state.notes.has(ed.id) ? B.cardOf(note) : [...B.toPx(note.x, note.y, M.note_w, 0), 1]
    const k = Math.max(s, EDIT_PX / (M.note_size * state.view.scale))
    const r = B.el.viewport.getBoundingClientRect()
    const [vx0, vy0] = B.clientToWorld(r.left, r.top)
    const [vx1, vy1] = B.clientToWorld(r.right, r.bottom)
    const w = M.note_w * k
    const hgt = Math.max(card.offsetHeight, 120) * k
    card.style.left = `${clamp(x, vx0 + 8 / state.view.scale, Math.max(vx0, vx1 - w - 8 / state.view.scale))}px`
    card.style.top = `${clamp(y, vy0 + 8 / state.view.scale, Math.max(vy0, vy1 - hgt - 8 / state.view.scale))}px`
    card.style.width = ""
    card.style.minHeight = ""
    card.style.transform = k === 1 ? "" : `scale(${k})`
    card.classList.remove("face", "stacked")
    card._place = null
  }

  function fitText(area) {
    area.style.height = "auto"
    area.style.height = `${area.scrollHeight}px`
  }

  function startDraft(x, y, anchor = null) {
    if (!B.canWrite) return
    const blocked = B.writeBlock(anchor)
    if (blocked) { B.showAlert(blocked.text); return }
    const nameInput = B.el.nameInput
    if (!B.canShape && !nameInput.value.trim()) {
      B.showAlert(t("name_first"))
      nameInput.focus()
      return
    }
    const id = newId("n")
    const note = {id, text: "", x, y, horizon: "", anchor, polarity: null, colour: "yellow",
      author: nameInput.value, votes: 0, rev: 0}
    state.drafts.set(id, note)
    const card = h("div", {cls: "thc-note draft", role: "listitem", tabindex: "0"})
    card.style.setProperty("--note-bg", state.settings.palette?.yellow || "#fff3a6")
    card.dataset.id = id
    state.cards.set(id, card)
    B.el.noteLayer.append(card)
    beginEdit(id, true)
  }

  // "Add note" (and N): at the centre of the view, or during a step in that horizon's region,
  // on the anchor in focus when the step allows it.
  function startDraftAtCentre(anchor = null) {
    const r = B.el.viewport.getBoundingClientRect()
    const near = B.clientToWorld(r.left + r.width / 2, r.top + r.height / 2)
    const focused = anchor || B.activeEl()?.closest?.(".thc-anchor")?.dataset.id || state.selectedAnchor
    const place = B.placeForNote(near, focused)
    if (!place.anchor && !B.stepHorizon()) { const [x, y] = B.viewCentreUnit(); Object.assign(place, {x, y}) }
    if (B.stepHorizon()) {  // bring the step's region into view first: the editor opens there
      const [wx, wy] = B.toPx(place.x, place.y, M.note_w, 0)
      B.centreOn(wx + M.note_w / 2, wy + M.note_w / 4)
    }
    startDraft(place.x, place.y, place.anchor)
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
    const sending = !draft && !state.notes.has(id)  // nobody else knows of it yet: no lock to take
    if (!draft && !sending) {
      if (!B.canEditNote(note)) { B.showAlert(t("not_yours")); return }
      if (state.locks[id]) { B.showAlert(t("is_editing", {name: state.locks[id]})); return }
      B.send({op: "editing", id})
    }
    const area = h("textarea", {cls: "thc-editor", "aria-label": t("note_text"),
      maxlength: String(state.settings.max_text || 500), value: note.text})
    state.editing = {id, draft, sending, area}
    card.replaceChildren(area)
    card.classList.add("editing")
    area.addEventListener("input", () => fitText(area))
    fitText(area)
    placeEditor()
    area.addEventListener("keydown", (e) => {
      e.stopPropagation()
      if (e.key === "Enter" && !e.shiftKey) { e.preventDefault(); commitEdit() } else if (e.key === "Escape") { e.preventDefault(); cancelEdit() }
    })
    area.addEventListener("blur", () => { if (state.editing?.area === area && !B.asking()) commitEdit() })
    area.addEventListener("paste", (e) => pasted(e, state.editing))
    area.addEventListener("pointerdown", (e) => e.stopPropagation())
    area.addEventListener("dblclick", (e) => e.stopPropagation())
    area.focus()
    area.select()
  }

  function finishEdit(ed, sent = false) {
    const card = state.cards.get(ed.id)
    state.editing = null
    if (!sent && !ed.sending) B.send({op: "editing", id: null})
    if (!card) return
    card.classList.remove("editing")
    card.style.transform = ""
    const note = state.notes.get(ed.id)
    const onItsWay = !note && state.drafts.get(ed.id)
    if (note) B.fillNoteCard(card, note)
    else if (onItsWay) card.replaceChildren(h("div", {cls: "thc-note-text", text: onItsWay.text}))
    if (note || onItsWay) card.focus()
    else { card.remove(); state.cards.delete(ed.id); B.el.viewport.focus() }
    B.cull()
  }

  function commitDraft(ed, text) {
    const d = state.drafts.get(ed.id)
    state.editing = null
    if (!text.trim()) { dropDraft(ed.id); B.el.viewport.focus(); return }
    const card = state.cards.get(ed.id)
    card.classList.remove("editing")
    card.style.transform = ""
    card.replaceChildren(h("div", {cls: "thc-note-text", text}))
    d.text = text
    const sent = B.outbox.put({op: "add", id: ed.id, x: d.x, y: d.y, anchor: d.anchor, text})
    if (sent.state === "refused") {  // kept as a draft, with the reason, in the drafts tray
      dropDraft(ed.id)
      B.showAlert(t("kept_as_draft", {reason: sent.reason}))
      B.el.viewport.focus()
      return
    }
    B.selectNote(ed.id)
    card.focus()
  }

  // Several lines pasted into a new note: one note per line, once the person agrees.
  function pasted(e, ed) {
    const raw = e.clipboardData?.getData("text/plain") || ""
    const lines = listLines(raw)
    if (!ed.draft || lines.length < 2) return
    e.preventDefault()
    const d = state.drafts.get(ed.id)
    B.askList(lines, (many) => {
      if (!many) {
        ed.area.setRangeText(raw, ed.area.selectionStart, ed.area.selectionEnd, "end")
        fitText(ed.area)
        ed.area.focus()
        return
      }
      state.editing = null
      dropDraft(ed.id)
      lines.forEach((text, i) => B.outbox.put({op: "add", id: newId("n"), x: d.x, y: Math.max(0, d.y - i * 0.02), anchor: d.anchor, text}))
      B.announce(t("notes_sent", {n: lines.length}))
      B.el.viewport.focus()
    })
  }

  function commitEdit() {
    const ed = state.editing
    if (!ed) return
    const text = ed.area.value
    if (ed.draft) { commitDraft(ed, text); return }
    const note = state.notes.get(ed.id) || state.drafts.get(ed.id)
    // No note any more (deleted while a lost connection had its lock): the words go to the
    // outbox all the same, and come back as a draft with the server's reason.
    const changed = note ? text !== note.text : !!text.trim()
    if (changed && note && !state.notes.has(ed.id)) note.text = text  // shown on its card until the board has it
    finishEdit(ed, changed)
    if (changed) B.outbox.put({op: "edit", id: ed.id, text})
  }

  function cancelEdit() {
    const ed = state.editing
    if (!ed) return
    if (ed.draft) { state.editing = null; dropDraft(ed.id); B.el.viewport.focus(); return }
    finishEdit(ed)
  }

  // "Add note" says, while it cannot succeed, why not (and is off): locked, iteration over.
  function refreshWriting() {
    const why = B.canWrite ? B.writeBlock() : null
    for (const b of B.el.root.querySelectorAll("[data-action='add'], [data-action='add-from-list']")) {
      b.disabled = !!why
      b.title = why ? why.text : ""
    }
    if (B.el.writeWhy) B.el.writeWhy.textContent = why ? why.text : ""
    B.drawDrafts?.()  // a draft's "Send again" follows the same rules
  }

  Object.assign(B, {startDraft, startDraftAtCentre, dropDraft, beginEdit, commitEdit, cancelEdit, placeEditor,
    refreshWriting, typing: () => !!state.editing})
}
