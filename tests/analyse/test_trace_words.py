"""What trace reads of passages' words, read faster (issue 15): ASCII text split by a table rather than
the pattern, a passage's sentences and pairs of sentences stemmed once, sentence ends found in one pass.
Each must give what its plain definition gives, on texts made to find the seams: quotes straight and
curly, apostrophes, ellipses, underscores, digits, Greek final sigma, dotted capital I."""

from __future__ import annotations

import random
import re

import pytest

from onrecord.analyse import trace
from onrecord.text import WORD, normal, sentences, words

PIECES = [
    "He said.", "'No.'", "Yes!", "“Why?”", "ΑΣ.", "it’s", "Don't.", "A", "b", "İstanbul.", "ok?'", "’Twas",
    "we_will", "3.5%", "... and", "…", "“Quote,” he said.", "Mr. Smith", "(really?)", "\n\n", "\t",
]  # fmt: skip
CHARACTERS = list("abcXYZ09_' \t\n.!?\"”“’‘-,;:()ΣΑσİ…«»é")


def texts(seed: int, count: int = 400) -> list[str]:
    rng = random.Random(seed)
    made = []
    for _ in range(count):
        made.append("".join(rng.choice(CHARACTERS) for _ in range(rng.randint(0, 80))))
        made.append(" ".join(rng.choice(PIECES) for _ in range(rng.randint(0, 14))))
    return made


@pytest.mark.parametrize("seed", [1, 2])
def test_words_are_the_patterns_words(seed):
    for text in texts(seed):
        assert words(text) == WORD.findall(normal(text).lower())
        assert words(text.encode("ascii", "ignore").decode()) == WORD.findall(
            text.encode("ascii", "ignore").decode().lower()
        )


@pytest.mark.parametrize("seed", [3, 4])
def test_a_passages_pieces_and_their_stems_are_those_of_each_piece_alone(seed):
    for text in texts(seed):
        spans = sentences(text)
        pieces = [*spans, *((spans[i][0], spans[i + 1][1]) for i in range(len(spans) - 1))]
        found, stems = trace._piece_stems(text)
        assert [(s.start, s.end) for s in found] == pieces
        assert list(stems) == [frozenset(trace._stem(w) for w in words(text[a:b])) for a, b in pieces]


@pytest.mark.parametrize("seed", [5, 6])
def test_sentence_ends_are_the_words_a_full_stop_follows(seed):
    end = re.compile(r"[\"”']?[.!?]")
    for text in texts(seed):
        plain = normal(text)
        expected = tuple(n for n, m in enumerate(WORD.finditer(plain)) if end.match(plain, m.end()))
        assert trace._sentence_ends(text) == expected
