// The workshop moved on: the facilitator started its next iteration. This page's iteration is
// read-only now for participants (its notes are kept as drafts, and go on with the page), so
// the page says so and goes to the iteration the workshop is on: by itself after a moment,
// unless its person is typing, and at once with the button.

import {button, h} from "./dom.js"

const AUTO_MS = 2000

export function install(B) {
  const {t} = B
  let timer = null

  // Where the workshop went, with this person's way in (the server chose the codes).
  function target(msg) {
    const url = new URL(window.location.href)
    for (const name of ["session", "join", "view", "review", "compare"]) url.searchParams.delete(name)
    url.searchParams.set("session", msg.session)
    for (const [name, value] of Object.entries(msg.query || {})) url.searchParams.set(name, value)
    return url.toString()
  }

  function movedOn(msg) {
    const go = () => { clearTimeout(timer); window.location.assign(target(msg)) }
    const box = B.el.banner
    box.hidden = false
    box.replaceChildren(h("span", {text: t("moved_on", {number: msg.iteration})}),
      button(t("go_to_iteration", {number: msg.iteration}), go, {"data-action": "go-next"}))
    B.refreshWriting?.()
    clearTimeout(timer)
    if (!B.typing?.()) timer = setTimeout(go, AUTO_MS)
  }

  Object.assign(B, {movedOn})
}
