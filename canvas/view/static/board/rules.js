// What this person may do now, and why not: the server's rules as a page can see them, so
// that a control that cannot succeed says why before anyone types into it (the server still
// checks everything). Also the step as people read it, where a new note goes during a step,
// and a pasted list read as notes. Shared by the board and the phone view.

import {HORIZONS, KINDS} from "./context.js"

const BULLET = /^\s*(?:[-*•·–—▪◦]|\d{1,3}[.)]|\[[ xX]?\])\s+/

// The lines of a pasted text that would each make a note: list marks gone, blank lines out.
export function listLines(text) {
  return String(text || "").split(/\r?\n/).map((line) => line.replace(BULLET, "").trim()).filter(Boolean)
}

export function install(B) {
  const {state, t, L, lang} = B

  // Why a note (``anchor``: where it would go) cannot be sent now: {code, text}, or null.
  // The codes are the server's (OpError), so a draft kept for either reads the same.
  function writeBlock(anchor = null) {
    const why = (code, params) => ({code, text: t(`why_${code}`, params)})
    if (!B.canWrite) return why("role")
    if (B.canShape) return null
    if (state.moved) return why("ended")
    const f = state.facilitation
    if (f.locked) return why("locked")
    const a = anchor && state.anchors.get(anchor)
    if (a && HORIZONS.includes(f.step) && !f.open_all && a.horizon !== f.step) return why("step", {step: f.step})
    return null
  }

  // Why this person cannot give one more dot now, or "".
  function voteBlock() {
    const v = state.voting
    if (!v.open) return t("no_vote_open")
    if (!B.canWrite) return t("why_role")
    if (state.moved && !B.canShape) return t("why_ended")
    if ((v.used || 0) >= v.budget) return t("why_budget", {n: v.budget})
    return ""
  }

  // "Votes left: 3 of 5" while a vote is open, else "".
  const votesLeft = (v) => v.open ? t("votes_left", {n: Math.max(0, v.budget - (v.used || 0)), budget: v.budget}) : ""

  const stepName = (step) => step === "review" ? t("step_review") : `${step} · ${t(step.toLowerCase() + "_name")}`

  // The current step's prompt, in the page's language.
  const stepPrompt = (step) => (lang === "cy" && state.prompts_cy?.[step]) || state.prompts?.[step] || ""

  // The horizon a step sends new notes to, or "" (no step, the review, or all open).
  function stepHorizon() {
    const f = state.facilitation
    return HORIZONS.includes(f.step) && !f.open_all ? f.step : ""
  }

  // The anchors a new note may go to now: the step's horizon's, or all, by title.
  function anchorsNow() {
    const horizon = stepHorizon()
    return [...state.anchors.values()].filter((a) => !horizon || a.horizon === horizon)
      .sort((p, q) => L(p, "title").localeCompare(L(q, "title"), lang))
  }

  // Where "Add note" puts a new note: on the focused anchor when the step allows it, else in
  // the step's region (its frame, clear of anchors, near ``near`` [x, y] in world pixels, or
  // its middle), else at ``near``. Returns {x, y, anchor} (x, y from 0 to 1).
  function placeForNote(near, anchorId = null) {
    const horizon = stepHorizon()
    const a = anchorId && state.anchors.get(anchorId)
    if (a && (!horizon || a.horizon === horizon)) return {x: a.x, y: a.y, anchor: a.id}
    // Without a step, a note from a page with no view of the board (the phone) goes to the
    // free place nearest the board's middle.
    const frame = (horizon && state.layout.frames[horizon]) || (!near && state.layout.frames.all)
    const [x, y] = frame ? freeIn(frame, near) : near
    const [ux, uy] = B.toUnit(x, y)
    return {x: ux, y: uy, anchor: null}
  }

  // A note's place inside ``frame`` [x, y, w, h], nearest ``near``, over no anchor or zone.
  function freeIn([fx, fy, fw, fh], near) {
    const M = B.metrics
    const [w, h] = [M.note_w, M.note_w * 0.5]
    const boxes = [...state.layout.anchors.values(), ...state.layout.zones.values()]
    const clear = (x, y) => !boxes.some(([bx, by, bw, bh]) => x < bx + bw && x + w > bx && y < by + bh && y + h > by)
    const [nx, ny] = near || [fx + fw / 2, fy + fh / 2]
    let best = null
    for (let y = fy; y + h <= fy + fh; y += h / 2) {
      for (let x = fx; x + w <= fx + fw; x += w / 4) {
        const d = Math.hypot(x + w / 2 - nx, y + h / 2 - ny)
        if (clear(x, y) && (!best || d < best[2])) best = [x, y, d]
      }
    }
    return best ? [best[0], best[1]] : [fx + fw / 2 - w / 2, fy + fh / 2 - h / 2]
  }

  // Every anchor as a select option ([value, text]), grouped by kind and sorted by title.
  function anchorOptions(none) {
    const opts = [["", none]]
    for (const kind of KINDS) {
      const ofKind = [...state.anchors.values()].filter((x) => x.kind === kind)
      for (const a of ofKind.sort((p, q) => L(p, "title").localeCompare(L(q, "title")))) {
        opts.push([a.id, `${t("kind_" + kind)}: ${L(a, "title")}`])
      }
    }
    return opts
  }

  // A note onto the anchor chosen from anchorOptions ("": off any anchor, where it is).
  function sendToAnchor(n, anchorId) {
    if (anchorId) B.send({op: "attach", id: n.id, anchor: anchorId})
    else B.send({op: "move", id: n.id, x: n.x, y: n.y})
  }

  // This person's own notes, newest first.
  const mine = () => [...state.notes.values()].filter((n) => n.mine).reverse()

  Object.assign(B, {writeBlock, voteBlock, votesLeft, stepName, stepPrompt, stepHorizon, anchorsNow, anchorOptions, sendToAnchor, placeForNote,
    mine})
}
