"""recover: the start an nn cell was run from, found again from its printed log.

``search`` (the entry: ``recover``) reads the log back (``logread``), fits the affine model of GD
(``affine``), screens float32 starts in an emulation of the cells (``emulate``, ``screen``) and
replays the best for real (``replays``) in this process and on every CPU kernel path (``kernels``,
which answers in data: ``paths``). What it says about paths and starts is worded in ``wording``.
"""
