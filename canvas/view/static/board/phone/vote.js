// Voting on a phone, from a list: while the facilitator's dot vote is open, every note in its
// scope with this person's dots on it, "+" and "−", and the dots left. "+" is off, with the
// reason, once every dot is given. When the vote has closed, its results.

import {h, keepFocus} from "../dom.js"
import {HORIZONS} from "../context.js"

export function install(B) {
  const {state, t, L} = B
  const box = h("section", {cls: "thc-ph-vote", "aria-label": t("dot_vote"), tabindex: "-1"})
  B.el.panels.vote.append(box)

  function dotButton(n, delta, disabled) {
    const label = delta > 0 ? t("vote_for", {text: n.text}) : t("unvote_for", {text: n.text})
    return h("button", {type: "button", cls: "thc-vote-btn thc-ph-dot", text: delta > 0 ? "+" : "−", "aria-label": label,
      disabled, "data-action": delta > 0 ? "vote-up" : "vote-down", "data-id": n.id,
      "aria-describedby": delta > 0 && disabled ? "thc-ph-vote-why" : null,
      onclick: () => B.send({op: "vote", id: n.id, delta})})
  }

  function item(n, spent) {
    const a = n.anchor && state.anchors.get(n.anchor)
    const mine = n.my_votes || 0
    return h("li", {cls: "thc-ph-note", "data-id": n.id},
      h("p", {cls: "thc-ph-note-text", text: n.text || t("empty_note")}),
      h("p", {cls: "thc-meta", text: [a ? L(a, "title") : n.horizon, n.author].filter(Boolean).join(" · ")}),
      h("div", {cls: "thc-ph-dots"}, dotButton(n, -1, !(mine > 0)),
        h("span", {cls: "thc-my-votes", text: t("my_votes", {n: mine})}), dotButton(n, 1, !!spent)))
  }

  function results() {
    const ranked = state.voting.ranked || []
    if (!ranked.length) return [h("p", {cls: "thc-hint", text: t("no_vote_open")})]
    return [h("h3", {text: t("vote_results")}), h("ol", {cls: "thc-ph-results"},
      ...ranked.map((r) => h("li", {text: `${r.text} (${t("votes_count", {n: r.votes})})`})))]
  }

  function renderVote() {
    const v = state.voting
    const parts = [h("h2", {text: t("dot_vote")})]
    if (!v.open) parts.push(...results())
    else {
      const spent = B.voteBlock()
      const order = (n) => `${HORIZONS.indexOf(n.horizon)}${L(state.anchors.get(n.anchor), "title")}${n.text}`
      const notes = [...state.notes.values()].filter((n) => n.in_scope).sort((p, q) => order(p).localeCompare(order(q)))
      parts.push(h("p", {cls: "thc-votes-left", text: B.votesLeft(v), "aria-live": "polite"}))
      if (spent) parts.push(h("p", {cls: "thc-why", id: "thc-ph-vote-why", text: spent}))
      parts.push(h("ul", {cls: "thc-ph-list"}, ...notes.map((n) => item(n, spent))))
    }
    keepFocus(box, () => box.replaceChildren(...parts), B.activeEl())
  }

  B.renderVote = renderVote
}
