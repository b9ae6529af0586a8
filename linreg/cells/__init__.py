"""The notes' six cells, in their order, each a stage of ``linreg run``.

backprop (1) → numpy_manual (2) → autograd (3) → optim (4) → linear (5) → module (6): each module
states its cell's math in its docstring and runs it as the notes do. ``recorder`` and ``device`` are
what only the torch cells use. Nothing here knows of processes, files or the CLI.
"""
