// The view onto the board: world coordinates (the sizes come from the server's layout
// metrics), the pan and zoom transform, fitting the whole board, zooming to a note, a zone or
// a frame, and the facilitator's "bring everyone to my view".
//
// The view never zooms out past the whole board: every text on the board is sized to read
// at fit, so no zoom shows it smaller.

import {clamp} from "./dom.js"

const MAX_ZOOM = 8  // times the fit

export function install(B) {
  const {state} = B
  const M = B.metrics
  const W = M.world_w
  const H = M.world_h

  function applyView() {
    const {scale, tx, ty} = state.view
    B.el.world.style.transform = `translate(${tx}px, ${ty}px) scale(${scale})`
    B.el.root.style.setProperty("--view-scale", String(scale))
    B.scheduleCull()
    if (state.editing) B.placeEditor?.()
  }

  function fitScale() {
    const r = B.el.viewport.getBoundingClientRect()
    return Math.max(0.05, Math.min(r.width / W, r.height / H))
  }

  function fit() {
    const r = B.el.viewport.getBoundingClientRect()
    const scale = fitScale()
    state.view = {scale, tx: (r.width - W * scale) / 2, ty: (r.height - H * scale) / 2}
    state.atFit = true
    applyView()
  }

  const zoomRange = () => [fitScale(), fitScale() * MAX_ZOOM]

  // Keep the board on screen: at fit it is centred; zoomed in, no margin beyond its edges.
  function keepInside(v) {
    const r = B.el.viewport.getBoundingClientRect()
    const w = W * v.scale
    const hgt = H * v.scale
    v.tx = w <= r.width ? (r.width - w) / 2 : clamp(v.tx, r.width - w, 0)
    v.ty = hgt <= r.height ? (r.height - hgt) / 2 : clamp(v.ty, r.height - hgt, 0)
    return v
  }

  function setView(v) {
    state.view = keepInside(v)
    state.atFit = false
    applyView()
  }

  function zoomBy(factor, cx, cy) {
    const r = B.el.viewport.getBoundingClientRect()
    const px = cx ?? r.width / 2
    const py = cy ?? r.height / 2
    const v = state.view
    const [lo, hi] = zoomRange()
    const scale = clamp(v.scale * factor, lo, hi)
    const k = scale / v.scale
    if (scale <= lo * 1.0001) { fit(); return }
    setView({scale, tx: px - (px - v.tx) * k, ty: py - (py - v.ty) * k})
  }

  function panBy(dx, dy) {
    setView({...state.view, tx: state.view.tx + dx, ty: state.view.ty + dy})
  }

  function clientToWorld(clientX, clientY) {
    const r = B.el.viewport.getBoundingClientRect()
    const v = state.view
    return [(clientX - r.left - v.tx) / v.scale, (clientY - r.top - v.ty) / v.scale]
  }

  function viewCentreUnit() {
    const r = B.el.viewport.getBoundingClientRect()
    const [wx, wy] = clientToWorld(r.left + r.width / 2, r.top + r.height / 2)
    return B.toUnit(clamp(wx - M.note_w / 2, 0, W - M.note_w), clamp(wy - 50, 0, H - 100))
  }

  // Show a world box whole, as large as the view allows (never past the zoom limits).
  function showBox([x, y, w, hgt], margin = 0.06) {
    const r = B.el.viewport.getBoundingClientRect()
    const [lo, hi] = zoomRange()
    const scale = clamp(Math.min(r.width / (w * (1 + margin)), r.height / (hgt * (1 + margin))), lo, hi)
    if (scale <= lo * 1.0001) { fit(); return }
    setView({scale, tx: r.width / 2 - (x + w / 2) * scale, ty: r.height / 2 - (y + hgt / 2) * scale})
  }

  // Centre a world point; zoom in (never out) to at least ``scale``.
  function centreOn(wx, wy, scale = 0) {
    const r = B.el.viewport.getBoundingClientRect()
    const [lo, hi] = zoomRange()
    const s = clamp(Math.max(state.view.scale, scale), lo, hi)
    setView({scale: s, tx: r.width / 2 - wx * s, ty: r.height / 2 - wy * s})
  }

  // The viewport changed size (the window, the header, present mode): a board shown whole
  // stays whole; a zoomed view keeps its centre.
  function resized() {
    if (state.atFit) { fit(); return }
    const prev = state.viewportSize
    const r = B.el.viewport.getBoundingClientRect()
    if (prev) {
      state.view.tx += (r.width - prev.w) / 2
      state.view.ty += (r.height - prev.h) / 2
    }
    const [lo] = zoomRange()
    if (state.view.scale < lo) fit()
    else setView({...state.view})
  }

  function bringTo(v) {
    const r = B.el.viewport.getBoundingClientRect()
    const [lo, hi] = zoomRange()
    const scale = clamp(fitScale() * v.zoom, lo, hi)
    if (scale <= lo * 1.0001) { fit(); return }
    setView({scale, tx: r.width / 2 - v.cx * W * scale, ty: r.height / 2 - (1 - v.cy) * H * scale})
  }

  function myView() {
    const r = B.el.viewport.getBoundingClientRect()
    const [wx, wy] = clientToWorld(r.left + r.width / 2, r.top + r.height / 2)
    return {cx: clamp(wx / W, 0, 1), cy: clamp(1 - wy / H, 0, 1), zoom: clamp(state.view.scale / fitScale(), 0.1, 10)}
  }

  Object.assign(B, {applyView, fit, fitScale, zoomBy, panBy, clientToWorld, viewCentreUnit, showBox, centreOn,
    resized, bringTo, myView})
}
