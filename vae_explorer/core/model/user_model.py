"""A user's own model: a Python file that defines ``vae_explorer_model()``, opened only when trusted.

The file is read once (a regular file, with a budget), hashed with the modules
beside it that it may import (:mod:`.model_folder`), and exactly those bytes run,
in a module of their own, after the trust policy said yes to that digest.
``vae_explorer_model()`` returns an object with ``image_shape``, ``encode(x)``
and ``decode(z)`` (see :func:`~vae_explorer.core.model.wrap.wrap`),
which :class:`UserNetwork` makes a :class:`~.loaded.Network`: outputs checked for
type and shape on every call, and any exception inside the user's code turned into
one line naming the place in the user's file where it happened.
"""

from __future__ import annotations

import hashlib
import sys
import types
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from vae_explorer.core.errors import ModelFileError, VaeExplorerError
from vae_explorer.core.io.safe_read import MiB, read_input
from vae_explorer.core.lazy import torch
from vae_explorer.core.model.losses import LIKELIHOODS, OUTPUTS
from vae_explorer.core.model.model_folder import fresh_bytecode, module_digests, trust_digest
from vae_explorer.core.model.user_errors import user_error

SUFFIX = ".py"
ENTRY = "vae_explorer_model"
MAX_SOURCE_BYTES = 4 * MiB


def is_model_file(path: str | Path) -> bool:
    """Whether ``path`` names a model file (Python) rather than a checkpoint."""
    return Path(path).suffix.lower() == SUFFIX


@dataclass(frozen=True)
class ModelSource:
    """The bytes of a model file as read once, their SHA-256, and the modules beside it it may import.

    ``modules``: ``(path relative to the file's folder, SHA-256)`` of each; ``digest``
    covers the file and them, and is what trust is given to.
    """

    path: Path
    code: bytes
    sha256: str
    modules: tuple[tuple[str, str], ...] = ()

    @property
    def digest(self) -> str:
        return trust_digest(self.sha256, self.modules)


def read_model_file(path: str | Path) -> ModelSource:
    """Read a model file (a regular file of at most 4 MiB) and hash the modules beside it; else one line."""
    path = Path(path)
    code = read_input(path, "model", MAX_SOURCE_BYTES, ModelFileError)
    return ModelSource(path, code, hashlib.sha256(code).hexdigest(), module_digests(path))


def run_model_file(source: ModelSource) -> Any:
    """Run the file's code in a module of its own and return what its ``vae_explorer_model()`` returns.

    The file's folder is first on the import path while it runs, so it can import
    the modules beside it (compiled from their sources, as hashed, never from
    ``__pycache__``); ``__file__`` is its path, so it can find its weights.
    The modules it imported from its folder are forgotten afterwards, so the next
    file to open (another folder's ``model.py``, or this one edited) gets its own.
    """
    path = source.path
    try:
        code = compile(source.code, str(path), "exec", dont_inherit=True)
    except SyntaxError as exc:
        where = f"{path}:{exc.lineno}" if exc.lineno else str(path)
        raise ModelFileError(f"{where}: not valid Python ({exc.msg})") from None
    except ValueError as exc:  # null bytes: not a text file
        raise ModelFileError(f"{path}: not valid Python ({exc})") from None
    module = types.ModuleType(f"vae_explorer_model_{source.sha256[:16]}")
    module.__file__ = str(path)
    sys.modules[module.__name__] = module  # classes defined there stay usable (dataclasses, pickling)
    folder = str(path.resolve().parent)
    before = set(sys.modules)
    sys.path.insert(0, folder)
    try:
        with fresh_bytecode():
            return _call_entry(code, module, path)
    finally:
        sys.path.remove(folder)
        _forget_modules_from(Path(folder), set(sys.modules) - before)


def _call_entry(code: Any, module: types.ModuleType, path: Path) -> Any:
    try:
        exec(code, module.__dict__)  # noqa: S102 - the point of a model file; run only when trusted
        entry = module.__dict__.get(ENTRY)
        if not callable(entry):
            raise ModelFileError(f"{path}: defines no function {ENTRY}() returning the model")
        return entry()
    except VaeExplorerError:
        raise
    except (Exception, SystemExit) as exc:  # whatever the user's code raises, or exits with
        raise user_error(path, f"{ENTRY}()", exc) from exc


def _forget_modules_from(folder: Path, names: set[str]) -> None:
    """Forget the modules imported from ``folder``, namespace packages (folders without ``__init__.py``) too:
    a package left behind would hand its old sub-modules to the next ``from package import part``."""
    for name in names:
        module = sys.modules.get(name)
        file = getattr(module, "__file__", None)
        places = [file] if file else list(getattr(module, "__path__", None) or [])
        if places and all(Path(p).resolve().is_relative_to(folder) for p in places):
            del sys.modules[name]


@dataclass
class Declared:
    """What a model declares: its images, code size (when known), output, likelihood, name and data."""

    image_shape: tuple[int, int, int]
    latent_dim: int | None
    output: str
    likelihood: str
    sigma: float
    name: str
    data: str


def _shape(value: Any) -> tuple[int, ...] | None:
    try:
        shape = tuple(int(v) for v in value)
    except (TypeError, ValueError):
        return None
    return shape if len(shape) == 3 and all(1 <= s <= 4096 for s in shape) and shape[0] <= 4 else None


def read_declarations(obj: Any, path: Path) -> Declared:
    """The attributes of the object ``vae_explorer_model()`` returned, each checked; one line for a bad one."""
    try:
        return _declarations(obj, path)
    except VaeExplorerError:
        raise
    except Exception as exc:  # noqa: BLE001 - a property of the user's object that raises
        raise user_error(path, "reading the model's attributes", exc) from exc


def _declarations(obj: Any, path: Path) -> Declared:
    for method in ("encode", "decode"):
        if not callable(getattr(obj, method, None)):
            raise ModelFileError(
                f"{path}: {ENTRY}() returned {type(obj).__name__}, which has no {method}() method; "
                "return vae_explorer.wrap(model, image_shape=(C, H, W), ...)"
            )
    shape = _shape(getattr(obj, "image_shape", None))
    if shape is None:
        raise ModelFileError(
            f"{path}: the model's image_shape is {getattr(obj, 'image_shape', None)!r}, not (channels, height, width)"
        )
    latent = getattr(obj, "latent_dim", None)
    if latent is not None and (not isinstance(latent, int) or isinstance(latent, bool) or latent < 1):
        raise ModelFileError(f"{path}: the model's latent_dim is {latent!r}, not a whole number of 1 or more")
    output = getattr(obj, "output", "probabilities")
    if output not in OUTPUTS:
        raise ModelFileError(f"{path}: the model's output is {output!r}, not one of {', '.join(OUTPUTS)}")
    likelihood = getattr(obj, "likelihood", "bernoulli")
    if likelihood not in LIKELIHOODS:
        raise ModelFileError(f"{path}: the model's likelihood is {likelihood!r}, not one of {', '.join(LIKELIHOODS)}")
    sigma = getattr(obj, "sigma", 1.0)
    if not isinstance(sigma, int | float) or isinstance(sigma, bool) or not 0 < sigma < float("inf"):
        raise ModelFileError(f"{path}: the model's sigma is {sigma!r}, not a number above 0")
    name, data = getattr(obj, "name", None), getattr(obj, "data", None)
    for key, value in (("name", name), ("data", data)):
        if value is not None and not isinstance(value, str):
            raise ModelFileError(f"{path}: the model's {key} is {value!r}, not text")
    return Declared(shape, latent, output, likelihood, float(sigma), (name or "").strip(), (data or "").strip())  # type: ignore[arg-type]


def place(obj: Any, device: torch.device, path: Path) -> tuple[Any, torch.device]:
    """Move the model to ``device`` (when it can move) in eval mode -> ``(model, device it runs on)``."""
    try:
        if callable(getattr(obj, "to", None)):
            moved = obj.to(device)
            obj = moved if moved is not None else obj
            where = device
        else:
            params = getattr(obj, "parameters", None)
            first = next(iter(params()), None) if callable(params) else None
            where = first.device if isinstance(first, torch.Tensor) else torch.device("cpu")
        if callable(getattr(obj, "eval", None)):
            obj.eval()
    except Exception as exc:  # noqa: BLE001 - the user's code, or a device that cannot hold it
        raise user_error(path, f"moving it to {device}", exc) from exc
    return obj, where


def parameter_count(obj: Any) -> int | None:
    """How many numbers the model's ``parameters()`` hold, or None when it has no such method."""
    params = getattr(obj, "parameters", None)
    if not callable(params):
        return None
    try:
        return sum(p.numel() for p in params() if isinstance(p, torch.Tensor))
    except Exception:  # noqa: BLE001 - a count for info, not worth a failure
        return None


def weights_hash(obj: Any, path: Path) -> bytes | None:
    """A hash of the model's weights (its ``state_dict()``), or None when it has none."""
    state_dict = getattr(obj, "state_dict", None)
    if not callable(state_dict):
        return None
    try:
        state = state_dict()
    except Exception as exc:  # noqa: BLE001 - the user's code
        raise user_error(path, "state_dict()", exc) from exc
    if not isinstance(state, dict) or not state:
        return None
    h = hashlib.sha256()
    for key in sorted(state, key=str):
        t = state[key]
        if isinstance(t, torch.Tensor) and t.layout == torch.strided:
            h.update(f"{key}:{tuple(t.shape)}:{t.dtype}".encode())
            h.update(t.detach().cpu().contiguous().reshape(-1).view(torch.uint8).numpy().tobytes())
    return h.digest()
