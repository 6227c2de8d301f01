"""Catalog fields of a document from its OCR text: 文号, 责任者, date, persons.

Patterns follow how Chinese official documents are written in general (bracketed year in a 文号,
organ suffixes, 年月日 dates in Arabic or Chinese numerals, name fields), not one template.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime

from rapidfuzz.distance import Levenshtein

from cataloging.dossier import Document
from classification.rules import QA_LINE
from classification.taxonomy import Taxonomy
from ocr.page import compact

DOC_NUMBER = re.compile(r"([\u4e00-\u9fa5A-Za-z]{1,12}(?:[（(][\u4e00-\u9fa5]{1,6}[)）])?[\u4e00-\u9fa5]{0,6}(?:[〔\[［【〖（(]\s*(?:19|20)\d{2}\s*[〕\]］】〗)）]?|(?:19|20)\d{2}\s*[〕\]］】〗)）])\s*(?:[\u4e00-\u9fa5]{1,4}字)?\s*第?\s*[A-Za-z]?\d{1,6}\s*号)")
# an organ and its sub-units as far as they are written: 某市公安局某分局某派出所
ORGAN = re.compile(
    r"([\u4e00-\u9fa5]{2,24}?(?:(?:公安局|公安分局)(?:[\u4e00-\u9fa5]{1,10}?(?:分局|派出所|大队|支队|中队))*|派出所|人民检察院|人民法院|"
    r"司法鉴定(?:中心|所)|鉴定(?:中心|所)|价格认证中心|物证鉴定[\u4e00-\u9fa5]{0,4}|[\u4e00-\u9fa5]{0,6}银行[\u4e00-\u9fa5]{0,10}?(?:支行|分行)|[\u4e00-\u9fa5]{0,6}银行))"
)
_CN = "〇一二三四五六七八九"
# What OCR reads for a numeral of a date under a seal (its arcs cross the strokes) or in a thin
# font: 十 as 千/平/+, 〇 as 0/O/C/○, 一 as a dash, 二 as =, and 日 as 白/曰/目/由/H.
_LOOKALIKES = {**dict.fromkeys("零0OoΟCc○QD", "〇"), **dict.fromkeys("千平+", "十"), **dict.fromkeys("-—－~", "一"), "=": "二"}
_CN_DIGIT = "〇一二三四五六七八九十" + "".join(_LOOKALIKES)
_CN_NUM = rf"[{re.escape(_CN_DIGIT)}]{{1,4}}"
_CN_YEAR = "[" + re.escape("".join(c for c in _CN_DIGIT if _LOOKALIKES.get(c, c) != "十")) + "]{1,4}"  # a year has no 十
_SEP = r"[ \t.·,，]{0,3}"  # OCR scatters dots and commas between the parts of a date
DATE_ARABIC = re.compile(rf"((?:19|20)\d{{2}}){_SEP}[年./-]{_SEP}(\d{{1,2}}){_SEP}[月./-]{_SEP}(\d{{1,2}}){_SEP}日?(?:{_SEP}(\d{{1,2}}){_SEP}[时:：点]{_SEP}(\d{{1,2}})?{_SEP}分?)?")
# a seal's arc may also leave one stray character after 月 (十二月到十一日)
DATE_CHINESE = re.compile(rf"({_CN_YEAR})年({_CN_NUM})月[^\d\s年月日{re.escape(_CN_DIGIT)}]?({_CN_NUM})[日白曰目由H]")
# a name in a table sits in the cell after its label (姓名 | 付建): NAME_FIELDS spans that line break
NAME_FIELDS = re.compile(
    r"(?:被讯问人|被询问人|报案人|被传唤人|被拘留人|被逮捕人|被辨认人|辨认人|被搜查人|犯罪嫌疑人|被害人|证人|姓名|户主|持有人|被取保候审人|被监视居住人)"
    r"(?:[:：_\s]*姓名)?[:：_\s]*([\u4e00-\u9fa5]{2,4}?)(?=[，,。;；:：\s_、（(]|性别|男|女|身份|出生|年龄|民族|$)"
)
# 魏宁，性别男， / 魏宁（男，: read backwards from the sex, so it may take a word before the name
SEX_AFTER_NAME = re.compile(r"([\u4e00-\u9fa5]{2,3})[，,（(](?:性别[:：]?)?[男女][，,）)]")
NAME_PATTERNS = (
    NAME_FIELDS,
    re.compile(r"^([\u4e00-\u9fa5]{2,3})(?:家属)?[:：]$", re.M),  # a notice's salutation: 刘某家属：
    re.compile(r"(?:扣押|决定对|依法对|将)([\u4e00-\u9fa5]{2,3}?)(?=的|执行|进行|采取|刑事拘留|逮捕|抓获|传唤)"),
    # prose: 犯罪嫌疑人魏宁于2021年…, 报案人付建称…
    re.compile(r"(?:犯罪嫌疑人|被害人|证人|报案人)([\u4e00-\u9fa5]{2,3}?)(?=于(?:19|20|[〇二])|称)"),
    SEX_AFTER_NAME,
)
# names start with a surname; this rules out 的损失, 抓获 and the like that follow a role word in prose
SURNAMES = set(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝官封谈匡鞠惠荆乐冀郁胥南班储原栗燕楚鄢劳谌奚皮粟冼蔺楼盘满闻位厉伊仝区郜海阚花权强帅屠豆朴盖练廉禹井祖漆巴丰支卿国狄平计索宣晋相初门云容敬来扈晁芮都普阙浦戈伏鹿薄邸雍辜羊阿乌母裘亓修邰赫杭况那宿鲜印逯隆茹诸战慕危玉银亢嵇公哈湛宾戎勾茅利於呼居揭干但尉冶斯元束檀衣信展阴昝智幸奉植衡富尧闭由"
)
_NOT_NAMES = {"性别", "曾用名", "身份", "住址", "出生", "民族", "年龄", "工作", "单位", "姓名", "情况", "本人", "如下", "身份证", "签名", "捺印",
              # roles and kin stand where names do (司机，男，)
              "司机", "车主", "房东", "房主", "老板", "店主", "母亲", "父亲", "妻子", "丈夫", "儿子", "女儿", "哥哥", "姐姐", "弟弟", "妹妹",
              "关系", "朋友", "同事", "邻居"}
COMPOUND_SURNAMES = {"欧阳", "上官", "司马", "东方", "诸葛", "皇甫", "令狐", "宇文", "慕容", "司徒", "夏侯", "公孙", "尉迟", "长孙", "端木", "西门"}
_BEFORE_NAME = "和与及由向于将对把被的"  # what SEX_AFTER_NAME may take in front of a name


@dataclass(frozen=True)
class Fields:
    doc_number: str | None
    author: str | None
    date: str | None
    persons: list[str]


_DASHES = re.compile(r"[-—－~]+")


def _cn_digits(token: str) -> str:
    """A numeral token with OCR look-alikes replaced. A token that is a dash run is one 一 (OCR
    splits its stroke); a dash beside real numerals is a speck."""
    if _DASHES.fullmatch(token):
        return "一"
    return "".join(_LOOKALIKES.get(c, c) for c in _DASHES.sub("", token))


def _cn_int(token: str) -> int:
    token = _cn_digits(token)
    if "十" in token:
        tens, _, ones = token.partition("十")
        return (_CN.index(tens) if tens else 1) * 10 + (_CN.index(ones) if ones else 0)
    return int("".join(str(_CN.index(c)) for c in token))


def find_dates(text: str, case_years: Counter | None = None) -> list[str]:
    """ISO dates (with time where written) in order of appearance.

    The issuing date of a document is printed in Chinese numerals under a red seal, and OCR
    often loses a digit of its year there (二一九年, 0一九年, 九年). A partial year is completed
    with the year of the case it most plausibly is (`case_years`: years seen in clear dates).
    """
    found: list[tuple[int, str]] = []
    for m in DATE_ARABIC.finditer(text):
        y, mo, d, hh, mm = m.groups()
        if iso := _iso(int(y), int(mo), int(d), hh and int(hh), mm and int(mm)):
            found.append((m.start(), iso))
    for m in DATE_CHINESE.finditer(text):
        if _DASHES.fullmatch(m.group(1)):  # ——年—月—日: a form's blank date, not 一年一月一日
            continue
        try:
            mo, d = _cn_int(m.group(2)), _cn_int(m.group(3))
        except ValueError:
            continue
        y = _year(m.group(1), case_years)
        if y and (iso := _iso(y, mo, d)):
            found.append((m.start(), iso))
    return [iso for _, iso in sorted(found)]


def _iso(y: int, mo: int, d: int, hh: int | None = None, mm: int | None = None) -> str | None:
    """An ISO date (date-time where a valid time is given), or None for an impossible date."""
    try:
        when = datetime(y, mo, d, hh or 0, mm or 0)
    except ValueError:
        try:
            when, hh = datetime(y, mo, d), None  # a misread time does not spoil the date
        except ValueError:
            return None
    return when.strftime("%Y-%m-%dT%H:%M" if hh is not None else "%Y-%m-%d")


def _year(token: str, case_years: Counter | None) -> int | None:
    digits = "".join(str(_CN.index(c)) if c in _CN else "?" for c in _cn_digits(token))
    if len(digits) == 4 and "?" not in digits and 1949 <= int(digits) <= 2100:
        # a year read in full stands, unless it is far from every year of the case (a misread)
        if not case_years or min(abs(int(digits) - y) for y in case_years) <= 5:
            return int(digits)
    if not case_years:
        return None
    # the most frequent case year within reach of what was read
    best = [(Levenshtein.distance(digits, str(y)), -n, y) for y, n in case_years.items()]
    distance, _, year = min(best)
    return year if distance <= max(1, 4 - len(digits)) else None


@dataclass(frozen=True)
class CaseContext:
    """What the whole case file says that helps read one document of it."""

    years: Counter  # years of the clearly written Arabic dates
    organs: Counter  # organ names printed on a line of their own (headers, signatures), with counts
    names: Counter = field(default_factory=Counter)  # person names as the case's name fields give them


def case_context(pages) -> CaseContext:
    years: Counter = Counter()
    organs: Counter = Counter()
    names: Counter = Counter()
    for page in pages:
        names.update(_names("\n".join(re.sub(r"\s+", "", line.text) for line in page.lines)))
        for m in DATE_ARABIC.finditer(page.text):
            if 1 <= int(m.group(2)) <= 12 and 1 <= int(m.group(3)) <= 31:
                years[int(m.group(1))] += 1
        for line in page.lines:
            text = _FIELD_LABEL.sub("", re.sub(r"\s+", "", line.text))
            if 4 <= len(text) <= 30 and ORGAN.fullmatch(text):
                organs[text] += 1
    return CaseContext(years, organs, names)


def _is_record(doc_type_label: str) -> bool:
    return "笔录" in doc_type_label


_FIELD_LABEL = re.compile(r"^.*(?:单位|机关)")


def _organ(text: str, known: Counter) -> str:
    """An organ name without what OCR ran into it (工作单位福州市公安局, 马艳福州市公安局): the
    organ the case prints most often on a line of its own that ends the text, else the text
    without a field label, spelled as the case most often prints it."""
    tails = [k for k in known if text.endswith(k)]
    if tails:
        return max(tails, key=lambda k: (known[k], len(k)))
    stripped = _FIELD_LABEL.sub("", text)
    organ = stripped if len(stripped) >= 4 and ORGAN.fullmatch(stripped) else text
    # a character OCR slipped on (弋江 read as 代江): the spelling the case prints again and again.
    # Only one character, and only towards a spelling printed at least three times as often: a
    # real second organ is printed too.
    seen = known.get(organ, 0)
    near = [k for k, n in known.items() if len(k) == len(organ) >= 6 and n >= max(3, 3 * seen) and _one_slip(organ, k)]
    return max(near, key=lambda k: known[k]) if near else organ


def _one_slip(a: str, b: str) -> bool:
    """One character apart, not in the city (漳州 and 泉州 are two cities), a numeral or a direction."""
    diff = [(i, x, y) for i, (x, y) in enumerate(zip(a, b)) if x != y]
    return len(diff) == 1 and diff[0][0] >= 3 and not any(c in _CN_DIGIT or c.isdigit() or c in "东南西北中上下前后左右" for c in diff[0][1:])


_SEAL_MARK = re.compile(r"[（(](?:公章|印章?|盖章|章)[)）]$")
_PROSE = re.compile(r"移送|批准|现将|此案|一案|我局|你局|本院|决定")  # a wrapped sentence that ends in an organ's name
_SALUTATION = re.compile(r"^此致[:：]?")


def _standalone_organs(lines: list[str]) -> list[str]:
    """Lines that are an organ's name and nothing else (a seal mark may follow: （公章）)."""
    names = (_SEAL_MARK.sub("", line) for line in lines)
    return [name for name in names if 4 <= len(name) <= 30 and ORGAN.fullmatch(name) and not _PROSE.search(name)]


def _unaddressed(text: str) -> list[str]:
    """The lines without the addressee of a report (此致 / 某人民检察院, or both on one line)."""
    lines = text.split("\n")
    return [line for i, line in enumerate(lines) if not _SALUTATION.match(line) and not (i and _SALUTATION.fullmatch(lines[i - 1]))]


def _issuer(first: str, last: str, titles: list[str], known: Counter) -> str | None:
    """Who issued a document: the organ heading it (红头, above its title), else the one
    signing it above the date (落款), else the first organ its first page names outside an
    address line.

    Organs named in the body (经某人民检察院批准), addressees (某鉴定所：, also when OCR lost
    the colon) and the 此致 of a report (此致 / 某人民检察院) did not write it."""
    lines = _unaddressed(first)
    title_at = next((i for i, line in enumerate(lines[:6]) if any(t in line for t in titles)), None)
    head = _standalone_organs(lines[:title_at] if title_at is not None else lines[:2])
    if head:
        return _organ(head[0], known)
    foot = _standalone_organs(_unaddressed(last)[-8:])
    if foot:
        return _organ(foot[-1], known)
    named = [o for line in first.split("\n") if not line.endswith(("：", ":")) for o in ORGAN.findall(line)]
    return _organ(named[0], known) if named else None


# the officers on a record's header, not the person questioned (被询问人 … 工作单位 is theirs)
_OFFICER = re.compile(r"(?<!被)(?:询问人|讯问人|侦查员|侦查人员|记录人|记录员|办案人|民警)")


def _record_header(first: str) -> list[str]:
    """A record's header lines: those above its first question, at most fourteen."""
    lines = first.split("\n")[:14]
    asked = next((i for i, line in enumerate(lines) if QA_LINE.match(line)), len(lines))
    return lines[:asked]


def _officer_units(header: list[str]) -> list[str]:
    """Organs on an officer's line, or on the 工作单位 line right under one; never a bank."""
    return [o for i, line in enumerate(header)
            if _OFFICER.search(line) or (i and line.startswith("工作单位") and _OFFICER.search(header[i - 1]))
            for o in ORGAN.findall(line) if "银行" not in o]


def _trimmed(name: str) -> str:
    """A name read backwards from the sex after it, without the word it took in front (的魏宁)."""
    if len(name) == 3 and name[:2] not in COMPOUND_SURNAMES and (name[0] in _BEFORE_NAME or name[0] not in SURNAMES):
        return name[1:]
    return name


def _names(text: str) -> list[str]:
    """Person names in order of appearance, as name fields, salutations and decisions give them."""
    found = sorted((m for pattern in NAME_PATTERNS for m in pattern.finditer(text)), key=lambda m: m.start())
    names = [_trimmed(m.group(1)) if m.re is SEX_AFTER_NAME else m.group(1) for m in found]
    return [name for name in names if is_person_name(name)]


def is_person_name(name: str) -> bool:
    """A name field's value that is a person's name: not a label (单位 of 工作单位), a role or an organ."""
    return (name[0] in SURNAMES or name[:2] in COMPOUND_SURNAMES) and name not in _NOT_NAMES and not any(w in name for w in ("公安", "人民", "年", "月"))


def _lines(page) -> str:
    return "\n".join(re.sub(r"\s+", "", line.text) for line in page.lines)


def extract(doc: Document, taxonomy: Taxonomy, context: CaseContext | None = None) -> Fields:
    dtype = taxonomy.type(doc.type)
    # line by line without spaces: letter-spacing goes, line breaks stay, so only a name field
    # reaches into the next line (the cell after its label)
    context = context or CaseContext(Counter(), Counter())
    years = context.years
    first, last = _lines(doc.pages[0]), _lines(doc.pages[-1])
    whole = "\n".join(_lines(p) for p in doc.pages)

    # a 文号 is printed under the title; numbers cited further down belong to other documents
    # and stands on a line of its own (cited numbers sit inside sentences)
    heads = [re.sub(r"[·•.]", "", line) for line in first.split("\n")[:8]]  # OCR specks between the parts
    number = next((m for line in heads if (m := DOC_NUMBER.search(line)) and len(line) - m.end() <= 2), None)
    # GB/T 9704 writes the year of a 文号 in 〔〕 (some agencies put their 字 after it:
    # 〔2021〕毒鉴字第113号); OCR often reads them as [] ［］【】〖〗()
    doc_number = re.sub(r"[〔\[［【〖（(]?\s*((?:19|20)\d{2})\s*[〕\]］】〗)）]?(?=\s*(?:[\u4e00-\u9fa5]{1,4}字)?\s*第?\s*[A-Za-z]?\d{1,6}\s*号)", r"〔\1〕", number.group(1)) if number else None

    titles = [w for w in (re.sub(r"[（(].*?[)）]", "", dtype.label), *dtype.cues) if len(w) >= 2]
    author = _issuer(first, last, titles, context.organs)
    if _is_record(dtype.label):
        # the recording officers' unit, from the record's header, never from the questions and
        # answers under it (a bank an answer names wrote nothing): the unit on an officer's line,
        # else the most specific organ the header names
        header = _record_header(first)
        named = _officer_units(header) or [o for o in ORGAN.findall("\n".join(header)) if "银行" not in o]
        author = max((_organ(o, context.organs) for o in named), key=len) if named else author

    # birth dates and old events are not a document's date: prefer the years the case is about
    main = years.most_common(1)[0][0] if years else None
    plausible = lambda d: main is None or abs(int(d[:4]) - main) <= 1  # noqa: E731
    if _is_record(dtype.label):
        m = re.search(r"时间[:：]?(.{0,40})", first)  # the record's start time
        dates = find_dates(m.group(1), years) if m else []
        date = dates[0] if dates else next((d for d in find_dates(first, years) if plausible(d)), None)
    else:
        # a form says when it was filled in or issued; otherwise the date stands at the end, by the
        # seal, on a line of its own (落款): a date inside a sentence is an event or a deadline
        labelled = re.search(r"(?:填表|签发|制表|出具|打印|开具)(?:日期|时间)[:：]?(.{0,20})", whole)
        signed = [d for line in last.split("\n") if _date_line(line) for d in find_dates(line, years)[-1:]]
        tiers = [find_dates(labelled.group(1), years) if labelled else [], signed, find_dates(last, years), find_dates(whole, years)]
        dates = next(([d for d in tier if plausible(d)] for tier in tiers if any(map(plausible, tier))), next((t for t in tiers if t), []))
        date = dates[-1][:10] if dates else None

    persons = []
    for name in _names(whole):
        # prose runs on after a name (犯罪嫌疑人刘某抓获): keep the form the case uses more often
        shorter = [name[:k] for k in (2, 3) if len(name) > k and context.names[name[:k]] > context.names[name]]
        name = shorter[-1] if shorter else name
        if name not in persons:
            persons.append(name)

    return Fields(doc_number, author, date, persons[:6])


def _date_line(line: str) -> bool:
    """A line that ends with a date (the 落款 under a seal, an approval's 同意。2024年3月3日): a
    date followed by more words is an event or a deadline (请于…前)."""
    return any(not line[m.end():].strip(" )）") for pattern in (DATE_ARABIC, DATE_CHINESE) for m in pattern.finditer(line))


def apply(doc: Document, fields: Fields) -> None:
    doc.doc_number, doc.author, doc.date, doc.persons = fields.doc_number, fields.author, fields.date, fields.persons


CASE_NUMBER = re.compile(r"(?:案件编号|案件编码|案号|受案编号)[:：]?\s*([A-Za-z0-9〔〕\[\]（）()\u4e00-\u9fa5-]{6,40}?号?)(?=\s|$|[，,。;；])|(?<![A-Za-z0-9])([A-Z]\d{18,24})(?![0-9])")
# 案件名称：刘某盗窃案 / 决定对刘某盗窃案立案侦查 / 刘某等人诈骗一案
CASE_TITLE = re.compile(r"(?:案件名称|案由|案名)[:：]?([\u4e00-\u9fa5、等]{2,30}?案)|对([\u4e00-\u9fa5、等]{2,20}?案)立案|(?:将|对|关于)([\u4e00-\u9fa5、等]{2,20}?)一案")


def case_info(pages) -> tuple[str | None, str | None]:
    """The case number and case title as they appear most often across the pages."""
    numbers: dict[str, int] = {}
    titles: dict[str, int] = {}
    for page in pages:
        text = "\n".join(line.text for line in page.lines)
        for m in CASE_NUMBER.finditer(text):
            value = compact(m.group(1) or m.group(2))
            numbers[value] = numbers.get(value, 0) + 1
        for m in CASE_TITLE.finditer(compact(text)):
            title = m.group(1) or m.group(2) or (m.group(3) + "案")
            title = re.sub(r"^(?:犯罪嫌疑人|对|将)", "", title).replace("涉嫌", "")  # 刘某盗窃案, as case names are written
            titles[title] = titles.get(title, 0) + 1
    best = lambda d: max(d, key=d.get) if d else None  # noqa: E731
    return best(numbers), best(titles)
