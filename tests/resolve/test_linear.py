"""Speaker resolution does work in proportion to the document (issue 12): counted, not timed."""

from __future__ import annotations

import pytest

from onrecord.ingest import from_text
from onrecord.model import Entity, Extraction, Span, Statement
from onrecord.resolve import document as document_module
from onrecord.resolve import resolve_document
from tests.extract.work import calls_in_onrecord


def _surname(i: int) -> str:
    syllables = ("ka", "lo", "mi", "ren", "sto", "va", "dri", "nel")
    return (syllables[i % 8] + syllables[i // 8 % 8] + syllables[i // 64 % 8]).title() + "ova"


def _people(n: int) -> tuple[str, Extraction]:
    """``n`` ministers, each named with a title and then quoted as "The minister"."""
    text = ""
    entities, aliases, statements = [], [], []
    for i in range(n):
        start = len(text)
        name = f"Anna {_surname(i)}"
        text += f"Minister {name} arrived. The minister said talks stalled.\n\n"
        title = Span(start, start + 8)
        named = Span(start + 9, start + 9 + len(name))
        mention = text.index("The minister", start)
        entities.append(Entity(name, named, "PERSON"))
        aliases.append((title, named))
        content = Span(mention + 18, mention + 31)
        statements.append(
            Statement(i, "indirect", content.of(text), content, speaker_mention="The minister",
                      speaker_span=Span(mention, mention + 12))
        )  # fmt: skip
    return text, Extraction(tuple(statements), tuple(entities), tuple(aliases))


def test_a_bare_title_stands_for_the_last_person_given_it():
    # the rule as it stood before resolution was made linear: the last name linked to the title
    text, extraction = _people(3)
    speakers = [s.speaker for s in resolve_document(from_text(text), extraction)]
    assert speakers == ["Anna Mikakaova"] * 3


def test_work_grows_linearly_with_statements_and_names():
    # regression: every statement once scanned every descriptor, and each of those every entity
    small, large = (_people(n) for n in (20, 200))
    calls_small = calls_in_onrecord(lambda: resolve_document(from_text(small[0]), small[1]))
    calls_large = calls_in_onrecord(lambda: resolve_document(from_text(large[0]), large[1]))
    assert calls_large <= 12 * calls_small


def _titles(k: int) -> tuple[str, Extraction]:
    """``k`` descriptors "the minister", each linked to another bare "the minister" (as the parser
    links them in unpunctuated text), and one statement by "The minister" after them all."""
    text = "the minister the minister " * k + "The minister said talks stalled."
    aliases = tuple((Span(26 * i, 26 * i + 12), Span(26 * i + 13, 26 * i + 25)) for i in range(k))
    mention = 26 * k
    content = Span(mention + 18, len(text) - 1)
    statement = Statement(
        0,
        "indirect",
        content.of(text),
        content,
        speaker_mention="The minister",
        speaker_span=Span(mention, mention + 12),
    )
    return text, Extraction((statement,), (), aliases)


def test_descriptor_links_are_followed_once_not_along_every_path(monkeypatch):
    # regression: name_for <-> _descriptor enumerated every path between linked descriptors (2**k)
    calls = 0
    descriptor = document_module.DocumentResolver._descriptor

    def counted(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        nonlocal calls
        calls += 1
        return descriptor(self, *args, **kwargs)

    monkeypatch.setattr(document_module.DocumentResolver, "_descriptor", counted)
    counts = []
    for k in (4, 8):
        calls = 0
        text, extraction = _titles(k)
        (resolved,) = resolve_document(from_text(text), extraction)
        assert resolved.speaker is None  # nobody is named
        counts.append(calls)
    assert counts[1] <= 2.5 * counts[0]


def test_resolution_checks_its_budget_between_statements():
    text, extraction = _people(5)
    checks = 0

    class Spent(Exception):
        pass

    def check() -> None:
        nonlocal checks
        checks += 1
        if checks > 2:
            raise Spent

    with pytest.raises(Spent):
        resolve_document(from_text(text), extraction, check=check)
    assert checks == 3  # stopped at the third statement, not after all five


def _namesakes(n: int) -> tuple[str, Extraction]:
    """``n`` families, each a father and son of one surname, then "<Surname> said" and "Anna said":
    a shared surname goes to the nearest namesake, a shared given name to nobody in particular."""
    text = ""
    entities, statements = [], []
    for i in range(n):
        start = len(text)
        family = _surname(i)
        text += f"Erik {family} and Anna {family} met. {family} said talks stalled. Anna said so too.\n\n"
        for name in (f"Erik {family}", f"Anna {family}"):
            at = text.index(name, start)
            entities.append(Entity(name, Span(at, at + len(name)), "PERSON"))
        for mention, content in ((family, "talks stalled"), ("Anna", "so too")):
            at = text.index(f"{mention} said", start)
            c = text.index(content, at)
            statements.append(
                Statement(len(statements), "indirect", content, Span(c, c + len(content)), speaker_mention=mention,
                          speaker_span=Span(at, at + len(mention)))
            )  # fmt: skip
    return text, Extraction(tuple(statements), tuple(entities))


def test_namesakes_and_given_names_are_looked_up_not_scanned():
    # issue 13: the nearest namesake and a given name said alone are found through indexes
    small, large = (_namesakes(n) for n in (20, 200))
    speakers = [s.speaker for s in resolve_document(from_text(small[0]), small[1])]
    # the surname: the namesake named last before it; "Anna": one of twenty, so no one's full name
    assert speakers == [name for i in range(20) for name in (f"Anna {_surname(i)}", "Anna")]
    calls_small = calls_in_onrecord(lambda: resolve_document(from_text(small[0]), small[1]))
    calls_large = calls_in_onrecord(lambda: resolve_document(from_text(large[0]), large[1]))
    assert calls_large <= 12 * calls_small
