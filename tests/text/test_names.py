"""Rule candidates for AWARD/EVENT (`pipeline.text.names`): pure functions over text."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipeline.scoring import trim
from pipeline.text.names import (
    AWARD_HEADS,
    EVENT_HEADS,
    INNER_START_AFTER,
    Candidate,
    candidates,
    factored,
    first_character_guard,
    first_characters,
    position_cue,
    quoted_titles,
    split_alternatives,
    split_prizes,
    start_positions,
    MAX_NAME,
    RareBranchScanner,
    TRIGGER_WORDS,
    _left_limit,
    left_limits,
    trigger_ends,
    with_titles,
)

# (text, a span that must be among the candidates after quote trimming, label)
REACHABLE = [
    ("一是举办“光影中的幸福家园”主题摄影展。", "光影中的幸福家园”主题摄影展", "EVENT"),
    ("全面贯彻党的二十大精神。", "党的二十大", "EVENT"),
    ("认真学习党的十九届四中全会精神。", "党的十九届四中全会", "EVENT"),
    ("同时举办了首届金橘文化节，第六届舞蹈大赛等活动。", "第六届舞蹈大赛", "EVENT"),
    ("举办“山河入画——庆祝建县七十周年暨乡村振兴成果书画摄影联展”。", "山河入画——庆祝建县七十周年暨乡村振兴成果书画摄影联展", "EVENT"),
    ("舞蹈《春芽》获“小荷之星”荣誉称号。", "小荷之星", "AWARD"),
    ("小说集获第三届江南文学奖。", "第三届江南文学奖", "AWARD"),
    ("该馆被评为全国文明单位。", "全国文明单位", "AWARD"),
]


@pytest.mark.parametrize("text, name, label", REACHABLE)
def test_names_are_among_the_candidates(text: str, name: str, label: str) -> None:
    found = {(text[slice(*trim(text, c.start, c.end))], c.label) for c in candidates(text, all_starts=True)}
    assert (name, label) in found


# (text, candidate start, cue): the evidence before a start
CUES = [
    ("举办“光影”摄影展", 3, "quote"),  # the start sits just inside the opening quote
    ("荣获第三届金奖", 2, "trigger"),
    ("，第六届舞蹈大赛", 1, "edition"),
    ("全市首期青年作家研修班", 2, "edition"),  # 首期 as 首届
    ("市文联第八次代表大会", 0, "punct"),
    ("市文联第八次代表大会", 1, "inner"),
]


@pytest.mark.parametrize("text, start, cue", CUES)
def test_position_cue(text: str, start: int, cue: str) -> None:
    assert position_cue(text, start, 0) == cue


@pytest.mark.parametrize("text", ["", "。", "党的", "全年举办活动。", "行动计划工程"])
def test_no_candidates_without_a_head(text: str) -> None:
    assert all(c.label in ("AWARD", "EVENT") for c in candidates(text, all_starts=True))
    assert candidates("", all_starts=True) == []


@given(st.text(alphabet="第三届全省奖会节展“”《》，。活动举办荣获党的二十大市文联", max_size=60))
def test_candidates_lie_inside_the_text(text: str) -> None:
    for c in candidates(text, all_starts=True):
        assert 0 <= c.start < c.end <= len(text)
        assert text[c.start] not in "，。"



@pytest.mark.parametrize(
    "text, absent, present",
    [
        ("今年举办乡村文化艺术节。", "化艺术节", "乡村文化艺术节"),  # mid-word: no cue, not after a particle or verb end
        ("围绕全县读书月活动开展宣传。", "县读书月活动", "全县读书月活动"),  # 围绕… ends a verb: a start
        ("市文联和县作协联合举办诗歌朗诵会。", "作协联合举办诗歌朗诵会", "诗歌朗诵会"),
    ],
)
def test_inner_starts_need_a_reason(text: str, absent: str, present: str) -> None:
    spans = {text[c.start : c.end] for c in candidates(text, all_starts=True)}
    assert absent not in spans
    assert present in spans


@pytest.mark.parametrize(
    "text, ends",
    [
        ("", set()),
        ("荣获金奖", {2}),
        ("组织开展培训", {2, 4}),  # 组织 and 组织开展 both end a trigger
        ("举办、举行", {2, 5}),
        ("获奖", {1}),
    ],
)
def test_trigger_ends(text: str, ends: set[int]) -> None:
    assert trigger_ends(text) == ends


@given(st.text(alphabet="获荣得评组织开展举办行学习贯彻被授予为成功，", max_size=40))
def test_trigger_ends_are_where_each_trigger_word_ends(text: str) -> None:
    assert trigger_ends(text) == {at + len(w) for w in TRIGGER_WORDS for at in range(len(text)) if text.startswith(w, at)}


@given(st.text(alphabet="获荣组织开展举办学习贯彻党的大会，", max_size=30))
def test_position_cue_with_precomputed_triggers_matches_the_direct_one(text: str) -> None:
    triggers = trigger_ends(text)
    for start in range(len(text)):
        assert position_cue(text, start, 0, triggers) == position_cue(text, start, 0)


@pytest.mark.parametrize(
    "text, name",
    [
        ("成功举办第五届乡村文化艺术节。", "第五届乡村文化艺术节"),  # after the trigger
        ("组织开展“书香满城”全民阅读活动。", "书香满城”全民阅读活动"),  # inside the quote
    ],
)
def test_rule_starts_include_the_trigger_end(text: str, name: str) -> None:
    assert name in {text[c.start : c.end] for c in candidates(text)}


@pytest.mark.parametrize(
    "text, refused",
    [
        ("召开局务会。", "局务会"),  # a routine meeting
        ("召开全体干部职工大会。", "全体干部职工大会"),
        ("获得省级非遗扶持项目。", "省级非遗扶持项目"),  # a programme, after an award trigger
    ],
)
def test_programmes_and_routine_meetings_are_no_candidates(text: str, refused: str) -> None:
    assert refused not in {text[c.start : c.end] for c in candidates(text, all_starts=True)}


# (text, honour, whether an AWARD candidate): an honour is conferred, not a campaign's object
# (docs/decisions.md 18)
HONOURS_AS_GOALS = [
    ("紧紧围绕全国文明城市创建目标任务。", "全国文明城市", False),
    ("紧紧围绕创建全国文明城市目标任务。", "全国文明城市", False),
    ("迎接国家卫生城市复审。", "国家卫生城市", False),
    ("巩固全国文明村镇创建成果。", "全国文明村镇", False),
    ("推动溪口村争创全国文明村镇。", "全国文明村镇", False),
    ("我市成功创建国家卫生城市。", "国家卫生城市", True),
    ("获评全国文明城市，市容明显改善。", "全国文明城市", True),
]


@pytest.mark.parametrize("text, honour, proposed", HONOURS_AS_GOALS)
def test_honours_named_as_goals_are_no_award_candidates(text: str, honour: str, proposed: bool) -> None:
    found = {text[c.start : c.end] for c in candidates(text, all_starts=True) if c.label == "AWARD"}
    assert (honour in found) is proposed


@pytest.mark.parametrize(
    "text, inside, across",
    [
        ("市合唱协会“溢美童声”等“一协会一品牌”活动常态化开展。", "一协会一品牌”活动", "溢美童声”等“一协会一品牌”活动"),
        ("开展“送戏下乡”、“文化进村”活动。", "文化进村”活动", "送戏下乡”、“文化进村”活动"),
    ],
)
def test_no_candidate_spans_a_quoted_list(text: str, inside: str, across: str) -> None:
    found = {text[c.start : c.end] for c in candidates(text, all_starts=True)}
    assert inside in found and across not in found



@pytest.mark.parametrize(
    "text, span, proposed",
    [
        ("进一步增强“四个意识”。", "四个意识", False),  # a numeral slogan
        ("杜绝“一刀切”。", "一刀切", False),
        ("开展“三秦青年说”宣讲。", "三秦青年说", True),  # longer: may be a name
        ("开展“送戏下乡”演出。", "送戏下乡", True),
    ],
)
def test_numeral_slogans_are_no_event_candidates(text: str, span: str, proposed: bool) -> None:
    assert (span in {text[c.start : c.end] for c in candidates(text, all_starts=True)}) is proposed


@pytest.mark.parametrize(
    "text, name",
    [
        ("新创建全国文明城市13个。", "全国文明城市"),  # the count follows the honour
        ("获评省级文明单位和省级卫生单位。", "省级卫生单位"),
    ],
)
def test_trigger_phrases_end_before_a_count_or_a_joiner(text: str, name: str) -> None:
    assert (name, "AWARD") in {(text[c.start : c.end], c.label) for c in candidates(text, all_starts=True)}


@pytest.mark.parametrize(
    "text, titles",
    [
        ("举办“礼赞新时代 奋进新征程——庆祝建区七十周年书法展”。", ["礼赞新时代 奋进新征程——庆祝建区七十周年书法展"]),
        ("举办“礼赞新时代——书法展”主题活动。", []),  # the name goes on after the quote
        ("举办“书法展”。", []),  # short: the chooser decides
        ("提出“礼赞新时代 奋进新征程主题口号”。", []),  # no event head
    ],
)
def test_quoted_titles(text: str, titles: list[str]) -> None:
    assert [text[c.start : c.end] for c in quoted_titles(text)] == titles


def C(start: int, end: int, cue: str = "punct") -> Candidate:
    return Candidate(start, end, "EVENT", cue)


@pytest.mark.parametrize(
    "chosen, titles, kept",
    [
        ([], [C(2, 20, "title")], [C(2, 20, "title")]),
        ([C(0, 25)], [C(2, 20, "title")], [C(0, 25)]),  # a name that contains the title keeps it
        ([C(5, 9), C(22, 26)], [C(2, 20, "title")], [C(2, 20, "title"), C(22, 26)]),  # pieces give way
        ([C(15, 24)], [C(2, 20, "title")], [C(2, 20, "title")]),  # so does an overlapping name
    ],
)
def test_with_titles(chosen, titles, kept) -> None:
    assert with_titles(chosen, titles) == kept


@pytest.mark.parametrize(
    "text, whole, pieces",
    [
        ("获第十一届中国戏剧节优秀剧目奖。", "第十一届中国戏剧节优秀剧目奖", [("第十一届中国戏剧节", "EVENT"), ("优秀剧目奖", "AWARD")]),
        ("获第九届“全国小戏展演”优秀剧目。", "第九届“全国小戏展演”优秀剧目", [("第九届“全国小戏展演", "EVENT"), ("优秀剧目", "AWARD")]),
        ("获全国五一劳动奖章。", "全国五一劳动奖章", [("全国五一劳动奖章", "AWARD")]),  # no competition inside
        ("获全省职业技能大赛金奖。", "全省职业技能大赛金奖", [("全省职业技能大赛", "EVENT"), ("金奖", "AWARD")]),
        ("获大赛奖。", "大赛奖", [("大赛奖", "AWARD")]),  # one character of prize is no prize name
        # the 奖 after the quote repeats the quoted prize's head
        ("获第一届“江南文学创作奖”奖。", "第一届“江南文学创作奖”奖", [("第一届“江南文学创作奖”", "AWARD")]),
        ("获“五个一工程”奖。", "“五个一工程”奖", [("“五个一工程”奖", "AWARD")]),
    ],
)
def test_split_prizes(text: str, whole: str, pieces: list[tuple[str, str]]) -> None:
    start = text.index(whole)
    got = split_prizes(text, [Candidate(start, start + len(whole), "AWARD", "trigger")])
    assert [(text[c.start : c.end], c.label) for c in got] == pieces


@pytest.mark.parametrize(
    "group, alternatives",
    [
        ("(?:a|bc)", ["a", "bc"]),
        ("(?:a[|b]c|d)", ["a[|b]c", "d"]),  # a | inside a class is no separator
        ("(?:(?<=x)y|z\\|w)", ["(?<=x)y", "z\\|w"]),  # nor inside a group, nor escaped
        ("(?:)", [""]),
    ],
)
def test_split_alternatives(group: str, alternatives: list[str]) -> None:
    assert split_alternatives(group) == alternatives


def test_split_alternatives_wants_a_group() -> None:
    with pytest.raises(ValueError, match="group"):
        split_alternatives("a|b")


@given(st.text(alphabet="会议大赛展览演出节日月季周党的二十工作座谈研讨", max_size=40))
def test_factored_event_heads_match_as_the_plain_alternation(text: str) -> None:
    plain = re.compile(EVENT_HEADS)
    assert [m.span() for m in re.compile(factored(EVENT_HEADS)).finditer(text)] == [m.span() for m in plain.finditer(text)]


@given(st.text(alphabet="会议大赛展览演出节日月季周党的二十工作座谈研讨文化宣传活动科普1，。 ", max_size=60))
def test_event_heads_scanner_finds_what_the_plain_alternation_finds(text: str) -> None:
    assert list(RareBranchScanner(EVENT_HEADS).spans(text)) == [m.span() for m in re.finditer(EVENT_HEADS, text)]


@pytest.mark.parametrize(
    "group, text",
    [
        ("(?:赛|[\\u4e00-\\u9fff]{1,2}日|会)", "比赛日会日"),  # 赛 first where both start, 日 before 会
        ("(?:会议|[\\u4e00-\\u9fff]{1,3}周|周)", "宣传周会议周"),
        ("(?:[\\u4e00-\\u9fff]{1,2}日)", "日日日"),  # no other alternative
        ("(?:节|[\\u4e00-\\u9fff]{1,2}月)", ""),
    ],
)
def test_rare_branch_scanner_keeps_the_alternatives_order(group: str, text: str) -> None:
    assert list(RareBranchScanner(group).spans(text)) == [m.span() for m in re.finditer(group, text)]


@pytest.mark.parametrize(
    "alternative, first",
    [
        ("大会", "大"),
        ("(?<=党的)[一二三]{1,3}大", "一二三"),
        ("[\\u4e00-\\u9fff]{1,4}日", None),  # a range is not read
        ("[^会]节", None),
        ("(?:大|小)会", None),
        (".会", None),
        ("会?议", None),  # an optional first character: the second can start it too
        ("[一二]*大", None),
        ("大{0,1}会", None),
        ("大+会", "大"),
    ],
)
def test_first_characters(alternative: str, first: str | None) -> None:
    assert first_characters(alternative) == first


@given(st.text(alphabet="一二三等特金银铜奖优秀章杯称号荣誉会的", max_size=40))
def test_guarded_award_heads_match_as_the_plain_alternation(text: str) -> None:
    guarded = re.compile(first_character_guard(split_alternatives(AWARD_HEADS)) + AWARD_HEADS)
    assert [m.span() for m in guarded.finditer(text)] == [m.span() for m in re.finditer(AWARD_HEADS, text)]


def test_no_guard_when_a_first_character_is_unknown() -> None:
    assert first_character_guard(["大会", ".会"]) == ""
    assert first_character_guard(["大会", "[一二]届"]) == "(?=[一二大])"


def test_rare_branch_scanner_wants_its_alternatives_together() -> None:
    with pytest.raises(ValueError, match="one run"):
        RareBranchScanner("(?:[\\u4e00-\\u9fff]{1,2}日|会|[\\u4e00-\\u9fff]{1,2}月)")


@pytest.mark.parametrize(
    "group, text",
    [
        ("(?:会议|大会|会)", "召开大会会议会"),  # same first character: order kept
        ("(?:赛|[一二]{1,2}日|日)", "二日赛日"),  # a non-literal alternative keeps its place
    ],
)
def test_factored_keeps_which_alternative_matches_first(group: str, text: str) -> None:
    assert [m.group() for m in re.finditer(factored(group), text)] == [m.group() for m in re.finditer(group, text)]


NAME_FRAGMENTS = ["第三届", "首届", "2024年", "“", "《", "」", "和", "的", "了", "举办", "荣获", "组织开展", "市", "活动", "会", "，", "。"]


@given(st.lists(st.sampled_from(NAME_FRAGMENTS), max_size=14).map("".join))
def test_start_positions_hold_every_start_candidates_can_keep(text: str) -> None:
    # `start_positions` restates `position_cue`'s cues as a set: a cue added to one and
    # not the other would silently drop starts
    triggers = trigger_ends(text)
    starts = set(start_positions(text, triggers))
    for start in range(1, len(text)):
        cue = position_cue(text, start, -1, triggers)  # limit -1: no start is the stop's
        if cue != "inner" or text[start - 1] in INNER_START_AFTER:
            assert start in starts, (start, cue)


@given(st.text(alphabet="获奖会“”「」《》，。、 \n活动第届", max_size=120))
def test_left_limits_are_the_walks_left_limits(text: str) -> None:
    heads = range(len(text) + 1)
    assert left_limits(text, heads) == {h: _left_limit(text, h) for h in heads}
    assert all(max(0, h - MAX_NAME) <= limit <= h for h, limit in left_limits(text, heads).items())
