"""One synthetic criminal case: where, what, who, when, and what each person tells.

The facts are drawn once per seed; every document of the case is written from them, so names,
identity numbers, dates and amounts agree across the file as they do in a real one.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

from .people import ESTATES, REGIONS, ROADS, Person, Region, make_person, make_relative, make_name

CN_DIGITS = "〇一二三四五六七八九"
QA = tuple[str, str]


def d_cn(d: dt.date | dt.datetime) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def _cn_num(n: int) -> str:
    if n < 10:
        return CN_DIGITS[n]
    tens, ones = divmod(n, 10)
    return ("十" if tens == 1 else CN_DIGITS[tens] + "十") + (CN_DIGITS[ones] if ones else "")


def d_hz(d: dt.date | dt.datetime) -> str:
    """二〇二五年三月十二日, the way instruments date themselves."""
    return "".join(CN_DIGITS[int(c)] for c in str(d.year)) + f"年{_cn_num(d.month)}月{_cn_num(d.day)}日"


def dt_cn(t: dt.datetime) -> str:
    return f"{t.year}年{t.month}月{t.day}日{t.hour}时{t.minute:02d}分"


def hm_cn(t: dt.datetime) -> str:
    return f"{t.hour}时{t.minute:02d}分"


def about(t: dt.datetime) -> str:
    return f"{t.year}年{t.month}月{t.day}日{t.hour}时许"


def colloquial_time(t: dt.datetime) -> str:
    h = t.hour
    part = "凌晨" if h < 5 else "早上" if h < 9 else "上午" if h < 12 else "中午" if h < 13 else "下午" if h < 18 else "晚上"
    hh = h if h <= 12 else h - 12
    return f"{t.month}月{t.day}日{part}{_cn_num(hh)}点多"


# ------------------------------------------------------------------------------------------------
# where


@dataclass
class Jurisdiction:
    region: Region
    organ: str  # 杭州市公安局西湖区分局
    short: str  # 杭西 (文号 prefix)
    procuratorate: str
    proc_short: str
    center: str  # 看守所
    stations: tuple[str, ...]
    crime_unit: str  # 刑事侦查大队
    price_body: str
    forensic_body: str
    org_code: str  # 12 digits for the case number

    @property
    def city(self) -> str:
        return self.region.city

    def station_full(self, i: int) -> str:
        return self.organ + self.stations[i % len(self.stations)]


def make_jurisdiction(rng: random.Random) -> Jurisdiction:
    region = rng.choice(REGIONS)
    county = region.county
    if region.rural:
        organ = f"{county}公安局"
        short = county[0]
        proc = f"{county}人民检察院"
        center = f"{county}看守所"
        stations = tuple(p[:-1] + "派出所" for p in region.places)
        price = f"{county}价格认证中心"
        forensic = f"{region.city}公安局物证鉴定所"
    else:
        dname = county if rng.random() < 0.5 else county.rstrip("区")
        organ = f"{region.city}公安局{dname}分局"
        short = region.city[0] + (county[1] if county[0] == region.city[0] else county[0])
        proc = f"{region.city}{county}人民检察院"
        center = f"{region.city}{county}看守所"
        stations = tuple(p[:-2] + "派出所" for p in region.places)
        price = f"{region.city}{county}价格认证中心"
        forensic = rng.choice((f"{organ}物证鉴定室", f"{region.city}公安局物证鉴定所"))
    return Jurisdiction(region, organ, short, proc, short, center, stations,
                        rng.choice(("刑事侦查大队", "刑事侦查大队", "刑事侦查中队")), price, forensic,
                        region.code + rng.choice(("510000", "520000", "500000", "540100")))


# ------------------------------------------------------------------------------------------------
# the case


@dataclass
class Officer:
    name: str
    unit: str
    badge: str


@dataclass
class Item:
    name: str
    qty: str
    feature: str
    holder: Person | None
    note: str = ""


@dataclass
class Appraisal:
    kind: str  # 价格认定 / 损伤程度 / 毒品检验
    title: str
    body: str  # institution
    body_short: str
    obj: str  # what was examined
    opinion: str
    subject: Person | None  # the person it is about
    method: list[str]
    findings: list[str]


@dataclass
class Case:
    seed: int
    crime: str
    charge: str
    article: str
    juris: Jurisdiction
    suspects: list[Person]
    victims: list[Person]
    witnesses: list[Person]
    witness_roles: list[str]
    officers: list[Officer]
    t_crime: dt.datetime
    t_report: dt.datetime
    t_file: dt.datetime
    t_catch: list[dt.datetime]
    t_detain: list[dt.datetime]
    t_request: dt.datetime
    t_approve: dt.datetime
    t_recommend: dt.datetime
    case_no: str
    case_name: str
    filing_name: str
    scene: str
    scene_short: str
    loss: int
    loss_text: str
    report_text: str  # 简要案情 of the acceptance form
    facts: list[str]  # 经依法侦查查明 paragraphs
    items: list[Item]
    appraisal: Appraisal | None
    source: str  # 报案 / 工作中发现
    stories: dict[str, list[QA]] = field(default_factory=dict)
    followups: dict[str, list[QA]] = field(default_factory=dict)
    fillers: dict[str, list[QA]] = field(default_factory=dict)
    extras: dict = field(default_factory=dict)
    _numbers: dict[str, int] = field(default_factory=dict)

    def number(self, kind: str, lo: int = 20, hi: int = 900) -> int:
        """A fresh serial for a 文号 kind, rising through the case as a registry's does."""
        rng = random.Random(f"{self.seed}:no:{kind}:{self._numbers.get(kind, 0)}")
        n = self._numbers.get(kind, 0)
        if not n:
            n = rng.randint(lo, hi)
        else:
            n += rng.randint(1, 40)
        self._numbers[kind] = n
        return n

    @property
    def all_persons(self) -> list[Person]:
        return self.suspects + self.victims + self.witnesses

    def names(self, people: list[Person]) -> str:
        return "、".join(p.name for p in people)


CRIMES = {
    "theft": ("盗窃", "盗窃罪", "第二百六十四条"),
    "fraud": ("诈骗", "诈骗罪", "第二百六十六条"),
    "assault": ("故意伤害", "故意伤害罪", "第二百三十四条"),
    "robbery": ("抢劫", "抢劫罪", "第二百六十三条"),
    "drugs": ("贩卖毒品", "贩卖毒品罪", "第三百四十七条"),
    "affray": ("寻衅滋事", "寻衅滋事罪", "第二百九十三条"),
}


def make_case(seed: int, pages: int) -> Case:
    rng = random.Random(f"forms-case:{seed}")
    crime = rng.choice(sorted(CRIMES))
    name, charge, article = CRIMES[crime]
    juris = make_jurisdiction(rng)
    year = rng.choice((2022, 2023, 2024, 2025))
    t_crime = dt.datetime(year, rng.randint(1, 9), rng.randint(1, 28), rng.choice((1, 9, 10, 14, 15, 19, 20, 21, 22, 23)),
                          rng.randrange(0, 60, 5))
    today = t_crime.date()
    taken: set[str] = set()
    n_s = 1 if pages < 45 else rng.choice((1, 2)) if pages < 80 else rng.choice((2, 2, 3)) if pages < 120 else 3
    if crime == "drugs":
        n_v = 0
    else:
        n_v = 2 if pages >= 45 and crime in ("assault", "affray") and rng.random() < 0.6 else 1
    n_w = 1 if pages < 25 else min(7, 1 + pages // 30 + rng.randint(0, 1))
    suspects = [make_person(rng, "suspect", today, juris.region, taken, age=(19, 45)) for _ in range(n_s)]
    for s in suspects:
        if rng.random() < 0.3:
            s.prior = rng.choice((
                f"{year - rng.randint(2, 6)}年因盗窃被{juris.organ}行政拘留十日",
                f"{year - rng.randint(3, 8)}年因犯盗窃罪被判处有期徒刑八个月",
                f"{year - rng.randint(2, 5)}年因殴打他人被行政拘留五日",
                f"{year - rng.randint(2, 6)}年因吸食毒品被行政拘留十五日",
            ))
        make_relative(rng, s, today, taken)
    victims = [make_person(rng, "victim", today, juris.region, taken) for _ in range(n_v)]
    witnesses = [make_person(rng, "witness", today, juris.region, taken) for _ in range(n_w)]
    units = [juris.organ + juris.crime_unit, juris.station_full(rng.randrange(len(juris.stations)))]
    officers = []
    for i in range(6):
        officers.append(Officer(make_name(rng, rng.random() < 0.8, taken), units[0] if i < 4 else units[1],
                                f"{rng.randint(100000, 999999)}"))
    # the procedure's clock
    if crime == "drugs":
        t_report = t_crime
    else:
        t_report = t_crime + dt.timedelta(minutes=rng.choice((40, 65, 90, 150, 600, 780)))
    t_file = _workday(t_report + dt.timedelta(days=rng.choice((0, 1, 1, 2, 3))), rng, 9, 17)
    t_catch = []
    base = t_file if crime != "drugs" else t_crime
    for i in range(n_s):
        t = base + dt.timedelta(days=0 if crime == "drugs" else rng.randint(1, 8) + 2 * i, hours=rng.randint(0, 6))
        t_catch.append(t.replace(minute=rng.randrange(0, 60, 5)))
    t_detain = [t + dt.timedelta(hours=rng.randint(6, 20)) for t in t_catch]
    t_request = _workday(max(t_detain) + dt.timedelta(days=rng.randint(3, 6)), rng, 9, 17)
    t_approve = _workday(t_request + dt.timedelta(days=rng.randint(2, 6)), rng, 9, 17)
    t_recommend = _workday(t_approve + dt.timedelta(days=rng.randint(25, 55)), rng, 9, 17)
    case_no = f"A{juris.org_code}{t_report:%Y%m}{rng.randint(1, 9999):04d}"
    plural = "等" if n_s > 1 else ""
    case_name = f"{suspects[0].name}{plural}{name}案"
    filing_name = case_name if crime == "drugs" or rng.random() < 0.4 else (
        f"{victims[0].name}被{'盗' if crime == 'theft' else '骗' if crime == 'fraud' else '抢劫' if crime == 'robbery' else '伤害' if crime == 'assault' else '殴打'}案"
        if victims else case_name)
    case = Case(seed, crime, charge, article, juris, suspects, victims, witnesses, [], officers, t_crime,
                t_report, t_file, t_catch, t_detain, t_request, t_approve, t_recommend, case_no, case_name,
                filing_name, "", "", 0, "", "", [], [], None, "工作中发现" if crime == "drugs" else "报案")
    case.extras["pages"] = pages
    BUILDERS[crime](case, rng)
    _common_fillers(case, rng)
    return case


def _workday(t: dt.datetime, rng: random.Random, h0: int, h1: int) -> dt.datetime:
    while t.weekday() >= 5:
        t += dt.timedelta(days=1)
    return t.replace(hour=rng.randint(h0, h1 - 1), minute=rng.randrange(0, 60, 5))


def _scene(rng: random.Random, case: Case, kind: str) -> tuple[str, str]:
    r = case.juris.region
    road = rng.choice(ROADS)
    n = rng.randint(1, 399)
    if kind == "estate":
        est = rng.choice(ESTATES)
        short = f"{est}小区{rng.randint(1, 30)}幢楼下"
        return f"{r.city}{r.county}{road}{n}号{short}", short
    if kind == "street":
        short = f"{road}与{rng.choice([x for x in ROADS if x != road])}交叉口附近"
        return f"{r.city}{r.county}{short}", short
    if kind == "shop":
        shop = rng.choice(("老王烧烤店", "川味烧烤", "好再来大排档", "夜猫子烧烤", "兄弟串吧"))
        short = f"{road}{n}号“{shop}”"
        return f"{r.city}{r.county}{short}", short
    hotel = rng.choice(("如家快捷酒店", "汉庭酒店", "锦江之星", "7天连锁酒店"))
    short = f"{road}{hotel}停车场"
    return f"{r.city}{r.county}{road}{n}号{hotel}停车场", short


# ------------------------------------------------------------------------------------------------
# crimes


def _theft(c: Case, rng: random.Random) -> None:
    s, v, w = c.suspects, c.victims, c.witnesses
    c.scene, c.scene_short = _scene(rng, c, "estate")
    brand = rng.choice(("雅迪", "爱玛", "新日", "台铃", "绿源"))
    color = rng.choice(("白色", "黑色", "红色", "灰色", "蓝色"))
    bought = rng.randint(26, 46) * 100
    c.loss = int(bought * rng.uniform(0.55, 0.8)) // 10 * 10
    sold = rng.randint(4, 9) * 100
    c.loss_text = f"{color}{brand}牌电动自行车一辆"
    tc = c.t_crime
    helper = f"，{s[1].name}在旁望风" if len(s) > 1 else ""
    c.witness_roles = [rng.choice(("小区保安", "小区物业监控员"))] + ["二手电动车收购人"] + ["被害人邻居"] * 3
    buyer = w[1] if len(w) > 1 else None
    c.report_text = (f"报案人{v[0].name}称：{about(tc)}，其停放在{c.scene}的一辆{color}{brand}牌电动自行车"
                     f"（{tc.year - 1}年购买，价值约{bought}元）被人盗走，现场无人看见，小区监控拍到两名男子将车推走。"
                     "报案人提供了购车发票复印件。")
    c.facts = [
        f"{about(tc)}，犯罪嫌疑人{c.names(s)}窜至{c.scene}，由{s[0].name}使用事先准备的万能钥匙打开被害人{v[0].name}"
        f"停放在该处的{c.loss_text}{helper}，后将该车骑离现场。次日，{s[0].name}将该车以人民币{sold}元的价格"
        f"销赃{('给' + buyer.name) if buyer else '给他人'}，所得赃款被挥霍。",
        f"经{c.juris.price_body}认定，被盗{c.loss_text}价值人民币{c.loss}元。",
        f"案发后，被盗电动自行车已被追回并发还被害人{v[0].name}。",
    ]
    partner = s[1].name if len(s) > 1 else "一个朋友"
    c.stories["suspect0"] = [
        ("你把事情的经过讲一下。",
         f"{colloquial_time(tc)}，我和{partner}在{c.scene_short.split('小区')[0]}小区附近转，想弄辆电动车卖钱。"
         f"我们看到{c.scene_short}停着一辆{color}的{brand}电动车，旁边没有人。我拿出随身带的万能钥匙插进去拧了几下就打开了，"
         + (f"{partner}在路口帮我看着有没有人过来，" if len(s) > 1 else "") + "我骑上车就走了。"),
        ("万能钥匙是哪里来的？", "是我在网上买的，一套三把，花了三十多块钱，偷完车我就扔到路边的垃圾桶里了。"),
        ("偷来的电动车怎么处理的？",
         f"第二天上午我把车骑到{c.juris.region.county}一个收二手车的地方，卖了{sold}元"
         + (f"，买车的人叫{buyer.name}，" if buyer else "，") + "我跟他说车是我自己的，急着用钱才卖的。"),
        ("卖车的钱怎么分的？", (f"我分了{sold // 2 + 100}元，{partner}分了{sold // 2 - 100}元，" if len(s) > 1 else "")
         + "钱已经花掉了，吃饭、上网和买烟用了。"),
        ("你作案时穿的什么衣服？", f"我穿的是{rng.choice(('黑色外套', '灰色卫衣', '深蓝色夹克'))}，戴了一顶帽子，{rng.choice(('牛仔裤', '黑色运动裤'))}。"),
        ("你知道偷别人的东西是违法的吗？", "知道，我一时糊涂，现在很后悔，愿意赔偿被害人的损失。"),
    ]
    c.followups["suspect0"] = [
        ("你上次在公安机关所讲的是否属实？", "属实。"),
        ("你再把偷电动车的过程讲一遍。",
         f"就是{colloquial_time(tc)}，在{c.scene_short}，我用万能钥匙打开一辆{color}{brand}电动车骑走了，第二天卖了{sold}元。"),
        ("除了这次，你还偷过别的车没有？", "没有了，就这一次。"),
        ("公安机关依法对你刑事拘留，你有什么意见？", "没有意见。"),
        ("你是否愿意认罪认罚？", "愿意，我认罪，愿意退赔被害人的损失。"),
    ]
    if len(s) > 1:
        c.stories["suspect1"] = [
            ("你把事情经过讲一下。",
             f"{colloquial_time(tc)}，{s[0].name}叫我一起出去转转，说弄辆电动车卖了换钱。到了{c.scene_short.split('小区')[0]}小区，"
             f"他看中了一辆{color}电动车，叫我在路口帮他看人，他用钥匙把车打开骑走了，我骑着我的车跟在后面。"),
            ("车卖了多少钱？你分了多少？", f"听{s[0].name}说卖了{sold}元，他给了我{sold // 2 - 100}元。"),
            ("你知道那辆车是偷来的吗？", "知道，车不是我们的。"),
        ]
        c.followups["suspect1"] = [("你上次所讲是否属实？", "属实。"), ("你还有没有其他需要补充的？", "没有，我认罪。")]
    c.stories["victim0"] = [
        ("你因何事来公安机关？", f"我来报案，我的电动车被人偷了。"),
        ("你把具体情况讲一下。",
         f"{colloquial_time(tc - dt.timedelta(hours=2))}我下班回来，把电动车停在{c.scene_short}，锁好就上楼了。"
         f"{colloquial_time(c.t_report - dt.timedelta(minutes=30))}我下楼准备出门，发现车不见了，找了一圈也没找到，就报警了。"),
        ("被盗的电动车是什么样子的？", f"是一辆{color}的{brand}牌电动自行车，{tc.year - 1}年买的，花了{bought}元，车筐里有一个头盔。"),
        ("你有购车凭证吗？", "有购车发票，我可以提供复印件。"),
        ("你怀疑是谁偷的？", "不知道，我跟别人没有矛盾。"),
    ]
    c.followups["victim0"] = [
        ("你来辨认一下，被追回的电动车是不是你被盗的那辆？", "是的，车筐上的划痕我认得，就是我的车。"),
        ("你对此事有什么要求？", "车已经找回来了，希望依法处理。"),
    ]
    c.stories["witness0"] = [
        ("你是做什么工作的？", f"我在{c.scene_short.split('小区')[0]}小区做{c.witness_roles[0]}，负责夜间巡逻和看监控。"),
        ("你把你知道的情况讲一下。",
         f"{colloquial_time(tc)}，我在监控室看到{c.scene_short}有人在一辆电动车旁边蹲着弄了一会儿，然后骑着车走了，"
         + ("旁边还有一个人在路口站着。" if len(s) > 1 else "当时我以为是业主自己的车。")),
        ("你能看清那人的样子吗？", "看不太清脸，个子中等，穿深色衣服，戴着帽子。监控录像我已经拷给你们了。"),
    ]
    c.stories["witness1"] = [
        ("你是做什么的？", f"我在{c.juris.region.county}开了一个二手电动车回收店。"),
        ("你有没有收过一辆{}{}电动车？".format(color, brand),
         f"收过，{colloquial_time(tc + dt.timedelta(hours=12))}，一个男的骑过来说要卖车，说是自己的车急用钱，我给了他{sold}元。"),
        ("你收车时有没有查看购车凭证？", "没有，他说发票丢了，我看车挺新的就收了，我不知道是偷来的。"),
        ("这辆车现在在哪里？", "还在我店里，没有卖出去，你们已经扣押了。"),
    ]
    c.items = [
        Item(c.loss_text, "1辆", f"{color}，车架号{rng.randint(10**9, 10**10 - 1)}，车筐有划痕", buyer or s[0], "已发还被害人"),
        Item("手机", "1部", f"{rng.choice(('OPPO', 'vivo', '红米'))}牌，黑色", s[0]),
        Item("现金", "1宗", f"人民币{rng.randint(2, 9) * 10}元", s[0], "赃款"),
    ]
    c.appraisal = Appraisal("价格认定", rng.choice(("价格认定结论书", "涉案财物价格鉴定意见书")), c.juris.price_body,
                            c.juris.region.county[:2] + "价认", c.loss_text, f"价值人民币{c.loss}元", v[0],
                            ["市场法", "成新率法"],
                            [f"该车为{brand}牌电动自行车，{color}，{tc.year - 1}年购置，购置价{bought}元，车况一般，能正常使用。"])


def _fraud(c: Case, rng: random.Random) -> None:
    s, v, w = c.suspects, c.victims, c.witnesses
    c.scene = f"{v[0].address}（被害人住处）"
    c.scene_short = "被害人住处"
    n_tx = rng.randint(3, 6)
    amounts = [rng.randint(2, 30) * 500 for _ in range(n_tx)]
    amounts[0] = rng.choice((100, 200, 300))
    c.loss = sum(amounts[1:])
    bank = rng.choice(("中国工商银行", "中国建设银行", "中国农业银行", "中国银行", "交通银行"))
    bank2 = rng.choice(("中国农业银行", "中国邮政储蓄银行", "中国建设银行"))
    acct_v = "62" + "".join(rng.choice("0123456789") for _ in range(17))
    acct_s = "62" + "".join(rng.choice("0123456789") for _ in range(17))
    app = rng.choice(("“优品汇”", "“云客联盟”", "“星选”", "“聚宝盆”"))
    tc = c.t_crime
    c.loss_text = f"被骗人民币{c.loss}元"
    c.witness_roles = ["银行卡出借人", "嫌疑人室友", "被害人同事", "银行卡出借人"]
    c.report_text = (f"报案人{v[0].name}称：{about(tc)}，其在家中通过QQ群看到“刷单返利”兼职信息，添加对方为好友后按对方要求"
                     f"下载{app}APP做任务，先后向对方提供的银行账户转账{n_tx}次，共计人民币{sum(amounts)}元，其中仅返还{amounts[0] + 40}元，"
                     f"后对方以“账户冻结需解冻费”为由继续要求转账，报案人发觉被骗，遂报警。")
    c.facts = [
        f"{about(tc)}起，境外诈骗人员通过QQ群发布“刷单返利”虚假信息，诱骗被害人{v[0].name}下载{app}APP并做“任务”，"
        f"致被害人先后{n_tx}次向指定账户转账共计人民币{sum(amounts)}元，扣除返还部分，实际损失人民币{c.loss}元。",
        f"经查，犯罪嫌疑人{s[0].name}明知他人实施电信网络诈骗，仍将本人名下{bank2}银行卡（卡号{acct_s}）提供给上线“阿龙”"
        f"使用，并按照上线指示将卡内诈骗资金取现、转出，从中获取报酬人民币{rng.randint(8, 30) * 100}元。"
        + (f"犯罪嫌疑人{s[1].name}负责介绍、收购银行卡并陪同取现。" if len(s) > 1 else ""),
    ]
    c.extras["bank"] = (bank, acct_v, bank2, acct_s, amounts)
    partner = s[1].name if len(s) > 1 else ""
    c.stories["suspect0"] = [
        ("你知道为什么被传唤到公安机关吗？", "知道，是因为我的银行卡被人拿去转钱的事情。"),
        ("你把事情的经过讲一下。",
         f"{tc.month}月初，" + (f"{partner}跟我说" if partner else "我在网上看到") + "有人收银行卡，一张卡一天给三百块钱，"
         f"我就把我名下的{bank2}卡连同手机卡、U盾一起给了一个叫“阿龙”的人，他让我跟着他去取钱。"),
        ("你们是怎么取钱的？", f"卡里进来钱以后，“阿龙”在微信上通知我，我就到附近的ATM机上取现，或者用手机银行转到他给的账户上，每次取完他给我几百块钱。"),
        ("你知道卡里的钱是哪里来的吗？", "一开始不知道，后来取的钱越来越多，卡还被冻结过一次，我估计是骗来的钱。"),
        ("你一共拿了多少好处费？", f"前后大概拿了{rng.randint(8, 30) * 100}元，都用于日常开销了。"),
        ("“阿龙”的真实身份你知道吗？", "不知道，只知道他是外地口音，微信号已经把我删了。"),
    ]
    c.followups["suspect0"] = [
        ("你之前的供述是否属实？", "属实。"),
        ("你提供银行卡时，对方有没有说过用途？", "他说是做跑分的，走流水，我心里也知道不正规。"),
        ("你是否愿意退赃？", "愿意，我家里人会帮我把好处费退出来。"),
    ]
    if partner:
        c.stories["suspect1"] = [
            ("你和" + s[0].name + "是什么关系？", "是朋友，以前一起在工地干活。"),
            ("你把事情经过讲一下。", f"有个叫“阿龙”的人让我帮他找人办银行卡，一张卡给我一百元介绍费，我就介绍了{s[0].name}，还陪他去取过几次钱。"),
            ("你知道这些卡被用来干什么吗？", "我知道不是好事，可能是用来转诈骗的钱。"),
        ]
        c.followups["suspect1"] = [("你上次所讲是否属实？", "属实。")]
    rows = "；".join(f"第{i + 1}次转账{a}元" for i, a in enumerate(amounts))
    c.stories["victim0"] = [
        ("你因何事来公安机关？", "我来报案，我在网上做刷单兼职被人骗了钱。"),
        ("你把被骗的经过讲一下。",
         f"{colloquial_time(tc)}，我在一个QQ群里看到招兼职的广告，说在家动动手指做任务就能赚钱。我加了对方的QQ，"
         f"对方让我下载一个叫{app}的APP，先做了一单，返给我{amounts[0] + 40}元。后来对方说做“联单”任务佣金更高，我就按要求一次次转账。"),
        ("你一共转了多少钱？怎么转的？", f"都是用我的{bank}卡通过手机银行转到对方指定的账户，{rows}，一共{sum(amounts)}元。"),
        ("你是怎么发现被骗的？", "最后对方说我操作失误，账户被冻结了，要再交两万元解冻费才能提现，我感觉不对，就来报警了。"),
        ("你有转账记录和聊天记录吗？", "有，手机银行的转账记录和QQ聊天记录都在，我已经截图打印出来交给你们了。"),
    ]
    c.followups["victim0"] = [("你的损失追回了吗？", "还没有。"), ("你有什么要求？", "希望公安机关把钱追回来。")]
    c.stories["witness0"] = [
        ("你认识" + s[0].name + "吗？", "认识，是我老乡。"),
        ("你知道他办银行卡的事吗？", f"知道，他说有人收银行卡，问我要不要一起办，我没有同意。后来看他经常半夜出去取钱。"),
    ]
    c.stories["witness1"] = [
        ("你和" + s[0].name + "是什么关系？", "我们合租一套房子，是室友。"),
        ("你有没有见过他取钱？", f"见过几次，他手里拿着好几张银行卡，说是帮朋友取钱，一次取好几万。"),
    ]
    c.items = [
        Item("手机", "1部", f"{rng.choice(('华为', '苹果', 'OPPO'))}牌，IMEI{rng.randint(10**14, 10**15 - 1)}", s[0]),
        Item("银行卡", f"{rng.randint(2, 5)}张", f"{bank2}等，卡号见附件", s[0]),
        Item("U盾", "1个", f"{bank2}", s[0]),
    ]
    c.appraisal = None
    c.extras["chat"] = [
        ("对方", "亲，今天的任务已经派发，请按流程完成哦"),
        ("我", "好的，这单要转多少"),
        ("对方", f"本单为联单任务，需先垫付{amounts[1]}元，完成后本金加佣金一起返还"),
        ("我", "已经转了，你看一下"),
        ("对方", "收到，请继续完成第二单，中途退出将无法提现"),
        ("我", "我没有钱了，能不能先提现"),
        ("对方", "您的账户因操作失误已冻结，需缴纳解冻费20000元"),
        ("我", "你们是不是骗子"),
    ]


def _assault(c: Case, rng: random.Random) -> None:
    s, v, w = c.suspects, c.victims, c.witnesses
    c.scene, c.scene_short = _scene(rng, c, "shop")
    tc = c.t_crime
    injury = rng.choice((("鼻骨骨折", "轻伤二级", "第5.2.4条i项"), ("左侧多根肋骨骨折", "轻伤二级", "第5.6.4条c项"),
                         ("左尺骨骨折", "轻伤二级", "第5.9.4条i项")))
    c.loss = 0
    c.loss_text = f"被害人{v[0].name}{injury[0]}"
    c.witness_roles = ["烧烤店老板", "被害人同伴", "嫌疑人同伴", "邻桌顾客"]
    c.report_text = (f"报案人{v[0].name}称：{about(tc)}，其与朋友在{c.scene}吃夜宵时，因琐事与邻桌男子发生口角，"
                     f"对方用啤酒瓶击打其头面部并拳打脚踢，致其受伤，现已在医院治疗。对方已离开现场。")
    helper = f"，{s[1].name}亦上前对被害人拳打脚踢" if len(s) > 1 else ""
    c.facts = [
        f"{about(tc)}，犯罪嫌疑人{s[0].name}在{c.scene}吃夜宵时，因琐事与邻桌的被害人{v[0].name}发生口角，"
        f"{s[0].name}持啤酒瓶击打{v[0].name}头面部{helper}，致{v[0].name}受伤。",
        f"经{c.juris.forensic_body}鉴定，被害人{v[0].name}的损伤程度为{injury[1]}。",
    ]
    friend = w[1].name if len(w) > 1 else "朋友"
    c.stories["suspect0"] = [
        ("你把当天的事情经过讲一下。",
         f"{colloquial_time(tc)}，我和几个朋友在{c.scene_short}喝酒吃烧烤，旁边一桌的人说话声音很大，我叫他们小声点，"
         f"其中一个男的就骂我，我们吵了起来。我喝了酒，一时冲动，拿起桌上的啤酒瓶朝他头上砸了一下。"),
        ("你砸了几下？打到哪个部位？", "就砸了一下，打在他脸上，瓶子碎了，他鼻子流了很多血。后来又推了他几下。"),
        ("对方有没有还手？", "他也推了我一把，后来被老板和他朋友拉开了。"),
        ("事后你去了哪里？", "我看他流血了，有点害怕，就和朋友打车回家了。"),
        ("你当时喝了多少酒？", "喝了五六瓶啤酒，但是人是清醒的。"),
        ("你对自己的行为怎么认识？", "我太冲动了，愿意赔偿对方的医药费，请求对方谅解。"),
    ]
    c.followups["suspect0"] = [
        ("你上次讲的是否属实？", "属实。"),
        ("你用啤酒瓶打对方时，知道会造成什么后果吗？", "当时没想那么多，现在知道错了。"),
        ("你和被害人之间有没有协商赔偿？", "我家里人正在和对方协商。"),
    ]
    if len(s) > 1:
        c.stories["suspect1"] = [
            ("你把事情经过讲一下。", f"那天我和{s[0].name}一起喝酒，他和邻桌的人吵起来，用啤酒瓶打了对方，我怕他吃亏，也上去踢了对方两脚。"),
            ("你踢到对方什么部位？", "踢在他腿上和背上。"),
        ]
        c.followups["suspect1"] = [("你上次所讲是否属实？", "属实。")]
    c.stories["victim0"] = [
        ("你因何事来公安机关？", "我来报案，我被人打伤了。"),
        ("你把经过讲一下。",
         f"{colloquial_time(tc)}，我和{friend}在{c.scene_short}吃烧烤，邻桌一个男的嫌我们说话声音大，骂了几句，我回了一句，"
         f"他就拿起啤酒瓶砸在我脸上，我当时鼻子就流血了" + ("，他旁边的人也上来踢我。" if len(s) > 1 else "。")),
        ("你受伤后去了哪里？", f"{friend}送我去了医院，医生说{injury[0]}，现在还在治疗。"),
        ("你认识打你的人吗？", "不认识，第一次见。"),
        ("你有什么要求？", "要求依法处理，赔偿我的医药费。"),
    ]
    c.followups["victim0"] = [("你的伤现在怎么样了？", "还在恢复，医生说要休息一个月。"), ("对方有没有赔偿？", "还没有。")]
    c.stories["witness0"] = [
        ("你是做什么的？", f"我是{c.scene_short}的老板。"),
        ("你把看到的情况讲一下。", f"{colloquial_time(tc)}，店里两桌客人吵了起来，一个穿{rng.choice(('黑色T恤', '白色衬衫', '灰色外套'))}的男的拿啤酒瓶砸了另一桌的人，我赶紧过去把他们拉开了。"),
        ("打人的人你认识吗？", "不认识，但是以前来店里吃过几次，看到照片能认出来。"),
    ]
    c.stories["witness1"] = [
        ("你和" + v[0].name + "是什么关系？", "是同事，那天我们一起吃夜宵。"),
        ("你把当时的情况讲一下。", "邻桌的人嫌我们吵，骂了我们，两边吵了几句，对方就拿啤酒瓶砸了过来，我赶紧拉着他去医院了。"),
    ]
    c.items = [
        Item("啤酒瓶碎片", "1宗", "绿色玻璃，带血迹", None, "现场提取"),
        Item("T恤", "1件", "白色，沾有血迹", v[0]),
        Item("手机", "1部", f"{rng.choice(('华为', 'vivo', '小米'))}牌", s[0]),
    ]
    c.appraisal = Appraisal("损伤程度", "法医学人体损伤程度鉴定意见书", c.juris.forensic_body,
                            c.juris.short + "公物鉴（法）", f"被害人{v[0].name}的损伤程度", f"{v[0].name}的损伤程度为{injury[1]}",
                            v[0], ["《人体损伤程度鉴定标准》", "法医临床学检查"],
                            [f"被鉴定人{v[0].name}于{d_cn(tc)}在医院就诊，CT检查示{injury[0]}。",
                             f"依据《人体损伤程度鉴定标准》{injury[2]}之规定，其损伤程度属{injury[1]}。"])


def _robbery(c: Case, rng: random.Random) -> None:
    s, v, w = c.suspects, c.victims, c.witnesses
    c.scene, c.scene_short = _scene(rng, c, "street")
    tc = c.t_crime
    phone = rng.choice(("苹果iPhone 13", "华为Mate 40", "小米12", "OPPO Reno8"))
    cash = rng.randint(3, 15) * 100
    price = rng.randint(18, 52) * 100
    c.loss = price + cash
    c.loss_text = f"{phone}手机一部及现金人民币{cash}元"
    c.witness_roles = ["路边商店店主", "手机回收店老板", "路人", "路人"]
    c.report_text = (f"报案人{v[0].name}称：{about(tc)}，其步行至{c.scene}时，被一名持刀男子拦住，对方用刀威胁其交出财物，"
                     f"抢走其{phone}手机一部和钱包内现金{cash}元后往东逃离。报案人未受伤。")
    c.facts = [
        f"{about(tc)}，犯罪嫌疑人{s[0].name}" + (f"伙同{c.names(s[1:])}" if len(s) > 1 else "")
        + f"在{c.scene}，持水果刀拦截被害人{v[0].name}，以言语和持刀威胁的方式劫取其{c.loss_text}，后逃离现场。",
        f"经{c.juris.price_body}认定，被劫手机价值人民币{price}元。",
    ]
    c.stories["suspect0"] = [
        ("你把事情经过讲一下。",
         f"{colloquial_time(tc)}，我身上没钱了，就带了一把水果刀在{c.scene_short}附近转，看到一个人一个人走过来，低头看手机。"
         f"我上去拿刀对着他，说“把手机和钱拿出来”，他很害怕，就把手机和钱包里的钱给了我，我拿了就往东边跑了。"),
        ("你抢了多少钱？", f"手机一部，现金{cash}元。"),
        ("抢来的手机怎么处理的？", f"第二天我把手机拿到一个手机回收店卖了{price // 3}元。"),
        ("水果刀现在在哪里？", "在我住的地方，你们已经扣押了。"),
        ("你有没有用刀伤人？", "没有，只是吓唬他，没有碰到他。"),
    ]
    c.followups["suspect0"] = [("你上次讲的是否属实？", "属实。"), ("你是否认罪？", "我认罪，愿意退赔。")]
    if len(s) > 1:
        c.stories["suspect1"] = [("你在这件事中做了什么？", f"{s[0].name}拿刀的时候，我站在旁边堵住那个人的路，抢来的钱他分了我三百元。")]
        c.followups["suspect1"] = [("你上次所讲是否属实？", "属实。")]
    c.stories["victim0"] = [
        ("你因何事来公安机关？", "我来报案，我刚才被人抢了。"),
        ("你把经过讲一下。", f"{colloquial_time(tc)}，我下班走路回家，走到{c.scene_short}，突然一个男的从旁边冲出来，拿着一把刀对着我，让我把手机和钱拿出来。"
                       f"我很害怕，就把手机和钱包里的{cash}元给了他，他拿了就往东边跑了。"),
        ("对方长什么样子？", f"个子大概一米七左右，比较瘦，穿{rng.choice(('黑色', '灰色', '深蓝色'))}外套，戴口罩。"),
        ("被抢的手机是什么型号？", f"{phone}，{tc.year - 1}年买的，买的时候花了{price + 1500}元左右。"),
        ("你受伤了没有？", "没有受伤。"),
    ]
    c.followups["victim0"] = [("你的财物追回了吗？", "手机已经追回来了，钱还没有。")]
    c.stories["witness0"] = [
        ("你把看到的情况讲一下。", f"{colloquial_time(tc)}，我在店门口收东西，看到路口有两个人站得很近，一个人手里好像拿着刀，过了一会儿那个人就往东跑了，另一个人在喊抢劫。")]
    c.stories["witness1"] = [
        ("你有没有收过一部" + phone + "手机？", f"收过，{colloquial_time(tc + dt.timedelta(hours=14))}一个男的拿来卖，说是自己用旧的，我给了他{price // 3}元。"),
        ("你收手机时有没有登记？", "登记了他的身份证，你们可以看登记本。")]
    c.items = [
        Item("水果刀", "1把", "单刃，刀身长约12厘米，塑料柄", s[0], "作案工具"),
        Item(f"{phone}手机", "1部", "黑色，屏幕有裂纹", w[1] if len(w) > 1 else s[0], "已发还被害人"),
        Item("现金", "1宗", f"人民币{cash // 2}元", s[0]),
    ]
    c.appraisal = Appraisal("价格认定", rng.choice(("价格认定结论书", "涉案财物价格鉴定意见书")), c.juris.price_body,
                            c.juris.region.county[:2] + "价认", f"被劫{phone}手机一部", f"价值人民币{price}元", v[0],
                            ["市场法"], [f"该手机为{phone}，{tc.year - 1}年购置，外观有使用痕迹，功能正常。"])


def _drugs(c: Case, rng: random.Random) -> None:
    s, w = c.suspects, c.witnesses
    c.scene, c.scene_short = _scene(rng, c, "hotel")
    tc = c.t_crime
    grams = round(rng.uniform(0.3, 1.2), 2)
    seized = round(rng.uniform(1.0, 6.0), 2)
    price = int(grams * rng.randint(400, 700)) // 10 * 10
    c.loss = 0
    c.loss_text = ""
    c.witness_roles = ["购毒人员", "酒店保安", "购毒人员", "嫌疑人室友"]
    buyer = w[0]
    c.report_text = (f"{about(tc)}，我局禁毒大队民警在工作中发现，有人在{c.scene}进行毒品交易。民警当场将交易双方"
                     f"{s[0].name}、{buyer.name}抓获，从{s[0].name}身上查获疑似毒品甲基苯丙胺（冰毒）{rng.randint(3, 8)}小包。")
    c.facts = [
        f"{about(tc)}，犯罪嫌疑人{s[0].name}通过微信与吸毒人员{buyer.name}约定，以人民币{price}元的价格向其出售甲基苯丙胺（冰毒）"
        f"约{grams}克。当日，双方在{c.scene}交易时被我局民警当场抓获，民警从{s[0].name}身上查获甲基苯丙胺{seized}克。"
        + (f"犯罪嫌疑人{c.names(s[1:])}为{s[0].name}提供毒品来源并参与分装。" if len(s) > 1 else ""),
        f"经{c.juris.forensic_body}检验，查获的白色晶体中均检出甲基苯丙胺成分。",
    ]
    c.stories["suspect0"] = [
        ("你知道为什么被带到公安机关吗？", "知道，因为我卖冰毒被抓了。"),
        ("你把事情经过讲一下。", f"{colloquial_time(tc - dt.timedelta(hours=3))}，{buyer.name}在微信上找我，问我有没有“货”，我说有，"
                        f"跟他说{grams}克{price}元，约在{c.scene_short}见面。我把东西给他，他把钱给我，刚交易完就被你们抓了。"),
        ("你身上查获的冰毒是从哪里来的？", "是我从一个叫“老六”的人那里买的，" + (f"{s[1].name}帮我联系的，" if len(s) > 1 else "") + "我自己也吸一点。"),
        ("你卖过几次？", "之前卖过两次给他，每次都是几百块钱。"),
        ("你们联系用的手机是哪一部？", "就是你们扣押的那部黑色手机，微信名叫“风”。"),
    ]
    c.followups["suspect0"] = [("你之前的供述是否属实？", "属实。"), ("“老六”的情况你还知道哪些？", "只知道他是本地口音，电话已经打不通了。")]
    if len(s) > 1:
        c.stories["suspect1"] = [("你在这件事中做了什么？", f"我帮{s[0].name}联系过“老六”，还帮他分装过几次，他给过我一点冰毒自己吸。")]
        c.followups["suspect1"] = [("你上次所讲是否属实？", "属实。")]
    c.stories["witness0"] = [
        ("你今天为什么被带到公安机关？", f"因为我找{s[0].name}买冰毒，被你们抓了。"),
        ("你把经过讲一下。", f"我在微信上问他有没有货，他说{price}元给我{grams}克，约在{c.scene_short}。我给了他{price}元现金，他给了我一小包，刚拿到手就被抓了。"),
        ("你向他买过几次？", "算上这次一共三次。"),
    ]
    c.stories["witness1"] = [("你把看到的情况讲一下。", f"那天晚上我在{c.scene_short}巡逻，看到两个人在车旁边交换东西，后来警察就过来把他们抓了。")]
    c.items = [
        Item("白色晶体", f"{rng.randint(3, 8)}小包", f"疑似甲基苯丙胺，净重{seized}克", s[0], "已送检"),
        Item("电子秤", "1台", "黑色，小型", s[0]),
        Item("手机", "1部", f"{rng.choice(('华为', 'vivo', '苹果'))}牌，黑色", s[0]),
        Item("现金", "1宗", f"人民币{price}元", s[0], "毒资"),
    ]
    c.appraisal = Appraisal("毒品检验", rng.choice(("毒品检验鉴定意见书", "理化检验鉴定意见书")), c.juris.forensic_body,
                            c.juris.short + "公物鉴（毒）", f"从{s[0].name}处查获的白色晶体{seized}克",
                            f"送检的白色晶体中检出甲基苯丙胺成分", s[0], ["气相色谱-质谱联用法"],
                            [f"检材为白色晶体，分装于透明塑料袋内，净重{seized}克。", "经气相色谱-质谱联用分析，检出甲基苯丙胺。"])
    c.extras["chat"] = [
        ("对方", "在吗 有货没"),
        ("我", "有"),
        ("对方", "老价格？拿半个"),
        ("我", f"{price}，老地方"),
        ("对方", "好 半小时到"),
        ("我", "到了打电话"),
    ]


def _affray(c: Case, rng: random.Random) -> None:
    s, v, w = c.suspects, c.victims, c.witnesses
    c.scene, c.scene_short = _scene(rng, c, "street")
    tc = c.t_crime
    damage = rng.randint(8, 30) * 100
    c.loss = damage
    c.loss_text = f"被害人{v[0].name}受轻微伤，店铺玻璃门损坏（价值{damage}元）"
    c.witness_roles = ["店铺老板", "路人", "嫌疑人同伴", "路人"]
    c.report_text = (f"报案人{v[0].name}称：{about(tc)}，其路过{c.scene}时，几名醉酒男子无故对其辱骂，并对其拳打脚踢，"
                     f"还砸坏了路边店铺的玻璃门，致其面部、背部受伤。")
    c.facts = [
        f"{about(tc)}，犯罪嫌疑人{c.names(s)}酒后在{c.scene}，无故拦截、辱骂路过的被害人{v[0].name}，"
        f"并对其拳打脚踢，又用塑料凳砸坏路边店铺玻璃门，造成财物损失人民币{damage}元，严重扰乱社会秩序。",
        f"经{c.juris.forensic_body}鉴定，被害人{v[0].name}的损伤程度为轻微伤。",
    ]
    c.stories["suspect0"] = [
        ("你把当天的事情经过讲一下。", f"{colloquial_time(tc)}，我" + (f"和{c.names(s[1:])}" if len(s) > 1 else "")
         + f"在附近喝完酒，走到{c.scene_short}，看到一个男的一直看我们，我就问他“看什么看”，他回了一句，我就上去打了他几拳。"),
        ("你为什么要砸店铺的门？", "当时喝多了，心里不痛快，拿起旁边的塑料凳就砸了过去。"),
        ("你和被打的人认识吗？", "不认识。"),
        ("你现在怎么认识这件事？", "我错了，愿意赔偿。"),
    ]
    c.followups["suspect0"] = [("你上次讲的是否属实？", "属实。")]
    if len(s) > 1:
        c.stories["suspect1"] = [("你在这件事中做了什么？", f"{s[0].name}先动的手，我也跟着踢了那个人几脚。")]
        c.followups["suspect1"] = [("你上次所讲是否属实？", "属实。")]
    c.stories["victim0"] = [
        ("你因何事来公安机关？", "我来报案，我在路上被几个喝醉的人打了。"),
        ("你把经过讲一下。", f"{colloquial_time(tc)}，我下班路过{c.scene_short}，几个喝了酒的男的拦住我，问我看什么，我说没看什么，他们就开始打我。"),
        ("你受伤了吗？", "脸上和背上都被打了，去医院看过。"),
    ]
    c.followups["victim0"] = [("你对此事有什么要求？", "要求依法处理。")]
    c.stories["witness0"] = [("你把看到的情况讲一下。", f"{colloquial_time(tc)}，我在店里，听到外面吵，出来就看到几个人在打一个人，其中一个拿凳子把我的玻璃门砸碎了。")]
    c.stories["witness1"] = [("你把看到的情况讲一下。", "我路过时看到几个醉酒的人围着一个人打，我就报警了。")]
    c.items = [Item("塑料凳", "1个", "红色，已破损", None, "现场提取"), Item("手机", "1部", "黑色", s[0])]
    c.appraisal = Appraisal("损伤程度", "法医学人体损伤程度鉴定意见书", c.juris.forensic_body,
                            c.juris.short + "公物鉴（法）", f"被害人{v[0].name}的损伤程度", f"{v[0].name}的损伤程度为轻微伤",
                            v[0], ["《人体损伤程度鉴定标准》"], [f"被鉴定人{v[0].name}面部、背部多处软组织挫伤。",
                                                         "依据《人体损伤程度鉴定标准》第5.1.5条之规定，其损伤程度属轻微伤。"])


BUILDERS = {"theft": _theft, "fraud": _fraud, "assault": _assault, "robbery": _robbery, "drugs": _drugs,
            "affray": _affray}


def _common_fillers(c: Case, rng: random.Random) -> None:
    """Questions any 笔录 may add to run longer; drawn in order, never repeated in one record."""
    crime = c.charge[:-1]
    suspect = [
        ("你的文化程度和工作经历？", "{edu}文化，毕业以后一直在外面打工，做过服务员、送过外卖，最近没有固定工作。"),
        ("你的家庭成员情况？", "家里有父母，{rel}，都在老家。"),
        ("你以前有没有受过法律处罚？", "{prior}"),
        ("你平时用的手机号码是多少？", "{phone}。"),
        ("你平时住在哪里？", "住在{address}，是租的房子。"),
        ("你当时为什么要这么做？", "手头紧，没钱花，一时糊涂。"),
        ("你作案前后和谁联系过？", "没有和别人联系过，手机里的记录你们可以查。"),
        ("你作案后有没有离开过本地？", "没有，一直在住的地方。"),
        ("公安机关是怎么找到你的？", "民警到我住的地方找到我的，我没有反抗。"),
        ("你有没有吸毒史？", "没有。"),
        ("你的身体状况如何？有没有传染病？", "身体正常，没有病。"),
        ("办案民警有没有打骂、体罚或者变相体罚你？", "没有。"),
        ("你有没有吃饭、休息？", "吃过饭了，也让我休息了。"),
        ("你对本案还有没有其他需要说明的？", "没有了，我说的都是实话。"),
        ("你是否需要聘请律师？", "暂时不需要。"),
        ("你家里人知道这件事吗？", "还不知道，希望你们帮我通知我{relation}。"),
        (f"你知道{crime}是违法犯罪行为吗？", "知道，我错了。"),
        ("你作案时有没有其他人看见？", "我不清楚，当时周围人不多。"),
        ("你以前有没有去过案发的地方？", "去过几次，对那边比较熟悉。"),
        ("你是否愿意认罪认罚？", "愿意，我认罪认罚，希望从轻处理。"),
    ]
    other = [
        ("你的文化程度和工作单位？", "{edu}文化，在{employer}上班。"),
        ("你的联系电话是多少？", "{phone}。"),
        ("你现在住在哪里？", "住在{address}。"),
        ("你和本案的犯罪嫌疑人认识吗？", "不认识，之前没有见过。"),
        ("你和他们有没有矛盾或者经济纠纷？", "没有。"),
        ("当时现场有没有其他人？", "有几个路过的人，我不认识。"),
        ("当时的天气和光线怎么样？", "天气还可以，路灯亮着，看得比较清楚。"),
        ("你当时离得有多远？", "大概十几米远。"),
        ("如果再见到那个人，你能认出来吗？", "应该能认出来。"),
        ("你还知道其他情况吗？", "其他的我就不清楚了。"),
        ("你说的这些是你亲眼看到的还是听别人说的？", "是我亲眼看到的。"),
        ("事后有没有人找过你？", "没有。"),
        ("你当天为什么会在那里？", "我住在附近，平时经常从那里经过。"),
        ("你有没有拍照或者录像？", "没有，当时太突然了。"),
        ("你对此事还有什么要补充的吗？", "没有了。"),
    ]
    tc = c.t_crime
    c.stories["witness_generic"] = [
        ("你把你知道的情况讲一下。",
         f"{colloquial_time(tc)}，我在附近，听到外面有动静，出来看的时候只看到有人往{rng.choice(('东', '西', '南', '北'))}边走了，"
         "具体发生了什么我没看清楚，后来听邻居说出事了。"),
        ("你看到的人有什么特征？", f"个子{rng.choice(('不高', '中等', '比较高'))}，穿深色衣服，其他的没看清。"),
    ]
    if len(c.victims) > 1:
        v0, v1 = c.victims
        c.stories["victim1"] = [
            ("你把当时的情况讲一下。", f"{colloquial_time(tc)}，我和{v0.name}在一起，对方先打了{v0.name}，我上去拉架，也被打了几下，脸上和胳膊上有伤。"),
            ("你受伤后去医院了吗？", "去了，医生说是软组织挫伤，开了点药。"),
            ("你有什么要求？", "要求依法处理。"),
        ]
        c.followups["victim1"] = [("你上次所讲是否属实？", "属实。")]
    c.fillers["suspect"] = suspect
    c.fillers["other"] = other
