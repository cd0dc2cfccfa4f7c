// Writing and editing notes. A new note is a local draft until the server accepts it; an
// edit holds the note's lock so that two people never overwrite each other's words.

import {h, newId} from "./dom.js"
import {NOTE_H, NOTE_W, toPx} from "./camera.js"

export function install(B) {
  const {state, t} = B

  function startDraft(x, y, anchor = null) {
    if (!B.canWrite) return
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
    const [left, top] = toPx(x, y, NOTE_W, NOTE_H)
    card.style.left = `${left}px`
    card.style.top = `${top}px`
    card.dataset.id = id
    state.cards.set(id, card)
    B.el.noteLayer.append(card)
    beginEdit(id, true)
  }

  function startDraftAtCentre(anchor = null) {
    const [x, y] = B.viewCentreUnit()
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
      if (!B.canEditNote(note)) { B.showAlert(t("not_yours")); return }
      if (state.locks[id]) { B.showAlert(t("is_editing", {name: state.locks[id]})); return }
      B.send({op: "editing", id})
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
    if (!sent) B.send({op: "editing", id: null})
    if (!card) return
    card.classList.remove("editing")
    const note = state.notes.get(id)
    if (note) { B.fillNoteCard(card, note); card.focus() }
  }

  function commitDraft(ed, text) {
    const d = state.drafts.get(ed.id)
    state.editing = null
    if (!text.trim()) { dropDraft(ed.id); B.el.viewport.focus(); return }
    const card = state.cards.get(ed.id)
    card.classList.remove("editing")
    card.replaceChildren(h("div", {cls: "thc-note-text", text}))
    const op = {op: "add", id: ed.id, x: d.x, y: d.y, text}
    if (d.anchor) op.anchor = d.anchor
    B.send(op)
    B.selectNote(ed.id)
    card.focus()
  }

  function commitEdit() {
    const ed = state.editing
    if (!ed) return
    const text = ed.area.value
    if (ed.draft) { commitDraft(ed, text); return }
    const note = state.notes.get(ed.id)
    const changed = note && text !== note.text
    finishEdit(ed.id, changed)
    if (changed) B.send({op: "edit", id: ed.id, text})
  }

  function cancelEdit() {
    const ed = state.editing
    if (!ed) return
    if (ed.draft) { state.editing = null; dropDraft(ed.id); B.el.viewport.focus(); return }
    finishEdit(ed.id)
  }

  Object.assign(B, {startDraft, startDraftAtCentre, dropDraft, beginEdit, commitEdit, cancelEdit})
}
