// Drafts as people see them: each note the outbox keeps, its words and why it waits, with
// "Send again", "Edit" and "Discard"; and the question a pasted list asks ("Make 5 notes, one
// per line?"). The board's drafts tray and the phone view's "My notes" both draw them here;
// each view says where (B.drawDrafts, called whenever the outbox or the question changes).

import {button, h, keepFocus} from "./dom.js"

export function install(B) {
  const {t} = B
  let question = null   // a pasted list waiting for its answer: {lines, answer}
  let editing = null    // the draft being rewritten: {key, text}

  function status(e) {
    if (e.state === "refused") return t("draft_refused", {reason: e.reason})
    return B.online ? t("draft_sending") : t("draft_offline")
  }

  function editor(e, k) {
    const area = h("textarea", {cls: "thc-draft-area", "aria-label": t("note_text"), rows: "3",
      maxlength: String(B.state.settings.max_text || 500), value: editing.text, "data-action": "draft-text", "data-key": k})
    area.addEventListener("input", () => { editing.text = area.value })
    const done = (text) => { editing = null; B.outbox.rewrite(k, text) }
    return [area, h("div", {cls: "thc-row"},
      button(t("save_draft"), () => done(area.value), {"data-action": "save-draft", "data-key": k}),
      button(t("cancel"), () => done(e.text), {"data-action": "cancel-draft", "data-key": k}))]
  }

  function draftItem(e) {
    const k = B.outbox.keyOf(e)
    const item = h("li", {cls: "thc-draft", "data-state": e.state, "data-key": k})
    if (e.op === "edit") item.append(h("p", {cls: "thc-meta", text: t("draft_edit")}))
    if (editing?.key === k) { item.append(...editor(e, k)); return item }
    // While the reason still holds (the board is still locked), "Send again" is off; the
    // reason is said above it.
    const blocked = e.state === "refused" && B.writeBlock(e.op === "add" ? e.anchor : null)
    const whyId = `thc-draft-why-${k}`
    item.append(h("p", {cls: "thc-draft-text", text: e.text || t("empty_note")}),
      h("p", {cls: "thc-draft-why", id: whyId, text: blocked ? t("draft_refused", {reason: blocked.text}) : status(e)}))
    if (e.state === "refused") {
      item.append(h("div", {cls: "thc-row"},
        button(t("send_again"), () => B.outbox.retry(k), {"data-action": "send-draft", "data-key": k,
          disabled: !!blocked, "aria-describedby": whyId}),
        button(t("edit_draft"), () => { editing = {key: k, text: e.text}; B.drawDrafts() },
          {"data-action": "edit-draft", "data-key": k}),
        button(t("discard_draft"), () => { B.outbox.discard(k); B.announce(t("draft_discarded")) },
          {"data-action": "discard-draft", "data-key": k})))
    }
    return item
  }

  // The drafts as a list under a heading, into ``box`` (hidden when there are none). Focus
  // stays on the control it was on when the list is drawn again.
  function fillDrafts(box, level = "h2") {
    const entries = B.outbox.list()
    keepFocus(box, () => {
      box.hidden = !entries.length
      box.replaceChildren(h(level, {text: t("drafts_n", {n: entries.length})}),
        h("ul", {cls: "thc-drafts"}, ...entries.map(draftItem)))
    }, B.activeEl())
  }

  function askList(lines, answer) {
    question = {lines, answer}
    B.drawDrafts()
    B.announce(t("paste_question", {n: lines.length}))
  }

  // The pasted list's question into ``slot`` (emptied when none is open); focus goes to its
  // first answer as it opens. Returns whether a question is open.
  function fillAsk(slot) {
    const ask = askBox()
    const opened = ask && !slot.childElementCount
    slot.replaceChildren(...(ask ? [ask] : []))
    if (opened) ask.querySelector("button")?.focus()
    return !!ask
  }

  // The pasted list's question, or null when none is open.
  function askBox() {
    if (!question) return null
    const {lines, answer} = question
    const reply = (many) => { question = null; B.drawDrafts(); answer(many) }
    const shown = lines.slice(0, 5).map((line) => h("li", {text: line}))
    if (lines.length > 5) shown.push(h("li", {cls: "thc-meta", text: t("and_more", {n: lines.length - 5})}))
    return h("div", {cls: "thc-ask", role: "group", "aria-label": t("paste_question", {n: lines.length})},
      h("p", {cls: "thc-ask-title", text: t("paste_question", {n: lines.length})}), h("ul", {}, ...shown),
      h("div", {cls: "thc-row"},
        button(t("paste_many", {n: lines.length}), () => reply(true), {"data-action": "paste-many"}),
        button(t("paste_one"), () => reply(false), {"data-action": "paste-one"})))
  }

  B.outbox.listen(() => B.drawDrafts())
  Object.assign(B, {fillDrafts, fillAsk, askList, asking: () => !!question})
}
