"""The living doc reads as the notes: each cell's prose, code and printed lines above its scenarios,
the stack in the header, and plots that leave a loss of 0 off the log scale and draw b.

The page itself, in Chromium, is tests/test_living_doc.py's (``pytest -m browser``).
"""

from __future__ import annotations

import platform
from pathlib import Path

import numpy as np
from linreg.spec.steps.checkout.report_steps import schema_errors

from linreg import Settings, train
from linreg.plot import ZERO_NOTE, figure
from linreg.spec import notebook, stack
from linreg.spec.messages import LivingDoc
from linreg.spec.notespage import describe

ROOT = Path(__file__).resolve().parent.parent
NOTES = ROOT / "notes" / "notes.ipynb"


def _description(doc: LivingDoc) -> str:
    (document,) = [m["gherkinDocument"] for m in doc.messages() if "gherkinDocument" in m]
    return str(document["feature"]["description"])


def test_a_cells_feature_opens_with_the_notes_prose_code_and_printed_lines() -> None:
    doc = LivingDoc(ROOT, [ROOT / "features" / "1_notes" / "02_numpy_manual.feature"], NOTES)
    text = _description(doc)
    cell = notebook.read(NOTES)[1]
    assert text.startswith('<div class="linreg-notes">\n\n**From the notes: code cell 2** (`In [ ]`)')
    assert "##### Building Linear Regression from scrach with numpy" in text
    assert f"```python\n{cell.source.rstrip()}\n```" in text
    assert "| 6 | `epoch 9: w = 1.999, loss = 0.00001288` | 02_numpy_manual.feature:33 |" in text
    assert text.endswith("epoch e is printed when e − 1 is even.")  # the feature's own description, last
    assert schema_errors(doc.messages()) == []


def test_without_the_notes_a_feature_keeps_its_own_description() -> None:
    doc = LivingDoc(ROOT, [ROOT / "features" / "1_notes" / "02_numpy_manual.feature"])
    assert (
        _description(doc)
        .lstrip()
        .startswith('Fit <span class="linreg-math" title="f = w·x">f = w·x</span> to X = [1, 2, 3, 4]')
    )


def test_a_feature_that_is_no_cell_of_the_notes_is_left_as_written() -> None:
    doc = LivingDoc(ROOT, [ROOT / "features" / "2_implicit" / "07_implicit_rules.feature"], NOTES)
    assert "From the notes" not in _description(doc)


def test_the_notes_images_their_export_lacks_are_named_not_requested() -> None:
    cell = notebook.read(NOTES)[0]
    text = describe(cell, [], "")
    assert "attachment:" not in text
    assert text.count("*(an image of the notes, image-2.png, that their export does not hold)*") == 2


def test_the_header_names_python_torch_numpy_the_cpu_and_its_kernel_path() -> None:
    import torch  # noqa: F401  (the kernel path is torch's, once it is loaded)

    (meta,) = [m["meta"] for m in LivingDoc(ROOT, []).messages() if "meta" in m]
    versions = stack.installed()
    assert (
        meta["runtime"]["version"]
        == f"{platform.python_version()}, torch {versions['torch']}, numpy {versions['numpy']}"
    )
    assert meta["os"]["version"].startswith(f"{platform.release()}, ")
    assert "kernels: ATen " in meta["os"]["version"]
    assert "MKL_CBWR=" in meta["os"]["version"]


def test_a_loss_of_exactly_0_is_left_off_the_log_scale_and_marked() -> None:
    from matplotlib import pyplot as plt

    history = train(Settings.for_stage("numpy"))  # the notes' cell 2: its 20th loss is exactly 0 in float32
    zero = [r.epoch for r in history.epochs if r.loss == 0]
    assert zero == [20]
    fig = figure([history])
    ax_loss = fig.axes[0]
    curve = ax_loss.lines[0]
    assert np.isnan(np.asarray(curve.get_ydata())[19])
    assert ax_loss.get_ylim()[0] > 1e-20, f"the log scale reaches down to {ax_loss.get_ylim()[0]:g}"
    (marks,) = ax_loss.collections
    assert np.asarray(marks.get_offsets()).tolist() == [[20.0, 0.0]]  # epoch 20, on the bottom edge
    assert ZERO_NOTE in [t.get_text() for t in ax_loss.texts]
    assert fig.axes[1].get_xlim() == ax_loss.get_xlim()
    plt.close(fig)


def test_the_living_docs_plot_draws_b_where_the_model_has_one() -> None:
    from matplotlib import pyplot as plt

    linear = train(Settings.for_stage("linear"))
    fig = figure([linear], with_b=True)
    ax_w = fig.axes[1]
    _w, curve_b, _dots = ax_w.lines
    assert curve_b.get_linestyle() == "--"
    assert np.asarray(curve_b.get_ydata()).tolist() == [r.b for r in linear.epochs]
    assert ax_w.get_ylabel() == "w and b (after the update)"
    plt.close(fig)
    fig = figure([train(Settings.for_stage("numpy"))], with_b=True)
    assert len(fig.axes[1].lines) == 2, "a model without b draws w alone"
    assert fig.axes[1].get_ylabel() == "w (after the update)"
    plt.close(fig)
