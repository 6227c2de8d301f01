"""The facts of one invented case: the county, its police bureau and procuratorate, the people,
the offence and the timeline. Everything is drawn from ``random.Random(seed)``."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = ("建国 志强 秀英 桂兰 海燕 国平 德明 小军 春梅 红霞 永刚 立新 丽娟 文斌 海涛 金凤 玉珍 家豪 子涵 宇航 "
         "明辉 俊杰 晓东 雪梅 长青 光荣 大勇 二妹 三元 福生 凤英 翠兰 贵林 worth 庆华 卫东 继红 美玲 振华 少波 "
         "新民 德胜 宏伟 亚楠 云飞 彩霞 玉兰 志勇 国庆 晓燕 学军 爱华 秋生 满仓 冬梅 银花 天佑 浩然 思远 梓轩").split()
GIVEN = [g for g in GIVEN if all("\u4e00" <= c <= "\u9fff" for c in g)]
ETHNIC = ["汉族"] * 12 + ["回族", "苗族", "土家族", "壮族", "彝族"]
EDU = ["小学", "初中", "初中", "高中", "中专", "大专", "文盲"]
JOBS = ["无业", "务农", "个体经营", "务工", "货车司机", "快递员", "厨师", "保安", "装修工", "外卖骑手"]

# counties (real names, invented cases; prefectures not always the real ones): (province, prefecture, county, 文号 abbreviation)
PLACES = [
    ("湖南省", "邵州市", "桃岭县", "桃"), ("江西省", "吉安市", "安溪县", "溪"), ("四川省", "宜宾市", "青川县", "青"),
    ("河南省", "周口市", "淮阳县", "淮"), ("安徽省", "六安市", "舒城县", "舒"), ("贵州省", "遵义市", "凤冈县", "凤"),
    ("湖北省", "黄冈市", "罗田县", "罗"), ("广西壮族自治区", "桂林市", "灵川县", "灵"), ("山东省", "临沂市", "沂南县", "沂"),
    ("福建省", "三明市", "将乐县", "将"), ("河北省", "保定市", "涞源县", "涞"), ("甘肃省", "天水市", "秦安县", "秦"),
]
TOWNS = ["城关镇", "新市镇", "白沙镇", "石门乡", "龙潭镇", "河口乡", "长岭镇", "高桥镇", "清水乡", "马坪镇"]
VILLAGES = ["大湾村", "柳树村", "红星村", "中和村", "黄泥村", "新屋村", "桥头村", "枫林村", "上坪村", "东风村"]
STREETS = ["人民路", "解放街", "建设路", "新华街", "滨河路", "朝阳路", "文昌街", "迎宾大道"]
SHOPS = ["惠民超市", "鑫源手机店", "老街副食店", "顺达汽修厂", "好运来网吧", "家家乐便利店", "金盛五金店"]


@dataclass
class Person:
    name: str
    sex: str
    born: date
    ethnic: str
    edu: str
    job: str
    id_no: str
    address: str
    household: str
    phone: str
    role: str  # suspect / victim / witness
    alias: str | None = None

    def age(self, on: date) -> int:
        return on.year - self.born.year - ((on.month, on.day) < (self.born.month, self.born.day))


@dataclass
class Officer:
    name: str
    badge: str


@dataclass
class Crime:
    code: str  # theft / injury / fraud
    charge: str  # 罪名
    article: str  # 刑法条文
    summary: str  # 简要案情 (filled later)
    items: list[tuple[str, str, str, str]] = field(default_factory=list)  # name, qty, feature, value
    loss: int = 0
    scene: str = ""
    appraisal: str = ""  # what the appraisal is about
    appraiser: str = ""
    opinion: str = ""


@dataclass
class Case:
    rng: random.Random
    province: str
    prefecture: str
    county: str
    abbr: str
    bureau: str
    unit: str  # 办案单位
    station: str  # 派出所
    procuratorate: str
    jail: str  # 看守所
    suspects: list[Person]
    victims: list[Person]
    witnesses: list[Person]
    officers: list[Officer]
    crime: Crime
    occurred: datetime
    reported: datetime
    filed: datetime
    year: int
    numbers: dict[str, int] = field(default_factory=dict)
    number_style: int = 0

    @property
    def case_name(self) -> str:
        s = self.suspects[0].name
        return f"{s}{'等人' if len(self.suspects) > 1 else ''}{self.crime.charge[:-1]}案"

    def number(self, kind: str) -> str:
        """A 文号 of ``kind`` (立/拘/拘通/捕/...), in this bureau's style; running numbers per kind."""
        n = self.numbers.get(kind)
        if n is None:
            n = self.rng.randint(20, 900)
        self.numbers[kind] = n + self.rng.randint(1, 9)
        y = self.year
        a = self.abbr
        style = self.number_style if self.rng.random() < 0.8 else self.rng.randrange(4)  # typed vs hand-numbered
        return [
            f"{a}公（刑）{kind}字〔{y}〕{n}号",
            f"{a}公(刑){kind}字[{y}]{n:04d}号",
            f"{a}公刑{kind}字〔{y}〕第{n}号",
            f"{a}公（刑）{kind}字（{y}）{n}号",
        ][style]


def _person(rng: random.Random, role: str, place, used: set[str], on: date, adult=True) -> Person:
    while True:
        name = rng.choice(SURNAMES) + rng.choice(GIVEN)
        if rng.random() < 0.25:
            name = name[:2]
        if name not in used:
            used.add(name)
            break
    sex = "女" if name[-1] in "英兰燕梅霞娟凤珍玲楠花" else rng.choice("男男男女")
    age = rng.randint(19, 62) if adult else rng.randint(16, 18)
    born = date(on.year - age, rng.randint(1, 12), rng.randint(1, 28))
    region = f"{rng.randint(43, 52)}{rng.randint(1000, 9999)}"
    seq = rng.randint(100, 999)
    body = f"{region}{born:%Y%m%d}{seq}"
    check = "0123456789X"[sum(int(c) * w for c, w in zip(body, [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2])) % 11]
    prov, pref, county, _ = place
    home = f"{prov}{pref}{county}{rng.choice(TOWNS)}{rng.choice(VILLAGES)}{rng.randint(1, 12)}组{rng.randint(1, 60)}号"
    live = home if rng.random() < 0.5 else f"{prov}{pref}{county}{rng.choice(TOWNS)}{rng.choice(STREETS)}{rng.randint(1, 300)}号"
    return Person(name, sex, born, rng.choice(ETHNIC), rng.choice(EDU), rng.choice(JOBS), body + check,
                  live, home, f"1{rng.choice('35789')}{rng.randint(100000000, 999999999)}", role,
                  alias=(rng.choice(["小", "老", "阿"]) + name[-1]) if rng.random() < 0.2 else None)


def make_case(rng: random.Random, n_suspects: int, n_victims: int, n_witnesses: int) -> Case:
    place = rng.choice(PLACES)
    prov, pref, county, abbr = place
    year = rng.choice([2021, 2022, 2023, 2024, 2025])
    occurred = datetime(year, rng.randint(1, 9), rng.randint(1, 28), rng.randint(0, 23), rng.choice([0, 10, 15, 20, 30, 40, 45, 50]))
    used: set[str] = set()
    on = occurred.date()
    suspects = [_person(rng, "suspect", place, used, on) for _ in range(n_suspects)]
    victims = [_person(rng, "victim", place, used, on) for _ in range(n_victims)]
    witnesses = [_person(rng, "witness", place, used, on) for _ in range(n_witnesses)]
    officers = [Officer(rng.choice(SURNAMES) + rng.choice(GIVEN)[rng.randint(0, 1):], f"{rng.randint(100000, 999999)}") for _ in range(4)]
    bureau = f"{county}公安局"
    station = f"{bureau}{rng.choice(TOWNS)[:-1]}派出所"
    unit = rng.choice([f"{bureau}刑事侦查大队", station, f"{bureau}刑警大队"])
    crime = _crime(rng, prov + pref + county, county, pref, victims)
    reported = occurred + timedelta(hours=rng.randint(1, 30), minutes=rng.randint(0, 59))
    filed = reported + timedelta(days=rng.randint(0, 3))
    return Case(rng, prov, pref, county, abbr, bureau, unit, station, f"{county}人民检察院", f"{county}看守所",
                suspects, victims, witnesses, officers, crime, occurred, reported, filed, year,
                number_style=rng.randrange(4))


def _crime(rng: random.Random, where: str, county: str, pref: str, victims: list[Person]) -> Crime:
    kind = rng.choice(["theft", "theft", "injury", "fraud"])
    shop = rng.choice(SHOPS)
    street = rng.choice(STREETS)
    if kind == "theft":
        items = rng.sample([
            ("华为牌手机", "1部", "黑色，型号Mate40，屏幕有裂痕", "2300"),
            ("电动自行车", "1辆", "雅迪牌，红色，车架号LY2206", "1800"),
            ("现金", "一宗", "人民币百元券", "4600"),
            ("金项链", "1条", "足金，重约15克", "5200"),
            ("笔记本电脑", "1台", "联想牌，银灰色", "3900"),
            ("香烟", "12条", "芙蓉王牌", "3120"),
        ], 3)
        loss = sum(int(v) for *_, v in items)
        return Crime("theft", "盗窃罪", "第二百六十四条", "", items, loss,
                     f"{where}{street}{rng.randint(1, 200)}号{shop}", "涉案物品价格认定",
                     f"{county}价格认证中心", f"涉案物品价值共计人民币{loss}元")
    if kind == "injury":
        items = [("木棍", "1根", "长约80厘米，一端有血迹", "/"), ("血衣", "1件", "白色短袖T恤", "/")]
        return Crime("injury", "故意伤害罪", "第二百三十四条", "", items, 0,
                     f"{where}{street}{shop}门前", "人体损伤程度鉴定",
                     f"{pref}公安局物证鉴定所",
                     f"被鉴定人{victims[0].name}的损伤程度为轻伤二级")
    items = [("苹果牌手机", "1部", "白色，内有作案微信账号", "/"), ("银行卡", "3张", "农业银行借记卡", "/")]
    loss = rng.randint(8, 60) * 1000
    return Crime("fraud", "诈骗罪", "第二百六十六条", "", items, loss,
                 f"{where}{street}{rng.randint(1, 200)}号", "涉案手机电子数据检验",
                 f"{pref}公安局网络安全支队", f"检出与被害人的聊天记录及转账记录共{rng.randint(20, 90)}条")
