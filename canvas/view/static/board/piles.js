// Piles: when more loose notes (on no anchor) are in view than anyone can read, they are
// drawn as piles, one per square of the board, each with its count, until the view is
// zoomed in far enough; a pile zooms in to its square. Thousands of loose cards on top of
// one another would take the board half a second to draw after every pan.

import {h} from "./dom.js"

export const PILE = 160  // world pixels: the side of a pile's square

export function install(B) {
  const {state, t} = B
  const piles = new Map()  // "col,row" -> element
  const layer = h("div", {cls: "thc-piles", role: "list", "aria-label": t("notes")})
  B.el.anchorLayer.before(layer)  // under the anchors: a pile never hides one

  // Where in its square a pile goes: the first of nine spots clear of every anchor.
  function spot(col, row) {
    const [w, hgt] = [80, 50]
    const anchors = [...state.layout.anchors.values()]
    for (const [fx, fy] of [[0.5, 0.5], [0.25, 0.25], [0.75, 0.25], [0.25, 0.75], [0.75, 0.75],
      [0.5, 0.2], [0.5, 0.8], [0.2, 0.5], [0.8, 0.5]]) {
      const x = (col + fx) * PILE
      const y = (row + fy) * PILE
      const clear = anchors.every(([ax, ay, aw, ah]) =>
        x + w / 2 < ax || x - w / 2 > ax + aw || y + hgt / 2 < ay || y - hgt / 2 > ay + ah)
      if (clear) return [x, y]
    }
    return [(col + 0.5) * PILE, (row + 0.5) * PILE]
  }

  // Loose notes gathered by square: Map "col,row" -> count.
  const gather = () => new Map()

  function add(cells, n) {
    const [x, y] = B.cardOf(n)
    const key = `${Math.floor(x / PILE)},${Math.floor(y / PILE)}`
    cells.set(key, (cells.get(key) || 0) + 1)
  }

  function drawPiles(cells) {
    for (const [key, el] of piles) {
      if (!cells?.has(key)) { el.remove(); piles.delete(key) }
    }
    for (const [key, count] of cells || []) {
      let el = piles.get(key)
      if (!el) {
        const [col, row] = key.split(",").map(Number)
        el = h("button", {type: "button", cls: "thc-pile", role: "listitem",
          onclick: () => B.showBox([col * PILE - PILE / 2, row * PILE - PILE / 2, PILE * 2, PILE * 2])})
        const [x, y] = spot(col, row)
        el.style.left = `${x}px`
        el.style.top = `${y}px`
        piles.set(key, el)
        layer.append(el)
      }
      if (el._count !== count) {
        el._count = count
        el.textContent = String(count)
        el.setAttribute("aria-label", t("loose_pile", {n: count}))
      }
    }
  }

  Object.assign(B, {gatherPiles: gather, addToPile: add, drawPiles})
}
