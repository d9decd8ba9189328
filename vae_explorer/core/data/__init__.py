"""Image data sets as uint8 arrays ``(N, C, H, W)``, labels, label names and attributes."""

from vae_explorer.core.data.digits import load_digits
from vae_explorer.core.data.idx_sets import DIGIT_NAMES, FASHION_NAMES
from vae_explorer.core.data.registry import (
    BUILTIN,
    BUILTIN_DATA,
    DATA_HELP,
    BuiltinData,
    builtin,
    candidate_folders,
    find_idx_folder,
)
from vae_explorer.core.data.sources import download_dataset, load_dataset

from .attribute_table import AttributeTable, read_attribute_file
from .dataset import Dataset, Whole, split_indices
from .folder import load_image_folder
from .idx import read_idx, read_idx_pair
from .image_file import load_image, load_image_as
from .names import index_of, search
from .tables import load_attribute_table

__all__ = [
    "BUILTIN",
    "BUILTIN_DATA",
    "DATA_HELP",
    "DIGIT_NAMES",
    "FASHION_NAMES",
    "AttributeTable",
    "BuiltinData",
    "Dataset",
    "builtin",
    "candidate_folders",
    "download_dataset",
    "find_idx_folder",
    "load_attribute_table",
    "load_dataset",
    "load_digits",
    "load_image",
    "load_image_as",
    "load_image_folder",
    "read_attribute_file",
    "read_idx",
    "read_idx_pair",
    "index_of",
    "search",
    "split_indices",
    "Whole",
]
