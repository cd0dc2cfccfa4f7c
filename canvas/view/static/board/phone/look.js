// Looking at the board from a phone: the whole board, read-only, over the phone view, as the
// projector shows it (present mode: the step, the horizons to jump to, pinch to zoom). Its
// modules load only when someone asks; it shares the phone's connection and sends nothing.

import {button, h} from "../dom.js"

export function install(B) {
  const {t} = B
  const holder = h("div", {cls: "thc-ph-look", hidden: true})
  const open = button(t("look_at_board"), () => openLook(), {cls: "thc-btn thc-ph-send", "data-action": "look"})
  B.el.panels.board.append(h("h2", {text: t("tab_board")}), h("p", {text: t("look_hint")}), open)
  B.el.root.append(holder)
  let board = null

  async function openLook() {
    if (board) return
    open.disabled = true
    try {
      const {mount} = await import("../board.js")
      holder.hidden = false
      B.el.root.classList.add("looking")
      board = mount({model: B.model, el: holder}, {transport: B.transport, close: closeLook})
      B.el.root.scrollTop = 0
      holder.querySelector("[data-action='exit-present']")?.focus()
    } finally {
      open.disabled = false
    }
  }

  function closeLook() {
    board?.unmount()
    board = null
    holder.hidden = true
    B.el.root.classList.remove("looking")
    open.focus()
  }

  Object.assign(B, {openLook, closeLook})
}
