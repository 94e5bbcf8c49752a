"""Word alignment of an English report with the Russian sentence it is traced to (issue 15): whether the
report's claim is the speaker's claim (its words rendered there, the same one acting, the same thing
pointed to), and the English-Russian dictionary it leans on."""

from __future__ import annotations

import gzip
import logging

import pytest

from onrecord.analyse import alignment as alignment_module
from onrecord.analyse import bilingual
from onrecord.analyse.alignment import align, claim_differs
from onrecord.analyse.embed import multilingual_embedder
from onrecord.analyse.wordnet import wordnet
from onrecord.extract.syntax import english_parse, russian_parse


def _words(texts: list[str]):
    return multilingual_embedder()(texts, "query")


def _align(report: str, source: str, before: str = "", dictionary=None):
    return align(report, source, _words, bilingual.dictionary() if dictionary is None else dictionary, before)


def test_roles_read_from_both_parsers():
    english = {w.text: w.role for w in english_parse("The contract was signed by Nordmark.")}
    assert (english["contract"], english["Nordmark"]) == ("patient", "agent")
    russian = {w.text: w.role for w in russian_parse("Я пригласил Коваля посетить Велиград.")}
    assert (russian["Я"], russian["Коваля"]) == ("agent", "patient")


@pytest.mark.parametrize(
    ("report", "source"),
    [
        ("Yan Koval invited me to visit Veligrad.", "Я пригласил Коваля посетить Велиград."),
        ("Minister Larin invited me to Vesby.", "Я пригласила министра Ларина в Весби."),  # a name of two words
    ],
)
def test_swapped_roles_are_another_claim(report, source):
    alignment = _align(report, source)
    assert alignment.swapped
    assert "swap who does what" in claim_differs(alignment)


@pytest.mark.parametrize(
    ("report", "source"),
    [
        ("I invited Koval to visit Veligrad.", "Я пригласил Коваля посетить Велиград."),
        ("Koval was invited by me to visit Veligrad.", "Я пригласил Коваля посетить Велиград."),  # the passive
        ("We will not deploy missiles at the border.", "Мы не будем размещать ракеты у границы."),
        ("Nordmark has to recall its patrol vessels.", "Нордмарк должен отозвать свои патрульные суда."),  # synonyms
    ],
)
def test_faithful_translations_keep_roles_and_words(report, source):
    alignment = _align(report, source)
    assert not alignment.swapped
    assert claim_differs(alignment) is None


def test_an_added_phrase_leaves_words_without_counterpart():
    faithful = _align("Ostravia has not responded yet.", "Остравийская сторона пока не ответила.")
    added = _align(
        "Ostravia has not responded to my invitation to visit Veligrad.", "Остравийская сторона пока не ответила."
    )
    assert added.coverage < faithful.coverage
    assert {"invitation", "Veligrad"} <= {w.text for w in added.unlinked}
    assert claim_differs(faithful) is None


def test_a_report_with_few_words_in_the_source_is_another_claim(monkeypatch):
    from onrecord.analyse import alignment

    bare = _align("Fishermen have bribed the referees at the lake.", "Остравийская сторона пока не ответила.")
    assert bare.coverage < 0.5
    monkeypatch.setattr(alignment, "COVERAGE", 0.5)  # the mechanism, whatever the threshold is set to
    assert "render few of its words" in claim_differs(bare)


def test_what_this_points_to_must_be_in_the_sentence_before():
    before = "Мы против того, чтобы военные корабли третьих стран патрулировали наши воды."
    source = "Этот вопрос мы поднимем на Генеральной Ассамблее."
    other = _align("We will raise the question of steel duties at the General Assembly.", source, before)
    assert other.referent is not None
    assert "point to something else" in claim_differs(other)
    named = _align("We will raise the question of foreign warships at the General Assembly.", source, before)
    assert named.referent is None
    plain = _align("We will raise this issue at the General Assembly.", source, before)
    assert claim_differs(plain) is None


def test_a_pronoun_resolved_from_the_sentence_before_counts_as_rendered():
    before = "Поэтому мы строим новый терминал в порту Кальма."
    alignment = _align(
        "The new terminal will cost about 250 million euros.", "Он обойдётся примерно в 250 млн евро.", before
    )
    assert "terminal" not in {w.text for w in alignment.unlinked}


def _b64(n: int) -> str:
    digits = ""
    while True:
        digits = bilingual._B64[n % 64] + digits
        n //= 64
        if not n:
            return digits


def _write_dictd(folder, name: str, entries: dict[str, str]):
    """A dictd pair (index and gzip data) of ``entries``: headword -> its entry's text after the headword line."""
    data, index = b"00-database-info\nA test\n", "00databaseinfo\tA\tR\n"
    for head, body in entries.items():
        entry = f"{head}\n{body}\n".encode()
        index += f"{head}\t{_b64(len(data))}\t{_b64(len(entry))}\n"
        data += entry
    (folder / f"{name}.dict.dz").write_bytes(gzip.compress(data))
    (folder / f"{name}.index").write_text(index, encoding="utf-8")
    return folder / f"{name}.index", folder / f"{name}.dict.dz"


def test_dictd_files_are_read(tmp_path):
    index, data = _write_dictd(tmp_path, "test", {"border": "граница, рубеж", "Border": "1. кромке"})
    assert bilingual.read_dictd(index, data) == {"border": frozenset({"граница", "рубеж", "кромка", "кромке"})}


def test_a_muller_entry_keeps_its_translations_not_its_labels_explanations_or_examples():
    entry = (
        "levy\n   [↗lɛvɪ]\n   1. _n.\n      1) сбор, обложение; to impose a levy облагать налогом\n"
        "      2) _воен. набор (рекрутов); _ист. ополчение\n   2. _v.\n      1) взимать (налог)\n"
        "      2) набирать; to levy war начать войну\n         а) конфисковать;\n"
    )
    assert bilingual.translations(entry) == {"сбор", "обложение", "набор", "ополчение", "взимать", "набирать",
                                             "конфисковать"}  # fmt: skip


def test_dictionaries_are_merged_and_cached(tmp_path, monkeypatch, caplog):
    one = _write_dictd(tmp_path, "one", {"border": "граница"})
    two = _write_dictd(tmp_path, "two", {"border": "1. _n. рубеж", "levy": "1) сбор"})
    cache = tmp_path / "cache"
    monkeypatch.setenv("ONRECORD_CACHE_DIR", str(cache))
    monkeypatch.setattr(bilingual, "_LOADED", {})  # the process's dictionaries left as they were
    found = bilingual.dictionary(*(p.with_suffix("") for p, _ in (one, two)))
    assert found == {"border": frozenset({"граница", "рубеж"}), "levy": frozenset({"сбор"})}
    assert len(list(cache.glob("*.json"))) == 2
    assert bilingual.dictionary(*(p.with_suffix("") for p, _ in (one, two))) is found  # once per process

    parsed = []
    monkeypatch.setattr(bilingual, "read_dictd", lambda *files: parsed.append(files) or {})
    assert bilingual.cached_dictd(*two, cache) == {"border": frozenset({"рубеж"}), "levy": frozenset({"сбор"})}
    assert parsed == []  # a hit: nothing parsed
    _write_dictd(tmp_path, "two", {"border": "1. _n. рубежом"})  # the source changes (size and time)
    assert bilingual.cached_dictd(*two, cache) == {}
    assert parsed == [two]  # stale: parsed again

    kept = next(p for p in cache.glob("*two*.json"))
    kept.write_text("{not json", encoding="utf-8")
    with caplog.at_level(logging.WARNING, logger="onrecord.analyse"):
        assert bilingual.cached_dictd(*two, cache) == {}
    assert len(parsed) == 2 and "cannot be read" in caplog.text  # corrupt: parsed again, with a line in the log


def test_an_unwritable_cache_falls_back_to_parsing(tmp_path, caplog):
    files = _write_dictd(tmp_path, "one", {"border": "граница"})
    blocked = tmp_path / "file"
    blocked.write_text("a file where the cache folder would be")
    with caplog.at_level(logging.WARNING, logger="onrecord.analyse"):
        assert bilingual.cached_dictd(*files, blocked / "cache") == {"border": frozenset({"граница"})}
    assert "cannot be written" in caplog.text


def test_warming_reads_the_dictionaries_once_in_the_background(monkeypatch):
    read = []
    monkeypatch.setattr(bilingual, "_LOADED", {})
    monkeypatch.setattr(bilingual, "_read", lambda paths: read.append(paths) or {"border": frozenset({"граница"})})
    bilingual.warm()
    assert bilingual.dictionary() == {"border": frozenset({"граница"})}  # waits for the thread, or reads first
    bilingual.warm().join()
    assert read == [bilingual.DICTIONARIES]


def test_without_the_dictionary_the_alignment_rests_on_word_similarity(tmp_path, caplog):
    with caplog.at_level(logging.WARNING, logger="onrecord.analyse"):
        assert bilingual.dictionary(tmp_path / "absent") == {}
    assert "dict-freedict-eng-rus and mueller7-dict" in caplog.text
    alignment = _align(
        "We will not deploy missiles at the border.", "Мы не будем размещать ракеты у границы.", dictionary={}
    )
    assert alignment.coverage == 1.0
    assert claim_differs(alignment) is None


def test_trace_calls_a_swapped_claim_no_translation():
    from onrecord.analyse.trace import PrimaryIndex, Tracer
    from onrecord.ingest import from_text
    from onrecord.pipeline import process

    interview = (
        "Ведущий: Как прошла поездка?\n\n"
        "М.А.Орлова: Я пригласила министра Ларина посетить Весби. Мы обсудили поставки зерна."
    )
    tracer = Tracer(PrimaryIndex.from_documents([from_text(interview, date="2026-05-01")]))
    reports = ["I invited minister Larin to visit Vesby.", "Minister Larin invited me to visit Vesby."]
    items = process([from_text(f'Maria Orlova said: "{r}"', date="2026-05-02") for r in reports])
    faithful, swapped = (tracer.trace(item.document, item.statements)[0] for item in items)
    assert faithful.verdict == "translated"
    assert swapped.verdict == "unsupported"
    assert any("swap who does what" in f for f in swapped.flags)


@pytest.mark.parametrize(
    ("english", "russian", "rendered"),
    [
        ("grow", "расти", True),  # as the dictionary gives it
        ("grow", "вырасти", True),  # the perfective by a prefix
        ("sign", "подписать", True),  # the other aspect by its suffix
        ("give", "продавать", False),  # «про» makes another verb
        ("remain", "остановить", False),  # a shared beginning is no pair
        ("border", "граничить", False),  # the aspect rule is for verbs
        ("calmly", "спокойно", True),  # an adverb the dictionary leaves to its adjective's suffix
        ("easily", "легко", True),
        ("calmly", "спокойный", False),  # the adverb renders the adverb, not the adjective
        ("calmly", "тихо", False),  # nor another adjective's adverb
        ("quickly", "спокойно", False),  # an adverb the dictionary lists is read as it lists it
    ],
)
def test_a_verb_in_the_other_aspect_is_rendered(english, russian, rendered):
    dictionary = {
        "grow": frozenset({"расти"}),
        "sign": frozenset({"подписывать"}),
        "give": frozenset({"давать"}),
        "remain": frozenset({"оставаться"}),
        "border": frozenset({"граница"}),
        "calm": frozenset({"спокойный"}),
        "easy": frozenset({"лёгкий", "легкий"}),
        "quickly": frozenset({"быстро"}),
        "quick": frozenset({"спокойный"}),  # not so: there to show that a listed adverb is not read by its adjective
    }
    assert bilingual.renders(dictionary, (english,), russian) is rendered


@pytest.mark.parametrize(
    ("english", "russian", "rendered"),
    [
        ("exporter", "экспортер", True),  # «ё» written «е»
        ("exporter", "экспортёр", True),
        ("salary", "зарплата", True),  # a compound abbreviation of two of the entry's words
        ("guild", "профгильдия", True),
        ("salary", "заплата", False),  # two letters are no abbreviation
        ("sell", "проводить", False),  # a verb's prefix is no abbreviation
        ("yield", "даться", True),  # a reflexive verb by its plain verb (too short a stem for the aspect rule)
        ("fix", "починиться", True),  # by its plain verb's other aspect
        ("fix", "учиться", False),
        ("caseload", "нагрузка", True),  # an English compound by its last word, what it is
        ("caseload", "дело", False),  # not by its first
        ("walkout", "забастовка", True),  # as the dictionary hyphenates it
        ("walkout", "выход", False),
    ],
)
def test_a_word_is_rendered_as_the_dictionary_lists_its_parts(english, russian, rendered):
    dictionary = {
        "exporter": frozenset({"экспортёр"}),
        "salary": frozenset({"заработный", "плата"}),
        "guild": frozenset({"профессиональный", "гильдия"}),
        "sell": frozenset({"продажный", "водить"}),
        "yield": frozenset({"дать"}),
        "fix": frozenset({"чинить"}),
        "case": frozenset({"дело"}),
        "load": frozenset({"нагрузка"}),
        "walk": frozenset({"ходить"}),
        "out": frozenset({"выход"}),
        "walk-out": frozenset({"забастовка"}),
    }
    assert bilingual.renders(dictionary, (english,), russian) is rendered


def test_words_that_negate_a_phrase_are_the_negation_checks_not_content_to_render():  # "rather than", "hardly"
    found = _align(
        "Ferry fares rose because of fuel costs rather than wages.",
        "Цены на паром выросли из-за топлива, а не зарплат.",
    )
    assert "rather" not in {w.lemma for w in found.report_words}
    assert "hardly" not in {w.lemma for w in _align("Ferries hardly sail now.", "Паромы почти не ходят.").report_words}


def test_attested_counts_the_dictionary_and_names_not_the_models_guesses():
    dictionary = {"send": frozenset({"отправлять"}), "grain": frozenset({"зерно"})}
    # "Kaldoria" is linked to «Мы» (a name taken for the source's "we"), "Veligrad" to «Велиград» by its spelling
    found = _align("Kaldoria sent grain to Veligrad.", "Мы отправили зерно в Велиград.", dictionary=dictionary)
    by = {k.report.text: k.by for k in found.links}
    assert by["Kaldoria"] == "pronoun" and by["Veligrad"] == "name" and by["sent"] == "dictionary"
    assert found.coverage == 1.0 and found.attested == pytest.approx(3 / 4)
    assert _align("Kaldoria sent grain to Veligrad.", "Мы отправили зерно в Велиград.", dictionary={}).attested == (
        pytest.approx(1 / 4)
    )


needs_wordnet = pytest.mark.skipif(
    wordnet() is None, reason="WordNet is not installed: Debian's wordnet-base (`make system-deps`)"
)


@needs_wordnet
def test_a_free_rendering_wordnet_finds_is_linked_but_attests_nothing():
    # WordNet's renderings counted as attested were measured (docs/translation-verdicts.md, the gate round): they let a
    # claim reversing who wrote to whom past the concepts, so only the dictionaries and names attest
    dictionary = {"buy": frozenset({"купить"}), "grain": frozenset({"зерно"})}
    found = _align("The cooperative purchased grain.", "Кооператив купил зерно.", dictionary=dictionary)
    by = {k.report.text: k.by for k in found.links}
    assert by["purchased"] == "wordnet" and by["grain"] == "dictionary"
    assert "purchased" not in {w.text for w in found.unlinked}
    assert found.attested == pytest.approx(1 / 3)  # "grain" alone: "cooperative" is the model's guess


@needs_wordnet
@pytest.mark.parametrize(
    ("report", "source", "swapped"),
    [
        # a word of one kind with the source's: tea for coffee, beef for pork, nurses for doctors
        ("Tea prices rose sharply in March.", "Цены на кофе резко выросли в марте.", ("Tea", "кофе")),
        ("Beef exports doubled last year.", "Экспорт свинины в прошлом году удвоился.", ("Beef", "свинины")),
        ("Nurses will get a pay rise.", "Врачам поднимут зарплаты.", ("Nurses", "Врачам")),
        # its opposite
        ("The ministry will close two schools in the north.", "Министерство откроет две школы на севере.",
         ("close", "откроет")),
    ],
)  # fmt: skip
def test_a_word_swapped_for_a_near_one_is_a_change(report, source, swapped):
    found = _align(report, source).swaps
    assert [(s.report.text, s.source.text) for s in found] == [swapped]
    assert str(found[0]).startswith(f'words differ: "{swapped[0]}" in the report, «{swapped[1]}» in the source')


@needs_wordnet
@pytest.mark.parametrize(
    ("report", "source"),
    [
        ("Coffee prices rose sharply in March.", "Цены на кофе резко выросли в марте."),
        ("The ministry will open two schools in the north.", "Министерство откроет две школы на севере."),
        ("Pork exports doubled last year.", "Экспорт свинины в прошлом году удвоился."),
        # free renderings: a broader word, a narrower one, a part for its whole, another verb for making
        ("The vehicle was stopped at the border.", "Автомобиль остановили на границе."),
        ("The sedan was stopped at the border.", "Автомобиль остановили на границе."),
        ("The new wing of the hospital will open in May.", "Новый корпус больницы откроется в мае."),
        ("The plant will produce tractors.", "Завод будет выпускать тракторы."),
        # a share another: the number check's, not a second change
        ("Half of the grain went to Asia.", "Четверть зерна ушла в Азию."),
    ],
)
def test_faithful_and_free_renderings_swap_no_word(report, source):
    assert _align(report, source).swaps == ()


def test_without_wordnet_the_alignment_looks_for_no_swap(monkeypatch):
    monkeypatch.setattr(alignment_module, "wordnet", lambda: None)
    assert _align("Tea prices rose sharply in March.", "Цены на кофе резко выросли в марте.").swaps == ()


def test_the_dictionary_read_backwards_gives_a_russian_words_renderings():
    dictionary = {
        "sign": frozenset({"подписывать"}),
        "endorse": frozenset({"подписывать", "одобрять"}),
        "cheap": frozenset({"дешевый"}),
        "give": frozenset({"давать"}),
    }
    assert bilingual.english_for(dictionary, "подписывать") == {"sign", "endorse"}
    assert bilingual.english_for(dictionary, "подписать") == {"sign", "endorse"}  # the other aspect
    assert bilingual.english_for(dictionary, "дешёвый") == {"cheap"}  # «ё» where the dictionary writes «е»
    assert bilingual.english_for(dictionary, "продавать") == frozenset()  # «про» makes another verb


@needs_wordnet
@pytest.mark.parametrize(
    ("report", "source", "added"),
    [
        ("Farmers will receive the subsidies in spring, financed by foreign donors.", "Фермеры получат субсидии весной.",
         ("financed by foreign donors",)),
        ("The school will reopen in autumn because of strong parental pressure.", "Школа откроется снова осенью.",
         ("because of strong parental pressure",)),
        ("Farmers will receive the subsidies in spring.", "Фермеры получат субсидии весной.", ()),
        ("The bridge will be repaired by the end of summer.", "Мост отремонтируют до конца лета.", ()),
        # a condition is the certainty check's
        ("If the talks fail, the workers will strike.", "Если переговоры сорвутся, рабочие начнут забастовку.", ()),
    ],
)  # fmt: skip
def test_a_phrase_with_no_counterpart_is_added(report, source, added):
    found = _align(report, source)
    assert found.added == added
    assert all(f.startswith("the report adds: ") for f in found.changes)
