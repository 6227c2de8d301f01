"""The documents of a case, written the way 公安机关 / 检察院 paperwork reads, as layout blocks."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from .crimes import Facts
from .people import Case, Person, ar_date, dt_str
from .render import INK, RED, Block, Cell, Fields, Furniture, Gap, Rule, Seal, Signature, Table, Text

LAW = "《中华人民共和国刑事诉讼法》"


@dataclass
class DocSpec:
    type: str
    title: str
    doc_number: str | None
    author: str | None
    date: str | None  # ISO date, or date-time for 笔录
    persons: list[str]
    blocks: list[Block]
    furniture: Furniture = field(default_factory=Furniture)
    when: datetime = datetime(2000, 1, 1)  # where the sheet sits in the folder


def iso(t: datetime, with_time: bool = False) -> str:
    return t.strftime("%Y-%m-%dT%H:%M") if with_time else t.strftime("%Y-%m-%d")


def spaced(title: str, rng: random.Random) -> str:
    """Wide-set titles are typed with spaces in many offices: 讯 问 笔 录."""
    return " ".join(title) if len(title) <= 6 and rng.random() < 0.45 else title


def footer(style: int) -> tuple:
    return [
        lambda p, n: f"第{p}页 共{n}页",
        lambda p, n: f"共{n}页 第{p}页",
        lambda p, n: f"- {p} -",
        lambda p, n: f"第 {p} 页，共 {n} 页",
        lambda p, n: f"{p}/{n}",
    ][style]


def head(c: Case, rng: random.Random, title: str, docno: str | None, organ: str | None = None,
         copy: bool = False) -> list[Block]:
    h = c.habits
    organ = organ if organ is not None else c.organs.bureau
    out: list[Block] = []
    if organ and rng.random() < 0.12:  # some templates set organ and title as one line: XX市公安局拘留证
        out.append(Text(organ + title, role="title", size=h.title_px * 0.85, align="center", after=0.3))
        organ, title = "", ""
    if organ and rng.random() < 0.85:
        red = h.red_header and rng.random() < 0.8
        out.append(Text(organ, role="title", size=h.title_px * rng.uniform(0.75, 0.95), align="center",
                        color=RED if red else INK, tracking=0.15 if rng.random() < 0.4 else 0))
        if red and rng.random() < 0.6:
            out.append(Rule(RED, double=rng.random() < 0.5))
    if title:
        out.append(Text(spaced(title, rng), role="title", size=h.title_px * rng.uniform(0.9, 1.1), align="center",
                        tracking=h.title_tracking, before=0.3, after=0.2))
    if copy:
        out.append(Text("（副本）", size=0.9, align="center"))
    if docno:
        out.append(Text(docno, align="center" if h.docno_center else "right", after=0.5))
    return out


def sign_off(c: Case, rng: random.Random, when: datetime, organ: str | None = None, who: str = "",
             seal_below: str = "") -> list[Block]:
    organ = organ or c.organs.bureau
    label = rng.choice([organ, f"{organ}（印）", f"{organ}（公章）"]) if not who else who
    return [Gap(rng.choice([1.0, 1.5, 2.0])), Text(label, align="right", indent=0), Seal(organ, seal_below),
            Text(c.date(when), align="right", after=0.5)]


def ident(p: Person, at: datetime) -> str:
    return (f"{p.name}，{p.sex}，{ar_date(p.birth)}出生，公民身份号码{p.id_no}，{p.nation}，{p.edu}文化，"
            f"户籍地{p.hukou}，现住{p.address}")


# ---- procedural documents ---------------------------------------------------------------------


def acceptance(c: Case, f: Facts, rng: random.Random) -> DocSpec:
    v = c.victims[0] if c.victims else None
    t = c.t["report"]
    no = c.docno("受案", rng) if rng.random() < 0.6 else None
    w = [0.16, 0.18, 0.2, 0.16, 0.3]
    rows: list[list[Cell | str]] = []
    if v:
        rows += [["报案人", "姓名", Cell(v.name, True), "性别", Cell(v.sex, True)],
                 ["", "出生日期", Cell(ar_date(v.birth), True), "身份证件号码", Cell(v.id_no, True)],
                 ["", "现住址", Cell(v.address, True, span=3)],
                 ["", "联系方式", Cell(v.phone, True, span=3)]]
    else:
        rows += [["移送/发现", "单位", Cell(c.organs.unit, True, span=3)]]
    rows += [["接报民警", Cell("、".join(c.organs.officers[:2]), True), "接报时间", Cell(dt_str(t), True, span=2)],
             ["接报地点", Cell(c.organs.unit, True, span=4)],
             [Cell("简要案情或者报案记录（发案时间、地点、简要过程、涉案人基本情况、受害情况等）以及是否接受证据：", span=5)],
             [Cell(f.report + rng.choice(["未接受证据。", "接受报案人提供的转账截图。", "已调取现场监控。"]), True, span=5)],
             ["受案意见", Cell("属于本单位管辖的刑事案件，建议及时立案侦查。", True, span=4)],
             ["受案审批", Cell(f"同意。 {ar_date(t)}", True, span=4)]]
    blocks = head(c, rng, "受案登记表", None, organ=c.organs.bureau if rng.random() < 0.6 else "")
    if no or c.case_number:
        blocks.append(Text(f"案件编号：{c.case_number}" if not no else no, align="right", size=0.85, after=0.3))
    blocks += [Table(rows, w, min_lines=[1] * (len(rows) - 3) + [3, 1, 1])]
    blocks += [Seal(c.organs.bureau, "")]
    return DocSpec("case_acceptance_form", "受案登记表", no, c.organs.bureau, iso(t), [v.name] if v else [], blocks, when=t)


def filing(c: Case, f: Facts, rng: random.Random) -> DocSpec:
    t = c.t["filing"]
    no = c.docno("立", rng)
    s = c.suspects[0]
    body = rng.choice([
        f"根据{LAW}第一百一十二条之规定，决定对{s.name}{f.charge}案立案侦查。",
        f"根据{LAW}第一百零九条、第一百一十二条之规定，决定对{f.place}发生的{f.charge}案立案侦查。",
    ])
    blocks = head(c, rng, "立案决定书", no, copy=c.habits.copy_mark and rng.random() < 0.4)
    blocks += [Text(body, indent=2, before=0.5)] + sign_off(c, rng, t)
    return DocSpec("case_filing_decision", "立案决定书", no, c.organs.bureau, iso(t), [], blocks, when=t)


def _suspect_line(p: Person) -> str:
    return f"{p.name}，性别{p.sex}，出生日期{ar_date(p.birth)}，住址{p.address}"


def summons(c: Case, f: Facts, rng: random.Random, p: Person) -> DocSpec:
    t = c.t["capture"] - timedelta(hours=rng.randrange(1, 5))
    no = c.docno("传", rng)
    blocks = head(c, rng, "传唤证", no)
    blocks += [Text(f"犯罪嫌疑人{_suspect_line(p)}：", before=0.5),
               Text(f"根据{LAW}第一百一十九条之规定，兹传唤你于{dt_str(t)}到{c.organs.unit}接受讯问。", indent=2)]
    blocks += sign_off(c, rng, t)
    blocks += [Text(f"本证已于{dt_str(t)}向我宣布。", indent=2), Signature("被传唤人：", True),
               Fields([("被传唤人到达时间：", dt_str(t + timedelta(minutes=rng.randrange(10, 50))))], underline=False),
               Fields([("讯问结束时间：", dt_str(t + timedelta(hours=rng.randrange(2, 9))))], underline=False),
               Signature("被传唤人：", False)]
    return DocSpec("summons_warrant", "传唤证", no, c.organs.bureau, iso(t), [p.name], blocks, when=t)


RIGHTS = [
    "一、在公安机关对案件进行侦查期间，犯罪嫌疑人有权委托律师作为辩护人。经济困难或者有其他原因没有委托辩护人的，可以向法律援助机构申请法律援助。",
    "二、犯罪嫌疑人不通晓当地语言文字的，公安机关应当为其配备翻译人员。",
    "三、对于公安机关及其侦查人员侵犯其诉讼权利或者进行人身侮辱的行为，有权提出申诉或者控告。",
    "四、对于侦查人员、鉴定人、记录人、翻译人员有法定回避情形的，有权申请他们回避。",
    "五、对侦查人员的提问，应当如实回答。但是对与本案无关的问题，有拒绝回答的权利。如实供述自己罪行可以从轻处罚，认罪认罚的可以依法从宽处理。",
    "六、核对讯问笔录的权利，笔录记载有遗漏或者差错，可以提出补充或者改正。",
    "七、未成年犯罪嫌疑人在接受讯问时有要求通知其法定代理人到场的权利。",
    "八、公安机关送交鉴定的，犯罪嫌疑人有权知道用作证据的鉴定意见，可以申请补充鉴定或者重新鉴定。",
    "九、犯罪嫌疑人被羁押的，有权申请变更强制措施；对于采取强制措施超过法定期限的，有权要求解除。",
    "十、犯罪嫌疑人除享有上述权利外，还应当履行下列义务：接受讯问、遵守强制措施的规定、不得干扰证人作证、不得毁灭或者伪造证据。",
]


def rights(c: Case, f: Facts, rng: random.Random, p: Person) -> DocSpec:
    t = c.t["capture"] + timedelta(minutes=rng.randrange(20, 90))
    blocks = head(c, rng, "犯罪嫌疑人诉讼权利义务告知书", None, organ="" if rng.random() < 0.5 else None)
    blocks.append(Text(f"根据{LAW}的规定，在公安机关对案件进行侦查期间，犯罪嫌疑人有如下诉讼权利和义务：", indent=2))
    blocks += [Text(r, indent=2) for r in RIGHTS]
    blocks += [Text(rng.choice(["本告知书已于", "我已于"]) + f"{dt_str(t)}收到并阅读，我已知道。", indent=2, before=0.5),
               Signature("犯罪嫌疑人：", True), Text(ar_date(t), align="right")]
    return DocSpec("rights_notice", "犯罪嫌疑人诉讼权利义务告知书", None, c.organs.bureau, iso(t), [p.name], blocks,
                   Furniture(footer=footer(c.habits.footer_style)) if rng.random() < 0.4 else Furniture(), when=t)


def _warrant(c: Case, rng: random.Random, p: Person, kind: str, title: str, body: str, t: datetime,
             code: str, announce: bool = True) -> DocSpec:
    no = c.docno(kind, rng)
    blocks = head(c, rng, title, no, copy=c.habits.copy_mark and rng.random() < 0.5)
    blocks += [Text(body, indent=2, before=0.5)] + sign_off(c, rng, t)
    if announce:
        blocks += [Text(f"本证已于{dt_str(t + timedelta(minutes=rng.randrange(5, 40)))}向我宣布。", indent=2),
                   Signature(rng.choice(["被拘留人：", "被执行人：", "本人签名："]) if kind != "捕" else "被逮捕人：", True)]
    return DocSpec(code, title, no, c.organs.bureau, iso(t), [p.name], blocks, when=t)


def detention(c: Case, f: Facts, rng: random.Random, p: Person) -> DocSpec:
    body = f"根据{LAW}第八十二条之规定，兹决定对犯罪嫌疑人{_suspect_line(p)}执行拘留，送{c.organs.jail}羁押。"
    return _warrant(c, rng, p, "拘", "拘留证", body, c.t["detention"], "detention_warrant")


def detention_notice(c: Case, f: Facts, rng: random.Random, p: Person) -> DocSpec:
    t = c.t["detention"] + timedelta(hours=rng.randrange(2, 20))
    body = (f"根据{LAW}第八十二条之规定，我局已于{dt_str(c.t['detention'])}将涉嫌{f.charge}罪的{p.name}刑事拘留，"
            f"现羁押在{c.organs.jail}。")
    d = _family_notice(c, rng, p, "拘通", "拘留通知书", body, t, "detention_notice")
    d.blocks += [Text("注：本通知书由被拘留人家属收执。", size=0.85)] if rng.random() < 0.5 else []
    return d


def _family_notice(c: Case, rng: random.Random, p: Person, code: str, title: str, body: str, t, type_: str) -> DocSpec:
    """A notice to the family (拘留/逮捕通知书): a warrant's layout, addressed to 某某家属."""
    d = _warrant(c, rng, p, code, title, body, t, type_, announce=False)
    d.blocks.insert(len(d.blocks) - 5, Text(f"{p.name}家属：", before=0.3))
    return d


def extension(c: Case, f: Facts, rng: random.Random, p: Person) -> DocSpec:
    t = c.t["detention"] + timedelta(days=rng.randrange(2, 3))
    rows = [["犯罪嫌疑人", Cell(p.name, True), "性别", Cell(p.sex, True), "出生日期", Cell(ar_date(p.birth), True)],
            ["住址", Cell(p.address, True, span=5)],
            ["拘留时间", Cell(dt_str(c.t["detention"]), True, span=2), "羁押处所", Cell(c.organs.jail, True, span=2)],
            ["延长理由", Cell(f"犯罪嫌疑人{p.name}涉嫌{f.charge}，系{rng.choice(['多次作案', '结伙作案', '流窜作案'])}，"
                           f"案情复杂，需进一步侦查，拟将提请审查批准逮捕的时间延长至三十日。", True, span=5)],
            ["办案单位意见", Cell(f"拟同意。{c.organs.officers[0]} {ar_date(t)}", True, span=5)],
            ["审核意见", Cell(f"同意延长。{ar_date(t)}", True, span=5)],
            ["领导批示", Cell(f"同意。{ar_date(t)}", True, span=5)]]
    blocks = head(c, rng, "提请延长拘留期限审批表", None, organ=c.organs.bureau if rng.random() < 0.5 else "")
    blocks += [Table(rows, [0.18, 0.16, 0.1, 0.16, 0.14, 0.26], min_lines=[1, 1, 1, 3, 2, 2, 2])]
    return DocSpec("detention_extension", "提请延长拘留期限审批表", None, c.organs.bureau, iso(t), [p.name], blocks, when=t)


def _evidence_list(c: Case, f: Facts) -> list[str]:
    items = ["物证：" + "、".join(i[0] for i in f.items) + "等；"]
    if c.victims:
        items.append("被害人" + "、".join(v.name for v in c.victims) + "的陈述；")
    if c.witnesses:
        items.append("证人" + "、".join(w.name for w in c.witnesses) + "的证言；")
    items += [f"{f.appraisal[0]}；", "犯罪嫌疑人" + "、".join(s.name for s in c.suspects) + "的供述和辩解；",
              "到案经过、户籍信息、视听资料等。"]
    return [f"{i}.{x}" if k else f"{i}、{x}" for i, x, k in zip(range(1, 20), items, [1] * 20)]


def _long_doc(c: Case, f: Facts, rng: random.Random, request: bool) -> DocSpec:
    t = c.t["request"] if request else c.t["prosecute"]
    no = c.docno("提捕" if request else "诉", rng)
    title = "提请批准逮捕书" if request else "起诉意见书"
    blocks = head(c, rng, title, no)
    for p in c.suspects:
        blocks.append(Text(f"犯罪嫌疑人{ident(p, t)}。" + (f"因涉嫌{f.charge}罪于{ar_date(c.t['detention'])}被我局刑事拘留"
                           + ("。" if request else f"，经{c.organs.procuratorate}批准，于{ar_date(c.t['arrest'])}被我局执行逮捕。")
                           + f"现羁押于{c.organs.jail}。"), indent=2))
    victims = "、".join(v.name for v in c.victims)
    blocks.append(Text(
        f"犯罪嫌疑人{c.suspects[0].name}涉嫌{f.charge}一案，" + (f"由被害人{victims}于{ar_date(c.t['report'])}报案至我局。" if victims
        else f"系我局民警于{ar_date(c.t['report'])}工作中发现。") + f"我局经审查，于{ar_date(c.t['filing'])}立案侦查。"
        f"犯罪嫌疑人{c.suspects[0].name}于{ar_date(c.t['capture'])}被抓获归案。" + ("" if request else "现已侦查终结。"), indent=2))
    blocks.append(Text("经依法侦查查明：", indent=2))
    blocks.append(Text(f.found, indent=2))
    blocks.append(Text("认定上述犯罪事实的证据如下：", indent=2))
    blocks += [Text(e, indent=2) for e in _evidence_list(c, f)]
    blocks.append(Text("上述犯罪事实清楚，证据确实、充分，足以认定。", indent=2))
    if not request and rng.random() < 0.7:
        blocks.append(Text(f"犯罪嫌疑人{c.suspects[0].name}到案后能如实供述自己的罪行，" +
                           rng.choice(["依法可以从轻处罚。", "且自愿认罪认罚，建议依法从宽处理。"]), indent=2))
    names = "、".join(s.name for s in c.suspects)
    if request:
        blocks.append(Text(f"犯罪嫌疑人{names}的行为已触犯《中华人民共和国刑法》{f.article}之规定，涉嫌{f.charge}罪，可能判处徒刑以上刑罚，"
                           f"采取取保候审尚不足以防止发生社会危险性。依照{LAW}第八十一条、第八十七条之规定，特提请批准逮捕。", indent=2))
    else:
        blocks.append(Text(f"综上所述，犯罪嫌疑人{names}的行为已触犯《中华人民共和国刑法》{f.article}之规定，涉嫌{f.charge}罪。"
                           f"依照{LAW}第一百六十二条之规定，现将此案移送审查起诉。", indent=2))
    blocks += [Text("此致", indent=2, before=0.5), Text(c.organs.procuratorate)]
    blocks += sign_off(c, rng, t, who=rng.choice(["局长", f"局长  {c.organs.officers[3]}", c.organs.bureau + "（印）"]))
    blocks += [Text("附：", before=0.3), Text(f"1.本案卷宗{rng.randrange(1, 4)}卷{rng.randrange(80, 400)}页。", indent=2),
               Text(f"2.犯罪嫌疑人{names}现羁押于{c.organs.jail}。", indent=2)]
    return DocSpec("arrest_request" if request else "prosecution_recommendation", title, no, c.organs.bureau, iso(t),
                   [s.name for s in c.suspects], blocks, Furniture(footer=footer(c.habits.footer_style)), when=t)


def arrest_request(c: Case, f: Facts, rng: random.Random) -> DocSpec:
    return _long_doc(c, f, rng, True)


def prosecution(c: Case, f: Facts, rng: random.Random) -> DocSpec:
    return _long_doc(c, f, rng, False)


def approval(c: Case, f: Facts, rng: random.Random, p: Person) -> DocSpec:
    t = c.t["approval"]
    y = t.year
    no = rng.choice([f"{c.organs.pro_prefix}刑批捕〔{y}〕{rng.randrange(10, 600)}号",
                     f"{c.organs.pro_prefix}批捕〔{y}〕Z{rng.randrange(10, 600)}号",
                     f"{c.organs.pro_prefix}刑检批捕[{y}]{rng.randrange(10, 600)}号"])
    pro = c.organs.procuratorate
    blocks = head(c, rng, "批准逮捕决定书", no, organ=pro)
    blocks += [Text(f"{c.organs.bureau}：", before=0.3),
               Text(f"你局于{ar_date(c.t['request'])}以提请批准逮捕书提请批准逮捕犯罪嫌疑人{p.name}，经本院审查认为，该犯罪嫌疑人"
                    f"涉嫌{f.charge}罪，符合{LAW}第八十一条规定的逮捕条件，决定批准逮捕犯罪嫌疑人{p.name}。"
                    "请依法立即执行，并将执行情况在三日以内通知本院。", indent=2)]
    blocks += sign_off(c, rng, t, organ=pro)
    return DocSpec("arrest_approval", "批准逮捕决定书", no, pro, iso(t), [p.name], blocks, when=t)


def arrest(c: Case, f: Facts, rng: random.Random, p: Person) -> DocSpec:
    body = (f"根据{LAW}第八十条之规定，经{c.organs.procuratorate}批准，兹由我局对涉嫌{f.charge}罪的{_suspect_line(p)}"
            f"执行逮捕，送{c.organs.jail}羁押。")
    return _warrant(c, rng, p, "捕", "逮捕证", body, c.t["arrest"], "arrest_warrant")


def arrest_notice(c: Case, f: Facts, rng: random.Random, p: Person) -> DocSpec:
    t = c.t["arrest"] + timedelta(hours=rng.randrange(3, 22))
    body = (f"根据{LAW}第九十三条之规定，我局已于{dt_str(c.t['arrest'])}经{c.organs.procuratorate}批准，"
            f"将涉嫌{f.charge}罪的{p.name}逮捕，现羁押在{c.organs.jail}。")
    return _family_notice(c, rng, p, "捕通", "逮捕通知书", body, t, "arrest_notice")


def bail(c: Case, f: Facts, rng: random.Random, p: Person) -> DocSpec:
    t = c.t["detention"] + timedelta(days=rng.randrange(3, 28))
    no = c.docno("取保", rng)
    how = rng.choice([f"交纳保证金人民币{rng.randrange(2, 20) * 1000}元", f"提出保证人{p.name[0]}某某"])
    blocks = head(c, rng, "取保候审决定书", no, copy=c.habits.copy_mark and rng.random() < 0.5)
    blocks += [Text(f"犯罪嫌疑人{_suspect_line(p)}。", before=0.3),
               Text(f"我局正在侦查{p.name}{f.charge}案，因犯罪嫌疑人{p.name}" + rng.choice([
                   "可能判处管制、拘役或者独立适用附加刑", "患有严重疾病、生活不能自理", "可能判处有期徒刑以上刑罚，采取取保候审不致发生社会危险性"])
                    + f"，根据{LAW}第六十七条之规定，决定对其取保候审，期限从{ar_date(t)}起算。犯罪嫌疑人应当接受保证人的监督，"
                    f"或者{how}。", indent=2)]
    blocks += sign_off(c, rng, t)
    return DocSpec("bail_decision", "取保候审决定书", no, c.organs.bureau, iso(t), [p.name], blocks, when=t)


def search_warrant(c: Case, f: Facts, rng: random.Random, p: Person) -> DocSpec:
    t = c.t["capture"] + timedelta(hours=rng.randrange(1, 5))
    no = c.docno("搜", rng)
    o = c.organs.officers
    blocks = head(c, rng, "搜查证", no)
    blocks += [Text(f"根据{LAW}第一百三十八条之规定，兹派我局侦查员{o[0]}、{o[1]}对{p.name}的{rng.choice(['住处', '身体、住处', '车辆'])}"
                    f"（{p.address}）进行搜查。", indent=2, before=0.5)]
    blocks += sign_off(c, rng, t)
    blocks += [Text(f"本证已于{dt_str(t)}向我宣布。", indent=2), Signature("被搜查人或其家属：", True)]
    return DocSpec("search_warrant", "搜查证", no, c.organs.bureau, iso(t), [p.name], blocks, when=t)


def seizure_decision(c: Case, f: Facts, rng: random.Random, p: Person) -> DocSpec:
    t = c.t["capture"] + timedelta(hours=rng.randrange(2, 8))
    no = c.docno("扣", rng)
    blocks = head(c, rng, "扣押决定书", no, copy=c.habits.copy_mark and rng.random() < 0.5)
    blocks += [Text(f"根据{LAW}第一百四十一条之规定，我局决定扣押{p.name}的" + "、".join(i[0] for i in f.items) +
                    rng.choice(["。", "（详见扣押清单）。"]), indent=2, before=0.5)]
    blocks += sign_off(c, rng, t)
    return DocSpec("seizure_decision", "扣押决定书", no, c.organs.bureau, iso(t), [p.name], blocks, when=t)


def engagement(c: Case, f: Facts, rng: random.Random) -> DocSpec:
    t = c.t["appraisal"]
    no = c.docno("鉴聘", rng)
    org = f.appraisal[1]
    blocks = head(c, rng, "鉴定聘请书", no)
    blocks += [Text(f"{org}：", before=0.3),
               Text(f"为了查明{c.suspects[0].name}{f.charge}一案，根据{LAW}第一百四十六条之规定，特聘请你单位对{f.appraisal[2]}"
                    f"进行鉴定。请于{ar_date(t + timedelta(days=rng.choice([10, 15, 20, 30])))}前将鉴定意见书送交我单位。", indent=2)]
    blocks += sign_off(c, rng, t)
    persons = [f.appraisal_subject] if f.appraisal_subject else []
    return DocSpec("appraisal_engagement", "鉴定聘请书", no, c.organs.bureau, iso(t), persons, blocks, when=t)


def appraisal_notice(c: Case, f: Facts, rng: random.Random, p: Person) -> DocSpec:
    t = c.t["opinion"] + timedelta(days=rng.randrange(1, 6))
    no = c.docno("鉴通", rng)
    blocks = head(c, rng, "鉴定意见通知书", no)
    blocks += [Text(f"{p.name}：", before=0.3),
               Text(f"我局聘请{f.appraisal[1]}对{f.appraisal[2]}进行了鉴定。鉴定意见是：{f.appraisal[3]}", indent=2),
               Text("如果你对该鉴定意见有异议，可以提出补充鉴定或者重新鉴定的申请。", indent=2)]
    blocks += sign_off(c, rng, t)
    blocks += [Text(f"本通知书已收到。", indent=2), Signature("被通知人：", True)]
    return DocSpec("appraisal_notice", "鉴定意见通知书", no, c.organs.bureau, iso(t), [p.name], blocks, when=t)
