"""Compare number parsers on the forms our reports use: ours, cn2an, and jionlp if installed.

    .venv/bin/python -m training.compare_number_parsers            # markdown table
    .venv/bin/python -m training.compare_number_parsers --failures # only where a library is wrong

jionlp is not a dependency of jixiao; install it by hand (`pip install jionlp`) to include it.
The table in docs/numbers.md was made with this script.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import math
import sys
from collections.abc import Callable
from dataclasses import dataclass

from pipeline.errors import NumberParseError
from pipeline.text.numbers import parse_number, parse_numeric_entity


@dataclass(frozen=True)
class Case:
    text: str
    expected: tuple[float, ...]  # one value, or (low, high) for a range
    approx: bool = False
    note: str = ""


# What each form must mean for the contract (ANNOTATION.md §2): ranges are (low, high),
# 余/多 mean "low, approx" and never a range.
CASES = (
    Case("十三", (13,), note="leading 十"),
    Case("两千", (2000,), note="两 for 2"),
    Case("十万零一千", (101000,), note="零 across the 万 group"),
    Case("一千零一", (1001,)),
    Case("一亿零五百万", (105000000,)),
    Case("壹佰贰拾叁", (123,), note="capital numerals"),
    Case("三点五", (3.5,)),
    Case("二〇二三", (2023,), note="read digit by digit"),
    Case("三千五", (3500,), note="colloquial: 五 is 五百"),
    Case("一万一", (11000,), note="colloquial: 一 is 一千"),
    Case("两万三", (23000,), note="colloquial"),
    Case("3.6万", (36000,), note="Arabic with 万"),
    Case("1.2亿", (120000000,)),
    Case("1.2万亿", (1.2e12,)),
    Case("1033.89万", (10338900,)),
    Case("1,033.89", (1033.89,), note="thousands separator"),
    Case("1 033.89", (1033.89,), note="space from PDF extraction"),
    Case("１２３", (123,), note="full-width digits"),
    Case("0.125", (0.125,), note="more than two decimals"),
    Case("千", (1000,), note="bare 千, as in 千余幅"),
    Case("万", (10000,), note="bare 万, as in 万余人"),
    Case("千余", (1000,), approx=True, note="余 is approx, not a range"),
    Case("4000余万", (40000000,), approx=True, note="余 before 万"),
    Case("1亿多", (100000000,), approx=True),
    Case("两三", (2, 3), note="a range of neighbours"),
    Case("三四", (3, 4), note="a range, not 34"),
    Case("一两", (1, 2)),
    Case("五六十", (50, 60)),
    Case("三至五", (3, 5)),
    Case("10～15", (10, 15)),
    Case("3-5万", (30000, 50000), note="万 counts for both ends"),
)


def ours(text: str) -> tuple[tuple[float, ...], bool]:
    try:
        return (parse_number(text),), False
    except NumberParseError:
        v = parse_numeric_entity(text, "QUANTITY")
        return ((v.value,) if v.value_max is None else (v.value, v.value_max)), v.approx


def cn2an_reader(mode: str) -> Callable[[str], tuple[tuple[float, ...], bool]] | None:
    try:
        import cn2an
    except ImportError:
        return None

    def read(text: str) -> tuple[tuple[float, ...], bool]:
        return (float(cn2an.cn2an(text, mode)),), False

    return read


def jionlp_reader() -> Callable[[str], tuple[tuple[float, ...], bool]] | None:
    try:
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
            import jionlp
    except ImportError:
        return None

    def read(text: str) -> tuple[tuple[float, ...], bool]:
        # parse_money is jionlp's only number reader; it calls 余/多 "blur" and gives a range.
        result = jionlp.parse_money(text)
        num = result["num"]
        values = tuple(float(n) for n in num) if isinstance(num, list) else (float(num),)
        return values, result.get("definition") == "blur" and len(values) == 1

    return read


def verdict(case: Case, read: Callable[[str], tuple[tuple[float, ...], bool]]) -> tuple[bool, str]:
    try:
        values, approx = read(case.text)
    except Exception as err:  # every library has its own exceptions
        return False, f"error ({type(err).__name__})"
    shown = "–".join(f"{v:g}" for v in values) + (" ≈" if approx else "")
    right = len(values) == len(case.expected) and all(
        math.isclose(v, e, rel_tol=1e-9) for v, e in zip(values, case.expected)
    )
    return right and (approx == case.approx or len(values) > 1), shown


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--failures", action="store_true", help="only rows where some parser is wrong")
    args = parser.parse_args(argv)
    readers: dict[str, Callable | None] = {
        "jixiao": ours,
        "cn2an normal": cn2an_reader("normal"),
        "cn2an smart": cn2an_reader("smart"),
        "jionlp parse_money": jionlp_reader(),
    }
    skipped = [name for name, r in readers.items() if r is None]
    active = {name: r for name, r in readers.items() if r is not None}
    print("| case | expected | " + " | ".join(active) + " |")
    print("|---|---|" + "---|" * len(active))
    right = dict.fromkeys(active, 0)
    for case in CASES:
        cells = []
        for name, read in active.items():
            ok, shown = verdict(case, read)
            right[name] += ok
            cells.append(("✓ " if ok else "✗ ") + shown)
        if args.failures and all(c.startswith("✓") for c in cells):
            continue
        expected = "–".join(f"{v:g}" for v in case.expected) + (" ≈" if case.approx else "")
        print(f"| `{case.text}` | {expected} | " + " | ".join(cells) + " |")
    print()
    print(" · ".join(f"{name}: {n}/{len(CASES)} right" for name, n in right.items()))
    for name in skipped:
        print(f"{name}: not installed, skipped", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
