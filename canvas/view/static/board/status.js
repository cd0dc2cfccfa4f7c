// What the page tells its person: the save status, alerts, and announcements for screen
// readers. Sending a change shows "Saving..." until the server says it has saved.

// Operations that change the board (and so lead to a save).
const CHANGES = new Set(["add", "edit", "move", "move_many", "style", "attach", "delete", "vote", "personas",
  "comment", "anchor_add", "anchor_edit", "anchor_move", "anchor_delete", "gather", "settings", "prompt",
  "step", "facilitate", "reveal", "hide", "vote_start", "vote_close", "undo", "redo"])

export function install(B) {
  const {t} = B
  let alertTimer = null
  let serverStatus = {state: "saved"}
  let savingTimer = null

  function showAlert(message) {
    const box = B.el.alertBox
    box.textContent = message
    box.classList.add("visible")
    clearTimeout(alertTimer)
    alertTimer = setTimeout(() => { box.textContent = ""; box.classList.remove("visible") }, 6000)
  }

  function announce(message) { B.el.announcer.textContent = message }

  function send(op) {
    B.transport.send(op)
    // The server says when it has saved; until then this page shows that it is saving. A
    // change the server refused, or that changed nothing, leads to no save: fall back.
    if (CHANGES.has(op.op) && serverStatus.state !== "error") {
      setStatus({state: "saving"}, false)
      clearTimeout(savingTimer)
      savingTimer = setTimeout(() => setStatus(serverStatus, false), 3000)
    }
  }

  function setStatus(s, fromServer = true) {
    if (fromServer) { serverStatus = s; clearTimeout(savingTimer) }
    const el = B.el.status
    el.dataset.state = s.state
    if (s.state === "saved") {
      const time = s.at ? new Date(s.at).toLocaleTimeString(B.strings._locale || undefined) : ""
      el.textContent = t("saved_at", {time})
    } else if (s.state === "saving") el.textContent = t("saving")
    else el.textContent = t("not_saved", {reason: s.reason || ""})
  }

  const restoreStatus = () => setStatus(serverStatus, false)
  Object.assign(B, {showAlert, announce, send, setStatus, restoreStatus})
}
