// The review page: renders the state the server sends, turns clicks and keys into corrections.
// Every correction goes to the server at once (kept there as an event); the page redraws from
// the state it answers with, so what the clerk sees is always what will be saved.
"use strict";

const base = location.pathname.replace(/\/$/, "") + "/api";
const csrf = document.querySelector('meta[name="csrf-token"]').content;
let S = null;                       // the state from the server
let sel = { doc: null, page: null, finding: null }; // the selected document, page and check finding

function status(text, bad = false) {
  const s = $("status");
  s.textContent = text;
  s.className = bad ? "bad" : "";
}

async function call(path, body) {
  const response = await fetch(base + path, body === undefined ? {} : {
    method: "POST", headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf }, body: JSON.stringify(body),
  });
  const data = await response.json().catch(() => ({}));
  if (!response.ok) throw new Error(data.detail || response.statusText);
  return data;
}

async function correct(op, args = {}) {
  try {
    S = await call("/correct", { op, args });
    if (sel.doc && !S.documents.some((d) => d.id === sel.doc)) sel.doc = holder(sel.page)?.id || null;
    render();
    status(`已${LABELS[op] || op}`);
  } catch (e) {
    status(`无法${LABELS[op] || op}：${e.message}`, true);
  }
}

const LABELS = { set_type: "更改类型", split: "拆分", merge: "合并", move_page: "移动页", move_document: "移动文书",
  exclude: "标记", restore: "恢复", rotate: "旋转", edit: "修改", edit_case: "修改卷皮", dismiss_finding: "忽略问题",
  confirm: "确认无误", undo: "撤销", redo: "重做" };

function holder(page) {
  return S.documents.find((d) => d.pages.includes(page)) || null;
}

function order() { // every page, in the order the dossier holds them, excluded last
  return S.documents.flatMap((d) => d.pages).concat(S.excluded.map((e) => e.page));
}

function select(page, doc) {
  sel.page = page;
  sel.doc = doc === undefined ? (holder(page)?.id ?? sel.doc) : doc;
  render();
}

function finding() { return S.findings.find((f) => f.id === sel.finding) || null; }

function pageName(key) { return `${S.pages[key].source} 第${S.pages[key].page}页`; }

function confirmArgs(q) { // a queue item as the confirm correction names it: a document by its id, a page by its key
  return q.kind === "document" ? { kind: q.kind, doc: q.id } : { kind: q.kind, page: q.page };
}

function done(h) { // what a history entry did, in a few words
  const what = `${h.who}：${LABELS[h.op] || h.op}`;
  if (h.op === "dismiss_finding") return `${what}「${h.args.message}」，理由：${h.args.reason}`;
  if (h.op === "confirm") return `${what}「${h.args.page && S.pages[h.args.page] ? pageName(h.args.page) : h.args.doc}」`;
  return what;
}

function jump(key) { // to a finding's page: selected, shown large, its thumbnail in view
  select(key);
  document.querySelector(`[data-page="${key}"]`)?.scrollIntoView({ block: "nearest" });
}

function thumb(key) {
  const p = S.pages[key];
  const flagged = finding()?.pages.includes(key);
  const img = el("img", { src: `${base}/thumbnails/${p.thumb.split("/").pop()}`, alt: `${p.source} 第${p.page}页`,
    loading: "lazy", "data-page": key, class: "thumb" + (key === sel.page ? " selected" : "") + (flagged ? " flagged" : "") });
  if (p.turn) img.style.transform = `rotate(${p.turn}deg)`;
  img.addEventListener("click", () => select(key));
  return img;
}

function render() {
  $("case-title").textContent = `卷宗审核 ${S.case?.case_number || ""} ${S.case?.title || ""}`.trim();
  $("changes").replaceChildren(...(S.changes ? [`未保存的修改 ${S.changes} 处`] :
    S.review ? [`已审核：${S.review.reviewed_by} `, when(S.review.reviewed_at)] : []));
  $("btn-undo").disabled = !S.can_undo;
  $("btn-redo").disabled = !S.can_redo;

  renderFindings();
  const queue = $("queue");
  queue.replaceChildren(...S.queue.map((q) => el("li", { class: q.page === sel.page ? "selected" : "", "data-queue": q.page,
    "data-kind": q.kind, onclick: () => select(q.page, q.id ?? undefined) }, `${q.title}：${q.why.join("、")} `,
  el("button", { class: "confirm", title: "此项判断正确，移出待核队列（可撤销）",
    onclick: (e) => { e.stopPropagation(); correct("confirm", confirmArgs(q)); } }, "确认无误"))));
  $("confirmed-count").textContent = S.confirmed ? `已确认 ${S.confirmed} 项` : "";

  const structure = $("structure");
  structure.replaceChildren();
  let volume = null, seq = 0;
  for (const d of S.documents) {
    if (d.volume !== volume) {
      volume = d.volume;
      structure.append(el("h3", {}, volume));
    }
    seq += 1;
    const head = el("div", { class: "doc-head" },
      el("b", {}, `${seq}. ${d.type_label}`), ` ${d.title || ""} `, el("small", {}, `${d.doc_number || ""} `, when(d.date), ` · ${d.pages.length}页`),
      d.why.length ? el("span", { class: "why" }, d.why.join("、")) : "");
    const card = el("div", { class: "doc" + (d.id === sel.doc ? " selected" : ""), "data-doc": d.id }, head,
      el("div", { class: "thumbs" }, ...d.pages.map(thumb)));
    head.addEventListener("click", () => select(d.pages[0], d.id));
    structure.append(card);
  }
  $("excluded").replaceChildren(...S.excluded.map((e) => el("div", { class: "excluded", "data-excluded": e.page },
    thumb(e.page), el("span", {}, e.reason_label + (e.detail ? `：${e.detail}` : "")))));

  $("history").replaceChildren(...S.history.map((h) => el("li", { class: h.in_force || ["undo", "redo"].includes(h.op) ? "" : "undone" },
    when(h.when), ` ${done(h)}`)));
  renderPage();
  renderTools();
}

function options(select, entries, all) { // a filter's choices with their counts; the choice made stays
  const chosen = select.value;
  select.replaceChildren(el("option", { value: "" }, all), ...entries.map(([value, label, n]) => el("option", { value }, `${label}（${n}）`)));
  select.value = entries.some(([value]) => value === chosen) ? chosen : "";
}

function renderFindings() {
  const count = (pick) => Object.entries(S.findings.reduce((c, f) => ({ ...c, [pick(f)]: (c[pick(f)] || 0) + 1 }), {}));
  options($("flt-rule"), count((f) => f.rule).map(([rule, n]) => [rule, S.rules[rule] || rule, n]), "全部规则");
  options($("flt-severity"), count((f) => f.severity).map(([sev, n]) => [sev, S.severities[sev] || sev, n]), "全部级别");
  const [rule, severity, state] = [$("flt-rule").value, $("flt-severity").value, $("flt-state").value];
  const shown = S.findings.filter((f) => (!rule || f.rule === rule) && (!severity || f.severity === severity) &&
    (!state || (state === "dismissed") === Boolean(f.dismissed)));
  const open = S.findings.filter((f) => !f.dismissed);
  $("findings-count").textContent = `待处理 ${open.length} 项（错误 ${open.filter((f) => f.severity === "error").length}），共 ${S.findings.length} 项`;
  $("findings").replaceChildren(...shown.map((f) => el("li", {
    class: `finding ${f.severity}` + (f.dismissed ? " dismissed" : "") + (f.id === sel.finding ? " selected" : ""),
    "data-finding": f.id, "data-rule": f.rule, "data-severity": f.severity,
    onclick: () => { sel.finding = f.id; if (f.pages.length) jump(f.pages[0]); else render(); },
  }, el("span", { class: "severity" }, f.severity_label), ` ${f.rule_label}：${f.message} `,
  ...f.pages.map((key) => el("a", { class: "goto", "data-goto": key, title: "转到此页",
    onclick: (e) => { e.stopPropagation(); sel.finding = f.id; jump(key); } }, pageName(key))),
  f.dismissed ? el("div", { class: "dismissal" }, `已忽略：${f.dismissed.reason}（${f.dismissed.by} `, when(f.dismissed.at), "）") : "")));
  if (!shown.length) $("findings").append(el("li", { class: "none" }, S.findings.length ? "没有符合筛选条件的问题" : "未发现问题"));
}

async function renderPage() {
  const key = sel.page;
  const img = $("scan");
  if (!key) { img.removeAttribute("src"); $("page-info").textContent = "请选择一页"; return; }
  const p = S.pages[key];
  const doc = holder(key);
  $("page-info").textContent = `${p.source} 第${p.page}页` + (doc ? ` · ${doc.type_label}` : " · 未编入") +
    (p.ocr_confidence != null ? ` · 识别置信度 ${p.ocr_confidence}` : "") + (p.boundary != null ? ` · 分件置信度 ${p.boundary.toFixed(2)}` : "");
  const src = `${base}/scan/${key}`;
  if (img.dataset.key !== key) { img.src = src; img.dataset.key = key; }
  $("stage").style.transform = p.turn ? `rotate(${p.turn}deg)` : "";
  const svg = $("overlay");
  svg.replaceChildren();
  if (!$("chk-overlay").checked) return;
  const ocr = await call(`/ocr/${key}`);
  if (sel.page !== key) return;
  svg.setAttribute("viewBox", `0 0 ${ocr.size[0]} ${ocr.size[1]}`);
  const box = (b, cls) => {
    const r = document.createElementNS("http://www.w3.org/2000/svg", "rect");
    r.setAttribute("x", b[0]); r.setAttribute("y", b[1]); r.setAttribute("width", b[2] - b[0]); r.setAttribute("height", b[3] - b[1]);
    r.setAttribute("class", cls);
    return r;
  };
  for (const r of ocr.regions) svg.append(box(r.box, "region"));
  for (const l of ocr.lines) svg.append(box(l.box, "line"));
}

function renderTools() {
  const f = finding();
  $("finding-text").textContent = f ? `${f.severity_label} · ${f.rule_label}：${f.message}` +
    (f.dismissed ? `（已由${f.dismissed.by}忽略，理由：${f.dismissed.reason}）` : "") : "（在待核队列中选择一项）";
  $("btn-dismiss").disabled = $("inp-dismiss-reason").disabled = !f || Boolean(f.dismissed);
  const doc = S.documents.find((d) => d.id === sel.doc) || null;
  $("doc-fields").disabled = !doc;
  $("doc-name").textContent = doc ? `${doc.type_label} ${doc.title || ""}` : "（未选择）";
  const types = $("sel-type");
  types.replaceChildren(...S.types.map((t) => el("option", { value: t.code }, `${t.label}（${t.volume}）`)));
  if (doc) {
    types.value = doc.type;
    for (const f of ["title", "doc_number", "author", "date"]) $(`f-${f}`).value = doc[f] || "";
    $("f-persons").value = (doc.persons || []).join("，");
  }
  const isExcluded = S.excluded.some((e) => e.page === sel.page);
  $("page-name").textContent = sel.page ? `${S.pages[sel.page].source} 第${S.pages[sel.page].page}页` : "";
  const options = () => S.documents.map((d, i) => el("option", { value: d.id }, `${i + 1}. ${d.type_label} ${d.title || ""}`));
  $("sel-move-doc").replaceChildren(...options());
  $("sel-restore-doc").replaceChildren(...options());
  if (doc) { $("sel-move-doc").value = doc.id; $("sel-restore-doc").value = doc.id; }
  for (const id of ["btn-blank", "btn-dup", "btn-move", "sel-move-doc", "inp-move-index"]) $(id).disabled = !sel.page || isExcluded;
  for (const id of ["btn-restore", "sel-restore-doc"]) $(id).disabled = !isExcluded;
  $("btn-rotate").disabled = !sel.page;
  for (const input of document.querySelectorAll("[data-case-field]")) { // not the one being typed in
    if (input !== document.activeElement) input.value = S.case?.[input.dataset.caseField] || "";
  }
}

function step(delta) {
  const pages = order();
  const i = pages.indexOf(sel.page);
  const next = pages[Math.max(0, Math.min(pages.length - 1, i + delta))];
  if (next) select(next);
  document.querySelector(`[data-page="${next}"]`)?.scrollIntoView({ block: "nearest" });
}

function moveDocument(delta) {
  const i = S.documents.findIndex((d) => d.id === sel.doc);
  if (i >= 0) correct("move_document", { doc: sel.doc, index: Math.max(0, i + delta) });
}

async function save() {
  status("正在保存并重新生成卷宗……");
  try {
    const result = await call("/save", {});
    S = result.state;
    sel.finding = null; // the rebuilt dossier's findings are numbered anew
    render();
    status(`已保存：${result.documents} 份文书，${result.excluded} 页未编入；审核人 ${result.review.reviewed_by}`);
  } catch (e) {
    status(`保存失败：${e.message}`, true);
  }
}

function dismiss() {
  const f = finding(), reason = $("inp-dismiss-reason").value.trim();
  if (!f || f.dismissed) return;
  if (!reason) { status("请填写忽略理由", true); $("inp-dismiss-reason").focus(); return; }
  $("inp-dismiss-reason").value = "";
  correct("dismiss_finding", { rule: f.rule, message: f.message, pages: f.pages, reason });
}

const actions = {
  split: () => correct("split", { doc: sel.doc, page: sel.page }),
  merge: () => correct("merge", { doc: sel.doc }),
  blank: () => correct("exclude", { page: sel.page, reason: "blank" }),
  duplicate: () => correct("exclude", { page: sel.page, reason: "duplicate" }),
  rotate: () => correct("rotate", { page: sel.page, degrees: 90 }),
  restore: () => correct("restore", { page: sel.page, to_doc: $("sel-restore-doc").value }),
  move: () => correct("move_page", { page: sel.page, to_doc: $("sel-move-doc").value, index: Number($("inp-move-index").value) - 1 }),
};

function wire() {
  $("btn-split").onclick = actions.split;
  $("btn-merge").onclick = actions.merge;
  $("btn-blank").onclick = actions.blank;
  $("btn-dup").onclick = actions.duplicate;
  $("btn-rotate").onclick = actions.rotate;
  $("btn-restore").onclick = actions.restore;
  $("btn-move").onclick = actions.move;
  $("btn-doc-up").onclick = () => moveDocument(-1);
  $("btn-doc-down").onclick = () => moveDocument(1);
  $("btn-undo").onclick = () => correct("undo");
  $("btn-redo").onclick = () => correct("redo");
  $("btn-save").onclick = save;
  $("btn-dismiss").onclick = dismiss;
  $("inp-dismiss-reason").addEventListener("keydown", (e) => { if (e.key === "Enter") dismiss(); });
  for (const id of ["flt-rule", "flt-severity", "flt-state"]) $(id).onchange = renderFindings;
  $("chk-overlay").onchange = renderPage;
  $("sel-type").onchange = (e) => correct("set_type", { doc: sel.doc, type: e.target.value });
  for (const input of document.querySelectorAll("#doc-fields input")) {
    input.addEventListener("change", (e) => correct("edit", { doc: sel.doc, field: e.target.dataset.field, value: e.target.value }));
  }
  for (const input of document.querySelectorAll("[data-case-field]")) { // the cover: saved, it is drawn again
    input.addEventListener("change", (e) => correct("edit_case", { field: e.target.dataset.caseField, value: e.target.value }));
  }
  document.addEventListener("keydown", (e) => {
    const typing = ["INPUT", "SELECT", "TEXTAREA"].includes(document.activeElement?.tagName);
    const key = e.key.toLowerCase();
    if (e.ctrlKey || e.metaKey) {
      const handled = { z: () => correct(e.shiftKey ? "redo" : "undo"), y: () => correct("redo"), s: save }[key];
      if (handled) { e.preventDefault(); handled(); }
      return;
    }
    if (typing) { if (e.key === "Escape") document.activeElement.blur(); return; }
    const keys = {
      arrowright: () => step(1), j: () => step(1), arrowleft: () => step(-1), k: () => step(-1),
      s: actions.split, m: actions.merge, b: actions.blank, d: actions.duplicate, r: actions.rotate, x: actions.restore,
      t: () => $("sel-type").focus(), o: () => { $("chk-overlay").checked = !$("chk-overlay").checked; renderPage(); },
    };
    if (e.shiftKey && key === "arrowup") { e.preventDefault(); moveDocument(-1); return; }
    if (e.shiftKey && key === "arrowdown") { e.preventDefault(); moveDocument(1); return; }
    if (keys[key]) { e.preventDefault(); keys[key](); }
  });
}

(async () => {
  wire();
  try {
    S = await call("/state");
  } catch (e) {
    status(`无法打开卷宗：${e.message}`, true);
    return;
  }
  const first = S.queue[0]?.page || order()[0];
  select(first, S.queue[0]?.id ?? undefined);
  status(`${S.documents.length} 份文书，${Object.keys(S.pages).length} 页；待核 ${S.queue.length} 项；` +
    `质检问题 ${S.findings.filter((f) => !f.dismissed).length} 项`);
  document.body.dataset.ready = "1";
})();
