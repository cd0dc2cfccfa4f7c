// The three curves, drawn in SVG from the points the server computed (one geometry for every
// picture of the board); their labels, placed by the layout where nothing lies and drawn above
// everything else; and the axes.

import {h, svg} from "./dom.js"
import {HORIZONS} from "./context.js"

export function install(B) {
  const {t} = B
  const M = B.metrics
  const W = M.world_w
  const H = M.world_h

  function drawCurves() {
    const curves = B.el.curves
    curves.replaceChildren()
    const s = B.state.settings
    const band = svg("g", {class: "thc-grid"})
    for (let i = 1; i < 4; i++) band.append(svg("line", {x1: (W * i) / 4, y1: 0, x2: (W * i) / 4, y2: H - M.axis}))
    curves.append(band)
    for (const hz of HORIZONS) {
      const pts = (s.curves?.[hz] || []).map(([x, y]) => `${(x * W).toFixed(1)},${((1 - y) * H).toFixed(1)}`)
      curves.append(svg("polyline", {points: pts.join(" "), class: `thc-curve thc-${hz}`}))
    }
    drawLabels()
  }

  // The horizon labels and the axes: HTML above the cards (they wrap as the layout expects).
  function drawLabels() {
    const layer = B.el.labelLayer
    layer.replaceChildren()
    const boxes = B.state.layout.labels || {}
    for (const hz of HORIZONS) {
      const box = boxes[hz]
      if (!box) continue
      const [x, y, w, hgt] = box
      const label = h("div", {cls: `thc-hlabel thc-${hz}`, "data-horizon": hz, text: `${hz} · ${t(hz.toLowerCase() + "_name")}`})
      Object.assign(label.style, {left: `${x}px`, top: `${y}px`, width: `${w}px`, height: `${hgt}px`})
      layer.append(label)
    }
    const s = B.state.settings
    // The default labels are interface text (translated); labels a facilitator set are theirs.
    const from = s.axis_from === "Now" ? t("axis_now") : s.axis_from || ""
    const to = s.axis_to === "Future" ? t("axis_future") : s.axis_to || ""
    layer.append(h("div", {cls: "thc-axis thc-axis-x", text: `${from} → ${to}`}),
      h("div", {cls: "thc-axis thc-axis-y", text: t("prevalence")}))
  }

  Object.assign(B, {drawCurves, drawLabels})
}
