"""AWARD and EVENT candidates by rule: pure functions over text.

Names end in a recognisable head (…奖, …先进集体, …代表大会, …艺术节, …培训班) but
start wherever the writer began naming, so the matcher proposes, for each head it
finds, a few possible starts: after the trigger verb (荣获, 举办…), after the last
punctuation, at an edition marker (第N届, 首届, 2023年) or at an opening quote.
`best_guess` picks one start by fixed preference (the rules-only matcher); the
trained chooser in `pipeline.learn.names` scores every candidate instead.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import numpy as np

from .codes import code_points, code_set
from .ranges import OccupiedRanges

CN_NUM = "一二三四五六七八九十百零〇两"
AWARD_HEADS = (
    r"(?:[一二三等特金银铜]等?奖|优秀奖|金奖|银奖|铜奖|大奖|提名奖|特别奖|贡献奖|成就奖|创新奖|进步奖|奖章|奖状|杯|奖)"
)
HONOUR_HEADS = (
    r"(?:先进集体|先进个人|先进单位|先进工作者|先进基层党组织|优秀共产党员|优秀党务工作者|文明单位|文明校园|文明村镇|"
    r"文明家庭|示范单位|示范基地|示范点|示范区|青年文明号|青年五四奖章|三八红旗集体|三八红旗手|巾帼文明岗|巾帼建功标兵|"
    r"劳动模范|工人先锋号|五一劳动奖章|五一劳动奖状|标兵|模范集体|模范个人|最美[\u4e00-\u9fff]{1,6}|优秀组织单位|"
    r"优秀案例|典型案例|突出贡献奖|星级[\u4e00-\u9fff]{1,4}|"
    # honours a city or county is named with (全国文明城市, 国家卫生县城, 全国双拥模范城)
    r"文明城市|文明城区|文明县城|卫生城市|卫生县城|园林城市|双拥模范城|模范城市|示范城市)"
)
EVENT_HEADS = (
    r"(?:代表大会|全体会议|全会|工作会议|推进会|现场会|座谈会|研讨会|交流会|表彰大会|动员大会|年会|峰会|论坛|"
    r"培训班|研修班|训练营|运动会|博览会|交易会|展销会|招聘会|洽谈会|推介会|发布会|"
    r"展览|作品展|成果展|摄影展|书画展|美术展|书法展|展演|汇演|会演|演出|晚会|音乐会|诗会|朗诵会|音乐节|艺术节|文化节|旅游节|"
    r"读书节|阅读节|电影节|戏剧节|体育节|美食节|购物节|丰收节|文化季|艺术季|演出季|文化周|宣传周|活动周|宣传月|活动月|"
    r"技能大赛|职业技能竞赛|大赛|竞赛|比赛|联赛|锦标赛|邀请赛|挑战赛|马拉松|公开课|讲座|宣讲会|评选|嘉年华|庙会|"
    r"专题活动|主题活动|系列活动|志愿活动|比武|"
    # short generic heads: many false starts, which the trained chooser learns to reject
    r"会议|大会|观摩会|恳谈会|赛马会|活动|马拉松赛|赛|演练|演习|仪式|典礼|分会场|集训营|训练营|轮训班|班|营|"
    r"科普日|[\u4e00-\u9fff]{1,4}日|[\u4e00-\u9fff]{1,4}月|[\u4e00-\u9fff]{1,3}季|[\u4e00-\u9fff]{1,3}周|节|展|会|"
    # party congresses by number: 党的二十大, 党的十九届四中全会 (全会 above)
    r"(?<=党的)[一二三四五六七八九十]{1,3}大)"
)
TRIGGERS = (
    "创建|蝉联|荣获|获得|获评|获|荣膺|斩获|摘得|夺得|捧得|喜获|被评为|评为|被授予|授予|被命名为|命名为|入选|"
    "举办|举行|承办|协办|主办|召开|组织|组织开展|开展|参加|参与|出席|筹办|策划|启动|推出|成功举办|圆满完成|完成|"
    # what is done with a meeting's spirit or an exhibition: 学习贯彻党的二十大精神, 参观…展
    "贯彻|学习|宣传|参观|观看|观摩|备战|亮相|迎接|按照|根据|落实"
)
TRIGGER_RE = re.compile(f"(?:{TRIGGERS})")
TRIGGER_WORDS = tuple(TRIGGERS.split("|"))
EDITION_RE = re.compile(rf"第[{CN_NUM}\d]+[届次期]|首届|首期|\d{{4}}(?:年度?|—\d{{4}}年度?)?")
QUOTE_OPEN = "“「『《\""
STOP_CHARS = set("，。；：！？、,;:!?\n\t 　")
# what may stand before a name that starts with no trigger, quote, edition or stop:
# particles and prepositions (和, 在, 的…), the last character of verbs that take a name
# as object (办好, 坚持, 围绕, 依托, 借助, 备战, 迎接, 联合…), and of a name just ended
# (…大赛金奖, …活动暨…)
INNER_START_AFTER = frozenset("和与及同在于以为由从对向经即是的了等把被将" "好持绕托助用备接合办加入" "赛会演展节奖动")
MAX_NAME = 40
MIN_NAME = 2  # 金奖, 银奖

_REGEX_META = frozenset(".^$*+?{}[]\\|()")


def split_alternatives(group: str) -> list[str]:
    """The top-level alternatives of a pattern written as one "(?:a|b|…)" group."""
    if not (group.startswith("(?:") and group.endswith(")")):
        raise ValueError(f"not a (?:…) group: {group[:30]!r}")
    out, current, depth, in_class, i = [], "", 0, False, 3
    while i < len(group) - 1:
        ch = group[i]
        if ch == "\\":
            current += group[i : i + 2]
            i += 2
            continue
        if in_class:
            in_class = ch != "]"
        elif ch == "[":
            in_class = True
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif ch == "|" and depth == 0:
            out.append(current)
            current = ""
            i += 1
            continue
        current += ch
        i += 1
    out.append(current)
    return out


def factored(group: str) -> str:
    """The same alternation, quicker to search. Python's engine tries every alternative at
    every position; here each run of literal alternatives becomes one branch per first
    character behind a lookahead of those characters. Literals that begin differently
    never match at the same place, so regrouping them within a run keeps which one
    matches first; the other alternatives keep their place."""
    parts: list[str] = []
    run: list[str] = []

    def flush() -> None:
        if run:
            by_first: dict[str, list[str]] = {}
            for literal in run:
                by_first.setdefault(literal[0], []).append(literal[1:])
            branches = [
                re.escape(first) + ("(?:" + "|".join(map(re.escape, rests)) + ")" if rests != [""] else "")
                for first, rests in by_first.items()
            ]
            parts.append("(?=[" + "".join(map(re.escape, by_first)) + "])(?:" + "|".join(branches) + ")")
            run.clear()

    for alternative in split_alternatives(group):
        if alternative and not _REGEX_META & set(alternative):
            run.append(alternative)
        else:
            flush()
            parts.append(alternative)
    flush()
    return "(?:" + "|".join(parts) + ")"


_BEFORE_ANCHOR = re.compile(r"\[\\u4e00-\\u9fff\]\{1,(\d)\}(.)")
_LOOKBEHIND_START = re.compile(r"\(\?<[=!][^()]*\)")
_PLAIN_CLASS_START = re.compile(r"\[([^\]\\^-]+)\]")


def first_characters(alternative: str) -> str | None:
    """The characters a regex alternative can start its match with, when that is plain
    to read (a literal, or a leading class of listed characters after lookbehinds);
    None otherwise."""
    if alternative and not _REGEX_META & set(alternative):
        return alternative[0]
    rest = alternative
    while (behind := _LOOKBEHIND_START.match(rest)) is not None:
        rest = rest[behind.end() :]
    listed = _PLAIN_CLASS_START.match(rest)
    if listed:
        first, after = listed.group(1), rest[listed.end() :]
    elif rest and rest[0] not in _REGEX_META:
        first, after = rest[0], rest[1:]
    else:
        return None
    # a first character that may be left out (会?, [一二]*, 大{0,1}) does not start every match
    return None if after[:1] in ("?", "*") or after.startswith("{0") else first


def first_character_guard(alternatives: list[str]) -> str:
    """A lookahead of every character the alternatives can start with ("" when one of
    them is not plain to read): put before their alternation, it passes over most
    offsets with one test instead of one per alternative."""
    firsts = [first_characters(a) for a in alternatives]
    return "" if not firsts or None in firsts else "(?=[" + re.escape("".join(sorted(set("".join(firsts))))) + "])"


class RareBranchScanner:
    """`re.finditer(group, text)` spans, quicker when a few alternatives of `group` are
    `[\u4e00-\u9fff]{1,n}X` (…日, …月): Python's engine tries those at every character
    of the text, and they cost more than the hundred literal ones together.

    Those alternatives can only match within n characters before an X (the anchor), so
    they are tried there alone, and the others are searched as one pattern. At each
    offset the first alternative in `group`'s order still wins, as the tests check
    against the plain pattern."""

    def __init__(self, group: str):
        alternatives = split_alternatives(group)
        if "" in alternatives:
            raise ValueError(f"an empty alternative matches everywhere: {group[:40]!r}…")
        rare = [i for i, a in enumerate(alternatives) if _BEFORE_ANCHOR.fullmatch(a)]
        if not rare or rare != list(range(rare[0], rare[-1] + 1)):
            raise ValueError(f"expected one run of [\\u4e00-\\u9fff]{{1,n}}X alternatives in {group[:40]!r}…")
        lead, tail = alternatives[: rare[0]], alternatives[rare[-1] + 1 :]
        shapes = [_BEFORE_ANCHOR.fullmatch(alternatives[i]) for i in rare]
        self.reach = max(int(m[1]) for m in shapes)
        self.anchors = re.compile("[" + re.escape("".join(sorted({m[2] for m in shapes}))) + "]")
        self.rare = re.compile("(?:" + "|".join(alternatives[i] for i in rare) + ")")
        self.lead = re.compile(factored("(?:" + "|".join(lead) + ")")) if lead else None
        parts = [factored("(?:" + "|".join(part) + ")") for part in (lead, tail) if part]
        self.others = re.compile(first_character_guard(lead + tail) + "(?:" + "|".join(parts) + ")") if parts else None

    def spans(self, text: str) -> Iterator[tuple[int, int]]:
        # every offset where a rare alternative could match, in order
        reachable = sorted({p for a in self.anchors.finditer(text) for p in range(max(0, a.start() - self.reach), a.start())})
        pos, k = 0, 0
        while True:
            other = self.others.search(text, pos) if self.others else None
            limit = other.start() if other else len(text)
            k = bisect.bisect_left(reachable, pos, k)
            rare = None
            while k < len(reachable) and reachable[k] <= limit:
                rare = self.rare.match(text, reachable[k])
                if rare is not None:
                    break
                k += 1
            # where both can match, the alternatives before the rare ones come first
            if rare is not None and (rare.start() < limit or not (self.lead and self.lead.match(text, limit))):
                found = rare
            elif other is not None:
                found = other
            else:
                return
            yield found.start(), found.end()
            pos = found.end()


HEAD_PATTERNS: tuple[tuple[str, re.Pattern[str] | RareBranchScanner], ...] = (
    ("AWARD", re.compile(first_character_guard(split_alternatives(AWARD_HEADS)) + AWARD_HEADS)),
    ("AWARD", re.compile(HONOUR_HEADS)),  # literals only: the engine passes over offsets quickly already
    # 150 alternatives, searched in every document: the literal ones factored (2.3x
    # quicker), the …日/…月 ones tried only before a 日/月 (2x quicker again)
    ("EVENT", RareBranchScanner(EVENT_HEADS)),
)


def head_spans(pattern: re.Pattern[str] | RareBranchScanner, text: str) -> Iterator[tuple[int, int]]:
    return pattern.spans(text) if isinstance(pattern, RareBranchScanner) else (m.span() for m in pattern.finditer(text))


# Words that make a would-be name a programme, list or routine meeting (ANNOTATION.md §2).
# A name does not end in a target, task, requirement or plan either (创建全国文明城市目标任务),
# nor in the commendation or support it brought (获…表彰, 获…扶持).
NOT_NAME_ENDINGS = (
    "行动", "工程", "计划", "名单", "扶持项目", "党组会", "局务会", "办公会", "例会", "支部会", "全体干部职工大会",
    "目标", "任务", "要求", "方案", "表彰", "扶持",
)
# by last character, so that most candidate ends test none of them
_NOT_NAME_BY_LAST: dict[str, tuple[str, ...]] = {
    last: tuple(w for w in NOT_NAME_ENDINGS if w[-1] == last) for last in {w[-1] for w in NOT_NAME_ENDINGS}
}
# An honour followed by one of these is the object of a campaign, not one conferred
# (ANNOTATION.md: "conferred"): 全国文明城市创建工作, 创建全国文明城市目标任务, 国家卫生城市
# 复审, 巩固全国文明村镇创建成果 (docs/decisions.md 18).
CAMPAIGN_OBJECT_OF = re.compile(r"创建|建设|复审|复查|考评|测评|目标|成果")
# A closing quote, a list joiner and an opening quote (“溢美童声”等“一协会一品牌”活动) end
# one quoted item of a list and start the next: no name spans one (the corpus has none).
QUOTED_LIST_JOINT = re.compile(r"[”」』](?:等|、|和|与|及|，|,)[“「『]")
# 争创 is striving for an honour not yet won
GOAL_VERBS = ("争创",)


@dataclass(frozen=True)
class Candidate:
    start: int
    end: int
    label: str
    cue: str  # what chose the start: trigger, punct, edition, quote; "title" for `quoted_titles`


QUOTED_RE = re.compile(r"[“「『]([^“”「」『』\n]{2,60})[”」』]")


# “四个意识”, “一刀切”, “两委”: a short quoted phrase that starts with a numeral is a
# slogan or a term (in the corpus 3 of 667 quoted phrases starting with one are events,
# all longer than these)
NUMERAL_SLOGAN = re.compile(r"[一二三四五六七八九十两].{1,3}")


def _quoted_spans(text: str) -> list[tuple[int, int, str]]:
    """Quoted names (“送戏下乡”): their contents, with or without the quotes, as EVENT ends."""
    out = []
    for m in QUOTED_RE.finditer(text):
        if NUMERAL_SLOGAN.fullmatch(m.group(1)):
            continue
        out.append((m.start(1), m.end(1), "EVENT"))
        out.append((m.start(), m.end(), "EVENT"))
    return out


TITLE_MIN = 10
_EVENT_HEAD_AT_END = re.compile(f"(?:{EVENT_HEADS})$")
_AFTER_TITLE = STOP_CHARS | set("）)》")


def quoted_titles(text: str) -> list[Candidate]:
    """Quoted titles of 10 characters or more that end in an event head and close a
    phrase (举办“礼赞新时代——庆祝建区七十周年书法展”。): the whole title is the event's
    name. Such titles are long, rare and full of dashes and spaces, so the chooser has
    too few of them to learn from; in the corpus this rule is right 10 times of 12, and
    the other two are names that begin before the quote, which a containing name keeps
    (`with_titles`)."""
    out = []
    for m in QUOTED_RE.finditer(text):
        after = text[m.end() : m.end() + 1]
        if len(m.group(1)) >= TITLE_MIN and _EVENT_HEAD_AT_END.search(m.group(1)) and (not after or after in _AFTER_TITLE):
            out.append(Candidate(m.start(1), m.end(1), "EVENT", "title"))
    return out


# Heads of the competitions and festivals at which prizes are won (a strong subset of
# EVENT_HEADS: 会, 节, 展 alone end too many words)
COMPETITION_HEADS = re.compile(
    r"(?:展演|汇演|会演|大赛|比赛|竞赛|锦标赛|邀请赛|联赛|艺术节|文化节|戏剧节|电影节|音乐节|博览会|运动会|作品展|美术展|书画展|摄影展|书法展|展览)"
)
_CLOSING_QUOTES = "”」』"
_REPEATED_PRIZE_HEAD = re.compile("奖[”」』]奖$")


def split_prizes(text: str, names: list[Candidate]) -> list[Candidate]:
    """A prize won at a named competition is two names, the event and then the prize
    (docs/decisions.md 7: 第十一届中国戏剧节 + 优秀剧目奖): an AWARD holding a competition
    head with a prize after it is cut there. The corpus follows the decision (44 such
    pairs), but the chooser, which scores one span at a time, still tends to take both
    as one prize. A prize also ends at its closing quote when the quoted name ends in
    奖 (获“江西省文学创作奖”奖): the 奖 after the quote repeats the name's head."""
    out = []
    for c in names:
        if c.label == "AWARD" and _REPEATED_PRIZE_HEAD.search(text, c.start, c.end):
            c = Candidate(c.start, c.end - 1, c.label, c.cue)
        cut = None
        if c.label == "AWARD":
            for m in COMPETITION_HEADS.finditer(text, c.start, c.end):
                prize_start = m.end() + (text[m.end()] in _CLOSING_QUOTES)
                if m.end() - c.start >= MIN_NAME and c.end - prize_start >= MIN_NAME:
                    cut = (m.end(), prize_start)
        if cut is None:
            out.append(c)
        else:
            out += [Candidate(c.start, cut[0], "EVENT", c.cue), Candidate(cut[1], c.end, "AWARD", c.cue)]
    return out


def with_titles(chosen: list[Candidate], titles: list[Candidate]) -> list[Candidate]:
    """`chosen` plus every title that no chosen name contains; chosen names that overlap
    such a title (a piece of it) give way to it."""
    out = list(chosen)
    for title in titles:
        if any(c.start <= title.start and title.end <= c.end for c in out):
            continue
        out = [c for c in out if c.end <= title.start or c.start >= title.end]
        out.append(title)
    return sorted(out, key=lambda c: c.start)


INSIDE_A_WORD = frozenset("励补员议计场馆品项助学")


def _head_ends(text: str) -> list[tuple[int, int, str]]:
    """(head start, head end, label) for every head word, longest per end."""
    found: dict[int, tuple[int, str]] = {}
    for label, pattern in HEAD_PATTERNS:
        for start, end in head_spans(pattern, text):
            # a head inside a longer word (奖 in 奖励 or 奖金, 会 in 会员, 班 in 班子) is no
            # head; but 大赛金奖 is a competition, then its prize
            following = text[end : end + 1]
            if following in INSIDE_A_WORD or (following == "金" and text[end - 1] == "奖"):
                continue
            if end not in found or start < found[end][0]:
                found[end] = (start, label)
    return [(s, e, label) for e, (s, label) in sorted(found.items())]


def _left_limit(text: str, head_start: int) -> int:
    """How far left a name may reach: to the last stop character, at most MAX_NAME."""
    i = head_start
    floor = max(0, head_start - MAX_NAME)
    depth = 0
    while i > floor:
        ch = text[i - 1]
        if ch in "”」』》":
            depth += 1
        elif ch in "“「『《":
            depth = max(0, depth - 1)
        elif ch in STOP_CHARS and depth == 0:
            break
        i -= 1
    return i


_STOP_CODES = code_set(STOP_CHARS)
_QUOTE_MARK_CODES = code_set("”」』》“「『《")


def left_limits(text: str, head_starts: Iterable[int], points: np.ndarray | None = None) -> dict[int, int]:
    """`_left_limit` of every head start, from the text's stop characters found once:
    with no quote mark in the way (nearly always) the limit is just after the last stop
    character within reach, found by binary search; otherwise `_left_limit` walks.
    `points`: `code_points(text)`, when the caller has them."""
    heads = np.fromiter(head_starts, dtype=np.int64)
    if points is None:
        points = code_points(text)
    stops = np.flatnonzero(np.isin(points, _STOP_CODES))
    quotes = np.flatnonzero(np.isin(points, _QUOTE_MARK_CODES))
    floors = np.maximum(heads - MAX_NAME, 0)
    limits = floors
    if len(stops):
        last = np.searchsorted(stops, heads) - 1  # the last stop before each head
        # after a stop within reach, else the floor (a stop before it gives at most the floor)
        limits = np.maximum(np.where(last >= 0, stops[np.maximum(last, 0)] + 1, 0), floors)
    out = dict(zip(heads.tolist(), limits.tolist()))
    if len(quotes):
        last = np.searchsorted(quotes, heads) - 1
        for head in heads[(last >= 0) & (quotes[np.maximum(last, 0)] >= floors)].tolist():
            out[head] = _left_limit(text, head)
    return out


AWARD_TRIGGER_RE = re.compile(r"(?:创建|蝉联|荣获|获评|被评为|评为|被授予|授予|被命名为|命名为|获得|荣膺|摘得|夺得|捧得|喜获|斩获|获)")
TITLE_WORD_RE = re.compile(r"(?:荣誉称号|等荣誉称号|称号|荣誉|殊荣)")
LIST_SPLIT_RE = re.compile(r"(?:和|及|以及|、)")
_DIGIT = re.compile(r"[0-9０-９]")


def _trigger_phrase_ends(text: str) -> list[tuple[int, int, str]]:
    """Ends of honours named after an award trigger without a known head
    (被评为全国文明城区; 授予…荣誉称号): before 称号, a list joiner or the next stop."""
    out = []
    for m in AWARD_TRIGGER_RE.finditer(text):
        i = m.end()
        if text[i : i + 1] == "奖":
            continue  # 获奖 is "won a prize", not 获 + a name
        limit = min(len(text), i + MAX_NAME)
        j = i
        while j < limit and text[j] not in STOP_CHARS:
            j += 1
        phrase = text[i:j]
        title = TITLE_WORD_RE.search(phrase)
        stop = i + title.start() if title else j
        ends = {stop}
        figure = _DIGIT.search(phrase)
        if figure and figure.start() > 0:
            ends.add(i + figure.start())  # 新创建全国文明城市13个: the count follows the name
        for split in LIST_SPLIT_RE.finditer(text, i, stop):
            ends.add(split.start())
        # the head position sits just before the end, so that starts after a list
        # joiner (获评全国文明城市、国家卫生城市) are reachable too
        out.extend((max(i, e - MIN_NAME), e, "AWARD") for e in ends if e - i >= MIN_NAME)
    return out


# At each offset, the longest trigger word that starts there (the alternatives longest
# first), behind a lookahead of their first characters so that most offsets are passed
# over at once; every other trigger starting there is a prefix of that one.
_LONGEST_TRIGGER = re.compile(
    "(?=[" + re.escape("".join(sorted({w[0] for w in TRIGGER_WORDS}))) + "])"
    "(?=(" + "|".join(map(re.escape, sorted(TRIGGER_WORDS, key=len, reverse=True))) + "))"
)
_TRIGGER_PREFIX_LENGTHS = {w: tuple(sorted({len(v) for v in TRIGGER_WORDS if w.startswith(v)})) for w in TRIGGER_WORDS}


def trigger_ends(text: str) -> set[int]:
    """The offsets where a trigger word ends: where a name may start after one."""
    return {m.start() + n for m in _LONGEST_TRIGGER.finditer(text) for n in _TRIGGER_PREFIX_LENGTHS[m.group(1)]}


def position_cue(text: str, start: int, limit: int, triggers: set[int] | None = None) -> str:
    """What stands just before a candidate start: the evidence that a name begins there.
    `triggers`: `trigger_ends(text)`, when the caller asks about many starts."""
    if start == limit:
        return "punct"
    if start in triggers if triggers is not None else any(text.endswith(t, 0, start) for t in TRIGGER_WORDS):
        return "trigger"
    # candidates start inside an opening quote (see `candidates`), so the quote is the
    # character before the start
    if text[start] in QUOTE_OPEN or (start > 0 and text[start - 1] in QUOTE_OPEN):
        return "quote"
    if EDITION_RE.match(text, start):
        return "edition"
    return "inner"


_AFTER_START_CODES = code_set(INNER_START_AFTER | set(QUOTE_OPEN))
_QUOTE_OPEN_CODES = code_set(QUOTE_OPEN)
_EDITION_STARTS = re.compile(f"(?=(?:{EDITION_RE.pattern}))")


def start_positions(text: str, triggers: set[int], points: np.ndarray | None = None) -> list[int]:
    """Every offset where `position_cue` finds a cue other than "inner", or that follows
    one of `INNER_START_AFTER` (the last stop before a head, the "punct" start, is added
    per head): the only starts `candidates` keeps, found once per text instead of
    testing each position before every head. `points`: `code_points(text)`."""
    if points is None:
        points = code_points(text)
    marks = [
        np.fromiter(triggers, dtype=np.int64, count=len(triggers)),
        np.flatnonzero(np.isin(points, _AFTER_START_CODES)) + 1,
        np.flatnonzero(np.isin(points, _QUOTE_OPEN_CODES)),
        np.fromiter((m.start() for m in _EDITION_STARTS.finditer(text)), dtype=np.int64),
    ]
    return np.unique(np.concatenate(marks)).tolist()


def candidates(text: str, *, all_starts: bool = False) -> list[Candidate]:
    """Plausible AWARD/EVENT spans. Each end comes from a head word (…奖, …大会, …节) or
    an award trigger phrase; starts are the cue positions (trigger, quote, edition,
    stop character) or, with `all_starts`, every position back to the last stop
    character that follows a cue or one of `INNER_START_AFTER`, for a trained chooser
    to rank."""
    ends = _head_ends(text) + _trigger_phrase_ends(text) + _quoted_spans(text)
    triggers = trigger_ends(text)
    points = code_points(text)
    starts = start_positions(text, triggers, points) if all_starts else []
    joints = [m.start() for m in QUOTED_LIST_JOINT.finditer(text)]
    out: dict[tuple[int, int, str], Candidate] = {}
    limits = left_limits(text, (head_start for head_start, _, _ in ends), points)
    for head_start, end, label in ends:
        if label == "AWARD" and CAMPAIGN_OBJECT_OF.match(text, end):
            continue
        limit = limits[head_start]
        # a span ending in 工程, 计划… is no name once it holds the whole ending
        shortest_not_name = min(
            (len(w) for w in _NOT_NAME_BY_LAST.get(text[end - 1 : end], ()) if text.endswith(w, 0, end)), default=MAX_NAME + 1
        )
        if all_starts:
            last = max(limit, end - MIN_NAME)
            positions = [limit] + starts[bisect.bisect_right(starts, limit) : bisect.bisect_right(starts, last)]
        else:
            positions = [limit] + [m.end() for m in TRIGGER_RE.finditer(text, limit, head_start)]
            positions += [m.start() for m in EDITION_RE.finditer(text, limit, head_start)]
            positions += [i for i in range(limit, head_start) if text[i] in QUOTE_OPEN]
        # the last list joint that ends before the head: a start at or before it spans it
        joint = bisect.bisect_right(joints, end - 3) - 1
        after_joint = joints[joint] + 1 if joint >= 0 else 0
        for start in positions:
            if start < after_joint:
                continue
            if start < end and text[start] in QUOTE_OPEN:
                # scoring trims quote marks, so a name may as well start inside its quote;
                # one candidate per trimmed span keeps the chooser from splitting its vote
                start += 1
            if start >= end or start > head_start:
                continue
            length = end - start
            if length < MIN_NAME or length > MAX_NAME or length >= shortest_not_name or text[start] in STOP_CHARS:
                continue
            if label == "AWARD" and text.endswith(GOAL_VERBS, 0, start):
                continue
            key = (start, end, label)
            if key in out:
                continue
            cue = position_cue(text, start, limit, triggers)
            # A start with no cue before it is a name's start only after a particle, a
            # preposition, the end of a verb or of another name; the other 90% of such
            # starts (mid-word) never are, and scoring them was most of the chooser's time.
            if cue == "inner" and text[start - 1] not in INNER_START_AFTER:
                continue
            out[key] = Candidate(start, end, label, cue)
    return sorted(out.values(), key=lambda c: (c.start, c.end))


CUE_PREFERENCE = {"quote": 0, "trigger": 1, "edition": 2, "punct": 3, "inner": 4}


def best_guess(text: str) -> list[Candidate]:
    """The rules-only matcher: for each head, the start with the strongest cue (the
    leftmost quote or edition marker, else the nearest trigger, else the last stop),
    then the longest non-overlapping names."""
    by_end: dict[tuple[int, str], list[Candidate]] = {}
    for c in candidates(text):
        if c.cue != "inner":
            by_end.setdefault((c.end, c.label), []).append(c)
    chosen = []
    for options in by_end.values():
        def rank(c: Candidate) -> tuple[int, int]:
            nearest_first = -c.start if c.cue == "trigger" else c.start
            return (CUE_PREFERENCE[c.cue], nearest_first)

        chosen.append(min(options, key=rank))
    chosen = select_non_overlapping(sorted(chosen, key=lambda c: (-(c.end - c.start), c.start)))
    return with_titles(split_prizes(text, chosen), quoted_titles(text))


def select_non_overlapping(ranked: list[Candidate]) -> list[Candidate]:
    """Greedy: keep each candidate in order unless it overlaps one already kept."""
    kept: list[Candidate] = []
    taken = OccupiedRanges()
    for c in ranked:
        if not taken.overlaps(c.start, c.end):
            kept.append(c)
            taken.add(c.start, c.end)
    return sorted(kept, key=lambda c: c.start)
