// The three curves of the Three Horizons, their labels and the axes, drawn in SVG from the
// points the server computed (one geometry for every picture of the board).

import {svg} from "./dom.js"
import {H, W} from "./camera.js"
import {HORIZONS} from "./context.js"

export function install(B) {
  const {t} = B

  function drawCurves() {
    const curves = B.el.curves
    curves.replaceChildren()
    const s = B.state.settings
    const band = svg("g", {class: "thc-grid"})
    for (let i = 1; i < 4; i++) band.append(svg("line", {x1: (W * i) / 4, y1: 0, x2: (W * i) / 4, y2: H}))
    curves.append(band)
    for (const hz of HORIZONS) {
      const pts = (s.curves?.[hz] || []).map(([x, y]) => `${(x * W).toFixed(1)},${((1 - y) * H).toFixed(1)}`)
      curves.append(svg("polyline", {points: pts.join(" "), class: `thc-curve thc-${hz}`}))
    }
    const label = (text, x, y, cls, anchor = "start") => {
      const node = svg("text", {x, y, class: cls, "text-anchor": anchor})
      node.textContent = text
      curves.append(node)
    }
    const at = (hz, x) => {
      const pts = s.curves?.[hz] || []
      const i = Math.round(x * (pts.length - 1))
      return pts[i] ? (1 - pts[i][1]) * H : H / 2
    }
    label(`H1 · ${t("h1_name")}`, 0.02 * W, at("H1", 0.02) - 12, "thc-hlabel thc-H1")
    label(`H2 · ${t("h2_name")}`, s.h2_peak * W, at("H2", s.h2_peak) - 12, "thc-hlabel thc-H2", "middle")
    label(`H3 · ${t("h3_name")}`, 0.98 * W, at("H3", 0.98) - 12, "thc-hlabel thc-H3", "end")
    // The default labels are interface text (translated); labels a facilitator set are theirs.
    const from = s.axis_from === "Now" ? t("axis_now") : s.axis_from || ""
    const to = s.axis_to === "Future" ? t("axis_future") : s.axis_to || ""
    label(`${from} → ${to}`, W / 2, H - 8, "thc-axis", "middle")
    const y = svg("text", {x: 14, y: H / 2, class: "thc-axis", transform: `rotate(-90 14 ${H / 2})`, "text-anchor": "middle"})
    y.textContent = t("prevalence")
    curves.append(y)
  }

  B.drawCurves = drawCurves
}
