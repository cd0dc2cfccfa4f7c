// Running the workshop (facilitator): steps and their prompts, open/private/locked, reveal,
// bring everyone to my view, the timer, the dot vote, and how people join. Also what every
// page shows of it: the step banner, votes left, the vote results, who is in the room.

import {button, h, svg, toggle} from "../dom.js"
import {HORIZONS, KINDS} from "../context.js"

export function install(B) {
  const {state, t, lang} = B
  const send = (op) => B.send(op)

  // The step, its prompt, and what holds for everyone now ("Step: H1 · ... — prompt — ...").
  function stepLine() {
    const f = state.facilitation
    const parts = []
    if (f.step) {
      parts.push(t("step_now", {step: B.stepName(f.step)}))
      const prompt = f.step !== "review" ? B.stepPrompt(f.step) : ""
      if (prompt) parts.push(prompt)
    }
    if (f.private) parts.push(t("private_on"))
    if (f.locked) parts.push(t("board_locked"))
    return parts.join(" — ")
  }

  function renderStep() {
    B.el.stepBanner.textContent = stepLine()
    B.el.votesLeft.textContent = B.votesLeft(state.voting)
    renderRun()
    renderRanked()
    B.renderPresent?.()
    B.refreshWriting?.()
  }

  function stepButtons(f) {
    const row = h("div", {cls: "thc-row", role: "group", "aria-label": t("steps")})
    for (const st of ["H1", "H3", "H2", "review"]) {
      const label = st === "review" ? t("step_review") : st
      row.append(button(label, () => send({op: "step", step: f.step === st ? "" : st}), {"aria-pressed": f.step === st ? "true" : "false"}))
    }
    return row
  }

  function timerControls() {
    const minutes = h("input", {type: "number", min: "1", max: "240", value: "5", "aria-label": t("minutes"), cls: "thc-num"})
    return [h("h3", {text: t("timer")}), h("div", {cls: "thc-row"}, minutes,
      button(t("timer_start"), () => send({op: "timer", action: "start", seconds: Math.max(1, Number(minutes.value) || 5) * 60})),
      button(state.timer.running ? t("timer_pause") : t("timer_resume"), () => send({op: "timer", action: state.timer.running ? "pause" : "resume"})),
      button(t("timer_add"), () => send({op: "timer", action: "add", seconds: 60})),
      button(t("timer_reset"), () => send({op: "timer", action: "reset"})))]
  }

  function voteControls(v) {
    if (v.open) {
      return [h("h3", {text: t("dot_vote")}), h("p", {text: t("vote_open", {each: t("votes_each", {n: v.budget}), voted: t("people_voted", {n: v.voters || 0})})}),
        button(t("vote_close"), () => send({op: "vote_close"}))]
    }
    const budget = h("input", {type: "number", min: "1", max: "50", value: String(v.budget || 5), "aria-label": t("vote_budget"), cls: "thc-num"})
    const kind = h("select", {"aria-label": t("vote_scope_kind")})
    kind.append(h("option", {value: "", text: t("all")}))
    for (const k of KINDS) kind.append(h("option", {value: k, text: t("kind_" + k)}))
    const hz = h("select", {"aria-label": t("vote_scope_horizon")})
    for (const x of ["", ...HORIZONS]) hz.append(h("option", {value: x, text: x || t("all")}))
    return [h("h3", {text: t("dot_vote")}),
      h("label", {cls: "thc-field"}, h("span", {text: t("vote_budget")}), budget),
      h("label", {cls: "thc-field"}, h("span", {text: t("vote_scope_kind")}), kind),
      h("label", {cls: "thc-field"}, h("span", {text: t("vote_scope_horizon")}), hz),
      button(t("vote_start"), () => send({op: "vote_start", budget: Math.max(1, Math.round(Number(budget.value) || 5)),
        kind: kind.value, horizon: hz.value}))]
  }

  function joinBlock(join) {
    if (!join.code) return []
    const size = join.qr.length + 4
    const qr = svg("svg", {class: "thc-qr", viewBox: `-2 -2 ${size} ${size}`, role: "img", "aria-label": t("qr_label")})
    qr.append(svg("rect", {x: -2, y: -2, width: size, height: size, fill: "#fff"}))
    join.qr.forEach((row, y) => {
      for (let x = 0; x < row.length; x++) if (row[x] === "1") qr.append(svg("rect", {x, y, width: 1, height: 1, fill: "#000"}))
    })
    const field = (key, value) => h("label", {cls: "thc-field"}, h("span", {text: t(key)}),
      h("input", {type: "text", readonly: true, value, "aria-label": t(key)}))
    return [h("h3", {text: t("join_title")}), h("p", {cls: "thc-code", text: t("join_code_is", {code: join.code})}), qr,
      field("join_link", join.link), field("observer_link", join.observe), field("review_link", join.review || "")]
  }

  function renderRun() {
    const box = B.el.runBox
    if (!B.canShape) { box.hidden = true; return }
    const f = state.facilitation
    const parts = [h("h2", {text: t("run_workshop")}), stepButtons(f)]
    if (f.step && f.step !== "review") {
      const current = (lang === "cy" ? state.prompts_cy?.[f.step] : state.prompts[f.step]) || ""
      const area = h("textarea", {"aria-label": t("step_prompt"), value: current, rows: "2", "data-field": "prompt"})
      area.addEventListener("change", () => send({op: "prompt", horizon: f.step, text: area.value, lang}))
      parts.push(h("label", {cls: "thc-field"}, h("span", {text: t("step_prompt")}), area))
    }
    parts.push(
      toggle(t("open_all"), f.open_all, (x) => send({op: "facilitate", open_all: x})),
      toggle(t("private_writing"), f.private, (x) => send({op: "facilitate", private: x})),
      toggle(t("lock_board"), f.locked, (x) => send({op: "facilitate", locked: x})),
      h("div", {cls: "thc-row"},
        button(t("reveal"), () => send({op: "reveal"})),
        button(t("bring_everyone"), () => send({op: "bring", ...B.myView()}))),
      ...timerControls(), ...voteControls(state.voting), ...joinBlock(B.model.join || {}))
    const focusKey = B.activeEl()?.dataset?.field
    box.replaceChildren(...parts)
    if (focusKey === "prompt") box.querySelector('[data-field="prompt"]')?.focus()
  }

  function renderRanked() {
    const ranked = state.voting.ranked || []
    const box = B.el.rankBox
    if (state.voting.open || !ranked.length) { box.replaceChildren(); return }
    const ol = h("ol")
    for (const r of ranked) {
      ol.append(h("li", {}, h("button", {type: "button", cls: "thc-list-note", text: `${r.text} (${t("votes_count", {n: r.votes})})`,
        onclick: () => B.revealNote(r.id)})))
    }
    box.replaceChildren(h("h2", {text: t("vote_results")}), ol)
  }

  // Everyone on a page, once a person; someone without a name as "Guest 3" (a facilitator
  // without one by their role alone).
  function who(p) {
    const role = t("role_" + p.role)
    if (!p.name && !p.guest) return role
    return `${p.name || t("guest_n", {number: p.guest})} (${role})`
  }

  function renderRoom() {
    const ul = h("ul")
    for (const p of state.people) ul.append(h("li", {text: who(p)}))
    B.el.roomBox.replaceChildren(h("h2", {text: t("in_the_room_n", {n: state.people.length})}), ul)
  }

  Object.assign(B, {stepLine, renderStep, renderRun, renderRanked, renderRoom})
}
