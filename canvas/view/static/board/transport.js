// The one way a page talks to the server: send an operation, hear what the server says
// (patches, snapshots, save status, refusals...), and know whether the connection holds.
// Today it rides on the Panel component's messages; a dedicated channel can replace it
// without the board or the phone view noticing.
//
//   const link = panelTransport(model)
//   link.initial()          the snapshot the page was built with
//   link.send(op)           one operation, as a plain object
//   link.listen(fn)         fn(message) for every message from the server
//   link.connection(fn)     fn(true | false) when the connection comes back or drops
//   link.close()
//
// A page whose connection drops connects again by itself (the server allows it); until then
// nothing is sent, and what its person writes waits in the outbox (outbox.js). Bokeh tries
// five times over about half a minute and then gives up, but a phone on a bus is offline
// for longer: while the connection is down the page tries again every few seconds, and at
// once when the browser says it is online again or the page is shown again.

const RETRY_MS = 3000

export function panelTransport(model) {
  const listeners = []
  const watchers = []
  let closed = false
  let lost = null  // the last "connection lost" event, which can try again
  let timer = null
  const deliver = (msg) => { for (const fn of listeners) fn(msg) }
  const tell = (online) => { if (!closed) for (const fn of watchers) fn(online) }
  const retry = () => { if (lost && !closed) lost.reconnect?.() }
  const wake = () => { if (document.visibilityState !== "hidden") retry() }
  model.on("msg:custom", deliver)
  const doc = model.document
  doc?.on_event?.("connection_lost", (_, event) => {
    lost = event
    if (!timer) timer = setInterval(retry, RETRY_MS)
    tell(false)
  })
  doc?.on_event?.("client_reconnected", () => { clearInterval(timer); timer = null; lost = null; tell(true) })
  window.addEventListener("online", wake)
  document.addEventListener("visibilitychange", wake)
  return {
    initial: () => model.snapshot,
    send: (op) => model.send_msg(op),
    listen: (fn) => { listeners.push(fn) },
    connection: (fn) => { watchers.push(fn) },
    close: () => {
      closed = true
      listeners.length = 0
      watchers.length = 0
      clearInterval(timer)
      window.removeEventListener("online", wake)
      document.removeEventListener("visibilitychange", wake)
    },
  }
}

// A view of a transport that hears only what draws the board and sends nothing: the phone
// view's "look at the board" shares the phone's connection this way, and the phone alone
// answers for what its person sent.
const DRAWN = new Set(["snapshot", "patch", "presence", "editing", "timer", "present", "view", "status"])

export function lookingTransport(link) {
  let listening = true
  return {
    initial: link.initial,
    send: () => {},
    listen: (fn) => link.listen((msg) => { if (listening && DRAWN.has(msg?.type)) fn(msg) }),
    connection: () => {},
    close: () => { listening = false },
  }
}
