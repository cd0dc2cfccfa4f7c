// Filters: search, horizon, kind of anchor, anchor, persona, author, tag, fewest votes, and
// "changed since iteration N" (the server says which notes).

import {h, select} from "../dom.js"
import {HORIZONS, KINDS} from "../context.js"

export function install(B) {
  const {state, t, L} = B

  function refilter() { B.cull(); B.renderList() }

  function changedSince(f) {
    const earlier = B.model.iterations || []
    if (!earlier.length) return null
    return select(t("changed_since"), [["", t("all")], ...earlier.map((i) => [String(i.number), t("iteration", {n: i.number})])],
      f.since ? String(f.since) : "", (v) => {
        f.since = Number(v) || 0
        state.changedIds = null
        if (f.since) B.send({op: "changed_since", iteration: f.since})
        refilter()
      })
  }

  function renderFilters() {
    const f = state.filter
    const onChange = (key) => (v) => { f[key] = v; refilter() }
    const authors = [...new Set([...state.notes.values()].map((n) => n.author).filter(Boolean))].sort()
    const tags = [...new Set([...state.notes.values()].flatMap((n) => n.tags || []))].sort()
    const search = h("input", {type: "search", value: f.search, "aria-label": t("search"), placeholder: t("search"),
      "data-field": "search"})
    search.addEventListener("input", () => { f.search = search.value; refilter() })
    const minVotes = h("input", {type: "number", min: "0", value: String(f.minVotes || 0), cls: "thc-num",
      "aria-label": t("min_votes"), "data-field": "minvotes"})
    minVotes.addEventListener("change", () => { f.minVotes = Math.max(0, Number(minVotes.value) || 0); refilter() })
    const all = [["", t("all")]]
    const parts = [
      h("h2", {text: t("filters")}),
      h("label", {cls: "thc-field"}, h("span", {text: t("search")}), search),
      select(t("horizon"), [...all, ...HORIZONS.map((x) => [x, x])], f.horizon, onChange("horizon")),
      select(t("anchor_kind"), [...all, ...KINDS.map((k) => [k, t("kind_" + k)])], f.kind, onChange("kind")),
      select(t("anchor"), B.anchorOptions(t("all")), f.anchor, onChange("anchor")),
      select(t("persona"), [...all, ...state.personas.map((p) => [p.id, L(p, "name")])], f.persona, onChange("persona")),
      select(t("author"), [...all, ...authors.map((a) => [a, a])], f.author, onChange("author")),
    ]
    if (tags.length) parts.push(select(t("tag"), [...all, ...tags.map((x) => [x, x])], f.tag, onChange("tag")))
    parts.push(h("label", {cls: "thc-field"}, h("span", {text: t("min_votes")}), minVotes))
    const since = changedSince(f)
    if (since) parts.push(since)
    const focusKey = B.activeEl()?.dataset?.field
    B.el.filters.replaceChildren(...parts)
    if (focusKey) B.el.filters.querySelector(`[data-field="${focusKey}"]`)?.focus()
  }

  B.renderFilters = renderFilters
}
