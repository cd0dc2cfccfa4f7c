// The board's drafts tray: the notes this person wrote that are not on the board yet (kept
// by the outbox, with why), and the question a pasted list asks. It sits over the board's
// corner at a size that reads whatever the zoom, and only while there is something in it.

import {h} from "./dom.js"

export function install(B) {
  const askSlot = h("div")
  const list = h("div", {cls: "thc-tray-list"})
  B.el.tray.append(askSlot, list)

  function drawDrafts() {
    const asking = B.fillAsk(askSlot)
    B.fillDrafts(list, "h2")
    B.el.tray.hidden = !asking && list.hidden
  }

  B.drawDrafts = drawDrafts
  drawDrafts()
}
