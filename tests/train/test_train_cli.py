"""``symdiff train``: the listing, JSON with stable keys, determinism, plots and errors."""
import argparse
import json

import pytest

from symdiff.errors import SymdiffError
from symdiff.train.cli import add_parser
from symdiff.train.demos import DEMOS

LECTURE_ITEMS = ["polynomial", "sinusoid", "quadratic-curve", "mse-regression", "smape-regression",
                 "cross-entropy", "soft-f1", "hebb", "rosenblatt", "delta-rule", "logic", "mlp-digits",
                 "symmetry", "vanishing", "dropout", "fgsm"]


def parser():
    ap = argparse.ArgumentParser(prog="symdiff")
    add_parser(ap.add_subparsers(dest="command", required=True))
    return ap


def train(capsys, *argv):
    args = parser().parse_args(["train", *argv, "--no-progress"])
    assert args.handler(args) == 0
    return capsys.readouterr().out


def train_json(capsys, *argv):
    return json.loads(train(capsys, *argv, "--format", "json"))


def test_list_names_every_item_once(capsys):
    lines = train(capsys, "--list").strip().splitlines()
    assert [line.split()[0] for line in lines] == list(DEMOS) == LECTURE_ITEMS
    assert all(len(line.split(maxsplit=1)) == 2 for line in lines)  # a name and its one-line summary


def test_json_keys_by_kind(capsys):
    regression = train_json(capsys, "polynomial", "--seed", "1")
    assert list(regression)[:4] == ["model", "seed", "epochs", "loss"]
    assert regression["model"] == "polynomial" and regression["seed"] == 1
    assert regression["param_error"] < 1e-2
    classifier = train_json(capsys, "cross-entropy", "--epochs", "50")
    assert classifier["epochs"] == 50 and 0 <= classifier["test_accuracy"] <= 1
    logic = train_json(capsys, "logic", "--epochs", "50")
    assert logic["truth_tables_ok"] is True


def test_same_seed_same_numbers(capsys):
    first = train(capsys, "dropout", "--epochs", "40", "--format", "json")
    second = train(capsys, "dropout", "--epochs", "40", "--format", "json")
    other = train(capsys, "dropout", "--epochs", "40", "--seed", "1", "--format", "json")
    assert first == second
    assert json.loads(first)["test_loss"] != json.loads(other)["test_loss"]


def test_plots_are_deterministic_pngs(capsys, tmp_path):
    one = train_json(capsys, "cross-entropy", "--epochs", "30", "--plot", str(tmp_path / "a"))
    two = train_json(capsys, "cross-entropy", "--epochs", "30", "--plot", str(tmp_path / "b"))
    assert [p.rsplit("/", 1)[1] for p in one["plots"]] == ["cross-entropy_loss.png", "cross-entropy_boundary.png"]
    for a, b in zip(one["plots"], two["plots"]):
        content = open(a, "rb").read()
        assert content.startswith(b"\x89PNG") and content == open(b, "rb").read()


def test_text_output(capsys):
    out = train(capsys, "logic", "--epochs", "20")
    assert "truth_tables_ok: True" in out and "model: logic" in out


def test_mlp_options(capsys):
    result = train_json(capsys, "mlp-digits", "--epochs", "2", "--hidden", "32,16", "--activation", "relu",
                        "--init", "he", "--dropout", "0.2", "--clip-norm", "5", "--batch-size", "128",
                        "--patience", "1")
    assert result["architecture"] == "64-32-16-10" and result["activation"] == "relu"
    assert result["epochs"] == 2 and result["epochs_run"] <= 2


def test_errors_are_symdiff_errors(capsys, tmp_path):
    not_a_directory = tmp_path / "file"
    not_a_directory.write_text("")
    for argv, message in ((["perceptron"], "unknown model"), ([], "name a model"),
                          (["polynomial", "--hidden", "8"], "mlp-digits only"),
                          (["logic", "--epochs", "1", "--plot", str(not_a_directory)], "cannot write the plot"),
                          (["mlp-digits", "--epochs", "1", "--dropout", "1.5"], "dropout rate")):
        args = parser().parse_args(["train", *argv])
        with pytest.raises(SymdiffError, match=message):
            args.handler(args)
    for bad in (["train", "polynomial", "--epochs", "0"], ["train", "mlp-digits", "--hidden", "a,b"],
                ["train", "mlp-digits", "--activation", "gelu"]):
        with pytest.raises(SystemExit) as info:
            parser().parse_args(bad)
        assert info.value.code == 2


def test_the_pre_training_gradient_check_is_shown_in_text_and_json(capsys):
    result = train_json(capsys, "polynomial", "--epochs", "5")
    check = result["gradient_check"]
    assert check["ok"] is True and check["runs"] == 1 and check["witnesses"] == ["tape", "finite differences"]
    assert 0 <= check["tape_max_rel_error"] < 1e-8 and 0 <= check["fd_max_rel_error"] < 1e-4
    assert check["fd_coordinates"] > 0
    text = train(capsys, "polynomial", "--epochs", "5").splitlines()
    assert text[3].startswith("gradient check before training (1 run): tape max rel error")
    assert text[3].endswith(": ok")


def test_headlines_name_their_run_and_plots_show_every_run(capsys, tmp_path):
    result = train_json(capsys, "vanishing", "--epochs", "12", "--plot", str(tmp_path))
    assert result["unclipped"]["diverged"] is True
    assert result["loss_of"] == "the exploding ReLU net with global clipping (c = 1)"
    assert result["loss"] == result["clipped_by_norm"]["loss_end"]
    text = train(capsys, "vanishing", "--epochs", "12")
    assert "loss of the exploding ReLU net with global clipping (c = 1): " in text
    assert "vanishing_clipping.png" in result["plots"][2]


def test_mlp_digits_reports_its_test_loss(capsys):
    result = train_json(capsys, "mlp-digits", "--epochs", "2")
    assert result["test_loss"] > 0 and 0 <= result["test_accuracy"] <= 1
