"""Training at scale: the sufficient-statistics stage (``stats``), data-parallel training on
torch.distributed (``parallel``, its workers started by ``launch``) and device placement checked
without a GPU (``placement``).
"""
