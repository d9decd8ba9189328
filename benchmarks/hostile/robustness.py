"""The robustness cases of the hostile-input table (the issue's Robustness list, items 1 to 9).

Each case runs on one checkout, in child processes with a time limit, and says in one line what a user saw;
everything it makes lies in ``env.tmp``. The cases live in ``_robustness_files.py`` (files and values) and
``_robustness_runs.py`` (processes), their helpers in ``_robustness_common.py``.
"""

from __future__ import annotations

from _robustness_files import (
    empty_data_dir,
    evaluate_alpha,
    exif_orientation,
    grey_palette_and_animation,
    hidden_files,
    loose_files,
    non_utf8_names,
    numbered_cpu,
    recent_pairs,
    recipe_frames,
    recipe_nan_fps,
    recipe_test_fraction,
    sixteen_bit,
    traverse_alpha,
)
from _robustness_runs import (
    decode_worker,
    morph_gif_budget,
    morph_strip_budget,
    rank_0_dies,
    rank_1_dies,
    signal_callbacks,
)

CASES = [
    ("1 images", "16-bit PNG, every pixel 1000 of 65535", sixteen_bit),
    ("1 images", "grey GIF and animated grey GIF", grey_palette_and_animation),
    ("1 images", "EXIF orientation 6, mark top left as stored", exif_orientation),
    ("1 images", "macOS ._ files in class folders", hidden_files),
    ("1 images", "loose image and labels.csv beside class folders", loose_files),
    ("2 settings", "settings file holding 100,000 recent pairs", recent_pairs),
    ("3 budgets", "morph GIF 240 frames x16 of two 64x64 colour models, 768 MiB allowed", morph_gif_budget),
    ("3 budgets", "morph strip 240 frames x16 of two 28x28 models, 768 MiB allowed", morph_strip_budget),
    ("4 names", "embed --tsv of files named caf\\xe9-N.png (strict UTF-8 stdout)", non_utf8_names),
    ("5 torchrun", "2 CPU processes, rank 1 killed after epoch 1", rank_1_dies),
    ("5 torchrun", "2 CPU processes, rank 0 killed after epoch 1", rank_0_dies),
    ("6 recipes", "recipe with test_fraction 0.99", recipe_test_fraction),
    ("6 recipes", "recipe with gif.fps NaN", recipe_nan_fps),
    ("6 recipes", "recipe with 1,000,000 frames", recipe_frames),
    ("7 data-dir", "embed --data-dir EMPTY, other Fashion-MNIST in $VAE_EXPLORER_DATA", empty_data_dir),
    ("8 numbers", "traverse --alphas -3e38,3e38", traverse_alpha),
    ("8 numbers", "evaluate --alpha 1e39", evaluate_alpha),
    ("8 numbers", "embed --device cpu:0", numbered_cpu),
    ("9 handlers", "decode worker whose result handler raises once", decode_worker),
    ("9 handlers", "session signal whose second listener raises", signal_callbacks),
]
