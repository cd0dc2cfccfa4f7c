"""Pairing notes by what they say, for boards that share no note ids.

The rule is simple to state: difflib's ``SequenceMatcher(None, old, new, autojunk=False)
.ratio()`` on normalised text (autojunk off, so a long note's common letters still count),
pairs at or above a threshold taken greedily best first, one to one, ties to the smaller ids.
Done naively that is a ratio for every pair: over a minute and a half for 1,000 notes a side
in pure Python, even with difflib's own quick bounds. This module gives the same answer
without computing most of them:

1. Identical normalised texts pair first (ratio 1.0), in id order, by hashing.
2. For the rest, an upper bound of each pair's ratio is cheap: difflib can match at most
   ``min(len(a), len(b))`` characters, and at most the characters the two texts have in
   common as multisets (its ``quick_ratio``). The multiset count is one AND and one
   ``bit_count`` of two integers in which each character's count is written in unary, and
   the length bound restricts each note to partners within a window of lengths.
3. Pairs whose bound reaches the threshold go into a heap keyed by that bound. A popped bound
   is replaced by the exact ratio; a popped exact ratio is at least every remaining bound, so
   it is the greedy choice. Only pairs that could still win ever get an exact ratio.

Equal keys pop bounds before exact ratios, and exact ratios in (before id, after id) order, so
the result is the one the naive greedy gives.
"""

from __future__ import annotations

import bisect
import difflib
import heapq
import unicodedata
from collections import Counter, defaultdict
from typing import NamedTuple


class TextMatch(NamedTuple):
    """A note known only to the earlier board paired with one known only to the later one."""

    before: str
    after: str
    ratio: float


def normalise(text: str) -> str:
    """Text as compared: NFKC, case-folded, every run of white space one space, stripped."""
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


def match_notes(
    before: dict[str, str], after: dict[str, str], threshold: float = 0.8
) -> list[TextMatch]:
    """Pair ids of ``before`` with ids of ``after`` (id -> text) by text similarity.

    See the module docstring for the rule. Texts that normalise to "" are never paired: an
    empty note says nothing to match on. Returns the pairs sorted by before id.
    """
    if not 0.0 < threshold <= 1.0:
        raise ValueError(f"threshold must be in (0, 1], got {threshold!r}")
    a_ids = sorted(k for k, t in before.items() if normalise(t))
    b_ids = sorted(k for k, t in after.items() if normalise(t))
    a_text = [normalise(before[k]) for k in a_ids]
    b_text = [normalise(after[k]) for k in b_ids]
    pairs, a_left, b_left = _identical(a_text, b_text)
    if threshold < 1.0 and a_left and b_left:
        pairs += _greedy(a_text, b_text, a_left, b_left, threshold)
    out = [TextMatch(a_ids[i], b_ids[j], r) for i, j, r in pairs]
    return sorted(out)


def _identical(a_text: list[str], b_text: list[str]):
    """Pairs of equal texts (i-th smallest before id with i-th smallest after id)."""
    waiting: dict[str, list[int]] = defaultdict(list)
    for j in reversed(range(len(b_text))):
        waiting[b_text[j]].append(j)
    pairs = []
    a_left = []
    for i, text in enumerate(a_text):
        queue = waiting.get(text)
        if queue:
            pairs.append((i, queue.pop(), 1.0))
        else:
            a_left.append(i)
    b_left = sorted(j for queue in waiting.values() for j in queue)
    return pairs, a_left, b_left


def _unary(texts: list[str]) -> list[int]:
    """Each text's character counts in unary, in one integer per text on a shared layout."""
    counts = [Counter(t) for t in texts]
    width: dict[str, int] = {}
    for c in counts:
        for ch, k in c.items():
            if k > width.get(ch, 0):
                width[ch] = k
    offset = {}
    position = 0
    for ch in sorted(width):
        offset[ch] = position
        position += width[ch]
    out = []
    for c in counts:
        bits = 0
        for ch, k in c.items():
            bits |= ((1 << k) - 1) << offset[ch]
        out.append(bits)
    return out


def _greedy(a_text, b_text, a_left, b_left, threshold):
    """Greedy best-first pairs of the texts left, exact ratios computed lazily."""
    bits = _unary([a_text[i] for i in a_left] + [b_text[j] for j in b_left])
    a_bits = dict(zip(a_left, bits[: len(a_left)], strict=True))
    b_bits = dict(zip(b_left, bits[len(a_left) :], strict=True))
    by_length = sorted(a_left, key=lambda i: (len(a_text[i]), i))
    lengths = [len(a_text[i]) for i in by_length]
    low = threshold / (2.0 - threshold)
    heap = []
    for j in b_left:
        lb = len(b_text[j])
        bj = b_bits[j]
        start = bisect.bisect_left(lengths, lb * low - 1)
        stop = bisect.bisect_right(lengths, lb / low + 1)
        for i in by_length[start:stop]:
            total = len(a_text[i]) + lb
            common = min(len(a_text[i]), lb, (a_bits[i] & bj).bit_count())
            bound = 2.0 * common / total
            if bound >= threshold:
                heap.append((-bound, 0, i, j))
    heapq.heapify(heap)
    matcher = difflib.SequenceMatcher(None, autojunk=False)
    used_a: set[int] = set()
    used_b: set[int] = set()
    pairs = []
    while heap:
        key, exact, i, j = heapq.heappop(heap)
        if i in used_a or j in used_b:
            continue
        if exact:
            used_a.add(i)
            used_b.add(j)
            pairs.append((i, j, -key))
            continue
        matcher.set_seqs(a_text[i], b_text[j])
        ratio = matcher.ratio()
        if ratio >= threshold:
            heapq.heappush(heap, (-ratio, 1, i, j))
    return pairs
