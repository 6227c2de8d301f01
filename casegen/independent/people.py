"""The case's world: places, organs, people, dates, and the small formatting habits of one office."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN_M = "伟强磊军勇杰涛斌超明刚平辉鹏华飞鑫波宇浩凯健俊帆帅旭宁龙林洋阳峰建国志兵海东晨亮成斌"
GIVEN_F = "芳娜敏静丽艳娟霞秀英慧玲婷雪琳洁梅莉兰萍红燕倩颖露瑶佳欣怡蕾琴云"
NATIONS = ["汉族"] * 12 + ["回族", "壮族", "苗族", "土家族", "满族", "彝族"]
EDUCATION = ["小学", "初中", "初中", "高中", "中专", "大专", "本科", "文盲"]
JOBS = ["无业", "务工", "个体经营", "外卖骑手", "网约车司机", "农民", "公司职员", "厨师", "保安", "快递员", "销售", "自由职业"]

# (province, city, 文号 prefix char, [(district, 分局 short name)], 区划 code prefix)
CITIES = [
    ("浙江省", "温州市", "温", [("鹿城区", "鹿"), ("瓯海区", "瓯")], "3303"),
    ("江苏省", "徐州市", "徐", [("云龙区", "云"), ("泉山区", "泉")], "3203"),
    ("四川省", "绵阳市", "绵", [("涪城区", "涪"), ("游仙区", "游")], "5107"),
    ("湖南省", "常德市", "常", [("武陵区", "武"), ("鼎城区", "鼎")], "4307"),
    ("河南省", "洛阳市", "洛", [("西工区", "西"), ("涧西区", "涧")], "4103"),
    ("广东省", "佛山市", "佛", [("禅城区", "禅"), ("南海区", "南")], "4406"),
    ("山东省", "潍坊市", "潍", [("奎文区", "奎"), ("潍城区", "潍")], "3707"),
    ("安徽省", "芜湖市", "芜", [("镜湖区", "镜"), ("弋江区", "弋")], "3402"),
    ("福建省", "泉州市", "泉", [("丰泽区", "丰"), ("鲤城区", "鲤")], "3505"),
    ("江西省", "赣州市", "赣", [("章贡区", "章")], "3607"),
    ("辽宁省", "鞍山市", "鞍", [("铁东区", "铁")], "2103"),
    ("云南省", "曲靖市", "曲", [("麒麟区", "麒")], "5303"),
]
STREETS = ["新华", "人民", "解放", "建设", "和平", "光明", "滨江", "城南", "东风", "西关", "北门", "龙泉", "望江",
           "朝阳", "青年", "文化", "迎宾", "工业", "长安", "学府", "金桥", "五一"]
ROAD_KIND = ["路", "大道", "街", "巷"]
HOTSPOTS = ["小区", "花园", "新村", "公寓", "家园", "苑"]
BANKS = ["中国工商银行", "中国农业银行", "中国建设银行", "中国银行", "交通银行", "招商银行", "中国邮政储蓄银行"]
CN_DIGIT = "〇一二三四五六七八九"


def cn_small(n: int) -> str:
    """1..99 as written in dates: 十二, 二十一."""
    if n < 10:
        return CN_DIGIT[n] if n else "〇"
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else CN_DIGIT[tens]) + "十" + (CN_DIGIT[ones] if ones else "")


def cn_date(d: date | datetime, numerals: bool) -> str:
    if numerals:
        return "".join(CN_DIGIT[int(c)] for c in str(d.year)) + f"年{cn_small(d.month)}月{cn_small(d.day)}日"
    return f"{d.year}年{d.month}月{d.day}日"


def ar_date(d: date | datetime) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def hm(t: datetime) -> str:
    return f"{t.hour}时{t.minute:02d}分" if t.minute else f"{t.hour}时"


def dt_str(t: datetime) -> str:
    return f"{ar_date(t)}{t.hour}时{t.minute:02d}分"


def id_number(rng: random.Random, region: str, birth: date, male: bool) -> str:
    seq = rng.randrange(10, 99) * 10 + rng.choice([1, 3, 5, 7, 9] if male else [0, 2, 4, 6, 8])
    body = f"{region}{rng.randrange(1, 30):02d}{birth:%Y%m%d}{seq:03d}"
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    check = "10X98765432"[sum(int(c) * w for c, w in zip(body, weights)) % 11]
    return body + check


@dataclass
class Person:
    name: str
    male: bool
    birth: date
    id_no: str
    nation: str
    edu: str
    job: str
    address: str
    hukou: str
    phone: str
    role: str  # suspect | victim | witness

    @property
    def sex(self) -> str:
        return "男" if self.male else "女"

    def age(self, at: date) -> int:
        return at.year - self.birth.year - ((at.month, at.day) < (self.birth.month, self.birth.day))


@dataclass
class Organs:
    province: str
    city: str
    district: str
    bureau: str  # the issuing 公安局 (分局 or 市局)
    station: str  # 派出所 or 刑侦大队 that handles the case
    unit: str  # full name of the handling unit
    prefix: str  # 文号 prefix, e.g. 温鹿公
    procuratorate: str
    pro_prefix: str
    jail: str
    officers: list[str]
    region: str


@dataclass
class Habits:
    """Formatting habits of this office; real offices are consistent within a file, not across files."""

    numerals: bool  # dates in 二〇二四年三月五日
    docno: int  # which 文号 pattern
    red_header: bool
    title_px: float
    title_tracking: float
    docno_center: bool
    copy_mark: bool  # print "（副本）" on some forms
    footer_style: int


@dataclass
class Case:
    seed: int
    organs: Organs
    habits: Habits
    crime: str
    suspects: list[Person]
    victims: list[Person]
    witnesses: list[Person]
    t: dict[str, datetime] = field(default_factory=dict)
    serial: dict[str, int] = field(default_factory=dict)
    case_number: str = ""

    def date(self, d: date | datetime) -> str:
        return cn_date(d, self.habits.numerals)

    def docno(self, kind: str, rng: random.Random, n: int | None = None) -> str:
        """A 文号 in this office's pattern; the serial of each kind grows through the year."""
        if n is None:
            n = self.serial.setdefault(kind, rng.randrange(12, 900))
            self.serial[kind] += rng.randrange(1, 30)
        y, p = self.t["report"].year, self.organs.prefix
        return [
            f"{p}（刑）{kind}字〔{y}〕{n}号",
            f"{p}刑{kind}字〔{y}〕{n:04d}号",
            f"{p}（刑）{kind}字[{y}]第{n}号",
            f"〔{y}〕{p}（刑）{kind}字{n}号",
            f"{p}(刑){kind}字({y}){n}号",
        ][self.habits.docno]


def person(rng: random.Random, role: str, region: str, org: Organs, at: date, used: set[str]) -> Person:
    male = rng.random() < (0.8 if role == "suspect" else 0.55)
    while True:
        given = "".join(rng.choice(GIVEN_M if male else GIVEN_F) for _ in range(rng.choice([1, 2, 2])))
        name = rng.choice(SURNAMES) + given
        if name not in used:
            used.add(name)
            break
    birth = date(at.year - rng.randrange(19, 62), rng.randrange(1, 13), rng.randrange(1, 29))
    local = rng.random() < 0.6
    reg = region if local else rng.choice(CITIES)[4]
    home = f"{org.province}{org.city}{org.district}{rng.choice(STREETS)}{rng.choice(ROAD_KIND)}{rng.randrange(1, 300)}号"
    if rng.random() < 0.6:
        home = f"{org.city}{org.district}{rng.choice(STREETS)}{rng.choice(HOTSPOTS)}{rng.randrange(1, 30)}幢{rng.randrange(1, 3)}单元{rng.randrange(1, 30)}0{rng.randrange(1, 5)}室"
    hukou_city = [c for c in CITIES if c[4] == reg][0]
    hukou = home if local else f"{hukou_city[0]}{hukou_city[1]}{hukou_city[3][0][0]}{rng.choice(STREETS)}村{rng.randrange(1, 12)}组{rng.randrange(1, 99)}号"
    return Person(name, male, birth, id_number(rng, reg, birth, male), rng.choice(NATIONS), rng.choice(EDUCATION),
                  rng.choice(JOBS), home, hukou, f"1{rng.choice('35789')}{rng.randrange(10**8, 10**9)}", role)


def organs(rng: random.Random) -> Organs:
    prov, city, ch, districts, region = rng.choice(CITIES)
    district, dch = rng.choice(districts)
    by_branch = rng.random() < 0.7  # most cases are handled by a 分局, some by the city bureau's 刑侦支队
    bureau = f"{city}公安局{district[:-1]}分局" if by_branch else f"{city}公安局"
    if rng.random() < 0.6:
        station = f"{rng.choice(STREETS)}派出所"
    else:
        station = "刑事侦查大队" if by_branch else "刑事侦查支队"
    prefix = f"{ch}{dch}公" if by_branch else f"{ch}公"
    officers = [rng.choice(SURNAMES) + rng.choice(GIVEN_M + GIVEN_F) + rng.choice(["", rng.choice(GIVEN_M)])
                for _ in range(4)]
    return Organs(prov, city, district, bureau, station, bureau + station, prefix,
                  f"{city}{district}人民检察院" if by_branch else f"{city}人民检察院",
                  f"{ch}{dch}检" if by_branch else f"{ch}检", f"{city}看守所", officers, region)
