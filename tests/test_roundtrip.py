"""The file format round-trips anything the model can hold, byte for byte."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings

from canvas.format import store

from strategies import sessions


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(sessions())
def test_loads_dumps_roundtrip(session):
    text = store.dumps(session)
    assert store.loads(text) == session


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(sessions())
def test_dumps_is_canonical(session):
    text = store.dumps(session)
    assert store.dumps(store.loads(text)) == text
    assert text.endswith("\n")
    assert "&" not in text.split("\n", 1)[0]


def test_awkward_characters_roundtrip():
    from canvas.domain.model import Note, Session

    texts = ["ŵŷ 😀", "שלום עולם", "a\u0085b", "a\u2028b\u2029c", "yes", "null", "1.5", "", "- x"]
    notes = {
        f"n{i}": Note(id=f"n{i}", text=t, x=0.5, y=0.5, horizon="H1") for i, t in enumerate(texts)
    }
    session = Session(id="s", title="Gweithdy: ŵ", notes=notes)
    assert store.loads(store.dumps(session)) == session


def test_float_formats_roundtrip():
    from canvas.domain.model import Note, Session

    values = [0.0, 1.0, 1e-05, 5e-324, 0.1 + 0.2, 0.9999999999999999]
    notes = {
        f"n{i}": Note(id=f"n{i}", text="t", x=v, y=v, horizon="H2") for i, v in enumerate(values)
    }
    session = Session(id="s", title="t", notes=notes)
    loaded = store.loads(store.dumps(session))
    assert [loaded.notes[f"n{i}"].x for i in range(len(values))] == values
