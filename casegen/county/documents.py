"""Document builders: each returns a `Doc` with its pages laid out (not yet rasterized).

Wording follows the published 公安机关刑事法律文书式样 (2012 edition, as revised after the 2018
Criminal Procedure Law) and the procuratorate's 批准逮捕决定书; the fill-in blanks of the pre-printed
instruments are written by hand (a Kai face), the records are typed or hand-written on ruled paper."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from .facts import Case, Person
from .layout import Box, Flow, PageSpec, Print, Rule, Run, Seal, Style, text_width_mm
from .story import ORDINAL, d_cn, d_upper, dt_cn, facts_sentence, interrogation_turns, report_text, statement_turns

PAPERS = [(210.0, 297.0)] * 5 + [(184.0, 260.0)] * 2 + [(176.0, 250.0), (195.0, 270.0)]


@dataclass
class Doc:
    type: str
    title: str
    when: datetime
    timed: bool
    doc_number: str | None
    author: str
    persons: list[str]
    pages: list[PageSpec] = field(default_factory=list)
    pile: datetime | None = None  # when it joined the investigator's pile, where that is not `when`

    @property
    def date(self) -> str:
        return self.when.strftime("%Y-%m-%dT%H:%M") if self.timed else self.when.strftime("%Y-%m-%d")


def spaced(title: str, rng: random.Random, p: float = 0.35) -> str:
    return " ".join(title) if rng.random() < p else title


def form_style(rng: random.Random, **kw) -> Style:
    w, h = rng.choice(PAPERS)
    k = w / 210.0
    st = Style(width=w, height=h, left=rng.uniform(20, 30) * k, right=rng.uniform(18, 26) * k,
               top=rng.uniform(18, 30) * k, bottom=rng.uniform(18, 28) * k,
               face=rng.choice(["ming", "ming", "serif"]), title_face=rng.choice(["serif_bold", "hei_sharp", "ming"]),
               size=rng.uniform(4.2, 5.0) * k, leading=rng.uniform(1.7, 2.05))
    for a, b in kw.items():
        setattr(st, a, b)
    return st


def record_style(rng: random.Random, handwritten: bool) -> Style:
    st = form_style(rng)
    st.handwritten = handwritten
    st.lined = handwritten or rng.random() < 0.3
    st.fill_hand = handwritten or rng.random() < 0.35
    if handwritten:
        st.size *= rng.uniform(1.0, 1.1)
        st.leading = rng.uniform(1.8, 2.1)
    return st


def date_text(d, rng: random.Random, upper: bool | None = None) -> str:
    if upper is None:
        upper = rng.random() < 0.6
    return d_upper(d) if upper else d_cn(d)


# ---------------------------------------------------------------------------------------------
# pieces shared by the instruments


def _instrument_head(f: Flow, case: Case, organ: str, title: str, number: str | None, rng: random.Random) -> None:
    if rng.random() < 0.3:  # which copy of a multi-part form this is
        f.right([(rng.choice(["（此联附卷）", "附卷", "第二联", "（副本）"]), False)], size=f.s.size * 0.8)
    f.centered([(organ, False)], size=f.s.size * 1.25)
    f.gap(1.5)
    f.title(spaced(title, rng), after=2.0)
    if number:
        f.right([(number, False)], margin=rng.uniform(0, 10))
    f.gap(3.0)


def _sign_off(f: Flow, organ: str, when, rng: random.Random, extra: str | None = None, upper: bool | None = None) -> None:
    f.gap(rng.uniform(6, 14))
    x_margin = rng.uniform(5, 15)
    if extra:
        f.right([(extra, False)], margin=x_margin)
    top = f.y
    f.right([(organ + "（印）", False)], margin=x_margin)
    f.right([(date_text(when, rng, upper), rng.random() < 0.3)], margin=x_margin)
    cx = f.s.width - f.s.right - x_margin - text_width_mm(f.s.face, f.s.size, organ) / 2
    f.page.seals.append(Seal(cx + rng.uniform(-6, 6), top + f.s.size * 1.3 + rng.uniform(-3, 3), rng.uniform(19, 22), organ))


def _receipt(f: Flow, rng: random.Random, parts: list[list[tuple[str, bool]]]) -> None:
    """The tear-off / acknowledgement part under a dashed cut line."""
    f.gap(4)
    f.need(30)
    f.page.rules.append(Rule(f.s.left, f.y, f.s.width - f.s.right, f.y, 0.2, dashed=True))
    f.gap(4)
    for segs in parts:
        f.para(segs, first=2)


def _who(p: Person, case: Case) -> list[tuple[str, bool]]:
    return [("（性别", False), (p.sex, True), ("，出生日期", False), (d_cn(p.born), True), ("，住址", False), (p.address, True), ("）", False)]


def when_after(base: datetime, rng: random.Random, lo_h: float, hi_h: float) -> datetime:
    t = base + timedelta(hours=rng.uniform(lo_h, hi_h))
    return t.replace(minute=rng.choice([0, 5, 10, 15, 20, 30, 35, 40, 45, 50]), second=0, microsecond=0)


# ---------------------------------------------------------------------------------------------
# 诉讼文书卷


def acceptance_form(case: Case, rng: random.Random) -> Doc:
    f = Flow(form_style(rng), rng)
    v = case.victims[0]
    number = case.number("受案")
    _instrument_head(f, case, case.bureau, "受案登记表", number, rng)
    t = case.reported
    rows = [
        [("报案人", False), ("姓名", False), (v.name, True), ("性别", False), (v.sex, True), ("出生日期", False), (d_cn(v.born), True)],
        [("", False), ("身份证件种类", False), ("居民身份证", True), ("证件号码", False), (v.id_no, True), ("", False), ("", False)],
        [("", False), ("工作单位", False), (v.job, True), ("联系方式", False), (v.phone, True), ("", False), ("", False)],
        [("", False), ("现住址", False), (v.address, True), ("", False), ("", False), ("", False), ("", False)],
    ]
    f.table(rows, [10, 14, 22, 12, 26, 12, 20])
    f.table([[("接报民警", False), (case.officers[0].name, True), ("接报时间", False), (dt_cn(t), True),
              ("接报方式", False), (rng.choice(["来所报案", "110指令", "电话报案"]), True)]], [12, 14, 12, 30, 12, 20])
    f.table([[("接报地点", False), (case.station, True)]], [12, 90])
    f.table([[("简要案情或者报案记录（发案时间、地点、简要过程、涉案人基本情况、受害情况等）以及是否接受证据：", False)],
             [(report_text(case), True)]], [1], min_h=10)
    f.table([[("受案意见", False), ("☑属于本单位管辖的刑事案件，建议及时立案侦查", True)],
             [("受案审批", False), ("受案部门负责人：" + case.officers[3].name + "  " + d_cn(t.date()), True)]], [12, 90])
    f.para("一式两份，一份留存，一份附卷。", size=f.s.size * 0.8)
    return Doc("case_acceptance_form", "受案登记表", t.replace(hour=0, minute=0), False, number, case.bureau, [v.name], f.pages)


def filing_decision(case: Case, rng: random.Random) -> Doc:
    f = Flow(form_style(rng), rng)
    number = case.number("立")
    _instrument_head(f, case, case.bureau, "立案决定书", number, rng)
    f.para([("根据《中华人民共和国刑事诉讼法》第一百零九条之规定，决定对", False), (case.case_name, True), ("立案侦查。", False)], first=2)
    _sign_off(f, case.bureau, case.filed.date(), rng)
    return Doc("case_filing_decision", "立案决定书", case.filed.replace(hour=0, minute=0), False, number, case.bureau,
               [p.name for p in case.suspects], f.pages)


def summons(case: Case, s: Person, t: datetime, rng: random.Random) -> Doc:
    f = Flow(form_style(rng), rng)
    number = case.number("传")
    _instrument_head(f, case, case.bureau, "传唤证", number, rng)
    f.para([("根据《中华人民共和国刑事诉讼法》第一百一十九条之规定，兹传唤涉嫌", False), (case.crime.charge, True),
            ("的犯罪嫌疑人", False), (s.name, True)] + _who(s, case) +
           [("于", False), (dt_cn(t, False), True), ("到", False), (case.unit, True), ("接受讯问。", False)], first=2)
    _sign_off(f, case.bureau, t.date(), rng)
    arrive = t + timedelta(minutes=rng.randint(0, 50))
    _receipt(f, rng, [
        [("本证已于", False), (dt_cn(t - timedelta(hours=2)), True), ("向我宣布。", False)],
        [("被传唤人：", False), (s.name, True)],
        [("被传唤人到达时间：", False), (dt_cn(arrive), True)],
        [("讯问结束时间：", False), (dt_cn(arrive + timedelta(hours=rng.randint(2, 6), minutes=rng.randint(0, 59))), True)],
    ])
    f.page.prints.append(Print(f.s.left + 60, f.y - 20))
    return Doc("summons_warrant", "传唤证", t.replace(hour=0, minute=0), False, number, case.bureau, [s.name], f.pages)


RIGHTS = [
    "根据《中华人民共和国刑事诉讼法》的规定，在公安机关对案件进行侦查期间，犯罪嫌疑人有如下诉讼权利和义务：",
    "1．不通晓当地语言文字的犯罪嫌疑人有权要求配备翻译人员，有权用本民族语言文字进行诉讼。",
    "2．对于公安机关及其侦查人员侵犯其诉讼权利和人身侮辱的行为，有权提出申诉或者控告。",
    "3．对于侦查人员、鉴定人、记录人、翻译人员有下列情形之一的，有权申请他们回避：是本案的当事人或者是当事人的近亲属的；"
    "本人或者他的近亲属和本案有利害关系的；担任过本案的证人、鉴定人、辩护人、诉讼代理人的；与本案当事人有其他关系，可能影响公正处理案件的。",
    "4．自接受第一次讯问或者被采取强制措施之日起，有权委托律师作为辩护人。经济困难或者有其他原因没有委托辩护人的，"
    "可以向法律援助机构提出申请。",
    "5．在接受传唤、拘传、讯问时，有权要求饮食和必要的休息时间。",
    "6．对于采取强制措施超过法定期限的，有权要求解除强制措施。",
    "7．对于侦查人员的讯问，应当如实回答。但是对与本案无关的问题，有拒绝回答的权利。如实供述自己罪行的，可以从轻处罚；"
    "因如实供述自己罪行，避免特别严重后果发生的，可以减轻处罚。",
    "8．核对讯问笔录的权利，笔录记载有遗漏或者差错，可以提出补充或者改正；没有阅读能力的，侦查人员应当向其宣读。",
    "9．未满十八周岁的犯罪嫌疑人在接受讯问时有要求通知其法定代理人到场的权利。",
    "10．聋、哑的犯罪嫌疑人在接受讯问时有要求通晓聋、哑手势的人员参加的权利。",
    "11．公安机关送交鉴定的鉴定意见，犯罪嫌疑人可以申请补充鉴定或者重新鉴定。",
    "12．接受传唤时不得拒绝，应当按时到案；被取保候审、监视居住的，应当遵守有关规定。",
]


def rights_notice(case: Case, s: Person, t: datetime, style: Style, rng: random.Random) -> Doc:
    """The same pre-printed two-sided form for every suspect; the back has no title."""
    f = Flow(style, rng)
    f.centered([(case.bureau, False)], size=style.size * 1.15)
    f.gap(1)
    f.title("犯罪嫌疑人诉讼权利义务告知书", after=5)
    for para in RIGHTS:
        f.para(para, first=2)
    if len(f.pages) == 1 and rng.random() < 0.6:
        f.new_page()  # printed on both sides: the signatures are on the back
    f.gap(6)
    f.para([("以上内容已向我宣读，我已知悉。", True)], first=2)
    f.para([("犯罪嫌疑人：", False), (s.name, True), ("      告知人：", False), (f"{case.officers[0].name}、{case.officers[1].name}", True)], first=2)
    f.page.prints.append(Print(f.s.left + 55, f.y - 6))
    f.para([("告知时间：", False), (dt_cn(t), True)], first=2)
    return Doc("rights_notice", "犯罪嫌疑人诉讼权利义务告知书", t.replace(hour=0, minute=0), False, None, case.bureau, [s.name], f.pages)


def detention_warrant(case: Case, s: Person, t: datetime, rng: random.Random) -> Doc:
    f = Flow(form_style(rng), rng)
    number = case.number("拘")
    _instrument_head(f, case, case.bureau, "拘留证", number, rng)
    f.para([("根据《中华人民共和国刑事诉讼法》第八十二条之规定，兹决定对犯罪嫌疑人", False), (s.name, True)] + _who(s, case) +
           [("执行拘留，送", False), (case.jail, True), ("羁押。", False)], first=2)
    _sign_off(f, case.bureau, t.date(), rng, extra="局长 " + rng.choice(["（签章）", ""]))
    _receipt(f, rng, [
        [("本证已于", False), (dt_cn(t + timedelta(minutes=10)), True), ("向我宣布。", False)],
        [("被拘留人：", False), (s.name, True)],
        [("本证副本已收到，被拘留人", False), (s.name, True), ("已于", False), (dt_cn(t + timedelta(hours=2)), True), ("送至我所。", False)],
        [("接收民警：", False), (rng.choice(["刘", "赵", "何"]) + rng.choice(["晓", "振", "立"]) + rng.choice(["军", "华", "平"]), True),
         ("      看守所（印）", False)],
    ])
    f.page.prints.append(Print(f.s.left + 55, f.y - 28))
    return Doc("detention_warrant", "拘留证", t.replace(hour=0, minute=0), False, number, case.bureau, [s.name], f.pages)


def detention_notice(case: Case, s: Person, t: datetime, rng: random.Random) -> Doc:
    f = Flow(form_style(rng), rng)
    number = case.number("拘通")
    _instrument_head(f, case, case.bureau, "拘留通知书", number, rng)
    kin = rng.choice(["父亲", "母亲", "妻子", "哥哥"])
    f.para([(s.name + "的" + kin, True), ("：", False)])
    f.para([("根据《中华人民共和国刑事诉讼法》第八十五条之规定，我局已于", False), (dt_cn(t), True), ("将涉嫌", False),
            (case.crime.charge, True), ("的", False), (s.name, True), ("刑事拘留，现羁押在", False), (case.jail, True), ("。", False)], first=2)
    _sign_off(f, case.bureau, t.date(), rng)
    f.para([("注：看守所地址：", False), (case.county + "城关镇" + rng.choice(["环城北路", "工业园路"]) + f"{rng.randint(1, 99)}号", True)],
           size=f.s.size * 0.85)
    return Doc("detention_notice", "拘留通知书", t.replace(hour=0, minute=0), False, number, case.bureau, [s.name], f.pages)


def _bio(s: Person, case: Case) -> str:
    return (f"犯罪嫌疑人{s.name}，{s.sex}，{d_cn(s.born)}出生，公民身份号码{s.id_no}，{s.ethnic}，{s.edu}文化，{s.job}，"
            f"户籍所在地{s.household}，现住{s.address}。")


def _narrative(case: Case, title: str, kind: str, number: str, t: datetime, rng: random.Random, addressee: str,
               closing: str) -> list[PageSpec]:
    st = form_style(rng, size=form_style(rng).size * 0.95)
    f = Flow(st, rng, reserve=8)
    _instrument_head(f, case, case.bureau, title, number, rng)
    for s in case.suspects:
        f.para(_bio(s, case) + f"{d_cn((case.filed + timedelta(days=1)).date())}因涉嫌{case.crime.charge}被我局刑事拘留。", first=2)
    f.para(f"犯罪嫌疑人{case.suspects[0].name}涉嫌{case.crime.charge[:-1]}一案，由被害人{case.victims[0].name}于"
           f"{d_cn(case.reported.date())}报案至我局。我局经过审查，于{d_cn(case.filed.date())}立案侦查。"
           f"犯罪嫌疑人{case.suspects[0].name}于{d_cn((case.filed + timedelta(days=1)).date())}被抓获归案。", first=2)
    f.para("经依法侦查查明：", first=2)
    f.para(facts_sentence(case), first=2)
    f.para("认定上述事实的证据如下：", first=2)
    ev = ["被害人" + case.victims[0].name + "的陈述；", "证人" + "、".join(w.name for w in case.witnesses[:3]) + "的证言；" if case.witnesses else "现场监控录像；",
          "现场勘验笔录、辨认笔录；", "扣押清单及相关书证；", case.crime.appraisal + "意见；",
          "犯罪嫌疑人" + "、".join(s.name for s in case.suspects) + "的供述和辩解。"]
    for i, e in enumerate(ev, 1):
        f.para(f"{i}．{e}", first=2)
    f.para("上述犯罪事实清楚，证据确实、充分，足以认定。", first=2)
    f.para(closing, first=2)
    f.gap(4)
    f.para("此致", first=2)
    f.para(addressee)
    _sign_off(f, case.bureau, t.date(), rng, extra="局长 " + case.officers[3].name)
    f.para(f"附：1．本案卷宗{rng.randint(1, 3)}卷{rng.randint(80, 300)}页；2．犯罪嫌疑人现羁押于{case.jail}。", size=st.size * 0.85)
    n = len(f.pages)
    for i, page in enumerate(f.pages, 1):
        txt = f"第{i}页 共{n}页" if kind == "full" else f"- {i} -"
        y = st.height - st.bottom + 1
        page.runs.append(Run((st.width - text_width_mm(st.face, st.size * 0.8, txt)) / 2, y, txt, st.face, st.size * 0.8))
        page.lines.append(txt)
        page.printed_page = i
    return f.pages


def arrest_request(case: Case, t: datetime, rng: random.Random) -> Doc:
    number = case.number("提捕")
    pages = _narrative(case, "提请批准逮捕书", rng.choice(["full", "dash"]), number, t, rng, case.procuratorate + "：",
                       f"综上所述，犯罪嫌疑人{'、'.join(s.name for s in case.suspects)}的行为已触犯《中华人民共和国刑法》"
                       f"{case.crime.article}之规定，涉嫌{case.crime.charge}，可能判处徒刑以上刑罚，采取取保候审尚不足以防止发生社会危险性。"
                       f"依照《中华人民共和国刑事诉讼法》第八十一条、第八十七条之规定，特提请批准逮捕。")
    return Doc("arrest_request", "提请批准逮捕书", t.replace(hour=0, minute=0), False, number, case.bureau,
               [s.name for s in case.suspects], pages)


def prosecution_recommendation(case: Case, t: datetime, rng: random.Random) -> Doc:
    number = case.number("诉")
    pages = _narrative(case, "起诉意见书", rng.choice(["full", "dash"]), number, t, rng, case.procuratorate,
                       f"综上所述，犯罪嫌疑人{'、'.join(s.name for s in case.suspects)}的行为已触犯《中华人民共和国刑法》"
                       f"{case.crime.article}之规定，涉嫌{case.crime.charge}。依照《中华人民共和国刑事诉讼法》第一百六十二条之规定，"
                       f"现将此案移送审查起诉。")
    return Doc("prosecution_recommendation", "起诉意见书", t.replace(hour=0, minute=0), False, number, case.bureau,
               [s.name for s in case.suspects], pages)


def arrest_approval(case: Case, s: Person, req_no: str, t: datetime, rng: random.Random) -> Doc:
    f = Flow(form_style(rng), rng)
    number = f"{case.county[0]}检刑批捕〔{case.year}〕{rng.randint(10, 300)}号" if rng.random() < 0.6 else \
        f"{case.county[:2]}检捕决〔{case.year}〕Z{rng.randint(10, 300)}号"
    _instrument_head(f, case, case.procuratorate, "批准逮捕决定书", number, rng)
    f.para(case.bureau + "：")
    f.para([("你局于", False), (d_cn((t - timedelta(days=5)).date()), False), ("以", False), (req_no, False),
            ("提请批准逮捕书提请批准逮捕犯罪嫌疑人", False), (s.name, False), ("，经本院审查认为，该犯罪嫌疑人涉嫌", False),
            (case.crime.charge[:-1], False), ("犯罪，符合《中华人民共和国刑事诉讼法》第八十一条规定的逮捕条件，决定批准逮捕犯罪嫌疑人", False),
            (s.name, False), ("。请依法立即执行，并将执行情况在三日以内通知本院。", False)], first=2)
    _sign_off(f, case.procuratorate, t.date(), rng, upper=True)
    return Doc("arrest_approval", "批准逮捕决定书", t.replace(hour=0, minute=0), False, number, case.procuratorate, [s.name], f.pages)


def arrest_warrant(case: Case, s: Person, t: datetime, rng: random.Random) -> Doc:
    f = Flow(form_style(rng), rng)
    number = case.number("捕")
    _instrument_head(f, case, case.bureau, "逮捕证", number, rng)
    f.para([("根据《中华人民共和国刑事诉讼法》第八十条之规定，经", False), (case.procuratorate, True), ("批准，兹由我局侦查员", False),
            (f"{case.officers[0].name}、{case.officers[1].name}", True), ("对涉嫌", False), (case.crime.charge, True),
            ("的", False), (s.name, True)] + _who(s, case) + [("执行逮捕，送", False), (case.jail, True), ("羁押。", False)], first=2)
    _sign_off(f, case.bureau, t.date(), rng, extra="局长 （签章）")
    _receipt(f, rng, [
        [("本证已于", False), (dt_cn(t + timedelta(hours=1)), True), ("向我宣布。", False)],
        [("被逮捕人：", False), (s.name, True)],
    ])
    f.page.prints.append(Print(f.s.left + 50, f.y - 8))
    return Doc("arrest_warrant", "逮捕证", t.replace(hour=0, minute=0), False, number, case.bureau, [s.name], f.pages)


def arrest_notice(case: Case, s: Person, t: datetime, rng: random.Random) -> Doc:
    f = Flow(form_style(rng), rng)
    number = case.number("捕通")
    _instrument_head(f, case, case.bureau, "逮捕通知书", number, rng)
    f.para([(s.name + "的家属", True), ("：", False)])
    f.para([("根据《中华人民共和国刑事诉讼法》第九十三条之规定，我局已于", False), (dt_cn(t), True), ("将涉嫌", False),
            (case.crime.charge, True), ("的", False), (s.name, True), ("执行逮捕，现羁押在", False), (case.jail, True), ("。", False)], first=2)
    _sign_off(f, case.bureau, t.date(), rng)
    return Doc("arrest_notice", "逮捕通知书", t.replace(hour=0, minute=0), False, number, case.bureau, [s.name], f.pages)


def bail_decision(case: Case, s: Person, t: datetime, rng: random.Random) -> Doc:
    f = Flow(form_style(rng), rng)
    number = case.number("取保")
    _instrument_head(f, case, case.bureau, "取保候审决定书", number, rng)
    f.para([("犯罪嫌疑人", False), (s.name, True)] + _who(s, case)[:-1] + [("，单位及职业", False), (s.job, True), ("）。", False)], first=2)
    f.para([("我局正在侦查", False), (case.case_name, True), ("，因犯罪嫌疑人", False), (s.name, True),
            ("可能判处有期徒刑以上刑罚，采取取保候审不致发生社会危险性，根据《中华人民共和国刑事诉讼法》第六十七条之规定，决定对其取保候审，期限从",
             False), (d_cn(t.date()), True), ("起算。犯罪嫌疑人应当接受保证人", False), (rng.choice(["王", "李"]) + "某某", True),
            ("的监督 / 交纳保证金（大写）", False), (rng.choice(["叁仟元整", "伍仟元整", "贰万元整"]), True), ("。", False)], first=2)
    f.para("取保候审期间，被取保候审人应当遵守以下规定：（一）未经执行机关批准不得离开所居住的市、县；（二）住址、工作单位和联系方式发生变动的，"
           "在二十四小时以内向执行机关报告；（三）在传讯的时候及时到案；（四）不得以任何形式干扰证人作证；（五）不得毁灭、伪造证据或者串供。", first=2)
    _sign_off(f, case.bureau, t.date(), rng)
    return Doc("bail_decision", "取保候审决定书", t.replace(hour=0, minute=0), False, number, case.bureau, [s.name], f.pages)


def surveillance_decision(case: Case, s: Person, t: datetime, rng: random.Random) -> Doc:
    f = Flow(form_style(rng), rng)
    number = case.number("监居")
    _instrument_head(f, case, case.bureau, "监视居住决定书", number, rng)
    f.para([("犯罪嫌疑人", False), (s.name, True)] + _who(s, case), first=2)
    f.para([("我局正在侦查", False), (case.case_name, True), ("，根据《中华人民共和国刑事诉讼法》第七十四条之规定，决定对犯罪嫌疑人", False),
            (s.name, True), ("在", False), (s.address, True), ("监视居住，由", False), (case.station, True), ("负责执行，监视居住期限从", False),
            (d_cn(t.date()), True), ("起算。", False)], first=2)
    f.para("在监视居住期间，被监视居住人应当遵守下列规定：（一）未经执行机关批准不得离开执行监视居住的处所；（二）未经执行机关批准不得会见他人或者通信；"
           "（三）在传讯的时候及时到案；（四）不得以任何形式干扰证人作证；（五）不得毁灭、伪造证据或者串供；（六）将护照等出入境证件、身份证件、驾驶证件交执行机关保存。", first=2)
    _sign_off(f, case.bureau, t.date(), rng)
    return Doc("residential_surveillance", "监视居住决定书", t.replace(hour=0, minute=0), False, number, case.bureau, [s.name], f.pages)


def search_warrant(case: Case, s: Person, t: datetime, rng: random.Random) -> Doc:
    f = Flow(form_style(rng), rng)
    number = case.number("搜")
    _instrument_head(f, case, case.bureau, "搜查证", number, rng)
    f.para([("根据《中华人民共和国刑事诉讼法》第一百三十八条之规定，兹派我局侦查员", False),
            (f"{case.officers[0].name}、{case.officers[1].name}", True), ("，对", False), (s.name, True), ("的", False),
            (rng.choice(["住处", "租住房屋", "身体及随身物品"]) + "（" + s.address + "）", True), ("进行搜查。", False)], first=2)
    _sign_off(f, case.bureau, t.date(), rng, extra="局长 （签章）")
    _receipt(f, rng, [[("本证已于", False), (dt_cn(t + timedelta(minutes=30)), True), ("向我宣布。", False)],
                      [("被搜查人或其家属：", False), (s.name, True)]])
    return Doc("search_warrant", "搜查证", t.replace(hour=0, minute=0), False, number, case.bureau, [s.name], f.pages)


def seizure_decision(case: Case, s: Person, t: datetime, number: str, rng: random.Random) -> Doc:
    f = Flow(form_style(rng), rng)
    _instrument_head(f, case, case.bureau, "扣押决定书", number, rng)
    f.para([("根据《中华人民共和国刑事诉讼法》第一百四十一条之规定，我局决定扣押", False), (s.name, True),
            ("的下列财物、文件：", False)], first=2)
    for i, (n, q, feat, _) in enumerate(case.crime.items, 1):
        f.para([(f"{i}．", False), (f"{n}{q}（{feat}）", True)], first=2)
    f.para("（详见扣押清单）", first=2)
    _sign_off(f, case.bureau, t.date(), rng)
    return Doc("seizure_decision", "扣押决定书", t.replace(hour=0, minute=0), False, number, case.bureau, [s.name], f.pages)


def appraisal_engagement(case: Case, t: datetime, rng: random.Random) -> Doc:
    f = Flow(form_style(rng), rng)
    number = case.number("鉴聘")
    _instrument_head(f, case, case.bureau, "鉴定聘请书", number, rng)
    c = case.crime
    subject = case.victims[0].name + "的损伤程度" if c.code == "injury" else "本案" + ("涉案物品的价格" if c.code == "theft" else "扣押手机内的电子数据")
    f.para([(c.appraiser, True), ("：", False)])
    f.para([("为了查明", False), (case.case_name, True), ("，根据《中华人民共和国刑事诉讼法》第一百四十六条之规定，特聘请你单位对", False),
            (subject, True), ("进行", False), (c.appraisal.replace("涉案物品", ""), True), ("。请于", False),
            (d_cn((t + timedelta(days=15)).date()), True), ("前将鉴定意见和鉴定人员资质证明材料送交我局。", False)], first=2)
    _sign_off(f, case.bureau, t.date(), rng)
    persons = [case.victims[0].name] if c.code == "injury" else [case.suspects[0].name]
    return Doc("appraisal_engagement", "鉴定聘请书", t.replace(hour=0, minute=0), False, number, case.bureau, persons, f.pages)


def appraisal_notice(case: Case, p: Person, t: datetime, rng: random.Random) -> Doc:
    f = Flow(form_style(rng), rng)
    number = case.number("鉴通")
    _instrument_head(f, case, case.bureau, "鉴定意见通知书", number, rng)
    c = case.crime
    f.para([(p.name, True), ("：", False)])
    f.para([("我局聘请", False), (c.appraiser, True), ("对", False), (case.case_name + "相关事项", True), ("进行了", False),
            (c.appraisal, True), ("。鉴定意见是", False), (c.opinion, True),
            ("。如果你对该鉴定意见有异议，可以提出补充鉴定或者重新鉴定的申请。", False)], first=2)
    _sign_off(f, case.bureau, t.date(), rng)
    _receipt(f, rng, [[("本通知书已收到。", False)], [("被告知人：", False), (p.name, True), ("   ", False), (dt_cn(t + timedelta(hours=3)), True)]])
    return Doc("appraisal_notice", "鉴定意见通知书", t.replace(hour=0, minute=0), False, number, case.bureau, [p.name], f.pages)


def detention_extension(case: Case, s: Person, t: datetime, rng: random.Random) -> Doc:
    f = Flow(form_style(rng), rng)
    f.centered([(case.bureau, False)], size=f.s.size * 1.2)
    f.title(spaced("提请延长拘留期限审批表", rng, 0.2), after=4)
    rows = [
        [("犯罪嫌疑人", False), (s.name, True), ("性别", False), (s.sex, True), ("出生日期", False), (d_cn(s.born), True)],
        [("涉嫌罪名", False), (case.crime.charge, True), ("拘留时间", False), (dt_cn(t - timedelta(days=2)), True), ("", False), ("", False)],
        [("延长理由", False), ("犯罪嫌疑人有结伙作案重大嫌疑，案情复杂，需进一步查证，根据《中华人民共和国刑事诉讼法》第九十一条第二款之规定，"
                           "提请将提请审查批准的时间延长至三十日。", True), ("", False), ("", False), ("", False), ("", False)],
        [("办案单位意见", False), ("建议延长。" + case.officers[0].name + " " + d_cn(t.date()), True), ("", False), ("", False), ("", False), ("", False)],
        [("审核意见", False), ("同意。" + case.officers[3].name, True), ("", False), ("", False), ("", False), ("", False)],
        [("领导批示", False), ("同意延长至三十日。", True), ("", False), ("", False), ("", False), ("", False)],
    ]
    f.table(rows, [14, 20, 10, 18, 12, 20], min_h=12)
    return Doc("detention_extension", "提请延长拘留期限审批表", t.replace(hour=0, minute=0), False, None, case.bureau, [s.name], f.pages)


# ---------------------------------------------------------------------------------------------
# records (笔录): header, Q&A, closing, per-page signature and footer


def _finish_record(f: Flow, signer_label: str, signer: str, rng: random.Random, footer: str, with_print: bool = True) -> None:
    n = len(f.pages)
    st = f.s
    for i, page in enumerate(f.pages, 1):
        y = st.height - st.bottom - f.reserve + 3
        label_w = text_width_mm(st.face, st.size, signer_label)
        x = st.width - st.right - label_w - text_width_mm("kai", st.size, signer) - rng.uniform(5, 20)
        page.runs.append(Run(x, y, signer_label, st.hand_face if st.handwritten else st.face, st.size))
        page.runs.append(Run(x + label_w, y + rng.uniform(-0.5, 0.5), signer, "kai", st.size * 1.05, hand=True))
        if with_print:
            page.prints.append(Print(x + label_w + 14, y + 2))
        page.lines.append(signer_label + signer)
        if footer != "none":
            txt = f"第 {i} 页 共 {n} 页" if footer == "full" else f"第{i}页"
            size = st.size * 0.85
            page.runs.append(Run((st.width - text_width_mm(st.face, size, txt)) / 2, st.height - st.bottom + 4, txt, st.face, size))
            page.lines.append(txt)
            page.printed_page = i


def _qa(f: Flow, turns: list[tuple[str, str]]) -> None:
    hand = f.s.handwritten
    for q, a in turns:
        f.para([("问：", False), (q, hand)], underline_hand=False)
        f.para([("答：", False), (a, hand)], underline_hand=False)


def interrogation(case: Case, s: Person, n: int, t: datetime, rng: random.Random, turns_scale: float = 1.0, extra: int = 0) -> Doc:
    hand = rng.random() < 0.3
    st = record_style(rng, hand)
    f = Flow(st, rng, reserve=12)
    unit = case.unit
    title = rng.choice(["讯问笔录", "讯 问 笔 录", "讯问笔录"])
    f.title(title, after=1)
    nth = rng.choice(["（第{}次）", "第{}次", "（第 {} 次讯问）"]).format(ORDINAL[n] if rng.random() < 0.6 else n)
    f.centered([(nth, st.handwritten)])
    end = t + timedelta(hours=rng.randint(1, 3), minutes=rng.randint(0, 59))
    f.fields([("时间", f"{dt_cn(t)}至{dt_cn(end) if end.date() != t.date() else str(end.hour) + '时' + str(end.minute) + '分'}")])
    room = rng.choice([f"{case.jail}第{rng.randint(1, 6)}提讯室", f"{case.unit}办案区讯问室", f"{case.bureau}执法办案中心第{rng.randint(1, 4)}讯问室"])
    if n == 1 and rng.random() < 0.5:
        room = f"{case.unit}办案区讯问室"
    f.fields([("地点", room)])
    o1, o2 = case.officers[0].name, case.officers[1].name
    f.fields([("侦查员（签名）", f"{o1}、{o2}"), ("工作单位", unit)])
    f.fields([("记录员（签名）", o2), ("工作单位", unit)])
    f.fields([("犯罪嫌疑人", s.name), ("性别", s.sex), ("年龄", str(s.age(t.date()))), ("出生日期", d_cn(s.born))])
    f.fields([("身份证件种类及号码", "居民身份证 " + s.id_no)])
    if n == 1 or rng.random() < 0.5:
        f.fields([("现住址", s.address), ("联系方式", s.phone)])
        f.fields([("户籍所在地", s.household)])
    if n == 1:
        f.fields([("（口头传唤/被扭送/自动投案的犯罪嫌疑人到达时间", f"{t.month}月{t.day}日{max(0, t.hour - 1)}时{t.minute}分"), ("离开时间", "/ ）")])
    f.gap(2)
    turns = interrogation_turns(case, s, n, rng, unit, extra)
    k = max(3, int(len(turns) * turns_scale))
    turns = turns[: k - 2] + turns[-2:] if k < len(turns) else turns + turns[1:2] * 0
    _qa(f, turns)
    f.gap(3)
    f.para([(rng.choice(["以上笔录我看过，和我说的一样。", "以上笔录我已看过，与我说的相符。", "以上笔录已向我宣读，和我说的一样。"]), 2)], first=2,
           underline_hand=False)
    f.para([("犯罪嫌疑人：", False), (s.name, 2), ("  ", False), (d_cn(end.date()), 2)], first=6, underline_hand=False)
    f.para([("侦查员：", False), (f"{o1}  {o2}", 2), ("    记录员：", False), (o2, 2)], first=6, underline_hand=False)
    _finish_record(f, "犯罪嫌疑人：", s.name, rng, rng.choice(["full", "full", "page", "none"]) if not hand else rng.choice(["full", "none"]))
    return Doc("interrogation_record", title.replace(" ", ""), t, True, None, unit, [s.name], f.pages)


def statement(case: Case, p: Person, role: str, n: int, t: datetime, rng: random.Random, turns_scale: float = 1.0) -> Doc:
    hand = rng.random() < 0.3
    st = record_style(rng, hand)
    f = Flow(st, rng, reserve=12)
    unit = rng.choice([case.unit, case.station])
    label = "被害人" if role == "victim" else "证人"
    style = rng.random()
    if style < 0.3:
        title = rng.choice([f"询问笔录（{label}）", f"询问笔录 （{label}）", f"询 问 笔 录({label})"])
        role_sentence = False
    else:
        title = rng.choice(["询问笔录", "询 问 笔 录", "询问笔录"])
        role_sentence = True  # the role shows only in one answer of the first page
    f.title(title, after=1)
    if n > 1:
        f.centered([(f"（第{ORDINAL[n]}次）", st.handwritten)])
    end = t + timedelta(minutes=rng.randint(35, 150))
    f.fields([("时间", f"{dt_cn(t)}至{end.hour}时{end.minute}分")])
    f.fields([("地点", rng.choice([case.station + "询问室", case.unit + "办公室", p.address]))])
    o1, o2 = case.officers[1].name, case.officers[2].name
    f.fields([("询问人（签名）", f"{o1}、{o2}"), ("工作单位", unit)])
    f.fields([("记录人（签名）", o2), ("工作单位", unit)])
    f.fields([("被询问人", p.name), ("性别", p.sex), ("年龄", str(p.age(t.date()))), ("出生日期", d_cn(p.born))])
    f.fields([("身份证件种类及号码", "居民身份证 " + p.id_no)])
    f.fields([("现住址", p.address), ("联系方式", p.phone)])
    f.fields([("户籍所在地", p.household)])
    f.gap(2)
    turns = statement_turns(case, p, role, n, rng, unit, role_sentence)
    k = max(3, int(len(turns) * turns_scale))
    turns = turns[: k - 1] + turns[-1:] if k < len(turns) else turns
    _qa(f, turns)
    f.gap(3)
    f.para([(rng.choice(["以上笔录我看过，和我说的一样。", "以上笔录我看过，与我讲的一致。"]), 2)], first=2, underline_hand=False)
    f.para([("被询问人：", False), (p.name, 2), ("  ", False), (d_cn(end.date()), 2)], first=6, underline_hand=False)
    f.para([("询问人：", False), (f"{o1}  {o2}", 2), ("    记录人：", False), (o2, 2)], first=6, underline_hand=False)
    _finish_record(f, "被询问人：", p.name, rng, rng.choice(["full", "full", "page", "none"]))
    typ = "victim_statement" if role == "victim" else "witness_statement"
    return Doc(typ, title.replace(" ", ""), t, True, None, unit, [p.name], f.pages)


def identification(case: Case, p: Person, target: Person, t: datetime, rng: random.Random) -> Doc:
    st = record_style(rng, rng.random() < 0.25)
    f = Flow(st, rng, reserve=12)
    f.title(spaced("辨认笔录", rng), after=3)
    end = t + timedelta(minutes=rng.randint(15, 40))
    unit = case.unit
    f.fields([("时间", f"{dt_cn(t)}至{end.hour}时{end.minute}分")])
    f.fields([("地点", case.unit + "辨认室")])
    f.fields([("侦查人员姓名、单位", f"{case.officers[0].name}、{case.officers[1].name}  {unit}")])
    f.fields([("记录人姓名、单位", f"{case.officers[1].name}  {unit}")])
    f.fields([("辨认人", p.name), ("性别", p.sex), ("出生日期", d_cn(p.born))])
    witness = rng.choice(["张", "陈", "罗"]) + rng.choice(["国", "小", "玉"]) + rng.choice(["强", "芳", "林"])
    f.fields([("见证人", witness), ("住址", case.county + rng.choice(["城关镇", "白沙镇"]) + "居民")])
    f.fields([("辨认对象", "犯罪嫌疑人照片")])
    f.gap(2)
    k = rng.randint(3, 12)
    f.para([("辨认目的、过程和结果：", False)])
    f.para([(f"为查明作案人员，侦查人员组织{p.name}对犯罪嫌疑人进行照片辨认。辨认前，侦查人员向辨认人告知了辨认的要求及有意作虚假辨认应负的法律责任，"
             f"并询问了辨认人对作案人员特征的描述。侦查人员将包括犯罪嫌疑人{target.name}在内的十二张{'男' if target.sex == '男' else '女'}性正面免冠照片"
             f"混杂在一起，随机编为1至12号，交由辨认人在见证人{witness}的见证下独立进行辨认。", st.handwritten)], first=2, underline_hand=False)
    f.para([(f"经仔细辨认，辨认人{p.name}指认出第{k}号照片上的人就是{dt_cn(case.occurred, False)}许在{case.crime.scene}作案的人。"
             f"经查，第{k}号照片上的人为犯罪嫌疑人{target.name}。", st.handwritten)], first=2, underline_hand=False)
    f.para([("（附：辨认照片一页）", False)], first=2)
    f.gap(4)
    f.para([("辨认人：", False), (p.name, 2), ("   见证人：", False), (witness, 2)], first=4, underline_hand=False)
    f.para([("侦查人员：", False), (f"{case.officers[0].name}  {case.officers[1].name}", True), ("   记录人：", False), (case.officers[1].name, True)],
           first=4, underline_hand=False)
    if rng.random() < 0.6:
        _photo_sheet(f, rng, k, p.name)
    _finish_record(f, "辨认人：", p.name, rng, rng.choice(["full", "none"]), with_print=False)
    return Doc("identification_record", "辨认笔录", t, True, None, unit, [p.name], f.pages)


def _photo_sheet(f: Flow, rng: random.Random, picked: int, who: str) -> None:
    """The attached sheet of twelve numbered face photographs, the picked one marked by hand."""
    f.new_page()
    f.centered([(rng.choice(["辨认照片", "附：辨认照片", "照片辨认附页"]), False)], size=f.s.size * 1.1)
    f.gap(3)
    cols = 4
    usable = f.s.width - f.s.left - f.s.right
    w = usable / cols - 6
    h = w * 1.3
    for row in range(3):
        f.need(h + 12)
        top = f.y
        caps = []
        for c in range(cols):
            n = row * cols + c + 1
            x = f.s.left + c * (usable / cols) + 3
            f.page.boxes.append(Box(x, top, w, h, shade=rng.randint(120, 185)))
            cap = f"{n}号"
            f.page.runs.append(Run(x + w / 2 - 3, top + h + 1.5, cap, f.s.face, f.s.size * 0.85))
            caps.append(cap)
            if n == picked:
                f.page.rules.append(Rule(x - 1.5, top - 1.5, x + w + 1.5, top - 1.5, 0.5))
                f.page.rules.append(Rule(x - 1.5, top + h + 1.5, x + w + 1.5, top + h + 1.5, 0.5))
        f.page.lines.append(" ".join(caps))
        f.y = top + h + f.s.size * 2.2
    f.para([(f"经辨认，第{picked}号照片上的人就是作案人。", 2), ("  辨认人：", False), (who, 2)], first=2, underline_hand=False)


def _scene_sketch(f: Flow, case: Case, rng: random.Random) -> None:
    """A plan of the scene on its own sheet: outlines, a few labels, the north arrow."""
    f.new_page()
    f.centered([(rng.choice(["现场平面示意图", "现场方位示意图"]), False)], size=f.s.size * 1.2)
    f.gap(4)
    x0, y0 = f.s.left + 10, f.y + 8
    W, H = f.s.width - f.s.left - f.s.right - 20, 110.0
    rules = f.page.rules
    for a, b, c, d in [(x0, y0, x0 + W, y0), (x0 + W, y0, x0 + W, y0 + H), (x0, y0 + H, x0 + W, y0 + H), (x0, y0, x0, y0 + H)]:
        rules.append(Rule(a, b, c, d, 0.6))
    rules.append(Rule(x0 + W * 0.35, y0 + H, x0 + W * 0.65, y0 + H, 1.4))  # the door
    f.page.boxes.append(Box(x0 + 6, y0 + 8, W * 0.25, 14, shade=235))
    f.page.boxes.append(Box(x0 + W - W * 0.3, y0 + 10, W * 0.25, H * 0.5, shade=225))
    labels = [("N↑", x0 + W - 8, y0 - 8), ("收银台" if case.crime.code != "injury" else "店铺", x0 + 8, y0 + 11),
              ("货架" if case.crime.code != "injury" else "血迹", x0 + W - W * 0.28, y0 + 20),
              ("卷帘门" if case.crime.code != "injury" else "人行道", x0 + W * 0.42, y0 + H + 3)]
    for t, x, y in labels:
        f.page.runs.append(Run(x, y, t, f.s.face, f.s.size * 0.9))
    f.page.lines.extend(t for t, _, _ in sorted(labels, key=lambda l: (l[2], l[1])))
    f.y = y0 + H + 14
    f.para([("比例：1:100    制图人：", False), (case.officers[2].name, 2), ("    制图时间：", False), (d_cn(case.reported.date()), 2)],
           underline_hand=False)


def electronic_data(case: Case, t: datetime, rng: random.Random) -> Doc:
    st = record_style(rng, False)
    f = Flow(st, rng, reserve=12)
    title = rng.choice(["电子数据提取笔录", "电子数据现场提取笔录", "电 子 数 据 提 取 笔 录"])
    f.title(title, after=3)
    end = t + timedelta(minutes=rng.randint(30, 80))
    fraud = case.crime.code == "fraud"
    owner = case.suspects[0] if fraud else case.victims[0]
    f.fields([("时间", f"{dt_cn(t)}至{end.hour}时{end.minute}分")])
    f.fields([("地点", case.unit + "电子数据实验室" if fraud else case.crime.scene)])
    f.fields([("侦查人员姓名、单位", f"{case.officers[0].name}、{case.officers[2].name}  {case.unit}")])
    f.fields([("电子数据持有人", owner.name), ("见证人", rng.choice(["邹", "卢"]) + rng.choice(["国", "海"]) + rng.choice(["华", "平"]))])
    what = "扣押的苹果牌手机一部" if fraud else f"{case.crime.scene}内的硬盘录像机"
    f.fields([("提取对象", what)])
    f.gap(2)
    f.para(f"侦查人员使用{rng.choice(['取证专用计算机', '手机取证系统', '只读U盘'])}对{what}中的电子数据进行提取。提取前检查设备工作正常，"
           f"提取过程全程录像。提取完成后计算文件的MD5校验值，并将提取的数据刻录光盘一张，封存备查。", first=2)
    rows = [[("序号", False), ("文件名称", False), ("大小", False), ("MD5校验值", False)]]
    for i in range(rng.randint(2, 4)):
        name = f"{'wechat_' if fraud else 'CH0'}{i + 1}_{case.occurred:%Y%m%d}{'.db' if fraud else '.mp4'}"
        md5 = "".join(rng.choice("0123456789abcdef") for _ in range(32))
        rows.append([(str(i + 1), False), (name, False), (f"{rng.randint(2, 900)}MB", False), (md5, False)])
    f.table(rows, [8, 30, 12, 50])
    f.para([("电子数据持有人：", False), (owner.name, 2), ("   侦查人员：", False), (f"{case.officers[0].name}  {case.officers[2].name}", 2)],
           first=2, underline_hand=False)
    _finish_record(f, "持有人：", owner.name, rng, rng.choice(["full", "none"]), with_print=rng.random() < 0.5)
    return Doc("electronic_data_record", title.replace(" ", ""), t, True, None, case.unit, [owner.name], f.pages)


def scene_inspection(case: Case, t: datetime, rng: random.Random) -> Doc:
    st = record_style(rng, False)
    f = Flow(st, rng, reserve=10)
    unit = case.bureau + rng.choice(["刑事科学技术室", "刑事侦查大队"])
    f.title(rng.choice(["现场勘验笔录", "现 场 勘 验 笔 录", "现场勘验检查笔录"]), after=3)
    no = f"K{rng.randint(10000, 99999)}{case.year}{rng.randint(10000, 99999):05d}"
    f.fields([("现场勘验号", no)])
    end = t + timedelta(hours=1, minutes=rng.randint(0, 50))
    f.fields([("勘验单位", unit)])
    f.fields([("指派/报告单位", "110指挥中心"), ("时间", dt_cn(case.reported))])
    f.fields([("勘验事由", case.crime.charge[:-1] + "案现场勘验")])
    f.fields([("现场勘验开始时间", dt_cn(t))])
    f.fields([("现场勘验结束时间", dt_cn(end))])
    f.fields([("现场地点", case.crime.scene)])
    f.fields([("现场保护情况", rng.choice(["报案人保护现场，未发现有人员进入", "派出所民警到达后拉设警戒带保护"]))])
    f.fields([("天气", rng.choice(["阴", "晴", "小雨"])), ("温度", f"{rng.randint(2, 33)}℃"), ("光照条件", rng.choice(["自然光", "灯光"]))])
    f.fields([("现场勘验利用的工具", "勘查箱、相机、多波段光源")])
    f.fields([("现场勘验指挥人", case.officers[3].name), ("单位", unit)])
    f.fields([("现场勘验情况", "")])
    c = case.crime
    body = [
        f"现场位于{c.scene}。该处东临{rng.choice(['一家药店', '居民住宅', '停车场'])}，西临{rng.choice(['小巷', '菜市场', '公交站台'])}，"
        f"南面为{rng.choice(['主干道', '河堤', '空地'])}，北面为居民楼。",
        "现场为一临街门面，坐北朝南，门面宽约四米，进深约八米，正门为电动卷帘门。" if c.code == "theft" else
        "现场为店门前人行道，地面为水泥地面，长约十二米，宽约三米。",
        "卷帘门底部左侧锁扣变形，距地面约五厘米处有新鲜撬压痕迹，痕迹宽约一点二厘米，提取撬压痕迹一处。" if c.code == "theft" else
        "距店门东侧约二米处地面有滴落状血迹一处，面积约十五厘米乘十厘米，用棉签提取血迹样本一份。",
        "室内货架被翻动，地面散落有纸盒等物品，收银台抽屉被拉开，内无现金。在收银台台面提取指纹两枚。" if c.code == "theft" else
        "在店门口西侧墙角发现木棍一根，长约八十厘米，一端有可疑血迹，予以提取。",
        f"现场勘验共拍摄照片{rng.randint(12, 40)}张，绘制现场方位图、平面示意图各一份，提取痕迹物证{rng.randint(2, 6)}件。",
    ]
    if rng.random() < 0.5:
        body.insert(3, "现场周边设有监控探头两处，已调取相关时段的监控录像。")
    for b in body:
        f.para(b, first=2)
    f.gap(4)
    f.para([("现场勘验人员：", False), (f"{case.officers[2].name}（技术员） {case.officers[0].name}（侦查员）", 2)], first=2, underline_hand=False)
    f.para([("现场勘验记录人员：", False), (case.officers[2].name, 2)], first=2, underline_hand=False)
    f.para([("见证人：", False), (rng.choice(["何", "罗", "谢"]) + rng.choice(["德", "春", "宏"]) + rng.choice(["贵", "生", "亮"]), 2)], first=2,
           underline_hand=False)
    if rng.random() < 0.5:
        _scene_sketch(f, case, rng)
    _finish_record(f, "勘验人：", case.officers[2].name, rng, rng.choice(["full", "page"]), with_print=False)
    return Doc("scene_inspection_record", "现场勘验笔录", t, True, None, unit, [], f.pages)


def search_record(case: Case, s: Person, t: datetime, warrant_no: str, rng: random.Random) -> Doc:
    st = record_style(rng, rng.random() < 0.35)
    f = Flow(st, rng, reserve=12)
    f.title(spaced("搜查笔录", rng), after=3)
    end = t + timedelta(minutes=rng.randint(30, 90))
    f.fields([("时间", f"{dt_cn(t)}至{end.hour}时{end.minute}分")])
    f.fields([("侦查人员姓名、单位", f"{case.officers[0].name}、{case.officers[1].name} {case.unit}")])
    f.fields([("记录人姓名、单位", f"{case.officers[1].name} {case.unit}")])
    f.fields([("被搜查人", s.name), ("性别", s.sex), ("出生日期", d_cn(s.born))])
    f.fields([("住址", s.address)])
    witness = rng.choice(["曾", "廖", "邹"]) + rng.choice(["凡", "丽", "永"]) + rng.choice(["清", "红", "福"])
    f.fields([("见证人", witness), ("住址", case.county + "城关镇")])
    f.fields([("搜查对象", s.name + "的住处")])
    f.gap(2)
    items = "、".join(n + q for n, q, *_ in case.crime.items)
    f.para([(f"侦查人员向被搜查人{s.name}出示了{case.bureau}{warrant_no}搜查证，在见证人{witness}的见证下，依法对{s.address}"
             f"进行了搜查。搜查从客厅开始，依次搜查了卧室、厨房、卫生间及阳台。", st.handwritten)], first=2, underline_hand=False)
    f.para([(f"在卧室衣柜内发现{items}，经被搜查人辨认系其{'作案所得' if case.crime.code == 'theft' else '作案所用'}。上述物品依法予以扣押，"
             f"另开具扣押清单。搜查过程中未损坏其他物品。", st.handwritten)], first=2, underline_hand=False)
    f.para([("搜查于", False), (dt_cn(end), st.handwritten), ("结束。", False)], first=2, underline_hand=False)
    f.gap(4)
    f.para([("被搜查人：", False), (s.name, 2), ("   见证人：", False), (witness, 2)], first=4, underline_hand=False)
    f.para([("侦查人员：", False), (f"{case.officers[0].name}  {case.officers[1].name}", True), ("   记录人：", False), (case.officers[1].name, True)],
           first=4, underline_hand=False)
    _finish_record(f, "被搜查人：", s.name, rng, rng.choice(["full", "none"]))
    return Doc("search_record", "搜查笔录", t, True, None, case.unit, [s.name], f.pages)


def seizure_list(case: Case, s: Person, t: datetime, number: str | None, rng: random.Random) -> Doc:
    st = form_style(rng)
    f = Flow(st, rng)
    f.centered([(case.bureau, False)], size=st.size * 1.2)
    f.title(spaced(rng.choice(["扣押清单", "扣押清单", "扣押物品清单"]), rng, 0.2), after=2)
    if number:
        f.right([(number, False)])
    f.gap(2)
    rows = [[("编号", False), ("名称", False), ("数量", False), ("特征", False), ("备注", False)]]
    for i, (n, q, feat, val) in enumerate(case.crime.items, 1):
        rows.append([(str(i), True), (n, True), (q, True), (feat, True), ("" if val == "/" else f"约{val}元", True)])
    rows.append([("以下空白", True), ("", False), ("", False), ("", False), ("", False)])
    f.table(rows, [8, 22, 10, 40, 16], min_h=9)
    f.gap(3)
    f.para([("持有人：", False), (s.name, 2), ("   见证人：", False), (rng.choice(["曾", "廖"]) + "某某", 2)], underline_hand=False)
    f.para([("保管人：", False), (case.officers[2].name, 2), ("   办案人：", False), (f"{case.officers[0].name}  {case.officers[1].name}", 2)],
           underline_hand=False)
    f.page.prints.append(Print(st.left + 42, f.y - 14))
    f.gap(4)
    _sign_off(f, case.bureau, t.date(), rng, upper=False)
    f.para("本清单一式三份，一份交持有人，一份交公安机关保管人员，一份附卷备查。", size=st.size * 0.8)
    return Doc("seizure_list", "扣押清单", t.replace(hour=0, minute=0), False, number, case.bureau, [s.name], f.pages)


# ---------------------------------------------------------------------------------------------
# 证据材料卷: reports, certificates, expert opinions, documentary evidence


def arrest_circumstances(case: Case, s: Person, t: datetime, rng: random.Random) -> Doc:
    st = form_style(rng)
    f = Flow(st, rng)
    title = rng.choice(["到案经过", "到 案 经 过", "抓获经过"])
    f.title(title, after=6)
    how = rng.choice([
        f"{dt_cn(t, True)}，我所民警在工作中通过调取{case.crime.scene}周边监控，发现犯罪嫌疑人{s.name}有重大作案嫌疑。"
        f"经蹲守，于当日在{s.address}附近将{s.name}抓获，并带回所内审查。",
        f"{dt_cn(t, True)}，犯罪嫌疑人{s.name}在其亲属陪同下到我所投案，如实供述了自己的犯罪事实。",
        f"{dt_cn(t, True)}，民警接群众举报，在{case.county}汽车站候车室将正准备外出的犯罪嫌疑人{s.name}口头传唤到所。",
    ])
    f.para(how, first=2)
    f.para(f"{s.name}到案后，对其涉嫌{case.crime.charge[:-1]}的事实供认不讳。", first=2)
    f.para("特此说明。", first=2)
    f.gap(10)
    f.right([("办案民警：", False), (f"{case.officers[0].name}  {case.officers[1].name}", True)], margin=8)
    _sign_off(f, case.unit, t.date(), rng, upper=False)
    return Doc("arrest_circumstances", title.replace(" ", ""), t.replace(hour=0, minute=0), False, None, case.unit, [s.name], f.pages)


def household(case: Case, s: Person, t: datetime, rng: random.Random) -> Doc:
    st = form_style(rng, face=rng.choice(["hei_sharp", "ming"]))
    f = Flow(st, rng)
    title = rng.choice(["常住人口信息表", "常住人口登记表", "户籍证明"])
    f.title(title, size=st.size * 1.5, after=4)
    rows = [
        [("姓名", False), (s.name, False), ("性别", False), (s.sex, False)],
        [("曾用名", False), (s.alias or "", False), ("民族", False), (s.ethnic, False)],
        [("出生日期", False), (d_cn(s.born), False), ("文化程度", False), (s.edu, False)],
        [("公民身份号码", False), (s.id_no, False), ("婚姻状况", False), (rng.choice(["未婚", "已婚", "离婚"]), False)],
        [("户籍地址", False), (s.household, False), ("", False), ("", False)],
        [("服务处所", False), (s.job, False), ("兵役状况", False), ("未服兵役", False)],
        [("何时由何地迁来本址", False), ("出生登记" if rng.random() < 0.7 else "2010年由外省迁入", False), ("", False), ("", False)],
    ]
    f.table(rows, [22, 45, 16, 25], min_h=10)
    f.para(f"打印单位：{case.station}    打印时间：{t:%Y-%m-%d %H:%M}", size=st.size * 0.85)
    if title == "户籍证明" or rng.random() < 0.4:
        f.para("以上信息与户籍档案一致，特此证明。", first=2)
        _sign_off(f, case.station, t.date(), rng, upper=False)
    return Doc("household_registration", title, t.replace(hour=0, minute=0), False, None, case.station, [s.name], f.pages)


def record_certificate(case: Case, s: Person, t: datetime, rng: random.Random) -> Doc:
    f = Flow(form_style(rng), rng)
    title = rng.choice(["违法犯罪记录证明", "无违法犯罪记录证明", "前科查询情况说明"])
    f.title(title, after=6)
    has = rng.random() < 0.3
    result = "曾于2019年因殴打他人被行政拘留十日" if has else "未发现有违法犯罪记录"
    f.para(f"经查询全国违法犯罪人员信息库，{s.name}（{s.sex}，公民身份号码：{s.id_no}）{result}。", first=2)
    f.para("特此证明。", first=2)
    f.para("（本证明仅用于办案，有效期三个月）", first=2, size=f.s.size * 0.85)
    _sign_off(f, case.station, t.date(), rng)
    return Doc("criminal_record_certificate", title, t.replace(hour=0, minute=0), False, None, case.station, [s.name], f.pages)


def forensic_opinion(case: Case, t: datetime, rng: random.Random) -> Doc:
    c = case.crime
    st = form_style(rng, size=form_style(rng).size * 0.92)
    f = Flow(st, rng, reserve=8)
    title = {"theft": rng.choice(["价格认定结论书", "价格鉴定意见书"]), "injury": rng.choice(["法医学人体损伤程度鉴定书", "鉴定意见书"]),
             "fraud": rng.choice(["电子数据鉴定意见书", "鉴定意见书"])}[c.code]
    number = f"{case.county[:2]}{'价认' if c.code == 'theft' else '公鉴'}〔{case.year}〕{rng.randint(10, 200)}号"
    f.centered([(c.appraiser, False)], size=st.size * 1.2)
    f.title(title, after=2)
    f.right([(number, False)])
    f.gap(2)
    f.para(f"委托单位：{case.bureau}", first=0)
    f.para(f"委托事项：{c.appraisal}", first=0)
    f.para(f"受理日期：{d_cn((t - timedelta(days=7)).date())}", first=0)
    subj = case.victims[0] if c.code == "injury" else case.suspects[0]
    if c.code == "injury":
        f.para(f"被鉴定人：{subj.name}，{subj.sex}，{subj.age(t.date())}岁，身份证号{subj.id_no}。", first=0)
    f.para("一、基本案情", first=0)
    f.para(facts_sentence(case).split("经")[0], first=2)
    f.para("二、检验过程", first=0)
    if c.code == "injury":
        f.para(f"{d_cn((t - timedelta(days=5)).date())}对被鉴定人进行活体检验：神志清楚，步入检验室，对答切题。头顶部见长约6.5厘米缝合创口，"
               "左前臂见皮下出血，范围约5厘米乘3厘米。审阅县人民医院病历资料及头颅CT片，示左顶骨线形骨折。", first=2)
    elif c.code == "theft":
        for n, q, feat, val in c.items:
            f.para(f"{n}{q}（{feat}），经市场调查，认定价格为人民币{val}元。", first=2)
    else:
        f.para("对送检的苹果牌手机一部进行检验，使用取证设备提取其中的微信聊天记录、通话记录及手机银行转账截图，并计算校验值。", first=2)
    f.para("三、分析说明", first=0)
    f.para("根据检验所见，结合送检材料，依据相关标准进行综合分析，得出如下意见。", first=2)
    f.para("四、鉴定意见", first=0)
    f.para(c.opinion + "。", first=2)
    f.gap(6)
    f.right([("鉴定人：", False), (f"{rng.choice(['主检法医师', '鉴定人员', '价格鉴定师'])} {rng.choice(['胡', '龚', '韦'])}{rng.choice(['文', '晓', '明'])}{rng.choice(['杰', '丽', '峰'])}", True)], margin=10)
    _sign_off(f, c.appraiser, t.date(), rng)
    n = len(f.pages)
    for i, page in enumerate(f.pages, 1):
        if n > 1:
            txt = f"第{i}页 共{n}页"
            page.runs.append(Run(st.width - st.right - 30, st.height - st.bottom + 2, txt, st.face, st.size * 0.8))
            page.lines.append(txt)
            page.printed_page = i
    return Doc("forensic_opinion", title, t.replace(hour=0, minute=0), False, number, c.appraiser,
               [subj.name] if c.code == "injury" else [], f.pages)


def documentary(case: Case, t: datetime, rng: random.Random) -> Doc:
    c = case.crime
    st = form_style(rng, face="hei_sharp", size=form_style(rng).size * 0.8)
    f = Flow(st, rng)
    v = case.victims[0]
    if c.code == "fraud":
        st.width, st.height = 297.0, 210.0  # printed landscape by the bank
        f = Flow(st, rng)
        author = f"中国农业银行{case.county}支行"
        title = "中国农业银行账户交易明细"
        f.title(title, size=st.size * 1.5, after=3)
        f.para(f"户名：{v.name}    账号：6228 48{rng.randint(10, 99)} {rng.randint(1000, 9999)} {rng.randint(1000, 9999)} {rng.randint(100, 999)}")
        f.para(f"查询期间：{case.occurred:%Y-%m-%d} 至 {case.occurred + timedelta(days=3):%Y-%m-%d}    打印日期：{t:%Y-%m-%d}")
        printed = t
        rows = [[("交易日期", False), ("交易时间", False), ("摘要", False), ("交易金额", False), ("余额", False), ("对方户名", False)]]
        bal = c.loss + rng.randint(1000, 9000)
        left = c.loss
        for i in range(5):
            amt = left if i == 4 else rng.randint(1, max(1, left // 1000 - (4 - i))) * 1000
            amt = min(amt, left)
            left -= amt
            bal -= amt
            tt = case.occurred + timedelta(minutes=13 * i + 5)
            rows.append([(f"{tt:%Y%m%d}", False), (f"{tt:%H:%M:%S}", False), ("网银转出", False), (f"-{amt:.2f}", False), (f"{bal:.2f}", False),
                         (rng.choice(["李某", "陈某某", "周某"]), False)])
        f.table(rows, [18, 16, 14, 16, 16, 16])
        persons = [v.name]
    elif c.code == "theft":
        title = "增值税普通发票"
        bought = next((it for it in c.items if it[0] not in ("现金", "香烟")), c.items[0])
        f.title(title, size=st.size * 1.5, after=3)
        printed = datetime(case.year - 1, rng.randint(1, 12), rng.randint(1, 28))
        f.para(f"发票代码：0440{rng.randint(10000000, 99999999)}  发票号码：{rng.randint(10000000, 99999999)}  开票日期：{d_cn(printed)}")
        f.para(f"购买方名称：{v.name}")
        rows = [[("货物或应税劳务名称", False), ("规格型号", False), ("数量", False), ("金额", False)],
                [(bought[0], False), ("标准版", False), ("1", False), (bought[3], False)],
                [("合计", False), ("", False), ("", False), ("¥" + bought[3], False)]]
        f.table(rows, [30, 20, 10, 20])
        author = f"{case.county}{rng.choice(['鑫源', '华联', '众诚'])}通讯器材经营部"
        f.para(f"销售方名称：{author}")
        persons = [v.name]
    else:
        title = "疾病诊断证明书"
        author = f"{case.county}人民医院"
        f.title(f"{case.county}人民医院", size=st.size * 1.4, after=1)
        f.title(title, size=st.size * 1.3, after=3)
        f.para(f"姓名：{v.name}  性别：{v.sex}  年龄：{v.age(t.date())}岁  住院号：{rng.randint(100000, 999999)}")
        f.para("诊断：1．头皮裂伤；2．左顶骨线形骨折；3．左前臂软组织挫伤。")
        f.para("处理意见：清创缝合，住院治疗，建议休息一个月。")
        f.right([("医师：", False), (rng.choice(["蒋", "邓"]) + "医生", True)], margin=10)
        printed = case.occurred + timedelta(days=1)
        f.right([(d_cn(printed.date()), False)], margin=10)
        persons = [v.name]
    if c.code == "fraud":
        f.right([("打印机构：", False), (author, False)], margin=10)
        f.page.seals.append(Seal(st.width - st.right - 40, f.y - 6, 17, author + "业务专用章"))
    # dated by what is printed on it (打印日期 / 开票日期 / the doctor's date), filed in the pile at ``t``
    doc = Doc("documentary_evidence", title, printed.replace(hour=0, minute=0, second=0, microsecond=0), False, None, author, persons, f.pages)
    doc.pile = t
    return doc


def situation(case: Case, s: Person | None, t: datetime, rng: random.Random) -> Doc:
    f = Flow(form_style(rng), rng)
    f.title(rng.choice(["情况说明", "情 况 说 明", "关于有关情况的说明"]), after=6)
    if s is not None:
        txt = rng.choice([
            f"犯罪嫌疑人{s.name}到案后，民警对其随身携带的物品进行了检查，未发现与本案有关的物品。其供述的销赃对象“收旧手机的男子”经多方查找，"
            f"暂未查明身份，赃物未能追回。",
            f"犯罪嫌疑人{s.name}自称右手受过伤，经民警核实，其入所体检结果正常，讯问过程中未发现异常情况。",
        ])
    else:
        txt = f"本案现场周边监控录像因设备故障，{dt_cn(case.occurred, False)}至次日凌晨时段的录像未能保存，无法调取。"
    f.para(txt, first=2)
    f.para("特此说明。", first=2)
    f.gap(8)
    f.right([("办案民警：", False), (f"{case.officers[0].name}  {case.officers[1].name}", True)], margin=8)
    _sign_off(f, case.unit, t.date(), rng, upper=False)
    return Doc("situation_explanation", "情况说明", t.replace(hour=0, minute=0), False, None, case.unit,
               [s.name] if s is not None else [], f.pages)
