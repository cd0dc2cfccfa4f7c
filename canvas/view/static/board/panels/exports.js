// Downloads of the board as it is now: HTML, PNG, SVG, PDF, Markdown, CSV, YAML, a ZIP of all.

import {button, h} from "../dom.js"

const EXPORTS = [["html", "HTML"], ["png", "PNG"], ["svg", "SVG"], ["pdf", "PDF"], ["md", "Markdown"],
  ["csv", "CSV"], ["yaml", "YAML"], ["bundle", "ZIP"]]

export function install(B) {
  const {t} = B
  const exportStatus = h("p", {cls: "thc-meta", role: "status"})

  async function download(fmt, label) {
    const here = new URL(window.location.href)
    const url = new URL("./export", here)
    url.searchParams.set("session", B.model.session_name || "")
    url.searchParams.set("format", fmt)
    url.searchParams.set("lang", B.lang)
    for (const key of ["join", "view", "review"]) {
      const value = here.searchParams.get(key)
      if (value) url.searchParams.set(key, value)
    }
    exportStatus.textContent = t("export_preparing", {format: label})
    try {
      const response = await fetch(url, {credentials: "same-origin"})
      if (!response.ok) throw new Error(String(response.status))
      const blob = await response.blob()
      const disposition = response.headers.get("Content-Disposition") || ""
      const name = (disposition.match(/filename="([^"]+)"/) || [])[1] || `export.${fmt}`
      const link = h("a", {href: URL.createObjectURL(blob), download: name})
      B.el.root.append(link)
      link.click()
      link.remove()
      const leftOut = response.headers.get("X-Horizons-Left-Out")
      exportStatus.textContent = leftOut ? `${t("export_ready", {name})}. ${t("export_left_out", {name: leftOut})}`
        : t("export_ready", {name})
    } catch (err) {
      exportStatus.textContent = t("export_failed", {format: label})
    }
  }

  function renderExport() {
    const box = B.el.exportBox
    if (!B.model.session_name) { box.hidden = true; return }
    const row = h("div", {cls: "thc-row"})
    for (const [fmt, label] of EXPORTS) {
      if (fmt === "yaml" && B.role !== "facilitator") continue  // the session file is the facilitator's
      row.append(button(label, () => download(fmt, label), {"data-format": fmt}))
    }
    box.replaceChildren(h("h2", {text: t("export")}), row, exportStatus)
  }

  B.renderExport = renderExport
}
