"""zzgeo.errors: messages people can act on."""

from __future__ import annotations

import dataclasses

import pytest

from zzgeo.errors import DataError, Problem, UnknownKeyError, ValidationError, ZzgeoError
from zzgeo.messages import Text


@pytest.mark.parametrize(
    ("problem", "text"),
    [
        (Problem(Text(en="is not a latitude")), "is not a latitude"),
        (Problem(Text(en="bad"), row=17, column="lat"), "row 17, column lat: bad"),
        (Problem(Text(en="bad"), file="sites.csv", row=3), "sites.csv, row 3: bad"),
        (Problem(Text(en="bad"), file="sites.csv", column="lon"), "sites.csv, column lon: bad"),
        (Problem(Text(en="bad"), file="sites.csv", row=2, column="lon"), "sites.csv, row 2, column lon: bad"),
        (Problem(Text(en="no rows"), file="sites.csv"), "sites.csv: no rows"),
        (Problem(Text(en="first row"), row=0), "row 0: first row"),
    ],
)
def test_problem_str(problem, text) -> None:
    assert str(problem) == text


def test_a_problem_carries_a_text_message() -> None:
    """A problem's message is one Text; one known only in English shows in English in Chinese too."""
    both = Problem(Text(en="bad", zh="有误"), row=1)
    assert (both.text("zh"), both.text("en"), str(both)) == ("有误", "bad", "row 1: bad")
    english_only = Problem(Text(en="bad"))
    assert english_only.text("zh") == english_only.text("en") == "bad"
    assert not hasattr(both, "message_zh")


def test_problem_defaults_and_frozen() -> None:
    problem = Problem(Text(en="bad"), row=1, column="lat", value=117.6)
    assert problem.severity == "error"
    assert problem.value == 117.6
    with pytest.raises(dataclasses.FrozenInstanceError):
        problem.row = 2  # type: ignore[misc]


def test_validation_error_lists_every_problem() -> None:
    problems = [
        Problem(Text(en="117.6 is not a latitude — are lat and lon swapped?"), row=17, column="lat", file="sites.csv"),
        Problem(Text(en="'Mobile' is not an operator"), row=18, column="operator", file="sites.csv"),
    ]
    err = ValidationError(problems)
    assert isinstance(err, ZzgeoError)
    assert isinstance(err, ValueError)
    assert err.problems == tuple(problems)
    lines = str(err).splitlines()
    assert lines[0] == "2 problem(s) found"
    assert lines[1] == "- sites.csv, row 17, column lat: 117.6 is not a latitude — are lat and lon swapped?"
    assert lines[2] == "- sites.csv, row 18, column operator: 'Mobile' is not an operator"
    assert len(lines) == 3


def test_validation_error_custom_summary() -> None:
    err = ValidationError([Problem(Text(en="bad"), row=1)], summary="sites.csv cannot be loaded")
    assert str(err).splitlines() == ["sites.csv cannot be loaded", "- row 1: bad"]


def test_validation_error_truncates_after_50() -> None:
    problems = [Problem(Text(en=f"problem {i}"), row=i) for i in range(1, 61)]
    err = ValidationError(problems)
    lines = str(err).splitlines()
    assert lines[0] == "60 problem(s) found"
    assert lines[1] == "- row 1: problem 1"
    assert lines[50] == "- row 50: problem 50"
    assert lines[51] == "... and 10 more"
    assert len(lines) == 52
    assert "problem 51" not in str(err)
    assert len(err.problems) == 60  # all kept for callers


def test_validation_error_with_exactly_50_is_not_truncated() -> None:
    lines = str(ValidationError([Problem(Text(en="p"), row=i) for i in range(50)])).splitlines()
    assert len(lines) == 51
    assert "more" not in lines[-1]


def test_unknown_key_error() -> None:
    err = UnknownKeyError("layer kind", "roads", ["5g_sites", "data_centers"])
    assert isinstance(err, KeyError)
    assert isinstance(err, ZzgeoError)
    assert str(err) == "unknown layer kind 'roads'; valid: 5g_sites, data_centers"
    assert err.key == "roads"
    assert err.valid == ("5g_sites", "data_centers")
    with pytest.raises(KeyError):
        raise err


def test_data_error_is_a_value_error() -> None:
    err = DataError("population.csv: missing column(s) year")
    assert isinstance(err, ZzgeoError)
    assert isinstance(err, ValueError)
    assert str(err) == "population.csv: missing column(s) year"


def test_an_error_carries_a_text_message() -> None:
    """An error's message is one Text (no ``.zh`` set after construction); the fallback is Text.get's."""
    both = DataError(Text(en="the file is empty", zh="文件是空的"))
    assert both.message == Text(en="the file is empty", zh="文件是空的")
    assert str(both) == "the file is empty"
    assert (both.text("zh"), both.text("en")) == ("文件是空的", "the file is empty")
    assert DataError.of(both.message).message == both.message
    english_only = ZzgeoError("areas must be in EPSG:4326")
    assert english_only.message == Text(en="areas must be in EPSG:4326")
    assert english_only.text("zh") == english_only.text("en") == "areas must be in EPSG:4326"
    unknown = UnknownKeyError("layer kind", "x", ["a"])
    assert unknown.text("zh") == str(unknown) == "unknown layer kind 'x'; valid: a"
    assert not hasattr(ZzgeoError, "zh")
