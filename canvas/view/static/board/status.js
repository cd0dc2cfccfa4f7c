// What the page tells its person: the save status, alerts, and announcements for screen
// readers. Sending a change shows "Saving..." until the server says it has saved; while the
// connection is down, it says so, and sends nothing.

// Operations that change the board (and so lead to a save).
const CHANGES = new Set(["add", "edit", "move", "move_many", "style", "attach", "delete", "vote", "personas",
  "comment", "anchor_add", "anchor_edit", "anchor_move", "anchor_delete", "gather", "settings", "prompt",
  "step", "facilitate", "reveal", "hide", "vote_start", "vote_close", "undo", "redo"])

export function install(B) {
  const {t} = B
  let alertTimer = null
  // "Saved" is a promise: the server answers each change this page sends with the sequence
  // number it got (or a refusal), and a save status names the last sequence number on disk.
  // Until every change sent is answered and covered, this page shows that it is saving.
  let serverStatus = {state: "saved", seq: 0}
  let nextRef = 1
  const unanswered = new Set()
  let mine = 0

  function showAlert(message) {
    const box = B.el.alertBox
    box.textContent = message
    box.classList.add("visible")
    clearTimeout(alertTimer)
    alertTimer = setTimeout(() => { box.textContent = ""; box.classList.remove("visible") }, 6000)
  }

  function announce(message) { B.el.announcer.textContent = message }

  // Returns the change's reference (null for what is no change, or when nothing was sent).
  function send(op) {
    if (!B.online) {
      if (CHANGES.has(op.op)) showAlert(t("offline_not_sent"))
      return null
    }
    let ref = null
    if (CHANGES.has(op.op)) {
      ref = nextRef++
      unanswered.add(ref)
      op = {...op, ref}
    }
    B.transport.send(op)
    showStatus()
    return ref
  }

  // A refusal in the page's language where its reason has a name (see OpError's codes).
  function explain(msg) {
    const key = msg.code ? `why_${msg.code}` : ""
    const params = {step: B.state.facilitation.step, n: B.state.voting.budget}
    return key && B.strings[key] ? t(key, params) : msg.message || ""
  }

  function setOnline(online) {
    B.online = online
    showStatus()
  }

  // The server acknowledged (or refused) a change this page sent.
  function answered(msg) {
    if (msg.ref) unanswered.delete(msg.ref)
    if (msg.type === "ack" && msg.seq > mine) mine = msg.seq
    showStatus()
  }

  // A new connection starts from a snapshot: answers to changes sent on the old one are
  // lost, and the snapshot shows whatever of them the room took.
  function forgetUnanswered() {
    unanswered.clear()
    showStatus()
  }

  function setStatus(s) {
    serverStatus = s
    showStatus()
  }

  function showStatus() {
    let s = serverStatus
    if (s.state !== "error" && (unanswered.size || (s.seq || 0) < mine)) s = {state: "saving"}
    if (!B.online) s = {state: "offline"}
    const el = B.el.status
    if (!el) return
    el.dataset.state = s.state
    if (s.state === "offline") { el.textContent = t("offline"); return }
    if (s.state === "saved") {
      const time = s.at ? new Date(s.at).toLocaleTimeString(B.strings._locale || undefined, {hourCycle: "h23"}) : ""
      el.textContent = t("saved_at", {time})
    } else if (s.state === "saving") el.textContent = t("saving")
    else el.textContent = t("not_saved", {reason: s.reason || ""})
  }

  Object.assign(B, {showAlert, announce, send, explain, setOnline, setStatus, answered, showStatus, forgetUnanswered})
}
