"""`observatory indicators rate|proportion`, run as a person would run them.

Reference values and their sources are those of tests/analysis/test_stats.py:
[PHEIM] Byar's limits for 65 events, 50.1632 and 82.8491 (PHEindicatormethods' byars_lower /
byars_upper example); [NEWCOMBE] Newcombe, Statistics in Medicine 1998;17:857-872, Table II:
Wilson 95% limits for 81/263 are 0.2553 and 0.3662.
"""

import json
import math

import pytest

from tests.support.cli import cli_env, run_cli


@pytest.fixture
def env(tmp_path):
    return cli_env(tmp_path / "data")


def indicators(env, *args):
    return run_cli("indicators", *args, env=env)


def assert_one_clear_line(result, *expected, code=None):
    assert result.returncode != 0
    if code is not None:
        assert result.returncode == code
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("observatory: error: ")
    assert "Traceback" not in result.stdout + result.stderr
    for text in expected:
        assert text in lines[0]


@pytest.mark.parametrize("command", [[], ["rate"], ["proportion"]])
def test_help(env, command):
    result = indicators(env, *command, "--help")
    assert result.returncode == 0, result.stderr
    assert "Usage: observatory indicators" in result.stdout


def test_rate_as_json(env):
    result = indicators(env, "rate", "--count", "65", "--population", "250000", "--json")
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout)
    assert set(out) == {"count", "population", "per", "rate", "lower", "upper", "level", "method"}
    assert (out["count"], out["population"], out["per"], out["level"]) == (65, 250000, 100000, 95)
    assert out["method"] == "byar"
    assert out["rate"] == pytest.approx(26.0)
    # [PHEIM] 50.1632 and 82.8491 events in 250,000 people, per 100,000.
    assert out["lower"] == pytest.approx(50.1632 * 0.4, abs=5e-5)
    assert out["upper"] == pytest.approx(82.8491 * 0.4, abs=5e-5)


def test_rate_below_10_events_per_1000_at_998(env):
    result = indicators(
        env, "rate", "--count", "0", "--population", "2000", "--per", "1000", "--level", "99.8",
        "--json",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout)
    assert (out["method"], out["level"], out["per"], out["rate"], out["lower"]) == (
        "exact", 99.8, 1000, 0.0, 0.0,
    )  # fmt: skip
    # No events: the upper limit is -ln(0.001) events (closed form), per 2 thousand people.
    assert out["upper"] == pytest.approx(-math.log(0.001) / 2)


def test_rate_as_a_sentence(env):
    result = indicators(env, "rate", "--count", "65", "--population", "250000")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == (
        "Rate: 26.0 per 100,000 (95% confidence interval 20.1 to 33.1, Byar's method): "
        "65 events in a population of 250,000."
    )


def test_proportion_as_json(env):
    result = indicators(env, "proportion", "--count", "81", "--total", "263", "--json")
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout)
    assert out["count"] == 81 and out["total"] == 263
    assert out["proportion"] == pytest.approx(81 / 263)
    assert out["percent"] == pytest.approx(100 * 81 / 263)
    assert out["lower"] == pytest.approx(0.2553, abs=5e-5)  # [NEWCOMBE]
    assert out["upper"] == pytest.approx(0.3662, abs=5e-5)  # [NEWCOMBE]
    assert out["lower_percent"] == pytest.approx(25.53, abs=5e-3)
    assert out["upper_percent"] == pytest.approx(36.62, abs=5e-3)
    assert (out["level"], out["method"]) == (95, "wilson")


def test_proportion_as_a_sentence(env):
    result = indicators(env, "proportion", "--count", "81", "--total", "263")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == (
        "Proportion: 0.3080 (30.8%), 95% confidence interval 25.5% to 36.6% "
        "(Wilson score method): 81 of 263."
    )


def test_proportion_when_every_one_counts(env):
    result = indicators(env, "proportion", "--count", "20", "--total", "20", "--json")
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout)
    assert (out["proportion"], out["upper"]) == (1.0, 1.0)


@pytest.mark.parametrize(
    ("args", "expected", "code"),
    [
        (["rate", "--count", "-3", "--population", "100"], ["count must not be negative"], 1),
        (["rate", "--count", "3", "--population", "0"], ["population is 0", "--population"], 1),
        (["rate", "--count", "3", "--population", "-5"], ["population must not be negative"], 1),
        (["rate", "--count", "3", "--population", "100", "--per", "0"], ["per must be"], 1),
        (["rate", "--count", "3", "--population", "100", "--level", "42"], ["--level", "42"], 2),
        (["rate", "--count", "three", "--population", "100"], ["--count", "three"], 2),
        (["rate", "--population", "100"], ["--count"], 2),
        (["proportion", "--count", "5", "--total", "3"], ["must not exceed the total"], 1),
        (["proportion", "--count", "0", "--total", "0"], ["total is 0", "--total"], 1),
        (["proportion", "--count", "-1", "--total", "3"], ["count must not be negative"], 1),
        (["proportion", "--count", "1", "--total", "3", "--level", "0.95"], ["--level"], 2),
    ],
)
def test_bad_input_is_one_clear_line(env, args, expected, code):
    result = indicators(env, *args)
    assert_one_clear_line(result, *expected, code=code)
    assert result.stdout == ""
