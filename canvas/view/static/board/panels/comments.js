// Reviewers' comments: threads on a note or an anchor (who said it, when; replies; resolved by
// the facilitator), the number of comments on each card, and the "Comments" list that filters
// open and resolved threads and jumps to the card they are about.
//
// Comments are for the facilitator and reviewers only: the server sends them to no one else.

import {button, h, newId, select} from "../dom.js"

export function install(B) {
  const {state, t, L} = B
  // When a comment was made, in the reader's time zone: 2022-04-22 09:12 (24-hour, in every
  // language, as the reports print it; browsers lack Welsh month names).
  const when = (iso) => {
    const d = iso ? new Date(iso) : null
    if (!d || Number.isNaN(d.getTime())) return ""
    const two = (n) => String(n).padStart(2, "0")
    return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())} ${two(d.getHours())}:${two(d.getMinutes())}`
  }

  // Threads: each first comment with its replies, oldest first (the server sends them sorted).
  function threads(targetId = null) {
    const byId = new Map(state.comments.map((c) => [c.id, c]))
    const out = new Map()
    for (const c of state.comments) {
      const root = c.reply_to && byId.has(c.reply_to) ? c.reply_to : c.id
      if (!out.has(root)) out.set(root, {root: byId.get(root), replies: []})
      if (root !== c.id) out.get(root).replies.push(c)
    }
    const all = [...out.values()].filter((th) => th.root)
    return targetId === null ? all : all.filter((th) => th.root.target === targetId)
  }

  const commentCount = (targetId) => state.comments.reduce((n, c) => n + (c.target === targetId ? 1 : 0), 0)

  // A card's number of comments, in a speech bubble drawn by CSS (no emoji font needed).
  const saidBadge = (n) => h("span", {cls: "thc-said", text: String(n), title: t("comments_n", {n})})

  function one(c) {
    return h("div", {cls: "thc-comment", "data-comment": c.id},
      h("p", {cls: "thc-comment-by"}, h("strong", {text: c.author || t("someone")}),
        h("span", {cls: "thc-meta", text: ` · ${when(c.created)}`})),
      h("p", {cls: "thc-comment-text", text: c.text}))
  }

  // The person's name, asked for once beside the first comment and remembered (thc-name).
  function nameField() {
    if (B.el.nameInput.value.trim()) return null
    const input = h("input", {type: "text", maxlength: "40", "data-field": "comment-name", autocomplete: "name"})
    return h("label", {cls: "thc-field"}, h("span", {text: t("name_for_comments")}), input)
  }

  function sendComment(box, op) {
    const area = box.querySelector("textarea")
    const name = box.querySelector('[data-field="comment-name"]')
    if (name) {
      if (!name.value.trim()) { B.showAlert(t("name_needed")); name.focus(); return }
      B.setName(name.value.trim())
    }
    if (!area.value.trim()) { area.focus(); return }
    B.send({...op, id: newId("c"), text: area.value})
    area.value = ""
  }

  function writeBox(label, field, op) {
    const box = h("div", {cls: "thc-comment-write"})
    const area = h("textarea", {rows: "2", "aria-label": label, "data-field": field, maxlength: "2000"})
    box.append(...[nameField(), h("label", {cls: "thc-field"}, h("span", {text: label}), area),
      button(label, () => sendComment(box, op), {"data-field": field + "-send"})].filter(Boolean))
    return box
  }

  function threadBlock(th) {
    const root = th.root
    const box = h("article", {cls: "thc-thread" + (root.resolved ? " resolved" : ""), "data-thread": root.id,
      "aria-label": t("thread_by", {name: root.author || t("someone")})})
    box.append(one(root))
    if (th.replies.length) box.append(h("div", {cls: "thc-replies"}, ...th.replies.map(one)))
    if (root.resolved) box.append(h("p", {cls: "thc-resolved", text: t("thread_resolved")}))
    const row = h("div", {cls: "thc-row"})
    if (B.role === "facilitator") {
      row.append(button(root.resolved ? t("reopen_thread") : t("resolve_thread"),
        () => B.send({op: "resolve", id: root.id, resolved: !root.resolved}), {"data-field": "resolve-" + root.id}))
    }
    if (!root.resolved) box.append(writeBox(t("reply"), "reply-" + root.id, {op: "comment", target: root.target, reply_to: root.id}))
    if (row.childElementCount) box.append(row)
    return box
  }

  function commentBlock(targetId) {
    if (!B.canComment) return null
    const box = h("section", {cls: "thc-comments", "aria-label": t("comments")},
      h("h3", {text: t("comments_n", {n: commentCount(targetId)})}))
    for (const th of threads(targetId)) box.append(threadBlock(th))
    box.append(writeBox(t("add_comment"), "comment", {op: "comment", target: targetId}))
    return box
  }

  // The card a thread is about, on the board and selected, its thread in view in the details.
  function jumpTo(targetId, threadId) {
    const showThread = () => B.el.details.querySelector(`[data-thread="${CSS.escape(threadId)}"]`)?.scrollIntoView({block: "nearest"})
    if (state.notes.has(targetId)) { B.revealNote(targetId); showThread(); return }
    const a = state.anchors.get(targetId)
    if (!a) { B.announce(t("comment_target_gone")); return }
    const box = state.layout.anchors.get(a.id)
    if (box) B.centreOn(box[0] + box[2] / 2, box[1] + box[3] / 2)
    B.selectAnchor(a.id)
    state.anchorCards.get(a.id)?.focus()
    showThread()
  }

  function targetName(id) {
    const n = state.notes.get(id)
    if (n) return n.text || t("empty_note")
    const a = state.anchors.get(id)
    return a ? L(a, "title") : t("comment_target_gone")
  }

  function renderComments() {
    const box = B.el.commentsBox
    if (!B.canComment) { box.hidden = true; return }
    const show = state.commentFilter || "open"
    const all = threads()
    const shown = all.filter((th) => show === "all" || (show === "resolved") === !!th.root.resolved)
    const open = all.filter((th) => !th.root.resolved).length
    const filter = select(t("show_threads"), [["open", t("threads_open", {n: open})],
      ["resolved", t("threads_resolved", {n: all.length - open})], ["all", t("threads_all", {n: all.length})]],
    show, (v) => { state.commentFilter = v; renderComments() }, {"data-field": "comment-filter"})
    const list = h("ol", {cls: "thc-comment-list"})
    for (const th of shown) {
      const c = th.root
      const replies = th.replies.length ? ` · ${t("replies_n", {n: th.replies.length})}` : ""
      list.append(h("li", {}, h("button", {type: "button", cls: "thc-list-note", "data-thread": c.id,
        onclick: () => jumpTo(c.target, c.id)},
      h("strong", {text: `${c.author || t("someone")}: `}), h("span", {text: c.text}),
      h("span", {cls: "thc-meta", text: ` — ${t("comment_on", {title: targetName(c.target)})}${replies}`}))))
    }
    const empty = shown.length ? null : h("p", {cls: "thc-hint", text: t("no_threads")})
    const focused = B.activeEl()?.dataset?.field
    box.replaceChildren(...[h("h2", {text: t("comments")}), filter, empty, list].filter(Boolean))
    if (focused === "comment-filter") box.querySelector('[data-field="comment-filter"]')?.focus()
  }

  Object.assign(B, {commentBlock, commentCount, saidBadge, renderComments})
}
