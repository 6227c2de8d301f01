"""People of a synthetic case: names, GB 11643 identity numbers, addresses, phones.

Everything here is drawn from a ``random.Random`` handed in by the caller, so a case is a pure
function of its seed.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

# (weight, surname): a rough frequency mix, not a census
SURNAMES = (
    "王王王李李李张张张刘刘陈陈杨杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈"
    "曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵"
    "孟龙万段雷钱汤尹黎易常武乔贺赖龚文"
)
GIVEN_M = "伟强军勇杰涛斌超明刚平辉鹏华飞鑫波宇浩凯健俊帆峰磊旭东亮成龙志国建文海林晨阳博宏德"
GIVEN_F = "芳娟敏静丽艳娜秀英霞燕玲桂兰萍红梅琳婷雪慧倩颖洁琴云莉佳欣悦彤璐晶丹蕾薇月"
GIVEN_ANY = "子一小家嘉思雨俊梓浩晓永春秋新少光金玉"

ETHNIC = ["汉族"] * 18 + ["回族", "土家族", "壮族", "苗族"]
EDUCATION = ["小学", "初中", "初中", "初中", "高中", "中专", "大专", "本科"]
JOBS_SUSPECT = ["无业", "无业", "务工", "个体经营", "外卖骑手", "快递员", "驾驶员", "厨师", "装修工", "网约车司机"]
JOBS_OTHER = ["职员", "教师", "个体经营", "务工", "退休", "护士", "销售", "保安", "超市收银员", "公司职员"]


@dataclass(frozen=True)
class Region:
    code: str  # six-digit administrative division code
    province: str
    city: str
    county: str
    places: tuple[str, ...]  # towns / streets
    rural: bool

    def full(self) -> str:
        return f"{self.province}{self.city}{self.county}"


REGIONS: tuple[Region, ...] = (
    Region("330106", "浙江省", "杭州市", "西湖区", ("文新街道", "翠苑街道", "蒋村街道", "留下街道"), False),
    Region("330102", "浙江省", "杭州市", "上城区", ("湖滨街道", "清波街道", "小营街道"), False),
    Region("320106", "江苏省", "南京市", "鼓楼区", ("湖南路街道", "宁海路街道", "挹江门街道"), False),
    Region("430104", "湖南省", "长沙市", "岳麓区", ("望月湖街道", "观沙岭街道", "咸嘉湖街道"), False),
    Region("430602", "湖南省", "岳阳市", "岳阳楼区", ("五里牌街道", "金鹗山街道", "奇家岭街道"), False),
    Region("420106", "湖北省", "武汉市", "武昌区", ("中南路街道", "水果湖街道", "首义路街道"), False),
    Region("510107", "四川省", "成都市", "武侯区", ("浆洗街街道", "玉林街道", "红牌楼街道"), False),
    Region("610113", "陕西省", "西安市", "雁塔区", ("小寨路街道", "大雁塔街道", "电子城街道"), False),
    Region("370102", "山东省", "济南市", "历下区", ("泉城路街道", "文东街道", "千佛山街道"), False),
    Region("350203", "福建省", "厦门市", "思明区", ("中华街道", "鹭江街道", "莲前街道"), False),
    Region("440106", "广东省", "广州市", "天河区", ("石牌街道", "五山街道", "林和街道"), False),
    Region("410105", "河南省", "郑州市", "金水区", ("经八路街道", "文化路街道", "丰产路街道"), False),
    Region("360102", "江西省", "南昌市", "东湖区", ("公园街道", "百花洲街道", "豫章街道"), False),
    Region("340104", "安徽省", "合肥市", "蜀山区", ("三里庵街道", "稻香村街道", "琥珀街道"), False),
    Region("341221", "安徽省", "阜阳市", "临泉县", ("城关镇", "杨桥镇", "姜寨镇", "韦寨镇"), True),
    Region("341622", "安徽省", "亳州市", "蒙城县", ("城关镇", "双涧镇", "小涧镇"), True),
    Region("411623", "河南省", "周口市", "商水县", ("城关乡", "黄寨镇", "练集镇"), True),
    Region("430626", "湖南省", "岳阳市", "平江县", ("汉昌镇", "安定镇", "三市镇"), True),
    Region("421182", "湖北省", "黄冈市", "武穴市", ("刊江街道", "梅川镇", "大法寺镇"), True),
    Region("511321", "四川省", "南充市", "南部县", ("南隆街道", "河东镇", "东坝镇"), True),
)

ROADS = ("人民路", "解放路", "建设路", "中山路", "文一路", "学院路", "长江路", "和平路", "新华路", "朝阳路",
         "青年路", "胜利路", "光明路", "迎宾路", "滨河路", "环城北路", "东风路", "友谊路")
ESTATES = ("阳光花园", "金色家园", "翠苑", "绿城桂花苑", "幸福里", "锦绣江南", "城市之星", "紫金庭院",
           "湖畔小区", "新天地公寓", "东方名苑", "梧桐苑", "和平新村", "春江花月")
VILLAGE_SUFFIX = ("村", "村", "社区")
VILLAGE_HEAD = ("李庄", "王楼", "张湾", "刘集", "陈岗", "杨店", "黄坡", "前进", "红旗", "新建", "石桥", "柳河")

# GB 11643-1999: weights of the first 17 digits and the check character for the sum mod 11
_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"


def check_digit(first17: str) -> str:
    if len(first17) != 17 or not first17.isdigit():
        raise ValueError(f"need 17 digits, got {first17!r}")
    return _CHECK[sum(int(c) * w for c, w in zip(first17, _WEIGHTS)) % 11]


def id_is_valid(number: str) -> bool:
    return len(number) == 18 and number[:17].isdigit() and check_digit(number[:17]) == number[17]


def make_id(rng: random.Random, region: Region, birth: dt.date, male: bool) -> str:
    seq = rng.randrange(0, 100) * 10 + rng.choice((1, 3, 5, 7, 9) if male else (0, 2, 4, 6, 8))
    first = f"{region.code}{birth:%Y%m%d}{seq:03d}"
    return first + check_digit(first)


def cn_date(d: dt.date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


@dataclass
class Person:
    name: str
    male: bool
    birth: dt.date
    id_number: str
    ethnic: str
    education: str
    job: str
    employer: str
    hukou: str  # 户籍所在地
    address: str  # 现住址
    phone: str
    role: str  # suspect / victim / witness / officer / relative / bystander
    region: Region
    nickname: str = ""
    prior: str = ""  # 违法犯罪经历, empty when none
    relative: "Person | None" = field(default=None, repr=False)
    relation: str = ""  # how relative is related: 妻子, 父亲 ...

    @property
    def gender(self) -> str:
        return "男" if self.male else "女"

    def age(self, on: dt.date) -> int:
        return on.year - self.birth.year - ((on.month, on.day) < (self.birth.month, self.birth.day))


def make_name(rng: random.Random, male: bool, taken: set[str]) -> str:
    for _ in range(200):
        sur = rng.choice(SURNAMES)
        pool = GIVEN_M if male else GIVEN_F
        if rng.random() < 0.35:
            given = rng.choice(pool)
        else:
            given = rng.choice(pool + GIVEN_ANY) + rng.choice(pool)
        name = sur + given
        if name not in taken and given[-1] != sur and len(set(name)) == len(name):
            taken.add(name)
            return name
    raise RuntimeError("could not draw a fresh name")


def make_phone(rng: random.Random) -> str:
    head = rng.choice(("133", "135", "136", "137", "138", "139", "150", "151", "152", "155", "158",
                       "159", "177", "180", "181", "183", "185", "186", "187", "188", "189", "199"))
    return head + "".join(rng.choice("0123456789") for _ in range(8))


def home_address(rng: random.Random, region: Region) -> str:
    place = rng.choice(region.places)
    if region.rural:
        village = rng.choice(VILLAGE_HEAD) + rng.choice(VILLAGE_SUFFIX)
        return f"{region.full()}{place}{village}{rng.randint(1, 12)}组{rng.randint(1, 60)}号"
    return (f"{region.full()}{rng.choice(ROADS)}{rng.randint(1, 399)}号{rng.choice(ESTATES)}"
            f"{rng.randint(1, 28)}幢{rng.randint(1, 4)}单元{rng.randint(1, 18)}0{rng.randint(1, 4)}室")


def local_address(rng: random.Random, region: Region) -> str:
    return (f"{region.city}{region.county}{rng.choice(region.places)}{rng.choice(ROADS)}"
            f"{rng.randint(1, 399)}号{rng.choice(ESTATES)}{rng.randint(1, 28)}幢{rng.randint(1, 24)}0{rng.randint(1, 6)}室")


def make_person(rng: random.Random, role: str, today: dt.date, local: Region, taken: set[str],
                male: bool | None = None, age: tuple[int, int] = (19, 58)) -> Person:
    if male is None:
        male = rng.random() < (0.85 if role == "suspect" else 0.55)
    years = rng.randint(*age)
    birth = today - dt.timedelta(days=years * 365 + rng.randint(0, 364))
    from_here = rng.random() < (0.35 if role == "suspect" else 0.6)
    region = local if from_here else rng.choice([r for r in REGIONS if r is not local])
    hukou = home_address(rng, region)
    address = hukou if from_here and rng.random() < 0.6 else local_address(rng, local)
    jobs = JOBS_SUSPECT if role == "suspect" else JOBS_OTHER
    job = rng.choice(jobs) if years < 60 else "退休"
    if years <= 22 and role != "suspect" and rng.random() < 0.5:
        job = "学生"
    employer = "无" if job in ("无业", "退休", "务工") else rng.choice(
        ("个体", f"{local.city}{rng.choice(ESTATES)}物业管理有限公司", f"{local.city}市政工程有限公司",
         f"{local.county}{rng.choice(ROADS)}便利店", f"{local.city}某科技有限公司", "自营"))
    p = Person(
        name=make_name(rng, male, taken), male=male, birth=birth,
        id_number=make_id(rng, region, birth, male), ethnic=rng.choice(ETHNIC),
        education=rng.choice(EDUCATION), job=job, employer=employer, hukou=hukou, address=address,
        phone=make_phone(rng), role=role, region=region,
    )
    return p


def make_relative(rng: random.Random, p: Person, today: dt.date, taken: set[str]) -> Person:
    """The family member a detention/arrest notice goes to."""
    older = p.age(today) < 30
    if older:
        male = rng.random() < 0.5
        relation = "父亲" if male else "母亲"
        age = (p.age(today) + 22, p.age(today) + 32)
    else:
        male = not p.male
        relation = "妻子" if p.male else "丈夫"
        age = (max(20, p.age(today) - 5), p.age(today) + 3)
    r = make_person(rng, "relative", today, p.region, taken, male=male, age=age)
    r.hukou = p.hukou
    r.address = p.hukou if rng.random() < 0.7 else p.address
    return r if not relation else _with_relation(p, r, relation)


def _with_relation(p: Person, r: Person, relation: str) -> Person:
    p.relative = r
    p.relation = relation
    return r
