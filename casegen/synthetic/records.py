"""笔录: 讯问笔录, 询问笔录 (被害人/证人), 辨认笔录, 现场勘验笔录, 搜查笔录, 电子数据提取笔录.

They share a header of fields (时间 ... 至 ..., 地点, 侦查员, 记录员, the person), either typed
("时间：2024年03月12日09时30分至...") or as a printed form with filled-in blanks, then a body
(问/答 dialogue or description), then a signature block. Lengths are fitted to the page count the
plan asks for by adding or dropping follow-up questions or description paragraphs.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from . import dialogue as dl
from .case import Person
from .compose import Doc, Style, finger_mark, hand_mark, number_line, random_numbering, random_style, style_copy
from .context import Ctx, DocOut, DocSpec, fit_range, iso
from .layout import LayoutPage, Mark, Rect, Run, TextLine, em_mm
from .wording import cn_number, d_cn, dt_cn, t_cn

STATEMENTS = ("以上笔录我看过，和我说的相符。", "以上笔录我已看过，与我说的一致。", "以上笔录已向我宣读过，和我说的相符。",
              "以上笔录我看过，和我说的一样。", "此笔录我已看过，记录属实。")


class RecordLayout:
    """Random choices that make one 笔录 look like the product of a particular template."""

    def __init__(self, rng: random.Random, numbered: float = 0.85):
        self.seed = rng.getrandbits(32)
        r = random.Random(self.seed)
        self.style: Style = random_style(r, "record")
        self.form = r.random() < 0.35  # printed form with blanks vs typed fields
        self.pad = r.random() < 0.5  # 2024年03月12日09时30分 vs 2024年3月12日9时30分
        self.nth_line = r.random() < 0.7
        self.nth_fmt = r.choice(("（第{n}次）", "（第{n}次）", "第{c}次", "（第{c}次）"))
        self.organ_head = r.random() < 0.2  # some templates print the organ above the title
        self.hand_statement = r.random() < 0.35
        # the person signs and fingerprints every page (程序规定 第二百零六条: 逐页签名、捺指印); an
        # unsigned page is a defect the checks find, injected on purpose (benchmarks/checks.py)
        self.page_sign = r.random() < 1.0  # still drawn: a seed's other choices stay as they were
        self.hang = r.choice((0.0, 0.0, 2.0))
        self.qa_indent = r.choice((0.0, 0.0, 2.0))
        self.colon = r.choice(("：", "："))
        if r.random() < numbered:
            self.style.numbering = random_numbering(r, self.style.body)

    def doc(self) -> Doc:
        return Doc(style_copy(self.style), random.Random(self.seed))


def _time_groups(doc: Doc, lay: RecordLayout, start: datetime, end: datetime, label: str = "时间") -> list[list[Run]]:
    if lay.form:
        parts = [(label, False)]
        for v, u in ((start.year, "年"), (start.month, "月"), (start.day, "日"), (start.hour, "时"), (start.minute, "分至")):
            parts += [(str(v), True), (u, False)]
        if end.date() != start.date():
            for v, u in ((end.year, "年"), (end.month, "月"), (end.day, "日")):
                parts += [(str(v), True), (u, False)]
        parts += [(str(end.hour), True), ("时", False), (str(end.minute), True), ("分", False)]
        doc.form_line(parts)
        return []
    if end.date() == start.date() and doc.rng.random() < 0.5:
        tail = t_cn(end, lay.pad)
    else:
        tail = dt_cn(end, lay.pad)
    return [doc.field_run(f"{label}：", f"{dt_cn(start, lay.pad)}至{tail}", False)]


def _fields(doc: Doc, lay: RecordLayout, pairs: list[tuple[str, str]]) -> None:
    groups = [doc.field_run(k if lay.form else k + "：", v, lay.form) for k, v in pairs if v is not None]
    doc.groups(groups, gap_em=doc.rng.choice((1.5, 2.0, 3.0)))


def _person_pairs(p: Person, at: datetime, label: str, lay: RecordLayout, rng: random.Random) -> list[list[tuple[str, str]]]:
    rows = [[(label, p.name), ("性别", p.sex), ("年龄", str(p.age(at))), ("出生日期", d_cn(p.birth, lay.pad))]]
    rows.append([("身份证件种类及号码", f"居民身份证 {p.id_number}")])
    if rng.random() < 0.5:
        rows.append([("民族", p.nation), ("文化程度", p.education), ("联系方式", p.phone)])
    else:
        rows.append([("联系方式", p.phone)])
    rows.append([("现住址", p.address)])
    rows.append([("户籍所在地", p.hukou)])
    if p.workplace and rng.random() < 0.6:
        rows.append([("工作单位", p.workplace)])
    return rows


def _qa(doc: Doc, lay: RecordLayout, q: str, a: str) -> None:
    st = doc.style
    lab = st.title if lay.style.qa_bold else None
    doc.para(q, indent=lay.qa_indent, hang=lay.hang, label="问：", label_family=lab)
    doc.para(a, indent=lay.qa_indent, hang=lay.hang, label="答：", label_family=lab)


def _statement(doc: Doc, lay: RecordLayout, name: str, at: datetime, label: str, officers: list[str],
               recorder: str, asker: str) -> None:
    rng = doc.rng
    stmt = rng.choice(STATEMENTS)
    doc.boxes[-1].keep_with_next = True  # the last answer, the statement and the signatures stay together
    doc.space(em_mm(doc.style.size) * 0.6)
    doc.boxes[-1].keep_with_next = True
    if lay.hand_statement:  # written by the person: a mark, not printed text
        size = doc.style.size

        def draw(x, y, stmt=stmt):
            return [hand_mark(random.Random(lay.seed + 7), stmt, doc.x0 + em_mm(size) * 2, y + em_mm(size) * 1.5, size)]
        doc.custom(em_mm(size) * 2.4, draw, keep_with_next=True)
    else:
        doc.para(stmt, indent=2, keep_lines=True)
        doc.boxes[-1].keep_with_next = True
    hand_date = f"{at.year}.{at.month}.{at.day}" if rng.random() < 0.7 else None
    doc.signatures([(label, name)], fingerprint_on={0}, align="right", hand_date=hand_date)
    doc.boxes[-1].keep_with_next = True
    doc.signatures([(asker, "、".join(officers)), ("记录员：" if rng.random() < 0.7 else "记录人：", recorder)])


def _page_sign(lay: RecordLayout, name: str, at: datetime):
    """The person signs (and fingerprints) the bottom of every page; the last in the signature block."""
    def decorate(n: int, m: int, items: list) -> None:
        if not lay.page_sign or n == m:
            return
        st = lay.style
        r = random.Random(lay.seed + n)
        x = st.page[0] - st.right - r.uniform(40, 60)
        y = st.page[1] - st.bottom + r.uniform(3, 8)
        items.append(hand_mark(r, name, x, y, st.size))
        if r.random() < 0.8:
            items.append(finger_mark(r, x + len(name) * 4 + 4, y - 3))
        if r.random() < 0.5:
            items.append(hand_mark(r, f"{at.year}.{at.month}.{at.day}", x + len(name) * 6 + 8, y, st.size * 0.8))
    return decorate


def _pick(rng: random.Random, lo_hi: tuple[int, int]) -> int:
    lo, hi = lo_hi
    return rng.randint(lo, max(lo, hi - 1))


# --------------------------------------------------------------------------------- statements


def statement(ctx: Ctx, spec: DocSpec) -> DocOut:
    """讯问笔录 / 询问笔录 (被害人 or 证人)."""
    case, sc, rng = ctx.case, ctx.sc, ctx.rng
    p = spec.persons[0]
    kind = spec.type
    lay = RecordLayout(rng)
    officers = rng.sample(case.officers, 2)
    recorder = officers[1] if rng.random() < 0.6 else rng.choice([o for o in case.officers if o not in officers])
    unit = case.organs.recorder_unit
    start = spec.at
    end = start + timedelta(minutes=rng.randint(15, 35) * (spec.pages or 2) + rng.randint(0, 20))
    interrogating = kind == "interrogation_record"
    if interrogating:
        in_jail = start > p.events["detained"] + timedelta(hours=20) and p.events["measure"] == "arrest" or \
            (start > p.events["detained"] + timedelta(hours=20) and start < p.events.get("release", start))
        place = (case.organs.jail + rng.choice(("讯问室", "提审室", "第3讯问室"))) if in_jail else \
            unit + rng.choice(("执法办案中心讯问室", "办案区讯问室", "讯问室", "执法办案区第2讯问室"))
        dlg = dl.interrogation(case, sc, p, spec.nth, officers, unit, rng, start)
        title, person_label, sign_label = "讯问笔录", rng.choice(("被讯问人", "犯罪嫌疑人")), "被讯问人："
    else:
        place = rng.choice((unit + rng.choice(("询问室", "办公室", "接报案室")), p.address, unit + "询问室"))
        dlg = dl.inquiry(case, sc, p, spec.nth, officers, unit, rng, start)
        title, person_label, sign_label = "询问笔录", "被询问人", "被询问人："
    role_line = (not interrogating) and rng.random() < 0.55
    who_for_role = "被害人" if p.role == "victim" else "证人"
    # Where else a statement may name its person's role (drawn apart, so a seed's other draws stay
    # as they were): the title's qualifier, or only the warning sentence read to the person.
    named = random.Random(f"{p.name}-{spec.nth}-{kind}")
    if not interrogating and not role_line and named.random() < 0.5:
        if named.random() < 0.4:
            title = f"询问笔录{named.choice(('', ' ', '  '))}{named.choice(('（', '('))}{who_for_role}{named.choice(('）', ')'))}"
        else:
            dlg = dl.with_role_in_warning(dlg, who_for_role)
    person_rows = _person_pairs(p, start, person_label, lay, rng)
    arrival = None
    if interrogating and spec.nth == 1 and rng.random() < 0.5:
        how = rng.choice(("口头传唤", "传唤", "抓获"))
        arrival = (f"（{how}的犯罪嫌疑人于{dt_cn(p.events['caught'], lay.pad)}到达，"
                   f"{dt_cn(end + timedelta(minutes=10), lay.pad)}离开，本人签名：            ）")

    middle = list(dlg.core)

    def supply(n: int) -> None:
        while len(middle) < n:
            middle.append(dlg.filler(len(middle) - len(dlg.core)))

    def make(k: int) -> Doc:
        doc = lay.doc()
        if lay.organ_head:
            doc.organ_header(case.organs.bureau if doc.rng.random() < 0.5 else case.organs.branch)
        doc.title(title)
        if lay.nth_line:
            nth = lay.nth_fmt.format(n=spec.nth, c=cn_number(spec.nth))
            doc.text(nth, "center", doc.style.body, doc.style.size, keep_with_next=True)
        doc.space(2)
        groups = _time_groups(doc, lay, start, end)
        doc.groups(groups)
        _fields(doc, lay, [("地点", place)])
        names = "、".join(o.name for o in officers)
        if lay.form:
            _fields(doc, lay, [("侦查员" if interrogating else "询问人", names), ("工作单位", unit)])
            _fields(doc, lay, [("记录员" if interrogating else "记录人", recorder.name), ("工作单位", unit)])
        else:
            _fields(doc, lay, [("侦查员姓名、单位" if interrogating else "询问人姓名、单位", f"{names} {unit}")])
            _fields(doc, lay, [("记录员姓名、单位" if interrogating else "记录人姓名、单位", f"{recorder.name} {unit}")])
        for row in person_rows:
            _fields(doc, lay, row)
        if role_line:
            _fields(doc, lay, [("被询问人身份", who_for_role)])
        if arrival:
            doc.para(arrival, indent=0, size=doc.style.size * 0.9)
        doc.space(1.5)
        for q, a in dlg.opening + middle[:k] + dlg.closing:
            _qa(doc, lay, q, a)
        _statement(doc, lay, p.name, start, sign_label, [o.name for o in officers], recorder.name,
                   "侦查员：" if interrogating else "询问人：")
        return doc

    if spec.pages:
        lo, hi = fit_range(lambda k: len(make(k).paginate()), spec.pages, supply, max(4, len(middle)))
        # Prefer keeping the person's own account (the core questions) when the length allows.
        must = min(len(dlg.core), 4, hi - 1)
        k = _pick(rng, (max(lo, must), hi))
    else:
        k = len(middle)
    supply(k)
    pages = make(k).build(_page_sign(lay, p.name, start))
    return DocOut(kind, title if interrogating else "询问笔录", None, unit, iso(start, True), [p.name], pages)


# --------------------------------------------------------------------------------- other 笔录


def _description_record(ctx: Ctx, spec: DocSpec, title: str, header: list[tuple[str, str]], body: list[str],
                        more, signers: list[tuple[str, str]], persons: list[str], tail_pages=None,
                        time_label: str = "时间") -> DocOut:
    """A 笔录 whose body is description paragraphs; `more(k)` supplies extra paragraphs."""
    case, rng = ctx.case, ctx.rng
    lay = RecordLayout(rng, numbered=0.7)
    start = spec.at
    end = start + timedelta(minutes=rng.randint(30, 50) * (spec.pages or 2))
    extra: list[str] = []
    n_tail = len(tail_pages(lay)) if tail_pages else 0

    def supply(n: int) -> None:
        while len(extra) < n:
            extra.append(more(len(extra)))

    def make(k: int) -> Doc:
        doc = lay.doc()
        doc.title(title)
        doc.space(2)
        doc.groups(_time_groups(doc, lay, start, end, time_label))
        _fields(doc, lay, header)
        doc.space(2)
        for para in body[:1] + extra[:k] + body[1:]:
            if para.endswith("：") and len(para) < 14:
                doc.text(para, keep_with_next=True, family=doc.style.title if doc.rng.random() < 0.5 else None)
            else:
                doc.para(para)
        doc.space(4)
        for i in range(0, len(signers), 2):
            doc.signatures(signers[i:i + 2])
        return doc

    target = spec.pages - n_tail if spec.pages else None
    if target and target > 0:
        lo, hi = fit_range(lambda k: len(make(k).paginate()), target, supply, 4)
        k = _pick(rng, (lo, hi))
    else:
        k = 0
    supply(k)
    doc_pages = make(k).build()
    pages = list(doc_pages)
    if tail_pages:
        pages += tail_pages(lay)
    st = lay.style
    if st.numbering and tail_pages and len(pages) > len(doc_pages):
        for n, pg in enumerate(pages, 1):  # appended sheets (photos, sketch) share the numbering
            _replace_number(pg, st, n, len(pages))
    return DocOut(spec.type, title, None, case.organs.recorder_unit if spec.type != "scene_inspection_record" else case.organs.branch,
                  iso(start, True), persons, pages)


def _replace_number(pg: LayoutPage, st: Style, n: int, m: int) -> None:
    num = number_line(st, n, m)
    pg.items = [it for it in pg.items if not (isinstance(it, TextLine) and it.runs and "页" in it.runs[0].text
                                               and abs(it.baseline - num.baseline) < 0.01)]
    pg.items.append(num)
    pg.printed_page = n


def identification(ctx: Ctx, spec: DocSpec) -> DocOut:
    case, sc, rng = ctx.case, ctx.sc, ctx.rng
    who, target = spec.persons[0], spec.persons[1]
    officers = rng.sample(case.officers, 2)
    witness = ctx.fake.name()
    n = rng.choice((8, 10, 12))
    k = rng.randint(1, n)
    header = [("地点", case.organs.recorder_unit + rng.choice(("辨认室", "办公室", "询问室"))),
              ("侦查员", "、".join(o.name for o in officers)), ("记录员", officers[1].name),
              ("辨认人", f"{who.name}（{who.sex}，{who.age(spec.at)}岁，身份证号{who.id_number}）"),
              ("见证人", witness), ("辨认对象", f"犯罪嫌疑人{target.name}的照片")]
    body = [
        f"辨认目的：为查明{when_short(case.crime_at)}在{sc.scene}实施{sc.crime}的人，组织{who.name}进行辨认。",
        f"辨认前，侦查人员向辨认人{who.name}告知了辨认的目的、要求和有意作虚假辨认应负的法律责任，并询问了辨认对象的具体特征。"
        f"辨认前未让辨认人见到辨认对象。",
        f"辨认过程：侦查人员将犯罪嫌疑人{target.name}的免冠正面照片与另外{n - 1}名年龄、体貌特征相似的{'男' if target.male else '女'}性照片混杂在一起，"
        f"随机编为1至{n}号，交由辨认人{who.name}进行辨认。{who.name}经过仔细辨认，指认出{k}号照片上的人就是"
        f"{'当时' + sc.verb + '他东西' if sc.items else '当时的那个人'}。",
        f"辨认结果：辨认人{who.name}辨认出{k}号照片上的人即犯罪嫌疑人{target.name}。",
        "辨认过程中侦查人员没有进行任何暗示。",
    ]

    def more(j: int) -> str:
        return rng.choice((f"辨认人{who.name}称：“我记得他{rng.choice(('左边眉毛上有一颗痣', '脸比较瘦', '头发很短', '眼睛比较小'))}，所以能认出来。”",
                           "辨认过程全程录像，录像资料附卷。", f"辨认人对{k}号照片的确认程度为：确定。"))

    def tail(lay: RecordLayout):
        if not spec.extra.get("photos"):
            return []
        return [_photo_sheet(lay, n, k, f"辨认照片（{who.name}辨认）")]
    signers = [("辨认人：", who.name), ("见证人：", witness), ("侦查员：", officers[0].name), ("记录员：", officers[1].name)]
    return _description_record(ctx, spec, "辨认笔录", header, body, more, signers, [who.name, target.name], tail)


def when_short(t: datetime) -> str:
    return f"{t.year}年{t.month}月{t.day}日"


def _photo_sheet(lay: RecordLayout, n: int, k: int, caption: str) -> LayoutPage:
    st = lay.style
    r = random.Random(lay.seed + 99)
    w, h = st.page
    items: list = []
    size = st.size
    cap = Run(caption, st.title, st.title_size * 0.8, color=st.ink)
    items.append(TextLine((w - cap.width()) / 2, st.top + 8, [cap]))
    cols = 4 if n > 8 else 3
    rows = (n + cols - 1) // cols
    cw = (w - st.left - st.right) / cols
    ph = min(60.0, (h - st.top - st.bottom - 30) / rows - 12, cw * 0.85 / 0.75)
    pw = ph * 0.75
    for i in range(n):
        rr, cc = divmod(i, cols)
        cx = st.left + cw * (cc + 0.5)
        cy = st.top + 22 + rr * (ph + 14) + ph / 2
        items.append(Mark("photo", cx, cy, pw, ph, {}))
        num = Run(str(i + 1), st.body, size, color=st.ink)
        items.append(TextLine(cx - num.width() / 2, cy + ph / 2 + em_mm(size) * 1.3, [num]))
    return LayoutPage(w, h, items, None, r.getrandbits(31))


def scene_inspection(ctx: Ctx, spec: DocSpec) -> DocOut:
    case, sc, rng = ctx.case, ctx.sc, ctx.rng
    officers = rng.sample(case.officers, min(3, len(case.officers)))
    witness = ctx.fake.name()
    weather = rng.choice(("晴", "阴", "多云", "小雨"))
    sides = rng.sample(("东", "南", "西", "北"), 2)
    header = [("现场勘验单位", case.organs.branch + rng.choice(("刑事科学技术室", "刑事技术中队"))),
              ("指派/报告单位", case.organs.station), ("勘验事由", f"{sc.crime}案件现场勘验"),
              ("现场地点", sc.scene),
              ("天气", f"{weather} 温度：{rng.randint(5, 33)}℃ 湿度：{rng.randint(40, 90)}%"),
              ("现场条件", rng.choice(("原始现场", "变动现场"))),
              ("勘验人员", "、".join(o.name for o in officers)), ("见证人", witness)]
    body = [
        "现场勘验情况：",
        f"现场位于{sc.scene}。现场{sides[0]}侧为{rng.choice(('道路', '居民楼', '商铺', '绿化带'))}，"
        f"{sides[1]}侧为{rng.choice(('停车场', '围墙', '小区出入口', '人行道'))}，周边设有{rng.randint(1, 5)}个监控摄像头。",
        f"勘验工作于{dt_cn(spec.at)}开始，按照由外围到中心的顺序进行。",
        f"现场提取{'指纹' + str(rng.randint(1, 4)) + '枚、' if rng.random() < 0.7 else ''}鞋印{rng.randint(1, 5)}枚、"
        f"{'血迹' + str(rng.randint(1, 3)) + '处、' if sc.injury else ''}监控视频资料{rng.randint(1, 3)}份，均已妥善包装、标记。",
        "现场照相、录像、绘图工作同步进行。勘验结束后现场交由报案人看管。",
    ]
    spots = ("门口", "地面", "墙角", "窗台", "楼梯间", "车棚内侧", "道路边", "柜台", "门锁", "消防通道")

    def more(j: int) -> str:
        spot = spots[j % len(spots)]
        return rng.choice((
            f"在{spot}处，距{rng.choice(('北墙', '南墙', '东侧路沿', '门框'))}{rng.randint(20, 400)}厘米处发现"
            f"{rng.choice(('一枚鞋印', '擦划痕迹', '烟头一个', '灰尘减层痕迹', '撬压痕迹'))}，"
            f"长{rng.randint(2, 30)}厘米、宽{rng.randint(1, 12)}厘米，已拍照固定并提取。",
            f"{spot}处未见明显异常，地面{rng.choice(('为水泥地面', '铺有瓷砖', '有积水', '较为干燥'))}，"
            f"{rng.choice(('未发现可疑痕迹', '有杂乱足迹', '有车辆碾压痕迹'))}。",
            f"对{spot}周边进行搜索，{rng.choice(('未发现作案工具', '发现塑料袋一个', '发现烟头两个', '未发现遗留物'))}，"
            f"相关物品已编号{rng.randint(1, 20)}号并提取。"))

    def tail(lay: RecordLayout):
        return [_sketch(lay, sc.scene)] if spec.extra.get("sketch") else []
    signers = [("勘验人员：", "、".join(o.name for o in officers)), ("见证人：", witness)]
    return _description_record(ctx, spec, "现场勘验笔录", header, body, more, signers, [], tail,
                               time_label="勘验时间")


def _sketch(lay: RecordLayout, scene: str) -> LayoutPage:
    """现场方位示意图: buildings, roads, a north arrow, numbered labels and a legend."""
    st = lay.style
    r = random.Random(lay.seed + 5)
    from .layout import Rule
    w, h = st.page
    items: list = []
    cap = Run("现场方位示意图", st.title, st.title_size * 0.8, color=st.ink)
    items.append(TextLine((w - cap.width()) / 2, st.top + 8, [cap]))
    x0, y0, x1, y1 = st.left + 5, st.top + 20, w - st.right - 5, h * 0.68
    items.append(Rect(x0, y0, x1, y1, 0.4, st.ink))
    ry = r.uniform(y0 + 40, y1 - 40)
    items.append(Rule(x0, ry, x1, ry, 0.3, st.ink))
    items.append(Rule(x0, ry + 14, x1, ry + 14, 0.3, st.ink))
    road = Run(r.choice(("人民路", "建设路", "园岭路", "解放路")), st.body, 11, color=st.ink)
    items.append(TextLine(x0 + 10, ry + 9, [road]))
    # Buildings in separate slots above and below the road, so none overlap.
    slot_w = (x1 - x0 - 20) / 3
    slots = [(x0 + 5 + slot_w * c, y0 + 5, ry - 5) for c in range(3)] + [(x0 + 5 + slot_w * c, ry + 19, y1 - 5) for c in range(3)]
    names = r.sample(("居民楼", "商铺", "车棚", "便利店", "停车场", "门岗", "绿化带", "配电房"), 5)
    for i, (sx0, top, bottom) in enumerate(r.sample(slots, r.randint(3, 5))):
        bw, bh = r.uniform(22, slot_w - 6), r.uniform(16, max(17, min(32, bottom - top - 4)))
        bx = sx0 + r.uniform(0, slot_w - bw - 4)
        by = top + r.uniform(0, max(0.1, bottom - top - bh))
        items.append(Rect(bx, by, bx + bw, by + bh, 0.3, st.ink))
        items.append(TextLine(bx + 2, by + 7, [Run(f"{i + 1}.{names[i]}", st.body, 10, color=st.ink)]))
    items.append(Rule(x1 - 12, y0 + 25, x1 - 12, y0 + 8, 0.5, st.ink))
    items.append(Rule(x1 - 12, y0 + 8, x1 - 15, y0 + 13, 0.5, st.ink))
    items.append(Rule(x1 - 12, y0 + 8, x1 - 9, y0 + 13, 0.5, st.ink))
    items.append(TextLine(x1 - 14, y0 + 30, [Run("北", st.body, 11, color=st.ink)]))
    cx, cy = r.uniform(x0 + 30, x1 - 30), ry - 6
    items.append(Rect(cx - 2, cy - 2, cx + 2, cy + 2, 0.3, st.ink, st.ink))
    items.append(TextLine(cx + 4, cy - 2, [Run("★中心现场", st.body, 10, color=st.ink)]))
    note = Run(f"图例：★为中心现场  比例：1:{r.choice((200, 500, 1000))}", st.body, 11, color=st.ink)
    items.append(TextLine(x0, y1 + 10, [note]))
    for i, lab in enumerate(("绘图人：", "绘图时间：")):
        items.append(TextLine(x0 + i * 80, y1 + 25, [Run(lab, st.body, 11, color=st.ink)]))
    return LayoutPage(w, h, items, None, r.getrandbits(31))


def search(ctx: Ctx, spec: DocSpec) -> DocOut:
    case, sc, rng = ctx.case, ctx.sc, ctx.rng
    s = spec.persons[0]
    officers = rng.sample(case.officers, 2)
    witness = ctx.fake.name()
    warrant = spec.extra.get("warrant_no", case.doc_no("搜查字"))
    header = [("地点", s.address), ("侦查员", "、".join(o.name for o in officers)), ("记录员", officers[1].name),
              ("被搜查人", f"{s.name}（{s.sex}，身份证号{s.id_number}）"), ("见证人", witness)]
    found = sc.tools + sc.items[:1]
    body = [
        f"侦查人员{officers[0].name}、{officers[1].name}持{warrant}《搜查证》，在见证人{witness}的见证下，"
        f"依法对犯罪嫌疑人{s.name}的{rng.choice(('住处', '租住房屋', '随身物品及住处'))}进行搜查。搜查前向被搜查人出示了《搜查证》。",
        "搜查情况：" + "；".join(f"在{rng.choice(('卧室床头柜内', '衣柜底部', '客厅茶几上', '背包内', '阳台杂物堆中'))}发现{i.name}{i.qty}" for i in found) + "。",
        "对上述物品依法予以扣押，详见《扣押清单》。搜查过程中未损坏被搜查人的其他物品。",
        "搜查结束后，被搜查人及见证人对搜查过程无异议。",
    ]

    def more(j: int) -> str:
        return rng.choice((f"在{rng.choice(('厨房', '卫生间', '储物间', '门后', '床底'))}进行搜查，未发现与案件有关的物品。",
                           f"搜查过程中，{s.name}{rng.choice(('表示配合', '情绪稳定', '主动指认了物品的存放位置'))}。"))
    signers = [("被搜查人：", s.name), ("见证人：", witness), ("侦查员：", officers[0].name), ("记录员：", officers[1].name)]
    return _description_record(ctx, spec, "搜查笔录", header, body, more, signers, [s.name])


def electronic(ctx: Ctx, spec: DocSpec) -> DocOut:
    case, rng = ctx.case, ctx.rng
    s = spec.persons[0]
    officers = rng.sample(case.officers, 2)
    witness = ctx.fake.name()
    phone = rng.choice(("华为Mate 30", "OPPO R17", "vivo Y93", "苹果iPhone 11", "小米10", "红米Note 9"))
    imei = "".join(str(rng.randint(0, 9)) for _ in range(15))
    digest = "".join(rng.choice("0123456789abcdef") for _ in range(64))
    tool = rng.choice(("美亚柏科取证大师", "盘古石手机取证系统", "效率源手机取证系统", "DC-4501手机取证系统"))
    header = [("地点", case.organs.recorder_unit + rng.choice(("电子数据取证室", "办公室"))),
              ("提取人", "、".join(o.name for o in officers)), ("见证人", witness),
              ("持有人", f"{s.name}（身份证号{s.id_number}）")]
    body = [
        f"提取对象：犯罪嫌疑人{s.name}持有的{phone}手机一部，IMEI号：{imei}，手机号码：{s.phone}。",
        f"提取方法：使用{tool}对上述手机进行逻辑提取，提取前对手机进行了拍照，并设置为飞行模式。",
        f"提取内容：微信聊天记录{rng.randint(20, 900)}条、通话记录{rng.randint(10, 400)}条、短信{rng.randint(5, 200)}条、"
        f"图片{rng.randint(10, 500)}张。提取的数据已刻录光盘一张，光盘编号{rng.randint(1, 99):03d}。",
        f"提取数据的完整性校验值（SHA256）：{digest}",
        "提取过程全程录像，提取完毕后手机交还办案单位保管。",
    ]

    def more(j: int) -> str:
        contact = ctx.fake.name()
        return (f"经查看，微信好友“{contact}”与持有人的聊天记录中，涉及"
                f"{rng.choice(('转账', '银行卡', '取现', '好处费', '约见面地点'))}内容{rng.randint(2, 40)}条，已截图提取。")
    signers = [("持有人：", s.name), ("见证人：", witness), ("提取人：", "、".join(o.name for o in officers))]
    return _description_record(ctx, spec, "电子数据提取笔录", header, body, more, signers, [s.name], time_label="提取时间")
