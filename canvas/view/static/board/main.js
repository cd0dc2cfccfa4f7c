// The page's script: the board, or the participant's phone view. A participant on a narrow
// screen gets the phone view; anyone who writes can switch (the choice is kept on the device,
// ?screen=phone or ?screen=board asks for one). Only the chosen view's modules are loaded:
// a phone never builds the board's cards unless its person asks to look at the board.

const WRITERS = new Set(["facilitator", "participant"])
const NARROW = "(max-width: 700px)"

export function chooseScreen(model) {
  if (!WRITERS.has(model.role)) return "board"
  const asked = new URL(window.location.href).searchParams.get("screen") || localStorage.getItem("thc-screen")
  if (asked === "phone" || asked === "board") return asked
  const narrow = window.matchMedia(NARROW).matches || window.screen.width <= 700
  return model.role === "participant" && narrow ? "phone" : "board"
}

export function mount(props) {
  if (!document.querySelector('meta[name="viewport"]')) {
    // Phones lay the page out at their own width, not a desktop's.
    const meta = document.createElement("meta")
    meta.name = "viewport"
    meta.content = "width=device-width, initial-scale=1"
    document.head.append(meta)
  }
  const view = chooseScreen(props.model) === "phone" ? import("./phone/main.js") : import("./board.js")
  return view.then((module) => module.mount(props))
}
