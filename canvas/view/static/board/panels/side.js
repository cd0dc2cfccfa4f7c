// The side panel as a whole: rendered together (debounced while patches stream in), plus
// what several of its sections share.

import {KINDS} from "../context.js"

export function install(B) {
  const {state, t, L} = B
  let queued = null

  function scheduleSide() {
    if (queued) return
    queued = setTimeout(() => { queued = null; renderSide() }, 120)
  }

  function renderSide() {
    B.renderExport()
    B.renderNav()
    B.renderCompare()
    B.renderComments()
    B.renderPersonas()
    B.renderRoom()
    B.renderRun()
    B.renderRanked()
    B.renderDetails()
    B.renderFilters()
    B.renderShape()
    B.renderList()
  }

  // Every anchor as a select option, grouped by kind and sorted by title.
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

  Object.assign(B, {scheduleSide, renderSide, anchorOptions})
}
