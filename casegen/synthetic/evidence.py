"""证据材料 other than 笔录: 到案经过, 常住人口信息表, 扣押清单, 鉴定意见书 and 书证 (bank
statements, purchase receipts, hospital diagnoses)."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from . import scenarios as sx
from .compose import Cell, Doc, Numbering, random_numbering, seal
from .context import Ctx, DocOut, DocSpec, fit_range, iso
from .layout import A4_LANDSCAPE, INK, Mark, Run
from .procedural import Instrument
from .wording import d_cn, d_seal, dt_cn, money_upper


def arrest_circumstances(ctx: Ctx, spec: DocSpec) -> DocOut:
    case, sc, rng = ctx.case, ctx.sc, ctx.rng
    o = case.organs
    ins = Instrument(ctx)
    doc = ins.doc()
    sus = spec.persons
    names = "、".join(s.name for s in sus)
    organ = rng.choice((o.station, o.recorder_unit))
    title = rng.choice(("到案经过", "到案经过", "抓获经过", f"犯罪嫌疑人{names}到案经过"))
    caught = sus[0].events["caught"]
    where = rng.choice((f"{sus[0].address[:rng.randint(10, 16)]}附近", "其租住的出租屋内", f"{o.city.name}火车站候车室",
                        "一网吧内", f"{o.district}{rng.choice(('某小区门口', '某工地', '某宾馆'))}"))
    how = rng.choice(("通过调取现场周边监控视频，并进行视频追踪", "经走访调查和技术侦查", "根据被害人提供的线索，经侦查"))
    if ins.header and rng.random() < 0.5:
        doc.organ_header(organ)
    doc.title(title, spaced=len(title) <= 4 and rng.random() < 0.6)
    doc.space(3)
    doc.para(f"{d_cn(case.report_at)}，{'被害人' + case.victims[0].name + '到我所报案' if rng.random() < 0.6 else '我' + ('所' if '派出所' in organ else '队') + '接到报警'}，"
             f"称{sx.summary(case, sc, rng).split('：', 1)[-1]}")
    doc.para(f"接报后，民警{how}，确定{names}有重大作案嫌疑。{dt_cn(caught)}许，民警在{where}将犯罪嫌疑人{names}抓获，"
             f"{rng.choice(('并带回审查', '当场从其身上查获作案工具', '依法传唤至我所接受调查'))}。")
    if rng.random() < 0.5:
        doc.para(f"犯罪嫌疑人{sus[0].name}到案后{rng.choice(('如实供述了其犯罪事实', '对其违法犯罪行为供认不讳', '拒不供述'))}。")
    doc.para("特此说明。")
    doc.space(4)
    a, b = rng.sample(case.officers, 2)
    doc.signatures([("抓获民警：" if rng.random() < 0.5 else "办案民警：", f"{a.name}、{b.name}")], align="right")
    doc.closing(organ, d_seal(spec.at, doc.style.chinese_dates), seal(organ) if rng.random() < 0.75 else None, extra_above=4)
    return DocOut(spec.type, title, None, organ, iso(spec.at, False), [s.name for s in sus], doc.build())


def household(ctx: Ctx, spec: DocSpec) -> DocOut:
    """常住人口信息表 printed from the population system, with the ID photo."""
    case, rng = ctx.case, ctx.rng
    o = case.organs
    s = spec.persons[0]
    ins = Instrument(ctx, "table")
    doc = ins.doc()
    title = rng.choice(("常住人口信息表", "常住人口信息表", "常住人口登记表", "人口信息查询结果（常住人口信息）"))
    doc.title(title, spaced=False, size=min(doc.style.title_size, 20))
    doc.space(2)
    C = Cell
    rowh = rng.uniform(9, 11)
    marriage = rng.choice(("未婚", "已婚", "离婚", "已婚"))
    height = rng.randint(155, 185)
    head = s.name if rng.random() < 0.5 else ctx.fake.name()
    rows = [
        [C("姓名", align="center"), C(s.name), C("性别", align="center"), C(s.sex), C("", height=rowh)],
        [C("民族", align="center"), C(s.nation), C("出生日期", align="center"), C(d_cn(s.birth)), C(cont=True)],
        [C("公民身份号码", align="center"), C(s.id_number, span=3), C(cont=True)],
        [C("籍贯", align="center"), C(s.hukou[:6]), C("文化程度", align="center"), C(s.education), C(cont=True)],
        [C("婚姻状况", align="center"), C(marriage), C("身高", align="center"), C(f"{height}厘米"), C(cont=True)],
        [C("户籍地址", align="center"), C(s.hukou, span=4)],
        [C("服务处所", align="center"), C(s.workplace or "无", span=2), C("职业", align="center"), C(s.occupation)],
        [C("户主姓名", align="center"), C(head), C("与户主关系", align="center"), C("户主" if head == s.name else rng.choice(("子", "女", "孙子", "兄弟"))),
         C("")],
        [C("何时由何地迁来本址", align="center"), C(rng.choice(("出生登记", f"{s.birth.year + rng.randint(5, 20)}年由外省迁入")), span=4)],
        [C("户籍登记机关", align="center"), C(s.hukou_org, span=4)],
    ]
    rows = [[replace_height(c, rowh) for c in r] for r in rows]

    def photo(x, y):
        col = doc.width * (1.2 / 6.2)  # the last column, rows 1-5, holds the photo
        ph = rowh * 4.4
        pw = min(col * 0.85, ph * 0.78)
        return [Mark("photo", doc.x0 + doc.width - col / 2, y + rowh * 2.5, pw, ph, {})]
    doc.custom(0, photo)
    doc.table([1.2, 1.4, 1.0, 1.4, 1.2], rows, line_pitch=1.4)
    doc.space(4)
    printed = spec.at.replace(second=rng.randint(0, 59))
    pad = rng.random() < 0.5
    doc.groups([[Run(f"打印单位：{o.station}", doc.style.body, doc.style.table_size, color=doc.style.ink)],
                [Run(f"打印时间：{printed:%Y-%m-%d %H:%M:%S}" if pad else f"打印时间：{d_cn(printed)}", doc.style.body,
                     doc.style.table_size, color=doc.style.ink)]])
    doc.closing(o.station, d_seal(spec.at, doc.style.chinese_dates), seal(o.station, "户口专用章") if rng.random() < 0.8 else None,
                extra_above=2)
    return DocOut(spec.type, title if "查询" not in title else "常住人口信息表", None, o.station, iso(spec.at, False), [s.name],
                  doc.build())


def replace_height(c: Cell, h: float) -> Cell:
    c.height = max(c.height, h)
    return c


def seizure_list(ctx: Ctx, spec: DocSpec) -> DocOut:
    case, sc, rng = ctx.case, ctx.sc, ctx.rng
    o = case.organs
    s = spec.persons[0]
    ins = Instrument(ctx, "table")
    doc = ins.doc()
    if ins.header:
        doc.organ_header(o.branch)
    title = rng.choice(("扣押清单", "扣押清单", "扣押物品、文件清单"))
    doc.title(title, spaced=len(title) <= 4 and rng.random() < 0.7)
    doc.space(2)
    goods = list(sc.tools) + (list(sc.items) if spec.extra.get("with_loot", True) else [])
    head = [Cell(h, align="center") for h in ("编号", "名称", "数量", "特征", "备注")]
    rows = [head]
    for i, it in enumerate(goods, 1):
        note = rng.choice(("", "作案工具", "已拍照")) if it in sc.tools else rng.choice(("", "赃物", "涉案物品", "已发还"))
        rows.append([Cell(str(i), align="center"), Cell(it.name), Cell(it.qty, align="center"), Cell(it.feature), Cell(note)])
    rows.append([Cell(""), Cell("以下空白"), Cell(""), Cell(""), Cell("")])
    for _ in range(rng.randint(1, 5)):
        rows.append([Cell("") for _ in range(5)])
    doc.table([0.7, 2.2, 0.9, 3.2, 1.2], rows, header_rows=1, line_pitch=1.5)
    doc.space(4)
    a, b = rng.sample(case.officers, 2)
    doc.signatures([("持有人：", s.name), ("见证人：", ctx.fake.name())], fingerprint_on={0})
    doc.signatures([("侦查人员：", f"{a.name}、{b.name}"), ("保管人：", ctx.fake.name())])
    doc.text(d_seal(spec.at, doc.style.chinese_dates), "right", indent=10)
    doc.space(3)
    doc.text("本清单一式三份，一份交持有人，一份交保管人，一份附卷。", size=doc.style.table_size * 0.9)
    return DocOut(spec.type, title, None, o.branch, iso(spec.at, False), [s.name], doc.build())


def forensic(ctx: Ctx, spec: DocSpec) -> DocOut:
    """鉴定意见书 / 价格认定结论书: institution header, 编号, numbered sections, signatures, seal."""
    case, sc, rng = ctx.case, ctx.sc, ctx.rng
    ap = sc.appraisal
    ins = Instrument(ctx)
    if rng.random() < 0.6:
        ins.style.numbering = random_numbering(random.Random(ins.seed), ins.style.body)
    inst = ap["institution"]
    v = ap.get("person")
    accepted = case.appraisal_engaged + timedelta(days=rng.randint(0, 2))
    nums = "一二三四五六七"
    extra: list[str] = []

    def supply(n: int) -> None:
        while len(extra) < n:
            if ap["kind"] == "injury":
                extra.append(rng.choice((
                    f"{rng.choice(('头面部', '胸部', '四肢', '背部'))}可见{rng.choice(('陈旧性', '新鲜'))}{rng.choice(('挫伤', '擦伤', '瘀斑'))}"
                    f"{rng.randint(1, 4)}处，大小约{rng.randint(1, 8)}.{rng.randint(0, 9)}cm×{rng.randint(1, 6)}.{rng.randint(0, 9)}cm。",
                    f"{rng.choice(('CT', 'X线', 'DR'))}片示：{sc.injury}，{rng.choice(('断端对位可', '未见明显移位', '周围软组织肿胀'))}。",
                    f"神志清楚，对答切题，{rng.choice(('步入检查室', '四肢活动自如', '左上肢活动受限'))}。")))
            elif ap["kind"] == "price":
                it = rng.choice(sc.items)
                extra.append(f"经市场调查，与{it.name}同品牌、同型号的新品市场价格为人民币{int(it.value * rng.uniform(1.3, 2.0))}元，"
                             f"结合其使用年限及成新率{rng.randint(40, 85)}%，确定其价格。")
            else:
                extra.append(f"对检材中的{rng.choice(('微信', 'QQ', '短信', '支付宝'))}数据进行解析，共恢复已删除记录{rng.randint(0, 60)}条，"
                             f"提取与案件相关的记录{rng.randint(3, 80)}条，已导出为报告。")

    red = rng.random() < 0.3
    hospital = f"{case.organs.city.name}{rng.choice(('第一', '第二', '人民'))}医院"
    hours = rng.randint(1, 6)

    def make(k: int) -> Doc:
        doc = ins.doc()
        doc.organ_header(inst, red=red)
        doc.title(ap["title"], spaced=False)
        doc.doc_number(ap["number"])
        doc.space(3)
        sec = 0

        def heading(t: str) -> None:
            nonlocal sec
            doc.text(f"{nums[sec]}、{t}", family=doc.style.title, keep_with_next=True)
            sec += 1
        heading("基本情况")
        items = [f"委托单位：{case.organs.branch}", f"委托事项：{ap['subject']}的{'价格认定' if ap['kind'] == 'price' else '鉴定'}",
                 f"受理日期：{d_cn(accepted)}",
                 f"鉴定材料：{'鉴定委托书、病历资料、影像学资料' if ap['kind'] == 'injury' else '鉴定聘请书、' + ap['subject']}",
                 f"鉴定日期：{d_cn(accepted)}至{d_cn(spec.at)}", f"鉴定地点：{inst}"]
        if v is not None:
            items.append(f"被鉴定人：{v.name}，{v.sex}，{v.age(spec.at)}岁，身份证号{v.id_number}")
        for it in items:
            doc.para(it, indent=2)
        heading("基本案情")
        doc.para(facts)
        heading("资料摘要" if ap["kind"] == "injury" else "鉴定过程")
        if ap["kind"] == "injury":
            doc.para(f"据{hospital}病历记载：患者{v.name}因“被人打伤{hours}小时”入院，"
                     f"诊断为{sc.injury}。")
        else:
            doc.para("本次鉴定严格按照相关技术规范，遵循客观、独立、公正、科学的原则进行。")
        for p in extra[:k]:
            doc.para(p)
        heading("分析说明")
        if ap["kind"] == "injury":
            doc.para(f"根据送检材料及检查所见，被鉴定人{v.name}的损伤符合钝性外力作用所致。依据《人体损伤程度鉴定标准》相关条款之规定，"
                     f"其{sc.injury}构成{sc.grade}。")
        elif ap["kind"] == "price":
            doc.para("依据《价格认定规定》及相关技术规范，采用市场法进行价格认定，价格认定基准日为案发当日。")
        else:
            doc.para("检材数据提取过程规范，校验值一致，提取结果真实、完整、可靠。")
        heading("鉴定意见" if ap["kind"] != "price" else "价格认定结论")
        doc.para(ap["result"])
        doc.space(4)
        p1, p2 = ctx_names
        doc.signatures([("鉴定人：" if ap["kind"] != "price" else "价格认定人员：", p1)], align="right")
        doc.signatures([("鉴定人：" if ap["kind"] != "price" else "价格认定人员：", p2)], align="right")
        doc.closing(inst, d_seal(spec.at, doc.style.chinese_dates), seal(inst, "司法鉴定专用章" if "司法" in inst else ""),
                    extra_above=4)
        return doc

    ctx_names = (ctx.fake.name(), ctx.fake.name())
    facts = sx.facts_paragraph(case, sc, rng)
    if spec.pages:
        lo, hi = fit_range(lambda k: len(make(k).paginate()), spec.pages, supply, 4)
        k = rng.randint(lo, max(lo, hi - 1))
    else:
        k = rng.randint(0, 2)
    supply(k)
    doc = make(k)
    return DocOut(spec.type, ap["title"], ap["number"], inst, iso(spec.at, False), [v.name] if v is not None else [],
                  doc.build())


# ------------------------------------------------------------------------------------ 书证


def _card(prefix: str, rng: random.Random) -> str:
    return prefix + "".join(str(rng.randint(0, 9)) for _ in range(15))


def _money(x: float, sign: bool = False) -> str:
    s = f"{abs(x):,.2f}"
    return ("-" if x < 0 else "+" if sign else "") + s


def bank_statement(ctx: Ctx, spec: DocSpec) -> DocOut:
    """个人账户交易明细: a dense table over several pages, header row repeated, bank seal at the end."""
    case, sc, rng, fake = ctx.case, ctx.sc, ctx.rng, ctx.fake
    holder = spec.persons[0]
    bank, bin_ = case.bank if holder.role == "victim" else (sc.transfers[0].to_bank if sc.transfers else case.bank[0], "6228")
    account = _card(bin_, rng) if holder.role == "victim" or not sc.transfers else sc.transfers[0].to_account
    ins = Instrument(ctx, "table")
    landscape = rng.random() < 0.5
    if landscape:
        ins.style.page = A4_LANDSCAPE
        ins.style.left, ins.style.right, ins.style.top, ins.style.bottom = 15, 15, 20, 18
    else:
        ins.style.left, ins.style.right = 15, 15
    r = random.Random(ins.seed)
    ins.style.numbering = Numbering(r.choice(("第{n}页/共{m}页", "第 {n} 页 共 {m} 页", "第{n}页")),
                                    r.choice(("footer_center", "footer_right", "header_right")), "hei", 9.0)
    size = r.choice((7.5, 8.0, 8.5, 9.0))
    fam = r.choice(("hei", "song", "zenhei"))
    variant = r.choice(("amount", "inout", "debit"))
    end = (spec.at - timedelta(days=rng.randint(1, 10))).replace(hour=0, minute=0)
    start_balance = rng.randint(2000, 90000) + rng.randint(0, 99) / 100
    # Transactions: the case's transfers plus everyday ones, oldest first.
    txs: list[tuple[datetime, float, str, str, str]] = []
    for tr in sc.transfers if holder.role == "victim" else []:
        txs.append((tr.at, -tr.amount, "转账支出" if r.random() < 0.5 else "网银转账", tr.to_name, tr.to_account, "手机银行"))
    if holder.role == "suspect":
        for tr in sc.transfers:
            if tr.to_name == holder.name:
                txs.append((tr.at, tr.amount, "跨行转入", case.victims[0].name, _card("6217", rng), "网上银行"))
                txs.append((tr.at + timedelta(minutes=rng.randint(2, 30)), -tr.amount, rng.choice(("ATM取款", "转账支出")),
                            fake.name() if r.random() < 0.7 else "", _card("6222", rng), rng.choice(("ATM", "手机银行"))))

    def everyday(n: int) -> None:
        # Older and older everyday transactions: salary, payments, cash, transfers, interest.
        base = min([x[0] for x in txs], default=end)
        for _ in range(n):
            t = base - timedelta(days=rng.randint(0, 3), hours=rng.randint(0, 12), minutes=rng.randint(0, 59))
            base = t
            kind = rng.random()
            ch = rng.choice(("手机银行", "网上银行", "柜面", "ATM", "POS"))
            if kind < 0.45:
                txs.append((t, -round(rng.uniform(8, 600), 2), rng.choice(("快捷支付", "消费", "网上支付")),
                            rng.choice(("财付通支付科技有限公司", "支付宝（中国）网络技术有限公司", fake.company())), "", "POS"))
            elif kind < 0.52:
                txs.append((t, round(rng.uniform(3000, 12000), 2), rng.choice(("工资", "代发工资", "批量代付")), fake.company(),
                            _card("6222", rng), "柜面"))
            elif kind < 0.65:
                txs.append((t, -float(rng.choice((100, 200, 500, 1000, 2000))), "ATM取款", "", "", "ATM"))
            elif kind < 0.97:
                txs.append((t, round(rng.choice((-1, 1)) * rng.uniform(50, 5000), 2), rng.choice(("转账", "手机银行转账", "跨行转账")),
                            fake.name(), _card("62", rng)[:19], ch))
            else:
                txs.append((t, round(rng.uniform(0.1, 30), 2), "结息", "", "", "柜面"))

    def rows_for(n_extra: int) -> list[list[Cell]]:
        data = sorted(txs[: base_n + n_extra], key=lambda x: x[0])
        bal = start_balance
        out = []
        for i, (t, amt, memo, name, acct, channel) in enumerate(data, 1):
            bal += amt
            ds = f"{t:%Y%m%d}" if compact_dates else f"{t:%Y-%m-%d}"
            if variant == "amount":
                out.append([Cell(str(i), align="center"), Cell(ds), Cell(f"{t:%H:%M:%S}"), Cell(memo), Cell(_money(amt), align="right"),
                            Cell(_money(bal), align="right"), Cell(name), Cell(acct), Cell(channel)])
            elif variant == "inout":
                out.append([Cell(ds), Cell(memo), Cell(_money(amt) if amt > 0 else "", align="right"),
                            Cell(_money(-amt) if amt < 0 else "", align="right"), Cell(_money(bal), align="right"), Cell(name), Cell(acct)])
            else:
                out.append([Cell(ds), Cell(memo), Cell("贷" if amt > 0 else "借", align="center"), Cell(_money(abs(amt)), align="right"),
                            Cell(_money(bal), align="right"), Cell(name), Cell(channel)])
        return out

    heads = {"amount": (("序号", "交易日期", "交易时间", "摘要", "交易金额", "账户余额", "对方户名", "对方账号", "交易渠道"),
                        (0.5, 1.1, 0.9, 1.0, 1.1, 1.1, 2.0, 2.0, 0.9)),
             "inout": (("交易日期", "摘要", "收入金额", "支出金额", "余额", "对方户名", "对方账号"), (1.1, 1.0, 1.0, 1.0, 1.1, 2.2, 2.0)),
             "debit": (("记账日期", "交易类型", "借贷", "发生额", "余额", "对方户名", "交易网点"), (1.0, 1.0, 0.5, 1.1, 1.1, 2.4, 1.2))}
    names, widths = heads[variant]
    title = r.choice(("个人账户交易明细", "活期账户交易明细清单", "客户交易明细对账单", "账户交易流水"))
    period_start = end - timedelta(days=90)
    everyday(rng.randint(6, 14) if txs else rng.randint(14, 24))  # a statement is never empty
    base_n = len(txs)
    compact_dates = r.random() < 0.4
    shade = (230, 230, 230) if r.random() < 0.5 else None
    bank_align = "left" if r.random() < 0.5 else "center"
    bank_size, title_size = r.choice((14.0, 16.0, 18.0)), r.choice((14.0, 16.0))
    clerk = r.randint(10000, 99999)
    seal_at = r.uniform(0.45, 0.8)

    def supply(n: int) -> None:
        while len(txs) < base_n + n:
            everyday(1)

    def make(k: int) -> Doc:
        doc = ins.doc()
        doc.text(bank, bank_align, "hei_bold", bank_size, pitch=9)
        doc.text(title, "center", doc.style.title, title_size, pitch=10)
        info = [[Run(f"户名：{holder.name}", fam, size + 1, color=INK)], [Run(f"账号：{account}", fam, size + 1, color=INK)],
                [Run("币种：人民币", fam, size + 1, color=INK)],
                [Run(f"起止日期：{period_start:%Y-%m-%d}至{end:%Y-%m-%d}", fam, size + 1, color=INK)],
                [Run(f"打印日期：{spec.at:%Y-%m-%d}", fam, size + 1, color=INK)]]
        doc.groups(info, gap_em=2.5)
        doc.space(1.5)
        doc.table(list(widths), [[Cell(h, align="center", fill=shade) for h in names]] + rows_for(k), size=size, family=fam, header_rows=1, pad=1.0,
                  line_pitch=1.3, border=0.2, outer=0.35)
        doc.space(3)
        doc.text("以下空白", "center", fam, size + 1)
        doc.text(f"打印机构：{bank}{case.organs.city.name}{case.organs.district_short}支行    经办柜员：{clerk}",
                 "left", fam, size + 1)
        branch = f"{bank}股份有限公司{case.organs.city.name[:-1]}{case.organs.district_short}支行" if "中国" in bank else \
            f"{bank}{case.organs.city.name[:-1]}分行"
        seal_x = doc.x0 + doc.width * seal_at

        def stamp(x, y):  # the bank's round 业务专用章 over the printing line
            return [Mark("seal", seal_x, y - 4, 40, 40, seal(branch, "业务专用章", diameter=40))]
        doc.custom(12, stamp)
        return doc

    if spec.pages:
        lo, hi = fit_range(lambda k: len(make(k).paginate()), spec.pages, supply, 20)
        k = rng.randint(lo, max(lo, hi - 1))
    else:
        k = rng.randint(8, 20)
    supply(k)
    doc = make(k)
    return DocOut(spec.type, bank + title, None, bank, iso(spec.at, False), [holder.name], doc.build())


def receipt(ctx: Ctx, spec: DocSpec) -> DocOut:
    """A shop's sales receipt proving what the stolen goods cost, with an oval 财务专用章."""
    sc, rng, fake = ctx.sc, ctx.rng, ctx.fake
    v = spec.persons[0]
    items = [i for i in sc.items if i.name != "现金"] or [sx.Item("商品", "1件", "", 1000)]
    first = items[0].name
    kind = ("电动车行" if "电动" in first else "数码专营店" if ("手机" in first or "电脑" in first) else
            "金店" if "黄金" in first else rng.choice(("商贸有限公司", "电器商行")))
    shop = fake.company_prefix() + kind
    ins = Instrument(ctx, "table")
    doc = ins.doc()
    title = rng.choice(("收款收据", "销售单", "销货清单"))
    doc.text(shop, "center", doc.style.header, 16, pitch=10)
    doc.title(title, spaced=True, size=18)
    doc.text(f"NO.{rng.randint(0, 9999999):07d}", "right", "hei", 12, color=(190, 30, 30))
    doc.text(f"客户名称：{v.name}        日期：{d_cn(spec.at)}", "left", size=11)
    rows = [[Cell(h, align="center") for h in ("品名", "规格型号", "单位", "数量", "单价", "金额")]]
    total = 0
    for it in items:
        price = int(it.value * rng.uniform(1.2, 1.7)) // 10 * 10
        total += price
        rows.append([Cell(it.name), Cell(it.feature.split("，")[0]), Cell(it.qty[-1], align="center"),
                     Cell(it.qty[:-1], align="center"), Cell(f"{price:.2f}", align="right"), Cell(f"{price:.2f}", align="right")])
    for _ in range(rng.randint(1, 3)):
        rows.append([Cell("") for _ in range(6)])
    rows.append([Cell("合计金额（大写）", span=2, align="center"), Cell(money_upper(total), span=2), Cell("¥", align="right"),
                 Cell(f"{total:.2f}", align="right")])
    doc.table([2.0, 1.8, 0.7, 0.7, 1.3, 1.4], rows, size=11, line_pitch=1.5)
    doc.space(2)
    doc.signatures([("收款单位（盖章）：", None), ("开票人：", fake.name())])
    # The shop's oval seal sits over the unit line.
    def draw(x, y):
        return [Mark("seal", doc.x0 + 50, y - 6, 40, 40, {"text": shop, "center": "财务专用章", "ellipse": True, "star": False,
                                                       "code": str(rng.randint(10**12, 10**13 - 1))})]
    doc.custom(10, draw)
    return DocOut(spec.type, title, None, shop, iso(spec.at, False), [v.name], doc.build())


def diagnosis(ctx: Ctx, spec: DocSpec) -> DocOut:
    case, sc, rng = ctx.case, ctx.sc, ctx.rng
    v = spec.persons[0]
    hosp = f"{case.organs.city.name}{rng.choice(('第一', '第二', '第三', '中医', '人民', '中心'))}医院"
    ins = Instrument(ctx)
    doc = ins.doc()
    dept = ("口腔科" if "牙" in sc.injury else "眼科" if "眼" in sc.injury else "骨科" if "骨折" in sc.injury
            else rng.choice(("急诊科", "外科")))
    doc.organ_header(hosp)
    doc.title("诊断证明书", spaced=rng.random() < 0.5)
    doc.space(3)
    doc.groups([doc.field_run("姓名：", v.name, False), doc.field_run("性别：", v.sex, False),
                doc.field_run("年龄：", f"{v.age(spec.at)}岁", False), doc.field_run("科别：", dept, False),
                doc.field_run("门诊号：", str(rng.randint(10**7, 10**8 - 1)), False)], gap_em=1.5)
    doc.space(3)
    doc.para(f"临床诊断：{sc.injury}；{rng.choice(('多处软组织挫伤', '头皮血肿', '面部挫裂伤'))}。", indent=0)
    doc.para(f"处理意见：{rng.choice(('已行清创缝合术', '予以手法复位、石膏固定', '予以对症治疗'))}，建议休息{rng.choice((14, 21, 30, 60))}天，门诊随诊。", indent=0)
    doc.space(8)
    doc.signatures([("医师：", ctx.fake.name())], align="right")
    doc.closing(hosp, d_cn(spec.at), seal(hosp, "诊断证明专用章"), extra_above=2)
    return DocOut(spec.type, "诊断证明书", None, hosp, iso(spec.at, False), [v.name], doc.build())
