"""Names (issue 13, error kind 3): the rules of in-document resolution, one table row per shape.

The first tables are plain data (no spaCy): the tagger's labels are set by hand, wrong where the
small model gets them wrong, so each row tests the resolver's rule and not the tagger's luck. The
last table runs the whole pipeline on sentences.
"""

from __future__ import annotations

import pytest

from onrecord.ingest import from_text
from onrecord.model import Entity, Extraction, Span, Statement
from onrecord.resolve import resolve_document
from onrecord.resolve.names import head_name, proper_name


def _span(text: str, piece: str, at: int = 0) -> Span:
    start = -1
    for _ in range(at + 1):
        start = text.index(piece, start + 1)
    return Span(start, start + len(piece))


def _resolve(
    text: str,
    said: list[tuple[str, str]],
    entities: list[tuple[str, str]] = (),  # type: ignore[assignment]
    aliases: list[tuple[str, str]] = (),  # type: ignore[assignment]
) -> list[str | None]:
    """Speakers of ``said``: (mention, content) pairs in reading order, each located after the last."""
    statements = []
    at = 0
    for i, (mention, content) in enumerate(said):
        m = Span(text.index(mention, at), text.index(mention, at) + len(mention))
        c = Span(text.index(content, m.end), text.index(content, m.end) + len(content))
        at = c.end
        statements.append(Statement(i, "indirect", content, c, speaker_mention=mention, speaker_span=m))
    found = []
    for name, label in entities:
        start = text.find(name)
        while start >= 0:
            found.append(Entity(name, Span(start, start + len(name)), label))
            start = text.find(name, start + 1)
    links = tuple((_span(text, d), _span(text, n)) for d, n in aliases)
    extraction = Extraction(tuple(statements), tuple(sorted(found, key=lambda e: e.span.start)), links)
    return [s.speaker for s in resolve_document(from_text(text), extraction)]


# (text, mention, entities with the tagger's labels, expected speaker)
ONE_MENTION = [
    # a name inside the mention is its speaker, wherever the description sits
    (
        "Halvard Brekke, a retired forest ranger, on Sunday said the treaty failed.",
        "Halvard Brekke, a retired forest ranger",
        [("Halvard Brekke", "ORG")],
        "Halvard Brekke",
    ),
    (
        "Fishing and forestry worker Edda Marsk said the treaty failed.",
        "Fishing and forestry worker Edda Marsk",
        [("Edda Marsk", "PERSON")],
        "Edda Marsk",
    ),
    (
        "J.P. Osterlund, chief financial officer and treasurer at the Valdor Harbour Trust, said the treaty failed.",
        "J.P. Osterlund, chief financial officer and treasurer at the Valdor Harbour Trust",
        [("J.P. Osterlund", "ORG"), ("the Valdor Harbour Trust", "ORG")],
        "J.P. Osterlund",
    ),
    # the head, not the possessor
    (
        "Viktor Oram left. Oram's partner, Lukas Brenner, said the treaty failed.",
        "Oram's partner, Lukas Brenner",
        [("Viktor Oram", "PERSON"), ("Oram", "PERSON"), ("Lukas Brenner", "ORG")],
        "Lukas Brenner",
    ),
    (
        "Ilves' cousin, Petra Sand, when asked, said the treaty failed.",
        "Ilves' cousin, Petra Sand, when asked",
        [("Ilves", "PERSON"), ("Petra Sand", "PERSON")],
        "Petra Sand",
    ),
    (
        "Anna Petrova left. Petrova's spokesman said the treaty failed.",
        "Petrova's spokesman",
        [("Anna Petrova", "PERSON"), ("Petrova", "PERSON")],
        None,
    ),  # fmt: skip
    (
        "Anna Petrova left. A spokesman for Petrova said the treaty failed.",
        "A spokesman for Petrova",
        [("Anna Petrova", "PERSON"), ("Petrova", "PERSON")],
        None,
    ),  # fmt: skip
    # the person, not a body named inside the appositive
    (
        "Tatjana Orlova, an expert who writes about the Kremlin, said the treaty failed.",
        "Tatjana Orlova, an expert who writes about the Kremlin",
        [("Tatjana Orlova", "ORG"), ("Kremlin", "ORG")],
        "Tatjana Orlova",
    ),
    (
        "Executive director of the Valdor chapter of the Council of Lake Fishermen Ines Albrecht said the treaty failed.",
        "Executive director of the Valdor chapter of the Council of Lake Fishermen Ines Albrecht",
        [("Valdor", "GPE"), ("Council of Lake Fishermen Ines Albrecht", "ORG")],
        "Ines Albrecht",
    ),
    (
        "Ruritanian Ambassador to Nordmark Marek Halas said the treaty failed.",
        "Ruritanian Ambassador to Nordmark Marek Halas",
        [("Nordmark", "GPE"), ("Marek Halas", "PERSON")],
        "Marek Halas",
    ),
    # the proper name only: no title, description or acronym
    (
        "Astronomer Lena Sorvik said the treaty failed.",
        "Astronomer Lena Sorvik",
        [("Astronomer Lena Sorvik", "PERSON")],
        "Lena Sorvik",
    ),  # fmt: skip
    (
        "Valdor Governor Ilse Varga said the treaty failed.",
        "Valdor Governor Ilse Varga",
        [("Valdor Governor Ilse Varga", "PERSON")],
        "Ilse Varga",
    ),  # fmt: skip
    (
        "Ruritanian academic and professor Dario Vance commented that the treaty failed.",
        "Ruritanian academic and professor Dario Vance",
        [("Ruritanian", "NORP"), ("Dario Vance", "PERSON")],
        "Dario Vance",
    ),
    (
        "Edda Marsk, a fisher and former mayor, said the treaty failed.",
        "Edda Marsk, a fisher and former mayor",
        [("Edda", "GPE"), ("Marsk", "GPE")],
        "Edda Marsk",
    ),
    (
        "The Lake Valdor Commission (LVC) said the treaty failed.",
        "The Lake Valdor Commission (LVC)",
        [("The Lake Valdor Commission", "ORG"), ("LVC", "ORG")],
        "Lake Valdor Commission",
    ),
    (
        "Ilse Varga, curator and director of exhibits at the University of Valdor, Nordvale, said the treaty failed.",
        "Ilse Varga, curator and director of exhibits at the University of Valdor, Nordvale",
        [("Ilse Varga", "PERSON"), ("the University of Valdor", "ORG"), ("Nordvale", "GPE")],
        "Ilse Varga",
    ),
    (
        "Nora Kell, a Ruritanian woman and former Unionist, said the treaty failed.",
        "Nora Kell, a Ruritanian woman and former Unionist",
        [("Nora", "GPE"), ("Kell", "GPE"), ("Ruritanian", "NORP"), ("Unionist", "NORP")],
        "Nora Kell",
    ),
    (
        "Director of the Valdor chapter of the Council on Lake - Fishing Rights Ines Albrecht said the treaty failed.",
        "Director of the Valdor chapter of the Council on Lake - Fishing Rights Ines Albrecht",
        [("Valdor", "GPE"), ("the Council on Lake - Fishing Rights Ines Albrecht", "ORG")],
        "Ines Albrecht",
    ),
    (
        "Lukas Brenner -- co-author of Lake Songs, a book about Viktor Oram -- said the treaty failed.",
        "Lukas Brenner -- co-author of Lake Songs, a book about Viktor Oram",
        [("Lukas Brenner", "ORG"), ("Lake Songs", "WORK_OF_ART"), ("Viktor Oram", "PERSON")],
        "Lukas Brenner",
    ),
    (
        "The Valdor Bureau of Fisheries said the treaty failed.",
        "The Valdor Bureau of Fisheries",
        [("The Valdor Bureau of Fisheries", "ORG")],
        "Valdor Bureau of Fisheries",
    ),  # fmt: skip
    (
        "Aung San Suu Kyi said the treaty failed.",
        "Aung San Suu Kyi",
        [("Aung San Suu Kyi", "PERSON")],
        "Aung San Suu Kyi",
    ),  # fmt: skip
    (
        "Anna Petrova left. The language from Ms. Petrova said the treaty failed.",
        "The language from Ms. Petrova",
        [("Anna Petrova", "PERSON"), ("Petrova", "PERSON")],
        None,
    ),  # fmt: skip
    # a group named with "and" is nobody in particular, not the one name in it
    (
        "Anna Petrova and her aides said the treaty failed.",
        "Anna Petrova and her aides",
        [("Anna Petrova", "PERSON")],
        None,
    ),  # fmt: skip
    (
        "Polls in Valdor and Nordmark said the treaty failed.",
        "Polls in Valdor and Nordmark",
        [("Valdor", "GPE"), ("Nordmark", "GPE")],
        None,
    ),  # fmt: skip
    # unchanged: a body speaks under its name, several people jointly
    (
        "The Nordmark government said the treaty failed.",
        "The Nordmark government",
        [("Nordmark", "GPE")],
        "Nordmark government",
    ),  # fmt: skip
    (
        "Anna Petrova and Jonas Kallas said the treaty failed.",
        "Anna Petrova and Jonas Kallas",
        [("Anna Petrova", "PERSON"), ("Jonas Kallas", "PERSON")],
        "Anna Petrova and Jonas Kallas",
    ),
    (
        "Jonas Kallas and Anna Petrova, the foreign minister, said the treaty failed.",
        "Jonas Kallas and Anna Petrova, the foreign minister",
        [("Anna Petrova", "PERSON"), ("Jonas Kallas", "PERSON")],
        "Jonas Kallas and Anna Petrova",
    ),
]


@pytest.mark.parametrize(("text", "mention", "entities", "speaker"), ONE_MENTION, ids=[c[1][:40] for c in ONE_MENTION])
def test_the_name_of_one_mention(text, mention, entities, speaker):
    assert _resolve(text, [(mention, "the treaty failed")], entities) == [speaker]


def test_namesakes_go_to_the_nearest_not_the_first_or_the_longest():
    text = (
        "Mattias Lund and his father Erik Lund run the ferry. Mattias Lund said the ferry would stop. "
        "Erik Lund said he wanted to keep it. Lund said the council had promised money. "
        "He added that nothing was paid. Mattias Lund said the boat was old. Lund said it leaked."
    )
    said = [
        ("Mattias Lund", "the ferry would stop"),
        ("Erik Lund", "he wanted to keep it"),
        ("Lund", "the council had promised money"),
        ("He", "that nothing was paid"),
        ("Mattias Lund", "the boat was old"),
        ("Lund", "it leaked"),
    ]
    entities = [("Mattias Lund", "PERSON"), ("Erik Lund", "PERSON")]
    assert (
        _resolve(text, said, entities) == ["Mattias Lund", "Erik Lund", "Erik Lund", "Erik Lund"] + ["Mattias Lund"] * 2
    )


def test_a_given_name_alone_is_that_person_not_the_namesake():
    text = "Karl Vessel and his wife Marta Vessel ran the clinic. Karl said it would close. Marta said she would stay."
    entities = [("Karl Vessel", "PERSON"), ("Marta Vessel", "ORG"), ("Karl", "PERSON"), ("Marta", "GPE")]
    said = [("Karl", "it would close"), ("Marta", "she would stay")]
    assert _resolve(text, said, entities) == ["Karl Vessel", "Marta Vessel"]


@pytest.mark.parametrize(
    "credit", ["Karin Holm / Valdor News", "Karin Holm/Valdor News", "Photo: Karin Holm", "(Karin Holm / Reuters)"]
)
def test_a_credit_line_is_nobody_in_the_story(credit):
    text = f"Mayor Ilse Varga opened the bridge.\n\n{credit}\n\nShe said the repairs had cost twice the estimate."
    name = credit.removeprefix("(").removesuffix(")").removeprefix("Photo: ")
    entities = [("Ilse Varga", "PERSON"), (name, "PERSON")]
    assert _resolve(text, [("She", "the repairs had cost")], entities) == ["Ilse Varga"]


def test_a_mention_linked_to_a_name_in_its_own_content_keeps_its_own_name():
    # "Solvik: Nordvale Stays in the Council": the parser links the label to a name in the headline
    text = "Solvik: Nordvale Stays in the Council\n\nForeign Minister Karin Solvik spoke on Monday."
    entities = [("Nordvale Stays", "PERSON"), ("Karin Solvik", "PERSON")]
    speakers = _resolve(text, [("Solvik", "Nordvale Stays in the Council")], entities, [("Solvik", "Nordvale Stays")])
    assert speakers == ["Karin Solvik"]


@pytest.mark.parametrize(
    ("mention", "head"),
    [
        ("Lorne Fitch, a retired wildlife biologist", "Lorne Fitch"),
        ("oil and gas worker Mike Wipf", "Mike Wipf"),
        ("Campbell's partner, Jason Louth", "Jason Louth"),
        ("Galois' cousin, Gabriel Demante", "Gabriel Demante"),
        ("Tatiana Stanovaya, an expert who writes about the Kremlin", "Tatiana Stanovaya"),
        ("Facebook co-founder Mark Zuckerberg", "Mark Zuckerberg"),
        ("Anna Petrova of Ruritania", "Anna Petrova"),
        ("Undersecretary for Education Mr. Toccafondi", "Mr. Toccafondi"),
        ("the Kremlin", "Kremlin"),
        ("the Nordmark government", None),
        ("the foreign minister of Ruritania", None),
        ("a spokesman for Petrova", None),
        ("Petrova's spokesman", None),
        ("Afghan Ambassador to the United States", None),
    ],
)
def test_head_name(mention, head):
    found = head_name(mention)
    assert (mention[found[0] : found[1]] if found else None) == head


@pytest.mark.parametrize(
    ("written", "name"),
    [
        ("Mathematician Hermann Weyl", "Hermann Weyl"),
        ("Foreign Minister Anna Petrova's", "Anna Petrova"),
        ("Virginia Governor Ralph Northam", "Ralph Northam"),
        ("World Health Organisation (WHO)", "World Health Organisation"),
        ("Andy Warhol Foundation", "Andy Warhol Foundation"),
        ("Marc Lamont Hill", "Marc Lamont Hill"),
    ],
)
def test_proper_name(written, name):
    assert proper_name(written) == name


# the whole pipeline: (text, expected speaker of the first statement)
SENTENCES = [
    (
        "Halvard Brekke, a retired forest ranger, on Sunday said the Lake Treaty had failed the valley.",
        "Halvard Brekke",
    ),
    ("Fishing and forestry worker Edda Marsk said the new quota would cost jobs.", "Edda Marsk"),
    ("Viktor Oram left Valdor. Oram's partner, Lukas Brenner, said the house had been sold.", "Lukas Brenner"),
    ("Astronomer Lena Sorvik said the comet would return in 2061.", "Lena Sorvik"),
    (
        "Executive director of the Valdor chapter of the Council of Lake Fishermen Ines Albrecht said the ban was unfair.",
        "Ines Albrecht",
    ),
    ("Solvik: Nordvale Stays in the Council\n\nForeign Minister Karin Solvik spoke in Valdor.", "Karin Solvik"),
    # the small model splits a hyphenated title into extra subjects of the verb
    ("Nordlink co-founder Mira Castell said the company would move to Valdor.", "Mira Castell"),
    # a headline's byline before the colon is a second subject of the verb: the nearer one speaks
    (
        "Jonas Kallas: Foreign Minister Petrova Says Talks Are Moving in the Wrong Direction\n\n"
        "Anna Petrova spoke to reporters in Valdor.",
        "Anna Petrova",
    ),
]


@pytest.mark.parametrize(("text", "speaker"), SENTENCES)
def test_the_speaker_of_a_sentence(extractor, text, speaker):
    document = from_text(text)
    statements = resolve_document(document, extractor.extract(document))
    assert statements and statements[0].speaker == speaker


def test_he_is_a_person_not_the_title_of_a_work():
    # a statement "by" a book ("Lake Songs says …") is resolved, but the book is no antecedent of "he"
    text = (
        "Viktor Oram wrote Lake Songs in 1990. Lake Songs says the valley is dying. He wrote that the poems were old."
    )
    entities = [("Viktor Oram", "PERSON"), ("Lake Songs", "WORK_OF_ART")]
    said = [("Lake Songs", "the valley is dying"), ("He", "that the poems were old")]
    assert _resolve(text, said, entities) == ["Lake Songs", "Viktor Oram"]


def test_namesakes_of_another_gender_and_described_names():
    text = (
        "Karl Vessel opened the clinic. Marta Vessel ran it. Karl Vessel said it would close. "
        "Mrs. Vessel said she would stay. Rival Anna Petrova said the plan was wrong. "
        "Anna Petrova added that it was costly."
    )
    entities = [("Karl Vessel", "PERSON"), ("Marta Vessel", "PERSON"), ("Anna Petrova", "PERSON")]
    said = [
        ("Karl Vessel", "it would close"),
        ("Mrs. Vessel", "she would stay"),
        ("Rival Anna Petrova", "the plan was wrong"),
        ("Anna Petrova", "that it was costly"),
    ]
    entities.append(("Rival Anna Petrova", "PERSON"))
    assert _resolve(text, said, entities) == ["Karl Vessel", "Marta Vessel", "Anna Petrova", "Anna Petrova"]


def test_a_surname_goes_to_the_namesake_who_spoke_not_one_named_in_passing():
    text = (
        "Jonas Kallas spoke in Valdor. Kallas said the talks had stalled. His wife Marta Kallas sat in the front row. "
        "Kallas said he would return. Marta Kallas said the trip was long. Kallas said she was right."
    )
    entities = [("Jonas Kallas", "PERSON"), ("Marta Kallas", "PERSON")]
    said = [
        ("Kallas", "the talks had stalled"),
        ("Kallas", "he would return"),
        ("Marta Kallas", "the trip was long"),
        ("Kallas", "she was right"),
    ]
    # the last "Kallas" follows Marta Kallas's own words: the nearest speaker of that name is hers
    assert _resolve(text, said, entities) == ["Jonas Kallas", "Jonas Kallas", "Marta Kallas", "Marta Kallas"]


def test_a_dateline_before_a_dash_is_not_the_speaker():
    text = "VALDOR -- President Anna Petrova said the treaty failed."
    entities = [("VALDOR", "GPE"), ("Anna Petrova", "PERSON")]
    assert _resolve(text, [("VALDOR -- President Anna Petrova", "the treaty failed")], entities) == ["Anna Petrova"]


def test_he_is_not_the_person_his_own_words_name():
    text = (
        "For Jonas Kallas, a teacher in Valdor, Viktor Oram was a legend. "
        "He said Viktor Oram had changed the town for ever."
    )
    entities = [("Jonas Kallas", "PERSON"), ("Viktor Oram", "PERSON")]
    assert _resolve(text, [("He", "Viktor Oram had changed the town")], entities) == ["Jonas Kallas"]


QA_INTERVIEW = (
    "Wikinews interviews harbour master Anna Petrova\n\n"
    "Anna Petrova has run the port of Valdor for ten years. We spoke with her about the new ferry.\n\n"
    "What do you make of the new ferry?\n\n"
    "I think the ferry will bring more visitors than the town can house.\n\n"
    "Will the harbour need to grow?\n\n"
    "I believe we will need a second pier by 2030. Nobody has asked for one yet.\n"
)


def test_answers_of_a_question_and_answer_interview_are_the_interviewees(extractor):
    document = from_text(QA_INTERVIEW)
    first_person = [s for s in resolve_document(document, extractor.extract(document)) if s.speaker_mention == "I"]
    assert len(first_person) == 2
    assert {(s.speaker, s.kind) for s in first_person} == {("Anna Petrova", "direct")}


def test_questions_alone_do_not_make_an_interview(extractor):
    # the same layout with no interview in its introduction is the writer asking and answering
    text = QA_INTERVIEW.replace("Wikinews interviews harbour master", "A column on").replace(
        " We spoke with her about the new ferry.", ""
    )
    document = from_text(text)
    first_person = [s for s in resolve_document(document, extractor.extract(document)) if s.speaker_mention == "I"]
    assert first_person and {s.kind for s in first_person} == {"author"}


def test_the_first_name_list_is_the_packages_read_faster():
    """Issue 17: the list is read with ``open``, not ``codecs.open``; the names and genders are the same."""
    import gender_guesser.detector

    from onrecord.resolve import names

    package = gender_guesser.detector.Detector(case_sensitive=False)
    assert names._first_names().names == package.names
    assert len(package.names) > 40_000
