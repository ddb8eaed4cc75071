"""Validation messages as a policy officer reads them in the studio.

The definition compiler (``policies.engine.definitions``) and the import checks write Chinese
messages naming the part, but some still name a key of the YAML format: "兑现频次（paid_per）应为
once、year…之一", "needed_if 指向的事实…", "caps 只能写 per_year（每年最高）…", "groups 应为列表".
Those messages also serve the command line (``import_policy``), where the key helps; on a page
``shown_messages`` says the same in Chinese words only. What the officer wrote (inside 「」, after
不认识的项 or 写的是) is left as written: a key they typed wrongly must stay recognisable.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from policies.engine.clause import COMBINES
from policies.engine.periods import PAID_PER, SUBJECT_KINDS

# key of the format -> the words a page says instead (a key standing alone is put in “”)
KEY_WORDS = {
    # clause and facts
    "facts": "事实", "when": "适用条件", "formula": "计算公式", "tests": "测试用例",
    "quote": "关键原文", "label": "中文名称", "name": "名称", "type": "类型", "unit": "单位",
    "choices": "选项", "needed_if": "何时需要填写", "help": "填写说明", "required": "是否必填",
    "combine": "各项如何合并", "caps": "上限", "per_year": "每年最高",
    "per_period": "政策期内累计最高", "per_period_items": "某几项政策期内累计最高",
    "items": "计入的子项", "cap": "最高金额", "definition": "条款定义", "clauses": "条款",
    # stacking
    "stacking": "叠加与兑现", "groups": "从高不重复的组", "stacks_with": "可叠加享受的条款",
    "matters": "奖励所针对的事项", "ladder": "级差", "once": "只享受一次",
    "subject": "申报对象", "paid_per": "兑现频次", "fixed_period": "奖励期间",
    "group_items": "各组包含的子项",
    # blocks, conditions and quantities
    "op": "比较词", "value": "数值", "than": "另一个数", "is": "是否条件", "in": "选项列表",
    "pick": "取值方式", "floor": "下限", "rest": "上限项之外的各项", "need": "必填说明",
    "loan_rate": "贷款利率", "rate_cap": "利率上限", "repeat": "台阶", "cases": "情形",
    "then": "算法", "show_as": "先列出比较的数", "fact": "事实", "growth": "同比增长",
    "increase": "增加额", "sum": "合计", "min": "最小值", "max": "最大值", "product": "乘积",
    "percent": "百分比", "count": "个数", "ratio": "比率", "all": "全部满足", "any": "满足其一",
    "not": "不满足", "amount": "金额", "share": "比例", "from": "起点", "step": "每个台阶",
    "true": "是", "false": "否",
}  # fmt: skip
# codes listed as the allowed values ("应为once、year…之一")
VALUE_WORDS = {
    **{code: words.split("（")[0] for code, words in PAID_PER.items()},
    **SUBJECT_KINDS,
    **{code: words.split("（")[0] for code, words in COMBINES.items()},
}
_KEY = r"[a-z][a-z_]*"
_QUOTED = re.compile(r"(「[^」]*」|(?:不认识的项|写的是)[：\s]*.*$)")
_KEY_IN_PARENS = re.compile(rf"（({_KEY})）")  # 兑现频次（paid_per） -> 兑现频次
_KEY_COLON = re.compile(rf"(?<=（)({_KEY})：")  # （quote：条款的关键原文） -> （条款的关键原文）
_KEY_EXPLAINED = re.compile(
    rf"(?<![A-Za-z0-9_])({_KEY})（([^（）]*)）"
)  # per_year（每年最高） -> 每年最高
_CODE_LIST = re.compile(rf"(应为)((?:{_KEY}、)+{_KEY})(之一)")
_BARE_KEY = re.compile(rf"(?<![A-Za-z0-9_])({_KEY})(?![A-Za-z0-9_])")
# the import names a clause by its code ("第1个条款（tst-2024-7/3）"): a page says its article
_CLAUSE_CODE = re.compile(r"^(第\d+个条款)（([^（）「」]*)）")
_DICT_EXAMPLE = "{city: 1, district: 1}（市级:区县级，非负数）"
_CJK = r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef“”]"
_SPACE = re.compile(rf"(?<={_CJK})\s+(?={_CJK})")  # left by a key taken out


def shown_message(message: str) -> str:
    """One message in Chinese words: the format's keys replaced, what was typed kept."""
    message = _CLAUSE_CODE.sub(_clause_words, message)
    message = message.replace(_DICT_EXAMPLE, "市级与区县级的分担比例（如 市级1、区县级1，非负数）")
    parts = _QUOTED.split(message)
    return "".join(part if i % 2 else _words(part) for i, part in enumerate(parts))


def _clause_words(m: re.Match) -> str:
    number = m[2].rsplit("/", 1)[-1] if "/" in m[2] else ""
    if number.isdigit():
        return f"{m[1]}（第{int(number)}条）"
    return m[1] if m[2] in ("", "None") else m[0]


def _words(text: str) -> str:
    text = _KEY_IN_PARENS.sub(lambda m: "" if m[1] in KEY_WORDS else m[0], text)
    text = _KEY_COLON.sub(lambda m: "" if m[1] in KEY_WORDS else m[0], text)
    text = _KEY_EXPLAINED.sub(_explained, text)
    text = _CODE_LIST.sub(
        lambda m: m[1] + "、".join(VALUE_WORDS.get(c, c) for c in m[2].split("、")) + m[3], text
    )
    text = _BARE_KEY.sub(lambda m: f"“{KEY_WORDS[m[1]]}”" if m[1] in KEY_WORDS else m[0], text)
    return _SPACE.sub("", text)


def _explained(m: re.Match) -> str:
    key, words = m[1], m[2]
    if key not in KEY_WORDS:
        return m[0]
    if key in ("op",):  # the explanation lists the words to choose: keep what they are
        return f"{KEY_WORDS[key]}（{words}）"
    return words


def shown_messages(messages: Iterable[str]) -> list[str]:
    return [shown_message(m) for m in messages]
