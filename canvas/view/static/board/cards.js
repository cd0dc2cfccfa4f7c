// Note and anchor cards: what each shows, its label for screen readers, its place.

import {h} from "./dom.js"
import {ANCHOR_H, ANCHOR_W, NOTE_H, NOTE_W, toPx} from "./camera.js"

export function install(B) {
  const {state, t, L} = B
  const counts = new Map()

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
      onclick: (e) => { e.stopPropagation(); B.send({op: "vote", id: n.id, delta: 1}) }})
    const down = h("button", {type: "button", cls: "thc-vote-btn", text: "−", "aria-label": t("unvote_for", {text: n.text}),
      disabled: !(n.my_votes > 0), onclick: (e) => { e.stopPropagation(); B.send({op: "vote", id: n.id, delta: -1}) }})
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
    card.classList.toggle("readonly", !B.canEditNote(n))
    const lensed = B.inLens("note", n)
    card.classList.toggle("lens-on", lensed === true)
    card.classList.toggle("lens-off", lensed === false)
    card.setAttribute("aria-label", noteLabel(n) + (state.selected.has(n.id) ? `, ${t("selected")}` : ""))
    const [left, top] = toPx(n.x, n.y, NOTE_W, NOTE_H)
    card.style.left = `${left}px`
    card.style.top = `${top}px`
    if (state.editing?.id === n.id) return
    const text = h("div", {cls: "thc-note-text", text: n.text || t("empty_note")})
    if (!n.text) text.classList.add("placeholder")
    card.replaceChildren(text, noteMeta(card, n))
  }

  function noteMeta(card, n) {
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
      meta.prepend(h("span", {cls: "thc-change", text: B.changeBadge(change, n)}))
    } else delete card.dataset.change
    if (state.voting.open && n.in_scope && B.canWrite) meta.append(voteButtons(n))
    else if (n.votes) meta.append(h("span", {cls: "thc-votes", text: `● ${n.votes}`, title: t("votes_count", {n: n.votes})}))
    return meta
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
    const card = ensureCard(state.cards, B.el.noteLayer, "thc-note", n.id)
    fillNoteCard(card, n)
    return card
  }

  function anchorCard(a) {
    const card = ensureCard(state.anchorCards, B.el.anchorLayer, "thc-anchor", a.id)
    card.dataset.id = a.id
    card.dataset.kind = a.kind
    card.dataset.horizon = a.horizon
    const count = countOn(a.id)
    card.setAttribute("aria-label", `${t("kind_" + a.kind)}: ${L(a, "title")}. ${L(a, "summary")} ${t("notes_on", {n: count})}`)
    card.classList.toggle("selected", state.selectedAnchor === a.id)
    const lensed = B.inLens("anchor", a)
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

  function removeAnchorCard(id) {
    state.anchorCards.get(id)?.remove()
    state.anchorCards.delete(id)
  }

  function recount() {
    counts.clear()
    for (const n of state.notes.values()) if (n.anchor) counts.set(n.anchor, (counts.get(n.anchor) || 0) + 1)
  }
  const countOn = (id) => counts.get(id) || 0

  function refreshNoteCards() {
    for (const [id, card] of state.cards) {
      const n = state.notes.get(id)
      if (n && state.editing?.id !== id) fillNoteCard(card, n)
    }
  }

  Object.assign(B, {noteLabel, fillNoteCard, noteCard, anchorCard, removeAnchorCard, recount, countOn,
    refreshNoteCards})
}
