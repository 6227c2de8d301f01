"""问/答 dialogue of 讯问笔录 and 询问笔录: the standard openings and closings officers use, the
person's account, detail questions, and an endless supply of plausible follow-up questions so a
record can be made exactly as long as the plan needs."""

from __future__ import annotations

import random
from dataclasses import dataclass, replace
from typing import Callable

from . import scenarios as sx
from .case import Case, Officer, Person
from .scenarios import QA, Scenario
from .wording import d_cn, when


@dataclass
class Dialogue:
    opening: list[QA]
    core: list[QA]
    filler: Callable[[int], QA]  # k -> another question, for longer records
    closing: list[QA]


def _intro(p: Person, rng: random.Random, at) -> str:
    parts = [f"我叫{p.name}", f"{p.sex}", f"{d_cn(p.birth)}出生", p.nation, f"{p.education}文化",
             f"身份证号码是{p.id_number}", f"户籍地是{p.hukou}", f"现住{p.address}"]
    if rng.random() < 0.6:
        parts.append(f"{'在' + p.workplace + '上班' if p.workplace else p.occupation}")
    parts.append(f"联系电话{p.phone}")
    return "，".join(parts) + "。"


def interrogation(case: Case, sc: Scenario, s: Person, nth: int, officers: list[Officer], unit: str,
                  rng: random.Random, at) -> Dialogue:
    a, b = officers[0].name, officers[1].name
    opening: list[QA] = [(
        f"我们是{unit}的侦查人员{a}、{b}（出示工作证件），现依法对你进行讯问，你应当如实回答我们的提问，"
        f"对与本案无关的问题，你有拒绝回答的权利。你听清楚了吗？",
        rng.choice(("听清楚了。", "清楚了。", "听清楚了，我会如实回答。")))]
    if nth == 1:
        opening += [
            ("根据《中华人民共和国刑事诉讼法》的规定，你在侦查阶段享有申请回避、委托辩护人、核对笔录等诉讼权利，"
             "如实供述自己的罪行可以依法从轻处罚，认罪认罚的可以依法从宽处理。我们已经将《犯罪嫌疑人诉讼权利义务告知书》交给你阅读，你是否清楚？",
             rng.choice(("清楚了。", "我看过了，清楚。", "已经看过了。"))),
            ("你是否申请我们回避？", rng.choice(("不申请。", "不申请回避。"))),
            ("你的个人基本情况？", _intro(s, rng, at)),
            ("你以前受过什么处罚没有？", rng.choice(("没有。", "没有受过处罚。", f"{case.crime_at.year - rng.randint(2, 9)}年因为打架被行政拘留过。"))),
            ("你知道你为什么被带到公安机关吗？", f"知道，因为我{sc.verb}了别人{'的' + sc.thing if sc.crime != '故意伤害' else ''}。"),
            ("你把事情的经过详细讲一下。", sx.suspect_story(case, sc, s, rng)),
        ]
    else:
        opening += [
            (f"你在{when(s.events['interrogations'][0], False)}接受讯问时所作的供述是否属实？", rng.choice(("属实。", "都是真的。", "属实，没有要更改的。"))),
            ("今天对你再次进行讯问，你要如实供述，听明白了吗？", "明白。"),
            (rng.choice(("你把作案经过再讲一遍。", "你把事情经过再详细说一下。", "你再把当时的情况讲一下。")), sx.suspect_story(case, sc, s, rng)),
        ]
    core = sx.suspect_details(case, sc, s, rng)
    rng.shuffle(core)
    if nth >= 2 and rng.random() < 0.7:
        core.append(("现向你告知认罪认罚从宽制度的有关规定：犯罪嫌疑人自愿如实供述自己的罪行，承认指控的犯罪事实，愿意接受处罚的，"
                     "可以依法从宽处理。你是否愿意认罪认罚？", rng.choice(("愿意。", "我愿意认罪认罚。"))))
    offset = rng.randint(0, 7)
    closing = [
        ("你还有什么要补充的吗？", rng.choice(("没有了。", "没有要补充的了。", "没有。"))),
        ("你以上所讲的是否属实？", rng.choice(("属实。", "都是实话。"))),
        ("你看一下笔录，和你说的是否一致？", rng.choice(("一致。", "和我说的一样。", "我看过了，一致。"))),
    ]
    return Dialogue(opening, core, lambda k: sx.filler_suspect(rng, case, s, k + offset), closing)


def inquiry(case: Case, sc: Scenario, p: Person, nth: int, officers: list[Officer], unit: str,
            rng: random.Random, at) -> Dialogue:
    a, b = officers[0].name, officers[1].name
    victim = p.role == "victim"
    opening: list[QA] = [(
        f"我们是{unit}的民警{a}、{b}（出示工作证件），现依法向你询问有关问题，你应当如实提供证据、证言，"
        f"如有意作伪证或者隐匿罪证，要负法律责任。对与本案无关的问题，你有拒绝回答的权利。你听明白了吗？",
        rng.choice(("听明白了。", "明白。", "明白了。")))]
    if nth == 1:
        opening.append(("你的个人基本情况？", _intro(p, rng, at)))
        if victim:
            opening.append((rng.choice(("你今天因何事来公安机关？", "你因为什么事报警？", "你因何事来派出所？")),
                            f"我来报案，我{'被人' + sc.verb + '了' if sc.crime != '故意伤害' else '被人打伤了'}。"))
            opening.append(("你把具体情况讲一下。", sx.victim_story(case, sc, p, rng)))
        else:
            opening.append(("你今天因何事来公安机关？", rng.choice(("民警通知我来反映情况。", "我来作证。", f"我来说一下{case.suspects[0].name}的事情。"))))
            opening.append(("你把你知道的情况讲一下。", sx.witness_story(case, sc, p, rng)))
    else:
        opening.append(("你上次向公安机关反映的情况是否属实？", "属实。"))
        opening.append(("今天找你来是核实一些情况，你要如实回答，听清楚了吗？", "清楚。"))
    core = sx.victim_details(case, sc, p, rng) if victim else []
    if not victim:
        core = [sx.filler_witness(rng, case, p, k) for k in range(rng.randint(2, 5))]
    offset = rng.randint(0, 4)
    filler = (lambda k: sx.filler_victim(rng, case, p, k + offset)) if victim else \
        (lambda k: sx.filler_witness(rng, case, p, k + 5 + offset))
    closing = [
        ("你还有什么要补充的吗？", rng.choice(("没有了。", "没有。"))),
        ("以上所说是否属实？", rng.choice(("属实。", "以上说的都是事实。"))),
    ]
    return Dialogue(opening, core, filler, closing)


def with_role_in_warning(dlg: Dialogue, role: str) -> Dialogue:
    """The same statement with the warning naming the person's role (你作为被害人，应当如实…),
    the only place some records state it."""
    q, a = dlg.opening[0]
    q = q.replace("你应当如实提供证据、证言", f"你作为{role}，应当如实提供证据、证言")
    return replace(dlg, opening=[(q, a), *dlg.opening[1:]])
