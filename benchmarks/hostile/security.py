"""Security cases for ``benchmarks/hostile_table.py`` (the issue's Security list, items 1 to 6).

Each case runs on one checkout and says what happened, in a few words; every file
it makes lies in ``env.tmp``, and a link it plants points at a file there. The
cases themselves live in ``_security_runs.py`` (items 1 to 3) and
``_security_inputs.py`` (items 4 to 6).
"""

from __future__ import annotations

from _security_inputs import (
    embed_metadata_folder,
    predictor_bomb,
    predictor_fifo,
    predictor_huge,
    predictor_nan,
    recipe_checkpoint,
    recipe_data,
    recipe_data_relative,
    recipe_metadata_data,
    recipe_model_file,
    text_message_bar,
    text_spreadsheet,
    text_terminal,
    text_trust_question,
)
from _security_runs import (
    child_torchrun,
    child_train_tab,
    lock_fifo_form,
    lock_gigabyte,
    lock_hard_link,
    lock_stranger,
    lock_symlink,
    trust_helper_changed,
    trust_pycache,
    trust_recipe_changed,
)

CASES = [
    ("1 lock files", "symlink at .m.pt.lock, then train", lock_symlink),
    ("1 lock files", "FIFO at the lock: the Train form's check", lock_fifo_form),
    ("1 lock files", "1 GiB lock file: the Train form's check", lock_gigabyte),
    ("1 lock files", "lock hard-linked to a user's file", lock_hard_link),
    ("1 lock files", "stale lock naming a live stranger", lock_stranger),
    ("2 child processes", "numpy.py in the working folder: Train tab's child", child_train_tab),
    ("2 child processes", "numpy.py in the working folder: README's torchrun", child_torchrun),
    ("3 trust", "helper module changed after the yes", trust_helper_changed),
    ("3 trust", "recipe replayed with --trust after its helper changed", trust_recipe_changed),
    ("3 trust", "bytecode planted in __pycache__", trust_pycache),
    ("4 recipes", "data: an absolute folder outside", recipe_data),
    ("4 recipes", "data: relative to the working folder", recipe_data_relative),
    ("4 recipes", "checkpoint: ../ outside", recipe_checkpoint),
    ("4 recipes", "model file outside, with --trust", recipe_model_file),
    ("4 recipes", "data named by the checkpoint's metadata", recipe_metadata_data),
    ("4 recipes", "embed --tsv, data named by the metadata", embed_metadata_folder),
    ("5 text", "ESC, BEL, RLO in metadata: info", text_terminal),
    ("5 text", "file named <u>..<img>: message bar", text_message_bar),
    ("5 text", "folder named <u>..<img>: trust question", text_trust_question),
    ("5 text", "classes =HYPERLINK(..), @SUM(..): metadata.tsv", text_spreadsheet),
    ("6 weights", "evaluate --predictor FIFO", predictor_fifo),
    ("6 weights", "predictor of 1 GiB + 1 byte", predictor_huge),
    ("6 weights", "predictor declaring a gigabyte (bomb)", predictor_bomb),
    ("6 weights", "predictor with NaN weights", predictor_nan),
]
