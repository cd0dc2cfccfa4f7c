// The page's frame: header (title, step, timer, save status, tools), the board's viewport
// and world layers, the side panel's sections. Modules fill them; this only builds them.

import {button, h, svg} from "./dom.js"
import {nameField} from "./names.js"

export function install(B) {
  const {t, lang, role, canWrite, canShape} = B
  const status = h("span", {cls: "thc-status", role: "status", "aria-live": "polite"})
  const announcer = h("div", {cls: "thc-sr", "aria-live": "polite"})
  const alertBox = h("div", {cls: "thc-alert", role: "alert"})
  const titleEl = h("h1", {cls: "thc-title"})
  const focalEl = h("p", {cls: "thc-focal"})
  const name = nameField(B)
  const nameInput = name.input
  // Why "Add note" cannot succeed now (locked, iteration ended): said beside it, not hidden.
  const writeWhy = h("span", {cls: "thc-why", id: "thc-write-why"})
  const toolbar = h("div", {cls: "thc-toolbar", role: "toolbar", "aria-label": t("board_tools")},
    canWrite ? button(t("add_note"), () => B.startDraftAtCentre(), {"aria-keyshortcuts": "N", "data-action": "add",
      "aria-describedby": "thc-write-why"}) : null,
    canWrite ? writeWhy : null,
    canWrite ? button(t("undo"), () => B.send({op: "undo"}), {"aria-keyshortcuts": "Control+Z"}) : null,
    canWrite ? button(t("redo"), () => B.send({op: "redo"}), {"aria-keyshortcuts": "Control+Shift+Z"}) : null,
    button(t("zoom_in"), () => B.zoomBy(1.25)),
    button(t("zoom_out"), () => B.zoomBy(0.8)),
    button(t("fit_board"), () => B.fit(), {"data-action": "fit"}),
    button(t("present"), () => B.enterPresent(), {"data-action": "present"}),
    canWrite || B.canComment ? name.label : null,
    canWrite ? name.take : null,
    canWrite ? button(t("phone_view"), () => switchScreen("phone"), {"data-action": "phone"}) : null,
  )
  const stepBanner = h("p", {cls: "thc-step", "aria-live": "polite"})
  const timerEl = h("span", {cls: "thc-timer", role: "timer", "aria-label": t("timer")})
  const votesLeft = h("span", {cls: "thc-votes-left", "aria-live": "polite"})
  const roleBadge = h("span", {cls: "thc-role", text: t("role_" + role)})
  const langSelect = languageChooser(B)
  // A button rather than a #fragment link: the list lives in a shadow root, where fragments
  // of the document do not reach.
  const skip = h("button", {type: "button", cls: "thc-skip", text: t("skip_to_list"),
    onclick: () => { listBox.focus(); listBox.scrollIntoView({block: "start"}) }})
  const header = h("header", {cls: "thc-header"},
    skip, h("div", {cls: "thc-heading"}, titleEl, focalEl, stepBanner), roleBadge, langSelect, timerEl, votesLeft,
    status, toolbar)

  const M = B.metrics
  const [W, H] = [M.world_w, M.world_h]
  const viewport = h("div", {cls: "thc-viewport", role: "region", "aria-label": t("board"), tabindex: "-1"})
  const world = h("div", {cls: "thc-world"})
  const curves = svg("svg", {class: "thc-curves", viewBox: `0 0 ${W} ${H}`, width: W, height: H, "aria-hidden": "true"})
  const anchorLayer = h("div", {cls: "thc-anchors", role: "list", "aria-label": t("anchors")})
  const noteLayer = h("div", {cls: "thc-notes", role: "list", "aria-label": t("notes")})
  const labelLayer = h("div", {cls: "thc-labels", "aria-hidden": "true"})
  const lasso = h("div", {cls: "thc-lasso", hidden: true})
  const ghostLayer = h("div", {cls: "thc-ghosts", "aria-hidden": "true"})
  const arrows = svg("svg", {class: "thc-arrows", viewBox: `0 0 ${W} ${H}`, width: W, height: H, "aria-hidden": "true"})
  world.append(curves, ghostLayer, arrows, anchorLayer, noteLayer, labelLayer)
  viewport.append(world, lasso)

  const section = (cls, label, extra = {}) => h("section", {cls, "aria-label": label, ...extra})
  const details = section("thc-details", t("details"))
  const filters = section("thc-filters", t("filters"))
  const listBox = section("thc-list", t("all_notes"), {id: "thc-list", tabindex: "-1"})
  const shapeBox = section("thc-shape", t("shape_board"))
  const runBox = section("thc-run", t("run_workshop"))
  const roomBox = section("thc-room", t("in_the_room"))
  const rankBox = section("thc-ranked", t("vote_results"))
  const personaBox = section("thc-persona-box", t("personas"))
  const compareBox = section("thc-compare", t("changes"))
  const commentsBox = section("thc-comments-box", t("comments"))
  const navBox = h("nav", {cls: "thc-nav", "aria-label": t("iterations_and_pages")})
  const exportBox = section("thc-export", t("export"))
  const side = h("aside", {cls: "thc-side"}, navBox, compareBox, commentsBox, runBox, details, rankBox, filters, personaBox, shapeBox, exportBox, roomBox, listBox)
  const tray = h("section", {cls: "thc-tray", "aria-label": t("drafts"), hidden: true})
  const banner = h("div", {cls: "thc-banner", role: "alert", hidden: true})
  viewport.append(tray)
  const root = h("div", {cls: "thc-root"}, banner, header,
    h("main", {cls: "thc-main"}, viewport, side), alertBox, announcer)
  setMetrics(root, M)
  B.host.append(root)
  document.documentElement.lang = lang
  Object.assign(B.el, {root, header, status, announcer, alertBox, titleEl, focalEl, nameInput, toolbar, writeWhy, tray, banner, stepBanner,
    timerEl, votesLeft, viewport, world, curves, anchorLayer, noteLayer, labelLayer, lasso, ghostLayer, arrows, details, filters,
    listBox, shapeBox, runBox, roomBox, rankBox, personaBox, compareBox, commentsBox, navBox, exportBox, side})
  // A name given elsewhere (beside a first comment) is the same remembered name.
  B.setName = (text) => {
    nameInput.value = text
    nameInput.dispatchEvent(new Event("change"))
  }
}

// Open this page as the phone view or the board (and remember the choice on this device).
export function switchScreen(screen) {
  localStorage.setItem("thc-screen", screen)
  const url = new URL(window.location.href)
  url.searchParams.set("screen", screen)
  window.location.assign(url.toString())
}

export function languageChooser(B) {
  const select = h("select", {"aria-label": B.t("language"), cls: "thc-lang"})
  for (const [code, name] of [["en", "English"], ["cy", "Cymraeg"]]) {
    const opt = h("option", {value: code, text: name, lang: code})
    if (code === B.lang) opt.selected = true
    select.append(opt)
  }
  const switchTo = (code) => {
    localStorage.setItem("thc-lang", code)
    // The server's own pages (/join, sign-in) cannot read localStorage: a cookie tells them.
    document.cookie = `thc-lang=${code}; path=/; max-age=31536000; samesite=lax`
    const url = new URL(window.location.href)
    url.searchParams.set("lang", code)
    window.location.assign(url.toString())
  }
  select.addEventListener("change", () => switchTo(select.value))
  // The choice is remembered: a link without ?lang= opens in the language chosen last.
  const remembered = localStorage.getItem("thc-lang")
  const asked = new URL(window.location.href).searchParams.get("lang")
  if (!asked && remembered && remembered !== B.lang) switchTo(remembered)
  return select
}

// The layout's sizes as CSS variables: board.css sizes every card from them, so the sizes are
// defined once (canvas/domain/dimensions.py) for the server, the exports and the page.
function setMetrics(root, M) {
  for (const [key, value] of Object.entries(M)) root.style.setProperty(`--${key.replace(/_/g, "-")}`, `${value}px`)
}
