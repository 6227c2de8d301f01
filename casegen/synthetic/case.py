"""The case behind the documents: organs, people and a consistent timeline.

Everything random comes from one `random.Random` and one seeded Faker so that a seed fixes the
whole case. Dates follow the order of a real investigation: 受案 → 立案 → 传唤/抓获 → 拘留 →
讯问 (several per suspect) → 提请逮捕 → 批准逮捕 → 逮捕 → 鉴定 → 起诉意见.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from faker import Faker

from . import places

OCCUPATIONS = ("无业", "无业", "务工", "个体经营", "外卖骑手", "快递员", "保安", "厨师", "司机", "装修工", "销售", "网约车司机")
WITNESS_ROLES = ("保安", "店主", "邻居", "同事", "路人", "收购人", "房东", "朋友")
BANKS = (("中国工商银行", "6222"), ("中国建设银行", "6217"), ("中国农业银行", "6228"), ("中国银行", "6216"),
         ("交通银行", "6222"), ("招商银行", "6225"), ("中国邮政储蓄银行", "6210"), ("兴业银行", "6229"),
         ("平安银行", "6230"), ("中信银行", "6226"))


@dataclass
class Person:
    name: str
    male: bool
    birth: date
    nation: str
    education: str
    id_number: str
    hukou: str  # 户籍所在地
    address: str  # 现住址
    phone: str
    role: str  # suspect | victim | witness
    occupation: str = "无业"
    workplace: str = ""
    relation: str = ""  # witnesses: how they know the case (保安, 收购人 ...)
    hukou_org: str = ""  # 户籍登记机关
    events: dict = field(default_factory=dict)  # suspects: their procedural dates

    @property
    def sex(self) -> str:
        return "男" if self.male else "女"

    def age(self, at: date | datetime) -> int:
        at = at.date() if isinstance(at, datetime) else at
        return at.year - self.birth.year - ((at.month, at.day) < (self.birth.month, self.birth.day))


@dataclass
class Officer:
    name: str
    badge: str  # 警号


@dataclass
class Organs:
    city: places.City
    district: str
    district_code: str
    bureau: str  # 深圳市公安局
    branch: str  # 深圳市公安局福田分局
    station: str  # 深圳市公安局福田分局园岭派出所
    squad: str  # 深圳市公安局福田分局刑事侦查大队
    prefix: str  # 深公（福）
    procuratorate: str  # 深圳市福田区人民检察院
    proc_prefix: str  # 深福检
    jail: str  # 看守所
    recorder_unit: str  # the unit whose officers take the statements

    @property
    def district_short(self) -> str:
        d = self.district
        for suf in ("新区", "区"):
            if d.endswith(suf) and len(d) > len(suf) + 1:
                return d[: -len(suf)]
        return d


@dataclass
class Case:
    seed: int
    crime: str  # 盗窃 | 诈骗 | 故意伤害 | 抢劫
    number: str
    title: str
    organs: Organs
    suspects: list[Person]
    victims: list[Person]
    witnesses: list[Person]
    officers: list[Officer]
    bank: tuple[str, str]
    crime_at: datetime
    report_at: datetime
    filed_at: datetime
    scene_at: datetime
    appraisal_engaged: datetime
    appraisal_done: datetime
    appraisal_notice: datetime
    recommend_at: datetime
    arrest_request_at: datetime | None
    serial: dict = field(default_factory=dict)  # per-kind 文号 counters
    facts: dict = field(default_factory=dict)  # the crime's particulars (filled by the scenario)

    @property
    def people(self) -> list[Person]:
        return self.suspects + self.victims + self.witnesses

    def doc_no(self, kind: str, year: int | None = None) -> str:
        """Next 文号 of a kind: 深公（福）立字〔2024〕1023号."""
        base = self.serial.setdefault(kind, random.Random(f"{self.seed}-{kind}").randint(100, 9800))
        self.serial[kind] = base + random.Random(f"{self.seed}-{kind}-{base}").randint(1, 4)
        y = year or self.filed_at.year
        return f"{self.organs.prefix}{kind}〔{y}〕{base}号"


MALE_GIVEN = ("建国", "志强", "海波", "文华", "国庆", "德明", "永刚", "春生", "晓东", "家豪", "子轩", "俊杰", "宏伟", "金龙",
              "立新", "红军", "小军", "思远", "浩然", "明辉", "振华", "建军", "卫东", "旭东", "少华", "双喜", "长江", "学文")
FEMALE_GIVEN = ("秀英", "丽华", "春梅", "晓燕", "雅婷", "欣怡", "淑珍", "美玲", "海燕", "翠兰", "梦瑶", "静怡", "雪梅", "红霞")


def _unique_name(fake: Faker, rng: random.Random, male: bool, used: set[str]) -> str:
    # Faker's zh_CN full names ignore gender; its given-name lists do not.
    while True:
        given = (fake.first_name_male() if male else fake.first_name_female()) if rng.random() < 0.6 else \
            rng.choice(MALE_GIVEN if male else FEMALE_GIVEN)
        n = fake.last_name() + given
        if n not in used and len(n) >= 2:
            used.add(n)
            return n


def make_person(fake: Faker, rng: random.Random, role: str, organs: Organs, at: date, used: set[str],
                local_share: float = 0.45) -> Person:
    male = rng.random() < (0.85 if role == "suspect" else 0.55)
    age = rng.randint(18, 52) if role == "suspect" else rng.randint(19, 68)
    birth = at - timedelta(days=365 * age + rng.randint(0, 364))
    city = organs.city
    if rng.random() < local_share:
        area = organs.district_code
        hukou = places.urban_address(rng, city, organs.district, rng.choice(places.STATION_WORDS))
        hukou_org = organs.station
    else:
        home = rng.choice(places.HOMETOWNS)
        area = home[3]
        hukou = places.rural_address(rng, home)
        town = hukou[len(home[0] + home[1] + home[2]):].split("镇")[0].split("乡")[0]
        hukou_org = f"{home[1] or home[0]}公安局{home[2][:-1] if len(home[2]) > 2 else home[2]}分局{town}派出所" \
            if home[2].endswith("区") else f"{home[2]}公安局{town}派出所"
    district = rng.choice(city.districts)[0] if rng.random() < 0.3 else organs.district
    address = hukou if (area == organs.district_code and rng.random() < 0.6) else \
        places.urban_address(rng, city, district, fake.company_prefix())
    occupation = rng.choice(OCCUPATIONS)
    workplace = fake.company() if occupation not in ("无业", "个体经营") else ""
    return Person(
        name=_unique_name(fake, rng, male, used), male=male, birth=birth, nation=rng.choice(places.NATIONS),
        education=rng.choice(places.SCHOOLS), id_number=places.id_number(rng, area, birth, male), hukou=hukou,
        address=address, phone=fake.phone_number(), role=role, occupation=occupation, workplace=workplace,
        hukou_org=hukou_org,
    )


def _at(d: datetime, rng: random.Random, hour_lo: int, hour_hi: int) -> datetime:
    return d.replace(hour=rng.randint(hour_lo, hour_hi), minute=rng.choice(range(0, 60, 5)), second=0, microsecond=0)


def build_case(seed: int, rng: random.Random, fake: Faker, crime: str | None = None, pages: int = 80) -> Case:
    """A case sized for about `pages` scanned pages: bigger files hold more statements, not only
    longer ones."""
    extra = max(0, pages - 80)
    city = rng.choice(places.CITIES)
    district, dcode = rng.choice(city.districts)
    tmp_short = district[:-2] if district.endswith("新区") else district[:-1] if len(district) > 2 else district
    branch = f"{city.name}公安局{tmp_short}分局"
    organs = Organs(
        city=city, district=district, district_code=dcode, bureau=f"{city.name}公安局", branch=branch,
        station=f"{branch}{rng.choice(places.STATION_WORDS)}派出所", squad=f"{branch}刑事侦查大队",
        prefix=f"{city.abbr}公（{district[0]}）", procuratorate=f"{city.name}{district}人民检察院",
        proc_prefix=f"{city.abbr}{district[0]}检",
        jail=rng.choice((f"{city.name}{district}看守所", f"{city.name}第一看守所", f"{city.name}第二看守所")),
        recorder_unit="",
    )
    organs.recorder_unit = organs.station if rng.random() < 0.6 else organs.squad
    crime = crime or rng.choice(("盗窃", "盗窃", "诈骗", "故意伤害", "抢劫"))

    # Timeline anchored on the day of the crime.
    start = date(2019, 1, 1) + timedelta(days=rng.randint(0, 6 * 365))
    crime_at = _at(datetime(start.year, start.month, start.day), rng, 0, 23)
    report_at = _at(crime_at + timedelta(days=rng.choice((0, 0, 1, 2))), rng, 7, 21)
    if report_at < crime_at:
        report_at = crime_at + timedelta(hours=rng.randint(1, 5))
    filed_at = _at(report_at + timedelta(days=rng.randint(0, 3)), rng, 9, 17)
    scene_at = report_at + timedelta(minutes=rng.randint(30, 150))

    used: set[str] = set()
    n_sus = rng.choices((1, 2, 3), (4, 4, 2))[0]
    suspects = [make_person(fake, rng, "suspect", organs, crime_at.date(), used, 0.3) for _ in range(n_sus)]
    victims = [make_person(fake, rng, "victim", organs, crime_at.date(), used, 0.6)
               for _ in range(rng.choices((1, 2), (7, 3))[0])]
    witnesses = [make_person(fake, rng, "witness", organs, crime_at.date(), used, 0.5)
                 for _ in range(rng.randint(1, 3))]
    for w, role in zip(witnesses, rng.sample(WITNESS_ROLES, len(witnesses))):
        w.relation = role
    officers = [Officer(_unique_name(fake, rng, rng.random() < 0.8, used), f"{rng.randint(0, 999999):06d}")
                for _ in range(rng.randint(3, 5))]

    caught = _at(filed_at + timedelta(days=rng.randint(1, 20)), rng, 6, 22)
    arrest_request_at = None
    for i, s in enumerate(suspects):
        got = caught + timedelta(hours=rng.choice((0, 0, 2, 26, 75)) * (i > 0))
        ev = s.events
        ev["summons"] = got - timedelta(minutes=rng.randint(10, 50))
        ev["caught"] = got
        ev["detained"] = got + timedelta(hours=rng.randint(4, 20))
        ev["detain_notice"] = ev["detained"] + timedelta(hours=rng.randint(2, 20))
        ev["search"] = got + timedelta(hours=rng.randint(1, 6)) if i == 0 or rng.random() < 0.5 else None
        ev["extended"] = ev["detained"] + timedelta(days=2, hours=rng.randint(0, 20)) if rng.random() < 0.7 else None
        measure = "arrest" if i == 0 else rng.choices(("arrest", "bail", "surveillance"), (4, 3, 3))[0]
        if n_sus == 1 and rng.random() < 0.25:
            measure = rng.choice(("bail", "surveillance"))
        ev["measure"] = measure
        days_held = rng.randint(20, 29) if ev["extended"] else rng.randint(3, 6)
        if measure == "arrest":
            req = _at(ev["detained"] + timedelta(days=days_held), rng, 9, 17)
            arrest_request_at = max(arrest_request_at, req) if arrest_request_at else req
        else:
            ev["release"] = _at(ev["detained"] + timedelta(days=min(days_held, rng.randint(3, 10))), rng, 9, 17)
        # Interrogations: the first within 24 h of being brought in, the rest over the following days.
        n_int = rng.randint(2, 5) + extra // 35
        times = [got + timedelta(minutes=rng.randint(20, 180))]
        day = 0
        for _ in range(n_int - 1):
            day += rng.randint(1, 6)
            times.append(_at(got + timedelta(days=day), rng, 8, 20))
        ev["interrogations"] = times
    for s in suspects:
        if s.events["measure"] == "arrest":
            assert arrest_request_at is not None
            s.events["arrest_request"] = arrest_request_at
            s.events["approval"] = _at(arrest_request_at + timedelta(days=rng.randint(3, 7)), rng, 9, 17)
            s.events["arrested"] = s.events["approval"] + timedelta(hours=rng.randint(1, 8))
            s.events["arrest_notice"] = s.events["arrested"] + timedelta(hours=rng.randint(2, 20))
    for v in victims:
        v.events["statements"] = [report_at + timedelta(minutes=rng.randint(20, 90))] + \
            sorted(_at(caught + timedelta(days=rng.randint(1, 25)), rng, 9, 19)
                   for _ in range(rng.choices((0, 1, 2), (4, 5, 1))[0] + extra // 70))
    for w in witnesses:
        first = max(caught + timedelta(days=rng.randint(-3, 10)), report_at + timedelta(days=1))
        w.events["statements"] = [_at(first, rng, 9, 20)] + \
            sorted(_at(first + timedelta(days=rng.randint(3, 30)), rng, 9, 19)
                   for _ in range(rng.choices((0, 1), (7, 3))[0] + extra // 80))
    appraisal_engaged = _at(caught + timedelta(days=rng.randint(1, 5)), rng, 9, 17)
    appraisal_done = _at(appraisal_engaged + timedelta(days=rng.randint(5, 20)), rng, 9, 17)
    appraisal_notice = _at(appraisal_done + timedelta(days=rng.randint(1, 6)), rng, 9, 17)
    last = max([appraisal_notice] + [s.events.get("arrested", s.events["detained"]) for s in suspects]
               + [s.events["interrogations"][-1] for s in suspects] + [p.events["statements"][-1] for p in victims + witnesses])
    recommend_at = _at(last + timedelta(days=rng.randint(20, 55)), rng, 9, 17)

    number = f"A{dcode}{rng.choice(('510000', '520000', '550000', '560000', '580000'))}{filed_at:%Y%m}{rng.randint(1, 80):04d}"
    title = f"{suspects[0].name}{'等人' if n_sus > 1 else ''}{crime}案"
    return Case(seed, crime, number, title, organs, suspects, victims, witnesses, officers, rng.choice(BANKS),
                crime_at, report_at, filed_at, scene_at, appraisal_engaged, appraisal_done, appraisal_notice,
                recommend_at, arrest_request_at)
