"""YAML written by people (a policy file, a clause in the studio's YAML mode), read within bounds.

``yaml.safe_load`` builds no objects but data; two shapes of text still hurt the process that
reads them: nesting thousands of levels deep (the parser recurses: ``RecursionError``) and
anchors referring to anchors (``&a [*b, *b, …]``: a few lines that stand for hundreds of millions
of items, which every later walk over the data, the definition's fingerprint included, would
visit). ``yaml_load`` refuses both, and text over ``MAX_BYTES``, with ``YamlTooLarge`` and a
Chinese message; a syntax error stays ``yaml.YAMLError`` for the caller to word with its line.
"""

from __future__ import annotations

import yaml

MAX_BYTES = 1_000_000  # a whole policy of dozens of clauses is ~100 KB
MAX_ITEMS = 200_000  # values visited, an anchor's counted each time it is referred to
MAX_DEPTH = 40  # a clause nests a sum of parts of conditions of quantities: ~10 levels


class YamlTooLarge(ValueError):
    """The text is too large, too deep or expands to too much (message in Chinese)."""


def yaml_load(text: str) -> object:
    """The data of ``text`` (``yaml.safe_load``) once it is within the bounds above."""
    if len(text.encode("utf-8")) > MAX_BYTES:
        raise YamlTooLarge(f"内容过大（超过{MAX_BYTES // 1_000_000} MB），请拆分后再导入")
    try:
        data = yaml.safe_load(text)
    except RecursionError as exc:
        raise YamlTooLarge(f"嵌套层数过多（最多{MAX_DEPTH}层），请检查缩进和括号") from exc
    _within_bounds(data)
    return data


def _within_bounds(data: object) -> None:
    """Walk ``data`` as a reader would (an anchor's value once per reference), stopping at the
    first bound passed: the walk costs at most ``MAX_ITEMS`` steps, whatever the text."""
    stack: list[tuple[object, int]] = [(data, 1)]
    seen = 0
    while stack:
        value, depth = stack.pop()
        seen += 1
        if seen > MAX_ITEMS:
            raise YamlTooLarge(
                f"内容展开后超过{MAX_ITEMS:,}项（锚点 & 与引用 * 用得过多？），请直接写出内容"
            )
        if depth > MAX_DEPTH:
            raise YamlTooLarge(f"嵌套层数过多（最多{MAX_DEPTH}层），请检查缩进和括号")
        if isinstance(value, dict):
            stack.extend((v, depth + 1) for v in value.values())
            stack.extend((k, depth + 1) for k in value if isinstance(k, tuple | list | dict))
        elif isinstance(value, list | tuple):
            stack.extend((v, depth + 1) for v in value)
