"""The verdict on a report traced to a sentence in another language, from its evidence (issue 15):
``analyse/translation_verdict.py``."""

from __future__ import annotations

import pytest

from onrecord.analyse.alignment import ATTESTED, Alignment, Link, Swap
from onrecord.analyse.embed import multilingual_embedder
from onrecord.analyse.trace import PrimaryIndex, Tracer
from onrecord.analyse.translation import CONCEPT_OVERLAP, TRANSLATED, flag_mark, flags
from onrecord.analyse.translation_verdict import Evidence, cascade, features
from onrecord.extract.syntax import ParsedWord
from onrecord.ingest import from_text
from onrecord.pipeline import process

NUMBER = "numbers differ: [20] in the report, [12] in the source"
NEGATION = "negation differs: the report negates"
TRIM = "trimmed: leaves out но только в столицу"


def evidence(
    score: float = TRANSLATED + 0.05,
    concepts: float = CONCEPT_OVERLAP + 0.1,
    found: tuple[str, ...] = (),
    report: str = "We will invite twenty inspectors.",
    source: str = "Мы пригласим двенадцать инспекторов.",
) -> Evidence:
    return Evidence(score, score - 0.1, concepts, found, Alignment((), (), ()), "single", report, source)


@pytest.mark.parametrize(
    ("case", "expected"),
    [
        (evidence(), "translated"),
        (evidence(found=(NUMBER,)), "flagged"),
        (evidence(found=(NUMBER, TRIM)), "flagged"),  # what a trim leaves out asserts nothing new
        (evidence(found=(TRIM,)), "translated"),  # a faithful part of the source is a trimmed translation
        (evidence(score=TRANSLATED - 0.01), "unsupported"),
        (evidence(concepts=CONCEPT_OVERLAP - 0.01), "unsupported"),
        (evidence(found=(NUMBER, NEGATION)), "unsupported"),  # more kinds of change than CHANGES: another claim
    ],
)
def test_the_cascade_decides_by_its_thresholds_in_turn(case, expected):
    assert cascade(case)[0] == expected


def _word(text: str, lemma: str, pos: str = "NOUN", role: str = "") -> ParsedWord:
    return ParsedWord(text, 0, len(text), lemma, pos, "", -1, role)


def _linked(by: tuple[str, ...], roles: tuple[tuple[str, str], ...] = ()) -> Alignment:
    """An alignment of a report whose content words are linked one by one, each by the way ``by`` names ("" none)."""
    pairs = [("crew", "экипаж"), ("acted", "действовать"), ("calmly", "спокойно"), ("Vesby", "Весби")]
    roles = roles or (("", ""),) * len(by)
    report = [_word(e, e, role=r) for (e, _), (r, _) in zip(pairs, roles, strict=False)][: len(by)]
    source = [_word(r, r, role=s) for (_, r), (_, s) in zip(pairs, roles, strict=False)][: len(by)]
    links = tuple(Link(a, b, kind, 1.0) for a, b, kind in zip(report, source, by, strict=True) if kind)
    return Alignment(links, tuple(report), tuple(source))


def _short(alignment: Alignment, kind: str = "single", found: tuple[str, ...] = ()) -> Evidence:
    """A short report sharing few concepts with its source (as trims and short quotes do) but above the margin."""
    concepts = CONCEPT_OVERLAP - 0.15
    return Evidence(TRANSLATED + 0.05, TRANSLATED - 0.05, concepts, found, alignment, kind, "report", "source")


def test_a_report_the_dictionary_attests_word_by_word_is_rescued_from_the_concepts():
    attested = _linked(("dictionary", "dictionary", "dictionary", "name"))
    assert attested.attested >= ATTESTED
    assert cascade(_short(attested)) == ("translated", "")
    assert cascade(_short(attested, "clause", (NUMBER,)))[0] == "flagged"  # a clause of one sentence, a change kept


@pytest.mark.parametrize(
    ("case", "why"),
    [
        # the model's word similarity is a guess, not an attestation
        (_short(_linked(("dictionary", "meaning", "meaning", "name"))), "share few of its concepts"),
        # nor is a name taken for the source's "we"
        (_short(_linked(("dictionary", "pronoun", "pronoun", "name"))), "share few of its concepts"),
        (_short(_linked(("dictionary", "dictionary", "", "")), "single"), "share few of its concepts"),
        # words found across two sentences may build a claim neither makes
        (_short(_linked(("dictionary",) * 4), "pair"), "share few of its concepts"),
        # rescued from the concepts, not from the other checks
        (_short(_linked(("dictionary",) * 4), found=(NUMBER, NEGATION)), "differ in 2 ways"),
        (
            _short(_linked(("dictionary",) * 2, (("agent", "patient"), ("patient", "agent")))),
            "swap who does what",
        ),
    ],
)
def test_a_rescue_needs_the_dictionary_in_one_sentence_and_leaves_the_other_checks(case, why):
    decided, said = cascade(case)
    assert decided == "unsupported" and said.startswith(why)


def test_the_cascade_says_why_a_claim_is_not_a_translation():
    decided, why = cascade(evidence(concepts=0.2))
    assert decided == "unsupported" and "0.20" in why
    assert "numbers differ" in cascade(evidence(found=(NUMBER, NEGATION)))[1]


def test_features_tell_which_side_holds_what_the_other_lacks():
    trimmed = features(
        evidence(report="We will invite 8 inspectors.", source="Мы пригласим 8 инспекторов и 15 врачей.")
    )
    assert trimmed["source's own numbers"] == 1.0 and trimmed["report's own numbers"] == 0.0
    changed = features(evidence(found=(NUMBER,)))
    assert changed["report's own numbers"] == 1.0 and changed["numbers differ"] == 1.0
    assert features(evidence(found=(NEGATION,)))["report negates"] == 1.0


def test_the_tracer_decides_with_the_decision_it_is_given():
    interview = "Ведущий: Когда?\n\nИ.В.Соколов: Инспекторы могут приехать в следующем месяце."
    article = 'Igor Sokolov said: "The inspectors can come next month."'
    (item,) = process([from_text(article, date="2026-03-14")])
    seen = []

    def never(found: Evidence) -> tuple[str, str]:
        seen.append(found)
        return "unsupported", "told so"

    index = PrimaryIndex.from_documents([from_text(interview, date="2026-03-12")])
    (trace,) = Tracer(index, decide=never).trace(item.document, item.statements)
    assert trace.verdict == "unsupported" and any("told so" in f for f in trace.flags)
    assert len(seen) == 1 and seen[0].score >= TRANSLATED and seen[0].flags == ()
    (trace,) = Tracer(index).trace(item.document, item.statements)
    assert trace.verdict == "translated"


def test_a_change_a_trim_and_a_note_are_shown_with_marks_of_their_own():
    changed = flags("We hired 500 workers.", "Мы наняли четыреста рабочих.")
    assert changed and all(flag_mark(f) == "⚑" for f in changed)
    assert flag_mark("trimmed: leaves out чтобы защитить пенсионеров") == "✂"
    assert flag_mark("quoting Ivan Petrov") == "·"


def test_flags_and_alignment_are_measured_only_when_read_and_once():
    calls = []

    def measure_flags() -> tuple[str, ...]:
        calls.append("flags")
        return (NUMBER,)

    def measure_alignment() -> Alignment:
        calls.append("alignment")
        return Alignment((), (), ())

    def lazy(concepts: float, kind: str = "single") -> Evidence:
        return Evidence(TRANSLATED + 0.05, TRANSLATED, concepts, measure_flags, measure_alignment, kind, "", "")

    assert cascade(lazy(CONCEPT_OVERLAP - 0.1, "pair"))[0] == "unsupported" and calls == []  # the concepts settle it
    # one sentence sharing few concepts: its alignment is read (are its words the dictionary's?), not its flags
    assert cascade(lazy(CONCEPT_OVERLAP - 0.1))[0] == "unsupported" and calls == ["alignment"]
    calls.clear()
    found = lazy(CONCEPT_OVERLAP + 0.1)
    assert cascade(found)[0] == "flagged" and found.flags == (NUMBER,)
    assert sorted(calls) == ["alignment", "flags"]


def _swapped(found: tuple[str, ...] = ()) -> Evidence:
    tea, coffee = _word("Tea", "tea"), _word("кофе", "кофе")
    alignment = Alignment(
        (Link(tea, coffee, "meaning", 0.9),), (tea,), (coffee,), swaps=(Swap(tea, coffee, "of one kind"),)
    )
    return Evidence(TRANSLATED + 0.05, TRANSLATED - 0.05, CONCEPT_OVERLAP + 0.1, found, alignment, "single", "r", "s")


def test_a_swapped_word_is_one_change_among_the_flags():
    alone = _swapped()
    assert alone.flags == ('words differ: "Tea" in the report, «кофе» in the source (of one kind)',)
    assert cascade(alone)[0] == "flagged"
    assert flag_mark(alone.flags[0]) == "⚑"
    assert cascade(_swapped((TRIM,)))[0] == "flagged"  # a trim's note is no second change
    decided = cascade(_swapped((NUMBER,)))  # a number changed too: two changes, another claim
    assert decided[0] == "unsupported" and "words differ" in decided[1]


def test_a_clause_shares_the_concepts_of_the_part_it_renders_not_only_of_its_whole_sentence():
    # the rest of the sentence, which the report leaves out, dilutes the concepts the report shares with the whole
    interview = (
        "Ведущий: Какие планы?\n\nО.П.Мирова: Мы откроем новую школу в Талине в сентябре, а старую больницу на "
        "окраине города закроют на ремонт до весны, потому что крыша протекает уже третий год."
    )
    article = 'Olga Mirova said: "We will open a new school in Talin in September."'
    (item,) = process([from_text(article, date="2026-03-14")])
    seen: list[Evidence] = []

    def keep(found: Evidence) -> tuple[str, str]:
        seen.append(found)
        return cascade(found)

    index = PrimaryIndex.from_documents([from_text(interview, date="2026-03-12")])
    Tracer(index, decide=keep).trace(item.document, item.statements)
    (found,) = seen
    assert found.kind == "clause" and found.source.endswith("третий год.")  # flags against the whole sentence
    report, sentence = multilingual_embedder().concepts([found.report, found.source])
    assert found.concepts > float(report @ sentence) + 0.05
