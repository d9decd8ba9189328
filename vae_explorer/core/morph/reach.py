"""What a morph recipe may reach: files and folders in its own folder, unless the user allows more.

A shared recipe must not put any image of the machine into a GIF, nor run a model
file from elsewhere. Its key images, checkpoints and model files, its ``data``
folder and ``data_dir``, and a data folder a checkpoint's metadata names when the
recipe names none, must lie in the recipe's folder or below it (links followed),
however written: absolute, relative, or through ``..``. ``--allow-outside`` lifts
that for a recipe the user trusts (``--allow-outside-keys``, for key images only).
Always allowed: the built-in data sets, the checkpoints that ship with
vae-explorer, and the folders the built-in IDX data sets are looked for in anyway.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from vae_explorer.core.data import BUILTIN, candidate_folders
from vae_explorer.core.errors import DataError
from vae_explorer.core.model.shipped import checkpoints_dir
from vae_explorer.core.model.user_model import is_model_file

FLAG = "--allow-outside"
KEYS_FLAG = "--allow-outside-keys"


def _within(path: str | Path, folder: Path) -> bool:
    return Path(path).expanduser().resolve().is_relative_to(folder.resolve())


def _shown(value: str, most: int = 120) -> str:
    """A path as a message shows it: whole, or its start and its end (where the file's name is)."""
    return value if len(value) <= most else f"{value[: most // 2 - 2]}...{value[-(most // 2 - 1) :]}"


@dataclass(frozen=True)
class Reach:
    """The recipe at ``recipe`` reaches into its folder; ``keys``: key images anywhere; ``anywhere``: everything.

    ``kind`` and ``verb`` word the refusal (a saved view is ``opened``, a recipe ``replayed``).
    """

    recipe: Path
    keys: bool = False
    anywhere: bool = False
    kind: str = "recipe"
    verb: str = "replay"

    @property
    def folder(self) -> Path:
        return self.recipe.resolve().parent

    def local(self, value: str) -> str:
        """A path the recipe holds, relative to its folder when not absolute."""
        path = Path(value).expanduser()
        return str(path if path.is_absolute() else self.folder / path)

    def _refuse(self, what: str, value: str, flag: str = FLAG) -> DataError:
        also = f" (or {KEYS_FLAG})" if flag == KEYS_FLAG else ""
        return DataError(
            f"{self.recipe}: {what} {_shown(value)!r} lies outside the {self.kind}'s folder; "
            f"{self.verb} it with {FLAG}{also} only if you trust the {self.kind}"
        )

    def key(self, value: str) -> str:
        """A key image file the recipe names, checked."""
        file = self.local(value)
        if not (self.anywhere or self.keys or _within(file, self.folder)):
            raise self._refuse("key image", value, KEYS_FLAG)
        return file

    def model(self, value: str) -> str:
        """A checkpoint or model file the recipe names, checked (the shipped checkpoints are always allowed)."""
        file = self.local(value)
        shipped = not is_model_file(file) and _within(file, checkpoints_dir())
        if not (self.anywhere or shipped or _within(file, self.folder)):
            raise self._refuse("model file" if is_model_file(file) else "checkpoint", value)
        return file

    def data(self, value: str | None, named_by: str = "") -> str | None:
        """The data the recipe (or, with ``named_by``, a checkpoint's metadata) names: a built-in name, or a folder."""
        if value is None or not value.strip() or value.strip().lower() in BUILTIN:
            return value  # none (the models' own), or a built-in set
        folder = value if named_by else self.local(value)
        if not (self.anywhere or _within(folder, self.folder)):
            raise self._refuse(f"data folder (named by {named_by})" if named_by else "data folder", value)
        return folder

    def data_dir(self, value: str | None, data: str | None) -> str | None:
        """The folder of IDX files the recipe names: inside, or one the built-in sets are looked for in anyway."""
        if value is None or not value.strip():
            return value
        folder = self.local(value)
        name = (data or "").strip().lower()
        usual = [u.resolve() for u in candidate_folders(name)] if name in ("fashion-mnist", "mnist") else []
        if not (self.anywhere or _within(folder, self.folder) or Path(folder).resolve() in usual):
            raise self._refuse("data_dir", value)
        return folder
