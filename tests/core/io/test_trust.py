"""Trust in model files: given for one path with one content, kept across launches, healed when damaged."""

from __future__ import annotations

import hashlib
import json

import pytest

from vae_explorer.core.errors import ModelFileError
from vae_explorer.core.io.trust import TrustPolicy, TrustStore, file_key


def sha(text: bytes) -> str:
    return hashlib.sha256(text).hexdigest()


def test_a_yes_is_kept_for_that_file_and_content_only(tmp_path):
    model = tmp_path / "model.py"
    store = TrustStore(tmp_path / "config" / "trusted-models.json")
    assert not store.trusted(model, sha(b"a"))
    store.remember(model, sha(b"a"))
    again = TrustStore(tmp_path / "config" / "trusted-models.json")  # the next launch
    assert again.trusted(model, sha(b"a"))
    assert not again.trusted(model, sha(b"b"))  # changed content
    assert not again.trusted(tmp_path / "other.py", sha(b"a"))  # the same content elsewhere
    again.remember(model, sha(b"b"))
    assert again.trusted(model, sha(b"b")) and not again.trusted(model, sha(b"a"))  # the earlier yes is gone


def test_a_link_is_the_file_it_points_to(tmp_path):
    model = tmp_path / "model.py"
    model.write_text("x = 1\n")
    link = tmp_path / "link.py"
    link.symlink_to(model)
    store = TrustStore(tmp_path / "trusted.json")
    store.remember(link, sha(b"x = 1\n"))
    assert store.trusted(model, sha(b"x = 1\n")) and file_key(link) == str(model.resolve())


@pytest.mark.parametrize(
    "damage",
    [
        b"{not json",
        b'{"format": "something else"}',
        b"\xff\xfe",
        b'{"format": "vae-explorer-trusted-models", "format_version": 1, "files": [1]}',
    ],
)
def test_a_damaged_store_trusts_nothing_and_is_replaced_by_the_next_yes(tmp_path, damage):
    path = tmp_path / "trusted.json"
    path.write_bytes(damage)
    store = TrustStore(path)
    assert not store.trusted(tmp_path / "model.py", sha(b"a"))
    store.remember(tmp_path / "model.py", sha(b"a"))
    assert store.trusted(tmp_path / "model.py", sha(b"a"))
    assert json.loads(path.read_text())["format"] == "vae-explorer-trusted-models"


def test_the_store_lives_in_the_users_config_folder(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "cfg"))
    TrustStore().remember(tmp_path / "m.py", sha(b"a"))
    assert (tmp_path / "cfg" / "vae-explorer" / "trusted-models.json").is_file()


def test_a_policy_allows_what_it_was_given(tmp_path):
    path = tmp_path / "model.py"
    TrustPolicy(allow_any=True).check(path, sha(b"anything"))
    TrustPolicy(approved={file_key(path): sha(b"a")}).check(path, sha(b"a"))
    with pytest.raises(ModelFileError, match=r"model.py: changed since you trusted it; open it again to be asked"):
        TrustPolicy(approved={file_key(path): sha(b"a")}).check(path, sha(b"b"))
    with pytest.raises(ModelFileError, match=r"model.py: a model file runs the Python code in it; add --trust"):
        TrustPolicy().check(path, sha(b"a"))
