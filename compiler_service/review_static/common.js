// What the review pages share: building elements, and dates as a clerk reads them: in the
// browser's own time zone, in Chinese (2024年3月12日 09:30), the ISO value kept in the title.
"use strict";

const $ = (id) => document.getElementById(id);

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === "class") node.className = v;
    else if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
    else node.setAttribute(k, v);
  }
  for (const c of children) node.append(c);
  return node;
}

const DAY = new Intl.DateTimeFormat("zh-CN", { year: "numeric", month: "long", day: "numeric" });
const MOMENT = new Intl.DateTimeFormat("zh-CN", { year: "numeric", month: "long", day: "numeric", hour: "2-digit",
  minute: "2-digit", hourCycle: "h23" });

function localDate(iso) {
  // a date alone is that day wherever it is read (parsed as UTC it would move a day west of Greenwich);
  // a time without a zone is the time written on the page; one with a zone is shown in the browser's;
  // anything else (a date a clerk typed otherwise) as it is
  const day = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (day) return DAY.format(new Date(Number(day[1]), Number(day[2]) - 1, Number(day[3])));
  const moment = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(iso) ? new Date(iso) : null;
  return moment && !Number.isNaN(moment.getTime()) ? MOMENT.format(moment) : iso;
}

function when(iso) { // a <time> for an ISO date or moment; nothing for none
  return iso ? el("time", { datetime: iso, title: iso }, localDate(iso)) : "";
}
