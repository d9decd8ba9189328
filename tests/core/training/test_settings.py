"""One list of training settings: the command line, the Train form and the trainer take the same defaults and limits."""

import dataclasses

import pytest
from helpers import run_cli

from vae_explorer.cli import build_parser
from vae_explorer.core.errors import VaeExplorerError
from vae_explorer.core.training.form import DEFAULTS, parse_form
from vae_explorer.core.training.settings import BY_NAME, SETTINGS, TrainConfig

NUMBERS = [s for s in SETTINGS if s.kind in (int, float)]
FORM_NUMBERS = ("latent_dim", "epochs", "batch_size", "seed", "lr", "beta", "beta_warmup")


def test_every_setting_is_an_option_and_a_config_field_with_its_default():
    fields = {f.name: f.default for f in dataclasses.fields(TrainConfig)}
    help_text = build_parser()._subparsers._group_actions[0].choices["train"].format_help()
    for s in SETTINGS:
        assert fields[s.name] == s.default, s.name
        assert s.flag in help_text, s.flag
    for name in FORM_NUMBERS:
        assert BY_NAME[name].parse(DEFAULTS[name]) == BY_NAME[name].default


def test_every_count_has_an_upper_bound_that_says_why():
    for s in NUMBERS:
        assert s.high is not None and len(s.why) > 15, s.name


def _beyond(s):
    return str(int(s.high) + 1) if s.kind is int else f"{s.high * 10:g}"


@pytest.mark.parametrize("setting", [s for s in NUMBERS if s.name in FORM_NUMBERS], ids=lambda s: s.name)
def test_form_command_line_and_trainer_refuse_the_same_values_for_the_same_reason(capsys, tmp_path, setting):
    text = _beyond(setting)
    value = float(text) if setting.kind is float else int(text)
    reason = setting.problem(value, text)
    assert reason and reason.startswith(f"{text} is too large") and setting.why in reason
    form = parse_form({"data": "digits", "out": str(tmp_path / "m.pt"), setting.name: text}, ["cpu"])
    assert form.errors == {setting.name: reason}
    rc, _, err = run_cli(capsys, "train", "--data", "digits", setting.flag, text, "--out", tmp_path / "m.pt")
    assert rc == 2 and err.strip().endswith(f"argument {setting.flag}: {reason}")
    with pytest.raises(VaeExplorerError) as caught:
        TrainConfig(data="digits", **{setting.name: value}).validate()
    assert str(caught.value) == f"{setting.flag} {reason}"
    assert not (tmp_path / "m.pt").exists()


@pytest.mark.parametrize(
    ("option", "value", "message"),
    [
        ("--lr", "1e308", "argument --lr: 1e308 is too large (at most 1: Adam moves"),
        ("--seed", "1e23", "argument --seed: '1e23' is not a whole number"),
        ("--seed", "100000000000000000000000", "argument --seed: 100000000000000000000000 is too large"),
        ("--beta", "1e308", "argument --beta: 1e308 is too large (at most 1000"),
        ("--lr", "nan", "argument --lr: must be a finite number, not nan"),
        ("--test-fraction", "0", "argument --test-fraction: must be above 0, not 0"),
        ("--nice", "40", "argument --nice: must be 0 to 19, not 40"),
        ("--kind", "gan", "argument --kind: invalid choice: 'gan'"),
    ],
)
def test_out_of_range_values_are_one_line_errors(capsys, tmp_path, option, value, message):
    rc, out, err = run_cli(capsys, "train", "--data", "digits", option, value, "--out", tmp_path / "m.pt")
    assert rc == 2 and out == ""
    assert len(err.strip().splitlines()) == 1 and message in err, err
    assert "Traceback" not in err and not list(tmp_path.iterdir())
