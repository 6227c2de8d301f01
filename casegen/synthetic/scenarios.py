"""What happened: the particulars of the crime and how each person tells it.

A `Scenario` holds the facts of one case (scene, stolen items or transfers or injuries, tools,
the appraisal) and the story fragments that the 笔录 and 文书 reuse, so that the victim's
statement, the suspects' confessions, the arrest request and the forensic opinion agree.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from faker import Faker

from . import places
from .case import Case, Person
from .wording import d_cn, hour_phrase, when

QA = tuple[str, str]


@dataclass
class Item:
    name: str
    qty: str
    feature: str
    value: int = 0


@dataclass
class Transfer:
    at: datetime
    amount: int
    to_name: str
    to_account: str
    to_bank: str


@dataclass
class Scenario:
    crime: str
    charge: str
    article: str  # 刑法 article, e.g. 二百六十四
    scene: str  # full address of the scene
    place: str  # short description: 小区地下停车场
    items: list[Item] = field(default_factory=list)  # stolen / robbed property
    tools: list[Item] = field(default_factory=list)  # seized tools and evidence
    transfers: list[Transfer] = field(default_factory=list)
    injury: str = ""
    grade: str = ""
    total: int = 0
    motive: str = ""
    method: str = ""  # how it was done, one sentence without subject
    disposal: str = ""  # what happened to the loot
    appraisal: dict = field(default_factory=dict)
    verb: str = ""  # 偷 / 骗 / 打 / 抢
    thing: str = ""  # what the victim lost, short
    buyer: Person | None = None

    def loot_text(self) -> str:
        return "、".join(f"{i.name}{i.qty}" for i in self.items) if self.items else self.thing


def build_scenario(case: Case, rng: random.Random, fake: Faker) -> Scenario:
    return {"盗窃": _theft, "诈骗": _fraud, "故意伤害": _assault, "抢劫": _robbery}[case.crime](case, rng, fake)


def _scene(case: Case, rng: random.Random, fake: Faker, kind: str, shop_kind: str = "") -> tuple[str, str]:
    o = case.organs
    road = places.road(rng)
    n = rng.randint(1, 300)
    if kind == "estate":
        est = places.estate(rng, fake.company_prefix())
        place = rng.choice(("地下停车场", "楼下非机动车棚", "单元门口", "地面停车场"))
        return f"{o.city.name}{o.district}{road}{n}号{est}{place}", place
    if kind == "shop":
        shop = fake.company_prefix() + (shop_kind or rng.choice(("超市", "便利店", "烟酒店")))
        return f"{o.city.name}{o.district}{road}{n}号{shop}", shop
    if kind == "street":
        spot = rng.choice(("公交站", "人行天桥下", "巷子口", "地铁站C出口附近", "公园门口"))
        return f"{o.city.name}{o.district}{road}{spot}", spot
    if kind == "food":
        spot = fake.company_prefix() + rng.choice(("烧烤店", "大排档", "KTV", "酒吧", "麻将馆"))
        return f"{o.city.name}{o.district}{road}{n}号{spot}", spot
    est = places.estate(rng, fake.company_prefix())
    return f"{o.city.name}{o.district}{road}{n}号{est}{rng.randint(1, 20)}栋{rng.randint(1, 30)}0{rng.randint(1, 6)}房", "被害人家中"


def _price_appraisal(case: Case, rng: random.Random, items: list[Item]) -> dict:
    o = case.organs
    inst = rng.choice((f"{o.city.name}{o.district}价格认证中心", f"{o.city.name}价格认证中心",
                       f"{o.city.name}{o.district}发展和改革局价格认证中心"))
    return {
        "kind": "price", "institution": inst,
        "title": rng.choice(("价格认定结论书", "价格认定结论书", "涉案财物价格认定结论书")),
        "number": f"{o.city.abbr}{o.district[0]}价认〔{case.appraisal_done.year}〕{rng.randint(10, 600)}号",
        "subject": "、".join(f"{i.name}{i.qty}" for i in items),
        "result": "；".join(f"{i.name}{i.qty}价格为人民币{i.value}元" for i in items) +
                  f"，合计人民币{sum(i.value for i in items)}元。",
        "person": None,
    }


def _theft(case: Case, rng: random.Random, fake: Faker) -> Scenario:
    kind = rng.choice(("ebike", "phone", "burglary", "shop"))
    if kind == "ebike":
        scene, place = _scene(case, rng, fake, "estate")
        brand = rng.choice(("雅迪", "爱玛", "台铃", "新日", "绿源", "小牛"))
        color = rng.choice(("黑色", "白色", "红色", "蓝色", "灰色"))
        items = [Item(f"{brand}牌电动自行车", "1辆", f"{color}，车架号{rng.randint(10**9, 10**10 - 1)}，车头有划痕",
                      rng.randint(12, 38) * 100)]
        if rng.random() < 0.4:
            items.append(Item("电动车锂电池", "1块", "48V20Ah，黑色外壳", rng.randint(5, 12) * 100))
        method = "用随身携带的自制T形钥匙插入电门锁，拧开后将车骑走"
        tools = [Item("自制T形钥匙", f"{rng.randint(2, 6)}把", "金属材质，长约8厘米"), Item("一字螺丝刀", "1把", "红色塑料手柄")]
        thing = f"{color}{brand}电动车"
    elif kind == "phone":
        scene, place = _scene(case, rng, fake, "street")
        model = rng.choice(("苹果iPhone 13", "苹果iPhone 14 Pro", "华为Mate 40", "华为P50", "小米13", "OPPO Reno9", "vivo X90"))
        items = [Item(f"{model}手机", "1部", f"{rng.choice(('黑色', '白色', '蓝色', '金色'))}，带透明手机壳，IMEI号{rng.randint(10**14, 10**15 - 1)}",
                      rng.randint(18, 62) * 100)]
        method = "趁被害人不注意，用镊子从其挎包内将手机夹走"
        tools = [Item("不锈钢镊子", "1把", "长约15厘米"), Item("黑色双肩包", "1个", "内有锡纸若干")]
        thing = model + "手机"
    elif kind == "burglary":
        scene, place = _scene(case, rng, fake, "home")
        items = [Item("现金", "1宗", f"人民币{rng.randint(20, 120) * 100}元", 0),
                 Item("黄金项链", "1条", f"约{rng.randint(8, 30)}克，带吊坠", rng.randint(30, 120) * 100),
                 Item(rng.choice(("联想笔记本电脑", "苹果笔记本电脑", "华为平板电脑")), "1台", "银色，带电源适配器", rng.randint(20, 70) * 100)]
        items[0].value = int(items[0].feature[3:-1])
        method = rng.choice(("从没有关好的厨房窗户爬进屋内", "用塑料插片插开房门锁进入屋内", "沿着空调外机爬上阳台进入屋内")) + "，翻找财物后离开"
        tools = [Item("塑料插片", "3张", "透明，约10×6厘米"), Item("白色手套", "1副", "棉质"), Item("手电筒", "1个", "黑色")]
        thing = "家里的现金和金项链等财物"
    else:
        goods = rng.choice((("香烟", "24条", "中华、芙蓉王等品牌"), ("白酒", "12瓶", "飞天茅台、五粮液"), ("手机", "6部", "展示机")))
        scene, place = _scene(case, rng, fake, "shop", "手机店" if goods[0] == "手机" else "烟酒店")
        items = [Item(goods[0], goods[1], goods[2], rng.randint(40, 260) * 100)]
        method = "撬开店铺卷闸门进入店内，将货架上的" + goods[0] + "装进编织袋后带走"
        tools = [Item("撬棍", "1根", "铁质，长约60厘米"), Item("编织袋", "2个", "白色")]
        thing = "店里的" + goods[0]
    total = sum(i.value for i in items)
    fake.name_male()  # drawn and unused: keeps the random stream of earlier cases
    disposal = rng.choice((f"以{int(total * rng.uniform(0.15, 0.35))}元的价格卖给了一个收二手货的男子",
                           f"拿到{places.road(rng)}一个二手市场以{int(total * rng.uniform(0.15, 0.35))}元卖掉了",
                           "还没来得及卖掉，就放在我租住的房间里"))
    return Scenario("盗窃", "盗窃罪", "二百六十四", scene, place, items, tools, total=total,
                    motive=rng.choice(("没钱花了", "缺钱交房租", "上网没钱了", "欠了别人钱")), method=method, disposal=disposal,
                    appraisal=_price_appraisal(case, rng, [i for i in items if i.name != "现金"] or items), verb="偷",
                    thing=thing)


def _fraud(case: Case, rng: random.Random, fake: Faker) -> Scenario:
    kind = rng.choice(("刷单返利", "冒充客服", "投资理财", "网络贷款"))
    scene = case.victims[0].address
    n = rng.randint(2, 6)
    start = case.crime_at
    transfers = []
    mule_bank = rng.choice(("中国农业银行", "中国建设银行", "中国邮政储蓄银行", "中国工商银行"))
    for i in range(n):
        holder = case.suspects[i % len(case.suspects)]
        transfers.append(Transfer(start + timedelta(minutes=rng.randint(8, 70) * (i + 1)),
                                  rng.choice((500, 800, 1000, 2000, 3000, 5000, 8000, 10000, 20000, 30000, 50000)) + rng.randint(0, 9) * 100 * (i > 0),
                                  holder.name, "62" + "".join(str(rng.randint(0, 9)) for _ in range(17)), mule_bank))
    total = sum(t.amount for t in transfers)
    story = {
        "刷单返利": ("在QQ群里看到网上刷单赚佣金的广告，添加对方为好友后，对方让我下载了一个APP做任务，前几单返了佣金，后来说要连续做任务才能提现",
                 "以网络刷单返利为名"),
        "冒充客服": ("接到一个自称是某电商平台客服的电话，说我买的东西有质量问题要给我理赔，让我按照提示操作，把钱转到所谓的安全账户",
                 "冒充电商平台客服以理赔退款为名"),
        "投资理财": ("在微信上认识了一个自称做投资理财的网友，对方推荐我在一个叫“" + fake.company_prefix() + "国际”的平台上投资，说稳赚不赔",
                 "以虚假投资理财为名"),
        "网络贷款": ("在网上申请贷款，对方说我的银行流水不够，需要先交保证金和解冻费才能放款",
                 "以办理网络贷款需缴纳保证金为名"),
    }[kind]
    tools = [Item(f"{rng.choice(('华为', 'OPPO', 'vivo', '苹果', '小米'))}手机", f"{rng.randint(1, 3)}部", "黑色，有使用痕迹"),
             Item(f"{mule_bank}借记卡", f"{rng.randint(2, 9)}张", "卡面磨损"), Item("U盾", f"{rng.randint(1, 4)}个", "银行网银盾")]
    o = case.organs
    appraisal = {
        "kind": "electronic", "institution": f"{o.city.name}{fake.company_prefix()}司法鉴定所",
        "title": rng.choice(("司法鉴定意见书", "电子数据司法鉴定意见书", "鉴定意见书")),
        "number": f"{o.city.abbr}{fake.company_prefix()[:2]}司鉴所〔{case.appraisal_done.year}〕电鉴字第{rng.randint(10, 900)}号",
        "subject": f"扣押的{tools[0].name}{tools[0].qty}",
        "result": f"从检材手机中提取到与本案相关的聊天记录{rng.randint(30, 400)}条、转账记录{n + rng.randint(0, 9)}条、银行卡照片{rng.randint(3, 20)}张，"
                  "提取的数据完整，未发现删改痕迹。",
        "person": None,
    }
    return Scenario("诈骗", "诈骗罪", "二百六十六", scene, "网络", [], tools, transfers, total=total,
                    motive=rng.choice(("想赚快钱", "对方说每转一笔给百分之三的好处费", "欠了网贷还不上")),
                    method=story[1] + "，诱骗被害人向指定银行账户转账", disposal=story[0], appraisal=appraisal, verb="骗",
                    thing=f"被骗走的{total}元")


def _assault(case: Case, rng: random.Random, fake: Faker) -> Scenario:
    scene, place = _scene(case, rng, fake, rng.choice(("food", "street", "shop")))
    injury, grade = rng.choice((("鼻骨粉碎性骨折", "轻伤二级"), ("左侧第5、6肋骨骨折", "轻伤二级"), ("左尺骨骨折", "轻伤一级"),
                                ("右眼眶内侧壁骨折", "轻伤二级"), ("上颌中切牙2枚脱落", "轻伤二级"), ("头皮裂伤累计长度9厘米", "轻伤二级")))
    weapon = rng.choice(("啤酒瓶", "木棍", "铁管", "拳头", "塑料凳子"))
    cause = rng.choice(("因停车问题发生口角", "因喝酒时言语不和发生争执", "因琐事发生纠纷", "因讨要欠款发生争吵"))
    tools = [Item(weapon if weapon != "拳头" else "血衣", "1件" if weapon == "拳头" else "1根" if weapon in ("木棍", "铁管") else "1个",
                  "有血迹" if weapon != "拳头" else "白色短袖T恤，沾有血迹")]
    o = case.organs
    v = case.victims[0]
    inst = rng.choice((f"{o.bureau}物证鉴定所", f"{o.city.name}{fake.company_prefix()}司法鉴定所", f"{o.branch}法医鉴定室"))
    appraisal = {
        "kind": "injury", "institution": inst,
        "title": rng.choice(("法医学人体损伤程度鉴定书", "司法鉴定意见书", "法医临床司法鉴定意见书", "鉴定意见书")),
        "number": f"{o.city.abbr}公物鉴（法临）字〔{case.appraisal_done.year}〕{rng.randint(100, 2000)}号" if "公安" in inst
        else f"{o.city.abbr}司鉴〔{case.appraisal_done.year}〕临鉴字第{rng.randint(10, 900)}号",
        "subject": f"被鉴定人{v.name}的人体损伤程度",
        "result": f"被鉴定人{v.name}的{injury}，其损伤程度属{grade}。",
        "person": v,
    }
    return Scenario("故意伤害", "故意伤害罪", "二百三十四", scene, place, [], tools, injury=injury, grade=grade,
                    motive=cause, method=f"{cause}，持{weapon}击打被害人头面部及身体" if weapon != "拳头" else f"{cause}，用拳头击打被害人头面部",
                    disposal="", appraisal=appraisal, verb="打", thing="被打伤")


def _robbery(case: Case, rng: random.Random, fake: Faker) -> Scenario:
    scene, place = _scene(case, rng, fake, "street")
    model = rng.choice(("苹果iPhone 12手机", "华为nova 9手机", "OPPO A96手机", "小米12手机"))
    cash = rng.randint(3, 30) * 100
    items = [Item(model, "1部", "黑色，有碎屏膜", rng.randint(12, 45) * 100), Item("现金", "1宗", f"人民币{cash}元", cash)]
    weapon = rng.choice(("水果刀", "折叠刀", "弹簧刀"))
    tools = [Item(weapon, "1把", "刀刃长约10厘米"), Item("黑色口罩", "1个", "一次性")]
    return Scenario("抢劫", "抢劫罪", "二百六十三", scene, place, items, tools, total=sum(i.value for i in items),
                    motive=rng.choice(("没钱吃饭了", "欠了赌债", "手机被停机没钱交费")),
                    method=f"持{weapon}威胁被害人，抢走其随身携带的手机和现金",
                    disposal=rng.choice(("手机卖给了路边回收旧手机的人", "手机还没卖，被你们搜出来了")),
                    appraisal=_price_appraisal(case, rng, items[:1]), verb="抢", thing="手机和现金")


# --------------------------------------------------------------------------- narrative pieces


def facts_paragraph(case: Case, sc: Scenario, rng: random.Random) -> str:
    """经依法侦查查明: the facts as the 文书 state them."""
    s = case.suspects
    who = "、".join(p.name for p in s)
    subject = f"犯罪嫌疑人{who}" + ("结伙" if len(s) > 1 else "")
    v = case.victims[0]
    t = f"{case.crime_at.year}年{case.crime_at.month}月{case.crime_at.day}日{case.crime_at.hour}时许"
    if sc.crime == "盗窃":
        body = (f"{t}，{subject}在{sc.scene}，{sc.method}，窃得被害人{v.name}的{sc.loot_text()}。"
                f"经价格认定，被盗物品价值人民币{sc.total}元。案发后，赃物{'已被追回' if rng.random() < 0.6 else '部分被追回'}。")
    elif sc.crime == "诈骗":
        body = (f"{t}起，犯罪嫌疑人{who}伙同他人{sc.method}，先后{len(sc.transfers)}次骗取被害人{v.name}人民币共计{sc.total}元，"
                f"所得赃款被转移、取现。")
    elif sc.crime == "故意伤害":
        body = (f"{t}，{subject}在{sc.scene}与被害人{v.name}{sc.motive}，{subject[5:]}{sc.method.split('，', 1)[1]}，"
                f"致被害人{v.name}{sc.injury}。经鉴定，{v.name}的损伤程度为{sc.grade}。")
    else:
        body = (f"{t}，{subject}在{sc.scene}，{sc.method}，共计价值人民币{sc.total}元。")
    return body


def summary(case: Case, sc: Scenario, rng: random.Random) -> str:
    """简要案情 as a 受案登记表 records it, from the report."""
    v = case.victims[0]
    t = when(case.crime_at)
    if sc.crime == "盗窃":
        return (f"{d_cn(case.report_at)}{hour_phrase(case.report_at)}，报案人{v.name}来我所报案称：{t}，其放在{sc.scene}的"
                f"{sc.loot_text()}被人盗走，损失价值约{sc.total}元。")
    if sc.crime == "诈骗":
        return (f"{d_cn(case.report_at)}，报案人{v.name}到我所报案称：{t}，其{sc.disposal}，先后向对方提供的银行账户转账"
                f"{len(sc.transfers)}笔共计{sc.total}元，后发现被骗。")
    if sc.crime == "故意伤害":
        return (f"{when(case.report_at)}，我所接110指令称：在{sc.scene}有人打架。民警到场后查明，{v.name}与他人{sc.motive}，"
                f"被对方殴打致伤，已送医院救治。")
    return (f"{when(case.report_at)}，报案人{v.name}报案称：{t}，其在{sc.scene}被一名男子持刀抢走手机一部及现金，"
            f"损失约{sc.total}元。")


def suspect_story(case: Case, sc: Scenario, s: Person, rng: random.Random) -> str:
    others = [p.name for p in case.suspects if p is not s]
    v = case.victims[0]
    t = when(case.crime_at)
    mates = f"我和{'、'.join(others)}" if others else "我一个人"
    if sc.crime == "盗窃":
        return (f"{t}，{mates}在{sc.scene.split('号')[0]}附近转，因为{sc.motive}，就想偷点东西卖钱。"
                f"到了{sc.place}，{'我负责望风，他们' if others and rng.random() < 0.4 else '我'}{sc.method}。"
                f"偷到的是{sc.loot_text()}。后来{sc.disposal}，钱都用来吃饭、上网花掉了。")
    if sc.crime == "诈骗":
        return (f"{rng.choice(('去年年底', '今年年初', '案发前一个月左右'))}，有个网友跟我说，把银行卡借给他们用来走账，每过一笔钱给我百分之二到三的好处费，"
                f"我{sc.motive}，就答应了。我把自己名下的{sc.transfers[0].to_bank}银行卡和U盾交给了对方，"
                f"{t}，卡里陆续转进来{len(sc.transfers)}笔钱，一共{sc.total}元左右，钱一进来我就按对方的要求转到其他账户或者取现交给上线。"
                f"我知道这些钱可能是骗来的，但是为了拿好处费还是做了。")
    if sc.crime == "故意伤害":
        return (f"{t}，{mates}在{sc.place}{rng.choice(('吃宵夜', '喝酒', '办事'))}，和{v.name}{sc.motive}。"
                f"当时我喝了酒，一时冲动，{sc.method.split('，', 1)[1].replace('击打被害人', '打了对方')}，"
                f"对方{'流了很多血' if rng.random() < 0.5 else '倒在地上'}，后来有人报了警。")
    return (f"{t}，我因为{sc.motive}，就在{sc.scene}附近等着，看到一个人单独走过来，就{sc.method.replace('被害人', '他')}，"
            f"然后跑了。抢到的{sc.loot_text()}，{sc.disposal}。")


def victim_story(case: Case, sc: Scenario, v: Person, rng: random.Random) -> str:
    t = when(case.crime_at)
    if sc.crime == "盗窃":
        return (f"{t}，我{'把车停在' if '电动' in sc.loot_text() else '在'}{sc.scene}，"
                f"{rng.choice(('过了大概两个小时', '第二天早上', '等我回来的时候', '后来'))}发现{sc.loot_text()}不见了，"
                f"找了一圈没有找到，就报警了。")
    if sc.crime == "诈骗":
        lines = "；".join(f"{tr.at.month}月{tr.at.day}日{tr.at.hour}时{tr.at.minute}分转了{tr.amount}元到户名为{tr.to_name}的{tr.to_bank}账户"
                         for tr in sc.transfers)
        return (f"{t}，我{sc.disposal}。我用手机银行先后转了{len(sc.transfers)}笔：{lines}。一共转了{sc.total}元。"
                f"后来对方说还要继续交钱才能把钱取出来，我才发现被骗了。")
    if sc.crime == "故意伤害":
        return (f"{t}，我在{sc.scene}，和对方{sc.motive}，对方{sc.method.split('，', 1)[1].replace('击打被害人', '打我')}，"
                f"我被打得{sc.injury.replace('骨折', '很痛')[:6]}流血，后来被送到医院，医生说我{sc.injury}。")
    return (f"{t}，我一个人走到{sc.scene}，突然有一个男的从后面上来，{sc.method.replace('被害人', '我').replace('其', '我')}，"
            f"然后往{rng.choice(('东', '南', '西', '北'))}边跑了。我被抢走了{sc.loot_text()}。")


def victim_details(case: Case, sc: Scenario, v: Person, rng: random.Random) -> list[QA]:
    out: list[QA] = []
    if sc.items:
        for it in sc.items:
            if it.name == "现金":
                continue
            out.append((f"你被{sc.verb}的{it.name}是什么时候买的？多少钱？",
                        f"是{rng.randint(2, 24)}个月前在{rng.choice(('专卖店', '网上', '商场', '朋友那里'))}买的，花了{int(it.value * rng.uniform(1.2, 1.8))}元左右。"))
            out.append((f"{it.name}有什么特征？", f"{it.feature}。"))
    if sc.transfers:
        out.append(("你转账用的是哪张银行卡？", f"是我本人名下的{case.bank[0]}借记卡，卡号是{case.bank[1]}{rng.randint(10**11, 10**12 - 1)}。"))
        out.append(("对方是怎么和你联系的？", rng.choice(("先是打电话，后来加了QQ。", "通过微信联系，对方的微信昵称叫“客服小" + rng.choice('王李张刘陈') + "”。", "通过一个APP里面的客服聊天。"))))
        out.append(("你有没有保存聊天记录和转账凭证？", "有，聊天记录截图和银行转账记录我都保存了，可以提供给你们。"))
    if sc.injury:
        out.append(("你被打伤了哪里？", f"主要是{sc.injury}，身上还有多处软组织挫伤。"))
        out.append(("你在哪里治疗的？花了多少钱？", f"在{case.organs.city.name}{rng.choice(('第一', '第二', '第三', '中医', '人民'))}医院治疗的，目前花了医药费{rng.randint(20, 300) * 100}元左右。"))
    out.append(("你认识对方吗？", rng.choice(("不认识。", "不认识，以前没见过。", "不认识，但是见到人能认出来。"))))
    out.append(("当时有没有其他人看到？", rng.choice(("有几个路人看到了。", "没有注意。", "附近应该有监控。", "我朋友当时在场。"))))
    out.append(("你有什么要求？", rng.choice(("希望公安机关尽快抓到人，追回我的损失。", "要求依法追究对方的法律责任，赔偿我的损失。", "希望早日破案。"))))
    return out


def suspect_details(case: Case, sc: Scenario, s: Person, rng: random.Random) -> list[QA]:
    out: list[QA] = []
    others = [p for p in case.suspects if p is not s]
    t = case.crime_at
    out.append((f"{t.month}月{t.day}日那天你穿的什么衣服？", f"穿的是{rng.choice(('黑色', '灰色', '白色', '蓝色'))}{rng.choice(('短袖', '外套', '卫衣', '夹克'))}，"
                f"{rng.choice(('牛仔裤', '运动裤', '短裤'))}，{rng.choice(('运动鞋', '拖鞋', '皮鞋'))}。"))
    out.append(("你是怎么去的现场？", rng.choice(("骑电动车去的。", "走路过去的。", "坐公交车去的。", "打车去的。", "坐朋友的车去的。"))))
    for o in others:
        out.append((f"你和{o.name}是什么关系？", rng.choice(("是老乡。", "是在工地上认识的朋友。", "是网友，认识一年多了。", "是以前的同事。"))))
        out.append((f"{o.name}在这件事情中做了什么？", rng.choice((f"是{o.name}提议的。", f"{o.name}负责开车和望风。", f"{o.name}和我一起动的手。", f"钱是{o.name}分的。"))))
    for it in sc.tools:
        out.append((f"公安机关从你身上扣押的{it.name}是做什么用的？", rng.choice(("是作案用的。", "是我平时用的。", "是我买来准备干这个用的。"))))
    if sc.items:
        out.append((f"{sc.verb}来的东西在哪里？", sc.disposal + "。"))
    if sc.transfers:
        out.append(("你的银行卡一共过了多少钱？", f"我记不清了，大概有{sc.total * rng.randint(2, 6)}元，具体以银行流水为准。"))
        out.append(("你拿了多少好处费？", f"一共拿了{int(sc.total * rng.uniform(0.01, 0.04))}元左右。"))
    if sc.injury:
        out.append(("你打了对方几下？", f"记不清了，大概{rng.randint(2, 6)}下。"))
        out.append(("你知道对方受伤了吗？", "当时看到他流血了，后来听说骨折了。"))
    out.append(("你知道这样做是违法的吗？", rng.choice(("知道。", "知道是违法的。", "知道，我现在很后悔。"))))
    return out


def witness_story(case: Case, sc: Scenario, w: Person, rng: random.Random) -> str:
    s = case.suspects[0]
    t = when(case.crime_at)
    rel = w.relation
    looks = f"{rng.choice(('三十多岁', '二十多岁', '四十岁左右'))}，身高大概{rng.randint(160, 182)}厘米，{rng.choice(('偏瘦', '中等身材', '偏胖'))}"
    if rel == "保安":
        return (f"我在{sc.scene.split('号')[0]}附近的小区做保安。{t}我在值班，在监控里看到一个男的在{sc.place}附近转来转去，"
                f"{looks}，后来{'他骑着一辆电动车出去了' if sc.crime == '盗窃' else '那边吵起来了'}。第二天听说出事了，我就把监控录像拷给了民警。")
    if rel == "收购人":
        return (f"我在{places.road(rng)}做二手回收生意。{when(case.crime_at + timedelta(days=1))}，有个男的拿着"
                f"{sc.loot_text() if sc.items else '几张银行卡'}来找我卖，{looks}，要价很便宜，我没多问就收了。后来民警来找我，"
                f"我才知道是赃物，东西我已经交给公安机关了。")
    if rel == "房东":
        return (f"我是{s.address[:12]}一带出租屋的房东，{s.name}从{rng.randint(1, 12)}月份开始租我的房子，"
                f"平时{rng.choice(('很少出门', '晚上经常出去', '白天睡觉晚上出去'))}，房租也经常拖欠。民警来搜查的时候我在场。")
    if rel in ("店主", "邻居", "路人"):
        return (f"{t}，我在{sc.scene}附近，看到{'几个人在打架' if sc.injury else '一个男的形迹可疑'}，{looks}，"
                f"{rng.choice(('我当时没在意', '我就多看了几眼', '我马上打了110'))}。后来民警让我辨认照片，我认出了那个人。")
    return (f"我和{s.name}是{rel}关系，认识{rng.randint(1, 10)}年了。{when(case.crime_at + timedelta(days=rng.randint(1, 4)))}，"
            f"{s.name}找到我，{rng.choice(('说自己手上有点急事要借钱', '让我帮他保管一个包', '跟我说他弄到了一笔钱'))}，我当时不知道是怎么回事。")


# ------------------------------------------------------------------------------ endless filler


def filler_suspect(rng: random.Random, case: Case, s: Person, k: int) -> QA:
    """More plausible questions for long interrogations; `k` varies them so none repeat."""
    d = case.crime_at - timedelta(days=k - 2)
    pool = [
        (f"{d.month}月{d.day}日这一天你都做了什么？",
         f"那天我{rng.choice(('上午在家睡觉', '早上去找工作', '上午在出租屋'))}，{rng.choice(('中午在楼下吃的快餐', '中午和朋友吃饭', '中午点的外卖'))}，"
         f"{rng.choice(('下午去网吧上网', '下午在外面闲逛', '下午回家睡觉', '下午去打零工'))}，{rng.choice(('晚上很晚才回去。', '晚上一直在家。', '晚上和朋友喝酒。'))}"),
        ("你平时用的手机号码是多少？", f"{s.phone}，是{rng.choice(('我本人', '用我朋友身份证'))}办的。"),
        ("你的微信号和支付宝账号是什么？", f"微信号是{rng.choice(('wxid_', 'a', 'lj'))}{rng.randint(10000, 99999999)}，支付宝绑定的是我的手机号。"),
        ("你家里还有什么人？", f"有{rng.choice(('父母', '母亲', '妻子和一个小孩', '父亲和一个弟弟'))}，{rng.choice(('都在老家', '跟我住在一起', '在外地打工'))}。"),
        ("你现在靠什么生活？", f"{rng.choice(('打零工', '跑外卖', '在工地干活', '没有固定工作'))}，每个月收入{rng.randint(15, 80) * 100}元左右。"),
        ("你以前有没有因为违法犯罪被处理过？", rng.choice(("没有。", f"{case.crime_at.year - rng.randint(2, 8)}年因为盗窃被行政拘留过十天。", "没有被处理过。"))),
        ("你有没有吸毒史？", "没有。"),
        ("你身体有没有什么疾病？", rng.choice(("没有。", "有点高血压，不严重。", "身体健康。"))),
        ("你在公安机关期间有没有受到刑讯逼供、诱供、骗供？", "没有。"),
        ("你在看守所吃住怎么样？", "还可以。"),
        ("你对自己的行为怎么看？", rng.choice(("我知道错了，愿意接受处罚。", "我很后悔，希望能够从轻处理。", "我认罪，愿意退赔被害人的损失。"))),
        ("你是否愿意退赔被害人的损失？", rng.choice(("愿意，我让家里人凑钱。", "愿意，但是我现在没有钱。", "愿意。"))),
        (f"你在{case.organs.city.name}住了多久？", f"{rng.randint(1, 9)}年多了，{rng.choice(('一直租房住', '住在工地宿舍', '住在朋友家'))}。"),
        ("你有没有其他违法犯罪行为需要交代？", rng.choice(("没有了。", "没有其他的了。"))),
        ("你是否认识被害人？", rng.choice(("不认识。", "以前没见过。", "见过几次，但是不熟。"))),
        ("你还记得现场周围有什么标志性的建筑吗？", f"旁边有一个{rng.choice(('便利店', '加油站', '公交站', '药店', '银行'))}，对面是{rng.choice(('学校', '菜市场', '小区大门', '工地'))}。"),
        (f"你第{k}次来公安机关是什么时候？", f"是{d_cn(case.crime_at + timedelta(days=k))}，民警{rng.choice(('打电话叫我来的', '到我住的地方找我的'))}。"),
    ]
    # Past the pool, keep asking about other days so that long records do not repeat themselves.
    return pool[k] if k < len(pool) else pool[0]


def filler_witness(rng: random.Random, case: Case, w: Person, k: int) -> QA:
    pool = [
        ("你和犯罪嫌疑人有没有利害关系？", rng.choice(("没有。", "没有任何关系。"))),
        ("你和被害人认识吗？", rng.choice(("不认识。", "认识，是邻居。", "见过，但不熟悉。"))),
        ("当时现场的光线怎么样？", rng.choice(("有路灯，能看清楚。", "比较暗，但是能看清人脸。", "是白天，光线很好。"))),
        ("你离他们大概有多远？", f"大概{rng.randint(3, 30)}米。"),
        ("你还记得那个人的口音吗？", rng.choice(("外地口音。", "本地口音。", "没听到他说话。"))),
        ("你为什么会记得这么清楚？", rng.choice(("因为当时觉得很奇怪。", "因为他在我店门口站了很久。", "因为声音很大。"))),
        ("你当时在做什么？", rng.choice(("在店里看店。", "下班回家路过。", "在值班。", "在楼下乘凉。"))),
        ("你还看到其他人吗？", rng.choice(("还有一个人站在旁边。", "没有注意到。", "当时人不多。"))),
        ("事后有没有人找过你？", rng.choice(("没有。", "只有民警找过我。"))),
        ("你的工作单位在哪里？", f"在{w.workplace or case.organs.city.name + places.road(rng)}。"),
        ("你能认出那个人吗？", rng.choice(("能认出来。", "见到人应该能认出来。", "看照片可能认得出。"))),
    ]
    return pool[k] if k < len(pool) else _day_question(rng, case, k - len(pool), "witness")


def filler_victim(rng: random.Random, case: Case, v: Person, k: int) -> QA:
    pool = [
        ("你平时在哪里上班？", f"在{v.workplace or case.organs.city.name + places.road(rng) + '一带'}{rng.choice(('上班', '做生意', '打工'))}。"),
        ("你发现之后做了什么？", rng.choice(("先在附近找了找，然后打了110。", "马上打电话报警了。", "先问了小区保安，然后报的警。"))),
        ("你报警的电话号码是多少？", f"是我自己的手机号{v.phone}。"),
        ("事发前有没有发现什么可疑的人？", rng.choice(("没有注意。", "好像有个男的在附近转悠。", "没有发现。"))),
        ("你之前有没有遇到过类似的事情？", rng.choice(("没有。", "去年也丢过一次东西，没有报警。"))),
        ("你现在身体情况怎么样？", rng.choice(("还在恢复。", "还好。", "晚上睡不好觉。"))),
        ("事后对方有没有联系过你？", rng.choice(("没有。", "没有联系过。", "对方家属打过电话说要赔偿。"))),
        ("你对这件事有什么意见？", rng.choice(("要求依法处理。", "希望尽快追回损失。", "同意调解，但要赔偿损失。"))),
        ("你提供的材料是否真实？", "都是真实的。"),
        ("你的家庭住址在哪里？", f"{v.address}。"),
    ]
    return pool[k] if k < len(pool) else _day_question(rng, case, k - len(pool), "victim")


def _day_question(rng: random.Random, case: Case, j: int, who: str) -> QA:
    """Questions that never repeat: what the person did on the days around the crime, and
    details asked one at a time."""
    aspects = ("那个人的衣着", "那个人的发型", "那个人的身高体型", "那个人离开的方向", "那个人随身带的东西",
               "当时周围的环境", "当时路上的车辆", "事发前后你打过的电话")
    if j % 3 != 2:
        d = case.crime_at - timedelta(days=j - j // 3 - 1)
        return (f"{d.month}月{d.day}日那天你在哪里？做了什么？",
                f"那天我{rng.choice(('上午在上班', '早上送小孩上学', '上午在家', '一早去了菜市场'))}，"
                f"{rng.choice(('中午在单位吃饭', '中午回家做饭', '中午和同事吃饭'))}，"
                f"{rng.choice(('下午一直在店里', '下午去办事', '下午在家休息', '下午出去买东西'))}，"
                f"{rng.choice(('晚上在家看电视。', '晚上和朋友吃饭。', '晚上很早就睡了。'))}")
    a = aspects[(j // 3) % len(aspects)]
    return (f"请你再说一下{a}。" if j // 3 < len(aspects) else f"关于{a}，你还有什么要补充的？",
            rng.choice(("我记得不是很清楚了。", "印象中没有什么特别的。", "大概就是我前面说的那样。",
                        "当时天比较黑，看得不太清楚。", "我只记得个大概。")))
