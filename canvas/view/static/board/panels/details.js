// The details of what is selected: one note (edit its text, anchor, horizon, colour; vote,
// hide, delete; its voices and comments), several notes (delete, gather under a new anchor),
// or an anchor (edit it, add a note to it).

import {button, h, newId, select} from "../dom.js"
import {HORIZONS, KINDS} from "../context.js"

export function install(B) {
  const {state, t, L, lang} = B
  const send = (op) => B.send(op)

  function noteFields(n) {
    const area = h("textarea", {"aria-label": t("note_text"), value: n.text, "data-field": "text",
      maxlength: String(state.settings.max_text || 500), rows: "4"})
    area.addEventListener("change", () => { if (area.value !== n.text) send({op: "edit", id: n.id, text: area.value}) })
    const parts = [h("label", {cls: "thc-field"}, h("span", {text: t("note_text")}), area)]
    parts.push(select(t("anchor"), B.anchorOptions(t("no_anchor")), n.anchor, (v) => B.sendToAnchor(n, v),
      {"data-field": "anchor"}))
    parts.push(select(t("horizon"), HORIZONS.map((x) => [x, `${x} · ${t(x.toLowerCase() + "_name")}`]), n.horizon,
      (v) => send({op: "style", id: n.id, horizon: v}), {"data-field": "horizon"}))
    if (n.horizon === "H2") {
      parts.push(select(t("polarity"), [["", t("polarity_none")], ["+", t("polarity_plus")], ["-", t("polarity_minus")]],
        n.polarity || "", (v) => send({op: "style", id: n.id, polarity: v || null}), {"data-field": "polarity"}))
    }
    const palette = Object.keys(state.settings.palette || {})
    parts.push(select(t("colour"), palette.map((c) => [c, t("colour_" + c)]), n.colour,
      (v) => send({op: "style", id: n.id, colour: v}), {"data-field": "colour"}))
    return parts
  }

  function oneNote(n) {
    const editable = B.canEditNote(n)
    const parts = []
    if (editable) parts.push(...noteFields(n))
    else {
      const a = n.anchor && state.anchors.get(n.anchor)
      parts.push(h("p", {cls: "thc-note-detail", text: n.text || t("empty_note")}),
        h("p", {cls: "thc-meta", text: `${n.horizon}${n.polarity || ""}${a ? " · " + t("on_anchor", {title: L(a, "title")}) : ""}`}))
    }
    const facts = [n.author ? t("by_author", {name: n.author}) : ""]
    if (n.votes !== null && n.votes !== undefined) facts.push(t("votes_count", {n: n.votes}))
    if (n.private) facts.push(t("private_note"))
    if (n.hidden) facts.push(B.hiddenWord(n))
    parts.push(h("p", {cls: "thc-meta", text: facts.filter(Boolean).join(" · ")}))
    const row = h("div", {cls: "thc-row"}, button(t("show_on_board"), () => B.revealNote(n.id)))
    if (state.voting.open && n.in_scope && B.canWrite) {
      const spent = B.voteBlock()
      row.append(button(t("vote"), () => send({op: "vote", id: n.id, delta: 1}), {"data-field": "vote", disabled: !!spent,
        "aria-describedby": spent ? "thc-vote-why" : null}),
        button(t("unvote"), () => send({op: "vote", id: n.id, delta: -1}), {"data-field": "unvote", disabled: !(n.my_votes > 0)}))
      parts.push(h("p", {cls: "thc-meta", text: t("my_votes", {n: n.my_votes || 0})}))
      if (spent) parts.push(h("p", {cls: "thc-why", id: "thc-vote-why", text: spent}))
    }
    if (editable) row.append(button(t("delete_note"), () => send({op: "delete", ids: [n.id]}), {"data-field": "delete"}))
    if (B.canShape) {
      row.append(button(n.hidden ? t("unhide_note") : t("hide_note"), () => send({op: "hide", id: n.id, hidden: !n.hidden}),
        {"data-field": "hide"}))
    }
    parts.push(row, B.wordDiffBlock(state.cmp?.byId.get(n.id)), B.voicesBlock(n, editable), B.commentBlock(n.id))
    return parts
  }

  function kindChooser() {
    const kindSel = h("select", {"aria-label": t("anchor_kind")})
    for (const k of KINDS) kindSel.append(h("option", {value: k, text: t("kind_" + k)}))
    kindSel.value = "challenge_area"
    return kindSel
  }

  function manyNotes(ids) {
    const parts = [h("p", {text: t("selected_count", {n: ids.length})})]
    if (ids.every((i) => B.canEditNote(state.notes.get(i)))) parts.push(button(t("delete_selected"), () => send({op: "delete", ids})))
    if (B.canShape) {
      const kindSel = kindChooser()
      const title = h("input", {type: "text", "aria-label": t("anchor_title"), placeholder: t("anchor_title"), maxlength: "120"})
      parts.push(h("div", {cls: "thc-gather"}, h("h3", {text: t("gather")}), kindSel, title,
        button(t("gather_button"), () => {
          if (!title.value.trim()) { B.showAlert(t("title_needed")); title.focus(); return }
          send({op: "gather", ids, anchor_id: newId("a"), kind: kindSel.value, title: title.value})
        })))
    }
    return parts
  }

  function oneAnchor(a) {
    const parts = [h("h3", {text: `${t("kind_" + a.kind)} · ${a.horizon}`})]
    if (B.canShape) {
      const own = (field) => (lang === "cy" ? a[field + "_cy"] : a[field]) || ""
      const title = h("input", {type: "text", value: own("title"), "aria-label": t("anchor_title"), maxlength: "120", "data-field": "atitle"})
      title.addEventListener("change", () => send({op: "anchor_edit", id: a.id, title: title.value, lang}))
      const summary = h("textarea", {value: own("summary"), "aria-label": t("anchor_summary"), rows: "4", "data-field": "asummary"})
      summary.addEventListener("change", () => send({op: "anchor_edit", id: a.id, summary: summary.value, lang}))
      parts.push(h("label", {cls: "thc-field"}, h("span", {text: t("anchor_title")}), title),
        h("label", {cls: "thc-field"}, h("span", {text: t("anchor_summary")}), summary),
        select(t("anchor_kind"), KINDS.map((k) => [k, t("kind_" + k)]), a.kind, (v) => send({op: "anchor_edit", id: a.id, kind: v})))
    } else {
      parts.push(h("p", {cls: "thc-anchor-title", text: L(a, "title")}), h("p", {text: L(a, "summary")}))
    }
    if (L(a, "prompt")) parts.push(h("p", {cls: "thc-prompt", text: L(a, "prompt")}))
    parts.push(h("p", {text: t("notes_on", {n: B.countOn(a.id)})}))
    const row = h("div", {cls: "thc-row"})
    if (B.countOn(a.id)) row.append(button(t("open_anchor"), () => B.openAnchor(a.id), {"data-field": "open-anchor"}))
    if (B.canWrite) row.append(button(t("add_note_here"), () => B.startDraft(a.x, a.y, a.id)))
    if (B.canShape) row.append(button(t("delete_anchor"), () => send({op: "anchor_delete", id: a.id})))
    parts.push(row, B.commentBlock(a.id))
    return parts
  }

  function renderDetails() {
    const focusKey = B.activeEl()?.dataset?.field
    const ids = [...state.selected].filter((i) => state.notes.has(i))
    const parts = [h("h2", {text: t("details")})]
    if (ids.length === 1) parts.push(...oneNote(state.notes.get(ids[0])))
    else if (ids.length > 1) parts.push(...manyNotes(ids))
    else if (state.selectedAnchor && state.anchors.has(state.selectedAnchor)) parts.push(...oneAnchor(state.anchors.get(state.selectedAnchor)))
    else parts.push(h("p", {cls: "thc-hint", text: t("details_hint")}))
    B.el.details.replaceChildren(...parts.filter(Boolean))
    if (focusKey) B.el.details.querySelector(`[data-field="${focusKey}"]`)?.focus()
  }

  Object.assign(B, {renderDetails, kindChooser})
}
