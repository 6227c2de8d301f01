"""What happened: per crime, the facts and the words the people use to tell them."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime

from .people import BANKS, HOTSPOTS, STREETS, Case, ar_date, hm

QA = tuple[str, str]


@dataclass
class Facts:
    charge: str  # 盗窃 (the 罪 is appended where the form needs it)
    article: str  # 刑法 article, in Chinese numerals
    place: str
    report: str  # 简要案情 as taken down at the front desk
    found: str  # 经依法侦查查明 … (officialese, third person)
    victim_qa: list[QA]
    suspect_qa: list[QA]
    witness_qa: list[QA]
    items: list[tuple[str, str, str]]  # seized: name, quantity, features
    appraisal: tuple[str, str, str, str]  # title, organ, matter, conclusion
    appraisal_subject: str | None  # person the opinion is about (injured victim), if any
    money: list[tuple[str, str, int]] = field(default_factory=list)  # (payer, payee, amount) transfers
    explain: str = ""  # a 情况说明 the case would need


def _place(rng: random.Random, c: Case) -> str:
    return f"{c.organs.district}{rng.choice(STREETS)}{rng.choice(['路', '街'])}{rng.randrange(1, 200)}号" + rng.choice(
        ["附近", "门口", "", "一楼"])


def theft(rng: random.Random, c: Case) -> Facts:
    s, v, t = c.suspects[0], c.victims[0], c.t["incident"]
    thing, value = rng.choice([("电动自行车", rng.randrange(1800, 4200)), ("手机", rng.randrange(2500, 8000)),
                               ("笔记本电脑", rng.randrange(3000, 9000)), ("现金", rng.randrange(1500, 20000))])
    brand = {"电动自行车": rng.choice(["雅迪", "爱玛", "台铃", "新日"]), "手机": rng.choice(["华为Mate", "苹果", "小米", "OPPO"]),
             "笔记本电脑": rng.choice(["联想", "戴尔", "华为"]), "现金": ""}[thing]
    place = f"{c.organs.district}{rng.choice(STREETS)}{rng.choice(HOTSPOTS)}" + rng.choice(["楼下车棚", "地下车库", "门口", "附近一家奶茶店内"])
    where_sold = rng.choice(["二手市场", "路边收旧货的", "网上闲鱼"])
    return Facts(
        "盗窃", "第二百六十四条", place,
        f"{ar_date(t)}{hm(t)}许，报案人{v.name}称其放在{place}的{brand}{thing}被盗，损失约{value}元。",
        f"{ar_date(t)}{hm(t)}许，犯罪嫌疑人{s.name}窜至{place}，趁无人注意之机，窃得被害人{v.name}的{brand}{thing}一"
        f"{'辆' if thing == '电动自行车' else '部' if thing != '现金' else '笔'}，后将赃物销往{where_sold}，"
        f"所得赃款被其挥霍。经{c.organs.district[:-1]}区价格认证中心认定，被盗物品价值人民币{value}元。",
        [("你来公安机关有什么事？", f"我来报案，我的{brand}{thing}被人偷了。"),
         ("具体什么时间、在什么地方被偷的？", f"{ar_date(t)}晚上，我把东西放在{place}，大概{t.hour + 1}点多回来就发现不见了。"),
         ("被偷的东西有什么特征？", f"是{brand}的，{rng.choice(['黑色', '白色', '银灰色', '红色'])}，买了不到{rng.randrange(2, 20)}个月，"
          f"发票还在，当时花了{value + rng.randrange(200, 900)}元。"),
         ("你怀疑是谁偷的？", "我不知道是谁，周围也没有看到可疑的人。"),
         ("你要求怎么处理？", "希望公安机关尽快抓到小偷，把东西追回来。")],
        [("你为什么要偷东西？", rng.choice(["最近没找到工作，手上没钱花。", "打牌输了钱，想弄点钱还账。", "一时糊涂，看到没人就起了贪心。"])),
         ("你是怎么偷的？", f"我在{place}转了一圈，看到那{'辆' if thing == '电动自行车' else '个'}{thing}没人看着，"
          f"{'用随身带的剪线钳把锁剪开，推着就走了' if thing == '电动自行车' else '趁旁边没人顺手就拿走了'}。"),
         ("偷来的东西怎么处理的？", f"拿到{where_sold}卖了{value // 4}元，钱已经花掉了。"),
         ("你作案时穿什么衣服？", f"穿一件{rng.choice(['黑色', '灰色', '深蓝色'])}外套，戴着帽子。")],
        [("你看到了什么？", f"那天晚上我在{place}附近，看到一个穿深色外套的男子在那里转来转去，后来就{'推着一辆车' if thing == '电动自行车' else '拿着东西'}往{rng.choice(STREETS)}路方向走了。"),
         ("你能认出这个人吗？", "再看到的话应该能认出来，个子不高，偏瘦。")],
        [(f"{brand}{thing}" if thing != "现金" else "作案工具剪线钳", "1", rng.choice(["黑色，有划痕", "九成新", "锈迹"])),
         ("作案时所穿外套", "1件", "深色")],
        ("价格认定结论书", f"{c.organs.city}价格认证中心", f"被盗{brand}{thing}的价格", f"认定标的物在基准日的价格为人民币{value}元。"),
        None,
        explain=f"我单位在侦办{s.name}盗窃案过程中，对被盗{thing}进行了追缴，因赃物已被犯罪嫌疑人销赃，经多方查找，该{thing}至今未能追回。",
    )


def fraud(rng: random.Random, c: Case) -> Facts:
    s, v, t = c.suspects[0], c.victims[0], c.t["incident"]
    story = rng.choice(["刷单返利", "冒充电商客服退款", "虚假投资理财", "冒充熟人借钱"])
    total = rng.randrange(8, 180) * 1000 + rng.choice([0, 500, 800])
    n = rng.randrange(2, 5)
    parts = [total // n] * (n - 1) + [total - total // n * (n - 1)]
    bank = rng.choice(BANKS)
    return Facts(
        "诈骗", "第二百六十六条", "网络",
        f"{ar_date(t)}，报案人{v.name}称其在家中遭遇{story}类电信网络诈骗，先后{n}次向对方提供的账户转账，共计被骗人民币{total}元。",
        f"{ar_date(t)}，犯罪嫌疑人{s.name}伙同他人以“{story}”为名，通过网络聊天软件联系被害人{v.name}，"
        f"虚构事实，骗取被害人信任，致使被害人先后{n}次向其控制的银行账户转账共计人民币{total}元。",
        [("你来派出所有什么事情？", f"我被人骗了，来报警。"),
         ("你把被骗的经过讲一下。", f"{ar_date(t)}下午，有人加我{rng.choice(['QQ', '微信'])}，说是做{story}的，"
          f"一开始让我做几单给我返了几十块钱，后来说要做大单才能返本金，我就按对方说的往一个{bank}的账户转钱，"
          f"一共转了{n}次，合计{total}元，转完以后对方就把我拉黑了。"),
         ("你是用什么方式转账的？", f"用我{bank}的卡，手机银行转的，转账记录都还在。"),
         ("每次转账多少？", "，".join(f"第{i + 1}次{a}元" for i, a in enumerate(parts)) + "。"),
         ("对方账户是谁的？", f"收款人显示是{s.name}。")],
        [("你的银行卡给过别人用吗？", f"我有一张{bank}的卡，{rng.choice(['借给朋友', '卖给了网上认识的人', '一直是我自己在用'])}。"),
         ("这张卡收到的钱是怎么回事？", f"是“老板”让我收的，钱进来以后我按他说的马上转走或者取现，每笔给我百分之{rng.randrange(1, 5)}的好处费。"),
         ("你知道这些钱是诈骗来的吗？", rng.choice(["刚开始不知道，后来感觉不对劲，但为了钱还是继续做了。", "我知道可能来路不正。"])),
         ("你一共拿到多少好处费？", f"大概{total // 30}元。")],
        [("你和嫌疑人是什么关系？", rng.choice(["同事。", "老乡。", "以前的室友。"])),
         ("你知道他在做什么吗？", f"听他说在网上“跑分”，有时一天能挣几百块，经常半夜出去取钱。")],
        [("手机", "1部", "黑色，内有聊天记录"), (f"{bank}借记卡", "2张", f"尾号{rng.randrange(1000, 9999)}"), ("现金", f"{total // 10}元", "")],
        ("司法鉴定意见书", f"{c.organs.province[:-1]}弘正司法鉴定所", "涉案手机内电子数据的提取与固定",
         "从检材手机中提取到与“客服”聊天记录若干条、转账截图若干张，相关数据完整。"),
        None,
        money=[(v.name, s.name, a) for a in parts],
        explain=f"被害人{v.name}被骗资金流入犯罪嫌疑人{s.name}名下银行卡后被迅速转出，经调取交易明细，部分资金已被冻结。",
    )


def injury(rng: random.Random, c: Case) -> Facts:
    s, v, t = c.suspects[0], c.victims[0], c.t["incident"]
    place = f"{c.organs.district}{rng.choice(STREETS)}路“{rng.choice(['老王', '大排档', '阿强', '夜宵城'])}”烧烤店"
    weapon = rng.choice(["啤酒瓶", "拳头", "木棍", "折叠凳"])
    grade = rng.choice(["轻伤一级", "轻伤二级", "轻伤二级", "重伤二级"])
    hurt = rng.choice(["左侧颧骨骨折", "鼻骨粉碎性骨折", "右前臂尺骨骨折", "头皮裂创累计长度8.5厘米"])
    return Facts(
        "故意伤害", "第二百三十四条", place,
        f"{ar_date(t)}{hm(t)}许，报案人{v.name}称其在{place}吃夜宵时与邻桌发生口角，被对方用{weapon}打伤。",
        f"{ar_date(t)}{hm(t)}许，犯罪嫌疑人{s.name}在{place}因琐事与被害人{v.name}发生争执，继而持{weapon}击打被害人头面部，"
        f"致被害人{hurt}。经鉴定，被害人{v.name}的损伤程度为{grade}。",
        [("你今天到派出所来有什么事？", "我被人打了，来报案。"),
         ("你把事情经过讲一下。", f"那天晚上我和朋友在{place}吃烧烤，邻桌的人喝多了说话很大声，我说了他们一句，"
          f"其中一个{rng.choice(['光头', '穿白T恤', '戴眼镜'])}的男的就站起来骂我，接着拿{weapon}朝我脸上打了几下，我当时就流血了。"),
         ("你受了什么伤？", f"医院诊断是{hurt}，在{c.organs.city}第{rng.choice(['一', '二', '三'])}人民医院住院治疗了{rng.randrange(3, 15)}天。"),
         ("你还手了吗？", rng.choice(["没有还手，我朋友把我拉开了。", "我推了他一把。"]))],
        [("你为什么打人？", "喝了酒，他说话太冲，我一时冲动就动手了。"),
         ("你用什么打的？", f"用{weapon}，打了{rng.randrange(2, 5)}下。"),
         ("对方受伤后你做了什么？", rng.choice(["我就跑了。", "我在现场等民警来。", "结完账就走了。"])),
         ("你愿意赔偿被害人的损失吗？", "愿意，希望能得到对方的谅解。")],
        [("当时你在做什么？", f"我是烧烤店的服务员，正在给客人上菜。"),
         ("你看到了什么？", f"两桌人先是吵起来，然后一个男的拿{weapon}打了另一桌的人，被打的人脸上都是血，老板就报警了。")],
        [(weapon if weapon != "拳头" else "血衣", "1", "有血迹"), ("监控视频光盘", "1张", "烧烤店门口")],
        ("法医学人体损伤程度鉴定书", f"{c.organs.city}公安司法鉴定中心", f"被害人{v.name}的损伤程度",
         f"被鉴定人{v.name}的损伤程度为{grade}。"),
        v.name,
        explain=f"案发后，犯罪嫌疑人{s.name}的家属与被害人{v.name}多次协商赔偿事宜，截至目前双方尚未达成和解协议。",
    )


def drugs(rng: random.Random, c: Case) -> Facts:
    s, w, t = c.suspects[0], c.witnesses[0], c.t["incident"]
    grams = round(rng.uniform(0.3, 12.0), 2)
    price = int(grams * rng.randrange(250, 500))
    place = f"{c.organs.district}{rng.choice(STREETS)}{rng.choice(['宾馆', '公园', '路口', '网吧'])}"
    return Facts(
        "贩卖毒品", "第三百四十七条", place,
        f"{ar_date(t)}，我所民警在工作中发现，有人在{place}一带贩卖毒品。",
        f"{ar_date(t)}{hm(t)}许，犯罪嫌疑人{s.name}在{place}，以人民币{price}元的价格将约{grams}克甲基苯丙胺（冰毒）贩卖给吸毒人员{w.name}，"
        f"交易完成后被民警当场抓获，民警从其身上查获剩余毒品可疑物若干。",
        [],
        [("你身上查获的白色晶体是什么？", "是冰毒。"),
         ("冰毒是从哪里来的？", f"从一个叫“{rng.choice(['阿飞', '老四', '小黑'])}”的人手里买的，只知道他的微信号。"),
         ("你卖过几次毒品？", f"这是第{rng.randrange(1, 4)}次，每次都是{w.name}通过微信找我。"),
         ("卖给对方多少钱？", f"{grams}克左右，收了{price}元，是微信转账的。")],
        [("你为什么在现场？", f"我想溜冰，就通过微信找{s.name}买，约好在{place}拿货。"),
         ("你怎么付的钱？", f"微信转了他{price}元。"),
         ("你吸毒多久了？", f"{rng.randrange(1, 6)}年左右。")],
        [("白色晶体可疑物", f"{rng.randrange(1, 5)}包", f"净重约{grams}克"), ("电子秤", "1台", "银色"), ("手机", "1部", "")],
        ("检验报告", f"{c.organs.city}公安局物证鉴定所", "送检白色晶体中是否含有毒品成分",
         f"送检的白色晶体中检出甲基苯丙胺成分，净重{grams}克。"),
        None,
        money=[(w.name, s.name, price)],
        explain=f"{w.name}系吸毒人员，已被另案处理（行政拘留）。",
    )


def drunk(rng: random.Random, c: Case) -> Facts:
    s, w, t = c.suspects[0], c.witnesses[0], c.t["incident"]
    bac = rng.randrange(82, 260)
    plate = f"{'浙苏川湘豫粤鲁皖闽赣辽云'[rng.randrange(12)]}{rng.choice('ABCDE')}{rng.randrange(10000, 99999)}"
    place = f"{c.organs.district}{rng.choice(STREETS)}路与{rng.choice(STREETS)}路交叉口"
    return Facts(
        "危险驾驶", "第一百三十三条之一", place,
        f"{ar_date(t)}{hm(t)}许，交警大队民警在{place}开展酒驾夜查时，查获一名涉嫌醉酒驾驶机动车的驾驶人。",
        f"{ar_date(t)}{hm(t)}许，犯罪嫌疑人{s.name}饮酒后驾驶车牌号为{plate}的小型轿车行驶至{place}时，被执勤民警当场查获。"
        f"经检验，其血液中乙醇含量为{bac}mg/100ml，达到醉酒驾驶标准。",
        [],
        [("你当天喝了多少酒？", f"晚上和朋友吃饭，喝了{rng.choice(['半斤白酒', '四五瓶啤酒', '一斤左右黄酒'])}。"),
         ("喝完酒多久开的车？", f"大概{rng.randrange(1, 4)}个小时，我以为已经没事了。"),
         ("你知道酒后不能驾车吗？", "知道，是我心存侥幸。"),
         ("车是谁的？", f"是我自己的，车牌号{plate}。")],
        [("当时的情况你讲一下。", f"我在{place}执勤，拦下一辆{plate}的轿车，驾驶员身上酒味很重，呼气检测结果超标，就带他去医院抽血了。"),
         ("抽血时有无异常？", "没有，全程有执法记录仪记录。")],
        [(f"小型轿车（{plate}）", "1辆", rng.choice(["白色", "黑色", "银色"])), ("机动车驾驶证", "1本", "")],
        ("检验鉴定报告", f"{c.organs.city}公安局物证鉴定所", f"{s.name}血液中乙醇含量",
         f"送检的{s.name}血样中检出乙醇成分，含量为{bac}mg/100ml。"),
        s.name,
        explain=f"犯罪嫌疑人{s.name}驾驶的{plate}小型轿车已依法扣押，现存放于交警大队停车场。",
    )


def affray(rng: random.Random, c: Case) -> Facts:
    s, v, t = c.suspects[0], c.victims[0], c.t["incident"]
    place = f"{c.organs.district}{rng.choice(STREETS)}路“{rng.choice(['金碧辉煌', '星光', '欢乐颂', '麦乐迪'])}”KTV"
    return Facts(
        "寻衅滋事", "第二百九十三条", place,
        f"{ar_date(t)}{hm(t)}许，报案人{v.name}称其在{place}门口被几名男子无故殴打。",
        f"{ar_date(t)}{hm(t)}许，犯罪嫌疑人{'、'.join(p.name for p in c.suspects)}酒后在{place}门口借故生非，"
        f"随意殴打路过的被害人{v.name}，并砸坏停在路边的车辆，情节恶劣。",
        [("你为什么报警？", "我在路上被人打了。"),
         ("经过是怎样的？", f"我从{place}门口经过，看了那几个人一眼，其中一个就说“看什么看”，接着几个人围上来对我拳打脚踢。"),
         ("你认识打你的人吗？", "不认识，以前从没见过。")],
        [("你们为什么打人？", "喝多了，觉得他看我们不顺眼。"),
         ("你动手了吗？", f"我打了他{rng.randrange(2, 6)}拳，还踢了两脚。"),
         ("你们还做了什么？", "走的时候踢了路边一辆车的后视镜。")],
        [("你看到了什么？", f"几个喝醉的年轻人在{place}门口打一个路人，还踢坏了车，我就报了警。")],
        [("监控视频U盘", "1个", "KTV门口监控"), ("甩棍", "1根", "黑色")],
        ("法医学人体损伤程度鉴定书", f"{c.organs.city}公安司法鉴定中心", f"被害人{v.name}的损伤程度",
         f"被鉴定人{v.name}的损伤程度为轻微伤。"),
        v.name,
    )


def fence(rng: random.Random, c: Case) -> Facts:
    s, w, t = c.suspects[0], c.witnesses[0], c.t["incident"]
    n = rng.randrange(3, 12)
    price = rng.randrange(150, 600)
    place = f"{c.organs.district}{rng.choice(STREETS)}路{rng.randrange(1, 99)}号“{rng.choice(['诚信', '顺发', '通达'])}手机维修店”"
    return Facts(
        "掩饰、隐瞒犯罪所得", "第三百一十二条", place,
        f"{ar_date(t)}，民警在侦办系列盗窃手机案件中发现，被盗手机流向{place}。",
        f"{ar_date(t)}至案发，犯罪嫌疑人{s.name}在明知是他人盗窃所得的情况下，仍在其经营的{place}以每部{price}元左右的价格"
        f"先后收购手机{n}部，后加价转卖牟利。",
        [],
        [("你收的手机是哪里来的？", f"是{w.name}拿来卖的，他说是捡的。"),
         ("你觉得这些手机正常吗？", "都没有充电器和盒子，价格又很低，我心里知道可能是偷来的。"),
         ("你一共收了多少部？", f"{n}部左右，都卖到外地去了。")],
        [("你把手机卖给了谁？", f"卖给了{place}的老板{s.name}。"),
         ("他问过手机来源吗？", "没问，他说有货就拿过来，价格好说。")],
        [("手机", f"{n}部", "无包装"), ("收购记录本", "1本", "")],
        ("价格认定结论书", f"{c.organs.city}价格认证中心", "涉案手机的价格", f"涉案手机{n}部，价格合计人民币{n * price * 3}元。"),
        None,
        money=[(s.name, w.name, price * k) for k in range(1, 3)],
    )


def helping(rng: random.Random, c: Case) -> Facts:
    s, v, t = c.suspects[0], c.victims[0], c.t["incident"]
    cards = rng.randrange(2, 7)
    flow = rng.randrange(30, 400) * 10000
    bank = rng.choice(BANKS)
    return Facts(
        "帮助信息网络犯罪活动", "第二百八十七条之二", "网络",
        f"{ar_date(t)}，被害人{v.name}被电信诈骗，被骗资金流入{bank}一账户，经查该账户户主为{s.name}。",
        f"犯罪嫌疑人{s.name}明知他人利用信息网络实施犯罪，仍将其办理的{cards}张银行卡出售给他人使用，"
        f"经查，上述银行卡支付结算金额达人民币{flow}元，其中包括被害人{v.name}被骗资金。",
        [("你被骗了多少钱？", f"{rng.randrange(2, 30) * 1000}元。"),
         ("钱转到了哪个账户？", f"{bank}的卡，户名{s.name}。")],
        [("你办了几张银行卡？", f"{cards}张，都卖给了网上认识的人，一张{rng.randrange(5, 20) * 100}元。"),
         ("你知道对方买卡干什么吗？", "知道可能是用来洗钱或者诈骗的，但我缺钱。"),
         ("U盾和密码呢？", "一起给对方了，手机卡也给了。")],
        [("你怎么认识嫌疑人的？", "他是我初中同学。"), ("他跟你说过卖卡的事吗？", "说过，还问我要不要一起卖，我没同意。")],
        [(f"{bank}借记卡", f"{cards}张", "已冻结"), ("手机", "1部", "")],
        ("司法鉴定意见书", f"{c.organs.province[:-1]}正信司法鉴定所", "涉案银行卡的资金流水", f"涉案银行卡支付结算金额合计{flow}元。"),
        None,
        money=[(v.name, s.name, rng.randrange(2, 30) * 1000) for _ in range(2)],
    )


CRIMES = {"theft": theft, "fraud": fraud, "injury": injury, "drugs": drugs, "drunk": drunk, "affray": affray,
          "fence": fence, "helping": helping}
HAS_VICTIM = {"theft", "fraud", "injury", "affray", "helping"}


def timeline(rng: random.Random) -> dict[str, datetime]:
    from datetime import timedelta as td

    t0 = datetime(rng.randrange(2021, 2026), rng.randrange(1, 13), rng.randrange(1, 29), rng.randrange(8, 23),
                  rng.choice([0, 10, 15, 20, 30, 40, 50]))
    t: dict[str, datetime] = {"incident": t0}
    t["report"] = t0 + td(hours=rng.randrange(1, 40))
    t["filing"] = t["report"] + td(days=rng.randrange(0, 4), hours=rng.randrange(1, 6))
    t["capture"] = t["filing"] + td(days=rng.randrange(1, 25), hours=rng.randrange(0, 9))
    t["detention"] = t["capture"] + td(hours=rng.randrange(6, 20))
    t["request"] = t["detention"] + td(days=rng.choice([3, 6, 7, 25, 29]))
    t["approval"] = t["request"] + td(days=rng.randrange(3, 7))
    t["arrest"] = t["approval"] + td(hours=rng.randrange(2, 20))
    t["appraisal"] = t["filing"] + td(days=rng.randrange(1, 12))
    t["opinion"] = t["appraisal"] + td(days=rng.randrange(3, 20))
    t["prosecute"] = t["arrest"] + td(days=rng.randrange(25, 58))
    return t
