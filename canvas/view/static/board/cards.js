// Note and anchor cards: what each shows, its label for screen readers, and where it sits.
//
// A note card is in one of four modes, chosen by the culling pass (cull.js): "free" (a note
// on no anchor, at full size where it was put), "open" (in its anchor's zone, at the zone's
// scale, the zone being readable at this zoom), "face" (the one card a collapsed zone shows:
// the top-voted note on one line, with the number of the others; hover or focus shows all of
// it) and "stacked" (in a collapsed zone behind its face: not shown).

import {h} from "./dom.js"

export function install(B) {
  const {state, t, L} = B
  const M = B.metrics
  const counts = new Map()

  function noteLabel(n) {
    const a = n.anchor && state.anchors.get(n.anchor)
    const parts = [n.text || t("empty_note"), `${n.horizon}${n.polarity ? n.polarity : ""}`]
    if (a) parts.push(t("on_anchor", {title: L(a, "title")}))
    if (n.author) parts.push(t("by_author", {name: n.author}))
    if (n.votes !== null && n.votes !== undefined) parts.push(t("votes_count", {n: n.votes}))
    if (state.voting.open && n.in_scope) parts.push(t("my_votes", {n: n.my_votes || 0}))
    if (n.private) parts.push(t("private_note"))
    if (n.hidden) parts.push(hiddenWord(n))
    if (B.commentCount(n.id)) parts.push(t("comments_n", {n: B.commentCount(n.id)}))
    if (state.locks[n.id]) parts.push(t("is_editing", {name: state.locks[n.id]}))
    return parts.join(", ")
  }

  // A hidden note is seen only by the facilitator and by its author, who is told who hid it.
  const hiddenWord = (n) => (B.canShape ? t("hidden_note") : t("hidden_by_facilitator"))

  function voteButtons(n) {
    const row = h("span", {cls: "thc-vote"})
    const spent = B.voteBlock()
    const up = h("button", {type: "button", cls: "thc-vote-btn", text: "+", "aria-label": t("vote_for", {text: n.text}),
      disabled: !!spent, title: spent || null,
      onclick: (e) => { e.stopPropagation(); B.send({op: "vote", id: n.id, delta: 1}) }})
    const down = h("button", {type: "button", cls: "thc-vote-btn", text: "−", "aria-label": t("unvote_for", {text: n.text}),
      disabled: !(n.my_votes > 0), onclick: (e) => { e.stopPropagation(); B.send({op: "vote", id: n.id, delta: -1}) }})
    for (const b of [up, down]) b.addEventListener("pointerdown", (e) => e.stopPropagation())
    row.append(down, h("span", {cls: "thc-my-votes", text: "●".repeat(Math.min(n.my_votes || 0, 10)) || "○"}), up)
    return row
  }

  function noteMeta(card, n) {
    const meta = h("div", {cls: "thc-note-meta"})
    const tag = n.horizon === "H2" && n.polarity ? `H2${n.polarity}` : n.horizon
    meta.append(h("span", {cls: "thc-badge", text: tag}))
    if (n.private) meta.append(h("span", {cls: "thc-flag", text: t("private_short")}))
    if (n.hidden) meta.append(h("span", {cls: "thc-flag", text: B.canShape ? t("hidden_short") : hiddenWord(n)}))
    if (state.locks[n.id]) meta.append(h("span", {cls: "thc-flag", text: t("is_editing", {name: state.locks[n.id]})}))
    else if (n.author) meta.append(h("span", {cls: "thc-author", text: n.author}))
    const change = state.cmp?.byId.get(n.id)
    if (change) {
      card.dataset.change = change.kinds.join(" ")
      meta.prepend(h("span", {cls: "thc-change", text: B.changeBadge(change, n)}))
    } else delete card.dataset.change
    const said = B.commentCount(n.id)
    if (said) meta.append(B.saidBadge(said))
    if (state.voting.open && n.in_scope && B.canWrite) meta.append(voteButtons(n))
    else if (n.votes) meta.append(h("span", {cls: "thc-votes", text: `● ${n.votes}`, title: t("votes_count", {n: n.votes})}))
    meta.append(h("button", {type: "button", cls: "thc-more", hidden: true, tabindex: "-1",
      onclick: (e) => { e.stopPropagation(); B.openAnchor(n.anchor) }}))
    return meta
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
    B.markResult?.(card, n)
    card.setAttribute("aria-label", noteLabel(n) + (state.selected.has(n.id) ? `, ${t("selected")}` : ""))
    if (state.editing?.id === n.id) return
    const text = h("div", {cls: "thc-note-text", text: n.text || t("empty_note")})
    if (!n.text) text.classList.add("placeholder")
    card.replaceChildren(text, noteMeta(card, n))
    card._place = null
    if (card._placed) placeCard(card, card._placed)  // new content, same place
  }

  // Put a card where its mode says; only what changed is written to the page.
  function placeCard(card, place) {
    const key = `${place.mode}|${place.x}|${place.y}|${place.s}|${place.w}|${place.h}|${place.more}`
    if (card._place === key) return
    card._place = key
    card._placed = place
    card.dataset.mode = place.mode
    card.classList.toggle("face", place.mode === "face")
    card.classList.toggle("spread", place.mode === "spread")
    card.classList.toggle("stacked", place.mode === "stacked")
    if (place.mode === "stacked") return
    card.style.left = `${place.x}px`
    card.style.top = `${place.y}px`
    card.style.width = place.mode === "face" ? `${place.w}px` : ""
    card.style.minHeight = place.mode === "face" || !place.h ? "" : `${place.h}px`
    card.style.transform = place.s === 1 ? "" : `scale(${place.s})`
    const more = card.querySelector(":scope > .thc-note-meta > .thc-more")
    if (more) {
      more.hidden = !(place.mode === "face" && place.more > 0)
      more.textContent = place.more > 0 ? `+${place.more}` : ""
      more.setAttribute("aria-label", t("more_notes", {n: place.more || 0}))
    }
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
    placeAnchor(card, a)
    const summary = L(a, "summary") ? h("div", {cls: "thc-anchor-summary", text: L(a, "summary")}) : null
    const said = B.commentCount(a.id)
    if (said) card.setAttribute("aria-label", `${card.getAttribute("aria-label")} ${t("comments_n", {n: said})}`)
    card.replaceChildren(...[
      said ? B.saidBadge(said) : null,
      h("span", {cls: "thc-count", text: String(count), title: t("notes_on", {n: count}), "data-n": String(count)}),
      h("div", {cls: "thc-anchor-title", text: L(a, "title")}),
      summary,
    ].filter(Boolean))
    return card
  }

  function placeAnchor(card, a) {
    const box = state.layout.anchors.get(a.id)
    const [x, y, w, hgt] = box || [...B.toPx(a.x, a.y, M.anchor_w, 60), M.anchor_w, 60]
    card.style.left = `${x}px`
    card.style.top = `${y}px`
    card.style.width = `${w}px`
    card.style.height = `${hgt}px`
  }

  function removeAnchorCard(id) {
    state.anchorCards.get(id)?.remove()
    state.anchorCards.delete(id)
  }

  // Anchor cards in reading order (left to right, top to bottom), so Tab follows the board.
  function orderAnchors() {
    const layer = B.el.anchorLayer
    for (const id of state.layout.order) {
      const card = state.anchorCards.get(id)
      if (card) { placeAnchor(card, state.anchors.get(id)); layer.append(card) }
    }
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

  Object.assign(B, {noteLabel, hiddenWord, fillNoteCard, placeCard, noteCard, anchorCard, removeAnchorCard, orderAnchors, recount,
    countOn, refreshNoteCards})
}
