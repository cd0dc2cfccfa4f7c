// What a person is called on the board: a name they type (kept in this browser) or a
// pseudonym, told to the room. Shared by the board's toolbar and the phone view.

import {button, h} from "./dom.js"

const PSEUDO_A = ["Curious", "Bright", "Steady", "Kind", "Bold", "Quiet", "Patient", "Hopeful"]
const PSEUDO_B = ["Otter", "Heron", "Badger", "Wren", "Kite", "Hare", "Salmon", "Robin"]

export function pseudonym() {
  const pick = (xs) => xs[Math.floor(Math.random() * xs.length)]
  return `${pick(PSEUDO_A)} ${pick(PSEUDO_B)}`
}

// The name field (a label holding its input) and, for participants, "Take a pseudonym".
export function nameField(B, {cls = "thc-name"} = {}) {
  const {t} = B
  const input = h("input", {
    type: "text", maxlength: "40", "aria-label": t("your_name"), placeholder: t("your_name"),
    value: localStorage.getItem("thc-name") || "", autocomplete: "nickname",
  })
  input.addEventListener("change", () => {
    localStorage.setItem("thc-name", input.value)
    B.send({op: "name", name: input.value})
  })
  const label = h("label", {cls}, h("span", {text: t("your_name") + " "}), input)
  const take = B.canShape ? null : button(t("take_pseudonym"), () => {
    input.value = pseudonym()
    input.dispatchEvent(new Event("change"))
  })
  B.myName = () => input.value
  return {label, input, take}
}
