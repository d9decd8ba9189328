"""``vae-explorer --data faces`` opens the shipped faces pair, offline, on the generated test faces."""

from vae_explorer.core.model.shipped import choose_startup


def test_data_faces_opens_the_shipped_faces_pair(make_window, qtbot, monkeypatch):
    monkeypatch.delenv("VAE_EXPLORER_DATA", raising=False)  # nothing but what ships and what is generated
    window = make_window(None, wait=False)
    window.open_startup(choose_startup(data="faces"))
    maps = window.explorer.maps.values()
    qtbot.waitUntil(lambda: window.is_settled() and all(p.shown_points is not None for p in maps), timeout=120_000)
    session = window.session
    assert [session.slots[s].model.path.name for s in ("left", "right")] == ["faces-ae.pt", "faces-vae.pt"]
    assert session.dataset.description == "faces (test, 10000 images 32x32)"
    assert window.status_text.text().endswith("on faces (test, 10000 images 32x32): the shipped faces pair")
    assert all(len(p.shown_points) == 10_000 for p in maps)
