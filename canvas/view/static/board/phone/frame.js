// The phone view's frame: a header that says where the workshop is (title, the step and its
// prompt, the timer, saving), four tabs (Write, My notes, Vote, Board) and their panels, and
// the page's alert and announcer. Everything scrolls as one page; nothing is smaller than
// the phone's own text.

import {button, h} from "../dom.js"
import {languageChooser, switchScreen} from "../skeleton.js"

const TABS = ["write", "mine", "vote", "board"]

export function install(B) {
  const {t, lang} = B
  const status = h("p", {cls: "thc-status", role: "status", "aria-live": "polite"})
  const announcer = h("div", {cls: "thc-sr", "aria-live": "polite"})
  const alertBox = h("div", {cls: "thc-alert", role: "alert"})
  const banner = h("div", {cls: "thc-banner", role: "alert", hidden: true})
  const titleEl = h("h1", {cls: "thc-title"})
  const stepEl = h("p", {cls: "thc-ph-step", "aria-live": "polite"})
  const promptEl = h("p", {cls: "thc-ph-prompt"})
  const timerEl = h("span", {cls: "thc-timer", role: "timer", "aria-label": t("timer")})
  const tools = h("div", {cls: "thc-ph-tools"}, languageChooser(B),
    button(t("full_board"), () => switchScreen("board"), {"data-action": "board-view"}))
  const header = h("header", {cls: "thc-ph-head"}, titleEl, h("div", {cls: "thc-ph-line"}, stepEl, timerEl),
    promptEl, h("div", {cls: "thc-ph-line"}, status, tools))

  const tabs = {}
  const panels = {}
  const tablist = h("div", {cls: "thc-ph-tabs", role: "tablist", "aria-label": t("phone_sections")})
  for (const name of TABS) {
    tabs[name] = h("button", {type: "button", role: "tab", id: `thc-tab-${name}`, "aria-controls": `thc-panel-${name}`,
      cls: "thc-ph-tab", "data-tab": name, onclick: () => show(name, true)})
    panels[name] = h("section", {cls: "thc-ph-panel", role: "tabpanel", id: `thc-panel-${name}`,
      "aria-labelledby": `thc-tab-${name}`, tabindex: "-1"})
    tablist.append(tabs[name])
  }
  tablist.addEventListener("keydown", (e) => {
    const at = TABS.indexOf(current)
    const to = {ArrowRight: at + 1, ArrowLeft: at - 1, Home: 0, End: TABS.length - 1}[e.key]
    if (to === undefined) return
    e.preventDefault()
    const next = TABS[Math.min(TABS.length - 1, Math.max(0, to))]
    show(next, false)
    tabs[next].focus()
  })
  const main = h("main", {cls: "thc-ph-main"}, ...TABS.map((name) => panels[name]))
  const root = h("div", {cls: "thc-phone"}, banner, header, tablist, main, alertBox, announcer)
  B.host.append(root)
  document.documentElement.lang = lang

  let current = localStorage.getItem("thc-phone-tab") || "write"
  if (!TABS.includes(current)) current = "write"

  function show(name, focusPanel) {
    current = name
    localStorage.setItem("thc-phone-tab", name)
    for (const tab of TABS) {
      tabs[tab].setAttribute("aria-selected", String(tab === name))
      tabs[tab].tabIndex = tab === name ? 0 : -1
      panels[tab].hidden = tab !== name
    }
    root.scrollTop = 0
    if (focusPanel) panels[name].focus({preventScroll: true})
  }

  // The tabs' names, with what waits in each ("My notes (3)", "Vote (2 left)").
  function labelTabs() {
    const v = B.state.voting
    tabs.write.textContent = t("tab_write")
    tabs.mine.textContent = t("tab_mine", {n: B.mine().length + B.outbox.list().length})
    tabs.vote.textContent = v.open ? t("tab_vote_open", {n: Math.max(0, v.budget - (v.used || 0))}) : t("tab_vote")
    tabs.board.textContent = t("tab_board")
  }

  function renderHeader() {
    const f = B.state.facilitation
    titleEl.textContent = B.L(B.state, "title")
    const parts = [f.step ? t("step_now", {step: B.stepName(f.step)}) : t("no_step")]
    if (f.private) parts.push(t("private_short"))
    if (f.locked) parts.push(t("locked_short"))
    stepEl.textContent = parts.join(" · ")
    promptEl.textContent = f.step && f.step !== "review" ? B.stepPrompt(f.step) : ""
    promptEl.hidden = !promptEl.textContent
    labelTabs()
  }

  // Everything from a snapshot; after a patch, what it touched (the lists are short).
  function drawAll() {
    renderHeader()
    B.renderWrite()
    B.renderMine()
    B.renderVote()
  }

  function drawPatch({p, sideChanged}) {
    if (p.facilitation || p.voting || p.prompts || p.anchors) { renderHeader(); B.renderWrite() }
    if (sideChanged || p.voting || Object.keys(p.notes || {}).length) { B.renderMine(); B.renderVote(); labelTabs() }
  }

  Object.assign(B.el, {root, status, announcer, alertBox, banner, timerEl, panels})
  Object.assign(B, {drawAll, drawPatch, labelTabs, showTab: show, drawDrafts: () => { B.renderDrafts?.(); labelTabs() }})
  show(current, false)
}
