"""Evidence-volume documents: 笔录 with 问/答 dialogue, forms, tables, opinions, bank statements."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from .content import DocSpec, footer, head, iso, spaced
from .crimes import Facts
from .people import BANKS, Case, Person, ar_date, dt_str, hm
from .render import Cell, Fields, Furniture, Gap, Seal, Signature, Table, Text


def _qa(q: str, a: str, rng: random.Random, style: int) -> list[Text]:
    qa = [("问：", "答："), ("问:", "答:"), ("问：", "答：")][style]
    hang = 2 if style != 2 else 0
    return [Text(qa[0] + q, hang=hang), Text(qa[1] + a, hang=hang)]


def _extra_suspect(c: Case, p: Person, rng: random.Random) -> list[tuple[str, str]]:
    mates = [s.name for s in c.suspects if s is not p]
    return [
        ("你作案时有没有同伙？", f"有，{'、'.join(mates)}和我一起。" if mates else "没有，就我一个人。"),
        ("事后你去了哪里？", rng.choice(["回了出租屋睡觉。", "去网吧上了一晚上网。", "坐车回了老家。"])),
        ("你用的手机号码是多少？", f"{p.phone}，是我本人实名办理的，一直是我自己在用。"),
        ("你家里还有什么人？", rng.choice(["父母在老家务农，还有一个姐姐已经出嫁。", "妻子和一个儿子，儿子在上小学。", "就我一个人在这边打工。"])),
        ("你对自己的行为有什么认识？", "我知道自己错了，对不起被害人，愿意认罪认罚，请求政府从轻处理。"),
        ("民警已向你告知认罪认罚从宽制度的相关规定，你是否清楚？", "清楚了，我愿意认罪认罚。"),
        ("你身体状况怎么样？有没有传染病或者其他疾病？", "身体很好，没有什么病。"),
        ("在公安机关期间，民警有无对你打骂、体罚、刑讯逼供？", "没有，民警对我很好，让我吃饭、休息了。"),
        ("现在向你出示监控视频截图，截图中的人是谁？", "是我，我认得自己的衣服。"),
        ("你是怎么被民警抓到的？", rng.choice(["民警到我住的地方找到我的。", "我在网吧上网时被抓的。", "我自己到派出所来的。"])),
    ]


def _extra_witness(c: Case, p: Person, rng: random.Random) -> list[tuple[str, str]]:
    return [
        ("你的联系电话是多少？", f"{p.phone}。"),
        ("事发地周围有没有监控？", rng.choice(["路口有一个监控探头。", "不清楚有没有。", "店里门口装了监控。"])),
        ("当时还有谁在场？", rng.choice(["还有我一个朋友，叫不出全名，大家都叫他阿辉。", "周围有几个路人，都不认识。", "就我一个人。"])),
        ("事后你做了什么？", rng.choice(["我马上打了110报警。", "我先回家了，第二天才来派出所。", "我拍了几张照片，照片还在手机里。"])),
        ("你以前见过那个人吗？", rng.choice(["没见过。", "好像在附近见过一两次，不熟。"])),
        ("你今天所讲的是否属实？有无受到他人指使？", "属实，没有人指使我。"),
        ("你对案件处理有什么意见？", rng.choice(["希望依法处理。", "没有意见。", "要求赔偿损失，追究对方的法律责任。"])),
    ]


def record(c: Case, f: Facts, rng: random.Random, p: Person, kind: str, nth: int, t: datetime) -> DocSpec:
    """讯问笔录 / 询问笔录: header lines, dialogue, closing confirmation; every page signed at the foot."""
    o = c.organs
    asker, writer = rng.sample(o.officers, 2)
    interrogation = kind == "suspect"
    title = "讯问笔录" if interrogation else "询问笔录"
    verb = "讯问" if interrogation else "询问"
    end = t + timedelta(minutes=rng.randrange(35, 150))
    style = rng.randrange(3)
    blocks = []
    shown = spaced(title, rng)
    if nth > 1 and rng.random() < 0.6:
        blocks.append(Text(f"{title}（第{nth}次）", role="title", size=c.habits.title_px, align="center", after=0.3))
    else:
        blocks.append(Text(shown, role="title", size=c.habits.title_px, align="center", tracking=c.habits.title_tracking))
        blocks.append(Text(f"（第{nth}次）" if interrogation or rng.random() < 0.3 else "", align="right", size=0.9))
    place = rng.choice([f"{o.unit}{'办案区讯问室' if interrogation else '询问室'}", f"{o.jail}{rng.randrange(1, 9)}号提审室"
                        if interrogation and nth > 1 else f"{o.unit}", p.address if kind == "witness" and rng.random() < 0.3 else o.unit])
    blocks += [
        Fields([("时间：", f"{dt_str(t)}至{dt_str(end) if end.date() != t.date() else hm(end)}")]),
        Fields([("地点：", place)]),
        Fields([(f"{verb}人（签名）：", f"{asker}、{writer}"), ("工作单位：", o.unit)]),
        Fields([("记录人（签名）：", writer), ("工作单位：", o.unit)]),
        Fields([(f"被{verb}人：", p.name), ("性别：", p.sex), ("年龄：", str(p.age(t.date()))), ("出生日期：", ar_date(p.birth))]),
        Fields([("身份证件种类及号码：", f"居民身份证 {p.id_no}")]),
        Fields([("现住址：", p.address)]),
        Fields([("联系方式：", p.phone), ("户籍所在地：", p.hukou)]),
    ]
    role_word = {"victim": "被害人", "witness": "证人", "suspect": "犯罪嫌疑人"}[kind]
    # a statement without the role field may name the role in its title or only in the warning
    # (drawn apart, so a seed's other draws stay as they were)
    named = random.Random(f"{p.name}-{nth}-{kind}")
    role_in = "field" if kind != "suspect" and rng.random() < 0.5 else None
    if kind != "suspect" and role_in is None and named.random() < 0.5:
        role_in = "title" if named.random() < 0.4 else "warning"
    if role_in == "title":
        blocks[0] = Text(f"{title}{named.choice(['', ' '])}（{role_word}）", role="title", size=c.habits.title_px, align="center",
                         after=blocks[0].after)
    if role_in == "field":
        blocks.append(Fields([("被询问人身份：", role_word)]))
    if interrogation and nth == 1 and rng.random() < 0.5:
        arrive = t - timedelta(minutes=rng.randrange(10, 60))
        blocks.append(Text(f"（口头传唤/被扭送/自动投案的被讯问人于{arrive.month}月{arrive.day}日{hm(arrive)}到达，"
                           f"{end.month}月{end.day}日{hm(end + timedelta(minutes=20))}离开，本人签名：        ）", size=0.85))
    blocks.append(Gap(0.3))
    say = lambda q, a: blocks.extend(_qa(q, a, rng, style))  # noqa: E731
    if interrogation:
        say(f"我们是{o.bureau}的民警（出示工作证件），现依法对你进行讯问，你应当如实回答我们的提问，对与本案无关的问题，"
            "你有拒绝回答的权利，你听清楚了吗？", "听清楚了。")
        if nth == 1:
            say("这是《犯罪嫌疑人诉讼权利义务告知书》，你看一下，是否清楚自己的权利和义务？", rng.choice(["清楚了。", "我看过了，清楚。"]))
            say("你是否申请办案人员回避？", "不申请。")
            say("你的个人情况？", f"我叫{p.name}，{p.sex}，{ar_date(p.birth)}出生，{p.nation}，{p.edu}文化，身份证号码{p.id_no}，"
                f"户籍地{p.hukou}，现住{p.address}，{p.job}，电话{p.phone}。")
            say("你以前受过什么处罚没有？", rng.choice(["没有。", f"{t.year - rng.randrange(2, 8)}年因盗窃被判过有期徒刑六个月。",
                                                 "以前因为打架被行政拘留过一次。"]))
            say("你知道为什么被带到公安机关吗？", f"知道，因为{f.charge}的事情。")
            say("你把事情经过详细讲一下。", f.found.replace("犯罪嫌疑人", "").replace(p.name, "我", 1))
        else:
            say("你之前所讲的是否属实？有无补充或者更正？", rng.choice(["属实，没有要补充的。", "属实，我再补充一点。"]))
        for q, a in rng.sample(f.suspect_qa, k=min(len(f.suspect_qa), rng.randrange(2, 5))):
            say(q, a)
        extra = _extra_suspect(c, p, rng)
        for q, a in rng.sample(extra, k=rng.randrange(0, len(extra) + 1)):
            say(q, a)
    else:
        you = f"你作为{role_word}，" if role_in == "warning" else "你"
        say(f"我们是{o.bureau}的民警，依法向你询问有关问题，{you}应当如实提供证据、证言，有意作伪证或者隐匿罪证要负法律责任，"
            "你听明白了吗？", "明白。")
        say("你的基本情况？", f"{p.name}，{p.sex}，{p.age(t.date())}岁，{p.job}，住{p.address}。")
        qa = f.victim_qa if kind == "victim" else f.witness_qa
        if kind == "witness" and c.witnesses and p is not c.witnesses[0]:  # a bystander, not the key witness
            qa = [("你今天来派出所是什么事？", f"民警通知我来，了解{c.t['incident'].month}月{c.t['incident'].day}日发生在{f.place}的事情。"),
                  ("你当时在哪里？", rng.choice(["我在附近上班，听到吵闹声出来看了一下。", "我住在旁边，当时正好下楼买东西。",
                                           "我在店里看店，事情经过没看全。"])),
                  ("你看到了什么？", rng.choice(["只看到有人围在那里，具体发生了什么我不清楚。", f"我看到{c.suspects[0].name}在那里，"
                                            "后来民警就来了。", "我看到一个男的匆匆忙忙走了，长相没看清。"]))]
        for q, a in qa[: rng.randrange(2, len(qa) + 1)] if len(qa) > 2 else qa:
            say(q, a)
        extra = _extra_witness(c, p, rng)
        for q, a in rng.sample(extra, k=rng.randrange(0, len(extra))):
            say(q, a)
        if kind == "witness":
            say(f"你和{c.suspects[0].name}、{c.victims[0].name if c.victims else '本案当事人'}有无利害关系？", "没有。")
    say(rng.choice(["你还有什么要补充的吗？", "还有其他要补充的吗？"]), "没有了。")
    say("以上所说是否属实？", "属实。")
    blocks.append(Text(rng.choice(["以上笔录我看过，和我说的相符。", "以上笔录我看过（向我宣读过），和我说的相符。",
                                   "以上笔录已向我宣读过，和我说的一样。"]), role="fill", size=1.1, before=0.6))
    blocks.append(Signature("", True, align="right"))
    blocks.append(Text(ar_date(end), role="fill", align="right"))
    code = {"suspect": "interrogation_record", "victim": "victim_statement", "witness": "witness_statement"}[kind]
    fs = rng.choice([0, 1, 3]) if c.habits.footer_style > 1 else c.habits.footer_style
    furn = Furniture(footer=footer(fs), page_sign=f"被{verb}人：" if rng.random() < 0.8 else "签名：",
                     footer_align=rng.choice(["center", "right"]))
    return DocSpec(code, title, None, o.unit if rng.random() < 0.5 else o.bureau, iso(t, True), [p.name], blocks, furn, when=t)


def circumstances(c: Case, f: Facts, rng: random.Random) -> DocSpec:
    t = c.t["capture"]
    title = rng.choice(["到案经过", "抓获经过", "到案经过说明"])
    names = "、".join(s.name for s in c.suspects)
    how = rng.choice([f"经调取沿途监控，锁定犯罪嫌疑人{names}的活动轨迹，于{dt_str(t)}在{c.organs.city}{c.organs.district}"
                      f"{rng.choice(['一出租屋内', '一网吧内', '其暂住处', '火车站候车室'])}将其抓获。",
                      f"犯罪嫌疑人{names}于{dt_str(t)}在家属陪同下到我所投案。",
                      f"民警通过电话通知犯罪嫌疑人{names}到案接受调查，{names}于{dt_str(t)}主动到{c.organs.unit}接受调查。"])
    blocks = head(c, rng, title, None, organ="")
    blocks += [Text(f"{ar_date(c.t['report'])}，{c.organs.unit}接到报案称：{f.report}", indent=2, before=0.5),
               Text(f"接报后，我所民警立即开展侦查工作，{how}", indent=2),
               Text(rng.choice(["特此说明。", "现将到案经过说明如上。", ""]), indent=2)]
    blocks += [Gap(1), Text(f"办案民警：{c.organs.officers[0]}  {c.organs.officers[1]}", align="right", role="fill"),
               Text(c.organs.unit, align="right"), Seal(c.organs.bureau), Text(c.date(t + timedelta(hours=5)), align="right")]
    return DocSpec("arrest_circumstances", title, None, c.organs.unit, iso(t + timedelta(hours=5)),
                   [s.name for s in c.suspects], blocks, when=t)


def household(c: Case, f: Facts, rng: random.Random, p: Person) -> DocSpec:
    t = c.t["capture"] + timedelta(days=rng.randrange(0, 5))
    title = rng.choice(["常住人口信息表", "常住人口登记表", "户籍证明"])
    v = lambda s: Cell(s, True)  # noqa: E731
    rows = [["姓名", v(p.name), "曾用名", v(""), "性别", v(p.sex)],
            ["民族", v(p.nation), "出生日期", v(ar_date(p.birth)), "文化程度", v(p.edu)],
            ["公民身份号码", Cell(p.id_no, True, span=3), "婚姻状况", v(rng.choice(["未婚", "已婚", "离婚"]))],
            ["籍贯", Cell(p.hukou[:9], True, span=3), "兵役状况", v(rng.choice(["未服兵役", "退出现役"]))],
            ["住址", Cell(p.hukou, True, span=5)],
            ["服务处所", Cell(p.job, True, span=3), "职业", v(p.job)],
            ["何时由何地迁来本址", Cell(rng.choice(["", f"{rng.randrange(1995, 2020)}年由本市迁来"]), True, span=5)],
            ["户号", v(str(rng.randrange(10**8, 10**9))), "与户主关系", v(rng.choice(["户主", "子", "女", "夫", "妻"])),
             "承办人", v(c.organs.officers[2])]]
    blocks = [Text(title, role="title", size=c.habits.title_px * 0.9, align="center", after=0.5),
              Table(rows, [0.18, 0.2, 0.16, 0.18, 0.14, 0.14]),
              Gap(0.5), Text(f"打印单位：{c.organs.bureau}{rng.choice(['户政', ''])}", size=0.85),
              Text(f"打印时间：{t:%Y-%m-%d %H:%M:%S}", size=0.85), Seal(c.organs.bureau, "户籍专用章")]
    return DocSpec("household_registration", title, None, c.organs.bureau, iso(t), [p.name], blocks, when=t)


def record_cert(c: Case, f: Facts, rng: random.Random, p: Person) -> DocSpec:
    t = c.t["capture"] + timedelta(days=rng.randrange(0, 6))
    title = rng.choice(["违法犯罪记录证明", "前科劣迹查询证明", "违法犯罪记录查询证明"])
    found = rng.choice(["未发现有违法犯罪记录。", f"发现其于{t.year - rng.randrange(2, 9)}年因盗窃被行政拘留十日。",
                        "无前科劣迹。"])
    blocks = head(c, rng, title, None, organ="")
    blocks += [Text(f"经查询全国违法犯罪人员信息系统，{p.name}（性别{p.sex}，公民身份号码：{p.id_no}）{found}", indent=2, before=1),
               Text("特此证明。", indent=2), Gap(2), Text(c.organs.unit, align="right"), Seal(c.organs.bureau),
               Text(c.date(t), align="right")]
    return DocSpec("criminal_record_certificate", title, None, c.organs.unit, iso(t), [p.name], blocks, when=t)


def identification(c: Case, f: Facts, rng: random.Random, who: Person) -> DocSpec:
    t = c.t["capture"] + timedelta(days=rng.randrange(0, 4), hours=rng.randrange(1, 6))
    s = c.suspects[0]
    k = rng.randrange(1, 13)
    blocks = [Text(spaced("辨认笔录", rng), role="title", size=c.habits.title_px, align="center", after=0.4),
              Fields([("时间：", f"{dt_str(t)}至{hm(t + timedelta(minutes=25))}")]),
              Fields([("地点：", c.organs.unit)]),
              Fields([("侦查人员：", "、".join(c.organs.officers[:2])), ("记录人：", c.organs.officers[1])]),
              Fields([("辨认人：", f"{who.name}（{ {'victim': '被害人', 'witness': '证人', 'suspect': '犯罪嫌疑人'}[who.role]}）")]),
              Fields([("见证人：", c.organs.officers[3] + "（辅警）" if rng.random() < 0.3 else f"{rng.choice('李王张')}某某")]),
              Gap(0.3),
              Text(f"辨认前，侦查人员告知辨认人{who.name}应当如实辨认，故意作虚假辨认应负的法律责任。", indent=2),
              Text(f"辨认对象为由十二张不同男性正面免冠照片组成的照片一组，侦查人员将被辨认人{s.name}的照片混杂其中。辨认人{who.name}"
                   f"经仔细辨认，指认出第{k}号照片上的男子就是{rng.choice(['作案的人', '当天打人的人', '卖东西给他的人', '其所说的那个人'])}。"
                   f"经查，第{k}号照片上的人为{s.name}。", indent=2),
              Text("辨认过程及结果详见辨认照片。", indent=2), Gap(1),
              Signature("辨认人：", True), Signature("见证人：", False), Signature("侦查人员：", False)]
    return DocSpec("identification_record", "辨认笔录", None, c.organs.unit, iso(t, True), [who.name], blocks, when=t)


def scene(c: Case, f: Facts, rng: random.Random) -> DocSpec:
    t = c.t["report"] + timedelta(hours=rng.randrange(1, 5))
    title = rng.choice(["现场勘验笔录", "现场勘验检查笔录"])
    o = c.organs
    blocks = head(c, rng, title, None, organ="")
    blocks += [Fields([("现场勘验单位：", f"{o.bureau}刑事科学技术室")]),
               Fields([("指派/报告单位：", o.unit), ("时间：", dt_str(c.t["report"]))]),
               Fields([("勘验时间：", f"{dt_str(t)}至{hm(t + timedelta(minutes=rng.randrange(40, 120)))}")]),
               Fields([("现场地点：", f.place)]),
               Fields([("现场保护情况：", rng.choice(["接报后民警到场保护", "原始现场", "变动现场"]))]),
               Fields([("天气：", rng.choice(["晴", "阴", "小雨", "多云"])), ("温度：", f"{rng.randrange(-3, 36)}℃"),
                       ("光线：", rng.choice(["自然光", "路灯照明", "室内灯光"]))]),
               Text("现场勘验情况：", before=0.3),
               Text(f"现场位于{f.place}。中心现场位于" + rng.choice(["车棚东侧", "店内大厅", "门口人行道", "路口东北角"]) +
                    f"，地面为{rng.choice(['水泥地面', '瓷砖地面', '柏油路面'])}。勘验人员采用由外向内的方法对现场进行勘验。"
                    + rng.choice(["现场未发现明显撬压痕迹。", "在地面发现滴落状血迹数处，已提取。", "现场遗留烟头一枚，已提取。"])
                    + f"现场共拍照{rng.randrange(6, 30)}张，绘制现场方位图、平面示意图各一张，提取{rng.choice(['监控视频', '生物检材', '鞋印'])}。",
                    indent=2),
               Text("勘验结束后，现场交由事主保管。", indent=2), Gap(1),
               Signature("勘验人员：", False), Signature("见证人：", True)]
    return DocSpec("scene_inspection_record", title, None, f"{o.bureau}", iso(t), [], blocks,
                   Furniture(footer=footer(c.habits.footer_style)), when=t)


def search_record(c: Case, f: Facts, rng: random.Random, p: Person) -> DocSpec:
    t = c.t["capture"] + timedelta(hours=rng.randrange(2, 6))
    blocks = [Text(spaced("搜查笔录", rng), role="title", size=c.habits.title_px, align="center", after=0.4),
              Fields([("时间：", f"{dt_str(t)}至{hm(t + timedelta(minutes=50))}")]),
              Fields([("侦查人员：", "、".join(c.organs.officers[:2])), ("记录人：", c.organs.officers[2])]),
              Fields([("当事人：", p.name), ("见证人：", f"{rng.choice('刘陈周')}某")]),
              Fields([("地点：", p.address)]),
              Text(f"侦查人员向{p.name}出示了搜查证，依法对其{rng.choice(['住处', '身体及随身物品', '车辆'])}进行搜查。搜查从{hm(t)}开始。"
                   f"在{rng.choice(['卧室衣柜内', '床头柜抽屉内', '其随身背包内', '车辆后备箱'])}发现" + "、".join(i[0] for i in f.items) +
                   "，依法予以扣押。搜查过程中未损坏物品。", indent=2, before=0.3),
              Text(f"搜查于{hm(t + timedelta(minutes=50))}结束。", indent=2), Gap(1),
              Signature("被搜查人：", True), Signature("见证人：", True), Signature("侦查人员：", False)]
    return DocSpec("search_record", "搜查笔录", None, c.organs.unit, iso(t, True), [p.name], blocks, when=t)


def seizure_list(c: Case, f: Facts, rng: random.Random, p: Person) -> DocSpec:
    t = c.t["capture"] + timedelta(hours=rng.randrange(2, 8))
    title = rng.choice(["扣押清单", "扣押物品、文件清单", "扣押物品清单"])
    no = c.docno("扣", rng) if rng.random() < 0.4 else None
    rows: list[list[Cell | str]] = [[Cell(h, align="center") for h in ["编号", "名称", "数量", "特征", "备注"]]]
    for i, (name, qty, feat) in enumerate(f.items, 1):
        rows.append([Cell(str(i), True, align="center"), Cell(name, True), Cell(qty, True), Cell(feat, True), Cell("", True)])
    for _ in range(rng.randrange(2, 6)):
        rows.append([""] * 5)
    blocks = head(c, rng, title, no, organ=c.organs.bureau if rng.random() < 0.5 else "")
    blocks += [Fields([("持有人：", p.name)]), Table(rows, [0.1, 0.3, 0.13, 0.32, 0.15]), Gap(0.5),
               Signature("持有人：", True), Signature("见证人：", False), Signature("保管人：", False),
               Text(f"办案单位（印）：{c.organs.unit}", before=0.3), Seal(c.organs.bureau), Text(c.date(t), align="right")]
    return DocSpec("seizure_list", title, no, c.organs.bureau, iso(t), [p.name], blocks, when=t)


def edata(c: Case, f: Facts, rng: random.Random, p: Person) -> DocSpec:
    t = c.t["capture"] + timedelta(hours=rng.randrange(3, 30))
    md5 = "".join(rng.choice("0123456789abcdef") for _ in range(32))
    title = rng.choice(["电子数据提取笔录", "电子数据现场提取笔录"])
    blocks = [Text(title, role="title", size=c.habits.title_px, align="center", after=0.4),
              Fields([("时间：", f"{dt_str(t)}至{hm(t + timedelta(minutes=rng.randrange(30, 90)))}")]),
              Fields([("侦查人员：", "、".join(c.organs.officers[1:3])), ("单位：", c.organs.bureau + "网安大队")]),
              Fields([("原始存储介质持有人：", p.name)]), Gap(0.3),
              Text(f"侦查人员对{p.name}的手机（{rng.choice(['华为', '苹果', 'vivo', '小米'])}，IMEI：{rng.randrange(10**14, 10**15)}）"
                   f"进行电子数据提取。使用{rng.choice(['美亚柏科取证大师', '手机取证系统', '盘古石取证'])}提取其中的微信聊天记录、通话记录、"
                   f"转账记录，共计{rng.randrange(20, 900)}条，生成文件“{p.name}手机数据.zip”。", indent=2),
              Text(f"完整性校验值（MD5）：{md5}", indent=2),
              Text("提取过程全程录像，原始存储介质未被修改。", indent=2), Gap(1),
              Signature("持有人：", True), Signature("见证人：", False), Signature("侦查人员：", False)]
    return DocSpec("electronic_data_record", title, None, c.organs.bureau, iso(t, True), [p.name], blocks, when=t)


def opinion(c: Case, f: Facts, rng: random.Random) -> DocSpec:
    title, org, matter, concl = f.appraisal
    t = c.t["opinion"]
    ch = c.organs.city[0]
    no = rng.choice([f"{ch}公司鉴〔{t.year}〕{rng.choice(['临', '物', '毒', '理'])}鉴字第{rng.randrange(10, 999)}号",
                     f"{ch}公物鉴字[{t.year}]{rng.randrange(100, 2000)}号",
                     f"{ch}价认〔{t.year}〕{rng.randrange(10, 300)}号" if "价格" in org else f"{org[:2]}司鉴所[{t.year}]鉴字第{rng.randrange(10, 300)}号"])
    blocks = [Text(org, role="title", size=c.habits.title_px * 0.85, align="center"),
              Text(spaced(title, rng) if len(title) <= 6 else title, role="title", size=c.habits.title_px, align="center"),
              Text(no, align="right", after=0.5),
              Text("一、基本情况", role="title", size=1.05),
              Fields([("委托单位：", c.organs.bureau)], underline=False),
              Fields([("委托事项：", matter)], underline=False),
              Fields([("受理日期：", ar_date(c.t["appraisal"] + timedelta(days=1)))], underline=False),
              Fields([("鉴定材料：", rng.choice(["检材及相关病历资料", "送检物品", "血样一份", "案件相关材料"]))], underline=False),
              Text("二、基本案情", role="title", size=1.05, before=0.3),
              Text(f"据委托方介绍：{f.report}", indent=2),
              Text("三、检验过程", role="title", size=1.05, before=0.3),
              Text(rng.choice(["按照相关技术规范对送检材料进行检验，检验方法：" + rng.choice(["气相色谱法", "气相色谱-质谱联用法", "体格检查及影像学阅片",
                                                                           "市场法"]) + "。", "依据相关标准，对检材进行了检验。"]), indent=2),
              Text("四、分析说明", role="title", size=1.05, before=0.3),
              Text(f"根据检验结果，结合案情及送检材料综合分析，{concl[:-1]}，依据充分。", indent=2),
              Text("五、鉴定意见", role="title", size=1.05, before=0.3),
              Text(concl, indent=2), Gap(1),
              Signature("鉴定人：", False, align="right"), Signature("鉴定人：", False, align="right"),
              Text(org, align="right"), Seal(org, "鉴定专用章"), Text(c.date(t), align="right")]
    persons = [f.appraisal_subject] if f.appraisal_subject else []
    return DocSpec("forensic_opinion", title, no, org, iso(t), persons, blocks,
                   Furniture(footer=footer(rng.choice([0, 1, 3])), header=None), when=t)


def statement(c: Case, f: Facts, rng: random.Random) -> DocSpec:
    payer = f.money[0][0] if f.money else c.suspects[0].name
    bank = rng.choice(BANKS)
    t0 = c.t["incident"] - timedelta(days=rng.randrange(3, 30))
    t1 = c.t["incident"] + timedelta(days=rng.randrange(2, 15))
    acct = "".join(str(rng.randrange(10)) for _ in range(19))
    bal = rng.randrange(2000, 200000)
    rows = [[Cell(h, align="center") for h in ["交易日期", "摘要", "交易金额", "余额", "对方户名", "对方账号"]]]
    cur = t0
    lines: list[tuple[datetime, str, int, str]] = []
    for _ in range(rng.randrange(8, 40)):
        cur += timedelta(hours=rng.randrange(3, 90))
        sign = rng.choice([-1, -1, 1])
        what = rng.choice(["消费", "转账", "ATM取款", "快捷支付", "跨行转出"] if sign < 0 else ["工资", "转账", "利息", "退款"])
        lines.append((cur, what, sign * rng.randrange(10, 3000), rng.choice(["财付通", "支付宝", "", "美团"])))
    for a, b, amt in f.money:
        lines.append((c.t["incident"] + timedelta(minutes=rng.randrange(1, 300)), "转账", -amt if a == payer else amt, b))
    lines.sort()
    t1 = max(t1, lines[-1][0] + timedelta(days=1))
    for when, what, amt, other in lines:
        bal += amt
        rows.append([f"{when:%Y-%m-%d %H:%M}", what, f"{amt:+.2f}", f"{bal:.2f}", other,
                     "".join(str(rng.randrange(10)) for _ in range(rng.choice([0, 12, 16]))) if other else ""])
    title = rng.choice(["个人客户交易明细", "账户交易明细清单", "借记卡账户历史明细清单"])
    blocks = [Text(bank, role="title", size=1.4, align="center"), Text(title, role="title", size=1.3, align="center", after=0.4),
              Fields([("户名：", payer), ("账号：", acct)], underline=False),
              Fields([("币种：", "人民币"), ("起止日期：", f"{t0:%Y%m%d}-{t1:%Y%m%d}")], underline=False),
              Table(rows, [0.21, 0.11, 0.14, 0.14, 0.14, 0.26], size=0.7),
              Gap(0.5), Text(f"{bank}股份有限公司{c.organs.city}{rng.choice(['分行', '支行', '城中支行'])}（业务专用章）", align="right", size=0.85),
              Seal(f"{bank}股份有限公司", "业务专用章")]
    return DocSpec("documentary_evidence", title, None, bank, iso(t1 + timedelta(days=rng.randrange(1, 9))), [payer], blocks,
                   Furniture(footer=lambda p, n: f"第{p}页/共{n}页", footer_align="right"), when=c.t["capture"] + timedelta(days=2))


def explanation(c: Case, f: Facts, rng: random.Random) -> DocSpec:
    t = c.t["capture"] + timedelta(days=rng.randrange(1, 30))
    text = f.explain or f"犯罪嫌疑人{c.suspects[0].name}到案后，我所民警多次走访案发地周边，未能找到其他目击证人。"
    title = rng.choice(["情况说明", "情 况 说 明", "关于有关情况的说明"])
    blocks = [Text(title, role="title", size=c.habits.title_px, align="center", after=0.6, tracking=c.habits.title_tracking),
              Text(text, indent=2), Text("特此说明。", indent=2), Gap(1.5),
              Text(f"办案民警：{c.organs.officers[0]}、{c.organs.officers[1]}", align="right"),
              Text(c.organs.unit, align="right"), Seal(c.organs.bureau), Text(c.date(t), align="right")]
    return DocSpec("situation_explanation", "情况说明", None, c.organs.unit, iso(t), [], blocks, when=t)
