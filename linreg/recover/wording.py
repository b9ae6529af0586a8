"""What recover says about CPU kernel paths, in words: every sentence formed here, from data.

The kernel-path workers answer in data (``linreg.recover.paths``: the paths, what they printed, a
``Skip`` for each that did not run); recover's search answers with a ``Recovery``. This module turns
them into the words a person reads: why a path did not run here (``reason``) and recover's line on
stderr about where its start replays (``paths_line``), naming groups of paths in the data model's
own notation (``paths.describe``).
"""

from __future__ import annotations

import numpy as np

from linreg.recover.paths import THREADS, Skip, describe
from linreg.recover.search import Recovery


def reason(skip: Skip) -> str:
    """Why a path did not run here, in words: ``MKL ran its COMPATIBLE branch, not the one asked for: …``."""
    if skip.kind == "no MKL":
        return "this torch does not use MKL"
    if skip.kind == "MKL":
        return f"MKL ran its {skip.ran} branch, not the one asked for: this CPU lacks it"
    if skip.kind == "ATen":
        return f"ATen ran {skip.ran}, not the capability asked for: this CPU lacks it"
    return f"failed: {skip.ran}"


def paths_line(found: Recovery) -> str:
    """Where the recovered start prints the log, in the emulation and for real, in one line."""
    threads, on = " and ".join(str(t) for t in THREADS), describe(found.replays_on)
    only_here = "the start was replayed on this process's CPU kernel path only" + (
        "" if found.skipped else " (--here-only)"
    )
    if found.emulated and not found.in_every_mode:  # a log that only some kinds of CPU print
        said = "no start prints the log in every mode of the emulation, one per kind of CPU kernel path; "
        said += f"this one prints it in the modes for {describe(found.mode_paths)}"
        for (w, b), paths in found.elsewhere:
            said += f"; from {np.float32(w)!s},{np.float32(b)!s} it prints it in the modes for {describe(paths)}"
        if found.checked:
            said += f"; checked for real on {describe(found.checked)}, on {threads} threads: "
            said += "each replays it on the paths of its modes and no other"
        else:
            said += f"; {only_here}"
        said += "" if found.here else "; this one does not replay it in this process"
    elif not found.checked:  # --here-only, or no other path runs on this CPU (said below)
        said = only_here
    elif found.portable and found.emulated:
        said = (
            "the start prints the log in every mode of the emulation, one per kind of CPU kernel path, and "
            f"replays it on every path checked, on {threads} threads: {on}"
        )
    elif found.portable:
        said = f"the start replays the log on every CPU kernel path checked, on {threads} threads: {on}"
    else:  # data the emulation does not follow exactly: where the start replays, for real only
        said = "no start replays the log on every CPU kernel path checked; "
        if not found.here:
            said += f"none replays it on this process's CPU kernel path; this one replays it on {on}"
        elif found.replays_on:
            said += f"this one replays it here and on {on}"
        else:
            said += "this one replays it here only"
        for (w, b), paths in found.elsewhere:
            said += f"; from {np.float32(w)!s},{np.float32(b)!s} it replays on {describe(paths)}"
    if found.skipped:
        said += "; not run on this CPU: " + ", ".join(f"{p} ({reason(why)})" for p, why in found.skipped)
    return said
