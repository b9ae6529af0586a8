"""One boundary: every value that enters linreg is checked here, once, against the stage that uses it.

A stage computes in one float type (``Stage.dtype``: float32 for the cells, float64 for stats), so
a number is allowed when it is finite *in that type*: 1e39 is a fine float64 but inf in float32.
Counts are whole numbers, seeds within what torch takes (0 ≤ seed < 2⁶⁴), sizes checked before
anything is allocated for them, options that a stage does not use refused rather than ignored,
and options that contradict each other (a seed draws the start that --init gives) refused.
Each refusal is a ``LinregError`` naming the value and what is allowed; the command line prints
it as one line. Learning rates above the stable bound 2/λmax are allowed (the notes' lesson is
what happens there) and the command line warns of them (``unstable``).

The rooms: ``values`` (one number, one list, in a float type), ``options`` (one run's settings
together), ``outcomes`` (the predictions a user asked for, before and after training), ``files``
(what data files bring in, what linreg writes, the temporary folder).
"""

from linreg.validate.files import npy_rows, output_path, points, temporary_folder
from linreg.validate.options import RECOVER_EPOCHS, SEED_LIMIT, applies, recover_epochs, settings, workers_for
from linreg.validate.outcomes import one_step, prediction, prediction_ahead, unstable
from linreg.validate.values import column, in_dtype, largest, number, numbers, parse_numbers, show, whole

__all__ = [
    "RECOVER_EPOCHS",
    "SEED_LIMIT",
    "applies",
    "column",
    "in_dtype",
    "largest",
    "npy_rows",
    "number",
    "numbers",
    "one_step",
    "output_path",
    "parse_numbers",
    "points",
    "prediction",
    "prediction_ahead",
    "recover_epochs",
    "settings",
    "show",
    "temporary_folder",
    "unstable",
    "whole",
    "workers_for",
]
