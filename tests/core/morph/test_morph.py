"""Morph frames, the GIF and strip written from them, the recipe that replays them, and bad input."""

import json

import numpy as np
import pytest
from helpers import gif_frames, save_sample
from PIL import Image
from trained import digits_pair, file_size_limit

from vae_explorer.core.data import load_dataset, load_image_as
from vae_explorer.core.errors import DataError, ExportError
from vae_explorer.core.io.pixels import to_uint8
from vae_explorer.core.latent.codes import decode_codes, encode_images
from vae_explorer.core.latent.neighbours import NearestCode
from vae_explorer.core.model.checkpoint import load_model
from vae_explorer.core.morph.frames import MorphFrames, morph_frames
from vae_explorer.core.morph.gif import save_gif, save_strip
from vae_explorer.core.morph.keys import MorphKey, key_images
from vae_explorer.core.morph.pipeline import GifOptions, RenderedMorph, write_gif
from vae_explorer.core.morph.playback import playback_cycle
from vae_explorer.core.morph.recipe import MorphRecipe, render_recipe
from vae_explorer.core.morph.render import morph_frame_images
from vae_explorer.core.morph.state import MorphState


@pytest.fixture(scope="module")
def pair(tmp_path_factory):
    return digits_pair(tmp_path_factory)


@pytest.fixture(scope="module")
def models(pair):
    return [load_model(p)[0] for p in pair]


@pytest.fixture(scope="module")
def data():
    return load_dataset("digits", "test")


def test_first_and_last_frames_decode_the_keys_codes(models, data):
    images = data.images[[4, 17]]
    for model in models:
        result = morph_frames(model, images, 9, "slerp")
        mu = encode_images(model, images).mu
        assert result.codes.shape == (9, model.latent_dim) and result.images.shape == (9, 1, 8, 8)
        assert np.array_equal(result.codes[0], mu[0]) and np.array_equal(result.codes[-1], mu[1])
        ends = decode_codes(model, mu)
        assert np.allclose(result.images[[0, -1]], ends, atol=1e-6)
        assert np.array_equal(to_uint8(result.images[[0, -1]]), to_uint8(ends))
        assert list(result.key_frames) == [0, 8]


def test_frames_are_placed_relative_to_the_data(models, data):
    model = models[1]
    codes = encode_images(model, data.images).mu
    result = morph_frames(model, data.images[[4, 17, 30]], 11, "lerp", NearestCode(codes))
    assert list(result.key_frames) == [0, 5, 10]
    # the key frames are the samples themselves: distance 0 to their own codes
    assert list(result.nearest[[0, 10]]) == [4, 30]
    assert result.distances[0] == pytest.approx(0, abs=1e-4) and result.distances[5] == pytest.approx(0, abs=1e-4)
    assert result.distances.max() > 0 and result.spacing > 0


def test_bad_keys(data, tmp_path):
    shape = data.image_shape
    with pytest.raises(DataError, match=r"A and B are the same image \(sample 5\)"):
        key_images([MorphKey(5), MorphKey(5)], data, shape)
    same = save_sample(tmp_path / "five.png", data, 5)
    with pytest.raises(DataError, match=r"A and B are the same image \(sample 5 and five.png\)"):
        key_images([MorphKey(5), MorphKey(path=str(same))], data, shape)
    with pytest.raises(DataError, match=rf"sample {len(data)} is out of range \(0 to {len(data) - 1} in digits"):
        key_images([MorphKey(1), MorphKey(len(data))], data, shape)
    with pytest.raises(DataError, match=r"sample -1 is out of range"):
        key_images([MorphKey(-1), MorphKey(2)], data, shape)
    with pytest.raises(DataError, match=r"via 1 and B are the same image"):
        key_images([MorphKey(1), MorphKey(2), MorphKey(2)], data, shape)


def test_key_images_from_files(data, tmp_path):
    shape = data.image_shape
    grey = save_sample(tmp_path / "grey.png", data, 7)
    assert np.array_equal(load_image_as(grey, shape), data.images[7])
    # a grey picture stored as RGB is read as grey: nothing is lost
    rgb_grey = save_sample(tmp_path / "rgb-grey.png", data, 7, "RGB")
    assert np.array_equal(load_image_as(rgb_grey, shape), data.images[7])
    assert np.array_equal(load_image_as(grey, (3, 8, 8)), np.repeat(data.images[7], 3, axis=0))


@pytest.mark.parametrize(
    ("make", "pattern"),
    [
        (lambda p: Image.new("L", (9, 8)).save(p), r"big.png: image is 1x8x9, but the models take 1x8x8"),
        (
            lambda p: Image.new("RGB", (8, 8), (200, 10, 10)).save(p),
            r"big.png: image is 3x8x8 \(colour\), but the models take 1x8x8 \(grey, 8-bit\) images",
        ),
        (
            lambda p: Image.new("I", (8, 8)).save(p, format="TIFF"),
            r"big.png: image has 32-bit integer pixels, whose range the file does not say",
        ),
        (lambda p: p.write_bytes(b"not a png"), r"big.png: not a readable image"),
        (lambda p: None, r"big.png: no such image file"),
    ],
)
def test_image_files_that_do_not_fit(data, tmp_path, make, pattern):
    path = tmp_path / "big.png"
    make(path)
    with pytest.raises(DataError, match=pattern):
        key_images([MorphKey(1), MorphKey(path=str(path))], data, data.image_shape)


def test_gif_frame_count_size_duration_and_loop(models, data, tmp_path):
    rows = [morph_frames(m, data.images[[4, 17]], 12, "lerp").images for m in models]
    frames = morph_frame_images(rows, scale=3)
    # (the GIF encoder would merge a frame identical to the one before into one longer frame)
    assert all(np.asarray(a).tobytes() != np.asarray(b).tobytes() for a, b in zip(frames, frames[1:], strict=False))
    path = save_gif(tmp_path / "m.gif", frames, GifOptions(fps=25).frame_ms, loop=True)
    shown, durations, loop = gif_frames(path)
    assert len(shown) == 12
    assert shown[0].shape == (8 * 3, 2 * 8 * 3 + 4)
    assert durations == [40] * 12 and loop == 0
    for frame, expected in zip(shown, frames, strict=True):
        assert np.array_equal(frame, np.asarray(expected))
    # the left half is the AE's frame, enlarged with nearest neighbours
    assert np.array_equal(shown[5][::3, 0:24:3], to_uint8(rows[0][5, 0]))
    once = save_gif(tmp_path / "once.gif", frames, GifOptions(fps=10).frame_ms, loop=False)
    _, durations, loop = gif_frames(once)
    assert durations[0] == 100 and loop is None


def test_gif_ping_pong_order_labels_and_one_model(models, data, tmp_path):
    rows = [morph_frames(models[1], data.images[[4, 17]], 5, "slerp").images]
    frames = morph_frame_images(rows, scale=4, titles=["VAE"], labels=True)
    assert frames[0].size == (32, 32 + 14)
    path = save_gif(tmp_path / "pp.gif", frames, GifOptions(fps=20).frame_ms, pingpong=True)
    shown, _, _ = gif_frames(path)
    assert playback_cycle(5, True) == [0, 1, 2, 3, 4, 3, 2, 1]
    assert len(shown) == 8
    for frame, k in zip(shown, playback_cycle(5, True), strict=True):
        assert np.array_equal(frame, np.asarray(frames[k]))
    smooth = morph_frame_images(rows, scale=4, resample="smooth")
    assert smooth[2].size == (32, 32) and not np.array_equal(np.asarray(smooth[2]), np.asarray(frames[2])[:32])


def test_png_strip(models, data, tmp_path):
    rows = [morph_frames(m, data.images[[4, 17]], 6, "lerp").images for m in models]
    path = save_strip(tmp_path / "strip.png", rows, scale=2)
    with Image.open(path) as im:
        strip = np.asarray(im)
    assert strip.shape == (2 * (2 * 9 + 1), 2 * (6 * 9 + 1))
    # row 1 (the VAE), frame 3: cells are 8 pixels and a 1-pixel gap, then doubled
    y, x = 2 * (1 + 9 * 1), 2 * (1 + 9 * 3)
    assert np.array_equal(strip[y : y + 16 : 2, x : x + 16 : 2], to_uint8(rows[1][3, 0]))


def test_failed_export_keeps_the_older_gif(models, data, tmp_path):
    rows = [morph_frames(m, data.images[[4, 17]], 30, "lerp").images for m in models]
    frames = morph_frame_images(rows, scale=8, labels=True, titles=["AE", "VAE"])
    path = tmp_path / "m.gif"
    path.write_bytes(b"GIF89a older morph")
    with file_size_limit(4096), pytest.raises(ExportError, match=r"cannot write .*m.gif: File too large"):
        save_gif(path, frames)
    assert path.read_bytes() == b"GIF89a older morph"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["m.gif"]  # no half-written temporary file


def test_export_to_a_missing_folder(tmp_path):
    frames = [Image.new("L", (8, 8), v) for v in (0, 255)]
    with pytest.raises(ExportError, match=r"cannot write .*m.gif: folder .*nowhere does not exist"):
        save_gif(tmp_path / "nowhere" / "m.gif", frames)
    with pytest.raises(ExportError, match=r"fps must be 0.01 to 50 \(.*\), not 60"):
        GifOptions(fps=60)


def test_recipe_replays_to_identical_frames(pair, data, tmp_path):
    grey = save_sample(tmp_path / "key.png", data, 30)
    recipe = MorphRecipe(
        checkpoints=[str(p) for p in pair],
        keys=[4, 17, str(grey)],
        frames=13,
        method="slerp",
        data="digits",
        gif=GifOptions(fps=12.5, scale=2, pingpong=True, labels=True),
    )
    first = render_recipe(recipe)
    recipe.save(tmp_path / "r.json")
    blob = json.loads((tmp_path / "r.json").read_text())
    assert blob["keys"] == [4, 17, str(grey)] and blob["method"] == "slerp" and blob["gif"]["fps"] == 12.5
    again = render_recipe(MorphRecipe.load(tmp_path / "r.json", allow_outside=True))  # the models lie elsewhere
    assert again.titles == ["AE", "VAE"]
    for a, b in zip(first.results, again.results, strict=True):
        assert np.array_equal(a.codes, b.codes) and np.array_equal(a.images, b.images)
    write_gif(tmp_path / "a.gif", first, recipe.gif)
    write_gif(tmp_path / "b.gif", again, MorphRecipe.load(tmp_path / "r.json", allow_outside=True).gif)
    assert (tmp_path / "a.gif").read_bytes() == (tmp_path / "b.gif").read_bytes()


def test_bad_recipes(tmp_path):
    bad = tmp_path / "r.json"
    bad.write_text("{not json")
    with pytest.raises(DataError, match=r"r.json: not a readable morph recipe file"):
        MorphRecipe.load(bad)
    bad.write_text(json.dumps({"format": "vae-explorer-morph", "format_version": 1, "keys": [1, 2]}))
    with pytest.raises(DataError, match=r"r.json: incomplete morph recipe"):
        MorphRecipe.load(bad)
    with pytest.raises(DataError, match=r"gone.json: no such morph recipe file"):
        MorphRecipe.load(tmp_path / "gone.json")


def test_rendered_rows_choose_the_models():
    frames = [
        MorphFrames(np.zeros((2, 1)), np.zeros((3, 1)), np.full((3, 1, 2, 2), v), np.array([0, 2])) for v in (0, 1)
    ]
    rendered = RenderedMorph(["AE", "VAE"], frames, [])
    assert [r[0, 0, 0, 0] for r in rendered.rows("both")] == [0, 1]
    assert [r[0, 0, 0, 0] for r in rendered.rows("right")] == [1]
    assert rendered.row_titles("left") == ["AE"]


def test_morph_state_signals_and_stale_results():
    state = MorphState()
    seen = []
    for name in ("keys_changed", "settings_changed", "frames_changed", "frame_changed"):
        getattr(state, name).connect(lambda *a, n=name: seen.append(n))
    assert not state.ready
    state.set_start(MorphKey(3))
    state.set_end(MorphKey(path="/x/b.png"))
    assert state.ready and [k.label for k in state.chain()] == ["sample 3", "b.png"]
    old = state.generation
    state.set_frames(10)
    result = MorphFrames(np.zeros((2, 2)), np.zeros((10, 2)), np.zeros((10, 1, 2, 2)), np.array([0, 9]))
    rendered = RenderedMorph(["VAE"], [result], [])
    assert not state.set_results(rendered, ["right"], old)  # made for the request before
    assert state.set_results(rendered, ["right"], state.generation)
    assert state.results == {"right": result} and state.rendered is rendered
    state.set_frame(42)
    assert state.frame == 9
    state.set_frames(4)
    assert state.frame == 3 and state.results == {} and state.rendered is None
    with pytest.raises(DataError, match=r"frame count must be 2 to 240 \(.*\), not 1"):
        state.set_frames(1)
    state.swap()
    assert state.start.path == "/x/b.png" and state.end.index == 3
    assert seen[:2] == ["keys_changed", "keys_changed"] and "frame_changed" in seen
