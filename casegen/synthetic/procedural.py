"""诉讼文书: the police and procuratorate instruments (立案决定书, 传唤证, 拘留证, 逮捕证 ...).

Most are one page: organ header, title (often letter-spaced), 文号, a body citing the law, the
organ and date under a red seal, and for warrants a receipt part signed by the person. The
提请批准逮捕书 and 起诉意见书 run to several pages; their evidence lists grow to fill the plan.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from . import scenarios as sx
from .case import Case, Person
from .compose import Cell, Doc, Style, random_numbering, random_style, seal, style_copy
from .context import Ctx, DocOut, DocSpec, fit_range, iso
from .layout import Rect, Rule, em_mm
from .wording import d_cn, d_seal, dt_cn, law

CPL = {  # 刑事诉讼法 articles cited by each instrument
    "立案": "一百一十二", "传唤": "一百一十九", "拘留": "八十二", "拘留通知": "八十五", "逮捕": "八十", "逮捕通知": "九十三",
    "取保": "六十七", "监居": "七十四", "搜查": "一百三十八", "扣押": "一百四十一", "鉴定": "一百四十六", "鉴通": "一百四十八",
    "起诉": "一百六十二",
}


class Instrument:
    """Random presentation choices for one 文书, and its builder."""

    def __init__(self, ctx: Ctx, kind: str = "text"):
        self.ctx = ctx
        self.seed = ctx.rng.getrandbits(32)
        r = random.Random(self.seed)
        self.style: Style = random_style(r, kind)
        self.header = r.random() < 0.85  # organ name above the title
        self.seal_center = r.choice(("", "", "刑事专用章", "法律文书专用章"))
        self.attach_note = r.random() < 0.4
        self.frame_box = r.random() < 0.15  # some printed forms put the whole text in a ruled frame

    def doc(self) -> Doc:
        return Doc(style_copy(self.style), random.Random(self.seed))

    def decorate(self, n: int, m: int, items: list) -> None:
        if self.frame_box:
            st = self.style
            items.insert(0, Rect(st.left - 6, st.top - 8, st.page[0] - st.right + 6, st.page[1] - st.bottom + 4, 0.5, st.ink))


def _person_brief(s: Person) -> str:
    return f"{s.name}（性别{s.sex}，出生日期{d_cn(s.birth)}，住址{s.address}）"


def _begin(doc: Doc, ins: Instrument, organ: str, title: str, number: str | None, spaced: bool | None = None,
           red: bool = False) -> None:
    if ins.header:
        doc.organ_header(organ, red=red)
    doc.title(title, spaced)
    if number:
        doc.doc_number(number)
    doc.space(em_mm(doc.style.size) * doc.rng.uniform(0.5, 1.5))


def _finish(doc: Doc, ins: Instrument, organ: str, at: datetime, seal_text: str | None = None) -> None:
    doc.closing(organ, d_seal(at, doc.style.chinese_dates), seal(seal_text or organ, ins.seal_center),
                extra_above=doc.rng.uniform(6, 20))


def _receipt(doc: Doc, lines: list[str], signer_label: str, name: str, fingerprint: bool = True) -> None:
    """The part of a warrant the person signs: 本证已于...向我宣布。 被拘留人：(签名)."""
    st = doc.style

    def draw(x, y):
        return [Rule(doc.x0, y + 3, doc.x0 + doc.width, y + 3, 0.25, st.ink)]
    doc.custom(7, draw)
    for ln in lines:
        doc.para(ln, indent=2)
    doc.signatures([(signer_label, name)], fingerprint_on={0} if fingerprint else set(), align="right")


def _out(ins: Instrument, doc: Doc, spec: DocSpec, title: str, number: str | None, author: str,
         persons: list[Person]) -> DocOut:
    if doc.rng.random() < 0.3 and ins.attach_note:
        doc.space(4)
        doc.text(doc.rng.choice(("此联附卷", "（此联附卷）", "一式三份，一份附卷，一份交被执行人，一份存档。")),
                 "left", size=doc.style.size * 0.75)
    return DocOut(spec.type, title, number, author, iso(spec.at, False), [p.name for p in persons], doc.build(ins.decorate))


def simple(ctx: Ctx, spec: DocSpec) -> DocOut:
    """The one-page instruments: their text differs, their shape is the same."""
    case, sc, rng = ctx.case, ctx.sc, ctx.rng
    o = case.organs
    ins = Instrument(ctx)
    doc = ins.doc()
    t = spec.type
    s = spec.persons[0] if spec.persons else None
    organ, seal_text = o.branch, o.branch
    receipt: tuple[list[str], str] | None = None
    fp = True
    if t == "case_filing_decision":
        title, number = "立案决定书", case.doc_no("立字")
        # At filing the offender is often still unknown: the case is named after the victim.
        name = case.title if rng.random() < 0.4 else f"{case.victims[0].name}被{case.crime if case.crime != '盗窃' else '盗'}案"
        body = [f"根据{law(CPL['立案'])}之规定，决定对{name}立案侦查。"]
        if rng.random() < 0.3:
            body.insert(0, f"经审查，{sx.summary(case, sc, rng)[:-1].replace('我所', '我局')}，认为有犯罪事实需要追究刑事责任，且属于本局管辖。")
    elif t == "summons_warrant":
        title, number = "传唤证", case.doc_no("传唤字")
        body = [f"根据{law(CPL['传唤'])}之规定，兹传唤涉嫌{case.crime}的犯罪嫌疑人{_person_brief(s)}"
                f"于{dt_cn(s.events['summons'])}到{o.recorder_unit}接受讯问。"]
        receipt = ([f"本证已于{dt_cn(s.events['summons'] + timedelta(minutes=rng.randint(1, 9)))}向我宣布。",
                    f"被传唤人到达时间：{dt_cn(s.events['caught'])}",
                    f"讯问结束时间：{dt_cn(s.events['interrogations'][0] + timedelta(minutes=rng.randint(60, 200)))}"],
                   "被传唤人：")
    elif t == "detention_warrant":
        title, number = "拘留证", case.doc_no("拘字")
        body = [f"根据{law(CPL['拘留'])}之规定，兹决定对犯罪嫌疑人{_person_brief(s)}执行拘留，送{o.jail}羁押。"]
        receipt = ([f"本证已于{dt_cn(s.events['detained'])}向我宣布。"], "被拘留人：")
    elif t == "detention_notice":
        title, number = "拘留通知书", case.doc_no("拘通字")
        body = [f"根据{law(CPL['拘留'])}之规定，我局已于{dt_cn(s.events['detained'])}将涉嫌{case.crime}罪的{s.name}刑事拘留，"
                f"现羁押在{o.jail}。"]
        doc_lead = f"{s.name}家属："
        body.insert(0, "\x00" + doc_lead)
        if rng.random() < 0.5:
            receipt = ([f"通知方式：{rng.choice(('电话通知', '当面送达', '邮寄送达'))}，通知时间：{dt_cn(spec.at)}。"], "通知人：")
            fp = False
    elif t == "arrest_warrant":
        title, number = "逮捕证", case.doc_no("捕字")
        a, b = rng.sample(case.officers, 2)
        body = [f"根据{law(CPL['逮捕'])}之规定，经{o.procuratorate}批准，兹由我局侦查员{a.name}、{b.name}对涉嫌{case.crime}罪的"
                f"{_person_brief(s)}执行逮捕，送{o.jail}羁押。"]
        receipt = ([f"本证已于{dt_cn(s.events['arrested'])}向我宣布。"], "被逮捕人：")
    elif t == "arrest_notice":
        title, number = "逮捕通知书", case.doc_no("捕通字")
        body = ["\x00" + f"{s.name}家属：",
                f"根据{law(CPL['逮捕通知'])}之规定，我局已于{dt_cn(s.events['arrested'])}将涉嫌{case.crime}罪的{s.name}执行逮捕，"
                f"现羁押在{o.jail}。"]
    elif t == "bail_decision":
        title, number = "取保候审决定书", case.doc_no("取保字")
        how = rng.choice((f"交纳保证金人民币{rng.choice((3000, 5000, 10000, 20000))}元", f"由保证人{ctx.fake.name()}提供担保"))
        body = [f"犯罪嫌疑人{_person_brief(s)}，公民身份号码{s.id_number}。",
                f"我局正在侦查{case.title}，因犯罪嫌疑人{s.name}{rng.choice(('可能判处管制、拘役或者独立适用附加刑', '采取取保候审不致发生社会危险性', '患有严重疾病'))}，"
                f"根据{law(CPL['取保'])}之规定，决定对其取保候审，期限从{d_cn(spec.at)}起算，{how}。",
                "被取保候审人在取保候审期间应当遵守下列规定：（一）未经执行机关批准不得离开所居住的市、县；"
                "（二）住址、工作单位和联系方式发生变动的，在二十四小时以内向执行机关报告；（三）在传讯的时候及时到案；"
                "（四）不得以任何形式干扰证人作证；（五）不得毁灭、伪造证据或者串供。"]
        receipt = ([f"本决定书已于{dt_cn(spec.at)}向我宣布。"], "被取保候审人：")
    elif t == "residential_surveillance":
        title, number = "监视居住决定书", case.doc_no("监居字")
        body = [f"犯罪嫌疑人{_person_brief(s)}，公民身份号码{s.id_number}。",
                f"我局正在侦查{case.title}，根据{law(CPL['监居'])}之规定，决定对犯罪嫌疑人{s.name}在其住处监视居住，"
                f"由{o.station}负责执行，监视居住期限从{d_cn(spec.at)}起算。",
                "被监视居住人应当遵守下列规定：（一）未经执行机关批准不得离开执行监视居住的处所；（二）未经执行机关批准不得会见他人或者通信；"
                "（三）在传讯的时候及时到案；（四）不得以任何形式干扰证人作证；（五）不得毁灭、伪造证据或者串供；"
                "（六）将护照等出入境证件、身份证件、驾驶证件交执行机关保存。"]
        receipt = ([f"本决定书已于{dt_cn(spec.at)}向我宣布。"], "被监视居住人：")
    elif t == "search_warrant":
        title, number = "搜查证", spec.extra.get("number") or case.doc_no("搜查字")
        a, b = rng.sample(case.officers, 2)
        body = [f"根据{law(CPL['搜查'])}之规定，兹派我局侦查员{a.name}、{b.name}对{s.name}的住处（{s.address}）进行搜查。"]
        receipt = ([f"本证已于{dt_cn(spec.at)}向我宣布。"], "被搜查人：")
    elif t == "seizure_decision":
        title, number = "扣押决定书", case.doc_no("扣字")
        goods = "；".join(f"{i + 1}.{it.name}{it.qty}" for i, it in enumerate(sc.tools + sc.items))
        body = [f"根据{law(CPL['扣押'])}之规定，我局决定扣押{s.name}的下列财物、文件：" +
                (goods + "。" if rng.random() < 0.6 else "详见扣押清单。")]
    elif t == "appraisal_engagement":
        ap = sc.appraisal
        title, number = "鉴定聘请书", case.doc_no("鉴聘字")
        what = {"price": "价格认定", "injury": "人体损伤程度", "electronic": "电子数据"}[ap["kind"]]
        body = ["\x00" + f"{ap['institution']}：",
                f"为了查明{case.title}中{ap['subject']}的情况，根据{law(CPL['鉴定'])}之规定，特聘请你单位对{ap['subject']}进行{what}鉴定。"
                f"请于{d_cn(spec.at + timedelta(days=rng.choice((15, 20, 30))))}前将鉴定意见书送交我局。"]
    elif t == "appraisal_notice":
        ap = sc.appraisal
        title, number = "鉴定意见通知书", case.doc_no("鉴通字")
        body = ["\x00" + f"{s.name}：",
                f"我局{rng.choice(('聘请', '指派'))}有关人员，对{ap['subject']}进行了鉴定。鉴定意见是：{ap['result']}",
                "如果你对该鉴定意见有异议，可以提出补充鉴定或者重新鉴定的申请。"]
        receipt = (["本通知书已收到。"], "被通知人：")
        fp = False
    elif t == "criminal_record_certificate":
        title, number = rng.choice(("违法犯罪记录证明", f"关于{s.name}有无违法犯罪记录的证明", "违法犯罪记录查询情况说明")), None
        organ = seal_text = rng.choice((o.station, o.branch))
        rec = rng.random() < 0.3
        body = [f"经查询全国违法犯罪人员信息资源库，{s.name}（性别{s.sex}，公民身份号码{s.id_number}）"
                + (f"曾于{case.crime_at.year - rng.randint(2, 9)}年因{rng.choice(('盗窃', '殴打他人', '赌博'))}被公安机关行政拘留。"
                   if rec else "无违法犯罪记录。"), "特此证明。"]
    elif t == "situation_explanation":
        title = rng.choice(("情况说明", "情况说明", f"关于{rng.choice(('赃物去向', '监控视频调取', '同案人员', '犯罪嫌疑人身份'))}的情况说明"))
        number = None
        organ = seal_text = rng.choice((o.station, o.branch, o.recorder_unit))
        body = [_explanation(case, sc, rng), "特此说明。"]
    else:
        raise ValueError(t)

    plain_title = title
    _begin(doc, ins, organ, title, number)
    for para in body:
        if para.startswith("\x00"):  # addressee line: no indent
            doc.para(para[1:], indent=0)
        else:
            doc.para(para)
    if t == "situation_explanation":
        a, b = rng.sample(case.officers, 2)
        doc.space(4)
        doc.signatures([("办案民警：", f"{a.name}、{b.name}")], align="right")
    _finish(doc, ins, organ, spec.at, seal_text)
    if receipt:
        _receipt(doc, receipt[0], receipt[1], s.name if receipt[1] != "通知人：" else rng.choice(case.officers).name, fp)
    return _out(ins, doc, spec, plain_title, number, organ, spec.persons)


def _explanation(case: Case, sc: sx.Scenario, rng: random.Random) -> str:
    s = case.suspects[0]
    return rng.choice((
        f"我局在侦办{case.title}过程中，经调查，{sc.scene}周边的监控录像因设备故障，未能保存案发时段的视频资料，无法调取。",
        f"犯罪嫌疑人{s.name}到案后供述的赃物去向，经我局民警多方查找，目前尚未追回，我局将继续追查。",
        f"{case.title}中，犯罪嫌疑人{s.name}提供的身份信息经我局通过人口信息系统核实，与其本人一致。",
        f"我局于{d_cn(case.report_at)}接到报案后，民警多次联系证人，因其已离开本市，暂未能再次询问。",
        f"{case.title}中扣押的物品已拍照固定，因不宜长期保存，已依法返还被害人{case.victims[0].name}，发还清单附卷。",
    ))


def rights_notice(ctx: Ctx, spec: DocSpec) -> DocOut:
    case, rng = ctx.case, ctx.rng
    s = spec.persons[0]
    ins = Instrument(ctx)
    doc = ins.doc()
    items = [
        "犯罪嫌疑人不通晓当地语言文字的，有权要求配备翻译人员，有权用本民族语言文字进行诉讼。",
        "对于公安机关及其侦查人员侵犯其诉讼权利和人身侮辱的行为，有权提出申诉或者控告。",
        "对于侦查人员、鉴定人、记录人、翻译人员有法定回避情形的，有权申请他们回避。",
        "自接受第一次讯问或者被采取强制措施之日起，有权委托律师作为辩护人；经济困难或者有其他原因没有委托辩护人的，可以申请法律援助。",
        "在接受讯问时有权为自己辩解；对侦查人员提出的与本案无关的问题，有拒绝回答的权利。",
        "如实供述自己罪行的，可以从轻处罚；因其如实供述自己罪行，避免特别严重后果发生的，可以减轻处罚。",
        "自愿如实供述自己的罪行，承认指控的犯罪事实，愿意接受处罚的，可以依法从宽处理。",
        "有权核对讯问笔录，笔录记载有遗漏或者差错的，可以提出补充或者改正；有权自行书写供述。",
        "被采取强制措施后，本人及其法定代理人、近亲属或者辩护人有权申请变更强制措施。",
        "对于采取强制措施法定期限届满的，有权要求解除强制措施。",
        "有权知道用作证据的鉴定意见的内容，可以申请补充鉴定或者重新鉴定。",
        "犯罪嫌疑人应当如实回答侦查人员的提问，并应当遵守法律法规的相关规定。",
    ]
    nums = ("一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一", "十二")
    if ins.header:
        doc.organ_header(case.organs.branch)
    doc.title("犯罪嫌疑人诉讼权利义务告知书", spaced=False, size=min(doc.style.title_size, 20))
    doc.space(3)
    doc.para("根据《中华人民共和国刑事诉讼法》的规定，在公安机关对案件进行侦查期间，犯罪嫌疑人有如下诉讼权利和义务：")
    for i, it in enumerate(items[: rng.randint(9, 12)]):
        doc.para(it, label=nums[i] + "、")
    doc.space(4)
    doc.para(rng.choice(("以上内容我已看过，已知悉。", "以上权利义务已向我告知，我已清楚。", "本告知书已向我宣读，我已知悉。")), indent=2)
    doc.signatures([("犯罪嫌疑人：", s.name)], fingerprint_on={0}, align="right", hand_date=f"{spec.at.year}.{spec.at.month}.{spec.at.day}")
    if rng.random() < 0.5:
        doc.signatures([("告知人：", rng.choice(case.officers).name)], align="right")
    doc.text(d_seal(spec.at, doc.style.chinese_dates), "right", indent=rng.uniform(5, 20))
    return DocOut(spec.type, "犯罪嫌疑人诉讼权利义务告知书", None, case.organs.branch, iso(spec.at, False), [s.name], doc.build())


def arrest_approval(ctx: Ctx, spec: DocSpec) -> DocOut:
    case, rng = ctx.case, ctx.rng
    o = case.organs
    s = spec.persons[0]
    ins = Instrument(ctx)
    ins.seal_center = ""
    doc = ins.doc()
    number = f"{o.proc_prefix}{rng.choice(('刑', '', '侦监'))}批捕〔{spec.at.year}〕{rng.randint(10, 900)}号"
    _begin(doc, ins, o.procuratorate, "批准逮捕决定书", number, red=rng.random() < 0.3)
    req = spec.extra.get("request_no") or case.doc_no("提捕字")
    doc.para(f"{o.branch}：", indent=0)
    doc.para(f"你局于{d_cn(s.events['arrest_request'])}以{req}提请批准逮捕书提请批准逮捕的犯罪嫌疑人{s.name}，经本院审查认为，"
             f"该犯罪嫌疑人涉嫌{case.crime}罪，符合《中华人民共和国刑事诉讼法》第八十一条规定的逮捕条件，决定批准逮捕犯罪嫌疑人{s.name}。"
             f"请依法立即执行，并将执行情况在三日以内通知本院。")
    doc.closing(o.procuratorate, d_seal(spec.at, doc.style.chinese_dates), seal(o.procuratorate),
                extra_above=rng.uniform(6, 18))
    return _out(ins, doc, spec, "批准逮捕决定书", number, o.procuratorate, [s])


def _suspect_intro(case: Case, s: Person, rng: random.Random, with_measures: bool) -> str:
    o = case.organs
    txt = (f"犯罪嫌疑人{s.name}，{s.sex}，{d_cn(s.birth)}出生，公民身份号码{s.id_number}，{s.nation}，{s.education}文化，"
           f"户籍所在地{s.hukou}，现住{s.address}。")
    ev = s.events
    txt += f"{d_cn(ev['detained'])}因涉嫌{case.crime}罪被我局刑事拘留"
    if with_measures:
        if ev["measure"] == "arrest":
            txt += f"，经{o.procuratorate}批准，于{d_cn(ev['arrested'])}被我局执行逮捕，现羁押于{o.jail}。"
        elif ev["measure"] == "bail":
            txt += f"，{d_cn(ev['release'])}被我局取保候审。"
        else:
            txt += f"，{d_cn(ev['release'])}被我局监视居住。"
    else:
        txt += f"，现羁押于{o.jail}。"
    return txt


def _evidence_items(case: Case, sc: sx.Scenario, rng: random.Random) -> list[str]:
    items = [f"被害人{v.name}的陈述" for v in case.victims] + [f"证人{w.name}的证言" for w in case.witnesses]
    items += [f"犯罪嫌疑人{s.name}的供述和辩解" for s in case.suspects]
    items += [f"{sc.appraisal['title']}", "现场勘验笔录及现场照片", "扣押决定书、扣押清单", "辨认笔录",
              "搜查笔录", "到案经过、情况说明", "常住人口信息表、违法犯罪记录证明", "视听资料（监控视频）"]
    if sc.transfers:
        items += ["银行交易明细", "电子数据提取笔录"]
    rng.shuffle(items)
    return items


def long_instrument(ctx: Ctx, spec: DocSpec) -> DocOut:
    """提请批准逮捕书 / 起诉意见书: several pages; the evidence list is fitted to the plan."""
    case, sc, rng = ctx.case, ctx.sc, ctx.rng
    o = case.organs
    request = spec.type == "arrest_request"
    ins = Instrument(ctx)
    if rng.random() < 0.4:
        ins.style.numbering = random_numbering(random.Random(ins.seed), ins.style.body)
    number = spec.extra.get("number") or case.doc_no("提捕字" if request else "诉字")
    title = "提请批准逮捕书" if request else "起诉意见书"
    suspects = spec.persons
    names = "、".join(s.name for s in suspects)
    intros = [_suspect_intro(case, s, rng, not request) for s in suspects]
    lawyer = f"辩护律师{ctx.fake.name()}，{case.organs.city.name}{ctx.fake.company_prefix()}律师事务所律师。" if not request and rng.random() < 0.6 else None
    origin = (f"犯罪嫌疑人{names}涉嫌{case.crime}一案，由被害人{case.victims[0].name}于{d_cn(case.report_at)}报案至我局。"
              f"我局经过审查，于{d_cn(case.filed_at)}立案侦查。犯罪嫌疑人{names}于{d_cn(suspects[0].events['caught'])}被抓获归案。")
    facts = sx.facts_paragraph(case, sc, rng)
    evidence = _evidence_items(case, sc, rng)
    extra_ev: list[str] = []
    pleas = [f"犯罪嫌疑人{s.name}到案后{rng.choice(('如实供述了自己的罪行', '对犯罪事实供认不讳', '自愿认罪认罚'))}。" for s in suspects]
    conclusion = (f"{'本局' if request else '综上所述，本局'}认为，犯罪嫌疑人{names}{sc.method.split('，')[-1]}，其行为已触犯《中华人民共和国刑法》"
                  f"第{sc.article}条之规定，涉嫌{sc.charge}。")
    if request:
        conclusion += ("可能判处徒刑以上刑罚，采取取保候审尚不足以防止发生社会危险性。依照《中华人民共和国刑事诉讼法》第八十一条、"
                       "第八十七条之规定，特提请批准逮捕。")
    else:
        conclusion += f"依照{law(CPL['起诉'])}之规定，现将此案移送审查起诉。"

    def supply(n: int) -> None:
        while len(extra_ev) < n:
            j = len(extra_ev)
            extra_ev.append(rng.choice((f"{rng.choice(case.people).name}的手机通话记录", "调取证据通知书及调取的证据",
                                        f"第{j + 1}组现场照片及说明", "抓获现场照片", "扣押物品照片", "发还清单",
                                        "受案登记表、立案决定书", "户籍证明材料", "视频截图及说明")))

    volumes, vol_pages = rng.randint(1, 4), rng.randint(60, 400)

    def make(k: int) -> Doc:
        doc = ins.doc()
        _begin(doc, ins, o.branch, title, number)
        for t in intros:
            doc.para(t)
        if lawyer:
            doc.para(lawyer)
        doc.para(origin)
        doc.para("经依法侦查查明：", indent=2)
        doc.para(facts)
        doc.para("认定上述犯罪事实的证据如下：", indent=2)
        for i, e in enumerate(evidence + extra_ev[:k], 1):
            doc.para(f"{i}.{e}；" if i < len(evidence) + k else f"{i}.{e}。")
        doc.para("上述犯罪事实清楚，证据确实、充分，足以认定。")
        for p in pleas:
            doc.para(p)
        doc.para(conclusion)
        doc.space(3)
        doc.para("此致", indent=2)
        doc.para(o.procuratorate, indent=0)
        _finish(doc, ins, o.branch, spec.at)
        doc.para(f"附：1.本案卷宗{volumes}卷{vol_pages}页。", indent=0)
        doc.para(f"2.犯罪嫌疑人{suspects[0].name}现羁押于{o.jail}。", indent=2)
        return doc

    if spec.pages:
        lo, hi = fit_range(lambda k: len(make(k).paginate()), spec.pages, supply, 4)
        k = rng.randint(lo, max(lo, hi - 1))
    else:
        k = 0
    supply(k)
    doc = make(k)
    return DocOut(spec.type, title, number, o.branch, iso(spec.at, False), [s.name for s in suspects], doc.build())


def extension_form(ctx: Ctx, spec: DocSpec) -> DocOut:
    """提请延长拘留期限审批表: a bordered form with handwritten approvals."""
    case, sc, rng = ctx.case, ctx.sc, ctx.rng
    o = case.organs
    s = spec.persons[0]
    ins = Instrument(ctx, "table")
    doc = ins.doc()
    if ins.header:
        doc.organ_header(o.branch)
    doc.title("提请延长拘留期限审批表", spaced=False, size=min(doc.style.title_size, 20))
    doc.text(f"{rng.choice(('填表时间', '填表日期', '呈报时间'))}：{d_cn(spec.at)}", "right", size=doc.style.table_size + 1)
    doc.space(2)
    lab = Cell
    until = s.events["detained"] + timedelta(days=30)
    a, b = rng.sample(case.officers, 2)
    reason = (f"{sx.facts_paragraph(case, sc, rng)}犯罪嫌疑人{s.name}有{rng.choice(('结伙作案', '多次作案', '流窜作案'))}重大嫌疑，"
              f"根据《中华人民共和国刑事诉讼法》第九十一条第二款之规定，提请将拘留期限延长至三十日，即至{d_cn(until)}。")
    rows = [
        [lab("犯罪嫌疑人", align="center"), Cell(s.name, align="center"), lab("性别", align="center"), Cell(s.sex, align="center"),
         lab("出生日期", align="center"), Cell(d_cn(s.birth), align="center")],
        [lab("身份证号", align="center"), Cell(s.id_number, span=5)],
        [lab("住址", align="center"), Cell(s.address, span=5)],
        [lab("拘留时间", align="center"), Cell(dt_cn(s.events["detained"]), span=2), lab("羁押处所", align="center"), Cell(o.jail, span=2)],
        [lab("简要案情及延长拘留期限的理由", align="center"), Cell(reason, span=5, lines=6, valign="top")],
        [lab("办案单位意见", align="center"), Cell(f"建议将犯罪嫌疑人{s.name}的拘留期限延长至三十日。", span=5, lines=3, valign="top",
                                           hand=f"{a.name} {spec.at.month}.{spec.at.day}")],
        [lab("审核意见", align="center"), Cell(rng.choice(("同意。", "拟同意，请领导审批。")), span=5, lines=2, valign="top",
                                          hand=ctx.fake.name())],
        [lab("领导审批", align="center"), Cell(f"同意延长拘留期限至{d_cn(until)}。", span=5, lines=2, valign="top",
                                          hand=f"{ctx.fake.name()} {spec.at.month}.{spec.at.day}")],
    ]
    doc.table([1.5, 1.3, 0.8, 0.8, 1.2, 1.8], rows, line_pitch=1.5)
    return DocOut(spec.type, "提请延长拘留期限审批表", None, o.branch, iso(spec.at, False), [s.name], doc.build())


def acceptance_form(ctx: Ctx, spec: DocSpec) -> DocOut:
    """受案登记表: the intake form, with the report summary and handwritten approvals."""
    case, sc, rng = ctx.case, ctx.sc, ctx.rng
    o = case.organs
    v = case.victims[0]
    ins = Instrument(ctx, "table")
    doc = ins.doc()
    number = case.doc_no("受案字")
    if ins.header:
        doc.organ_header(o.branch)
    doc.title("受案登记表", spaced=rng.random() < 0.5)
    doc.doc_number(number, "right")
    doc.space(1)
    officer = rng.choice(case.officers)
    t = case.report_at
    C = Cell
    rows = [
        [C("报案人", align="center"), C("姓名", align="center"), C(v.name, align="center"), C("性别", align="center"),
         C(v.sex, align="center"), C("出生日期", align="center"), C(d_cn(v.birth), span=2)],
        [C(cont=True), C("证件种类", align="center"), C("居民身份证", align="center"), C("证件号码", align="center"),
         C(v.id_number, span=4)],
        [C(cont=True), C("工作单位", align="center"), C(v.workplace or "无", span=3), C("联系方式", align="center"), C(v.phone, span=2)],
        [C(cont=True), C("现住址", align="center"), C(v.address, span=6)],
        [C("移送单位", align="center"), C("", span=2), C("移送人", align="center"), C(""), C("联系方式", align="center"), C("", span=2)],
        [C("接报民警", align="center"), C(officer.name, align="center"), C("接报时间", align="center"), C(dt_cn(t), span=2),
         C("接报地点", align="center"), C(o.station.replace(o.branch, ""), span=2)],
        [C("简要案情或者报案记录（发案时间、地点、简要过程、涉案人基本情况、受害情况等）以及是否接受证据", span=8, valign="top")],
        [C(sx.summary(case, sc, rng), span=8, lines=5, valign="top")],
        [C("受案意见", align="center"), C("☑属本单位管辖的刑事案件，建议及时立案侦查\n□属于本单位管辖的行政案件，建议及时调查处理\n□不属于本单位管辖，建议移送其他单位处理",
                                       span=7, valign="top", hand=f"{officer.name} {t.month}.{t.day}")],
        [C("受案审批", align="center"), C("受案部门负责人：", span=7, lines=2, valign="top",
                                       hand=f"{ctx.fake.name()} {t.month}.{t.day}")],
    ]
    doc.table([1.0, 1.2, 1.3, 1.0, 0.7, 1.1, 0.8, 1.0], rows, line_pitch=1.45)
    doc.space(3)
    doc.text("一式两份，一份留存，一份附卷。", size=doc.style.table_size)
    return DocOut(spec.type, "受案登记表", number, o.branch, iso(t, False), [], doc.build())
