// The agency's dossiers, newest first, drawn again every few seconds while one is queued or
// compiling; and the upload form, which queues a new one as the API's POST /v1/dossiers does.
"use strict";

const csrf = document.querySelector('meta[name="csrf-token"]').content;
const STATES = { queued: "排队中", running: "处理中", done: "已完成", failed: "失败" };
const STAGES = { ocr: "识别", assemble: "生成卷宗" };
const REFRESH_MS = 3000;
// refusals that come without words for a clerk (the body refused before the service read it)
const REFUSALS = { 400: "无法读取上传的内容（文件过多？）", 401: "登录已失效，请重新登录", 403: "页面已过期，请刷新后重试",
  413: "文件合计超过上传上限，请分批上传" };
let offset = 0, timer = null;

function progress(job) { // "识别 3/10"; per stage
  return Object.entries(job.progress).map(([stage, p]) => `${STAGES[stage] || stage} ${p.done}/${p.total}`).join("，");
}

function openFindings(job) { // those no clerk has dismissed
  return job.checks ? job.checks.error + job.checks.warning + job.checks.info : "";
}

function row(job) {
  return el("tr", { "data-job": job.id, "data-state": job.state },
    el("td", { class: `state ${job.state}` }, STATES[job.state] || job.state,
      job.state === "running" ? el("small", { class: "progress" }, ` ${progress(job)}`) : "",
      job.error ? el("div", { class: "error" }, job.error) : ""),
    el("td", {}, when(job.created)), el("td", {}, when(job.updated)),
    el("td", {}, job.pages ?? ""), el("td", {}, job.documents ?? ""), el("td", {}, openFindings(job)),
    el("td", {}, job.reviewed_by ? `${job.reviewed_by} ` : "", when(job.reviewed_at)),
    el("td", {}, job.review_url ? el("a", { href: job.review_url, "data-testid": "review-link" }, "审核") : ""));
}

async function load() {
  clearTimeout(timer);
  const response = await fetch(`/review/api/jobs?offset=${offset}`);
  if (response.status === 401) { location.href = "/review/login?next=/review/"; return; }
  const list = await response.json();
  $("jobs").tBodies[0].replaceChildren(...list.items.map(row));
  if (!list.items.length) $("jobs").tBodies[0].append(el("tr", {}, el("td", { colspan: 8, class: "none" }, "还没有卷宗：请上传扫描件")));
  $("count").textContent = list.total ? `共 ${list.total} 个，第 ${list.offset + 1}–${list.offset + list.items.length} 个` : "";
  $("newer").disabled = list.offset === 0;
  $("older").disabled = list.offset + list.items.length >= list.total;
  $("older").onclick = () => { offset += list.limit; load(); };
  $("newer").onclick = () => { offset = Math.max(0, offset - list.limit); load(); };
  if (list.items.some((j) => j.state === "queued" || j.state === "running")) timer = setTimeout(load, REFRESH_MS);
}

function say(text, bad = false) {
  $("upload-status").textContent = text;
  $("upload-status").className = bad ? "bad" : "";
}

async function upload(e) {
  e.preventDefault();
  const files = [...$("files").files];
  if (!files.length) { say("请选择要上传的扫描文件", true); return; }
  const body = new FormData();
  for (const f of files) body.append("files", f);
  say(`正在上传 ${files.length} 个文件……`);
  $("upload").querySelector("button").disabled = true;
  try {
    const response = await fetch("/review/api/upload", { method: "POST", headers: { "X-CSRF-Token": csrf }, body });
    const data = await response.json().catch(() => ({}));
    if (!response.ok) {
      // the service's own refusals (a file it cannot read, a quota) are in Chinese already
      const said = typeof data.detail === "string" && /[\u4e00-\u9fff]/.test(data.detail) ? data.detail : null;
      say(`上传失败：${said || REFUSALS[response.status] || data.detail || response.statusText}`, true);
      return;
    }
    $("upload").reset();
    say("已上传，正在排队整理");
    offset = 0;
    await load();
  } catch (err) {
    say(`上传失败：${err.message}`, true);
  } finally {
    $("upload").querySelector("button").disabled = false;
  }
}

$("upload").addEventListener("submit", upload);
load().then(() => { document.body.dataset.ready = "1"; });
