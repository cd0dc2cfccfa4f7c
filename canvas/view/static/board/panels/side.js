// The side panel as a whole: rendered together (debounced while patches stream in).

export function install(B) {
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

  Object.assign(B, {scheduleSide, renderSide})
}
