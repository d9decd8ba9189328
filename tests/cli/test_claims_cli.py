"""``vae-explorer evaluate --ae A --vae B``: the lecture's claims table, and its refusals."""

import re

import pytest
from helpers import assert_one_line_error, run_cli

CLAIM_NAMES = ("gaps", "clouds", "KL pull", "beta", "prior samples", "arithmetic", "morph")


@pytest.fixture
def digits_pair(checkpoints_dir):
    return checkpoints_dir / "digits-ae.pt", checkpoints_dir / "digits-vae.pt"


def _rows(out):
    """The table's rows: ``{number: line}``."""
    return {int(m.group(1)): m.group(0) for m in re.finditer(r"^(\d) (\S.*)$", out, re.M)}


def test_the_claims_table_of_the_shipped_digits_pair(capsys, digits_pair):
    ae, vae = digits_pair
    rc, out, err = run_cli(capsys, "evaluate", "--ae", ae, "--vae", vae, "--images", "300")
    assert rc == 0, err
    print(out)
    assert out.startswith("digits (test, 359 images 8x8): the lecture's claims, 300 images per measure, seed 0")
    assert re.search(r"^claim\s+AE\s+VAE\s+shows the lecture's claim\?$", out, re.M)
    rows = _rows(out)
    assert sorted(rows) == list(range(1, 8))
    for number, name in enumerate(CLAIM_NAMES, start=1):
        assert rows[number].startswith(f"{number} {name} "), rows[number]
    prior = re.match(r"5 prior samples\s+(\S+)\s+(\S+)\s+yes$", rows[5])
    assert prior and float(prior.group(1)) > 2 * float(prior.group(2)), "the VAE's prior samples are far more realistic"
    assert rows[2].startswith("2 clouds        a point (sigma 0)")
    assert rows[6].endswith("not measured") and "needs data with known factors" in out
    assert "digits-classifier.pt's features" in out


@pytest.mark.slow
def test_the_same_seed_prints_the_same_table_and_markdown_has_one_line_per_claim(capsys, digits_pair):
    ae, vae = digits_pair
    args = ("evaluate", "--ae", ae, "--vae", vae, "--images", "100", "--markdown", "--morph-classes", "0->1")
    rc, first, err = run_cli(capsys, *args)
    assert rc == 0, err
    rc, second, _ = run_cli(capsys, *args)
    assert first == second
    table = [line for line in first.splitlines() if line.startswith("| ")]
    assert table[0].startswith("| claim | AE | VAE | what the numbers mean | shows the lecture's claim? |")
    assert [line.split("|")[1].strip() for line in table[1:]] == [f"{n} {c}" for n, c in enumerate(CLAIM_NAMES, 1)]
    assert "From 0 to 1 (" in first


def test_claims_refuse_half_a_pair_mixed_modes_and_bad_values(capsys, tmp_path, digits_pair, checkpoints_dir):
    ae, vae = digits_pair
    rc, _, err = run_cli(capsys, "evaluate", "--ae", ae)
    assert_one_line_error(rc, err, r"give both --ae FILE and --vae FILE")
    rc, _, err = run_cli(capsys, "evaluate", ae, "--ae", ae, "--vae", vae)
    assert_one_line_error(rc, err, r"give either checkpoints FILE\.\.\. \(with --vector\) or --ae FILE --vae FILE")
    rc, _, err = run_cli(capsys, "evaluate")
    assert_one_line_error(rc, err, r"give checkpoints to measure against the faces' factors, or --ae FILE --vae FILE")
    rc, _, err = run_cli(capsys, "evaluate", "--ae", ae, "--vae", vae, "--morph-classes", "0-1")
    assert_one_line_error(rc, err, r"--morph-classes '0-1': expected two classes like Sneaker->Trouser")
    rc, _, err = run_cli(capsys, "evaluate", "--ae", ae, "--vae", vae, "--morph-classes", "0->cat")
    assert_one_line_error(rc, err, r"no class 'cat' in digits")
    rc, _, err = run_cli(capsys, "evaluate", "--ae", ae, "--vae", vae, "--images", "5")
    assert rc == 2 and "must be 10 to 100,000" in err
    junk = tmp_path / "junk.pt"
    junk.write_bytes(b"\x00" * 64)
    rc, _, err = run_cli(capsys, "evaluate", "--ae", ae, "--vae", vae, "--classifier", junk)
    assert_one_line_error(rc, err, r"junk.pt: not a readable realism classifier \(truncated or corrupt\)")
    rc, _, err = run_cli(capsys, "evaluate", "--ae", ae, "--vae", tmp_path / "nope.pt")
    assert_one_line_error(rc, err, r"nope.pt: no such checkpoint file")
    fashion = checkpoints_dir / "fashion-ae.pt"
    rc, _, err = run_cli(capsys, "evaluate", "--ae", fashion, "--vae", vae, "--data", "digits")
    assert_one_line_error(rc, err, r"fashion-ae.pt: model takes images of shape 1x28x28, but digits has 1x8x8")
