// The one way the board talks to the server: the room channel, a WebSocket of its own beside
// the page's document (canvas/view/channel.py). The server sends a list of messages per tick:
// a snapshot first, then patches, live state and answers. A participant's list may hold,
// right after a snapshot or a patch, their personal part ("mine": their own notes, their
// dots), which is laid over the shared message here (canvas/live/inbox.py is the Python twin).
// When the socket closes (the network, a server that dropped a page too far behind), it
// connects again and the server starts it from a snapshot.
//
//   const link = roomTransport(workshop)   workshop: the folder of the page's session
//   link.send(op)           one operation, as a plain object (queued while connecting)
//   link.listen(fn)         fn(message) for every message from the server
//   link.connection(fn)     fn(true | false) when the connection opens or drops
//   link.close()
//
// While the socket is down the page tries again with a growing delay (at most 5 s), and at
// once when the browser says it is online again or the page is shown again: a phone on a
// bus is offline for minutes. What its person writes meanwhile waits in the outbox
// (outbox.js), which sends it when the connection comes back.

const BOARD = new Set(["snapshot", "patch"])
const NOT_ADMITTED = 4003

// A personal part laid over the shared messages, and this person's dots kept between them.
export function reader() {
  let personal = false
  let dots = {}
  let used = 0

  function lay(board, mine) {
    personal = true
    const vote = {...(mine.voting || {})}
    if ("dots" in vote) { dots = vote.dots; used = vote.used || 0; delete vote.dots }
    const own = mine.notes || {}
    if (board.type === "snapshot") {
      const notes = new Map(board.notes.map((n) => [n.id, n]))
      for (const [id, view] of Object.entries(own)) notes.set(id, view)
      board.notes = [...notes.keys()].sort().map((id) => notes.get(id))
    } else Object.assign(board.notes, own)
    board._own = new Set(Object.keys(own))
    if (board.voting) board.voting = {...board.voting, ...vote}
  }

  function layDots(board) {
    const own = board._own || new Set()
    delete board._own
    const views = board.type === "snapshot" ? board.notes : Object.values(board.notes)
    for (const view of views) {
      if (view && "my_votes" in view && !own.has(view.id)) view.my_votes = dots[view.id] || 0
    }
    if (board.voting) board.voting.used = used
  }

  return function read(list) {
    const out = []
    for (const msg of list) {
      if (msg?.type === "mine") {
        const last = out[out.length - 1]
        if (last && BOARD.has(last.type)) lay(last, msg)
        continue
      }
      if (msg?.type === "snapshot") { personal = false; dots = {}; used = 0 }
      out.push(msg)
    }
    if (personal) for (const msg of out) if (BOARD.has(msg.type)) layDots(msg)
    return out
  }
}

// The workshop a page's room channel is routed by: the folder of its session.
export function workshopOf(model) {
  return (model.session_name || "").split("/")[0]
}

export function roomTransport(workshop) {
  const listeners = []
  const watchers = []
  const waiting = []
  const read = reader()
  let socket = null
  let closed = false
  let delay = 250
  let hello = null  // said again on every new connection
  let again = null  // the timer of the next try, while the socket is down
  const tell = (online) => { if (!closed) for (const fn of watchers) fn(online) }

  const address = () => {
    // Beside the page, under any prefix; the workshop in the path is what a proxy in front
    // of several servers routes by (docs/DEPLOY.md).
    const path = workshop ? `room/${encodeURIComponent(workshop)}` : "room"
    const url = new URL(path + window.location.search, window.location.href)
    url.protocol = url.protocol === "https:" ? "wss:" : "ws:"
    url.hash = ""
    return url.href
  }

  function connect() {
    clearTimeout(again)
    again = null
    const ws = new WebSocket(address())
    socket = ws
    ws.onopen = () => {
      delay = 250
      if (hello) ws.send(JSON.stringify(hello))
      while (waiting.length) ws.send(waiting.shift())
      tell(true)
    }
    ws.onmessage = (event) => {
      let list
      try { list = JSON.parse(event.data) } catch { return }
      for (const msg of read(Array.isArray(list) ? list : [list])) for (const fn of listeners) fn(msg)
    }
    ws.onclose = (event) => {
      if (socket !== ws) return
      socket = null
      tell(false)
      if (closed || event.code === NOT_ADMITTED) return
      again = setTimeout(connect, delay + Math.random() * delay)
      delay = Math.min(delay * 2, 5000)
    }
  }

  // Back online, or shown again: try now rather than at the next turn of the timer.
  const wake = () => { if (!socket && !closed && again && document.visibilityState !== "hidden") connect() }
  window.addEventListener("online", wake)
  document.addEventListener("visibilitychange", wake)

  function send(op) {
    if (op.op === "hello" || op.op === "name") hello = {op: "hello", name: op.name}
    const text = JSON.stringify(op)
    if (socket && socket.readyState === WebSocket.OPEN) socket.send(text)
    else if (!(op.op === "hello" || op.op === "name")) waiting.push(text)
  }

  connect()
  return {
    send,
    listen: (fn) => { listeners.push(fn) },
    connection: (fn) => { watchers.push(fn) },
    close: () => {
      closed = true
      listeners.length = 0
      watchers.length = 0
      clearTimeout(again)
      window.removeEventListener("online", wake)
      document.removeEventListener("visibilitychange", wake)
      if (socket) socket.close()
    },
  }
}

// A view of a transport that hears only what draws the board and sends nothing: the phone
// view's "look at the board" shares the phone's connection this way, and the phone alone
// answers for what its person sent. It asks the room for a fresh snapshot to start from.
const DRAWN = new Set(["snapshot", "patch", "presence", "editing", "timer", "present", "view", "status"])

export function lookingTransport(link) {
  let listening = true
  return {
    send: () => {},
    listen: (fn) => link.listen((msg) => { if (listening && DRAWN.has(msg?.type)) fn(msg) }),
    connection: () => {},
    start: () => link.send({op: "snapshot"}),
    close: () => { listening = false },
  }
}
