"""Speaker resolution over plain data: no spaCy needed."""

from __future__ import annotations

from onrecord.ingest import from_text
from onrecord.model import Entity, Extraction, Span, Statement
from onrecord.resolve import resolve_document


def test_alias_cycle_resolves_without_recursion():
    # regression: descriptor and alias links that point at each other once looped forever
    text = "The minister met the minister. The minister said talks stalled."
    a, b, c = Span(0, 12), Span(17, 29), Span(31, 43)
    statement = Statement(0, "indirect", "talks stalled", Span(49, 62), speaker_mention="The minister", speaker_span=c)
    extraction = Extraction((statement,), (), ((a, b), (b, a), (c, a)))
    (resolved,) = resolve_document(from_text(text), extraction)
    assert resolved.speaker is None


def test_entity_type_is_voted_across_mentions():
    text = "Anna Petrova arrived. Petrova said talks stalled."
    entities = (Entity("Anna Petrova", Span(0, 12), "PERSON"), Entity("Petrova", Span(22, 29), "GPE"))
    statement = Statement(
        0, "indirect", "talks stalled", Span(35, 48), speaker_mention="Petrova", speaker_span=Span(22, 29)
    )
    (resolved,) = resolve_document(from_text(text), Extraction((statement,), entities))
    assert resolved.speaker == "Anna Petrova"


def test_first_person_in_a_turn_is_the_turn_speaker():
    text = "KARIN VALE: Why?\n\nANNA PETROVA: I said we would stay."
    document = from_text(text)
    turn = document.turns[1]
    said = text.index("said")
    statements = (
        Statement(
            0,
            "turn",
            turn.content_span.of(text),
            turn.content_span,
            speaker="Anna Petrova",
            speaker_mention="ANNA PETROVA",
            speaker_span=turn.label_span,
        ),
        Statement(
            1,
            "indirect",
            "we would stay",
            Span(said + 5, said + 18),
            speaker_mention="I",
            speaker_span=Span(said - 2, said - 1),
            nested_in=0,
        ),
    )
    resolved = resolve_document(document, Extraction(statements))
    assert resolved[1].speaker == "Anna Petrova"
