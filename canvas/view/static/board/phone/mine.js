// "My notes" on a phone: the notes not on the board yet (drafts, with why), then one's own
// notes, newest first, each with where it is and what happened to it (private, hidden by the
// facilitator), to edit, move to another anchor or delete. Changes go through the same
// operations as on the board; a new text goes through the outbox, so it is never lost.

import {button, h, keepFocus, select} from "../dom.js"

export function install(B) {
  const {state, t, L} = B
  const drafts = h("section", {cls: "thc-ph-drafts", "aria-label": t("drafts"), tabindex: "-1"})
  const list = h("section", {cls: "thc-ph-mine", "aria-label": t("my_notes"), tabindex: "-1"})
  B.el.panels.mine.append(drafts, list)
  let open = {id: null, what: null, text: ""}  // the note being edited, moved or deleted

  const where = (n) => {
    const a = n.anchor && state.anchors.get(n.anchor)
    return a ? t("on_anchor", {title: L(a, "title")}) : `${n.horizon} · ${t(n.horizon.toLowerCase() + "_name")}`
  }

  function facts(n) {
    const found = [where(n)]
    if (n.private) found.push(t("private_note"))
    if (n.votes) found.push(t("votes_count", {n: n.votes}))
    return found.join(" · ")
  }

  const close = () => { open = {id: null, what: null, text: ""}; renderMine() }

  function editing(n) {
    const area = h("textarea", {cls: "thc-ph-text", rows: "4", value: open.text, "aria-label": t("note_text"),
      maxlength: String(state.settings.max_text || 500), "data-action": "edit-text", "data-id": n.id})
    area.addEventListener("input", () => { open.text = area.value })
    return [area, h("div", {cls: "thc-row"},
      button(t("save_draft"), () => { B.outbox.put({op: "edit", id: n.id, text: area.value}); close() },
        {"data-action": "save-edit", "data-id": n.id}),
      button(t("cancel"), close, {"data-action": "cancel-edit", "data-id": n.id}))]
  }

  function moving(n) {
    const field = select(t("move_to"), B.anchorOptions(t("no_anchor")), n.anchor, (v) => { B.sendToAnchor(n, v); close() },
      {"data-action": "move-to", "data-id": n.id})
    return [field, button(t("cancel"), close, {"data-action": "cancel-move", "data-id": n.id})]
  }

  function deleting(n) {
    return [h("p", {text: t("delete_question")}), h("div", {cls: "thc-row"},
      button(t("delete_note"), () => { B.send({op: "delete", ids: [n.id]}); close() },
        {"data-action": "delete-yes", "data-id": n.id}),
      button(t("keep_note"), close, {"data-action": "delete-no", "data-id": n.id}))]
  }

  function item(n, blocked) {
    const li = h("li", {cls: "thc-ph-note" + (n.hidden ? " hidden-note" : ""), "data-id": n.id},
      h("p", {cls: "thc-ph-note-text", text: n.text || t("empty_note")}),
      h("p", {cls: "thc-meta", text: facts(n)}),
      n.hidden ? h("p", {cls: "thc-flag", text: t("hidden_by_facilitator")}) : null)
    if (open.id === n.id) {
      li.append(...{edit: editing, move: moving, delete: deleting}[open.what](n))
      return li
    }
    const act = (what, label) => button(label, () => {
      open = {id: n.id, what, text: n.text}
      renderMine()
      const at = `li[data-id="${CSS.escape(n.id)}"]`
      list.querySelector(`${at} textarea, ${at} select, ${at} [data-action="delete-no"]`)?.focus()
    }, {"data-action": what, "data-id": n.id, disabled: !!blocked, "aria-describedby": blocked ? "thc-ph-mine-why" : null})
    li.append(h("div", {cls: "thc-row"}, act("edit", t("edit_draft")), act("move", t("move_note")),
      act("delete", t("delete_note"))))
    return li
  }

  function renderMine() {
    const notes = B.mine()
    const blocked = B.writeBlock()
    const parts = [h("h2", {text: t("my_notes_n", {n: notes.length})})]
    if (blocked && notes.length) parts.push(h("p", {cls: "thc-why", id: "thc-ph-mine-why", text: blocked.text}))
    parts.push(notes.length ? h("ul", {cls: "thc-ph-list"}, ...notes.map((n) => item(n, blocked)))
      : h("p", {cls: "thc-hint", text: t("no_notes_yet")}))
    keepFocus(list, () => list.replaceChildren(...parts), B.activeEl())
  }

  B.renderDrafts = () => B.fillDrafts(drafts, "h2")
  B.renderMine = renderMine
}
