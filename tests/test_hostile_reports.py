"""Hostile targets for the files the plugin writes, and hostile JSON for ``python -m linreg.spec.compare``.

A target that cannot be written is refused before the run, in one line; a written file goes through
a uniquely named temporary file, so a user's ``.keep.json.partial`` is never touched, and nothing is
left behind when writing fails. ``compare`` refuses anything that is not a report with one
``compare: error:`` line and exit status 2: the named cases, then JSON that Hypothesis generates
(a valid report with one field replaced by any JSON value, and JSON of any shape), a few hundred
in the default run, thousands under ``pytest -m slow``.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
from pathlib import Path
from typing import Any

import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from samples import ARGS, GOOD, bounded

from linreg.atomic import write_whole
from linreg.spec import compare


@pytest.mark.parametrize(
    ("option", "said"),
    [
        ("--linreg-report=/proc/r.json", "--linreg-report '/proc/r.json': cannot write in '/proc' (No such file or "
         "directory): give a folder you can write"),
        ("--linreg-report=folder.json", "--linreg-report 'folder.json' is a folder: give a .json file"),
        ("--linreg-report=nowhere/r.json",
         "--linreg-report 'nowhere/r.json': give a .json file in a folder that exists"),
        ("--living-doc=/proc/doc.html", "--living-doc '/proc/doc.html': cannot write in '/proc' (No such file or "
         "directory): give a folder you can write"),
        ("--living-doc=folder.html", "--living-doc 'folder.html' is a folder: give a .html (the page) or .ndjson "
         "(its Cucumber Messages) file"),
    ],
    ids=["in /proc", "a folder", "no such folder", "living doc in /proc", "living doc a folder"],
)  # fmt: skip
def test_a_target_that_cannot_be_written_is_refused_before_the_run(
    pytester: pytest.Pytester, option: str, said: str
) -> None:
    pytester.makefile(".feature", my=GOOD)
    pytester.mkdir("folder.json")
    pytester.mkdir("folder.html")
    result = pytester.runpytest(*ARGS, "my.feature", option)
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    assert [line for line in result.errlines if line.strip()] == [f"ERROR: {said}"]
    assert "passed" not in result.stdout.str()  # refused before the scenario ran
    assert sorted(p.name for p in pytester.path.iterdir()) == ["folder.html", "folder.json", "my.feature"]


def test_a_users_partial_file_is_never_touched(pytester: pytest.Pytester) -> None:
    pytester.makefile(".feature", my=GOOD)
    for name in (".keep.json.partial", ".doc.html.partial"):
        (pytester.path / name).write_text("mine\n", encoding="utf-8")
    pytester.runpytest(*ARGS, "my.feature", "--linreg-report=keep.json", "--living-doc=doc.html").assert_outcomes(
        passed=1
    )
    assert json.loads((pytester.path / "keep.json").read_text(encoding="utf-8"))["label"] == "keep"
    for name in (".keep.json.partial", ".doc.html.partial"):
        assert (pytester.path / name).read_text(encoding="utf-8") == "mine\n"
    assert sorted(p.name for p in pytester.path.iterdir() if p.name.endswith(".partial")) == [
        ".doc.html.partial",
        ".keep.json.partial",
    ]


def test_a_write_that_fails_leaves_the_target_and_no_temporary_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "run.json"
    target.write_text("old\n", encoding="utf-8")
    target.chmod(0o640)

    def no_space(source: str, destination: Path) -> None:
        raise OSError(28, "No space left on device")

    with monkeypatch.context() as patch:
        patch.setattr(os, "replace", no_space)
        with pytest.raises(OSError, match="No space left"):
            write_whole(target, b"new\n")
    assert [p.name for p in tmp_path.iterdir()] == ["run.json"]
    assert target.read_text(encoding="utf-8") == "old\n"
    write_whole(target, b"new\n")
    assert target.read_text(encoding="utf-8") == "new\n"
    assert target.stat().st_mode & 0o777 == 0o640  # the target's mode is kept


def _report(**changes: object) -> dict[str, Any]:
    number = {
        "feature": "my.feature",
        "path": "my.feature",
        "scenario": "y = 3x converges",
        "test": "my.feature::test_y_3x_converges",
        "line": 9,
        "row": 9,
        "column": 29,
        "cell": "numpy",
        "epoch": "11",
        "quantity": "w",
        "documented": "3.000",
        "got": "3.000",
        "held": True,
        "within_tolerance": False,
    }
    return {"label": "run", "environment": {"torch": "2.4.0", "numpy": "2.0.0"}, "numbers": [number | changes]}


def _compared(folder: Path, text: str) -> tuple[int, str, str]:
    (folder / "run.json").write_text(text, encoding="utf-8", errors="surrogatepass")
    out, err = io.StringIO(), io.StringIO()
    with contextlib.chdir(folder), contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = compare.main(["run.json"])
    return status, out.getvalue(), err.getvalue()


def _answers_or_refuses_in_one_line(folder: Path, text: str) -> None:
    status, out, err = _compared(folder, text)
    if status == 2:
        assert err.startswith("compare: error: run.json: not a report that pytest --linreg-report wrote (")
        assert err.count("\n") == 1, err
        assert out == ""
    else:
        assert status in (0, 1), status
        assert err == ""
        assert out.startswith("Runs: "), out


@pytest.mark.parametrize(
    ("text", "why"),
    [
        (json.dumps(_report(held="yes")), "number 1 has no valid 'held'"),
        (json.dumps(_report(got=12345)), "number 1 has no valid 'got'"),
        (json.dumps(_report(cell=None)), "number 1 has no valid 'cell'"),
        (json.dumps(_report(documented="abc", held=False)), "number 1 documents 'abc', which is no number as printed"),
        (json.dumps(_report(documented="1e999999999", held=False)), "number 1 documents '1e999999999', which is no "
         "number as printed"),
        (json.dumps(_report(got="three", held=False)),
         "number 1 was printed as 'three', which is no number as printed"),
        (json.dumps(_report(got="3.001")), "number 1 says held is True where it documents '3.000' and printed '3.001'"),
        (json.dumps(_report() | {"label": {"a": 1}}), "its label is not text"),
        (json.dumps(_report() | {"environment": {"torch": [2], "numpy": "2"}}),
         "a value of its environment is not text"),
        ("[" * 100_000 + "]" * 100_000, "JSON nested too deep"),
        ('{"numbers": [], "label": ' + "{\"a\": " * 100_000 + "1" + "}" * 100_000 + "}", "JSON nested too deep"),
        ("1" * 5000, "Exceeds the limit (4300 digits) for integer string conversion"),
    ],
    ids=["held yes", "got a number", "cell null", "documented text", "documented overflow", "got text",
         "held but moved", "label object", "environment list", "deep array", "deep object", "huge integer"],
)  # fmt: skip
def test_compare_refuses_a_hostile_report_in_one_line(tmp_path: Path, text: str, why: str) -> None:
    status, out, err = _compared(tmp_path, text)
    assert (status, out) == (2, "")
    assert err.startswith("compare: error: run.json: not a report that pytest --linreg-report wrote (")
    assert why in err, err
    assert err.count("\n") == 1, err


def test_compare_reads_a_report_it_refused_nothing_of(tmp_path: Path) -> None:
    status, out, err = _compared(tmp_path, json.dumps(_report(got="3.001", held=False)))
    assert (status, err) == (1, "")
    assert out.splitlines()[-1] == "1 documented number moved or differ between the runs."


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=12),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=12,
)
_FIELD = st.sampled_from(
    ["feature", "cell", "epoch", "quantity", "documented", "got", "line", "held", "scenario", "test", "row",
     "column", "within_tolerance", "path"]
)  # fmt: skip
_NUMBER_TEXT = st.one_of(
    st.sampled_from(["", "nan", "inf", "-inf", "1e400", "-0", "3.000", "3.001", "1.", "0x10", "١٢", "1_0"]),
    st.from_regex(r"-?\d{1,6}(\.\d{0,8})?(e[-+]?\d{1,4})?", fullmatch=True),
    st.from_regex(r"-?\d{1,3}(\.\d{0,3})?e[-+]?\d{5,9}", fullmatch=True),  # beyond float, and Decimal's exponents
)
_DEEP = st.tuples(st.integers(500, 200_000), st.sampled_from(["[", '{"a": '])).map(
    lambda depth: depth[1] * depth[0] + "1" + ("]" if depth[1] == "[" else "}") * depth[0]
)


_TOP = st.sampled_from(["label", "environment", "stack", "numbers"])


def _mutated(field: str, value: object) -> str:
    return json.dumps(_report(**{field: value}))


REPORTS = st.one_of(
    st.builds(_mutated, _FIELD, _JSON),
    st.builds(lambda d, g: json.dumps(_report(documented=d, got=g, held=d == g)), _NUMBER_TEXT, _NUMBER_TEXT),
    st.builds(lambda top: json.dumps(_report() | top), st.dictionaries(_TOP, _JSON, max_size=2)),
    _JSON.map(json.dumps),
    _DEEP,
    st.text(max_size=40),
)


@example(json.dumps(_report(documented="1e400", got="1", held=False)))
@example(json.dumps(_report(documented="3.000", got="1e999999", held=False)))
@example("[" * 2203 + "1" + "]" * 2203)  # found by the generation below, on the compare before this check
@example(json.dumps(_report(documented="𞋰𝟴൦.႒0߈e𑛈໑᧘٣෧᭐༢໔𑵙", got="-꤅൫൫.e-၇𑓑୬٦७᠔᪘႙𑙖", held=False)))  # found so too
@example(json.dumps(_report(documented="৪௮𑛅.༦৭߄e-൪᱃๑2۵੬८", got="-߂੯e-႐౨૦០៧", held=False)))  # found so, on this check
@given(REPORTS)
@bounded(300)
def test_compare_answers_any_json_or_refuses_it_in_one_line(tmp_path: Path, text: str) -> None:
    _answers_or_refuses_in_one_line(tmp_path, text)


@pytest.mark.slow
@given(REPORTS)
@bounded(5_000)
def test_compare_answers_any_json_or_refuses_it_in_one_line_at_length(tmp_path: Path, text: str) -> None:
    _answers_or_refuses_in_one_line(tmp_path, text)
