"""Speakers across documents in the store: linking, registry import, reversible merges."""

from __future__ import annotations

import pytest

from onrecord.analyse import identities
from onrecord.errors import InputError, NotFoundError
from onrecord.store import Query


def _by_identity(store):
    return {r.id: r.identity for r in store.statements(Query())}


def test_surnames_in_one_document_join_the_full_name_from_another(demo_store):
    names = {s.name: s for s in identities.speakers(demo_store)}
    assert "Kallas" not in names and "Petrova" not in names
    assert "Kallas" in names["Jonas Kallas"].variants
    # "Hadek added" follows "— Ruslan Hadek" in the same document: joined there, or across documents
    hadek = names["Ruslan Hadek"]
    assert "Hadek" not in names and ("Hadek" in hadek.variants or "Hadek" in dict(hadek.mentions))


def test_an_office_in_a_transcript_is_resolved_by_the_date(demo_store):
    found = demo_store.statements(Query(speaker="foreign minister of Ruritania"))
    assert found and {r.identity for r in found} == {"Anna Petrova"}


def test_registry_offices_and_kinds_show_on_speakers(demo_store):
    names = {s.name: s for s in identities.speakers(demo_store)}
    assert names["Anna Petrova"].roles[0].office == "foreign minister"
    assert names["Nordmark"].kind == "state" and "Nordmark government" in names["Nordmark"].variants


def test_merge_then_unmerge_restores_every_statement(demo_store):
    before = _by_identity(demo_store)
    lund = [i for i, who in before.items() if who == "Edgar Lund"]
    identities.merge(demo_store, "Anna Petrova", "Edgar Lund")
    merged = _by_identity(demo_store)
    assert merged.keys() == before.keys()  # nothing lost
    assert all(merged[i] == "Anna Petrova" for i in lund)
    identities.unmerge(demo_store, "Edgar Lund")
    assert _by_identity(demo_store) == before


def test_an_alias_applies_to_names_seen_later(demo_store):
    identities.alias(demo_store, "Anna Petrova", "Madame Petrova")
    linker = identities.linker_of(demo_store)
    assert linker.link("Madame Petrova").identity == "Anna Petrova"


def test_merging_an_unknown_speaker_is_refused(demo_store):
    with pytest.raises(NotFoundError, match="no speaker 'Nobody'"):
        identities.merge(demo_store, "Anna Petrova", "Nobody")
    with pytest.raises(NotFoundError):
        identities.unmerge(demo_store, "Jonas Kallas")


def test_a_bad_registry_changes_nothing(demo_store, tmp_path):
    before = demo_store.registries()
    bad = tmp_path / "bad.yaml"
    bad.write_text("people: [{roles: []}]")
    with pytest.raises(InputError, match="bad.yaml"):
        identities.import_registry(demo_store, bad)
    assert demo_store.registries() == before


def test_reimporting_a_registry_replaces_it(demo_store, tmp_path, demo_dir):
    registry = tmp_path / "r.yaml"
    registry.write_text("people:\n  - name: Ivo Sander\n    aliases: [Petrova]\n")
    identities.import_registry(demo_store, registry)
    assert identities.linker_of(demo_store).link("Petrova").identity == "Ivo Sander"  # later import wins
    registry.write_text("people:\n  - name: Ivo Sander\n")
    identities.import_registry(demo_store, registry)
    assert identities.linker_of(demo_store).link("Petrova").identity == "Anna Petrova"
    assert len(demo_store.registries()) == 2


# -- issue 12: merges and aliases that would loop, registries that are bombs, listing and removing


def test_a_merge_back_the_other_way_is_refused(demo_store):
    identities.merge(demo_store, "Anna Petrova", "Edgar Lund")
    before = _by_identity(demo_store)
    with pytest.raises(InputError, match="already filed under it"):
        identities.merge(demo_store, "Edgar Lund", "Anna Petrova")
    assert _by_identity(demo_store) == before  # attributions not swapped


def test_an_alias_of_itself_or_in_a_loop_is_refused(demo_store):
    with pytest.raises(InputError, match="already the same speaker"):
        identities.alias(demo_store, "Anna Petrova", "Anna Petrova")
    identities.alias(demo_store, "Anna Petrova", "A. P.")
    identities.alias(demo_store, "A. P.", "Madame P.")
    with pytest.raises(InputError, match="already filed under it"):
        identities.alias(demo_store, "Madame P.", "Anna Petrova")
    assert demo_store.edits() == {"A. P.": "Anna Petrova", "Madame P.": "A. P."}


def test_a_registry_alias_bomb_is_refused_before_it_expands(demo_store, tmp_path):
    levels = ["a: &a [x, x, x, x, x, x, x, x, x, x]"]
    levels += [f"{c}: &{c} [{', '.join([f'*{p}'] * 10)}]" for p, c in zip("abcdefgh", "bcdefghi", strict=True)]
    bomb = tmp_path / "bomb.yaml"
    bomb.write_text("\n".join(levels) + "\npeople: []\n")  # 10**9 strings once expanded
    before = demo_store.registries()
    with pytest.raises(InputError, match="aliases"):
        identities.import_registry(demo_store, bomb)
    assert demo_store.registries() == before


def test_registries_are_listed_and_one_can_be_removed(demo_store, tmp_path):
    registry = tmp_path / "r.yaml"
    registry.write_text("people:\n  - name: Ivo Sander\n    aliases: [Petrova]\n")
    identities.import_registry(demo_store, registry)
    listed = identities.registries(demo_store)
    assert [i.source for i in listed][-1] == str(registry.resolve())
    assert listed[-1].identities == 1 and listed[-1].error is None
    assert identities.linker_of(demo_store).link("Petrova").identity == "Ivo Sander"
    identities.remove_registry(demo_store, str(registry))  # the path as given is enough
    assert str(registry.resolve()) not in [i.source for i in identities.registries(demo_store)]
    assert identities.linker_of(demo_store).link("Petrova").identity == "Anna Petrova"
    with pytest.raises(NotFoundError, match="no registry"):
        identities.remove_registry(demo_store, str(registry))


def test_a_stored_registry_this_version_refuses_names_the_way_out(demo_store):
    demo_store.save_registry("/old/bomb.yaml", "yaml", "a: &a [x]\nb: [*a]\n")  # stored by an older onrecord
    with pytest.raises(InputError, match="speakers registries --remove"):
        identities.relink(demo_store)
    assert [i.error is not None for i in identities.registries(demo_store)][-1]
    identities.remove_registry(demo_store, "/old/bomb.yaml")
    identities.relink(demo_store)


def test_a_russian_office_links_to_its_holder_on_the_date(store, tmp_path):  # issue 15
    from onrecord.ingest import from_text
    from onrecord.pipeline import extractor_version, process

    (tmp_path / "registry.yaml").write_text(
        "people:\n"
        "  - name: Anna Petrova\n    roles: [{office: foreign minister, of: Ruritania, from: 2024-01-15}]\n"
        "  - name: Ivo Sander\n    roles: [{office: foreign minister, of: Ruritania, from: 2019-09-01, to: 2024-01-14}]\n"
        "states:\n  - name: Ruritania\n"
        "offices:\n  foreign minister: [министр иностранных дел]\n",
        encoding="utf-8",
    )
    texts = {
        "2026-03-01": "«Мы готовы к переговорам», — заявил министр иностранных дел Руритании.",
        "2022-05-01": "По словам министра иностранных дел Руритании, переговоры продолжатся.",
    }
    for item in process(from_text(text, date=day) for day, text in texts.items()):
        store.add(item.document, item.statements, extractor_version(item.document.lang))
    identities.import_registry(store, tmp_path / "registry.yaml")
    found = {r.document.date: r.identity for r in store.statements(Query())}
    assert found == {"2026-03-01": "Anna Petrova", "2022-05-01": "Ivo Sander"}
