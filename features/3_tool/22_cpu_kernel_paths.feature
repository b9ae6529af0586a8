@kernels
Feature: The notes replay on every CPU
  torch's float32 sums follow the CPU they run on. MKL, which torch calls for nn.Linear's
  products, picks its code by instruction set: on the notes' four points its COMPATIBLE and SSE4.2
  branches add the rounded products gᵢ·xᵢ of ∂L/∂w in order, while its AVX2 and AVX-512 branches
  chain fused multiply-adds, which round once. ATen, torch's own kernels, picks vectorised code the
  same way: its AVX2 and AVX-512 kernels fuse SGD's w − lr·g, its default kernel rounds lr·g first.
  Either can change the last digit of a printed loss.

  Both choices are made when a process starts, from MKL_CBWR (MKL's reproducibility switch) and
  ATEN_CPU_CAPABILITY, so many paths can be taken on one machine: each scenario below runs in a
  process started on one path, after checking that it really ran there (the branch MKL_VERBOSE
  names, and torch.backends.cpu.get_cpu_capability()). A path this CPU cannot run is skipped,
  saying what ran instead. Which branches MKL honours is not a property of the vendor alone: an
  Intel Xeon with AVX-512 honours all four, an AMD EPYC of Zen 5, AVX-512 and all, honours only
  COMPATIBLE and runs its own choice (CNR:AUTO) for the others.

  So that every path is checked on every machine, linreg emulates the cells in numpy, whose IEEE
  arithmetic gives the same bits on any CPU, in four modes, one per kind of path: products rounded
  or fused, times a step rounded or fused. Each mode is checked below, number for number, against
  every real path of its kind this CPU can run, and against the other modes, so that the starts
  tell them apart. Then the nn cells' default starts must print the notes' logs in every mode:
  so a start that replays the notes on one summation order only (cell 6's w = 0.41818994,
  b = -0.035462197 does so only where MKL adds rounded products) fails here, on any machine.

  Scenario Outline: The notes' torch cells on MKL_CBWR=<mkl> with ATEN_CPU_CAPABILITY=<aten>
    Given the CPU kernel path MKL_CBWR=<mkl> and ATEN_CPU_CAPABILITY=<aten>
    When the cells "backprop, autograd, optim, linear, module" run on it, on torch's 1 and 2 threads
    Then each prints exactly what it prints in this process

    Examples:
      | mkl        | aten    |
      | COMPATIBLE | default |
      | COMPATIBLE | avx2    |
      | COMPATIBLE | avx512  |
      | SSE4_2     | default |
      | SSE4_2     | avx2    |
      | SSE4_2     | avx512  |
      | AVX2       | default |
      | AVX2       | avx2    |
      | AVX2       | avx512  |
      | AVX512     | default |
      | AVX512     | avx2    |
      | AVX512     | avx512  |

  Scenario Outline: The emulation's mode for MKL_CBWR=<mkl> with ATEN_CPU_CAPABILITY=<aten> computes what that path computes
    Given the CPU kernel path MKL_CBWR=<mkl> and ATEN_CPU_CAPABILITY=<aten>
    And 24 starts (w, b) drawn uniformly from [-1, 1]² by numpy's default_rng(0)
    When cell "linear" runs from each on it, on torch's 1 and 2 threads, every number kept bit for bit
    Then the emulation's mode for that path computes each run bit for bit
    And for each of the other three modes, some start computes otherwise

    Examples:
      | mkl        | aten    |
      | COMPATIBLE | default |
      | COMPATIBLE | avx2    |
      | COMPATIBLE | avx512  |
      | SSE4_2     | default |
      | SSE4_2     | avx2    |
      | SSE4_2     | avx512  |
      | AVX2       | default |
      | AVX2       | avx2    |
      | AVX2       | avx512  |
      | AVX512     | default |
      | AVX512     | avx2    |
      | AVX512     | avx512  |

  Scenario: The nn cells' default starts print the notes' logs in every mode of the emulation
    The cells' own features hold this process's output to the notes' digits; here every mode must
    print that output too, so the defaults replay the notes on every kind of CPU kernel path,
    whichever of them this CPU can run.
    When the cells "linear, module" run in every mode of the emulation
    Then in each mode each prints exactly what it prints in this process
