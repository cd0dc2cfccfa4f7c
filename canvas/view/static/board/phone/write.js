// Writing on a phone: one's name (or a pseudonym), a text box large enough to read what one
// types, the anchors of the current step to put the note on (titles and summaries, found by
// typing), and Send. What is typed is kept in the browser as it is typed, so a reload, a lost
// connection or the move to the next iteration never loses it; a pasted list can become one
// note per line.

import {button, h, newId} from "../dom.js"
import {listLines} from "../rules.js"
import {nameField} from "../names.js"

export function install(B) {
  const {state, t, L} = B
  const key = `thc-compose:${B.workshop}:${B.person}`
  const kept = (() => { try { return JSON.parse(localStorage.getItem(key) || "{}") } catch (err) { return {} } })()
  let chosen = typeof kept.anchor === "string" ? kept.anchor : ""
  let search = ""

  const name = nameField(B, {cls: "thc-field thc-ph-name"})
  const area = h("textarea", {cls: "thc-ph-text", rows: "5", value: kept.text || "", "data-action": "note-text",
    maxlength: String(state.settings?.max_text || 500)})
  const textField = h("label", {cls: "thc-field"}, h("span", {text: t("your_note")}), area)
  const askSlot = h("div")
  const find = h("input", {type: "search", cls: "thc-ph-find", "data-action": "find-anchor", autocomplete: "off"})
  const findField = h("label", {cls: "thc-field"}, h("span", {text: t("find_anchor")}), find)
  const count = h("p", {cls: "thc-meta", "aria-live": "polite"})
  const choices = h("div", {cls: "thc-ph-anchors"})
  const legend = h("legend", {text: t("put_it_on")})
  const picker = h("fieldset", {cls: "thc-ph-picker"}, legend, findField, count, choices)
  const why = h("p", {cls: "thc-why", id: "thc-ph-why", "aria-live": "polite"})
  const goes = h("p", {cls: "thc-meta", id: "thc-ph-goes"})
  const send = button(t("send_note"), () => sendNote(), {cls: "thc-btn thc-ph-send", "data-action": "send-note",
    "aria-describedby": "thc-ph-goes thc-ph-why"})
  const panel = B.el.panels.write
  panel.append(h("h2", {cls: "thc-sr", text: t("tab_write")}), name.label, name.take || "", textField, askSlot, picker,
    h("div", {cls: "thc-ph-sendbar"}, why, goes, send))

  function keep() {
    try { localStorage.setItem(key, JSON.stringify({text: area.value, anchor: chosen})) } catch (err) { /* full */ }
  }
  let keepTimer = null
  area.addEventListener("input", () => { clearTimeout(keepTimer); keepTimer = setTimeout(keep, 250) })
  area.addEventListener("paste", pasted)
  find.addEventListener("input", () => { search = find.value; renderChoices() })

  function option(a) {
    const id = a ? a.id : ""
    const radio = h("input", {type: "radio", name: "thc-anchor", value: id, "data-action": "anchor", "data-id": id || "none"})
    radio.checked = chosen === id
    radio.addEventListener("change", () => { chosen = id; keep(); refreshWriting() })
    const text = a ? [h("span", {cls: "thc-ph-anchor-title", text: L(a, "title")}),
      h("span", {cls: "thc-ph-anchor-kind", text: `${t("kind_" + a.kind)} · ${a.horizon}`}),
      L(a, "summary") ? h("span", {cls: "thc-ph-anchor-summary", text: L(a, "summary")}) : null]
      : [h("span", {cls: "thc-ph-anchor-title", text: t("no_anchor_phone")})]
    return h("label", {cls: "thc-ph-anchor"}, radio, h("span", {cls: "thc-ph-anchor-text"}, ...text.filter(Boolean)))
  }

  // The anchors a note may go to now, those that match what is typed in "Find".
  function renderChoices() {
    const words = search.toLocaleLowerCase().split(/\s+/).filter(Boolean)
    const all = B.anchorsNow()
    if (chosen && !all.some((a) => a.id === chosen)) chosen = ""  // the step moved on
    const shown = all.filter((a) => {
      const hay = `${L(a, "title")} ${L(a, "summary")} ${t("kind_" + a.kind)}`.toLocaleLowerCase()
      return a.id === chosen || words.every((w) => hay.includes(w))
    })
    const had = B.activeEl()?.dataset?.action === "anchor"
    choices.replaceChildren(option(null), ...shown.map(option))
    count.textContent = t("anchors_shown", {n: shown.length})
    const step = B.stepHorizon()
    legend.textContent = step ? t("put_it_on_step", {step: B.stepName(step)}) : t("put_it_on")
    if (had) choices.querySelector("input:checked")?.focus()
  }

  // Send (or, when it cannot go now, keep as a draft with the reason).
  function refreshWriting() {
    const blocked = B.writeBlock(chosen || null)
    why.textContent = blocked ? blocked.text : ""
    send.textContent = blocked ? t("keep_as_draft") : t("send_note")
    const a = chosen && state.anchors.get(chosen)
    goes.textContent = a ? t("goes_on", {title: L(a, "title")}) : t("goes_free")
    B.drawDrafts?.()  // a draft's "Send again" follows the same rules
  }

  function sendNote() {
    const text = area.value
    if (!text.trim()) { B.showAlert(t("write_first")); area.focus(); return }
    if (!B.canShape && !name.input.value.trim()) { B.showAlert(t("name_first")); name.input.focus(); return }
    post([text])
    area.value = ""
    keep()
    area.focus()
  }

  // Notes from texts, all to the chosen anchor (or the step's region); says what became of them.
  function post(texts) {
    const place = B.placeForNote(null, chosen || null)
    const sent = texts.map((text) => B.outbox.put({op: "add", id: newId("n"), x: place.x, y: place.y, anchor: place.anchor, text}))
    const refused = sent.filter((e) => e.state === "refused")
    if (refused.length) B.showAlert(t("kept_as_draft", {reason: refused[0].reason}))
    else B.announce(texts.length > 1 ? t("notes_sent", {n: texts.length}) : t("note_sent"))
    B.labelTabs()
  }

  function pasted(e) {
    const raw = e.clipboardData?.getData("text/plain") || ""
    const lines = listLines(raw)
    if (lines.length < 2) return
    e.preventDefault()
    B.askList(lines, (many) => {
      if (many) post(lines)
      else area.setRangeText(raw, area.selectionStart, area.selectionEnd, "end")
      keep()
      area.focus()
    })
  }

  function renderWrite() {
    renderChoices()
    refreshWriting()
  }

  // The pasted list's question sits under the text box (the drafts themselves in "My notes").
  const drawn = B.drawDrafts
  B.drawDrafts = () => { B.fillAsk(askSlot); drawn() }

  B.typing = () => B.activeEl() === area && !!area.value.trim()
  Object.assign(B, {renderWrite, refreshWriting})
}
