"""Numbers in report text: parse them, find them, give them values (ANNOTATION.md §2).

Three layers, each usable on its own:

- `parse_number("十万零一千") == 101000.0`: one number, Arabic, Chinese, or mixed (`3.6万`).
- `parse_numeric_entity("3.6 万余人次", "PEOPLE_COUNT")`: the value of an entity span in
  the contract's units, with approx, range, unit and currency.
- `find_numeric_spans(text)`: the rule matcher over a whole document. It returns where the
  MONEY / PEOPLE_COUNT / PERCENT / QUANTITY entities are, with their values.

The word lists the matcher uses (classifiers, money units, context words, stop-lists) are
data, in `DEFAULT_PATTERNS`. The spaCy registry exposes them from the component module, so
this module never imports spaCy. Offsets always point into the text as given, because
normalisation here maps one character to one character.

We parse Chinese numerals ourselves rather than with cn2an; docs/numbers.md lists the cases
that decided it.
"""

from __future__ import annotations

import functools

import re
from dataclasses import dataclass, replace
from decimal import Decimal
from enum import Enum
from functools import lru_cache

from ..errors import NumberParseError

MONEY, PEOPLE_COUNT, PERCENT, QUANTITY = "MONEY", "PEOPLE_COUNT", "PERCENT", "QUANTITY"
NUMERIC_LABELS = (MONEY, PEOPLE_COUNT, PERCENT, QUANTITY)

# --------------------------------------------------------------------------- characters

# One character to one character, so an offset into the folded text is an offset into the
# original. Full-width digits come from Word and PDF; ○ and Ｏ stand in for 〇 in dates.
_FOLD = str.maketrans(
    {
        **{chr(0xFF10 + i): str(i) for i in range(10)},
        "．": ".",
        "％": "%",
        "－": "-",
        "−": "-",
        "○": "〇",
        "Ｏ": "〇",
        "萬": "万",
        "億": "亿",
        "兩": "两",
        "貳": "贰",
        "參": "叁",
        "陸": "陆",
        "點": "点",
    }
)
_FOLDABLE = re.compile("[" + re.escape("".join(map(chr, _FOLD))) + "]")

CN_DIGITS = {
    "零": 0, "〇": 0, "一": 1, "壹": 1, "幺": 1, "二": 2, "贰": 2, "两": 2, "三": 3, "叁": 3,
    "四": 4, "肆": 4, "五": 5, "伍": 5, "六": 6, "陆": 6, "七": 7, "柒": 7, "八": 8, "捌": 8,
    "九": 9, "玖": 9,
}
CN_SMALL_UNITS = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
CN_BIG_UNITS = {"万": 10**4, "亿": 10**8}

_DIGIT_CHARS = "".join(c for c in CN_DIGITS if c != "幺")  # 幺 is a phone-number reading only
_NUMERAL_CHARS = _DIGIT_CHARS + "".join(CN_SMALL_UNITS) + "".join(CN_BIG_UNITS)
_HSPACE = "[ \t\u3000\u00a0]"


def fold(text: str) -> str:
    """Full-width digits and signs to ASCII, traditional numeral forms to simplified (same length)."""
    # str.translate maps every character of CJK text through the dict; only a few need it
    return _FOLDABLE.sub(_fold_match, text) if _FOLDABLE.search(text) else text


def _fold_match(match: re.Match[str]) -> str:
    return match.group().translate(_FOLD)


# --------------------------------------------------------------------------- parse_number

# Thousands separators only where they group by three, so 12,5 stays an error, not 125.
_GROUPED = re.compile(r"(?<![\d,])\d{1,3}(?:,\d{3})+(?![\d,])")
_ARABIC = re.compile(r"\d+(?:\.\d+)?")
_TOKEN = re.compile(
    rf"(?P<arabic>\d+(?:\.\d+)?)|(?P<fraction>点[{_DIGIT_CHARS}]+)|(?P<zero>[零〇])"
    rf"|(?P<digit>[{_DIGIT_CHARS}幺])|(?P<small>[十拾百佰千仟])|(?P<big>[万亿])"
)


def _squeeze(text: str) -> str:
    """Fold, drop whitespace (PDF extraction puts spaces inside numbers) and valid separators."""
    s = "".join(fold(text).split())
    if "," in s:
        s = _ungroup(s)
        if "," in s:
            raise NumberParseError("thousands separators must group digits by three", value=text)
    return s


def _ungroup(s: str) -> str:
    """1,033.89 → 1033.89: separators removed where they group by three."""
    return _GROUPED.sub(lambda m: m.group().replace(",", ""), s)


def parse_decimal(text: str) -> Decimal:
    """`parse_number` without the float: exact, so 1033.89万 is exactly 10338900."""
    return _squeezed_decimal(_squeeze(text), text)


def _squeezed_decimal(s: str, text: str) -> Decimal:
    """`parse_decimal` of `text` once `_squeeze`d to `s` (the parts of an entity span are)."""
    negative = s[:1] in ("-", "负")
    if negative:
        s = s[1:]
    if not s:
        raise NumberParseError("not a number", value=text)
    value = Decimal(s) if _ARABIC.fullmatch(s) else _parse_numeral(_tokens(s, text), text)
    return -value if negative else value


def parse_number(text: str) -> float:
    """The number written in `text`: 1,033.89 / １２３ / 1 033.89 / 十三 / 两千 / 十万零一千 /
    壹佰贰拾叁 / 三点五 / 3.6万 / 1.2亿 / 二〇二三. Raises NumberParseError otherwise.

    Ranges (两三, 10-15) are not one number: `parse_numeric_entity` reads those."""
    return float(parse_decimal(text))


def _tokens(s: str, original: str) -> list[tuple[str, str]]:
    tokens = []
    pos = 0
    while pos < len(s):
        m = _TOKEN.match(s, pos)
        if m is None:
            raise NumberParseError("not a number", value=original)
        tokens.append((m.lastgroup or "", m.group()))
        pos = m.end()
    return tokens


def _parse_numeral(tokens: list[tuple[str, str]], original: str) -> Decimal:
    def fail(why: str) -> NumberParseError:
        return NumberParseError(f"not a well-formed number ({why})", value=original)

    # 二〇二三 and 一九九八 are read digit by digit. Two digits (三四) are a range, not this.
    kinds = {kind for kind, _ in tokens}
    if kinds <= {"digit", "zero"} and len(tokens) >= 3:
        if any(ch == "两" for _, ch in tokens):
            raise fail("两 is never read digit by digit")
        return Decimal("".join(str(CN_DIGITS[ch]) for _, ch in tokens))

    total = Decimal(0)  # finished 亿 groups
    wan = Decimal(0)  # the finished 万 group under them
    section = Decimal(0)  # below 万
    pending: Decimal | None = None  # a digit waiting for its unit
    pending_is_cn_digit = False
    last_small = 10**4  # 千 > 百 > 十 inside a section
    last_unit = 1
    after_zero = False
    has_fraction = False
    for i, (kind, ch) in enumerate(tokens):
        if kind in ("arabic", "digit"):
            if pending is not None or has_fraction:
                raise fail("two digits in a row")
            pending = Decimal(ch) if kind == "arabic" else Decimal(CN_DIGITS[ch])
            pending_is_cn_digit = kind == "digit"
        elif kind == "zero":
            if i == 0:
                pending, pending_is_cn_digit = Decimal(0), False
            elif pending is not None:
                raise fail("零 after a digit")
            else:
                after_zero = True
        elif kind == "fraction":
            if has_fraction or i == 0:
                raise fail("a decimal point needs a whole part before it")
            digits = "".join(str(CN_DIGITS[c]) for c in ch[1:])
            pending = (pending or Decimal(0)) + Decimal("0." + digits)
            has_fraction, pending_is_cn_digit = True, False
        elif kind == "small":
            unit = CN_SMALL_UNITS[ch]
            if has_fraction or unit >= last_small:
                raise fail(f"{ch} out of order")
            section += (pending if pending is not None else 1) * unit
            pending, last_small, last_unit, after_zero = None, unit, unit, False
        else:  # 万 or 亿
            group = section + (pending or 0)
            if ch == "亿":
                group += wan
            if group == 0 and pending is None:  # an explicit 0 (0万元) is a number
                if i != 0:
                    raise fail(f"{ch} with nothing to multiply")
                group = Decimal(1)  # a bare 万 or 亿, as in 万余人
            if ch == "万":
                if wan:
                    raise fail("two 万 groups")
                wan = group * CN_BIG_UNITS[ch]
            else:
                if total:
                    raise fail("two 亿 groups")
                total, wan = group * CN_BIG_UNITS[ch], Decimal(0)
            section, pending, last_small, last_unit = Decimal(0), None, 10**4, CN_BIG_UNITS[ch]
            after_zero = has_fraction = False
    if after_zero and pending is None:
        raise fail("a trailing 零")
    if pending is not None and pending_is_cn_digit and not after_zero and last_unit >= 100:
        # 三千五 is 3500 and 一万一 is 11000: a last digit takes the rank below the last unit.
        pending *= last_unit // 10
    return total + wan + section + (pending or 0)


# --------------------------------------------------------------------------- format_number


class NumberStyle(str, Enum):
    arabic = "arabic"  # 1033.89
    grouped = "grouped"  # 1,033.89
    spaced = "spaced"  # 1 033.89, as PDF extraction leaves it
    fullwidth = "fullwidth"  # １０３３．８９
    chinese = "chinese"  # 一千零三十三点八九
    capital = "capital"  # 壹仟零叁拾叁点捌玖
    mixed = "mixed"  # 10.3389万: Arabic digits with 万 / 亿


_CN_FORMAT_DIGITS = "零一二三四五六七八九"
_CAPITALS = str.maketrans("一二三四五六七八九十百千", "壹贰叁肆伍陆柒捌玖拾佰仟")


def _cn_section(n: int) -> str:
    out, zero = "", False
    for size, unit in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        d, n = divmod(n, size)
        if d:
            out += ("零" if zero else "") + _CN_FORMAT_DIGITS[d] + unit
            zero = False
        elif out:
            zero = True
    return out


def _cn_integer(n: int) -> str:
    if n < 10**4:
        return _cn_section(n) or "零"
    size, unit = (10**8, "亿") if n >= 10**8 else (10**4, "万")
    high, low = divmod(n, size)
    text = _cn_integer(high) + unit
    if low:
        text += ("零" if low < size // 10 else "") + _cn_integer(low)
    return text


def format_number(n: int | Decimal, style: NumberStyle | str = NumberStyle.arabic) -> str:
    """`n` written in a style found in reports; `parse_number` reads every one of them back."""
    style = NumberStyle(style)
    d = Decimal(n)
    if d < 0:
        raise ValueError("format_number writes non-negative numbers only")
    plain = format(d, "f")
    whole, _, frac = plain.partition(".")
    if style is NumberStyle.arabic:
        return plain
    if style in (NumberStyle.grouped, NumberStyle.spaced):
        sep = "," if style is NumberStyle.grouped else " "
        return f"{int(whole):,}".replace(",", sep) + (f".{frac}" if frac else "")
    if style is NumberStyle.fullwidth:
        return plain.translate(str.maketrans("0123456789.", "０１２３４５６７８９．"))
    if style in (NumberStyle.chinese, NumberStyle.capital) and d >= 10**16:
        raise ValueError("Chinese numerals in reports stop at 万亿: write numbers from 10**16 in Arabic")
    if style is NumberStyle.mixed:
        for size, unit in ((Decimal(10**8), "亿"), (Decimal(10**4), "万")):
            if d >= size:
                return format((d / size).normalize(), "f") + unit
        return plain
    text = _cn_integer(int(whole))
    if text.startswith("一十"):
        text = text[1:]  # 十三, not 一十三
    if frac:
        text += "点" + "".join(_CN_FORMAT_DIGITS[int(c)] for c in frac)
    return text.translate(_CAPITALS) if style is NumberStyle.capital else text


# --------------------------------------------------------------------------- values


@dataclass(frozen=True)
class NumericValue:
    """The normalised value of a numeric entity (the contract's units)."""

    value: float  # yuan for MONEY, a fraction for PERCENT, a count otherwise
    value_max: float | None = None  # upper bound of a range (10-15人)
    approx: bool = False
    unit: str | None = None  # as written, without 余/多 and spaces: 万元, 人次, %, 个
    currency: str | None = None  # ISO code for MONEY: CNY unless another currency is named


@dataclass(frozen=True)
class NumericMatch:
    start: int
    end: int
    label: str
    value: NumericValue


def _words(spaced: str) -> tuple[str, ...]:
    return tuple(spaced.split())


def _vetoes(table: dict[str, str]) -> tuple[tuple[str, tuple[str, ...]], ...]:
    return tuple((classifier, _words(followers)) for classifier, followers in table.items())


@dataclass(frozen=True)
class NumericPatterns:
    """Everything the matcher knows about units and contexts, as data.

    Every field is a tuple so that a NumericPatterns can be hashed and its compiled
    regexes cached. Edit a copy with `dataclasses.replace`."""

    currencies: tuple[tuple[str, str], ...]  # money unit word → ISO code
    people_classifiers: tuple[str, ...]
    quantity_classifiers: tuple[str, ...]
    # words that start with a classifier: after a number they are no count (5部门, 3人民, 3个月).
    # Only words that no count can run into: 15家乡镇 is 15家 + 乡镇, so 家乡 is not here.
    classifier_vetoes: tuple[tuple[str, tuple[str, ...]], ...]
    # units of measure and time: a bare 万/亿 number before them is no entity (7万吨)
    measure_units: tuple[str, ...]
    # context that turns a bare 万/亿 number into an entity (5000万 is MONEY after 投入)
    money_context: tuple[str, ...]
    money_after: tuple[str, ...]
    people_context: tuple[str, ...]
    people_after: tuple[str, ...]
    count_context: tuple[str, ...]
    approx_before: tuple[str, ...]
    approx_after: tuple[str, ...]
    not_approx_before: tuple[str, ...]  # words that end in a cue but are no cue (节约, 最近)
    ordinal_before: tuple[str, ...]
    vague_before: tuple[str, ...]  # before 十/百/千/万 (数十位, 几百人): no number is meant
    # (word, classifier): word + number + classifier names a place in an order, not a count:
    # 前10名 (a rank), 村六组 (an address)
    name_contexts: tuple[tuple[str, str], ...]
    per_before: tuple[str, ...]  # 每10万人 is a rate's denominator
    # 一 + classifier is an article (一个重要举措) unless one of these comes right before
    one_counts_after: tuple[str, ...]
    # N届/N次 followed by these (within a clause) is part of a meeting's name: 十四届…二次会议
    ordinal_followers: tuple[str, ...]
    ordinal_classifiers: tuple[str, ...]
    slogans: tuple[str, ...]  # political formulas that contain a count but mean none
    money_context_window: int = 10  # characters before a bare number searched for context


DEFAULT_PATTERNS = NumericPatterns(
    currencies=(
        ("元人民币", "CNY"), ("人民币", "CNY"), ("元", "CNY"), ("美元", "USD"), ("美金", "USD"),
        ("欧元", "EUR"), ("日元", "JPY"), ("英镑", "GBP"), ("港元", "HKD"), ("港币", "HKD"),
        ("澳元", "AUD"), ("韩元", "KRW"), ("卢布", "RUB"),
    ),
    people_classifiers=_words("人 名 位 人次"),
    quantity_classifiers=_words(
        "个 件 场 项 次 首 幅 期 所 家 条 台 套 篇 部 批 户 座 处 支 本 册 辆 张 间 份 类 届 宗 起 笔 "
        "枚 轮 种 栋 块 门 口 株 头 只 卷 页 路 站 组 列 副 对 剂 眼 棵 匹 艘 架 根 片 盏 面 节 堂 集 款 单 群 管 例 "
        "大类 场次 批次 台次 车次 架次 班次 户次 家次 件次 项次 个次 篇次 册次 卷次 剂次 期次 课次 "
        "画幅 台套"
    ),
    classifier_vetoes=_vetoes(
        {
            "个": "个百分点 个基点 个工作日 个月 个小时 个星期 个季度 个学时 个课时 个自然日 个交易日 个世纪 个钟头 个年头 个学期 个年度 个财年",
            "人": "人民 人大 人文 人事 人社 人防 人居 人身 人格 人生 人选 人力 人口 人气 人际 人类 人间 人寿",
            "名": "名单 名称 名次 名额 名誉 名义 名录 名片 名字 名目",
            "位": "位于 位置 位列 位居 位次 位数 位一体",
            "次": "次日 次年 次月 次性 次方 次要 次生 次序",
            "届": "届时 届满",
            "家": "家庭 家长 家属 家风 家族 家访 家门 家教 家务",
            "户": "户籍 户口 户外 户型 户主",
            "场": "场馆 场所 场景 场域 场合 场镇 场站",
            "条": "条例 条件 条款 条线 条块 条形",
            "台": "台账 台阶 台风 台湾 台词 台上 台下 台区",
            "部": "部门 部署 部分 部委 部长 部位 部队 部属 部件",
            "处": "处理 处置 处室 处级 处分 处罚 处长 处于 处在 处境",
            "支": "支出 支持 支付 支撑 支部 支柱 支农 支行",
            "本": "本级 本年 本单位 本部 本次 本身 本期 本市 本区 本县 本项 本着 本职",
            "类": "类似 类型 类别",
            "间": "间接 间隔 间距 间歇",
            "份": "份额",
            "座": "座谈 座位 座次 座席",
            "期": "期间 期限 期末 期初 期满 期望 期待 期货 期内 期工程 期项目",
            "批": "批准 批复 批示 批评 批量 批发",
            "篇": "篇章 篇幅",
            "张": "张贴",
            "套": "套餐 套用 套取 套路",
            "起": "起草 起步 起点 起止 起来 起到 起始 起算 起航 起源",
            "组": "组织 组长 组建 组成 组合 组团 组委 组别 组件",
            "列": "列入 列支 列为 列出 列举 列席",
            "对": "对接 对象 对标 对照 对比 对口 对外 对于 对策 对话 对应 对此",
            "只": "只有 只是 只能 只要 只需",
            "门": "门户 门诊 门类 门槛 门口 门店 门票 门面",
            "口": "口径 口岸 口号 口腔 口碑",
            "头": "头部 头条 头雁",
            "路": "路径 路线 路段 路面 路灯 路网 路口",
            "站": "站位 站长 站稳",
            "面": "面积 面向 面临 面貌 面上 面对",
            "节": "节约 节能 节点 节日 节庆 节水 节余",
            "集": "集中 集团 集体 集聚 集成 集约 集镇 集市 集资",
            "款": "款项 款式",
            "根": "根据 根本 根源",
            "片": "片区 片长",
            "轮": "轮换 轮岗",
            "笔": "笔记",
            "例": "例如 例外 例会 例行",
            "单": "单位 单独 单项 单一 单元 单据 单列 单笔 单次 单体 单品 单价 单个 单纯 单向 单方 单户",
            "群": "群众 群体 群团 群落 群岛 群星 群英",
            "管": "管理 管控 管护 管网 管道 管线 管径 管辖 管家 管用 管好 管住",
            "所": "所属 所有 所在 所得 所需 所谓 所长 所用 所获 所示 所列 所述 所提",
            "元": "元旦 元素 元宵 元首 元结构 元化 元论 元体制",
            "%": "%人口抽样",
        }
    ),
    measure_units=_words(
        "平方米 平方公里 平方千米 平米 立方米 方 公里 千米 米 厘米 毫米 公顷 亩 吨 千克 公斤 克 斤 升 "
        "毫升 千瓦 千瓦时 度 瓦 兆瓦 伏 小时 分钟 秒 天 日 周 月 年 岁 学时 课时 工作日 分 倍 级 标准箱 "
        "标箱 字 里 kW km kg"
    ),
    money_context=_words(
        "资金 经费 投入 投资 预算 收入 支出 拨付 拨款 补助 补贴 奖励 奖金 资助 金额 费用 筹资 融资 贷款 "
        "营收 营业额 销售额 产值 税收 利润 成本 结余 结转 捐赠 捐款 募集 财政 赤字 债券 国债 外资 "
        "交易额 成交额 收益 欠薪 资产"
    ),
    money_after=_words("资金 经费 的资金 的经费 的投资 的预算"),
    people_context=_words("人口 人数 群众 居民 游客 观众 劳动力 用户 会员 粉丝"),
    people_after=_words("人口 群众 居民 农民 游客 观众"),
    count_context=_words(
        "浏览量 点击量 播放量 阅读量 访问量 观看量 下载量 转发量 点赞量 曝光量 浏览次数 访问次数 "
        "点击次数 播放次数 阅读数 点击数 浏览数 访问数"
    ),
    approx_before=_words(
        "约 大约 近 将近 接近 几近 超过 超 逾 突破 大于 小于 多于 少于 高于 低于 不少于 不低于 不超过 "
        "不高于 不大于 不小于 不足 不到 至少 最少 最多 至多"
    ),
    approx_after=_words("余 多 左右 以上 以下 以内 上下 开外 出头 有余"),
    not_approx_before=_words(
        "附近 最近 邻近 就近 远近 临近 亲近 贴近 节约 制约 签约 履约 违约 预约 合约 邀约 特约 集约 "
        "公约 条约 简约 相约 契约 赶超"
    ),
    ordinal_before=_words("第"),
    vague_before=_words("数 几 若 好"),
    name_contexts=(("前", "名"), ("后", "名"), ("前", "位"), ("后", "位"), ("村", "组"), ("社区", "组")),
    per_before=_words("每"),
    one_counts_after=_words(
        "下属 下设 设有 内设 共有 拥有 包括 包含 辖 共 共计 合计 新增 增加 减少 仅有 只有 仅 只"
    ),
    ordinal_followers=_words(
        "全会 会议 全体会议 代表大会 人大 政协 党代会 全委会 常委会 委员会 中央 省委 市委 区委 县委"
    ),
    ordinal_classifiers=_words("届 次"),
    slogans=_words(
        "四个意识 四个自信 两个维护 两个确立 四个全面 三个代表 两个毫不动摇 八项规定 两个一百年 "
        "一个中心 两个基本点 三个务必 两个大局 两个结合 三个区分开来 五个必由之路 十个明确 "
        "十四个坚持 四个伟大 四个不摘 两个责任 三个一批 五个一 一个都不能少 一个也不能少 一个不少"
    ),
)


# --------------------------------------------------------------------------- parse_numeric_entity

_CN_CLASS = f"[{_NUMERAL_CHARS}]+(?:点[{_DIGIT_CHARS}]+)?"
_MAG = "(?:[百千]?万亿?|[百千]?亿)"
# Inside an entity every space is gone, so numbers are simple here.
_ENTITY_NUMBER = rf"(?:\d+(?:\.\d+)?[百千万亿]*|{_CN_CLASS})"
_RANGE_SEPARATORS = "-—–~～〜至到"
_SEP = f"[{re.escape(_RANGE_SEPARATORS)}]"
_ENTITY = re.compile(
    rf"(?P<pct>百分之)?(?P<lo>{_ENTITY_NUMBER})(?P<lo_approx>[余多])?(?P<lo_mag>{_MAG})?"
    rf"(?:(?P<lo_unit>[^\d{_NUMERAL_CHARS}{re.escape(_RANGE_SEPARATORS)}]*?)(?P<sep>{_SEP})"
    rf"(?P<hi>{_ENTITY_NUMBER})(?P<hi_approx>[余多])?(?P<hi_mag>{_MAG})?)?"
)
# 两三个, 七八十人, 一两百, 十七八个: two neighbouring digits are a range.
_DIGIT_PAIR = re.compile(r"(?P<ten>十)?(?P<a>[一两二三四五六七八九])(?P<b>[两二三四五六七八九])(?P<tail>[十百千万亿]*)")
_PAIRS = {("一", "二"), ("一", "两"), ("两", "三"), ("二", "三"), ("三", "四"), ("四", "五"), ("五", "六"),
          ("六", "七"), ("七", "八"), ("八", "九"), ("三", "五")}
_MAGNITUDE_SUFFIX = re.compile(r"[百千万亿]*$")
_CN_MAGNITUDE_SUFFIX = re.compile(r"[万亿]*$")


def _number_range(text: str) -> tuple[Decimal, Decimal | None]:
    """A number, or the (low, high) of a Chinese digit pair like 两三 or 七八十."""
    m = _DIGIT_PAIR.fullmatch(text)
    if m and (m["a"], m["b"]) in _PAIRS:
        ten = m["ten"] or ""
        low, high = ten + m["a"] + m["tail"], ten + m["b"] + m["tail"]
        return _squeezed_decimal(low, low), _squeezed_decimal(high, high)
    return _squeezed_decimal(text, text), None


def _magnitude(text: str) -> Decimal:
    """The scale of the big units that end a number: 5万 → 10000, 1.2万亿 → 10**12."""
    suffix = (_MAGNITUDE_SUFFIX if text[:1].isdigit() else _CN_MAGNITUDE_SUFFIX).search(text).group()
    return _squeezed_decimal(suffix, suffix) if suffix else Decimal(1)


def _unit_prefix(text: str) -> str:
    """The magnitude characters that belong to the unit as written (万 of 3.6万元)."""
    pattern = _MAGNITUDE_SUFFIX if text[:1].isdigit() else _CN_MAGNITUDE_SUFFIX
    return pattern.search(text).group()


@lru_cache(maxsize=64)
def _longest_first(items: tuple) -> tuple:
    """Words, or (word, value) pairs, the longest word first."""
    return tuple(sorted(items, key=lambda item: len(item if isinstance(item, str) else item[0]), reverse=True))


# Cue-word tests run for every number in a report, each over tens of cue words: one
# compiled alternation (longest first) per word list does it in C. `.search` of a
# suffix pattern finds the longest cue the text ends with; `.match` of a prefix
# pattern the longest it starts with.
@lru_cache(maxsize=128)
def _suffix_re(words: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile(f"(?:{_alternation(words)})\\Z") if words else _NEVER


@lru_cache(maxsize=128)
def _prefix_re(words: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile(f"(?:{_alternation(words)})") if words else _NEVER


_NEVER = re.compile(r"(?!)")


def _ends_with_any(text: str, words: tuple[str, ...]) -> bool:
    return _suffix_re(words).search(text) is not None


def _strip_cues(s: str, patterns: NumericPatterns) -> tuple[str, bool]:
    """Cue words written inside a span (约500人, 10人以上): removed, and approx noted."""
    approx = False
    # the loops only run when some cue is there (rarely): the patterns say so in C
    if _prefix_re(patterns.approx_before).match(s):
        for cue in _longest_first(patterns.approx_before):
            if s.startswith(cue) and len(s) > len(cue) and not s[len(cue)].isspace():
                s, approx = s[len(cue) :], True
                break
    if _ends_with_any(s, patterns.approx_after):
        for cue in _longest_first(patterns.approx_after):
            if s.endswith(cue) and len(cue) > 1 and len(s) > len(cue):
                s, approx = s[: -len(cue)], True
                break
    return s, approx


def approx_cue_before(before: str, patterns: NumericPatterns = DEFAULT_PATTERNS) -> bool:
    """Whether the text just before a number ends in an approx cue (约, 超过了, 近 but not 最近)."""
    b = before.rstrip()
    if b.endswith("了"):
        b = b[:-1].rstrip()
    cue = _suffix_re(patterns.approx_before).search(b)
    if cue is None:
        return False
    longer = _suffix_re(patterns.not_approx_before).search(b)  # the longest such word
    return longer is None or len(longer.group()) <= len(cue.group())


def approx_cue_after(after: str, patterns: NumericPatterns = DEFAULT_PATTERNS) -> bool:
    a = after.lstrip()
    return _prefix_re(_multi_character(patterns.approx_after)).match(a) is not None


@lru_cache(maxsize=64)
def _multi_character(words: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(w for w in words if len(w) > 1)


def _currency(unit: str, patterns: NumericPatterns) -> str:
    for word, code in _longest_first(patterns.currencies):
        if word in unit:
            return code
    return "CNY"


def parse_numeric_entity(
    span_text: str,
    label: str,
    *,
    before: str = "",
    after: str = "",
    patterns: NumericPatterns = DEFAULT_PATTERNS,
) -> NumericValue:
    """The value of a numeric entity span, in the contract's units.

    `before` and `after` are a few characters of context: 约/超过… just before the span and
    左右/以上… just after it make the value approx, as 余/多 inside it do."""
    if label not in NUMERIC_LABELS:
        raise NumberParseError("not a numeric label", value=label, options=NUMERIC_LABELS)
    s = "".join(fold(span_text).split())
    if "," in s:
        s = _ungroup(s)
    s, approx = _strip_cues(s, patterns)
    m = _ENTITY.match(s)
    if m is None:
        raise NumberParseError(f"no number in this {label} span", value=span_text)
    unit = s[m.end() :]
    if unit.startswith("‰"):
        # ANNOTATION.md defines PERCENT by % and 百分之 only (docs/decisions.md); reading
        # 0.9‰ as 0.9% would be a value ten times too large
        raise NumberParseError("per-mille (‰) is not an annotated entity", value=span_text)
    lo_text = m["lo"] + (m["lo_mag"] or "")
    low, high = _number_range(lo_text)
    approx = approx or bool(m["lo_approx"] or m["hi_approx"])
    number_text = lo_text
    if m["hi"] is not None:
        if high is not None:
            raise NumberParseError("a range of ranges", value=span_text)
        if m["lo_unit"] and (m["lo_unit"] != unit or m["sep"] in "至到"):
            # 15家到38家 is a change from one amount to another: two entities, not a range
            raise NumberParseError("not one range: two amounts with their own units", value=span_text)
        hi_text = m["hi"] + (m["hi_mag"] or "")
        high = _squeezed_decimal(hi_text, hi_text)
        scale = _magnitude(hi_text)
        if _magnitude(lo_text) == 1 and low * scale <= high:
            low *= scale  # 3-5万元: the 万 counts for both ends
        number_text = hi_text
    if high is not None and high <= low:
        raise NumberParseError("a range must go up", value=span_text)
    percent = bool(m["pct"]) or unit.startswith("%") or label == PERCENT
    if percent:
        low, high = low / 100, (high / 100 if high is not None else None)
        unit = "%"
    elif m["pct"] is None:
        unit = _unit_prefix(number_text) + unit
    return NumericValue(
        value=float(low),
        value_max=float(high) if high is not None else None,
        approx=approx or approx_cue_before(before, patterns) or approx_cue_after(after, patterns),
        unit=unit or None,
        currency=_currency(unit, patterns) if label == MONEY else None,
    )


# --------------------------------------------------------------------------- the matcher


@dataclass(frozen=True)
class _Rules:
    number: re.Pattern[str]
    unit: re.Pattern[str]
    range_tail: re.Pattern[str]
    unit_label: dict[str, str]
    vetoes: dict[str, re.Pattern[str]]
    measure_after: re.Pattern[str]
    slogans: re.Pattern[str] | None
    patterns: NumericPatterns


def _alternation(words: tuple[str, ...] | list[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))


_ARABIC_IN_TEXT = r"(?:\d{1,3}(?:,\d{3})+(?!\d)|\d{1,3}(?: \d{3})+(?!\d)|\d+)(?:\.\d+)?"
# 千 before 瓦/米/克 is a unit of measure (千瓦), not a thousand; 百 before 分 is 百分点.
_ARABIC_MAGNITUDE = r"(?:[百千]?万亿?|[百千]?亿|千(?![瓦米克伏帕])|百(?!分))"


def _number_regex(prefix: str) -> str:
    """One number as written in running text: 1,033.89 / 3.6 万 / 4000余万 / 两千余 / 十三."""
    return (
        rf"(?:(?P<{prefix}ar>{_ARABIC_IN_TEXT})(?:{_HSPACE}{{0,2}}{_ARABIC_MAGNITUDE})?|(?P<{prefix}cn>{_CN_CLASS}))"
        rf"(?:{_HSPACE}{{0,2}}(?P<{prefix}inner>[余多]){_MAG}?)?"
    )


def _veto_regex(classifier: str, words: tuple[str, ...]) -> re.Pattern[str]:
    """Words that start with `classifier`, also when 多/半/余 sit inside (3个多月, 1个半小时) or
    a second number shares the word (提高3个和4个百分点)."""
    shared = rf"(?:{_HSPACE}?(?:[和与及或、]|至|到|-){_HSPACE}?[\d.{_NUMERAL_CHARS}]{{1,8}}{re.escape(classifier)})?"
    rests = _alternation(tuple(w[len(classifier) :] for w in words if w.startswith(classifier)))
    return re.compile(rf"{re.escape(classifier)}{shared}[多半余]?(?:{rests})")


@lru_cache(maxsize=8)
def _compile(patterns: NumericPatterns) -> _Rules:
    unit_label = {"%": PERCENT}
    unit_label.update({w: MONEY for w, _ in patterns.currencies})
    unit_label.update({w: QUANTITY for w in patterns.quantity_classifiers})
    unit_label.update({w: PEOPLE_COUNT for w in patterns.people_classifiers})
    gap = rf"{_HSPACE}{{0,3}}(?:\n{_HSPACE}{{0,3}})?"
    units = _alternation(list(unit_label))
    slogans = re.compile(_alternation(patterns.slogans)) if patterns.slogans else None
    return _Rules(
        # a number starts with a digit or a numeral (百 of 百分之 is one): the lookahead
        # passes over other characters with one test (2.4x quicker to scan a report)
        number=re.compile(rf"(?=[\d{_NUMERAL_CHARS}])(?P<pct>百分之)?{_number_regex('')}"),
        unit=re.compile(rf"{gap}(?P<unit>{units})"),
        range_tail=re.compile(rf"{_HSPACE}?(?P<sep>{_SEP}){_HSPACE}?(?P<hi>{_number_regex('hi_')})"),
        unit_label=unit_label,
        vetoes={c: _veto_regex(c, words) for c, words in patterns.classifier_vetoes},
        measure_after=re.compile(rf"{_HSPACE}*[多余]?(?:{_alternation(patterns.measure_units)})"),
        slogans=slogans,
        patterns=patterns,
    )


_CLAUSE_END = re.compile(r"[。；！？;!?\n]")
_OPEN_QUOTES = "“‘「『\""
_CLOSE_QUOTES = "”’」』\""


def _context_before(norm: str, start: int, width: int) -> str:
    """Up to `width` characters before `start`, cut at the last clause end."""
    window = norm[max(0, start - width) : start]
    ends = list(_CLAUSE_END.finditer(window))
    return window[ends[-1].end() :] if ends else window


def _nearest(window: str, words: tuple[str, ...]) -> int:
    """How far from the end of `window` the nearest of `words` ends; -1 when absent."""
    best = -1
    for w in words:
        i = window.rfind(w)
        if i >= 0:
            distance = len(window) - (i + len(w))
            best = distance if best < 0 else min(best, distance)
    return best


def _bare_label(norm: str, start: int, end: int, rules: _Rules) -> str | None:
    """A number with 万/亿 and no unit is an entity only where the words around say what it
    counts: 总人口167万 (people), 浏览量超过138万 (a count), 投入5000万 (money)."""
    p = rules.patterns
    after = norm[end : end + 8]
    if rules.measure_after.match(after):
        return None
    tail = re.split(r"[，,。；;、：:（(\s]", after, maxsplit=1)[0]
    if any(w in tail[:6] for w in p.people_after):
        return PEOPLE_COUNT
    if any(tail.startswith(w) for w in p.money_after):
        return MONEY
    window = _context_before(norm, start, p.money_context_window)
    contexts = ((PEOPLE_COUNT, p.people_context), (QUANTITY, p.count_context), (MONEY, p.money_context))
    found = [(distance, label) for label, words in contexts if (distance := _nearest(window, words)) >= 0]
    return min(found)[1] if found else None  # the nearest context word decides


def _clause_after(norm: str, end: int, width: int = 12) -> str:
    """Up to `width` characters after `end`, cut at a clause end or comma (not at 、, which
    lists: 十五届五中、六中全会)."""
    window = norm[end : end + width]
    m = re.search(r"[。；！？;!?\n，,]", window)
    return window[: m.start()] if m else window


@dataclass(frozen=True)
class _Candidate:
    start: int
    end: int
    label: str
    prefix_cue: bool  # approx because of a cue before it (spreads along a 、 list)


_BIG_UNIT = re.compile("[万亿]")


def _read_at(norm: str, m: re.Match[str], rules: _Rules) -> _Candidate | None:
    """Decide whether the number matched at `m` is an entity, and where it ends."""
    p = rules.patterns
    start = m.start()
    # The unit decides first: half the numbers in a report (years, dates, figures of
    # measure) have none and are dropped here, before the context checks.
    unit, number_end = _extent(norm, m, rules)
    label = _unit_label(norm, m, unit, rules)
    if label is None:
        unit = None
        if not _BIG_UNIT.search(norm, start, number_end):
            return None
    before = norm[max(0, start - 6) : start].rstrip(" \t\u3000\u00a0")
    if _refused_by_what_comes_before(m, before, p):
        return None
    if label is None:
        label = _bare_label(norm, start, number_end, rules)
        if label is None:
            return None
    end = unit.end() if unit is not None else number_end
    is_count = unit is not None and label in (PEOPLE_COUNT, QUANTITY)
    if is_count and _not_a_count(norm, m, start, end, unit["unit"], before, rules):
        return None
    if m["cn"] is not None and _quoted_slogan(norm, start, end):
        return None
    if label == QUANTITY and _ends_quoted_name(norm, start, end):
        return None
    return _Candidate(start, end, label, prefix_cue=approx_cue_before(before, p))


def _refused_by_what_comes_before(m: re.Match[str], before: str, p: NumericPatterns) -> bool:
    prev = before[-1:]
    if m["pct"] is not None:
        return False
    if m["ar"] is not None and prev.isascii() and (prev.isalnum() or prev in "._"):
        return True  # part of a code: PM2.5, G20, V3
    if prev and prev in _RANGE_SEPARATORS and re.search(rf"[\d{_NUMERAL_CHARS}]", before[-2:-1]):
        return True  # the far end of a range refused already (第1-3批)
    if _ends_with_any(before, p.ordinal_before) or _ends_with_any(before, p.per_before):
        return True  # 第八次, 每10万人
    cn = m["cn"]
    if cn is None:
        return False
    if cn[0] in "十百千万亿" and _ends_with_any(before, p.vague_before):
        return True  # 数十位, 几百人; but 人数七八十人 is a number
    if cn in _NOT_COUNTS:
        return True
    # 千家万户, 上百人, 百万: with no digit no count is meant, unless 余/多 or a cue says so
    has_digit = any(ch in _DIGIT_CHARS or ch == "十" for ch in cn)
    return not has_digit and not m["inner"] and not approx_cue_before(before, p)


def _extent(norm: str, m: re.Match[str], rules: _Rules) -> tuple[re.Match[str] | None, int]:
    """The unit after the number (or range) at `m`, and where the number itself ends."""
    if m["pct"] is not None:
        return None, m.end()  # 百分之五十 carries its unit in front
    u1 = rules.unit.match(norm, m.end())
    r = rules.range_tail.match(norm, u1.end() if u1 else m.end())
    if r is None:
        return u1, m.end()
    u2 = rules.unit.match(norm, r.end())
    # 10-15人 and 10%-15% are ranges; 15家到38家 is a change, two entities
    joined = u1 is None or (r["sep"] not in "至到" and u2 is not None and u2["unit"] == u1["unit"])
    if joined and _valid_range(norm[m.start() : u2.end() if u2 else r.end()]):
        return u2, r.end()
    return u1, m.end()


def _unit_label(norm: str, m: re.Match[str], unit: re.Match[str] | None, rules: _Rules) -> str | None:
    if m["pct"] is not None:
        return PERCENT
    if unit is None:
        return None
    veto = rules.vetoes.get(unit["unit"])
    if veto is not None and veto.match(norm, unit.start("unit")):
        return None  # 5部门, 3个月, 13亿人口: the classifier starts another word
    return rules.unit_label[unit["unit"]]


# Counting says 两期, 两次: a lone 二 before a classifier is an ordinal or a name (二期工程,
# 二次创业). A lone 零 or capital numeral is part of a word (零部件, 队伍组建).
_NOT_COUNTS = frozenset("二零〇壹贰叁肆伍陆柒捌玖拾佰仟")


def _valid_range(span: str) -> bool:
    try:
        value = parse_numeric_entity(span, QUANTITY)
    except NumberParseError:
        return False
    return value.value_max is not None


def _not_a_count(norm: str, m: re.Match[str], start: int, end: int, unit: str, before: str, rules: _Rules) -> bool:
    """Classifier matches that are ranks, ordinals in names, articles or section numbers."""
    p = rules.patterns
    if any(unit == c and before.endswith(w) for w, c in p.name_contexts):
        return True  # 前10名, 村六组
    if unit in p.ordinal_classifiers and any(w in _clause_after(norm, end) for w in p.ordinal_followers):
        if unit == "届" or "届" in _context_before(norm, start, 12):
            return True  # 十四届全国人大二次会议
    ar = m["ar"]
    if unit == "届" and ar is not None and len(ar) == 4 and 1900 <= int(ar) <= 2100:
        return True  # 2023届毕业生
    if ar is not None and "." in ar and not _BIG_UNIT.search(norm, start, end):
        return True  # a fractional count is a section number (2.1 项目概况), not 2.1 items
    if m["cn"] == "一" and not m["inner"] and norm[m.end() : m.end() + 1] not in _RANGE_SEPARATORS:
        # 一个 is an article (形成一个良好局面) unless the words before count (下属一个事业单位)
        return not _ends_with_any(before, p.one_counts_after)
    return False


def _quoted_slogan(norm: str, start: int, end: int) -> bool:
    """“四个意识”, “一件事”: a short quoted phrase that starts with a count is a slogan."""
    if start == 0 or norm[start - 1] not in _OPEN_QUOTES:
        return False
    rest = norm[end : end + 7]
    close = next((i for i, ch in enumerate(rest) if ch in _CLOSE_QUOTES), None)
    return close is not None and not re.search(r"[\d，。；、：,.;:]", rest[:close])


def _ends_quoted_name(norm: str, start: int, end: int) -> bool:
    """“人才20条”, “新十条”: a count that closes a short quoted phrase names a policy."""
    if norm[end : end + 1] not in _CLOSE_QUOTES or norm[end : end + 1] == '"':
        return False
    head = norm[max(0, start - 12) : start]
    opening = max(head.rfind(q) for q in _OPEN_QUOTES[:-1])
    return opening >= 0 and not re.search(r"[，。；：,;:]", head[opening:])


def find_numeric_spans(text: str, patterns: NumericPatterns = DEFAULT_PATTERNS) -> list[NumericMatch]:
    """Every MONEY / PEOPLE_COUNT / PERCENT / QUANTITY entity in `text` (see `_find_numeric_spans`).

    The tokenizer (for token boundaries) and the component (for entities) both ask for
    the same document's matches: a small cache makes the second ask free."""
    return list(_cached_find(text, patterns))


@functools.lru_cache(maxsize=4)
def _cached_find(text: str, patterns: NumericPatterns) -> tuple[NumericMatch, ...]:
    return tuple(_find_numeric_spans(text, patterns))


def _find_numeric_spans(text: str, patterns: NumericPatterns = DEFAULT_PATTERNS) -> list[NumericMatch]:
    """Every MONEY / PEOPLE_COUNT / PERCENT / QUANTITY entity in `text`, in order, without overlaps.

    Span bounds follow ANNOTATION.md §2: the number, 余/多 inside it and the unit; cue words
    before it (约, 超过) stay outside but make the value approx."""
    if not text:
        return []
    rules = _compile(patterns)
    norm = fold(text)
    blocked = [(s.start(), s.end()) for s in rules.slogans.finditer(norm)] if rules.slogans else []
    found: list[tuple[_Candidate, NumericValue]] = []
    pos = 0
    while (m := rules.number.search(norm, pos)) is not None:
        candidate = _read_at(norm, m, rules)
        if candidate is None or any(s < candidate.end and candidate.start < e for s, e in blocked):
            pos = max(m.end(), m.start() + 1)
            continue
        try:
            value = parse_numeric_entity(
                text[candidate.start : candidate.end],
                candidate.label,
                before=norm[max(0, candidate.start - 6) : candidate.start],
                after=norm[candidate.end : candidate.end + 4],
                patterns=patterns,
            )
        except NumberParseError:
            pos = max(m.end(), m.start() + 1)
            continue
        found.append((candidate, value))
        pos = candidate.end
    return _spread_cues(norm, found)


def _spread_cues(norm: str, found: list[tuple[_Candidate, NumericValue]]) -> list[NumericMatch]:
    """分别超过8万元、4.5万元: a cue before the first item of a 、 list covers every item."""
    out: list[NumericMatch] = []
    cued = False
    previous_end = -1
    for candidate, value in found:
        listed = previous_end >= 0 and norm[previous_end : candidate.start].strip() == "、"
        cued = candidate.prefix_cue or (cued and listed)
        if cued and not value.approx:
            value = replace(value, approx=True)
        out.append(NumericMatch(candidate.start, candidate.end, candidate.label, value))
        previous_end = candidate.end
    return out


def numeric_boundaries(text: str, patterns: NumericPatterns = DEFAULT_PATTERNS) -> list[int]:
    """The start and end offset of every numeric entity: the tokenizer makes them token boundaries."""
    return sorted({o for match in find_numeric_spans(text, patterns) for o in (match.start, match.end)})
