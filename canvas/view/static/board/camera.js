// The view onto the board: world coordinates, the pan and zoom transform, fitting the whole
// board, and the facilitator's "bring everyone to my view".

import {clamp} from "./dom.js"

export const W = 2000
export const H = 1200
export const NOTE_W = 140
export const NOTE_H = 64
export const ANCHOR_W = 150
export const ANCHOR_H = 56

export const toPx = (x, y, w, hgt) => [clamp(x * W, 0, W - w), clamp((1 - y) * H, 0, H - hgt)]
export const toUnit = (left, top) => [clamp(left / W, 0, 1), clamp(1 - top / H, 0, 1)]

export function install(B) {
  const {state} = B

  function applyView() {
    const {scale, tx, ty} = state.view
    B.el.world.style.transform = `translate(${tx}px, ${ty}px) scale(${scale})`
    B.scheduleCull()
  }

  function fitScale() {
    const r = B.el.viewport.getBoundingClientRect()
    return Math.max(0.1, Math.min(r.width / W, r.height / H))
  }

  function fit() {
    const r = B.el.viewport.getBoundingClientRect()
    const scale = fitScale()
    state.view = {scale, tx: (r.width - W * scale) / 2, ty: (r.height - H * scale) / 2}
    applyView()
  }

  function zoomBy(factor, cx, cy) {
    const r = B.el.viewport.getBoundingClientRect()
    const px = cx ?? r.width / 2
    const py = cy ?? r.height / 2
    const v = state.view
    const scale = clamp(v.scale * factor, 0.1, 4)
    const k = scale / v.scale
    state.view = {scale, tx: px - (px - v.tx) * k, ty: py - (py - v.ty) * k}
    applyView()
  }

  function clientToWorld(clientX, clientY) {
    const r = B.el.viewport.getBoundingClientRect()
    const v = state.view
    return [(clientX - r.left - v.tx) / v.scale, (clientY - r.top - v.ty) / v.scale]
  }

  function viewCentreUnit() {
    const r = B.el.viewport.getBoundingClientRect()
    const [wx, wy] = clientToWorld(r.left + r.width / 2, r.top + r.height / 2)
    return toUnit(clamp(wx - NOTE_W / 2, 0, W - NOTE_W), clamp(wy - NOTE_H / 2, 0, H - NOTE_H))
  }

  // Centre the view on a world point, keeping the zoom.
  function centreOn(wx, wy) {
    const r = B.el.viewport.getBoundingClientRect()
    state.view.tx = r.width / 2 - wx * state.view.scale
    state.view.ty = r.height / 2 - wy * state.view.scale
    applyView()
  }

  function bringTo(v) {
    const r = B.el.viewport.getBoundingClientRect()
    const scale = clamp(fitScale() * v.zoom, 0.1, 4)
    state.view = {scale, tx: r.width / 2 - v.cx * W * scale, ty: r.height / 2 - (1 - v.cy) * H * scale}
    applyView()
  }

  function myView() {
    const r = B.el.viewport.getBoundingClientRect()
    const [wx, wy] = clientToWorld(r.left + r.width / 2, r.top + r.height / 2)
    return {cx: clamp(wx / W, 0, 1), cy: clamp(1 - wy / H, 0, 1), zoom: clamp(state.view.scale / fitScale(), 0.1, 10)}
  }

  Object.assign(B, {applyView, fit, zoomBy, clientToWorld, viewCentreUnit, centreOn, bringTo, myView})
}
