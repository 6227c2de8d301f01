"""What the people of a case say: question-and-answer turns of interrogations and interviews,
and the narrative sentences of reports, for each kind of offence."""

from __future__ import annotations

import random
from datetime import timedelta

from .facts import Case, Person

CN_NUM = "〇一二三四五六七八九"
ORDINAL = ["", "一", "二", "三", "四", "五", "六", "七", "八", "九", "十"]


def dt_cn(t, minute=True) -> str:
    s = f"{t.year}年{t.month}月{t.day}日{t.hour}时"
    return s + (f"{t.minute}分" if minute else "")


def d_cn(d) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def d_upper(d) -> str:
    """二〇二四年三月十三日 — the way 落款 dates are printed on official instruments."""
    y = "".join(CN_NUM[int(c)] for c in str(d.year))

    def n(v: int) -> str:
        if v <= 10:
            return ORDINAL[v] if v else "〇"
        if v < 20:
            return "十" + (ORDINAL[v - 10] if v > 10 else "")
        return ORDINAL[v // 10] + "十" + (ORDINAL[v % 10] if v % 10 else "")

    return f"{y}年{n(d.month)}月{n(d.day)}日"


def facts_sentence(case: Case) -> str:
    c = case.crime
    s = "、".join(p.name for p in case.suspects)
    v = case.victims[0].name
    t = dt_cn(case.occurred)
    if c.code == "theft":
        goods = "、".join(f"{n}{q}" for n, q, *_ in c.items)
        return (f"{t}许，犯罪嫌疑人{s}窜至{c.scene}，趁无人之机撬开卷帘门进入室内，窃得被害人{v}的{goods}，"
                f"经价格认定，被盗物品价值共计人民币{c.loss}元。")
    if c.code == "injury":
        return (f"{t}许，犯罪嫌疑人{s}在{c.scene}因琐事与被害人{v}发生争执，{case.suspects[0].name}持木棍击打{v}头部、"
                f"手臂等处，致{v}受伤。经鉴定，{v}的损伤程度为轻伤二级。")
    return (f"{t}起，犯罪嫌疑人{s}通过微信冒充网店客服，以“退款理赔”为由骗取被害人{v}的信任，"
            f"诱使其通过手机银行分多次转账共计人民币{c.loss}元。")


def report_text(case: Case) -> str:
    """简要案情 as the reporting officer wrote it down."""
    c = case.crime
    v = case.victims[0]
    if c.code == "theft":
        return (f"{dt_cn(case.reported)}，{v.name}到我所报案称：其经营的位于{c.scene}的店铺于{dt_cn(case.occurred, False)}许"
                f"被人撬门入室，店内{c.items[0][0]}等物品被盗，损失约{c.loss}元。报案人提供了店内监控录像。")
    if c.code == "injury":
        return (f"{dt_cn(case.reported)}，{v.name}报称：{dt_cn(case.occurred, False)}许在{c.scene}被人用木棍打伤头部，"
                f"现已在县人民医院治疗，要求公安机关依法处理。")
    return (f"{dt_cn(case.reported)}，{v.name}到我所报案称：其在网上购物后接到自称客服的人联系退款，"
            f"按对方要求操作后被骗走人民币{c.loss}元。报案人提供了聊天记录截图及转账凭证。")


def warning_question(case: Case, unit: str, kind: str, rng: random.Random) -> str:
    if kind == "suspect":
        return rng.choice([
            f"我们是{unit}的民警（出示工作证件），现依法对你进行讯问。你应当如实回答我们的提问，对与本案无关的问题，"
            f"你有拒绝回答的权利。如实供述自己的罪行，可以依法从轻处罚。你听清楚了吗？",
            f"我们是{case.bureau}的侦查人员，今天依法对你进行讯问，你要如实回答，如实供述自己罪行的，可以从宽处理。"
            f"《犯罪嫌疑人诉讼权利义务告知书》已经交给你，你看过了吗？",
        ])
    return rng.choice([
        f"我们是{unit}的民警（出示工作证件），现依法向你询问有关问题，你应当如实提供证据、证言，"
        f"有意作伪证或者隐匿罪证要负法律责任，你听明白了吗？",
        f"我们是{case.bureau}的民警，依法向你了解有关情况，请你如实提供证据、证言，如果有意作伪证或者隐匿罪证，"
        f"要负相应的法律责任，你明白吗？",
    ])


GENERIC_SUSPECT = [
    ("你的手机号码是多少？用的什么微信号？", "手机号码是我本人的号码，微信号就是手机号。"),
    ("你作案后去了哪里？", "回出租屋睡觉了，第二天去了县城朋友家。"),
    ("你和同案人是什么关系？", "是以前一起打工认识的朋友，平时经常在一起玩。"),
    ("你有没有吸毒、赌博的习惯？", "没有吸毒，以前打过几次牌。"),
    ("你作案的动机是什么？", "那段时间没有钱用，欠了别人的钱，就想搞点钱花。"),
    ("你现在对自己的行为怎么认识？", "我知道自己错了，愿意认罪认罚，积极退赔。"),
    ("你是否认罪认罚？", "认罪认罚。"),
    ("我们依法告知你认罪认罚的相关法律规定，你听清楚了吗？", "听清楚了。"),
    ("你作案时有没有其他人知道？", "没有别人知道。"),
    ("你身上的伤是怎么回事？", "是以前干活时弄伤的，和这次的事没有关系。"),
]


def interrogation_turns(case: Case, s: Person, n: int, rng: random.Random, unit: str, extra: int = 0) -> list[tuple[str, str]]:
    """Q&A of the n-th interrogation of suspect ``s``."""
    c = case.crime
    v = case.victims[0].name
    others = [p.name for p in case.suspects if p is not s]
    qa = [(warning_question(case, unit, "suspect", rng), rng.choice(["听清楚了。", "清楚了。", "看过了，我明白。"]))]
    if n == 1:
        qa += [
            ("你的个人情况？", f"我叫{s.name}，{s.sex}，{s.age(case.occurred.date())}岁，{s.ethnic}，{s.edu}文化，"
                            f"{s.job}，身份证号码{s.id_no}，户籍地{s.household}，现住{s.address}。"),
            ("你的家庭情况？", rng.choice(["父母在家务农，我未婚。", "我已婚，妻子在外地打工，有一个儿子在读小学。", "我离异，一个人生活。"])),
            ("你以前受过什么处罚没有？", rng.choice(["没有。", "2019年因为打架被派出所拘留过十天。", "没有受过任何处罚。"])),
            ("你知道今天为什么被传唤到公安机关吗？", f"知道，是因为{rng.choice(['我偷东西的事', '那天的事情', '我做了违法的事情'])}。"),
        ]
    else:
        qa += [
            (f"这是第{ORDINAL[n]}次对你进行讯问，你之前所供述的是否属实？", rng.choice(["属实。", "都是真的。", "是属实的，我没有说假话。"])),
            ("你今天有没有需要补充的？", rng.choice(["有，我想再说一下当时的情况。", "我再补充一点。", "没有什么补充的，你们问吧。"])),
        ]
    if c.code == "theft":
        pool = [
            ("你把事情经过讲一下。", f"{dt_cn(case.occurred, False)}左右，我{('和' + '、'.join(others)) if others else '一个人'}"
                              f"走到{c.scene}，看到店里没有人，就用随身带的起子把卷帘门撬开钻了进去。"),
            ("你们进去后拿了些什么东西？", "拿了" + "、".join(f"{q}{n}" for n, q, *_ in c.items) + "，装在一个黑色塑料袋里带走了。"),
            ("偷来的东西怎么处理的？", rng.choice(["手机卖给了街上收旧手机的，卖了六百元，钱拿去上网用了。", "东西都放在我住的出租屋里，还没有来得及卖。"])),
            ("作案工具在哪里？", "起子丢在河边的草丛里了，我可以带你们去找。"),
            ("你们是怎么分工的？", f"{others[0] if others else '我'}在外面望风，我进去拿东西。" if others else "就我一个人，没有人帮忙。"),
            ("你偷东西前有没有踩过点？", "前一天晚上路过看了一下，知道那家店晚上没人守。"),
            ("你作案时穿的什么衣服？", "穿一件灰色连帽卫衣，黑色裤子，戴了一个口罩。"),
        ]
    elif c.code == "injury":
        pool = [
            ("你把事情经过讲一下。", f"{dt_cn(case.occurred, False)}左右，我在{c.scene}和{v}因为{rng.choice(['停车', '欠钱', '喝酒'])}的事吵起来了，"
                              "他先推了我一把，我就火了。"),
            ("后来呢？", f"我从旁边拿了一根木棍朝{v}头上打了两下，又打了他手臂一下，他头上就流血了。"),
            ("你打了几下？", "大概三四下，记不太清了。"),
            ("木棍是哪里来的？", "是店门口堆着的，长大概八十公分。"),
            ("事后你做了什么？", "我看到他流血就跑了，第二天听说他住院了。"),
            ("你是否愿意赔偿被害人的损失？", "愿意，我想和他和解，赔他的医药费。"),
        ]
    else:
        pool = [
            ("你把事情经过讲一下。", f"{case.occurred.year}年初，我在网上认识了一个叫“阿强”的人，他教我冒充网店客服给人打电话退款。"),
            ("你们具体怎么骗的？", f"先给买家打电话说商品有问题要理赔，再让他下载一个会议软件共享屏幕，引导他转账，{v}就是这样被骗的。"),
            ("骗来的钱转到哪里去了？", "转到我收来的几张银行卡上，再取现或者转给上线。"),
            ("这几张银行卡是谁的？", f"是我花钱找别人办的，{case.witnesses[0].name if case.witnesses else '一个朋友'}的卡也在里面。"),
            ("你一共获利多少钱？", f"我大概分到了{rng.randint(3, 9)}千元。"),
            ("你用的手机在哪里？", "被你们扣押了，就是那部白色的苹果手机。"),
        ]
    head, rest = pool[:1], pool[1:]
    rng.shuffle(rest)
    qa += head + rest + rng.sample(GENERIC_SUSPECT, min(extra, len(GENERIC_SUSPECT)))
    extra = [
        ("你还有什么要补充的吗？", rng.choice(["没有了。", "我知道错了，希望政府从轻处理。", "没有要补充的了。"])),
        ("你以上所讲的是否属实？", "属实。"),
    ]
    return qa + extra


def statement_turns(case: Case, p: Person, role: str, n: int, rng: random.Random, unit: str,
                    role_sentence: bool) -> list[tuple[str, str]]:
    c = case.crime
    sus = case.suspects[0].name
    qa = [(warning_question(case, unit, role, rng), rng.choice(["听明白了。", "明白。", "我明白。"]))]
    if n == 1:
        qa.append(("你的基本情况？", f"我叫{p.name}，{p.sex}，{p.ethnic}，{p.edu}文化，{p.job}，住{p.address}，电话{p.phone}。"))
    else:
        qa.append((f"这是第{ORDINAL[n]}次向你询问，你之前讲的是否属实？", "属实。"))
    if role == "victim":
        why = ("你今天因何事来公安机关？", rng.choice([
            "我是来报案的，我是这个案子的被害人，" if role_sentence else "我来报案，",
        ]) + {"theft": "我店里的东西被人偷了。", "injury": "我被人打伤了。", "fraud": "我在网上被人骗了钱。"}[c.code])
        pool = {
            "theft": [
                ("你把发现被盗的经过讲一下。", f"{dt_cn(case.occurred + timedelta(hours=7), False)}左右我来开门，发现卷帘门被撬开了，店里被翻得很乱。"),
                ("你被盗了哪些东西？", "被盗了" + "、".join(f"{n}{q}（{f}）" for n, q, f, _ in c.items) + "。"),
                ("被盗的东西价值多少？", f"总共大概{c.loss}元，手机是去年买的，有发票。"),
                ("你店里有监控吗？", "有，监控拍到一个穿灰色衣服戴口罩的男子进了店。"),
                ("你怀疑是谁偷的？", "不知道，没有怀疑的人。"),
            ],
            "injury": [
                ("你把被打的经过讲一下。", f"{dt_cn(case.occurred, False)}左右，我在{c.scene}和{sus}吵了几句，他拿起一根木棍就往我头上打。"),
                ("他打了你哪些部位？", "打了头部两下，左手臂一下，当时头就流血了。"),
                ("你受伤后到哪里治疗的？", f"到{case.county}人民医院缝了七针，住院治疗了十天。"),
                ("你认识打你的人吗？", f"认识，是{sus}，我们住得不远。"),
                ("当时有谁在场？", f"{case.witnesses[0].name if case.witnesses else '几个路人'}在旁边看到了。"),
            ],
            "fraud": [
                ("你把被骗的经过讲一下。", "我在网上买了一件衣服，后来有人打电话说自己是客服，说衣服有质量问题要给我退款理赔。"),
                ("对方让你做了什么？", "让我下载一个软件，开了屏幕共享，然后让我按他说的在手机银行里转账。"),
                ("你一共转了多少钱？", f"分五次转了{c.loss}元，转到了几个不同的账户。"),
                ("你什么时候发现被骗的？", "对方一直说钱会退回来，后来电话打不通了，我才知道被骗了。"),
                ("你有聊天记录和转账凭证吗？", "有，我已经截图交给你们了。"),
            ],
        }[c.code]
        if n > 1:
            pool = pool[2:] + [("你的损失追回了吗？", rng.choice(["还没有。", "追回了一部分。"]))]
    else:
        why = ("你今天因何事来公安机关？", rng.choice([
            "民警通知我来的，我作为证人来说明一下我看到的情况。" if role_sentence else "民警通知我来说明一下当天看到的情况。",
        ]))
        pool = {
            "theft": [
                ("你把你知道的情况讲一下。", f"{dt_cn(case.occurred, False)}左右我下夜班路过{c.scene}，看到有人蹲在卷帘门前面弄锁。"),
                ("那个人长什么样？", "个子一米七左右，偏瘦，穿灰色带帽子的衣服，戴着口罩。"),
                ("你当时为什么没有报警？", "我以为是店主自己在开门，没有多想。"),
                ("你再见到这个人能认出来吗？", "应该可以认出来。"),
            ],
            "injury": [
                ("你把你看到的情况讲一下。", f"当时我在{c.scene}附近，看到{sus}和一个男的在吵架，吵着吵着{sus}就拿木棍打人了。"),
                ("打了几下？", "我看到打了两三下，被打的人头上出了血。"),
                ("谁先动的手？", "是被打的那个人先推了一下，然后就打起来了。"),
                ("事后打人的人去哪里了？", "往北边跑了。"),
            ],
            "fraud": [
                ("你的银行卡是怎么回事？", f"我的农业银行卡是{sus}叫我办的，他说借去走账，给了我五百元。"),
                ("你知道他拿去干什么吗？", "我不知道，他说是做生意用。"),
                ("卡现在在哪里？", f"卡和密码都给了{sus}，一直没有还给我。"),
                ("你知道借卡给别人是违法的吗？", "现在知道了，我很后悔。"),
            ],
        }[c.code]
    qa.append(why)
    qa += pool
    qa.append(("你还有什么要补充的吗？", rng.choice(["没有了。", "没有。", "希望公安机关早日破案。"])))
    return qa
