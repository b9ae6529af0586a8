"""Training at scale: the sufficient-statistics stage (``stats``), data-parallel training on
torch.distributed (``parallel``: one worker; ``local``: --workers K started as torchrun starts them,
forked by ``launch``, with Ctrl-C and SIGTERM held while they start and end: ``interrupts``) and
device placement checked without a GPU (``placement``).
"""
