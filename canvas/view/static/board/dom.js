// Building DOM nodes. User text goes in only through textContent, value or setAttribute
// (never innerHTML): every element of the board is made here or with these helpers.

export const SVG_NS = "http://www.w3.org/2000/svg"

export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag)
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue
    if (key === "text") el.textContent = value
    else if (key === "cls") el.className = value
    else if (key.startsWith("on")) el.addEventListener(key.slice(2), value)
    else if (key === "value") el.value = value
    else el.setAttribute(key, value === true ? "" : String(value))
  }
  for (const child of children) if (child) el.append(child)
  return el
}

export function svg(tag, attrs = {}) {
  const el = document.createElementNS(SVG_NS, tag)
  for (const [key, value] of Object.entries(attrs)) el.setAttribute(key, String(value))
  return el
}

export function newId(prefix) {
  const rand = Math.random().toString(36).slice(2, 8)
  return `${prefix}-${Date.now().toString(36)}-${rand}`
}

export const clamp = (v, lo, hi) => Math.min(Math.max(v, lo), hi)

export const button = (label, onclick, extra = {}) =>
  h("button", {type: "button", cls: "thc-btn", onclick, ...extra, text: label})

// A labelled <select>; options are [value, text] pairs.
export function select(label, options, value, onchange, attrs = {}) {
  const sel = h("select", {"aria-label": label, ...attrs})
  for (const [v, text] of options) {
    const opt = h("option", {value: v, text})
    if (v === (value ?? "")) opt.selected = true
    sel.append(opt)
  }
  sel.addEventListener("change", () => onchange(sel.value))
  return h("label", {cls: "thc-field"}, h("span", {text: label}), sel)
}

export function toggle(label, checked, onchange) {
  const box = h("input", {type: "checkbox"})
  box.checked = !!checked
  box.addEventListener("change", () => onchange(box.checked))
  return h("label", {cls: "thc-toggle"}, box, h("span", {text: " " + label}))
}

// Draw ``box`` again with ``render()`` and put focus back on the control it was on (found by
// its data-action and data-id or data-key), so that a list redrawn by a patch does not throw
// a keyboard or screen-reader user back to the top of the page.
export function keepFocus(box, render, active) {
  const held = active && box.contains(active) ? [active.dataset?.action, active.dataset?.id, active.dataset?.key] : null
  render()
  if (!held || !held[0]) return
  const [action, id, key] = held
  let selector = `[data-action="${CSS.escape(action)}"]`
  if (id) selector += `[data-id="${CSS.escape(id)}"]`
  if (key) selector += `[data-key="${CSS.escape(key)}"]`
  const again = box.querySelector(selector) || box.querySelector("button:not([disabled]), textarea, input")
  if (again) again.focus()
  else if (box.hasAttribute("tabindex")) box.focus()
}
