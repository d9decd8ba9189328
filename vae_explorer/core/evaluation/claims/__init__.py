"""The lecture's seven claims, each measured on two models side by side (AE left, VAE right).

One pure function per claim (:data:`~.table.CLAIMS`), each returning a
:class:`~.row.ClaimRow`; :func:`claim_row` is the call per lesson, :func:`claims_table`
the whole table ``vae-explorer evaluate --ae A --vae B`` prints. Realism is the
Frechet distance to held-out images in a shipped classifier's features
(:mod:`..realism`), with the number of images and the seed fixed in :class:`ClaimInputs`.
"""

from .inputs import N_IMAGES, SEED, ClaimInputs, prepare_inputs
from .row import ClaimRow
from .table import CLAIMS, claim_row, claims_table, format_markdown, format_text

__all__ = [
    "CLAIMS",
    "N_IMAGES",
    "SEED",
    "ClaimInputs",
    "ClaimRow",
    "claim_row",
    "claims_table",
    "format_markdown",
    "format_text",
    "prepare_inputs",
]
