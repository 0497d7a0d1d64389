"""Catastrophic backtracking check for every regular expression in src/newstrace.

Patterns are collected two ways: by importing every module and taking the compiled
``re.Pattern`` objects it holds at module level (directly, or inside module-level
tuples, lists, dicts, sets and class attributes), and by parsing the source for
``re.compile/search/match/fullmatch/findall/finditer/sub/subn/split`` calls whose pattern
is a string literal (patterns compiled inside functions).

Each pattern is then fed adversarial strings built from its own alphabet: runs of each
character its literals and classes accept, runs of pairs of them, runs of its literal
words, each followed by a character that breaks the match (the classic near-miss). For
every pattern the unit with the slowest scan at 1× is timed again at 8× the length; the
ratio t(8×)/t(1×) is about 8 for linear work and 64 for quadratic. Patterns whose ratio
exceeds ``--flag`` (default 20), or that hit the per-call time limit, are flagged.

    python bench/regex_backtracking.py                # table of flagged + slowest patterns
    python bench/regex_backtracking.py --all          # every pattern
    python bench/regex_backtracking.py --base 2000    # longer strings
"""

from __future__ import annotations

import argparse
import ast
import contextlib
import importlib
import pkgutil
import re
import signal
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

try:  # Python 3.11+: the parser moved
    import re._constants as sre_constants
    import re._parser as sre_parse
except ImportError:  # pragma: no cover
    import sre_constants  # type: ignore[no-redef]
    import sre_parse  # type: ignore[no-redef]

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src" / "newstrace"
RE_CALLS = {"compile", "search", "match", "fullmatch", "findall", "finditer", "sub",
            "subn", "split"}
#: Breakers appended after a run: characters most patterns do not expect at the end.
BREAKERS = ("\x00", "!", "\n", " ", "9", "Z")
EXTRA = (" ", "a", "A", ".", ",", '"', "\u201c", "'", "\n", "-", ":", "1")


@dataclass
class Found:
    pattern: re.Pattern[str]
    where: set[str] = field(default_factory=set)


# --- collection --------------------------------------------------------------------------


def _walk_value(value: Any, depth: int = 0) -> list[re.Pattern[Any]]:
    if isinstance(value, re.Pattern):
        return [value]
    if depth > 3:
        return []
    out: list[re.Pattern[Any]] = []
    if isinstance(value, dict):
        for item in value.values():
            out.extend(_walk_value(item, depth + 1))
    elif isinstance(value, list | tuple | set | frozenset):
        for item in value:
            out.extend(_walk_value(item, depth + 1))
    elif isinstance(value, type) and value.__module__.startswith("newstrace"):
        for item in vars(value).values():
            out.extend(_walk_value(item, depth + 1))
    return out


def from_modules(found: dict[tuple[str, int], Found]) -> list[str]:
    import newstrace

    failed = []
    for info in pkgutil.walk_packages(newstrace.__path__, "newstrace."):
        if info.name.endswith("__main__"):  # importing it would run the CLI
            continue
        try:
            module = importlib.import_module(info.name)
        except Exception as exc:  # optional extras (ray…) may be missing: say so, go on
            failed.append(f"{info.name}: {type(exc).__name__}")
            continue
        for name, value in vars(module).items():
            for pattern in _walk_value(value):
                if isinstance(pattern.pattern, str):
                    key = (pattern.pattern, pattern.flags)
                    found.setdefault(key, Found(pattern)).where.add(f"{info.name}.{name}")
    return failed


def from_source(found: dict[tuple[str, int], Found]) -> None:
    for path in sorted(SRC.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                    and isinstance(node.func.value, ast.Name) and node.func.value.id == "re"
                    and node.func.attr in RE_CALLS and node.args):
                continue
            arg = node.args[0]
            if not (isinstance(arg, ast.Constant) and isinstance(arg.value, str)):
                continue
            flags = 0
            flag_node = next((k.value for k in node.keywords if k.arg == "flags"), None)
            if flag_node is None and node.func.attr == "compile" and len(node.args) > 1:
                flag_node = node.args[1]
            if flag_node is not None:
                try:
                    flags = int(eval(compile(ast.Expression(flag_node), "<flags>", "eval"),
                                     {"re": re}))
                except Exception:
                    flags = 0
            try:
                pattern = re.compile(arg.value, flags)
            except re.error:
                continue
            where = f"{path.relative_to(SRC.parent)}:{node.lineno}"
            found.setdefault((pattern.pattern, pattern.flags), Found(pattern)).where.add(where)


# --- adversarial strings -------------------------------------------------------------------


def _alphabet(parsed: Any, chars: set[str], words: list[str]) -> None:
    run: list[str] = []
    for op, arg in parsed:
        if op is sre_constants.LITERAL:
            run.append(chr(arg))
            chars.add(chr(arg))
            continue
        if len(run) > 1:
            words.append("".join(run))
        run = []
        if op is sre_constants.IN:
            for item_op, item in arg:
                if item_op is sre_constants.LITERAL:
                    chars.add(chr(item))
                elif item_op is sre_constants.RANGE:
                    lo, hi = item
                    chars.update({chr(lo), chr(hi), chr((lo + hi) // 2)})
                elif item_op is sre_constants.CATEGORY:
                    chars.update(_category_chars(item))
        elif op is sre_constants.CATEGORY:
            chars.update(_category_chars(arg))
        elif op in (sre_constants.MAX_REPEAT, sre_constants.MIN_REPEAT,
                    getattr(sre_constants, "POSSESSIVE_REPEAT", None)):
            _alphabet(arg[2], chars, words)
        elif op is sre_constants.SUBPATTERN:
            _alphabet(arg[-1], chars, words)
        elif op is sre_constants.BRANCH:
            for branch in arg[1]:
                _alphabet(branch, chars, words)
        elif op in (sre_constants.ASSERT, sre_constants.ASSERT_NOT):
            _alphabet(arg[1], chars, words)
        elif op is sre_constants.ANY:
            chars.update({"x", " "})
    if len(run) > 1:
        words.append("".join(run))


def _category_chars(category: Any) -> set[str]:
    name = str(category)
    if "DIGIT" in name:
        return {"7"}
    if "SPACE" in name:
        return {" ", "\n", "\t"}
    if "WORD" in name:
        return {"a", "Z", "_", "é"}
    return {"x"}


def units_for(pattern: re.Pattern[str]) -> list[str]:
    chars: set[str] = set(EXTRA)
    words: list[str] = []
    with contextlib.suppress(Exception):  # an unusual construct: the extra chars remain
        _alphabet(sre_parse.parse(pattern.pattern, pattern.flags), chars, words)
    ordered = sorted(chars)
    units = list(ordered)
    units += [a + b for a in ordered[:24] for b in ordered[:24] if a != b][:300]
    units += [w for w in dict.fromkeys(words) if len(w) <= 40]
    units += [w + " " for w in dict.fromkeys(words) if len(w) <= 40]
    units += [w[:-1] for w in dict.fromkeys(words) if 2 < len(w) <= 40]  # near-misses
    return units


class Timeout(Exception):
    pass


def _on_alarm(signum: int, frame: Any) -> None:
    raise Timeout


def scan_seconds(pattern: re.Pattern[str], text: str, limit: float) -> float:
    """Seconds for a full scan (finditer: what search/findall/sub do), ``limit`` at most."""
    signal.setitimer(signal.ITIMER_REAL, limit)
    started = time.perf_counter()
    try:
        for _ in pattern.finditer(text):
            pass
    except Timeout:
        return float("inf")
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
    return time.perf_counter() - started


@dataclass
class Result:
    pattern: str
    where: str
    unit: str
    t1: float
    t8: float

    @property
    def ratio(self) -> float:
        if self.t8 == float("inf"):
            return float("inf")
        return self.t8 / max(self.t1, 1e-6)


def measure(found: Found, base: int, limit: float) -> Result:
    pattern = found.pattern
    best = ("", "", 0.0)
    for unit in units_for(pattern):
        for breaker in BREAKERS:
            text = unit * max(1, base // len(unit)) + breaker
            took = scan_seconds(pattern, text, limit)
            if took > best[2]:
                best = (unit, breaker, took)
            if took == float("inf"):
                break
        if best[2] == float("inf"):
            break
    unit, breaker, _ = best
    # Re-time the worst input at 1× and 8×, best of 3 each: on a shared machine a single
    # timing of a sub-millisecond scan is mostly scheduler noise.
    t1 = min(scan_seconds(pattern, unit * max(1, base // len(unit)) + breaker, limit)
             for _ in range(3))
    t8 = float("inf")
    for _ in range(3):
        t8 = min(t8, scan_seconds(pattern, unit * max(1, 8 * base // len(unit)) + breaker,
                                  limit))
        if t8 == float("inf"):
            break
    return Result(pattern.pattern, sorted(found.where)[0], unit + breaker, t1, t8)


def document_times(flagged: list[Result], sizes: tuple[int, int], limit: float
                   ) -> list[tuple[Result, str, float, float]]:
    """End to end: each flagged pattern's worst run inside an article (as a paragraph, and
    inside a sentence), analysed by the default Analyzer at two sizes. Says whether a
    document can reach the slow path through reading, structure and the annotators."""
    import newstrace
    from newstrace import Analyzer
    from newstrace.config import Settings
    from newstrace.errors import NewstraceError

    analyzer = Analyzer.default(Settings(max_bytes=50_000_000))
    rows = []
    for result in flagged:
        for shape in ("paragraph", "sentence"):
            times = []
            for size in sizes:
                run = result.unit[:-1] * max(1, size // max(1, len(result.unit) - 1))
                run += result.unit[-1]
                if shape == "paragraph":
                    text = f"Council votes\n\nThe mayor said it was fine.\n\n{run}\n\nEnd."
                else:
                    text = f"Council votes\n\nThe mayor said {run} it was fine, by Reuters."
                took = scan_document(newstrace, analyzer, text, limit, NewstraceError)
                times.append(took)
                if took == float("inf"):
                    times.append(float("inf"))
                    break
            rows.append((result, shape, times[0], times[1]))
    return rows


def scan_document(newstrace: Any, analyzer: Any, text: str, limit: float,
                  typed: type[Exception]) -> float:
    signal.setitimer(signal.ITIMER_REAL, limit)
    started = time.perf_counter()
    try:
        newstrace.analyze(text, format="text", analyzer=analyzer)
    except Timeout:
        return float("inf")
    except typed:
        pass
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base", type=int, default=1000, help="1× length in characters")
    parser.add_argument("--flag", type=float, default=20.0,
                        help="flag patterns whose t(8×)/t(1×) exceeds this")
    parser.add_argument("--limit", type=float, default=5.0, help="seconds per scan at most")
    parser.add_argument("--min-ms", type=float, default=5.0,
                        help="only flag patterns whose 8× scan takes at least this long")
    parser.add_argument("--all", action="store_true", help="print every pattern")
    parser.add_argument("--top", type=int, default=15, help="slowest patterns to print")
    parser.add_argument("--documents", type=int, nargs=2, default=None, metavar=("N1", "N2"),
                        help="also time whole documents holding each flagged run at these "
                        "two lengths (default Analyzer, end to end)")
    parser.add_argument("--doc-limit", type=float, default=120.0,
                        help="seconds per document at most (--documents)")
    args = parser.parse_args()
    signal.signal(signal.SIGALRM, _on_alarm)

    found: dict[tuple[str, int], Found] = {}
    failed = from_modules(found)
    from_source(found)
    started = time.perf_counter()
    results = [measure(f, args.base, args.limit) for f in found.values()]
    results.sort(key=lambda r: (r.ratio, r.t8), reverse=True)
    flagged = [r for r in results if r.ratio > args.flag and r.t8 * 1e3 >= args.min_ms]
    shown = results if args.all else (flagged + [r for r in results if r not in flagged]
                                      [: args.top])
    print(f"patterns: {len(results)} (modules not importable: {len(failed)}), "
          f"base length {args.base}, flag ratio > {args.flag:g} with t(8×) >= "
          f"{args.min_ms:g} ms, "
          f"{time.perf_counter() - started:.0f} s")
    print("| ratio 8×/1× | t(1×) ms | t(8×) ms | where | pattern | worst unit |")
    print("|---:|---:|---:|---|---|---|")
    for r in shown:
        mark = " **super-linear**" if r in flagged else ""
        print(f"| {r.ratio:.1f}{mark} | {r.t1 * 1e3:.2f} | {r.t8 * 1e3:.2f} | {r.where} | "
              f"`{r.pattern[:70]!r}` | `{r.unit[:12]!r}` |")
    for name in failed:
        print(f"not imported: {name}", file=sys.stderr)
    print(f"flagged: {len(flagged)}")
    if args.documents and flagged:
        n1, n2 = args.documents
        print(f"\nwhole documents (default Analyzer), run of the worst unit at {n1:,} and "
              f"{n2:,} characters:")
        print(f"| pattern | where | shape | t({n1:,}) s | t({n2:,}) s | ratio |")
        print("|---|---|---|---:|---:|---:|")
        for result, shape, t1, t2 in document_times(flagged, (n1, n2), args.doc_limit):
            ratio = t2 / max(t1, 1e-6) if t2 != float("inf") else float("inf")
            print(f"| `{result.pattern[:40]!r}` | {result.where} | {shape} | {t1:.2f} | "
                  f"{t2:.2f} | {ratio:.1f} |")
    if flagged:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
