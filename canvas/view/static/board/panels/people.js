// Personas and reviewers: the persona cards and lens, a note's linked voices ("how would
// they respond?").

import {h, select} from "../dom.js"

export function install(B) {
  const {state, t, L} = B

  function setLens(v) {
    state.lens = v
    for (const a of state.anchors.values()) B.anchorCard(a)
    for (const [id, card] of state.cards) { const n = state.notes.get(id); if (n) B.fillNoteCard(card, n) }
    const p = B.lensPersona()
    B.announce(p ? t("lens_on", {name: L(p, "name")}) : t("lens_off"))
  }

  function personaCard(p) {
    const areas = p.challenge_areas.map((id) => L(state.anchors.get(id), "title") || id).join(", ")
    const links = p.links.map((id) => L(state.personas.find((x) => x.id === id), "name") || id).join(", ")
    return h("details", {cls: "thc-persona", "data-persona": p.id},
      h("summary", {text: `${L(p, "name")} · ${L(p, "role")}`}),
      h("p", {cls: "thc-meta", text: `${t("group_" + p.group)} · ${t("persona_" + p.type)}`}),
      L(p, "message") ? h("p", {cls: "thc-message", text: L(p, "message")}) : null,
      p.quote ? h("blockquote", {text: p.quote}) : null,
      areas ? h("p", {text: `${t("challenge_areas")}: ${areas}`}) : null,
      links ? h("p", {text: `${t("linked_personas")}: ${links}`}) : null)
  }

  function renderPersonas() {
    const box = B.el.personaBox
    if (!state.personas.length) { box.replaceChildren(); return }
    const lensSel = select(t("persona_lens"), [["", t("no_lens")], ...state.personas.map((p) => [p.id, `${L(p, "name")} · ${L(p, "role")}`])],
      state.lens, setLens, {"data-field": "lens"})
    const cards = h("div", {cls: "thc-personas"}, ...state.personas.map(personaCard))
    box.replaceChildren(h("h2", {text: t("personas")}), lensSel, cards)
  }

  function voicesBlock(n, editable) {
    if (!state.personas.length) return null
    const box = h("section", {cls: "thc-voices", "aria-label": t("voices")}, h("h3", {text: t("voices")}))
    if (editable) {
      const group = h("div", {cls: "thc-checks", role: "group", "aria-label": t("link_personas")})
      for (const p of state.personas) {
        const check = h("input", {type: "checkbox", value: p.id})
        check.checked = (n.personas || []).includes(p.id)
        check.addEventListener("change", () => {
          const chosen = [...group.querySelectorAll("input:checked")].map((x) => x.value)
          B.send({op: "personas", id: n.id, personas: chosen})
        })
        group.append(h("label", {cls: "thc-toggle"}, check, h("span", {text: " " + L(p, "name")})))
      }
      box.append(group)
    }
    const linked = state.personas.filter((p) => (n.personas || []).includes(p.id))
    if (linked.length) {
      box.append(h("p", {cls: "thc-prompt", text: t("how_would_they_respond")}))
      for (const p of linked) box.append(h("p", {}, h("strong", {text: `${L(p, "name")}: `}), h("span", {text: L(p, "message")})))
    }
    return box
  }

  Object.assign(B, {renderPersonas, voicesBlock})
}
