// No typed word is lost: every note a person writes (and every new text they give a note)
// goes through this outbox, which keeps it in the browser until the board has it.
//
// - Sent: it waits for the server's answer. Accepted, it leaves the outbox.
// - Refused (the board is locked, the iteration has ended, ...): it stays, as a draft with
//   its text and the reason, until its person sends it again, edits it or lets it go.
// - Not sent at all when the page can see that it would be refused (writeBlock in
//   rules.js) or while the connection is down; sent when the connection comes back.
// - Kept in localStorage per workshop and person, so a reload, a lost connection or the
//   move to the workshop's next iteration keeps it; a note sent twice is still one note
//   (the server takes the page's own note id again as no change).
// - Sent at a pace the server takes (a pasted list of thirty notes is thirty adds).

const BURST = 12
const RATE = 4  // per second, after the burst (the server allows 20, then 5)
const RETRY_MS = 1500
const MOVED = new Set(["ended", "moving"])  // refused because the workshop moved on

export function install(B) {
  const {state} = B
  const key = `thc-drafts:${B.workshop}:${B.person}`
  let entries = read()
  const waiting = new Map()  // ref -> entry key, for the changes sent from this page
  const listeners = []
  let tokens = BURST
  let stamp = performance.now()
  let timer = null

  function read() {
    try {
      const found = JSON.parse(localStorage.getItem(key) || "[]")
      return Array.isArray(found) ? found.filter((e) => e && typeof e.id === "string" && typeof e.text === "string") : []
    } catch (err) { return [] }
  }

  function changed() {
    try { localStorage.setItem(key, JSON.stringify(entries)) } catch (err) { /* storage full or off: kept in the page */ }
    for (const fn of listeners) fn(entries)
  }

  const keyOf = (e) => `${e.op}:${e.id}`
  const find = (k) => entries.find((e) => keyOf(e) === k)

  function opOf(e) {
    if (e.op === "edit") return {op: "edit", id: e.id, text: e.text}
    const op = {op: "add", id: e.id, x: e.x, y: e.y, text: e.text}
    if (e.anchor) op.anchor = e.anchor
    return op
  }

  // One token per note sent: a burst, then a steady rate.
  function take() {
    const now = performance.now()
    tokens = Math.min(BURST, tokens + ((now - stamp) / 1000) * RATE)
    stamp = now
    if (tokens < 1) return false
    tokens -= 1
    return true
  }

  function schedule(ms) {
    if (!timer) timer = setTimeout(() => { timer = null; pump() }, ms)
  }

  // Send what is waiting, as fast as the pace allows.
  function pump() {
    for (const e of entries) {
      if (e.state !== "waiting" || !B.online) continue
      if (!take()) { schedule(1000 / RATE); return }
      e.state = "sending"
      const ref = B.send(opOf(e))
      if (ref === null) { e.state = "waiting"; break }
      waiting.set(ref, keyOf(e))
    }
    changed()
  }

  // Queue an entry to go now, unless the page can see why it would be refused.
  function go(e) {
    const why = B.writeBlock(e.op === "add" ? e.anchor : null)
    if (why) Object.assign(e, {state: "refused", reason: why.text, code: why.code})
    else Object.assign(e, {state: "waiting", reason: "", code: ""})
  }

  // A note to send: {id, op: "add", text, x, y, anchor} or {id, op: "edit", text}.
  function put(entry) {
    const e = {...entry, at: Date.now()}
    entries = entries.filter((x) => keyOf(x) !== keyOf(e))
    entries.push(e)
    go(e)
    pump()
    return e
  }

  // The server answered a change; returns whether it was one of the outbox's.
  function answered(msg) {
    const k = waiting.get(msg.ref)
    if (k === undefined) return false
    waiting.delete(msg.ref)
    const e = find(k)
    if (!e) return true
    if (msg.type === "ack") entries = entries.filter((x) => x !== e)
    else if (msg.retry) { e.state = "waiting"; schedule(RETRY_MS) }
    else Object.assign(e, {state: "refused", reason: B.explain(msg), code: msg.code || ""})
    changed()
    return true
  }

  // A note reached the board (a patch): its add has nothing left to do.
  function arrived(id) {
    const before = entries.length
    entries = entries.filter((e) => !(e.op === "add" && e.id === id))
    if (entries.length !== before) changed()
  }

  // After a snapshot (a new page, a reload, a connection back): what is on the board leaves;
  // what was on its way and never answered is sent again.
  // A note refused only because the iteration had ended goes on to the one the workshop is
  // on now (it was written for the workshop, not for a file).
  function settle() {
    entries = entries.filter((e) => !(e.op === "add" && state.notes.has(e.id)))
    const live = new Set(waiting.values())
    for (const e of entries) {
      const movedOn = e.state === "refused" && MOVED.has(e.code) && !state.moved
      if ((e.state !== "refused" || movedOn) && !live.has(keyOf(e))) go(e)
    }
    pump()
  }

  function retry(k) { const e = find(k); if (e) { go(e); pump() } }

  function rewrite(k, text) {
    const e = find(k)
    if (!e) return
    e.text = text
    if (!text.trim() && e.op === "add") entries = entries.filter((x) => x !== e)
    changed()
  }

  function discard(k) {
    entries = entries.filter((e) => keyOf(e) !== k)
    changed()
  }

  // Another tab of the same person wrote the outbox: take its list.
  addEventListener("storage", (event) => {
    if (event.key !== key) return
    entries = read()
    for (const fn of listeners) fn(entries)
  })

  B.transport.connection?.((online) => {
    B.setOnline(online)
    if (online) { B.send({op: "hello", name: B.myName?.() || ""}); settle() }
    else changed()
  })

  B.outbox = {
    put, answered, arrived, settle, retry, rewrite, discard, keyOf,
    list: () => entries.slice(),
    pending: (id) => entries.find((e) => e.id === id && e.state !== "refused"),
    listen: (fn) => listeners.push(fn),
  }
}
