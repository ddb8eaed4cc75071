"""YAML written by people is read within bounds: deep nesting and anchor bombs are refused with a
Chinese message at once, instead of a recursion error or minutes of work."""

from __future__ import annotations

import pytest
import yaml

from policies.yamltext import MAX_BYTES, YamlTooLarge, yaml_load


def test_an_ordinary_policy_file_with_an_anchor_reads_as_usual():
    text = "facts: &f [{name: a, label: 甲, type: 是否}]\nagain: *f\n"
    assert yaml_load(text)["again"][0]["label"] == "甲"


def test_anchors_referring_to_anchors_are_refused_quickly():
    lines = ['a: &a ["x","x","x","x","x","x","x","x","x"]']
    for i in range(8):
        prev, name = chr(97 + i), chr(98 + i)
        lines.append(f"{name}: &{name} [{', '.join([f'*{prev}'] * 9)}]")
    with pytest.raises(YamlTooLarge, match="锚点"):  # 9**9 items: a plain walk takes ~50 s
        yaml_load("\n".join(lines))


@pytest.mark.parametrize("text", ["[" * 5000 + "]" * 5000, "[" * 45 + "]" * 45])
def test_deep_nesting_is_refused_in_chinese(text):
    with pytest.raises(YamlTooLarge, match="嵌套层数过多"):
        yaml_load(text)


def test_text_over_the_size_limit_and_bad_syntax():
    with pytest.raises(YamlTooLarge, match="内容过大"):
        yaml_load("a: " + "x" * MAX_BYTES)
    with pytest.raises(yaml.YAMLError):
        yaml_load("a: [1, 2\nb: c")
