// Shaping the board (facilitator): add an anchor at the centre of the view, rename the axes,
// move the H2 peak and the H1/H3 crossover.

import {button, h, newId} from "../dom.js"

export function install(B) {
  const {state, t} = B

  function renderShape() {
    const box = B.el.shapeBox
    if (!B.canShape) { box.hidden = true; return }
    const s = state.settings
    const kindSel = B.kindChooser()
    const title = h("input", {type: "text", "aria-label": t("anchor_title"), placeholder: t("anchor_title"), maxlength: "120"})
    const from = h("input", {type: "text", value: s.axis_from, "aria-label": t("axis_from"), maxlength: "40"})
    const to = h("input", {type: "text", value: s.axis_to, "aria-label": t("axis_to"), maxlength: "40"})
    const peak = h("input", {type: "range", min: "0.2", max: "0.8", step: "0.01", value: s.h2_peak, "aria-label": t("h2_peak")})
    const cross = h("input", {type: "range", min: "0.2", max: "0.8", step: "0.01", value: s.crossover, "aria-label": t("crossover")})
    const field = (key, input) => h("label", {cls: "thc-field"}, h("span", {text: t(key)}), input)
    box.replaceChildren(
      h("details", {},
        h("summary", {text: t("shape_board")}),
        h("div", {cls: "thc-field"}, h("span", {text: t("new_anchor")}), kindSel, title,
          button(t("add_anchor"), () => {
            if (!title.value.trim()) { B.showAlert(t("title_needed")); title.focus(); return }
            const [x, y] = B.viewCentreUnit()
            B.send({op: "anchor_add", id: newId("a"), kind: kindSel.value, title: title.value, x, y})
            title.value = ""
          })),
        field("axis_from", from), field("axis_to", to), field("h2_peak", peak), field("crossover", cross),
        button(t("apply_settings"), () => B.send({op: "settings", axis_from: from.value, axis_to: to.value,
          h2_peak: parseFloat(peak.value), crossover: parseFloat(cross.value)})),
      ),
    )
  }

  B.renderShape = renderShape
}
