"""Formatting of dates, times, money and numbers the way case documents print them."""

from __future__ import annotations

import random
from datetime import date, datetime

_DIG = "〇一二三四五六七八九"


def cn_number(n: int) -> str:
    """1..99 in Chinese numerals (十二, 二十, 三十一)."""
    if n < 10:
        return _DIG[n] if n else "零"
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else _DIG[tens]) + "十" + (_DIG[ones] if ones else "")


def d_cn(d: date | datetime, pad: bool = False) -> str:
    return f"{d.year}年{d.month:02d}月{d.day:02d}日" if pad else f"{d.year}年{d.month}月{d.day}日"


def d_upper(d: date | datetime) -> str:
    """二〇二四年三月十二日, as under seals of many official documents."""
    return "".join(_DIG[int(c)] for c in str(d.year)) + f"年{cn_number(d.month)}月{cn_number(d.day)}日"


def d_seal(d: date | datetime, upper: bool) -> str:
    return d_upper(d) if upper else d_cn(d)


def t_cn(t: datetime, pad: bool = False) -> str:
    return f"{t.hour:02d}时{t.minute:02d}分" if pad else f"{t.hour}时{t.minute:02d}分"


def dt_cn(t: datetime, pad: bool = False) -> str:
    return d_cn(t, pad) + t_cn(t, pad)


def hour_phrase(t: datetime) -> str:
    """How people say a time: 晚上10点左右, 凌晨2时许."""
    h = t.hour
    part = "凌晨" if h < 6 else "早上" if h < 9 else "上午" if h < 12 else "中午" if h < 14 else "下午" if h < 18 else "晚上"
    h12 = h if h <= 12 else h - 12
    return f"{part}{h12}点{'半' if t.minute >= 30 else ''}{random.Random(t.toordinal() + h).choice(('左右', '多', '许', ''))}"


def when(t: datetime, with_year: bool = True) -> str:
    return (f"{t.year}年" if with_year else "") + f"{t.month}月{t.day}日{hour_phrase(t)}"


def money(n: float, rng: random.Random | None = None) -> str:
    if rng and rng.random() < 0.3:
        return f"人民币{n:,.0f}元" if n >= 10000 else f"人民币{n:.0f}元"
    return f"{n:.0f}元"


_UPPER = "零壹贰叁肆伍陆柒捌玖"


def money_upper(n: int) -> str:
    """Amount in 大写 as on receipts: 叁仟贰佰捌拾元整."""
    if n == 0:
        return "零元整"
    units = ("", "拾", "佰", "仟")
    out = []
    for group, gname in ((n // 10000, "万"), (n % 10000, "")):
        if not group:
            continue
        s = ""
        zero = False
        digits = f"{group:04d}" if out else str(group)
        for i, ch in enumerate(digits):
            v = int(ch)
            pos = len(digits) - i - 1
            if v == 0:
                zero = True
            else:
                if zero and s:
                    s += "零"
                zero = False
                s += _UPPER[v] + units[pos]
        out.append(s + gname)
    return "".join(out) + "元整"


def law(article: str, code: str = "刑事诉讼法") -> str:
    return f"《中华人民共和国{code}》第{article}条"
