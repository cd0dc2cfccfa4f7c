// The participant's phone view: write a note in a text box that reads, put it on one of the
// step's anchors, send; see and change one's own notes; vote from a list; look at the board
// when one wants to. It stands on the board's own modules (the same transport, state, rules,
// outbox, status and strings), so it follows the same roles, limits, private writing, lock
// and steps, and the server checks it the same way. It builds no board until asked to.

import {createBoard, hear} from "../context.js"
import {roomTransport, workshopOf} from "../transport.js"
import * as status from "../status.js"
import * as places from "../places.js"
import * as rules from "../rules.js"
import * as sync from "../sync.js"
import * as outbox from "../outbox.js"
import * as draftsview from "../draftsview.js"
import * as moving from "../moving.js"
import * as timer from "../timer.js"
import * as frame from "./frame.js"
import * as write from "./write.js"
import * as mine from "./mine.js"
import * as vote from "./vote.js"
import * as look from "./look.js"

// The frame first: the shared modules install onto its elements (status, timer, banner).
const MODULES = [frame, status, places, rules, sync, outbox, draftsview, moving, timer, write, mine, vote, look]

export function mount({model, el}) {
  const transport = roomTransport(workshopOf(model))
  const B = createBoard(model, el, transport)
  el.thcSend = (op) => transport.send(op)  // as on the board (see board.js)
  B.metrics = model.metrics
  for (const module of MODULES) module.install(B)
  hear(B, (snapshot) => B.load(snapshot))
  B.send({op: "hello", name: B.myName()})
  model.on("remove", () => transport.close())
  return B
}
