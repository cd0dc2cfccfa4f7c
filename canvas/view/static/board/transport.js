// The one way the board talks to the server: send an operation, hear what the server says
// (patches, snapshots, save status, refusals...). Today it rides on the Panel component's
// messages; a dedicated channel can replace it without the rest of the board noticing.
//
//   const link = panelTransport(model)
//   link.initial()          the snapshot the page was built with
//   link.send(op)           one operation, as a plain object
//   link.listen(fn)         fn(message) for every message from the server
//   link.close()

export function panelTransport(model) {
  const listeners = []
  const deliver = (msg) => { for (const fn of listeners) fn(msg) }
  model.on("msg:custom", deliver)
  return {
    initial: () => model.snapshot,
    send: (op) => model.send_msg(op),
    listen: (fn) => { listeners.push(fn) },
    close: () => { listeners.length = 0 },
  }
}
