// The Three Horizons board: SVG curves, anchors and notes as DOM cards, a details panel,
// filters and a list of every note (the board's accessible twin). main.js mounts it, or the
// phone view (phone/main.js), which can mount it too, to look at.
//
// Each module installs its part on one shared context (see context.js) and calls the others
// through it. Rules every module keeps:
// - User text (notes, titles, names) reaches the page only through textContent, value or
//   setAttribute; never innerHTML.
// - One operation per finished gesture goes to the server; the server's patches are the
//   truth, local positions only bridge the time until they arrive.
// - Every interface string comes from the catalogue (model.strings) through t().

import {createBoard, hear} from "./context.js"
import {lookingTransport, roomTransport, workshopOf} from "./transport.js"
import * as status from "./status.js"
import * as skeleton from "./skeleton.js"
import * as camera from "./camera.js"
import * as places from "./places.js"
import * as spread from "./spread.js"
import * as curves from "./curves.js"
import * as filters from "./filters.js"
import * as cards from "./cards.js"
import * as cull from "./cull.js"
import * as piles from "./piles.js"
import * as rules from "./rules.js"
import * as sync from "./sync.js"
import * as draw from "./draw.js"
import * as outbox from "./outbox.js"
import * as draftsview from "./draftsview.js"
import * as tray from "./tray.js"
import * as moving from "./moving.js"
import * as present from "./present.js"
import * as compare from "./compare.js"
import * as timer from "./timer.js"
import * as drafts from "./drafts.js"
import * as selection from "./selection.js"
import * as gestures from "./gestures.js"
import * as keyboard from "./keyboard.js"
import * as side from "./panels/side.js"
import * as run from "./panels/run.js"
import * as details from "./panels/details.js"
import * as filterPanel from "./panels/filters.js"
import * as people from "./panels/people.js"
import * as comments from "./panels/comments.js"
import * as navigate from "./panels/navigate.js"
import * as shape from "./panels/shape.js"
import * as list from "./panels/list.js"
import * as exportPanel from "./panels/exports.js"

// Order matters only where a module uses the page's elements while installing: the skeleton
// comes first; every other call between modules happens later, through the context.
const MODULES = [status, skeleton, camera, places, spread, curves, filters, cards, cull, piles, rules, sync, draw,
  outbox, draftsview, tray, moving, present, compare, timer, drafts, selection, gestures, keyboard, side, run, details,
  filterPanel, people, comments, navigate, shape, list, exportPanel]
// What answers for what its person sent: a look at the board (the phone view's) leaves it to
// the page it looks from.
const ANSWERING = new Set([outbox, draftsview, tray, moving])

// What the board does once its first snapshot has come over the room channel.
function start(B, model, snapshot, look) {
  B.load(snapshot)
  if (model.compare && model.compare.changes) {
    B.setupCompare(model.compare)
    B.refreshNoteCards()
    B.renderCompare()
    B.renderNav()
  }
  if (look) {
    B.closeLook = look.close
    B.enterPresent(B.stepHorizon() || "all")
    B.el.root.querySelector("[data-action='exit-present']")?.focus()  // the way back, first
  } else if (model.present) B.enterPresent()
  else if (snapshot.present?.on) B.handlers.present(snapshot.present)
  B.fit()
}

// The whole board in ``el``. ``look`` mounts it to look at only, on another page's
// connection ({transport, close}): an observer's board in present mode, for the phone view.
export function mount({model, el}, look = null) {
  const transport = look ? lookingTransport(look.transport) : roomTransport(workshopOf(model))
  const B = createBoard(model, el, transport, look ? {as: "observer"} : {})
  // What the board sends, without any of its checks: for tests that play a page sending
  // what the board itself never would (any script on the page could open the channel).
  if (!look) el.thcSend = (op) => transport.send(op)
  B.metrics = model.metrics  // the sizes of everything (canvas/domain/dimensions.py)
  for (const module of MODULES) if (!look || !ANSWERING.has(module)) module.install(B)
  const {state} = B
  hear(B, (snapshot) => start(B, model, snapshot, look))
  if (look) transport.start()
  else B.send({op: "hello", name: B.el.nameInput.value})
  const resize = new ResizeObserver(() => {
    if (!state.fitted) { state.fitted = true; B.fit() } else B.resized()
    const r = B.el.viewport.getBoundingClientRect()
    state.viewportSize = {w: r.width, h: r.height}
  })
  resize.observe(B.el.viewport)
  requestAnimationFrame(() => B.fit())
  if (!look) model.on("remove", () => { resize.disconnect(); transport.close() })
  B.unmount = () => { resize.disconnect(); transport.close(); el.replaceChildren() }
  return B
}
