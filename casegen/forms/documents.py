"""The documents of a case file, each laid out as pages of drawing operations plus truth text.

Every builder takes the case, a key (which seeds its own random choices, so a document does not
change when others are added or dropped) and a ``length`` knob for the records whose length
varies, and returns a :class:`Doc`.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from dataclasses import dataclass, field

from .paper import PT, Flow, Page, width, wrap
from .people import Person, cn_date
from .story import QA, Case, about, d_cn, d_hz, dt_cn, hm_cn

BODY_FONTS = ("serif", "serif", "ming", "sans", "hei", "ming")
TITLE_FONTS = {"serif": "serif_b", "ming": "serif_b", "sans": "sans_b", "hei": "hei"}


@dataclass
class Doc:
    type: str
    key: str
    level: int  # 0 always kept ... 4 first dropped when the page budget is small
    when: dt.datetime
    date: str | None
    doc_number: str | None
    author: str | None
    persons: list[str]
    pages: list[Page] = field(default_factory=list)


class Style:
    def __init__(self, case: Case, key: str):
        self.rng = random.Random(f"forms:{case.seed}:{key}")
        r = self.rng
        self.seed = r.randrange(1 << 30)
        self.font = r.choice(BODY_FONTS)
        self.title_font = TITLE_FONTS[self.font]
        self.size = r.choice((12, 12.5, 13, 13.5, 14))
        self.leading = r.uniform(1.6, 2.0)
        self.hand = r.choice(("blue", "blue", "black"))
        self.footer = r.choice(("std", "std", "slash", "rev", "dash", "none", "none"))
        self.date_hz = r.random() < 0.6  # 二〇二五年 vs 2025年
        self.left = r.uniform(22, 30)
        self.right = 210 - r.uniform(18, 24)
        self.top = r.uniform(18, 26)
        self.n = 0

    def page(self, landscape: bool = False) -> Page:
        self.n += 1
        w, h = (297.0, 210.0) if landscape else (210.0, 297.0)
        return Page(w=w, h=h, body_font=self.font, hand_color=self.hand, seed=self.seed + self.n)

    def date(self, d: dt.date | dt.datetime) -> str:
        return d_hz(d) if self.date_hz else d_cn(d)


def iso(d: dt.datetime, time: bool = False) -> str:
    return d.strftime("%Y-%m-%dT%H:%M" if time else "%Y-%m-%d")


def footers(pages: list[Page], style: str, h_off: float = 14.0) -> None:
    m = len(pages)
    if style == "none" or m == 1 and style != "std":
        return
    for n, p in enumerate(pages, 1):
        s = {"std": f"第{n}页 共{m}页", "slash": f"第 {n} 页/共 {m} 页", "rev": f"共{m}页第{n}页",
             "dash": f"- {n} -"}[style]
        p.center(p.h - h_off, s, 10.5)
        p.printed = n


def number(case: Case, kind: str, style: Style, unit: str = "") -> str:
    """A 文号 such as 杭西公（刑）立字〔2025〕0123号, in one of the shapes seen on real files."""
    n = case.number(kind)
    y = case.t_report.year
    r = style.rng
    unit = unit or "刑"
    shape = r.randrange(5)
    if shape == 0:
        return f"{case.juris.short}公（{unit}）{kind}字〔{y}〕{n}号"
    if shape == 1:
        return f"{case.juris.short}公{unit}{kind}字[{y}]{n:04d}号"
    if shape == 2:
        return f"{case.juris.short}公（{unit}）{kind}字〔{y}〕第{n}号"
    if shape == 3:
        return f"{case.juris.short}公({unit}){kind}字[{y}]{n}号"
    return f"{case.juris.short}公{unit}{kind}字〔{y}〕第{n:05d}号"


# ------------------------------------------------------------------------------------------------
# shared pieces


def instrument_head(p: Page, st: Style, organ: str, title: str, no: str | None, y: float = 0.0) -> float:
    y = y or st.top + 6
    p.center(y, organ, st.rng.choice((16, 17, 18)), st.title_font)
    y += 11
    p.center(y, title, st.rng.choice((22, 24, 26)), st.title_font, spacing=st.rng.choice((0, 2, 4, 6)))
    y += 15
    if no:
        p.right(st.right, y, no, 12)
        y += 10
    return y + 4


def sign_off(p: Page, st: Style, y: float, organ: str, when: dt.datetime, seal: bool = True,
             seal_text: str | None = None, chief: str = "") -> float:
    """Organ and date at the right, the red seal over the date."""
    x = st.right - 8
    if chief:
        p.right(x, y, chief, st.size)
        y += 9
    p.right(x, y, organ + st.rng.choice(("", "（印）", "（公章）")) if seal else organ, st.size)
    y += st.size * PT * 2
    ds = st.date(when)
    p.right(x, y, ds, st.size)
    if seal:
        p.seal(x - width(ds, st.size, st.font) / 2, y - 4, seal_text or organ)
    return y + 14


def hand_line(p: Page, st: Style, x: float, y: float, label: str, value: str, size: float | None = None,
              sig: bool = False, finger: bool = False, line_to: float | None = None) -> float:
    """A printed label followed by a handwritten value; truth reads them as one line."""
    size = size or st.size
    x2 = p.text(x, y, label, size, emit=False)
    if line_to:
        p.rule(x2, y + size * PT * 1.15, line_to, y + size * PT * 1.15, 0.2)
    end = p.hand(x2 + 2, y - 1, value, size + 1, emit=False, sig=sig)
    p.add_line(label + value)
    if finger:
        p.finger(x2 + (end - x2) / 2 + 4, y + 2)
    return end


def table(p: Page, st: Style, x0: float, y: float, rows: list[list[tuple]], size: float | None = None,
          min_h: float = 10.0, x1: float | None = None) -> float:
    """Rows of cells ``(width or 0 for the rest, text, hand?)``; cells wrap; row text joins with spaces."""
    size = size or st.size - 1
    x1 = x1 or st.right
    for row in rows:
        fixed = sum(c[0] for c in row if c[0])
        rest = [c for c in row if not c[0]]
        widths = [c[0] if c[0] else (x1 - x0 - fixed) / max(1, len(rest)) for c in row]
        wrapped = []
        for (w, text, hand, *_), cw in zip(row, widths):
            key = "kai" if hand else st.font
            sz = size + (1 if hand else 0)
            wrapped.append(wrap(text, cw - 3, sz, key) if text else [""])
        lh = size * PT * (1.75 if any(c[2] for c in row) else 1.45)
        h = max(min_h, max(len(w_) for w_ in wrapped) * lh + 3)
        extra = max((c[3] for c in row if len(c) > 3), default=0)
        h = max(h, extra)
        x = x0
        texts = []
        for (w, text, hand, *_), cw, lines in zip(row, widths, wrapped):
            p.box(x, y, x + cw, y + h, 0.3)
            ty = y + (h - len(lines) * lh) / 2 if len(lines) == 1 and h < 20 else y + 2
            for ln in lines:
                if not ln:
                    continue
                if hand:
                    p.hand(x + 1.5, ty - 0.5, ln, size + 1, emit=False)
                elif "☑" in ln:  # a printed box ticked by hand
                    i = ln.index("☑")
                    p.text(x + 1.5, ty, ln.replace("☑", "□"), size, emit=False)
                    p.hand(x + 1.5 + width(ln[:i], size, st.font), ty - 1.2, "√", size + 2, emit=False, angle=0)
                else:
                    p.text(x + 1.5, ty, ln, size, emit=False)
                ty += lh
            if text:
                texts.append(text.replace("☑", "√"))
            x += cw
        p.add_line(" ".join(texts))
        y += h
    return y


def qa_lines(flow: Flow, qas: list[QA], hand: bool = False) -> None:
    for q, a in qas:
        flow.para(q, indent=0, hang="问：", hand=hand)
        flow.para(a, indent=0, hang="答：", hand=hand)


# ------------------------------------------------------------------------------------------------
# 诉讼文书


def acceptance_form(case: Case, key: str) -> Doc:
    st = Style(case, key)
    j = case.juris
    t = case.t_report
    v = case.victims[0] if case.victims else None
    station = j.stations[st.rng.randrange(len(j.stations))]
    no = number(case, "受案", st, unit=station[:2])
    p = st.page()
    y = st.top + 4
    p.center(y, "受案登记表", 24, st.title_font, spacing=st.rng.choice((0, 3, 5)))
    y += 14
    receiver = f"{j.organ}{station}" if st.rng.random() < 0.5 else j.organ
    p.text(st.left, y, f"（受案单位：{receiver}）" if receiver != j.organ else receiver, 11)
    p.right(st.right, y, no, 11)
    y += 9
    o = case.officers[4]
    if v:
        rep = [
            [(22, "报案人", False), (0, v.name, True), (16, "性别", False), (14, v.gender, True), (22, "出生日期", False),
             (0, cn_date(v.birth), True)],
            [(22, "身份证件种类", False), (0, "居民身份证", True), (22, "证件号码", False), (0, v.id_number, True)],
            [(22, "工作单位", False), (0, v.employer, True), (22, "联系方式", False), (0, v.phone, True)],
            [(22, "现住址", False), (0, v.address, True)],
        ]
        source = "报案"
    else:
        rep = [[(22, "报案人", False), (0, "/", True), (22, "移送单位", False), (0, f"{j.organ}禁毒大队", True)]]
        source = "工作中发现"
    rows = rep + [
        [(22, "接报民警", False), (0, o.name, True), (22, "接报时间", False), (0, dt_cn(t), True)],
        [(22, "接报地点", False), (0, f"{j.organ}{station}", True), (22, "案件来源", False), (0, source, True)],
        [(0, "简要案情或者报案记录（发案时间、地点、简要过程、涉案人基本情况、受害情况等）以及是否接受证据：", False)],
        [(0, case.report_text, True, 80)],
        [(22, "受案意见", False), (0, "☑属于本单位管辖的刑事案件，建议及时立案侦查；□属于本单位管辖的行政案件，建议及时调查处理；"
                                   "□不属于本单位管辖，建议移送其他单位处理。", False)],
        [(22, "受案审批", False), (0, f"同意。  受案部门负责人：{case.officers[5].name}  {d_cn(t)}", True, 18)],
    ]
    y = table(p, st, st.left, y, rows, size=11.5)
    p.text(st.left, y + 4, "一式两份，一份留存，一份附卷。", 10)
    p.seal(st.right - 35, y - 10, j.organ)
    return Doc("case_acceptance_form", key, 0, t, iso(t), no, receiver, [v.name] if v else [case.suspects[0].name], [p])


def filing_decision(case: Case, key: str) -> Doc:
    st = Style(case, key)
    j = case.juris
    no = number(case, "立", st)
    p = st.page()
    y = instrument_head(p, st, j.organ, "立案决定书", no)
    f = Flow(lambda: (p, y), st.left, st.right, 250, st.size + 1, st.leading)
    f.para(f"根据《中华人民共和国刑事诉讼法》第一百一十二条之规定，决定对{case.filing_name}立案侦查。")
    f.gap(30)
    sign_off(p, st, f.y, j.organ, case.t_file)
    return Doc("case_filing_decision", key, 0, case.t_file, iso(case.t_file), no, j.organ, [], [p])


def summons(case: Case, key: str, i: int) -> Doc:
    st = Style(case, key)
    j = case.juris
    s = case.suspects[i]
    t = case.t_catch[i]
    no = number(case, "传", st)
    p = st.page()
    y = instrument_head(p, st, j.organ, "传唤证", no)
    f = Flow(lambda: (p, y), st.left, st.right, 200, st.size + 1, st.leading)
    f.para(f"犯罪嫌疑人{s.name}：", indent=0)
    f.para(f"根据《中华人民共和国刑事诉讼法》第一百一十九条之规定，兹传唤涉嫌{case.charge}的你于{dt_cn(t)}到"
           f"{j.organ}执法办案中心接受讯问。")
    f.gap(16)
    y = sign_off(p, st, f.y, j.organ, t)
    p.rule(st.left, y, st.right, y, 0.2)
    y += 6
    hand_line(p, st, st.left, y, "本证已于", f"{dt_cn(t)}向我宣布。", line_to=st.right - 10)
    y += 12
    hand_line(p, st, st.left + 60, y, "被传唤人：", s.name, sig=True, finger=True)
    y += 14
    arrive = t + dt.timedelta(minutes=st.rng.randint(10, 50))
    hand_line(p, st, st.left, y, "被传唤人到达时间：", dt_cn(arrive))
    y += 11
    hand_line(p, st, st.left, y, "讯问结束时间：", dt_cn(arrive + dt.timedelta(hours=st.rng.randint(2, 6))))
    y += 11
    hand_line(p, st, st.left + 60, y, "被传唤人：", s.name, sig=True)
    return Doc("summons_warrant", key, 2, t, iso(t), no, j.organ, [s.name], [p])


RIGHTS = [
    "根据《中华人民共和国刑事诉讼法》的规定，在公安机关对案件进行侦查期间，犯罪嫌疑人有如下诉讼权利和义务：",
    "1．不通晓当地通用的语言文字的，有权要求配备翻译人员，有权用本民族语言文字进行诉讼。",
    "2．对于公安机关及其侦查人员侵犯其诉讼权利或者进行人身侮辱的行为，有权提出申诉或者控告。",
    "3．对于侦查人员、鉴定人、记录人、翻译人员有下列情形之一的，有权申请他们回避：（一）是本案的当事人或者是当事人的近亲属的；"
    "（二）本人或者他的近亲属和本案有利害关系的；（三）担任过本案的证人、鉴定人、辩护人、诉讼代理人的；"
    "（四）与本案当事人有其他关系，可能影响公正处理案件的。对驳回申请回避的决定，可以申请复议一次。",
    "4．自第一次被讯问或者被采取强制措施之日起，有权委托律师作为辩护人；因经济困难或者其他原因没有委托辩护人的，"
    "可以向法律援助机构提出申请。在押的犯罪嫌疑人可以向看守所提出委托辩护人的要求。",
    "5．在接受传唤、拘传、讯问时，有权要求饮食和必要的休息时间。",
    "6．对于采取强制措施超过法定期限的，有权要求解除强制措施。",
    "7．对于侦查人员的提问，应当如实回答。但是对与本案无关的问题，有拒绝回答的权利。如实供述自己罪行的，可以依法从宽处理；"
    "认罪认罚的，可以依法从宽处理。",
    "8．核对讯问笔录的权利，笔录记载有遗漏或者差错的，可以提出补充或者改正；没有阅读能力的，侦查人员应当向其宣读。",
    "9．未满十八周岁的，在被讯问时有权要求通知其法定代理人到场。",
    "10．聋、哑的犯罪嫌疑人在被讯问时有要求通晓聋、哑手势的人参加的权利。",
    "11．有权知道用作证据的鉴定意见的内容，可以申请补充鉴定或者重新鉴定。",
    "12．被羁押的犯罪嫌疑人及其法定代理人、近亲属或者辩护人有权申请变更强制措施。",
    "13．犯罪嫌疑人应当遵守法律规定，不得毁灭、伪造证据或者串供，不得干扰证人作证。",
]


def rights_notice(case: Case, key: str, i: int) -> Doc:
    """Same pre-printed text for every suspect (the style is seeded by the case, not the person)."""
    st = Style(case, "rights-form")  # one printed form for the whole case
    hst = Style(case, key)
    s = case.suspects[i]
    t = case.t_catch[i] + dt.timedelta(minutes=hst.rng.randint(20, 90))
    pages: list[Page] = []
    top = st.top + 6

    def new():
        p = st.page()
        p.hand_color = hst.hand
        p.seed = hst.seed + len(pages)
        pages.append(p)
        return p, top

    f = Flow(new, st.left, st.right, 268, st.size, st.leading * 0.9)
    f.page.center(top, "犯罪嫌疑人诉讼权利义务告知书", 20, st.title_font)
    f.y = top + 16
    for k, para in enumerate(RIGHTS):
        f.para(para, indent=2 if k == 0 else 0)
    f.need(48)
    p, y = f.page, f.y + 6
    hand_line(p, hst, st.left, y, "犯罪嫌疑人意见：", hst.rng.choice(("以上内容已看过，我已知道。", "我已看过，已明白。",
                                                                "以上告知内容向我宣读过，我已清楚。")))
    y += 13
    hand_line(p, hst, st.left, y, "犯罪嫌疑人（签名、捺指印）：", s.name, sig=True, finger=True)
    y += 13
    hand_line(p, hst, st.left, y, "告知时间：", dt_cn(t))
    y += 12
    hand_line(p, hst, st.left, y, "告知人：", f"{case.officers[0].name}、{case.officers[1].name}")
    if len(pages) > 1:
        footers(pages, st.footer if st.footer != "none" else "std")
    return Doc("rights_notice", key, 0, t, iso(t), None, None, [s.name], pages)


def _warrant(case: Case, key: str, title: str, kind: str, when: Callable[[Style], dt.datetime],
             body: Callable[[dt.datetime], str], shown: Callable[[dt.datetime], str], signer: str, name: str
             ) -> tuple[Style, Page, float, dt.datetime, str]:
    """A one-page 证 (拘留证, 逮捕证, 搜查证): head, the order, the organ's seal and date, then the line
    the person signs and fingerprints when it is read to them. Returns where the page goes on."""
    st = Style(case, key)
    t = when(st)
    no = number(case, kind, st)
    p = st.page()
    y = instrument_head(p, st, case.juris.organ, title, no)
    f = Flow(lambda: (p, y), st.left, st.right, 200, st.size + 1, st.leading)
    f.para(body(t))
    f.gap(14)
    y = sign_off(p, st, f.y, case.juris.organ, t)
    p.rule(st.left, y, st.right, y, 0.2)
    y += 6
    hand_line(p, st, st.left, y, "本证已于", shown(t))
    y += 12
    hand_line(p, st, st.left + 60, y, signer, name, sig=True, finger=True)
    return st, p, y, t, no


def detention_warrant(case: Case, key: str, i: int) -> Doc:
    j = case.juris
    s = case.suspects[i]
    st, p, y, t, no = _warrant(
        case, key, "拘留证", "拘", lambda st: case.t_detain[i],
        lambda t: f"根据《中华人民共和国刑事诉讼法》第八十二条之规定，兹决定对犯罪嫌疑人{s.name}（性别{s.gender}，"
                  f"出生日期{cn_date(s.birth)}，住址{s.address}）执行拘留，送{j.center}羁押。",
        lambda t: f"{dt_cn(t)}向我宣布。", "被拘留人：", s.name)
    y += 14
    hand_line(p, st, st.left, y, "送押民警：", f"{case.officers[0].name}、{case.officers[2].name}")
    y += 12
    hand_line(p, st, st.left, y, "看守所收押时间：", dt_cn(t + dt.timedelta(hours=st.rng.randint(1, 5))))
    return Doc("detention_warrant", key, 0, t, iso(t), no, j.organ, [s.name], [p])


def detention_notice(case: Case, key: str, i: int, arrest: bool = False) -> Doc:
    st = Style(case, key)
    j = case.juris
    s = case.suspects[i]
    rel = s.relative
    if arrest:
        t0 = case.t_approve + dt.timedelta(hours=st.rng.randint(2, 8))
        t = t0 + dt.timedelta(hours=st.rng.randint(1, 20))
        title, kind, art, act = "逮捕通知书", "捕通", "第九十三条", "执行逮捕"
    else:
        t0 = case.t_detain[i]
        t = t0 + dt.timedelta(hours=st.rng.randint(1, 20))
        title, kind, art, act = "拘留通知书", "拘通", "第八十五条", "刑事拘留"
    no = number(case, kind, st)
    p = st.page()
    y = instrument_head(p, st, j.organ, title, no)
    f = Flow(lambda: (p, y), st.left, st.right, 200, st.size + 1, st.leading)
    f.para(f"{rel.name if rel else '家属'}：", indent=0)
    f.para(f"根据《中华人民共和国刑事诉讼法》{art}之规定，我局已于{dt_cn(t0)}将涉嫌{case.charge}的{s.name}{act}，"
           f"现羁押在{j.center}。")
    f.gap(14)
    y = sign_off(p, st, f.y, j.organ, t)
    p.rule(st.left, y, st.right, y, 0.2)
    y += 6
    if st.rng.random() < 0.5 and rel:
        hand_line(p, st, st.left, y, "本通知书已收到。被通知人：", rel.name, sig=True)
        y += 12
        hand_line(p, st, st.left, y, "收到时间：", dt_cn(t))
    else:
        note = f"已于{dt_cn(t)}电话通知其{s.relation or '家属'}{rel.name if rel else ''}（{rel.phone if rel else ''}）。"
        x2 = p.text(st.left, y, "通知情况：", st.size, emit=False)
        for part in wrap(note, st.right - x2 - 4, st.size + 1, "kai"):
            p.hand(x2 + 2, y - 1, part, st.size + 1, emit=False)
            y += 10
        p.add_line("通知情况：" + note)
        y += 2
        hand_line(p, st, st.left + 60, y, "办案民警：", case.officers[1].name, sig=True)
    return Doc("arrest_notice" if arrest else "detention_notice", key, 2, t, iso(t), no, j.organ, [s.name], [p])


def person_intro(case: Case, s: Person) -> str:
    prior = f"违法犯罪经历：{s.prior}。" if s.prior else "无违法犯罪经历。"
    return (f"犯罪嫌疑人{s.name}，{s.gender}，{cn_date(s.birth)}出生，公民身份号码{s.id_number}，{s.ethnic}，"
            f"{s.education}文化，{s.job}，户籍所在地{s.hukou}，现住{s.address}。{prior}")


def evidence_list(case: Case) -> list[str]:
    ev = []
    if case.victims:
        ev.append(f"被害人{case.names(case.victims)}的陈述")
    ev.append(f"证人{case.names(case.witnesses)}的证言")
    ev.append(f"犯罪嫌疑人{case.names(case.suspects)}的供述和辩解")
    ev.append("现场勘验笔录、辨认笔录、搜查笔录")
    ev.append("扣押决定书、扣押清单及照片")
    if case.appraisal:
        ev.append(f"{case.appraisal.title}")
    if "bank" in case.extras:
        ev.append("银行账户交易明细、电子数据提取笔录")
    ev.append("到案经过、常住人口信息表等")
    return [f"{k + 1}．{e}；" if k < len(ev) - 1 else f"{k + 1}．{e}。" for k, e in enumerate(ev)]


def arrest_request(case: Case, key: str) -> Doc:
    st = Style(case, key)
    j = case.juris
    no = number(case, "提捕", st)
    case.extras["request_no"] = no
    pages: list[Page] = []

    def new():
        p = st.page()
        pages.append(p)
        return p, st.top + 10

    f = Flow(new, st.left, st.right, 272, st.size + 0.5, st.leading)
    f.y = instrument_head(f.page, st, j.organ, "提请批准逮捕书", no)
    for s in case.suspects:
        f.para(person_intro(case, s))
        k = case.suspects.index(s)
        f.para(f"犯罪嫌疑人{s.name}因涉嫌{case.charge}，于{d_cn(case.t_detain[k])}被我局刑事拘留，现羁押于{j.center}。")
    origin = (f"由被害人{case.victims[0].name}于{d_cn(case.t_report)}报案至我局" if case.victims
              else f"系我局民警于{d_cn(case.t_report)}在工作中发现")
    f.para(f"犯罪嫌疑人{case.names(case.suspects)}涉嫌{case.charge}一案，{origin}，我局经过审查，于{d_cn(case.t_file)}立案侦查。"
           f"犯罪嫌疑人{case.suspects[0].name}于{d_cn(case.t_catch[0])}被抓获归案。")
    f.para("经依法侦查查明：")
    for para in case.facts:
        f.para(para)
    f.para("认定上述犯罪事实的证据如下：")
    for e in evidence_list(case):
        f.para(e)
    f.para("上述证据收集程序合法，内容客观真实，足以认定犯罪嫌疑人的犯罪事实。")
    f.para(f"综上所述，犯罪嫌疑人{case.names(case.suspects)}的行为已触犯《中华人民共和国刑法》{case.article}之规定，"
           f"涉嫌{case.charge}，可能判处徒刑以上刑罚，采取取保候审尚不足以防止发生社会危险性，有逮捕必要。"
           f"依照《中华人民共和国刑事诉讼法》第八十一条、第八十七条之规定，特提请批准逮捕。")
    f.para("此致")
    f.para(j.procuratorate, indent=0)
    f.need(42)
    f.y = sign_off(f.page, st, f.y + 4, j.organ, case.t_request, chief=st.rng.choice(("", f"局长  {case.officers[5].name}")))
    f.need(20)
    f.para(f"附：1．本案卷宗{st.rng.randint(1, 3)}卷{st.rng.randint(60, 260)}页。", indent=0, size=st.size - 1)
    f.para(f"2．犯罪嫌疑人{case.names(case.suspects)}现羁押于{j.center}。", indent=2, size=st.size - 1)
    footers(pages, st.rng.choice(("dash", "std", "none")))
    return Doc("arrest_request", key, 1, case.t_request, iso(case.t_request), no, j.organ,
               [s.name for s in case.suspects], pages)


def arrest_approval(case: Case, key: str, i: int) -> Doc:
    st = Style(case, key)
    j = case.juris
    s = case.suspects[i]
    n = case.number("批捕")
    y = case.t_report.year
    no = st.rng.choice((f"{j.proc_short}检刑批捕〔{y}〕{n}号", f"{j.proc_short}检捕字[{y}]第{n}号",
                        f"{j.proc_short}检刑捕字〔{y}〕第{n}号"))
    p = st.page()
    yy = instrument_head(p, st, j.procuratorate, "批准逮捕决定书", no)
    f = Flow(lambda: (p, yy), st.left, st.right, 240, st.size + 1, st.leading)
    f.para(f"{j.organ}：", indent=0)
    f.para(f"你局于{d_cn(case.t_request)}以{case.extras.get('request_no', '')}提请批准逮捕书提请批准逮捕犯罪嫌疑人{s.name}，"
           f"经本院审查认为，该犯罪嫌疑人涉嫌{case.charge}，符合《中华人民共和国刑事诉讼法》第八十一条规定的逮捕条件，"
           f"决定批准逮捕犯罪嫌疑人{s.name}。请依法立即执行，并将执行情况在三日以内通知本院。")
    f.gap(22)
    sign_off(p, st, f.y, j.procuratorate, case.t_approve)
    return Doc("arrest_approval", key, 1, case.t_approve, iso(case.t_approve), no, j.procuratorate, [s.name], [p])


def arrest_warrant(case: Case, key: str, i: int) -> Doc:
    j = case.juris
    s = case.suspects[i]
    _, page, _, t, no = _warrant(
        case, key, "逮捕证", "捕", lambda st: case.t_approve + dt.timedelta(hours=st.rng.randint(1, 6)),
        lambda t: f"根据《中华人民共和国刑事诉讼法》第八十条之规定，经{j.procuratorate}批准，兹决定对涉嫌{case.charge}的"
                  f"犯罪嫌疑人{s.name}（性别{s.gender}，出生日期{cn_date(s.birth)}，住址{s.address}）执行逮捕，送{j.center}羁押。",
        lambda t: f"{dt_cn(t)}向我宣布。", "被逮捕人：", s.name)
    return Doc("arrest_warrant", key, 1, t, iso(t), no, j.organ, [s.name], [page])


def search_warrant(case: Case, key: str) -> Doc:
    j = case.juris
    s = case.suspects[0]
    o1, o2 = case.officers[0], case.officers[2]
    _, page, _, t, no = _warrant(
        case, key, "搜查证", "搜", lambda st: case.t_catch[0] + dt.timedelta(minutes=st.rng.randint(30, 90)),
        lambda t: f"根据《中华人民共和国刑事诉讼法》第一百三十八条之规定，兹派我局侦查人员{o1.name}、{o2.name}对{s.name}的住处"
                  f"（{s.address}）进行搜查。",
        lambda t: f"{dt_cn(t + dt.timedelta(minutes=20))}向我出示。", "被搜查人：", s.name)
    return Doc("search_warrant", key, 3, t, iso(t), no, j.organ, [s.name], [page])


def seizure_decision(case: Case, key: str) -> Doc:
    st = Style(case, key)
    j = case.juris
    t = case.t_catch[0] + dt.timedelta(hours=st.rng.randint(1, 4))
    no = number(case, "扣", st)
    case.extras["seizure_no"] = no
    holder = case.suspects[0]
    p = st.page()
    y = instrument_head(p, st, j.organ, "扣押决定书", no)
    f = Flow(lambda: (p, y), st.left, st.right, 250, st.size + 1, st.leading)
    f.para(f"根据《中华人民共和国刑事诉讼法》第一百四十一条之规定，我局决定扣押{holder.name}的下列财物、文件：")
    for k, it in enumerate(case.items, 1):
        f.para(f"{k}．{it.name}{it.qty}（{it.feature}）；", indent=2)
    f.para("详见扣押清单。", indent=2)
    f.gap(20)
    sign_off(f.page, st, f.y, j.organ, t)
    return Doc("seizure_decision", key, 2, t, iso(t), no, j.organ, [holder.name], [p])


def appraisal_engagement(case: Case, key: str) -> Doc:
    a = case.appraisal
    st = Style(case, key)
    j = case.juris
    t = case.t_catch[0] + dt.timedelta(days=st.rng.randint(1, 3))
    t = t.replace(hour=10)
    case.extras["t_engage"] = t
    no = number(case, "鉴聘", st)
    p = st.page()
    y = instrument_head(p, st, j.organ, "鉴定聘请书", no)
    f = Flow(lambda: (p, y), st.left, st.right, 250, st.size + 1, st.leading)
    f.para(f"{a.body}：", indent=0)
    f.para(f"为了查明{case.case_name}，根据《中华人民共和国刑事诉讼法》第一百四十六条之规定，特聘请你单位对{a.obj}进行"
           f"{a.kind}鉴定。请于{d_cn(t + dt.timedelta(days=15))}前将鉴定意见书送交我局。")
    f.gap(24)
    sign_off(p, st, f.y, j.organ, t)
    return Doc("appraisal_engagement", key, 2, t, iso(t), no, j.organ, [a.subject.name] if a.subject else [], [p])


def appraisal_notice(case: Case, key: str, to: Person) -> Doc:
    a = case.appraisal
    st = Style(case, key)
    j = case.juris
    t = case.extras.get("t_opinion", case.t_request) + dt.timedelta(days=st.rng.randint(1, 4))
    t = t.replace(hour=st.rng.randint(9, 16))
    no = number(case, "鉴通", st)
    p = st.page()
    y = instrument_head(p, st, j.organ, "鉴定意见通知书", no)
    f = Flow(lambda: (p, y), st.left, st.right, 220, st.size + 1, st.leading)
    f.para(f"{to.name}：", indent=0)
    f.para(f"我局聘请有关人员，对{a.obj}进行了{a.kind}鉴定。鉴定意见是：{a.opinion}。")
    f.para("如果你对该鉴定意见有异议，可以提出补充鉴定或者重新鉴定的申请。")
    f.gap(14)
    y = sign_off(p, st, f.y, j.organ, t)
    p.rule(st.left, y, st.right, y, 0.2)
    y += 6
    hand_line(p, st, st.left, y, "本通知书已收到。被通知人：", to.name, sig=True, finger=True)
    y += 12
    hand_line(p, st, st.left, y, "", dt_cn(t + dt.timedelta(hours=1)))
    return Doc("appraisal_notice", key, 2, t, iso(t), no, j.organ, [to.name], [p])


def prosecution_recommendation(case: Case, key: str) -> Doc:
    st = Style(case, key)
    j = case.juris
    no = number(case, "诉", st)
    pages: list[Page] = []

    def new():
        p = st.page()
        pages.append(p)
        return p, st.top + 10

    f = Flow(new, st.left, st.right, 272, st.size + 0.5, st.leading)
    f.y = instrument_head(f.page, st, j.organ, "起诉意见书", no)
    for k, s in enumerate(case.suspects):
        f.para(person_intro(case, s))
        f.para(f"犯罪嫌疑人{s.name}因涉嫌{case.charge}，于{d_cn(case.t_detain[k])}被我局刑事拘留，经{j.procuratorate}批准，"
               f"于{d_cn(case.t_approve)}被我局执行逮捕。现羁押于{j.center}。")
    origin = (f"由被害人{case.victims[0].name}于{d_cn(case.t_report)}报案至我局" if case.victims
              else f"系我局民警于{d_cn(case.t_report)}在工作中发现")
    f.para(f"犯罪嫌疑人{case.names(case.suspects)}涉嫌{case.charge}一案，{origin}。我局经过审查，于{d_cn(case.t_file)}立案侦查。"
           f"犯罪嫌疑人{case.suspects[0].name}涉嫌{case.charge}一案，现已侦查终结。")
    f.para("经依法侦查查明：")
    for para in case.facts:
        f.para(para)
    f.para("认定上述犯罪事实的证据如下：")
    for e in evidence_list(case):
        f.para(e)
    f.para("上述犯罪事实清楚，证据确实、充分，足以认定。")
    f.para(f"犯罪嫌疑人{case.suspects[0].name}归案后如实供述自己的罪行，自愿认罪认罚，可以依法从宽处理。")
    f.para(f"综上所述，犯罪嫌疑人{case.names(case.suspects)}的行为触犯了《中华人民共和国刑法》{case.article}之规定，"
           f"涉嫌{case.charge}。依照《中华人民共和国刑事诉讼法》第一百六十二条之规定，现将此案移送审查起诉。")
    f.para("此致")
    f.para(j.procuratorate, indent=0)
    f.need(42)
    f.y = sign_off(f.page, st, f.y + 4, j.organ, case.t_recommend)
    f.need(26)
    f.para(f"附：1．本案卷宗{st.rng.randint(2, 4)}卷{st.rng.randint(120, 400)}页。", indent=0, size=st.size - 1)
    f.para(f"2．犯罪嫌疑人{case.names(case.suspects)}现羁押于{j.center}。", indent=2, size=st.size - 1)
    f.para(f"3．随案移送物品{len(case.items)}件，详见随案移送物品清单。", indent=2, size=st.size - 1)
    footers(pages, st.rng.choice(("dash", "std", "slash", "none")))
    return Doc("prosecution_recommendation", key, 0, case.t_recommend, iso(case.t_recommend), no, j.organ,
               [s.name for s in case.suspects], pages)


# ------------------------------------------------------------------------------------------------
# 笔录


ROLE_CN = {"suspect": "犯罪嫌疑人", "victim": "被害人", "witness": "证人"}


def _fill(qas: list[QA], p: Person, case: Case) -> list[QA]:
    rel = p.relative
    vals = dict(edu=p.education, phone=p.phone, address=p.address, employer=p.employer,
                prior=f"有，{p.prior}。" if p.prior else "没有。",
                rel=f"{p.relation}{rel.name}" if rel else "兄弟姐妹", relation=p.relation or "家人")
    return [(q.format(**vals), a.format(**vals)) for q, a in qas]


def record(case: Case, key: str, who: Person, role: str, rnd: int, start: dt.datetime, length: float,
           level: int, story_key: str) -> Doc:
    """讯问笔录 (role suspect) or 询问笔录 (victim, witness), round ``rnd`` (1 = first)."""
    st = Style(case, key)
    r = st.rng
    j = case.juris
    suspect = role == "suspect"
    ask = "讯问" if suspect else "询问"
    pair = (case.officers[0], case.officers[1]) if r.random() < 0.6 or suspect else (case.officers[4], case.officers[5])
    if r.random() < 0.3:
        pair = (case.officers[2], case.officers[3])
    unit = pair[0].unit
    hand_body = r.random() < 0.12
    # how the role shows (询问笔录 only; first statements)
    mode = "none"
    if not suspect:
        mode = r.choice(("title", "title", "field", "warning", "question")) if rnd == 1 else r.choice(("none", "none", "title"))
        if mode == "question" and role != "victim":
            mode = "warning"
    title = f"{ask}笔录"
    if mode == "title":
        title += r.choice(("（{}）", "({})", "（ {} ）", " （{}）")).format(ROLE_CN[role])
    round_mark = ""
    if rnd > 1 and r.random() < 0.6:
        round_mark = r.choice(("（第{}次）", "第{}次")).format("一二三四五"[rnd - 1])
    # the questions
    name = who.name
    intro = [(f"我们是{j.organ}的侦查人员（出示工作证件），现依法对你进行讯问。你应当如实回答我们的提问，对与本案无关的问题，"
              "你有拒绝回答的权利。如实供述自己的罪行，可以依法从轻或者减轻处罚；认罪认罚的，可以依法从宽处理。你听清楚了吗？",
              "听清楚了。"),
             ("现将《犯罪嫌疑人诉讼权利义务告知书》交给你阅读，你是否看清楚了？", "看清楚了。"),
             ("你是否申请侦查人员回避？", "不申请。")] if suspect else []
    if not suspect:
        where = r.choice(("我们是{}的工作人员", "我们是{}的民警"))
        if mode == "warning" or (mode in ("title", "field") and r.random() < 0.5):
            warn = (f"{where.format(j.organ)}（出示工作证件），现依法向你询问有关问题，你作为{ROLE_CN[role]}，应当如实提供证据、证言，"
                    "有意作伪证或者隐匿罪证要负法律责任；对与本案无关的问题，你有拒绝回答的权利。你听明白了吗？")
        else:
            warn = (f"{where.format(j.organ)}（出示工作证件），现依法向你了解有关情况，你应当如实提供证据、证言，"
                    "有意作伪证或者隐匿罪证要负法律责任；对与本案无关的问题，你有拒绝回答的权利。你听明白了吗？")
        intro = [(warn, "听明白了。"), ("你是否申请办案人员回避？", "不申请。")]
    if rnd > 1:
        if suspect:
            intro = [(f"我们是{j.organ}的侦查人员，今天继续就你涉嫌{case.charge}一事对你进行讯问，你应当如实回答，"
                      "对与本案无关的问题有拒绝回答的权利。你听清楚了吗？", "听清楚了。")]
        else:
            intro = [(f"我们是{j.organ}的民警，现就有关问题再次向你了解情况，你应当如实陈述，"
                      "有意作伪证或者隐匿罪证要负法律责任。你听明白了吗？", "听明白了。")]
    base = []
    if rnd == 1:
        base = [("你的个人基本情况？" if suspect else "你的基本情况？",
                 f"我叫{name}，{who.gender}，{cn_date(who.birth)}出生，{who.ethnic}，{who.education}文化，{who.job}，"
                 f"身份证号码{who.id_number}，户籍地{who.hukou}，现住{who.address}。")]
    stories = case.stories if rnd == 1 else case.followups
    body = list(stories.get(story_key, []))
    if rnd > 1 and not body:
        body = [("你上次所讲的是否属实？", "属实。")]
    if not suspect and mode != "question" and rnd == 1:
        body = [qa for qa in body if not qa[0].startswith("你因何事")]
    if not suspect and mode == "question" and body and not body[0][0].startswith("你因何事"):
        body.insert(0, ("你因何事来公安机关？", "我来报案。"))
    pool = _fill(case.fillers["suspect" if suspect else "other"], who, case)
    fr = random.Random(f"forms:{case.seed}:fill:{key}")
    fr.shuffle(pool)
    n_fill = max(0, min(len(pool), round(length * (3 + 2 * (rnd == 1)))))
    fill = pool[:n_fill]
    closing = [("你还有什么需要补充的吗？", "没有了。"), ("你以上所讲的是否属实？", "属实。"),
               ("以上笔录你看一下，如果记录有误可以提出补充或者改正。", "好的。")]
    qas = intro + base + body[:2] + fill[: n_fill // 2] + body[2:] + fill[n_fill // 2:] + closing
    end = start + dt.timedelta(minutes=30 + 9 * len(qas) + r.randint(0, 25))
    # pages
    pages: list[Page] = []
    size = st.size if not hand_body else st.size + 1.5
    left, right = st.left, st.right
    sig_y = 297 - 34

    def new():
        p = st.page()
        pages.append(p)
        return p, st.top + 6

    f = Flow(new, left, right, sig_y - 6, size, st.leading if not hand_body else 1.9)
    p = f.page
    y = f.y
    p.center(y, title + (round_mark if round_mark and r.random() < 0.5 else ""), r.choice((20, 22)), st.title_font,
             spacing=r.choice((0, 0, 3)))
    y += 14
    if round_mark and title + round_mark not in p.lines:
        p.center(y - 2, round_mark, 13)
        y += 8
    hs = size - 0.5
    lh = hs * PT * 1.75

    def field(label: str, value: str, x: float | None = None) -> None:
        nonlocal y
        x = left if x is None else x
        if hand_body:  # a pre-printed label, the value written in, wrapped by hand
            x2 = p.text(x, y, label, hs, emit=False)
            parts = wrap(value, right - x2 - 4, hs + 1, "kai")
            for k, part in enumerate(parts):
                p.hand(x2 + 2, y - 0.5, part, hs + 1, emit=False)
                if k < len(parts) - 1:
                    y += lh
            p.add_line(label + value)
        else:
            lines = wrap(label + value, right - x, hs, st.font)
            for ln in lines:
                p.text(x, y, ln, hs)
                y += lh
            return
        y += lh + 1

    same_day = end.date() == start.date()
    field("时间：", f"{dt_cn(start)}至{hm_cn(end) if same_day and r.random() < 0.6 else dt_cn(end)}")
    place = (f"{j.center}第{r.randint(1, 9)}讯问室" if suspect and rnd > 1 else
             f"{j.organ}执法办案中心{r.randint(1, 6)}号{'讯问' if suspect else '询问'}室" if r.random() < 0.6 else
             f"{unit}办公室")
    field("地点：", place)
    field(f"{ask}人（签名）：", f"{pair[0].name}、{pair[1].name}    工作单位：{unit}")
    field("记录人（签名）：", f"{pair[1].name}    工作单位：{unit if r.random() < 0.5 else '同上'}")
    who_label = "犯罪嫌疑人" if suspect else "被询问人"
    field(f"{who_label}：", f"{name}    性别：{who.gender}    年龄：{who.age(start.date())}    出生日期：{cn_date(who.birth)}")
    if mode == "field":
        field("被询问人身份：", ROLE_CN[role])
    field("身份证件种类及号码：", f"居民身份证 {who.id_number}")
    if suspect and r.random() < 0.6:
        field("是否人大代表、政协委员：", "否")
    field("现住址：", f"{who.address}    联系方式：{who.phone}")
    field("户籍所在地：", who.hukou)
    f.y = y + 3
    qa_lines(f, qas, hand=hand_body)
    # the closing in the speaker's hand
    f.need(34)
    p = f.page
    y = f.y + 4
    closing_words = r.choice(("以上笔录我看过，和我说的相符。", "以上笔录我已看过，与我说的一样。",
                              "以上笔录向我宣读过，和我说的相符。", "以上笔录我看过，记录属实。"))
    p.hand(left + 10, y, closing_words, size + 2)
    y += 12
    end_x = p.hand(left + 40, y, name, size + 4, sig=True)
    p.finger(end_x + 6, y + 3)
    p.hand(end_x + 18, y + 1, f"{end.year}.{end.month}.{end.day}" if r.random() < 0.5 else cn_date(end), size)
    y += 14
    hand_line(p, st, left, y, f"{ask}人：", f"{pair[0].name}  {pair[1].name}", sig=True)
    hand_line(p, st, left + 90, y, "记录人：", pair[1].name, sig=True)
    # every page: the speaker signs and presses a finger at the foot
    for pg in pages:
        x = right - 62
        x2 = pg.text(x, sig_y + 2, f"{'被讯问人' if suspect else '被询问人'}：", hs, emit=False)
        pg.hand(x2 + 2, sig_y, name, hs + 3, emit=False, sig=True)
        pg.add_line(f"{'被讯问人' if suspect else '被询问人'}：{name}")
        pg.finger(x2 + 14, sig_y + 4)
    footers(pages, st.footer if len(pages) > 1 else r.choice(("std", "none")), h_off=16)
    typ = "interrogation_record" if suspect else ("victim_statement" if role == "victim" else "witness_statement")
    return Doc(typ, key, level, start, iso(start, True), None, unit, [name], pages)


# ------------------------------------------------------------------------------------------------
# 证据材料 (other than 笔录)


def arrival(case: Case, key: str, i: int) -> Doc:
    st = Style(case, key)
    j = case.juris
    s = case.suspects[i]
    t = case.t_catch[i]
    unit = case.officers[0].unit if st.rng.random() < 0.6 else case.officers[4].unit
    p = st.page()
    y = st.top + 14
    title = st.rng.choice(("到案经过", "抓获经过", "到案经过"))
    p.center(y, title, 22, st.title_font, spacing=st.rng.choice((0, 4, 8)))
    y += 20
    f = Flow(lambda: (p, y), st.left, st.right, 250, st.size + 1, st.leading)
    how = {
        "drugs": f"我局禁毒大队民警在开展工作时发现{case.scene}有人进行毒品交易，遂当场将犯罪嫌疑人{s.name}抓获",
    }.get(case.crime, f"我局民警经调取监控视频、走访排查，确定犯罪嫌疑人{s.name}有重大作案嫌疑，于{about(t)}在其住处"
                      f"{s.address}将其抓获")
    f.para(f"{about(t)}，{how}，并依法带回{j.organ}执法办案中心接受调查。犯罪嫌疑人{s.name}到案后"
           + st.rng.choice(("如实供述了其涉嫌" + case.charge + "的犯罪事实。", "对其涉嫌的犯罪事实供认不讳。")))
    f.para("抓获时，犯罪嫌疑人未持械抵抗，民警依法对其进行了人身检查。")
    f.para("特此说明。")
    f.gap(16)
    x = st.right - 70
    hand_line(p, st, x, f.y, "民警：", f"{case.officers[0].name}  {case.officers[2].name}", sig=True)
    signed = t + dt.timedelta(hours=5)
    sign_off(p, st, f.y + 14, unit, signed)
    return Doc("arrest_circumstances", key, 1, t, iso(signed), None, unit, [s.name], [p])


def household(case: Case, key: str, i: int) -> Doc:
    st = Style(case, key)
    s = case.suspects[i]
    t = case.t_catch[i] + dt.timedelta(hours=st.rng.randint(2, 30))
    station = s.region.places[0][:-2 if s.region.places[0].endswith("街道") else -1] + "派出所"
    issuer = f"{s.region.city}公安局{s.region.county}分局{station}" if not s.region.rural else f"{s.region.county}公安局{station}"
    p = st.page()
    y = st.top + 8
    p.center(y, "常住人口信息表", 20, st.title_font)
    y += 16
    rows = [
        [(26, "姓名", False), (0, s.name, False), (26, "曾用名", False), (0, "", False)],
        [(26, "性别", False), (0, s.gender, False), (26, "民族", False), (0, s.ethnic[:-1], False)],
        [(26, "出生日期", False), (0, s.birth.strftime("%Y-%m-%d"), False), (26, "文化程度", False), (0, s.education, False)],
        [(26, "公民身份号码", False), (0, s.id_number, False)],
        [(26, "籍贯", False), (0, s.region.province + s.region.city, False), (26, "婚姻状况", False),
         (0, st.rng.choice(("未婚", "已婚", "离婚")), False)],
        [(26, "兵役状况", False), (0, "未服兵役", False), (26, "身高", False), (0, f"{st.rng.randint(158, 185)}厘米", False)],
        [(26, "职业", False), (0, s.job, False), (26, "服务处所", False), (0, s.employer, False)],
        [(26, "住址", False), (0, s.hukou, False)],
        [(26, "户主姓名", False), (0, s.relative.name if s.relative and s.relation in ("父亲", "母亲") else s.name, False),
         (26, "与户主关系", False), (0, "子" if s.relation in ("父亲", "母亲") and s.male else "女" if s.relation in ("父亲", "母亲") else "户主", False)],
        [(26, "登记日期", False), (0, f"{s.birth.year + st.rng.randint(0, 16)}-0{st.rng.randint(1, 9)}-1{st.rng.randint(0, 9)}", False),
         (26, "承办单位", False), (0, issuer, False)],
    ]
    y = table(p, st, st.left, y, rows, size=11, x1=st.right - 38)
    p.box(st.right - 36, st.top + 24, st.right, st.top + 70, 0.3)
    p.photo(st.right - 34, st.top + 26, st.right - 2, st.top + 68, st.seed)
    y += 8
    p.text(st.left, y, f"打印单位：{issuer}    打印时间：{t:%Y-%m-%d %H:%M:%S}", 10)
    y += 8
    p.text(st.left, y, st.rng.choice(("与原件核对无误。", "以上信息与系统登记一致。")), 11)
    p.seal(st.right - 40, y + 4, issuer[-12:] if len(issuer) > 14 else issuer, r=19)
    return Doc("household_registration", key, 2, t, iso(t), None, issuer, [s.name], [p])


def record_certificate(case: Case, key: str, i: int) -> Doc:
    st = Style(case, key)
    j = case.juris
    s = case.suspects[i]
    t = case.t_catch[i] + dt.timedelta(days=st.rng.randint(1, 6))
    unit = case.officers[0].unit
    p = st.page()
    y = st.top + 16
    title = "违法犯罪记录证明" if s.prior or st.rng.random() < 0.5 else "违法犯罪记录查询情况说明"
    p.center(y, title, 21, st.title_font)
    y += 22
    f = Flow(lambda: (p, y), st.left, st.right, 250, st.size + 1, st.leading)
    rec = f"有违法犯罪记录：{s.prior}。" if s.prior else "未发现有违法犯罪记录。"
    f.para(f"经查询全国违法犯罪人员信息资源库及本地公安信息系统，犯罪嫌疑人{s.name}（{s.gender}，公民身份号码：{s.id_number}）{rec}")
    f.para("特此证明。")
    f.gap(24)
    hand_line(p, st, st.left + 60, f.y, "查询人：", case.officers[3].name, sig=True)
    sign_off(p, st, f.y + 14, unit, t)
    return Doc("criminal_record_certificate", key, 3, t, iso(t), None, unit, [s.name], [p])


def _prose_record(case: Case, key: str, title: str, typ: str, level: int, start: dt.datetime, person: Person | None,
                  header: list[tuple[str, str]], paras: list[str], signers: list[tuple[str, str]],
                  extra=None, unit: str | None = None) -> Doc:
    st = Style(case, key)
    pages: list[Page] = []

    def new():
        p = st.page()
        pages.append(p)
        return p, st.top + 8

    f = Flow(new, st.left, st.right, 262, st.size, st.leading)
    f.page.center(f.y, title, 21, st.title_font, spacing=st.rng.choice((0, 3)))
    f.y += 14
    for label, value in header:
        f.para(f"{label}：{value}", indent=0, size=st.size - 0.5)
    f.gap(3)
    for para in paras:
        f.para(para)
    f.need(14 * ((len(signers) + 1) // 2) + 6)
    y = f.y + 6
    end = st.left
    for k, (label, name) in enumerate(signers):
        x = st.left if k % 2 == 0 else max(st.left + 85, end + 8)
        if x + width(label, st.size, st.font) + width(name, st.size + 1, "kai") * 1.2 > st.right:
            y += 14
            x = st.left
        end = hand_line(f.page, st, x, y, label, name, sig=True, finger=label.startswith(("辨认人", "被搜查人", "见证人")))
        if k % 2 == 1 or k == len(signers) - 1:
            y += 14
    if extra:
        extra(st, pages)
    footers(pages, st.footer)
    return Doc(typ, key, level, start, iso(start, True), None, unit, [person.name] if person else [], pages)


def identification(case: Case, key: str, by: Person, target: int) -> Doc:
    s = case.suspects[target]
    rng = random.Random(f"forms:{case.seed}:{key}:id")
    start = case.t_catch[target] + dt.timedelta(days=1, hours=rng.randint(-3, 3))
    k = rng.choice((6, 8, 9, 10, 12))
    pos = rng.randint(1, k)
    o1, o2 = case.officers[0], case.officers[1]
    witness_name = "、".join(rng.sample(["周立新", "徐海燕", "何志强", "罗晓梅", "唐建军"], 1))
    header = [("时间", f"{dt_cn(start)}至{hm_cn(start + dt.timedelta(minutes=rng.randint(15, 40)))}"),
              ("地点", f"{case.juris.organ}执法办案中心"), ("侦查人员", f"{o1.name}、{o2.name}（{o1.unit}）"),
              ("记录人", o2.name), ("见证人", witness_name), ("辨认人", by.name), ("辨认对象", "犯罪嫌疑人（照片辨认）")]
    paras = [
        f"辨认前，侦查人员向辨认人{by.name}告知了辨认的目的和要求，告知其应当如实辨认，有意作假辨认要负法律责任，并询问了辨认对象的体貌特征，"
        f"辨认人称对方{rng.choice(('身材偏瘦，短发', '个子中等，圆脸', '身高一米七左右，皮肤较黑'))}。",
        f"侦查人员将犯罪嫌疑人{s.name}的正面免冠照片混杂在{k - 1}名与其体貌特征相似人员的照片中，制作成辨认照片一组（共{k}张），"
        f"按顺序编号后交由辨认人{by.name}在见证人的见证下独立进行辨认。",
        f"辨认人{by.name}经仔细辨认，指认出{pos}号照片上的人就是"
        f"{'与其交易的人' if case.crime == 'drugs' else rng.choice(('案发时实施作案的人', '其所述的那名男子' if s.male else '其所述的那名女子'))}。",
        f"辨认结果：{pos}号照片上的人为犯罪嫌疑人{s.name}。",
    ]
    signers = [("辨认人：", by.name), ("见证人：", witness_name), ("侦查人员：", f"{o1.name} {o2.name}"), ("记录人：", o2.name)]

    def photos(st: Style, pages: list[Page]) -> None:
        p = st.page()
        pages.append(p)
        y = st.top + 8
        p.center(y, st.rng.choice(("辨认照片", "混杂辨认照片", "附：辨认照片")), 18, st.title_font)
        y += 16
        cols = 3 if k in (6, 9) else 4
        cw = (st.right - st.left) / cols
        ph = min(52.0, cw * 1.25)
        row: list[str] = []
        for n in range(1, k + 1):
            c = (n - 1) % cols
            if c == 0 and n > 1:
                p.add_line(" ".join(row))
                row = []
                y += ph + 12
            x = st.left + c * cw + 4
            p.photo(x, y, x + cw - 8, y + ph, st.seed * 31 + n)
            p.text(x + (cw - 8) / 2 - 2, y + ph + 2, str(n), 12, emit=False)
            row.append(str(n))
        p.add_line(" ".join(row))
        y += ph + 16
        hand_line(p, st, st.left, y, "辨认人指认：", f"{pos}号", size=st.size)
        hand_line(p, st, st.left + 80, y, "辨认人：", by.name, sig=True, finger=True)

    return _prose_record(case, key, "辨认笔录", "identification_record", 2, start, by, header, paras, signers, photos,
                         unit=o1.unit)


def scene_inspection(case: Case, key: str) -> Doc:
    rng = random.Random(f"forms:{case.seed}:{key}:sc")
    start = case.t_report + dt.timedelta(minutes=rng.randint(30, 120))
    end = start + dt.timedelta(minutes=rng.randint(40, 120))
    j = case.juris
    crew = [case.officers[2].name, case.officers[3].name, rng.choice(["高志远", "程小军", "范思远"])]
    header = [("现场勘验单位", f"{j.organ}刑事科学技术室"), ("指派/报告单位", j.station_full(0)),
              ("勘验事由", f"{case.filing_name}现场勘验"), ("现场勘验开始时间", dt_cn(start)),
              ("现场勘验结束时间", dt_cn(end)), ("现场地点", case.scene),
              ("现场保护情况", rng.choice(("报案后由派出所民警保护现场", "现场已被破坏"))),
              ("天气", f"{rng.choice(('晴', '阴', '多云', '小雨'))}  温度：{rng.randint(3, 32)}℃  湿度：{rng.randint(40, 90)}%"),
              ("勘验前现场的条件", rng.choice(("变动现场", "原始现场"))), ("现场勘验利用的光线", rng.choice(("自然光", "灯光")))]
    paras = [
        f"现场位于{case.scene}。{rng.choice(('现场东侧为道路，西侧为绿化带', '现场南侧为商铺，北侧为居民楼'))}，"
        f"周围有监控摄像头{rng.randint(1, 4)}个。",
        f"勘验人员按照由外向内的顺序对现场进行了勘验。{case.scene_short}地面为水泥地面，"
        + {"theft": "原停放电动自行车处未见明显痕迹，地面有少量灰尘擦划痕迹。",
           "assault": "地面散落绿色啤酒瓶碎片若干，部分碎片上附着暗红色可疑血迹，西侧桌椅有倒伏。",
           "robbery": "现场未发现明显打斗痕迹，地面未见遗留物。",
           "drugs": "停车场内停放车辆若干，交易地点位于监控覆盖范围内。",
           "affray": "路边店铺玻璃门破碎，地面散落玻璃碎片，旁有红色塑料凳一个已破损。",
           "fraud": "现场为被害人住处，被害人使用的手机一部。"}[case.crime],
        f"现场提取{'血迹样本2份、' if case.crime == 'assault' else ''}现场照片{rng.randint(8, 24)}张，调取监控视频{rng.randint(1, 3)}段。",
        f"现场勘验制图{rng.randint(1, 2)}张，照相{rng.randint(8, 24)}张，录像{rng.randint(0, 12)}分钟，录音0分钟。",
    ]
    signers = [("笔录人：", crew[0]), ("制图人：", crew[1]), ("照相人：", crew[2]), ("见证人：", rng.choice(["吴建华", "方晓东", "沈玉兰"]))]
    return _prose_record(case, key, "现场勘验笔录", "scene_inspection_record", 2, start, None, header, paras, signers,
                         unit=f"{j.organ}刑事科学技术室")


def search_record(case: Case, key: str) -> Doc:
    rng = random.Random(f"forms:{case.seed}:{key}:se")
    s = case.suspects[0]
    start = case.t_catch[0] + dt.timedelta(hours=rng.randint(1, 3))
    o1, o2 = case.officers[0], case.officers[2]
    wit = rng.choice(["吴建华", "方晓东", "沈玉兰", "陆文斌"])
    header = [("时间", f"{dt_cn(start)}至{hm_cn(start + dt.timedelta(minutes=rng.randint(30, 80)))}"),
              ("地点", s.address), ("侦查人员", f"{o1.name}、{o2.name}（{o1.unit}）"), ("记录人", o2.name),
              ("被搜查人", s.name), ("见证人", wit)]
    items = "、".join(f"{it.name}{it.qty}" for it in case.items if it.holder is s)
    paras = [
        f"侦查人员{o1.name}、{o2.name}持{case.juris.organ}搜查证，在见证人{wit}的见证下，对犯罪嫌疑人{s.name}位于{s.address}的住处进行搜查。",
        f"搜查前，侦查人员向被搜查人出示了搜查证，告知其应当配合搜查。搜查按照由外向内、由上到下的顺序进行。",
        f"在卧室{rng.choice(('床头柜抽屉内', '衣柜内', '书桌上'))}发现并扣押{items or '与案件有关的物品'}。",
        "搜查过程中未损坏任何物品，搜查结束后已将现场恢复原状。",
    ]
    signers = [("被搜查人：", s.name), ("见证人：", wit), ("侦查人员：", f"{o1.name} {o2.name}"), ("记录人：", o2.name)]
    return _prose_record(case, key, "搜查笔录", "search_record", 3, start, s, header, paras, signers, unit=o1.unit)


def edata_record(case: Case, key: str) -> Doc:
    rng = random.Random(f"forms:{case.seed}:{key}:ed")
    s = case.suspects[0]
    start = case.t_catch[0] + dt.timedelta(days=rng.randint(1, 4), hours=rng.randint(0, 3))
    o1, o2 = case.officers[2], case.officers[3]
    wit = rng.choice(["吴建华", "方晓东", "沈玉兰", "陆文斌"])
    phone = next((it for it in case.items if it.name == "手机"), None)
    sha = "".join(rng.choice("0123456789abcdef") for _ in range(64))
    header = [("时间", f"{dt_cn(start)}至{hm_cn(start + dt.timedelta(minutes=rng.randint(40, 120)))}"),
              ("地点", f"{case.juris.organ}电子数据勘查室"), ("侦查人员", f"{o1.name}、{o2.name}（{o1.unit}）"),
              ("见证人", wit), ("提取对象", f"从{s.name}处扣押的手机一部（{phone.feature if phone else '黑色'}）")]
    paras = [
        f"侦查人员在见证人{wit}的见证下，对扣押的{s.name}的手机进行电子数据提取。提取前检查该手机处于关机状态，外观完好，封存状态完整。",
        f"使用{rng.choice(('取证大师', '手机取证系统', '电子数据取证分析仪'))}对该手机中的微信、QQ聊天记录、通话记录、短信及"
        f"支付宝、手机银行交易记录进行提取。",
        f"提取的电子数据共计{rng.randint(120, 3000)}条，已刻录光盘一张，SHA-256校验值为{sha}。",
        "提取过程未对原始存储介质进行任何修改，提取完毕后对手机重新封存。",
    ]
    signers = [("侦查人员：", f"{o1.name} {o2.name}"), ("见证人：", wit), ("持有人：", s.name)]
    return _prose_record(case, key, "电子数据提取笔录", "electronic_data_record", 3, start, s, header, paras, signers,
                         unit=o1.unit)


def seizure_list(case: Case, key: str) -> Doc:
    st = Style(case, key)
    j = case.juris
    t = case.t_catch[0] + dt.timedelta(hours=st.rng.randint(1, 4))
    no = case.extras.get("seizure_no")
    holder = case.suspects[0]
    p = st.page()
    y = st.top + 6
    p.center(y, st.rng.choice(("扣押清单", "扣押清单", "扣押物品、文件清单")), 22, st.title_font)
    y += 14
    if no:
        p.right(st.right, y, no, 11)
        y += 9
    rows = [[(14, "编号", False), (40, "名称", False), (18, "数量", False), (0, "特征", False), (26, "备注", False)]]
    for k, it in enumerate(case.items, 1):
        rows.append([(14, str(k), True), (40, it.name, True), (18, it.qty, True), (0, it.feature, True), (26, it.note, True)])
    rows.append([(14, "", False), (40, "以下空白", True), (18, "", False), (0, "", False), (26, "", False)])
    for _ in range(max(0, 9 - len(rows))):
        rows.append([(14, "", False), (40, "", False), (18, "", False), (0, "", False), (26, "", False)])
    y = table(p, st, st.left, y, rows, size=11, min_h=11)
    y += 8
    hand_line(p, st, st.left, y, "持有人（签名）：", holder.name, sig=True, finger=True)
    hand_line(p, st, st.left + 88, y, "见证人（签名）：", st.rng.choice(["吴建华", "方晓东", "沈玉兰"]), sig=True)
    y += 14
    hand_line(p, st, st.left, y, "侦查人员（签名）：", f"{case.officers[0].name} {case.officers[2].name}", sig=True)
    y += 14
    hand_line(p, st, st.left, y, "保管人（签名）：", case.officers[3].name, sig=True)
    y += 14
    p.text(st.left, y, "本清单一式三份，一份交持有人，一份交保管人，一份附卷。", 10.5)
    y += 10
    sign_off(p, st, y, j.organ, t)
    return Doc("seizure_list", key, 1, t, iso(t), no, j.organ, [holder.name], [p])


def appraisal_opinion(case: Case, key: str) -> Doc:
    a = case.appraisal
    st = Style(case, key)
    t_in = case.extras.get("t_engage", case.t_catch[0] + dt.timedelta(days=2))
    t = t_in + dt.timedelta(days=st.rng.randint(3, 12))
    t = t.replace(hour=15)
    case.extras["t_opinion"] = t
    no = f"{a.body_short}〔{t.year}〕{case.number('鉴定书')}号" if st.rng.random() < 0.6 else f"{a.body_short}字[{t.year}]第{case.number('鉴定书')}号"
    pages: list[Page] = []

    def new():
        p = st.page()
        pages.append(p)
        return p, st.top + 8

    f = Flow(new, st.left, st.right, 268, st.size, st.leading)
    p = f.page
    p.center(f.y, a.body, 17, st.title_font)
    p.center(f.y + 11, a.title, 21, st.title_font)
    p.right(st.right, f.y + 26, no, 11.5)
    f.y += 38
    subj = a.subject
    sections = [
        ("一、基本情况", [f"委托单位：{case.juris.organ}", f"委托事项：对{a.obj}进行{a.kind}鉴定",
                      f"受理日期：{d_cn(t_in)}", f"鉴定材料：{a.obj}及相关病历、票据资料" if a.kind == "损伤程度" else f"鉴定材料：{a.obj}",
                      f"鉴定日期：{d_cn(t_in)}至{d_cn(t)}", f"鉴定地点：{a.body}"]
         + ([f"被鉴定人：{subj.name}，{subj.gender}，{subj.age(t.date())}岁，身份证号{subj.id_number}"] if subj and a.kind == "损伤程度" else [])),
        ("二、基本案情", [case.facts[0]]),
        ("三、鉴定过程", [f"依据{'、'.join(a.method)}，对送检材料进行检验。"] + a.findings),
        ("四、分析说明", [f"根据检验所见，结合委托方提供的案情材料，{a.findings[-1]}"]),
        ("五、鉴定意见", [a.opinion + "。"]),
    ]
    for head, paras in sections:
        f.need(20)
        f.para(head, indent=0, font_key=st.title_font)
        for para in paras:
            f.para(para)
    f.need(40)
    y = f.y + 8
    hand_line(f.page, st, st.left + 70, y, "鉴定人：", st.rng.choice(["陈立平", "杨文斌", "黄晓丽"]), sig=True)
    y += 12
    hand_line(f.page, st, st.left + 70, y, "鉴定人：", st.rng.choice(["赵一鸣", "刘晓峰", "孙丽华"]), sig=True)
    sign_off(f.page, st, y + 14, a.body, t)
    footers(pages, st.footer if st.footer != "none" else "std")
    return Doc("forensic_opinion", key, 2, t, iso(t), no, a.body, [subj.name] if subj else [], pages)


def bank_statement(case: Case, key: str, which: int) -> Doc:
    bank, acct_v, bank2, acct_s, amounts = case.extras["bank"]
    st = Style(case, key)
    r = st.rng
    who = case.victims[0] if which == 0 else case.suspects[0]
    b, acct = (bank, acct_v) if which == 0 else (bank2, acct_s)
    t0 = case.t_crime
    rows_data = []
    bal = r.randint(3, 9) * 10000 + sum(amounts) if which == 0 else r.randint(10, 500)
    tt = t0 - dt.timedelta(days=r.randint(5, 12))
    for k in range(r.randint(14, 26)):
        tt += dt.timedelta(hours=r.randint(3, 40), minutes=r.randint(0, 59))
        if which == 0:
            amt = -r.randint(10, 400) if r.random() < 0.7 else r.randint(100, 3000)
            other, oacct, memo = r.choice((("财付通", "", "消费"), ("支付宝", "", "消费"), ("", "", "工资"), ("美团", "", "消费")))
        else:
            amt = r.randint(1000, 30000) if k % 2 == 0 else -r.randint(1000, 30000)
            other, oacct, memo = (r.choice(("李某", "陈某某", "王某")), "62" + "".join(r.choice("0123456789") for _ in range(8)) + "****",
                                  "转账" if amt > 0 else r.choice(("ATM取款", "转账")))
        bal = max(0, bal + amt)
        rows_data.append((tt, amt, bal, memo, other, oacct))
    # the fraud transfers, on the crime day
    for k, a in enumerate(amounts):
        tt = t0 + dt.timedelta(minutes=13 * k + 3)
        amt = -a if which == 0 else a
        bal = max(0, bal + amt)
        rows_data.append((tt, amt, bal, "网银转账" if which == 0 else "转账存入", case.suspects[0].name if which == 0 else case.victims[0].name,
                          acct_s if which == 0 else acct_v))
    rows_data.sort(key=lambda x: x[0])
    landscape = r.random() < 0.7
    pages: list[Page] = []
    per_page = 19 if landscape else 27
    chunks = [rows_data[i:i + per_page] for i in range(0, len(rows_data), per_page)]
    cols = [("交易日期", 26), ("交易时间", 22), ("摘要", 24), ("交易金额", 26), ("账户余额", 28), ("对方户名", 24), ("对方账号", 0)]
    for ci, chunk in enumerate(chunks):
        p = st.page(landscape)
        right = p.w - 15
        y = 14
        if ci == 0:
            p.center(y, f"{b}个人账户交易明细", 17, st.title_font)
            y += 11
            p.text(18, y, f"户名：{who.name}    账号：{acct}    币种：人民币    查询期间：{(t0 - dt.timedelta(days=15)):%Y-%m-%d}至{(t0 + dt.timedelta(days=5)):%Y-%m-%d}", 10)
            y += 8
        rows = [[(w, n, False) for n, w in cols]]
        for tt, amt, bal, memo, other, oacct in chunk:
            rows.append([(26, f"{tt:%Y-%m-%d}", False), (22, f"{tt:%H:%M:%S}", False), (24, memo, False),
                         (26, f"{amt:+,.2f}", False), (28, f"{bal:,.2f}", False), (24, other, False), (0, oacct, False)])
        y = table(p, st, 18, y, rows, size=9, min_h=6.4, x1=right)
        p.center(p.h - 10, f"第{ci + 1}页/共{len(chunks)}页", 9)
        p.printed = ci + 1
        if ci == len(chunks) - 1:
            p.text(18, y + 5, f"打印日期：{case.t_catch[0] + dt.timedelta(days=3):%Y-%m-%d}", 10)
            p.seal(right - 40, y + 8, f"{b}{case.juris.region.county}支行", r=17, sub="业务专用章", star=False)
        pages.append(p)
    t = case.t_catch[0] + dt.timedelta(days=3)
    return Doc("documentary_evidence", key, 3, t, iso(t), None, b, [who.name], pages)


def chat_screenshot(case: Case, key: str) -> Doc:
    st = Style(case, key)
    who = case.victims[0] if case.victims else case.suspects[0]
    t = case.t_catch[0] + dt.timedelta(days=st.rng.randint(1, 4)) if case.crime == "drugs" else case.t_report
    p = st.page()
    y = st.top + 6
    head = "聊天记录截图" if case.crime != "drugs" else f"犯罪嫌疑人{case.suspects[0].name}手机微信聊天记录截图"
    p.center(y, head, 16, st.title_font)
    y += 12
    x0, x1 = 52.0, 158.0
    p.box(x0, y, x1, y + 200, 0.6)
    p.box(x0, y, x1, y + 12, 0.2, fill=225)
    p.center(y + 3, st.rng.choice(("客服小美", "风", "兼职派单员", "A阿龙")), 11, "sans", cx=(x0 + x1) / 2)
    yy = y + 18
    p.text(x0 + 40, yy, f"{case.t_crime:%m月%d日 %H:%M}", 8.5, "sans", color="grey")
    yy += 8
    for speaker, text in case.extras["chat"]:
        lines = wrap(text, 58, 10, "sans")
        h = len(lines) * 5.2 + 4
        if yy + h > y + 195:
            break
        if speaker == "我":
            bx1 = x1 - 16
            bx0 = bx1 - max(width(ln, 10, "sans") for ln in lines) - 5
            p.box(x1 - 13, yy, x1 - 4, yy + 9, 0.2, fill=200)
        else:
            bx0 = x0 + 16
            bx1 = bx0 + max(width(ln, 10, "sans") for ln in lines) + 5
            p.box(x0 + 4, yy, x0 + 13, yy + 9, 0.2, fill=170)
        p.box(bx0, yy, bx1, yy + h, 0.2, fill=238 if speaker != "我" else 215)
        for k, ln in enumerate(lines):
            p.text(bx0 + 2.5, yy + 2 + k * 5.2, ln, 10, "sans")
        yy += h + 6
    y += 206
    hand_line(p, st, st.left, y, "提供人：", who.name, sig=True, finger=True)
    hand_line(p, st, st.left + 80, y, "提取人：", case.officers[1].name, sig=True)
    y += 12
    hand_line(p, st, st.left, y, "提取时间：", dt_cn(t))
    return Doc("documentary_evidence", key, 3, t, iso(t), None, None, [who.name], [p])


def receipt(case: Case, key: str) -> Doc:
    st = Style(case, key)
    r = st.rng
    v = case.victims[0] if case.victims else case.suspects[0]
    what = {"theft": ("电动自行车款", "电动车商行"), "assault": ("医疗费", "人民医院"), "robbery": ("手机款", "通讯器材店"),
            "affray": ("玻璃门维修费", "门窗装饰部"), "fraud": ("押金", "商行"), "drugs": ("房费", "酒店")}[case.crime]
    amount = case.loss if case.loss else r.randint(3, 40) * 100
    seller = f"{case.juris.region.county}{r.choice(('诚信', '兴旺', '鑫源', '万家'))}{what[1]}"
    t = case.t_crime - dt.timedelta(days=r.randint(100, 300)) if case.crime in ("theft", "robbery") else case.t_crime + dt.timedelta(days=r.randint(1, 6))
    p = st.page()
    y = 40
    p.center(y, "收  据", 22, st.title_font)
    y += 14
    p.text(40, y, "No.", 11, emit=False)
    serial = f"{r.randint(1000000, 9999999)}"
    p.hand(52, y - 1, serial, 12, emit=False)
    p.add_line(f"No.{serial}")
    p.right(170, y, f"{t.year}年{t.month}月{t.day}日", 11)
    y += 12
    rows = [
        [(30, "今收到", False), (0, v.name, True)],
        [(30, "交来", False), (0, what[0], True)],
        [(30, "人民币（大写）", False), (0, _upper_amount(amount), True)],
        [(30, "¥", False), (0, f"{amount:.2f}", True)],
        [(30, "收款单位", False), (0, seller, True), (22, "经手人", False), (30, r.choice(("王敏", "李红", "陈刚")), True)],
    ]
    y = table(p, st, 40, y, rows, size=11, min_h=11, x1=170)
    p.seal(140, y - 12, seller, r=17, sub="财务专用章", star=True)
    p.text(40, y + 8, f"（{v.name}提供，复印件与原件核对一致）", 10.5)
    return Doc("documentary_evidence", key, 3, t if t < case.t_report else case.t_report, iso(t), None, seller, [v.name], [p])


def _upper_amount(n: int) -> str:
    digits = "零壹贰叁肆伍陆柒捌玖"
    units = ["", "拾", "佰", "仟", "万", "拾", "佰", "仟"]
    s = str(n)
    out = ""
    zero = False
    for i, ch in enumerate(s):
        pos = len(s) - 1 - i
        d = int(ch)
        if d == 0:
            zero = True
            if pos == 4:
                out += "万"
            continue
        if zero and out:
            out += "零"
        zero = False
        out += digits[d] + units[pos]
    return out.replace("零万", "万") + "元整"


def explanation(case: Case, key: str, topic: int) -> Doc:
    st = Style(case, key)
    j = case.juris
    unit = case.officers[0].unit
    t = case.t_recommend - dt.timedelta(days=st.rng.randint(2, 15))
    topics = [
        ("关于监控视频的情况说明",
         f"{case.case_name}案发后，我单位民警调取了案发地周边的监控视频。因{case.scene_short}附近部分监控设备损坏，"
         f"仅调取到有效视频{st.rng.randint(1, 3)}段，已刻录光盘附卷。"),
        ("关于赃款赃物去向的情况说明",
         f"经查，犯罪嫌疑人{case.suspects[0].name}所得赃款已被其挥霍，" + (f"被害人{case.victims[0].name}的损失尚未追回。" if case.victims else "无法追回。")),
        ("关于犯罪嫌疑人到案情况的说明",
         f"犯罪嫌疑人{case.suspects[0].name}系被我单位民警抓获归案，不具有自首情节。归案后能如实供述自己的罪行。"),
    ]
    head, body = topics[topic % len(topics)]
    p = st.page()
    y = st.top + 14
    p.center(y, "情况说明", 22, st.title_font, spacing=st.rng.choice((0, 6)))
    y += 14
    if st.rng.random() < 0.5:
        p.center(y, f"（{head[:-4]}）", 13)
        y += 12
    f = Flow(lambda: (p, y), st.left, st.right, 250, st.size + 1, st.leading)
    f.para(body)
    f.para("特此说明。")
    f.gap(20)
    hand_line(p, st, st.right - 75, f.y, "办案民警：", f"{case.officers[0].name} {case.officers[1].name}", sig=True)
    sign_off(p, st, f.y + 14, unit, t)
    return Doc("situation_explanation", key, 3, t, iso(t), None, unit, [], [p])
