"""The public API: what ``import onrecord`` offers, and that ``__all__`` is right."""

import onrecord


def test_all_names_exist():
    for name in onrecord.__all__:
        assert hasattr(onrecord, name), name


def test_public_names_are_listed():
    public = {
        n for n in vars(onrecord) if not n.startswith("_") and not isinstance(getattr(onrecord, n), type(onrecord))
    }
    assert public - set(onrecord.__all__) == set()


def test_extract_returns_statements():
    (s,) = onrecord.extract('"Talks have stalled," Anna Petrova said.', date="2026-03-02")
    assert isinstance(s, onrecord.Statement)
    assert (s.speaker, s.kind, s.cue) == ("Anna Petrova", "direct", "said")
