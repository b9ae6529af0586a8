"""CPU kernel paths: the code paths MKL and ATen can take on this CPU, and replays on each of them.

torch's float32 results follow the CPU. MKL picks its SGEMM kernel by instruction set: for
nn.Linear's ∂L/∂w = Σᵢ gᵢ·xᵢ over the notes' four points, its SSE4.2 path adds the rounded
products in order and its AVX2 and AVX-512 paths chain fused multiply-adds, so the sum can differ
in its last bit. ATen picks its vectorised kernels by ATEN_CPU_CAPABILITY: its AVX2 and AVX-512
kernels fuse SGD's w − lr·g, its default kernel rounds lr·g first. Both choices are read from
MKL_CBWR and ATEN_CPU_CAPABILITY at a process's first kernel call, so each path is a child forked
from a worker that has imported torch but run nothing. The child first reports what really ran
(the CNR branch MKL runs, by mkl_cbwr_get, ``torch.backends.cpu.get_cpu_capability()``): a path the CPU
lacks falls back to another and is skipped, with that reason (which branches MKL honours depends
on the CPU and MKL's own choices, not on the vendor alone: an AMD EPYC of Zen 5 honours only
COMPATIBLE). Then it replays runs on torch's 1 and 2 threads, giving their logs or, asked for
``exact``, every number bit for bit (``trajectory``), which feature 22 compares with the emulation.
"""

from __future__ import annotations

import atexit
import functools
import os
import pickle
import subprocess
import sys
from collections.abc import Sequence

from linreg import root
from linreg.recover.paths import THREADS, KernelPath, Lines, Replays, Skip, every_path, trajectory
from linreg.settings import Settings


class Workers:
    """A fresh interpreter that has imported torch but run nothing: each request forks one child per path.

    A child sets MKL_CBWR and ATEN_CPU_CAPABILITY before its first kernel call, which is when MKL
    and ATen read them, so a request costs a fork per path instead of an import of torch per path.
    A path the CPU lacks is asked for once: later requests give the same reason without a fork.
    """

    def __init__(self) -> None:
        home = str(root())  # the worker imports the linreg this process imports
        env = {**os.environ, "PYTHONPATH": os.pathsep.join([home, os.environ.get("PYTHONPATH", "")])}
        self._proc = subprocess.Popen(
            [sys.executable, "-m", "linreg.recover.kernels"],
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
        )
        self._lacks: dict[KernelPath, Skip] = {}  # paths this CPU cannot run, with the reason

    def replay(
        self, runs: Sequence[Settings], paths: Sequence[KernelPath] | None = None, exact: bool = False
    ) -> Replays:
        """Each run's printed lines on each of ``paths`` (every path), once per thread count in ``THREADS``;
        with ``exact``, its every number bit for bit instead (``trajectory``)."""
        assert self._proc.stdin is not None  # opened with PIPE above
        assert self._proc.stdout is not None
        wanted = list(paths or every_path())
        ask = [path for path in wanted if path not in self._lacks]
        replays = Replays({}, {})
        if ask:
            pickle.dump((ask, list(runs), exact), self._proc.stdin)
            self._proc.stdin.flush()
            try:
                replays = pickle.load(self._proc.stdout)
            except EOFError:
                msg = f"the kernel-path worker exited (status {self._proc.wait()})"
                raise RuntimeError(msg) from None
        self._lacks |= {path: why for path, why in replays.skipped.items() if why.lacked}
        skipped = {path: replays.skipped.get(path) or self._lacks[path] for path in wanted if path not in replays.lines}
        return Replays(replays.lines, skipped)

    def close(self) -> None:
        if self._proc.stdin is not None:
            self._proc.stdin.close()  # end of requests: the worker leaves
        self._proc.wait()
        if self._proc.stdout is not None:
            self._proc.stdout.close()


@functools.cache
def workers() -> Workers:
    """This process's kernel-path worker; started on first use, closed at exit."""
    pool = Workers()
    atexit.register(pool.close)
    return pool


def _skip(path: KernelPath, mkl_ran: str | None, aten_ran: str) -> Skip | None:
    """Why ``path`` did not run, from what ran (None: it ran as asked)."""
    if mkl_ran is None:
        return Skip("no MKL")
    if mkl_ran != path.mkl:
        return Skip("MKL", mkl_ran)
    if aten_ran.lower() != path.aten:
        return Skip("ATen", aten_ran)
    return None


_BRANCHES = {1: "OFF", 2: "AUTO", 3: "COMPATIBLE", 8: "SSE4_2", 9: "AVX", 10: "AVX2", 12: "AVX512"}  # mkl_cbwr.h


def mkl_branch(verbose: bool = False) -> str | None:
    """The CNR branch MKL runs in this process (None: torch has no MKL), as mkl_cbwr_get(MKL_CBWR_BRANCH)
    answers at once; with ``verbose``, as MKL_VERBOSE names it for one SGEMM instead (the documented
    way, but MKL's first verbose call measures the clock for a second). tests/test_kernel_paths.py
    checks that the two agree on every path."""
    import ctypes
    import tempfile

    import torch

    if not torch.backends.mkl.is_available():  # type: ignore[no-untyped-call]
        return None
    lib = ctypes.CDLL(os.path.join(os.path.dirname(torch.__file__), "lib", "libtorch_cpu.so"))
    if not verbose and hasattr(lib, "mkl_serv_cbwr_get"):  # MKL linked into torch: its settings are in reach
        branch: int = lib.mkl_serv_cbwr_get(1)  # 1 is MKL_CBWR_BRANCH
        return _BRANCHES.get(branch, f"branch {branch}")
    with tempfile.TemporaryFile() as c_out:  # MKL_VERBOSE prints from C to fd 1
        saved = os.dup(1)
        os.dup2(c_out.fileno(), 1)
        with torch.backends.mkl.verbose(torch.backends.mkl.VERBOSE_ON):  # type: ignore[no-untyped-call]
            torch.ones(1, 4) @ torch.ones(4, 1)  # one SGEMM: MKL_VERBOSE names its CNR branch
        ctypes.CDLL(None).fflush(None)
        os.dup2(saved, 1)
        c_out.seek(0)
        words = c_out.read().decode(errors="replace").split()
    return next((w.removeprefix("CNR:") for w in words if w.startswith("CNR:")), "unknown")


def _child(path: KernelPath, runs: list[Settings], exact: bool) -> tuple[Skip | None, list[list[Lines]]]:
    """In a forked child: take ``path``, check what ran, replay ``runs``; (why it did not run, lines)."""
    import torch

    from linreg.determinism import torch_threads
    from linreg.errors import LinregError
    from linreg.history import History
    from linreg.stages import run

    os.environ |= {"MKL_CBWR": path.mkl, "ATEN_CPU_CAPABILITY": path.aten}
    skip = _skip(path, mkl_branch(), torch.backends.cpu.get_cpu_capability())
    if skip is not None:
        return skip, []

    def lines(settings: Settings, threads: int) -> Lines:
        try:
            with torch_threads(threads):
                result = run(settings)
        except LinregError as exc:  # a start that diverges replays nothing
            return [f"linreg: error: {exc}"]
        if exact and isinstance(result, History) and result.after is not None:
            return trajectory(result.before, ((r.w, r.b or 0.0, r.loss) for r in result.epochs), result.after)
        return result.lines()

    return None, [[lines(s, t) for t in THREADS] for s in runs]


def _serve() -> None:
    """The worker: import torch and every stage, run nothing, then fork one child per path per request."""
    import torch._dynamo  # optim.SGD's first step imports it: once here, not in every child
    import torch.optim  # noqa: F401

    from linreg.cells import autograd, backprop, linear, module, optim  # noqa: F401 - loaded once, before the forks

    while True:
        try:
            paths, runs, exact = pickle.load(sys.stdin.buffer)  # sent by Workers.replay
        except EOFError:
            return
        children = []
        for path in paths:
            read, write = os.pipe()
            pid = os.fork()
            if pid == 0:  # the child: nothing of it returns but its pickled answer
                os.close(read)
                try:
                    answer = pickle.dumps(_child(path, runs, exact))
                except BaseException as exc:  # reported to the parent as a skip
                    answer = pickle.dumps((Skip("failed", f"{type(exc).__name__}: {exc}"), []))
                with os.fdopen(write, "wb") as out:
                    out.write(answer)
                os._exit(0)
            os.close(write)
            children.append((path, pid, read))
        done = {}
        for path, pid, read in children:
            with os.fdopen(read, "rb") as answers:
                done[path] = pickle.loads(answers.read())
            os.waitpid(pid, 0)
        ran = {p: ls for p, (why, ls) in done.items() if why is None}
        replays = Replays(ran, {p: why for p, (why, _) in done.items() if why is not None})
        pickle.dump(replays, sys.stdout.buffer)
        sys.stdout.buffer.flush()


if __name__ == "__main__":  # the worker Workers starts; its answers must unpickle as linreg.recover.kernels types
    import gc

    from linreg.recover.kernels import _serve as serve

    serve()
    gc.freeze()  # its end tears nothing of torch down (as cli.console): Workers.close waits for it
