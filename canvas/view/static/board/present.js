// Present mode: the board gets the screen for a projector. The header and the side panel give
// way to one line: the step and its prompt, frames to jump to (each horizon, the whole board),
// the vote's results, a large timer (it flashes at zero and can chime), and a way out.
//
// The facilitator's present mode is the room's (the server passes it on); observers' pages
// follow it unless they choose not to. A page opened with ?present=1 starts in present mode
// and stays in it (a projector's page), following the facilitator's frames.

import {button, h} from "./dom.js"

const FRAMES = ["H1", "H2", "H3", "all"]
const KEYS = {1: "H1", 2: "H2", 3: "H3", 0: "all"}

export function install(B) {
  const {state, t} = B
  state.present = {on: false, frame: "all", results: false}
  state.follow = !B.canShape && (B.role === "observer" || !!B.model.present)
  let followed = false  // present mode entered because the facilitator presented

  const prompt = h("p", {cls: "thc-present-prompt", "aria-live": "polite"})
  const frameButtons = FRAMES.map((name) => button(name === "all" ? t("frame_all") : name, () => go(name),
    {"data-frame": name, "aria-pressed": "false"}))
  const frames = h("div", {cls: "thc-frames", role: "group", "aria-label": t("frames")}, ...frameButtons)
  const resultsButton = button(t("show_results"), () => set({results: !state.present.results}),
    {"aria-pressed": "false", "data-action": "results"})
  const chime = h("input", {type: "checkbox", "data-field": "chime"})
  chime.checked = localStorage.getItem("thc-chime") === "1"
  chime.addEventListener("change", () => localStorage.setItem("thc-chime", chime.checked ? "1" : "0"))
  const follow = h("input", {type: "checkbox", "data-field": "follow"})
  follow.checked = state.follow
  follow.addEventListener("change", () => { state.follow = follow.checked })
  const timer = h("span", {cls: "thc-present-timer", role: "timer", "aria-label": t("timer")})
  const exit = button("✕", () => leave(), {"data-action": "exit-present", "aria-label": t("exit_present"),
    title: t("exit_present"), cls: "thc-btn thc-exit"})
  const strip = h("div", {cls: "thc-present", role: "region", "aria-label": t("present_mode")},
    prompt, frames, resultsButton,
    h("label", {cls: "thc-toggle"}, chime, h("span", {text: t("chime")})),
    B.canShape ? null : h("label", {cls: "thc-toggle"}, follow, h("span", {text: t("follow_facilitator")})),
    timer, exit)
  const results = h("section", {cls: "thc-results", "aria-label": t("vote_results")})
  B.el.root.insertBefore(strip, B.el.root.querySelector(".thc-main"))
  B.el.root.querySelector(".thc-main").append(results)
  B.el.presentTimer = timer

  function set(changes, {share = true} = {}) {
    const moved = "on" in changes || "frame" in changes || "results" in changes
    Object.assign(state.present, changes)
    render()
    if (moved) requestAnimationFrame(() => requestAnimationFrame(() => frame(state.present.frame)))
    if (share && B.canShape) B.send({op: "present", ...state.present})
  }

  function frame(name) {
    if (!state.present.on || name === "all") { B.fit(); return }
    const box = state.layout.frames[name]
    if (box) B.showBox(box, 0.02)
  }

  const go = (name) => set({frame: name})
  const enter = (name = "all") => { followed = false; set({on: true, frame: name}) }
  const leave = () => {
    if (B.closeLook) { B.closeLook(); return }  // a look at the board ends where it began
    followed = false
    set({on: false, results: false, frame: "all"})
  }

  function render() {
    const {on, frame: current, results: showing} = state.present
    const ranked = rankedNotes()
    B.el.root.classList.toggle("present", on)
    B.el.root.classList.toggle("showing-results", on && showing && ranked.length > 0)
    for (const b of frameButtons) b.setAttribute("aria-pressed", String(b.dataset.frame === current))
    resultsButton.hidden = !ranked.length
    resultsButton.setAttribute("aria-pressed", String(showing))
    renderPrompt()
    renderResults(ranked)
    B.refreshNoteCards()
  }

  function renderPrompt() {
    const f = state.facilitation
    if (!f.step) { prompt.textContent = t("no_step"); return }
    const name = B.stepName(f.step)
    const text = f.step !== "review" ? B.stepPrompt(f.step) : ""
    prompt.replaceChildren(h("strong", {text: name}), text ? document.createTextNode(` — ${text}`) : "")
  }

  // The closed vote's ranking: [{id, text, votes, rank}], ties sharing a rank.
  function rankedNotes() {
    const ranked = state.voting.open ? [] : state.voting.ranked || []
    return ranked.map((r) => ({...r, rank: 1 + ranked.filter((q) => q.votes > r.votes).length}))
  }

  function renderResults(ranked) {
    const ol = h("ol", {cls: "thc-results-list"})
    for (const r of ranked) {
      ol.append(h("li", {cls: r.rank <= 3 ? "winner" : ""},
        h("span", {cls: "thc-results-votes", text: t("votes_count", {n: r.votes})}),
        h("span", {cls: "thc-results-text", text: r.text || t("empty_note")})))
    }
    results.replaceChildren(h("h2", {text: t("vote_results")}), ol)
  }

  // A card in the results: the top three (and ties) stand out, on the board and in present
  // mode's results the rest fade.
  function markResult(card, n) {
    const hit = rankedNotes().find((r) => r.id === n.id && r.rank <= 3 && r.votes > 0)
    card.classList.toggle("winner", !!hit)
    if (hit) card.dataset.rank = t("rank", {n: hit.rank})
    else delete card.dataset.rank
    card.classList.toggle("result-dim", state.present.on && state.present.results && !hit)
  }

  // The timer reached zero: a flash anyone can see, and a chime for those who asked for one.
  function timeUp() {
    for (const el of [strip, B.el.timerEl]) {
      el.classList.remove("flash")
      void el.offsetWidth  // restart the animation
      el.classList.add("flash")
      setTimeout(() => el.classList.remove("flash"), 6000)
    }
    if (chime.checked) ring()
  }

  function ring() {
    try {
      const audio = new (window.AudioContext || window.webkitAudioContext)()
      const start = audio.currentTime
      for (const at of [0, 0.4, 0.8]) {
        const tone = audio.createOscillator()
        const gain = audio.createGain()
        tone.frequency.value = 880
        gain.gain.setValueAtTime(0.0001, start + at)
        gain.gain.exponentialRampToValueAtTime(0.3, start + at + 0.02)
        gain.gain.exponentialRampToValueAtTime(0.0001, start + at + 0.35)
        tone.connect(gain).connect(audio.destination)
        tone.start(start + at)
        tone.stop(start + at + 0.4)
      }
    } catch (err) { /* no sound on this device: the flash remains */ }
  }

  // The facilitator presented (or stopped): follow, if this page follows.
  function heard(msg) {
    if (B.canShape || !state.follow) return
    if (msg.on) {
      followed = followed || !state.present.on
      set({on: true, frame: msg.frame, results: msg.results}, {share: false})
    } else if (followed && !B.model.present) {
      followed = false
      set({on: false, results: false, frame: "all"}, {share: false})
    }
  }

  B.el.root.addEventListener("keydown", (e) => {
    if (!state.present.on || e.target.matches("input, textarea, select") || e.ctrlKey || e.metaKey) return
    if (e.key === "Escape" && !e.defaultPrevented) { e.preventDefault(); leave(); return }
    if (KEYS[e.key] && !e.target.closest(".thc-note, .thc-anchor")) { e.preventDefault(); go(KEYS[e.key]) }
  })

  B.handlers.present = heard
  Object.assign(B, {enterPresent: enter, leavePresent: leave, renderPresent: render, markResult, timeUp})
}
