"""The transparent rule baseline: a page's type from its title, "starts a document" from title and
printed page number. Learned models (a later stage) must beat this.

Only prominent lines near the top count as a title (bigger than the body text, centred, or inside
a layout `title` region), so a cue word in a header field or in the body does not start a document.
Matching is fuzzy, so an OCR slip in a title (讯问笔泉) still matches.
"""

from __future__ import annotations

import re
import statistics
from dataclasses import dataclass

from rapidfuzz import fuzz

from classification.taxonomy import Taxonomy
from ocr.numbering import overlap, printed_page_number
from ocr.page import Page, PageLabel, TextLine, compact

# Titles vary between agencies and over the years; these are common variants of the taxonomy's
# cues (a profile's own cues always count as well).
TITLE_SYNONYMS = {
    "case_acceptance_form": ["受案登记"],
    "rights_notice": ["权利义务告知书", "诉讼权利义务"],
    "appraisal_engagement": ["聘请书"],
    "appraisal_notice": ["鉴定结论通知书"],
    "arrest_circumstances": ["破案经过", "归案经过", "到案情况"],
    "household_registration": ["人口信息", "户籍信息", "户籍资料"],
    "criminal_record_certificate": ["无犯罪记录", "犯罪记录证明"],
    "scene_inspection_record": ["勘查笔录", "勘验检查笔录"],
    "seizure_list": ["扣押物品", "扣押财物", "扣押物品文件清单"],
    "forensic_opinion": ["鉴定意见", "鉴定结论", "鉴定报告", "检验报告", "认定结论书", "价格认定", "法医学"],
    "documentary_evidence": ["收据", "收条", "销售单", "销货", "发货单", "购物小票", "协议书", "借条", "欠条", "流水", "对账单",
                             "账户明细", "转账记录", "聊天记录", "诊断证明", "病历"],
    "situation_explanation": ["工作说明"],
}


# The code in a 文号 names the kind of instrument (X公（刑）拘字〔2024〕12号 is a 拘留证): evidence
# for a page whose title is torn, smudged or under a seal. Longest code first: 拘通 before 拘.
DOC_NUMBER_CODES = {
    "受案": "case_acceptance_form", "立": "case_filing_decision", "传唤": "summons_warrant", "拘": "detention_warrant",
    "拘通": "detention_notice", "提捕": "arrest_request", "批捕": "arrest_approval", "捕": "arrest_warrant",
    "捕通": "arrest_notice", "取保": "bail_decision", "监居": "residential_surveillance", "搜查": "search_warrant",
    "扣": "seizure_decision", "鉴聘": "appraisal_engagement", "鉴通": "appraisal_notice", "诉": "prosecution_recommendation",
}
_NUMBER_CODE = re.compile(r"([\u4e00-\u9fa5]{1,6}?)(?:字[〔\[【（(]?|[〔\[【（(])\s*(?:19|20)\d{2}\s*[〕\]】)）]?\s*第?\d{1,6}号")


MAX_ROWS_ABOVE_TITLE = 4
# The operative sentence each instrument of the published forms prints (公安机关刑事法律文书式样):
# evidence for a document whose title is torn or smudged. Most specific first: a 起诉意见书 or a
# 通知书 retells the 执行拘留 of a 拘留证.
OPERATIVE = tuple((code, re.compile(pattern)) for code, pattern in (
    ("prosecution_recommendation", r"移送(?:审查)?起诉|审查起诉"),
    ("arrest_request", r"提请批准逮捕|特提请"),
    ("arrest_approval", r"决定批准逮捕|批准逮捕犯罪嫌疑人"),
    ("detention_notice", r"拘留.{0,40}现羁押|拘留通知"),
    ("arrest_notice", r"逮捕.{0,40}现羁押|逮捕通知"),
    ("detention_warrant", r"执行拘留"),
    ("arrest_warrant", r"执行逮捕"),
    ("summons_warrant", r"兹传唤|传唤犯罪嫌疑人"),
    ("case_filing_decision", r"立案侦查"),
    ("search_warrant", r"进行搜查"),
    ("seizure_decision", r"决定扣押"),
    ("appraisal_notice", r"对该?鉴定意见有异议|鉴定意见.{0,10}告知"),
    ("appraisal_engagement", r"特聘请|聘请.{0,12}鉴定"),
    ("rights_notice", r"诉讼权利和义务|有如下诉讼权利"),
    ("criminal_record_certificate", r"违法犯罪记录|无犯罪记录"),
    ("household_registration", r"曾用名.{0,40}民族"),
    ("forensic_opinion", r"鉴定材料|鉴定日期|委托事项|检验所见|分析说明"),
    ("arrest_circumstances", r"抓获|(?:传唤|带)至.{0,12}(?:接受调查|审查)"),
    ("situation_explanation", r"特此(?:说明|证明)"),
))
# a signature's label (鉴定人：, 被询问人（签名）：): the big handwriting under it is a name
SIGNER = re.compile(r"(?:人|签名|签字|捺指印)[)）]?[:：]$")
# what the person questioned writes at the end of a 笔录 (以上笔录我看过/向我宣读过，和我说的相符)
CLOSING = re.compile(r"以上(?:笔录|记录)|[和与][我成找戒]说的(?:相符|一样|一致)")  # 和成说的: 我 misread


def closing_words(text: str) -> bool:
    """A line of the questioned person's closing words, not the officer's question about them
    (问：以上笔录你看一下……)."""
    return bool(CLOSING.search(text)) and not QA_LINE.match(text)

# an agency's name (a header, or a seal's ring read as one big line): no title
ORGAN = re.compile(r"(?:局|院|所|队|厅|处|科|委员会|专用章)$")
# Sheets a record or list carries with it (辨认照片, 现场方位示意图, 附件：扣押物品照片): their
# headings look like titles, but they name no document of their own.
APPENDIX = re.compile(r"^(?![（(]?\d+[)）.、．])(?!.*(?:笔录|书|表|清单|证)$).*(?:照片|示意图|平面图|方位图|附件|附图|附表)|^附[:：]")  # 照片辨认笔录 is a title


@dataclass(frozen=True)
class TitleMatch:
    code: str
    text: str
    strength: float  # 0..1
    exact: bool = False  # the cue stands in the line as written, not a fuzzy match of a damaged title
    cue: str = ""  # the title word it matched


class RuleClassifier:
    def __init__(self, taxonomy: Taxonomy, min_strength: float = 0.75):
        self.taxonomy = taxonomy
        self.min_strength = min_strength
        # each type's title words: its label without the bracketed qualifier, and its cues
        self._codes = set(taxonomy.codes)
        self._cues: list[tuple[str, str]] = []
        for t in taxonomy.types:
            words = {re.sub(r"[（(].*?[)）]", "", t.label), *t.cues, *TITLE_SYNONYMS.get(t.code, ())}
            self._cues += [(t.code, compact(w)) for w in words if w]

    def title_lines(self, page: Page) -> list[tuple[TextLine, float]]:
        """Prominent lines in the upper part of the page, with a prominence weight."""
        width, height = page.size
        if not page.lines:
            return []
        median_h = statistics.median(line.height for line in page.lines)
        titles = [r for r in page.regions if r.label == "title"]
        out = []
        for i, line in enumerate(page.lines):
            if line.box[1] > 0.45 * height:
                break
            # a title comes first, after at most an organ header, a copy mark and a number or two:
            # a cue word further down (a bank's name over its seal under a table) names no document
            if _rows([other for other in page.lines[:i] if other.box[3] <= line.box[1]]) > MAX_ROWS_ABOVE_TITLE:
                break
            if not _title_shaped(line.text) or APPENDIX.search(compact(line.text)):
                continue
            centre_x = (line.box[0] + line.box[2]) / 2
            big = line.height >= 1.25 * median_h
            centred = abs(centre_x - width / 2) < 0.12 * width and len(compact(line.text)) <= 24
            in_title = any(overlap(line.box, r.box) > 0.5 for r in titles)
            weight = 1.0 if (big or in_title) else 0.85 if centred else 0.0
            if weight:
                out.append((line, weight))
        return out

    def doc_number_type(self, page: Page) -> str | None:
        """The type a 文号 near the top of the page names, for pages without a readable title."""
        _, height = page.size
        for line in page.lines[:8]:
            if line.box[1] > 0.35 * height:
                break
            text = compact(line.text)
            m = _NUMBER_CODE.search(text)
            # the document's own 文号 stands on a line of its own; one in a sentence (持…搜查字
            # 〔2020〕7号《搜查证》) quotes another instrument
            if not m or len(text) - m.end() > 2 or len(text) > 30:
                continue
            prefix = m.group(1)
            for code in sorted(DOC_NUMBER_CODES, key=len, reverse=True):
                if prefix.endswith(code) and DOC_NUMBER_CODES[code] in self._codes:
                    return DOC_NUMBER_CODES[code]
        return None

    def unknown_title(self, page: Page) -> str | None:
        """A big or layout-detected title line high on the page, whatever it says; not a
        signature under its label (鉴定人： / 刘某) nor anything under a record's closing words
        (以上笔录我看过…: the last page of a record)."""
        _, height = page.size
        top_lines = page.lines[:3]  # a title comes first, at most after an organ header
        if any(CLOSING.search(compact(line.text)) for line in top_lines):
            return None
        for line, weight in self.title_lines(page):
            text = compact(line.text)
            at = page.lines.index(line)
            signed = at > 0 and SIGNER.search(compact(page.lines[at - 1].text))
            if weight == 1.0 and line in top_lines and line.box[1] < 0.3 * height and 2 <= len(text) <= 20 and not re.search(r"\d", text) \
                    and not signed and not ORGAN.search(text):
                return text
        return None

    def match_title(self, page: Page) -> TitleMatch | None:
        best: dict[str, TitleMatch] = {}  # the strongest match of each type
        for line, weight in self.title_lines(page):
            text = compact(line.text)
            for code, cue in self._cues:
                score = _cue_score(cue, text)
                # longer cues are more specific: 批准逮捕决定书 beats 逮捕
                strength = score * weight * (0.9 + 0.01 * min(len(cue), 10))
                if strength > (best[code].strength if code in best else 0):
                    best[code] = TitleMatch(code, text, strength, cue in text, cue)
        ranked = sorted(best.values(), key=lambda m: -m.strength)
        if not ranked or ranked[0].strength < self.min_strength * 0.9:
            return None
        tied = [m for m in ranked if m.strength > ranked[0].strength - 0.02]
        if len(tied) > 1 and not ranked[0].exact:
            # a damaged title that fits two types alike (查笔录: 搜查笔录 or 勘查笔录): the body
            # says which, by the words that tell the cues apart (搜查 five times, 勘查 never)
            body = compact(page.text)
            return max(tied, key=lambda m: body.count(m.cue[:2]))
        return ranked[0]

    def appendix(self, page: Page) -> str | None:
        """An appendix heading first on the page (辨认照片（曹某辨认）)."""
        _, height = page.size
        first = page.lines[0] if page.lines else None
        if first and first.box[1] < 0.3 * height and len(compact(first.text)) <= 30 and APPENDIX.search(compact(first.text)):
            return compact(first.text)
        return None

    def evidence(self, page: Page) -> RuleEvidence:
        number = printed_page_number(page)
        continues = number is not None and number[0] > 1
        return RuleEvidence(
            number, self.match_title(page),
            None if continues else self.doc_number_type(page),
            None if continues else self.unknown_title(page),
            self.appendix(page),
        )

    def __call__(self, page: Page) -> PageLabel:
        return decide(self.evidence(page))


@dataclass(frozen=True)
class RuleEvidence:
    """What the rules read off a page: its printed number, title match, 文号 code, unknown title."""

    number: tuple[int, int | None] | None
    match: TitleMatch | None
    coded: str | None  # only looked for on pages not numbered as a continuation
    heading: str | None  # likewise
    appendix: str | None = None  # a heading that names a sheet attached to the document before


def decide(ev: RuleEvidence) -> PageLabel:
    number, match = ev.number, ev.match
    reasons = []
    continues = number is not None and number[0] > 1
    if match and not continues:
        reasons.append(f"title {match.text}")
        return PageLabel(match.code, True, round(min(1.0, match.strength), 3), number, reasons)
    if number and number[0] == 1:
        reasons.append("printed page 1 without a recognised title")
        return PageLabel("", True, 0.5, number, reasons)
    if ev.coded:
        reasons.append(f"文号 code of {ev.coded}")
        return PageLabel(ev.coded, True, 0.6, number, reasons)
    if ev.heading:
        # a document we have no cue for (a receipt, a contract, a chat log): it still starts here
        reasons.append(f"unrecognised title {ev.heading}")
        return PageLabel("", True, 0.4, number, reasons)
    if match:
        reasons.append(f"title {match.text} on a page numbered {number[0]}")
    elif ev.appendix:
        reasons.append(f"appendix {ev.appendix}: part of the document before")
    return PageLabel(match.code if match else "", False, 0.8 if number else 0.6, number, reasons)


def _cue_score(cue: str, text: str) -> float:
    """How well a title line shows a cue: 1 where it stands in it, else a fuzzy match of an OCR
    slip (讯问笔泉) or of a torn title's remaining part (常住人口 of 常住人口信息表)."""
    if len(cue) < 2:
        return 0.0
    if cue in text:
        return 1.0
    if len(cue) < 4:
        return 0.0
    score = fuzz.partial_ratio(cue, text) / 100
    if len(text) >= len(cue) - 1:  # the line can hold the cue
        return score if score >= 0.75 else 0.0
    if len(text) >= 4 and len(text) >= len(cue) / 2:  # a torn title: what is left must be read well
        return score * 0.95 if score >= 0.8 else 0.0
    return 0.0


def _title_shaped(text: str) -> bool:
    """Titles are short and carry no field colon, sentence punctuation or enumeration."""
    t = compact(text)
    return 2 <= len(t) <= 30 and not re.search(r"[:：，,。；;]", t) and not re.match(r"^(问|答|[一二三四五六七八九十]+、|[（(]?\d+[)）.])", t)


def _rows(lines: list[TextLine]) -> int:
    """How many rows the lines stand in: side by side fields (密级 | 编号) are one row."""
    bottoms: list[float] = []
    for line in sorted(lines, key=lambda ln: ln.box[1]):
        if bottoms and (line.box[1] + line.box[3]) / 2 < bottoms[-1]:
            bottoms[-1] = max(bottoms[-1], line.box[3])
        else:
            bottoms.append(line.box[3])
    return len(bottoms)


# Whose record a 询问笔录 is, as its own page says it, strongest first: the title's qualifier
# (询问笔录（被害人）), a header field (被询问人身份：证人), the warning read to the person
# (你作为被害人，应当如实提供证据…; 证人…有意作伪证要负法律责任 is read to victims too, so only
# a sentence that names the person counts).
_ROLE = "(被害人|证人)"
ROLE_EVIDENCE = (
    ("title", re.compile(rf"询问笔录[(\[【]{_ROLE}")),
    ("header field", re.compile(rf"(?:身份|类别|人员类型)[:：]?{_ROLE}(?![的之])")),
    # the verb stands right before the role, and the role is the person's own: 你是被害人的什么人 is not
    ("warning sentence", re.compile(rf"(?:你|您)(?:现在)?(?:是|系|作为|以){{1,2}}(?:本案|此案|该案)?(?:的)?{_ROLE}(?![的之吗?？])")),
    ("ticked box", re.compile(rf"[☑√✓✔■]{_ROLE}")),  # the box stands before its word (□被害人 ☑证人)
)


def stated_role(text: str) -> tuple[str, str] | None:
    """The role a record states and which evidence said it: (被害人, "title")."""
    t = compact(text)
    for evidence, pattern in ROLE_EVIDENCE:
        m = pattern.search(t)
        if m:
            return m.group(1), evidence
    return None


def statement_role_from_words(text: str) -> str | None:
    """A weaker guess from what the person says: reporting a loss and asking for it back, or
    having seen something, being called in (民警通知我来), asked whether they stand to gain."""
    t = compact(text)
    victim = len(re.findall(r"报案|报警|被骗|被盗|被抢|被打|受害|我的损失|要求赔偿|退赔", t))
    witness = len(re.findall(r"目击|看到|看见|听到|作证|通知我|反映情况|利害关系", t))
    if victim == witness:
        return None
    return "被害人" if victim > witness else "证人"


# 讯问笔录 and 询问笔录 differ by one character of the title, which OCR and typists slip on, but
# their header fields and the warning read out differ a lot: the person questioned is 犯罪嫌疑人 /
# 被讯问人, who must 如实回答 and may get 从轻处罚; a witness or victim is 被询问人, who must
# 如实提供证据、证言 and not 作伪证.
SUSPECT_MARKS = ("被讯问人", "讯问人", "犯罪嫌疑人:", "如实供述", "从轻处罚", "认罪认罚", "辩护人", "犯罪嫌疑人诉讼权利义务告知书")
STATEMENT_MARKS = ("被询问人", "询问人", "如实提供证据", "证言", "伪证", "隐匿罪证")


def _marks_found(text: str, marks: tuple[str, ...]) -> int:
    """How many of the marks the text holds, each once; a mark inside a longer one (讯问人 in
    被讯问人) counts only where it stands apart."""
    found = 0
    for mark in marks:
        rest = text
        for longer in marks:
            if mark != longer and mark in longer:
                rest = rest.replace(longer, "")
        found += mark in rest
    return found


# 问：/答： opening a line; OCR often drops the colon (答以上说的都是事实), but 问题 and 答复 are words
QA_LINE = re.compile(r"^(?:问|答)(?:[:：]|(?=[\u4e00-\u9fa5])(?![题复询卷]))")


def operative_type(page: Page, known: set[str]) -> str | None:
    """The type an instrument's operative sentence names, for a document without a readable title."""
    text = compact(page.text)
    return next((code for code, pattern in OPERATIVE if code in known and pattern.search(text)), None)


def questions_and_answers(page: Page) -> bool:
    """Whether a page is written as 问/答, as only a 讯问笔录 or 询问笔录 is: three such lines or more."""
    return sum(1 for line in page.lines if QA_LINE.match(compact(line.text))) >= 3


def record_kind(text: str) -> tuple[str, int] | None:
    """'interrogation' or 'statement' when a record's text clearly says which (a margin of two
    marks or more), with that margin."""
    t = compact(text)
    margin = _marks_found(t, SUSPECT_MARKS) - _marks_found(t, STATEMENT_MARKS)
    if abs(margin) < 2:
        return None
    return ("interrogation" if margin > 0 else "statement"), abs(margin)
