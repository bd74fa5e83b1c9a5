"""zzgeo's messages in English and Chinese: complete, consistent, used, and reaching the app."""

from __future__ import annotations

import re
import string
from pathlib import Path

import pytest
from app.errors import error_message
from app.features.import_report import make_import_report

from test_imports import CASES, CJK, DATA, UNREADABLE
from zzgeo.errors import DataError
from zzgeo.imports import import_file
from zzgeo.messages import DIRECTIONS, TEXTS, Text, text

SRC = Path(__file__).resolve().parent.parent / "src" / "zzgeo"


def _fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


@pytest.mark.parametrize("key", sorted(TEXTS))
def test_both_languages_show_the_same_values(key: str) -> None:
    en, zh = TEXTS[key].en, TEXTS[key].zh
    # a Chinese text may use a Chinese form of a value (side -> side_zh), never leave one out
    zh_fields = {f.removesuffix("_zh") for f in _fields(zh)}
    assert _fields(en) == zh_fields, key
    assert CJK.search(zh), f"{key}: no Chinese in {zh!r}"
    assert not CJK.search(en), f"{key}: Chinese in the English text"


def test_every_text_is_used_and_every_use_exists() -> None:
    source = "\n".join(p.read_text(encoding="utf-8") for p in SRC.glob("*.py") if p.name != "messages.py")
    used = set(re.findall(r'\bsay\(\s*"([a-z0-9_]+)"', source))
    # keys chosen in code before the call (key = "..."; say(key, ...)) are spelled as strings
    used |= {k for k in TEXTS if f'"{k}"' in source}
    assert used == set(TEXTS), (sorted(used - set(TEXTS)), sorted(set(TEXTS) - used))


def test_text_joins_and_picks_a_language() -> None:
    joined = text("outside", km="1.0", side="north", side_zh=DIRECTIONS["north"]) + text("outside_not_counted")
    assert joined.en == "outside Zhangzhou: 1.0 km north of the city boundary; not counted in any district"
    assert joined.zh == "在漳州市外：位于市界北方 1.0 公里；不计入任何区县"
    assert joined.get("zh") == joined.zh
    assert joined.get("en") == joined.get("fr") == str(joined) == joined.en
    assert text("not_a_number", value="abc") == Text(en="'abc' is not a number", zh="'abc' 不是数字")


def test_one_fallback_rule_picks_a_language() -> None:
    """Text.get is the one rule: "zh" -> Chinese, anything else -> English; an empty one -> the other."""
    both = Text(en="Sites", zh="站点")
    assert [both.get(lang) for lang in ("zh", "en", "fr", "")] == ["站点", "Sites", "Sites", "Sites"]
    english_only, chinese_only = Text(en="Sites"), Text(zh="站点")
    assert english_only.get("zh") == english_only.get("en") == "Sites"
    assert chinese_only.get("en") == chinese_only.get("zh") == "站点"
    assert Text().get("zh") == Text().get("en") == ""
    assert Text(en="{n} sites", zh="{n} 个站点").format(n=3) == Text(en="3 sites", zh="3 个站点")
    with pytest.raises(TypeError):
        Text("站点", "Sites")  # type: ignore[misc]  # keyword-only: the languages cannot be swapped by order


def test_a_text_goes_to_its_two_fields_and_back() -> None:
    """The wire form (``key``/``key_zh``) of status files, reports and JSON responses round-trips."""
    both, english_only = Text(en="Sites", zh="站点"), Text(en="Sites")
    assert both.fields("error") == {"error": "Sites", "error_zh": "站点"}
    assert english_only.fields("message") == {"message": "Sites", "message_zh": None}
    for t in (both, english_only, Text(zh="站点")):
        assert Text.from_fields(t.fields("error"), "error") == t
        assert Text.from_fields({"other": 1, **t.fields("m")}, "m") == t
    assert Text.from_fields({}, "error") is Text.from_fields({"error": None, "error_zh": ""}, "error") is None


def test_the_corpus_exercises_most_texts() -> None:
    """Each corpus problem is checked for its Chinese text in test_imports.test_corpus_file."""
    assert sum(len(case.problems) for case in CASES) > 40


def test_app_shows_an_unreadable_file_in_the_page_language() -> None:
    file = sorted(UNREADABLE)[0]
    with pytest.raises(DataError) as exc:
        import_file(DATA / file, "5g_sites")
    assert error_message(exc.value, "zh") == exc.value.message.zh
    assert error_message(exc.value, "en") == str(exc.value)


def test_rejected_rows_in_chinese_keep_rows_and_values() -> None:
    case = next(c for c in CASES if c.rejected)
    result = import_file(DATA / case.file, case.kind, case.crs, layer=case.layer)
    en, zh = result.rejected_table("en"), result.rejected_table("zh")
    assert en is result.rejected
    assert list(zh.columns) == list(en.columns)
    assert zh.drop(columns="problem").equals(en.drop(columns="problem"))
    for en_text, zh_text in zip(en["problem"], zh["problem"], strict=True):
        assert en_text != zh_text
        assert CJK.search(zh_text)


def test_import_report_in_chinese_shows_chinese_problems() -> None:
    case = next(c for c in CASES if c.rejected)
    result = import_file(DATA / case.file, case.kind, case.crs, layer=case.layer)
    text_zh = str(make_import_report(result, "zh"))
    text_en = str(make_import_report(result, "en"))
    for p in result.problems[:5]:
        assert p.message.zh in text_zh
        assert p.message.en in text_en
