// The workshop's countdown as the server runs it: drawn locally between its messages, and
// announced at one minute left and at zero.

export function install(B) {
  const {state, t} = B
  let tick = null
  let lastAnnounced = null

  function setTimer(msg) {
    state.timer = {...msg, at: performance.now()}
    clearInterval(tick)
    drawTimer()
    if (msg.running) tick = setInterval(drawTimer, 250)
  }

  function timerLeft() {
    const tm = state.timer
    if (!tm.running) return tm.remaining
    return Math.max(0, tm.remaining - (performance.now() - tm.at) / 1000)
  }

  function show(text, mode) {
    for (const el of [B.el.timerEl, B.el.presentTimer]) {
      if (!el) continue
      el.textContent = text
      el.dataset.state = mode
    }
  }

  function drawTimer() {
    const tm = state.timer
    if (!tm.duration && !tm.remaining) { show("", ""); return }
    const left = timerLeft()
    const whole = Math.ceil(left)
    show(left > 0 ? `${Math.floor(whole / 60)}:${String(whole % 60).padStart(2, "0")}` : t("time_up"),
      left <= 0 ? "done" : tm.running ? "running" : "paused")
    const milestone = left <= 0 ? "end" : whole === 60 ? "minute" : null
    if (milestone && milestone !== lastAnnounced && tm.running) {
      lastAnnounced = milestone
      B.announce(milestone === "end" ? t("time_up") : t("one_minute_left"))
      if (milestone === "end") B.timeUp?.()
    }
    if (left > 60) lastAnnounced = null
    if (left <= 0) clearInterval(tick)
  }

  Object.assign(B, {setTimer, timerLeft})
}
