"""Each input format becomes documents with the right text and metadata."""

from __future__ import annotations

import json

import pytest

from onrecord import InputError
from onrecord.ingest import expand, from_text, read
from onrecord.ingest.filenames import parse_name
from onrecord.ingest.transcript import display_name, find_turns


def only(path, **kw):
    results = list(read(str(path), **kw))
    assert len(results) == 1, results
    return results[0]


def test_plain_text_is_read_exactly(tmp_path):
    raw = "Petrova said talks stalled.\r\n\r\n“Curly” and \t tabs stay.\n"
    path = tmp_path / "a.txt"
    path.write_bytes(raw.encode("utf-8"))
    doc = only(path)
    assert doc.text == raw
    assert doc.format == "text"


def test_markdown_front_matter_gives_metadata(tmp_path):
    path = tmp_path / "note.md"
    path.write_text(
        "---\ntitle: Talks stall\ndate: March 2, 2026\noutlet: Harbour Times\nauthor: L. M.\n---\nBody here.\n"
    )
    doc = only(path)
    assert (doc.title, doc.date, doc.outlet, doc.author) == ("Talks stall", "2026-03-02", "Harbour Times", "L. M.")
    assert doc.text == "Body here.\n"


def test_cli_style_overrides_win(tmp_path):
    path = tmp_path / "2020-01-01-x.txt"
    path.write_text("Petrova said so.")
    doc = only(path, date="2026-05-06", outlet="Baltic Wire")
    assert (doc.date, doc.outlet) == ("2026-05-06", "Baltic Wire")


def test_html_main_text_and_metadata(demo_dir):
    doc = only(demo_dir / "2026-04-24-valdor-post.html")
    assert doc.format == "html"
    assert doc.title == "Petrova and Kallas agree to meet in May"
    assert doc.date == "2026-04-24"
    assert doc.outlet == "Valdor Post"
    assert "A meeting is not an agreement" in doc.text
    assert "window.tracker" not in doc.text and "Home" not in doc.text


def test_jsonl_records_and_a_bad_line(tmp_path):
    path = tmp_path / "items.jsonl"
    lines = [
        json.dumps({"id": "a1", "text": "Petrova said talks stalled.", "date": "2026-03-02", "outlet": "HT"}),
        "{not json",
        json.dumps({"title": "no text"}),
        json.dumps({"text": "Kallas said no.", "author": "T. R."}),
    ]
    path.write_text("\n".join(lines) + "\n")
    results = list(read(str(path)))
    docs = [r for r in results if not isinstance(r, InputError)]
    errors = [r for r in results if isinstance(r, InputError)]
    assert [d.key for d in docs] == ["a1", None]
    assert docs[0].date == "2026-03-02" and docs[0].outlet == "HT" and docs[1].author == "T. R."
    assert [e.path for e in errors] == [f"{path}:2", f"{path}:3"]
    assert "not valid JSON" in str(errors[0])


def test_rss_entries(demo_dir):
    docs = list(read(str(demo_dir / "lake-wire-feed.rss")))
    assert len(docs) == 2
    assert docs[0].outlet == "Lake Wire" and docs[0].date == "2026-05-02"
    assert docs[0].text.startswith("Nordmark will hold") and "\n\n" in docs[0].text
    assert docs[1].source.endswith("#2")


def test_atom_feed(tmp_path):
    path = tmp_path / "feed.atom"
    path.write_text(
        '<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Atom Wire</title>'
        "<entry><title>T</title><id>x1</id><updated>2026-02-01T00:00:00Z</updated>"
        '<content type="html">&lt;p&gt;Kallas said the drills go ahead.&lt;/p&gt;</content></entry></feed>'
    )
    doc = only(path)
    assert (doc.outlet, doc.date, doc.text) == ("Atom Wire", "2026-02-01", "Kallas said the drills go ahead.")


def test_corpus_file_name_metadata():
    meta = parse_name("2015-07-26 09.00.00 (Complete, As spoken) Interview with Jake Tapper, 'State of the Union', CNN")
    assert (meta.date, meta.genre, meta.outlet, meta.title) == ("2015-07-26", "Interview", "CNN", "State of the Union")
    assert meta.participants == ["Jake Tapper"]
    speech = parse_name("2015-08-29 00.00.00 (Partial, As spoken) Speech, Rally, Nashville, TN")
    assert (speech.genre, speech.outlet) == ("Speech", None)


@pytest.mark.parametrize(
    "text, labels, speakers",
    [
        (
            "JAKE TAPPER: Hello.\n\nDONALD TRUMP: Hi.\nMore.\n",
            ["JAKE TAPPER", "DONALD TRUMP"],
            ["Jake Tapper", "Donald Trump"],
        ),
        ("Q: Why?\n\nA: Because.\n", ["Q", "A"], ["Int", "Ee"]),
        ("Question: Why?\nAnswer: Because.\n", ["Question", "Answer"], ["Int", "Ee"]),
        (
            "Anna Petrova: Yes.\nKarin Vale: Why?\nAnna Petrova: Because.\n",
            ["Anna Petrova", "Karin Vale", "Anna Petrova"],
            ["Anna Petrova", "Karin Vale", "Anna Petrova"],
        ),
    ],
)
def test_turn_layouts(text, labels, speakers):
    turns = find_turns(text, interviewer="Int", interviewee="Ee")
    assert [t.label for t in turns] == labels
    assert [t.speaker for t in turns] == speakers
    for t in turns:
        assert text[t.label_span.start : t.label_span.end] == t.label
    first_line = text.split("\n")[0]
    assert turns[0].content_span.of(text) == first_line.split(":", 1)[1].strip()


def test_turn_runs_over_paragraphs():
    text = "DONALD TRUMP: First.\n\nSecond paragraph.\n\nBILL O'REILLY: Next?"
    first, second = find_turns(text)
    assert first.content_span.of(text) == "First.\n\nSecond paragraph."
    assert second.speaker == "Bill O'Reilly"


def test_a_turn_ends_at_its_last_word_even_when_it_has_none():
    text = "Q: Why? \n\nA:   \n\nQ:\nA: Because.\t\n\n"
    turns = find_turns(text)
    assert [t.content_span.of(text) for t in turns] == ["Why?", "", "", "Because."]
    assert [t.content_span.start for t in turns[1:3]] == [text.index("A:") + 5, text.index("Q:\n") + 2]


def test_article_with_one_label_is_not_a_transcript():
    assert find_turns("UPDATE: the minister spoke.\n\nShe said talks stalled.") == ()
    assert find_turns("Petrova said: we will see.\nKallas said: maybe.") == ()


def test_display_name():
    assert display_name("BILL O'REILLY") == "Bill O'Reilly"
    assert display_name("JOHN MCCAIN") == "John McCain"


def test_from_text_detects_transcripts():
    assert from_text("Q: Why?\nA: Because.", title="x").is_transcript


def test_expand_directories_globs_and_missing(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.txt").write_text("b")
    (tmp_path / "a.md").write_text("a")
    (tmp_path / ".hidden").write_text("h")
    found = list(expand([str(tmp_path), str(tmp_path / "*.md"), str(tmp_path / "nope.txt")]))
    assert found[:2] == [str(tmp_path / "a.md"), str(tmp_path / "sub" / "b.txt")]
    assert found[2] == str(tmp_path / "a.md")
    assert isinstance(found[3], InputError) and "no such file" in str(found[3])


def test_single_speaker_text_opening_with_a_label_is_one_turn():
    text = "DONALD TRUMP: Thank you.\n\nIt's great to be here."
    (turn,) = find_turns(text)
    assert (turn.speaker, turn.content_span.of(text)) == ("Donald Trump", "Thank you.\n\nIt's great to be here.")
    assert find_turns("Thank you. DONALD TRUMP: no.") == ()


def test_titles_from_file_names_and_not_from_editors_notes(tmp_path):
    from onrecord import ingest

    named = tmp_path / "2016-08-24 13.00.00 (Complete, As spoken) Speech, Rally, Tampa, FL.txt"
    named.write_text("DONALD TRUMP: Thank you. It's great to be in Tampa.\n")
    assert next(ingest.read(str(named))).title == "Speech, Rally"
    conference = tmp_path / "2026-04-28 15.00.00 (Complete, As spoken) Press Conference with Jonas Kallas, Ministry.txt"
    conference.write_text("[A note from the editor.]\n\nQ: Will you meet?\n\nA: Yes.\n")
    assert next(ingest.read(str(conference))).title == "Press Conference with Jonas Kallas"
    plain = tmp_path / "note.txt"
    plain.write_text("[Transcript prepared by the desk.]\nTalks resume in May\n\nThe talks resume.\n")
    assert next(ingest.read(str(plain))).title == "Talks resume in May"
