@kernels
Feature: The notes replay on every CPU
  torch's float32 sums follow the CPU they run on. MKL, which torch calls for nn.Linear's
  products, picks its code by instruction set: on the notes' four points its COMPATIBLE and SSE4.2
  branches add the rounded products gᵢ·xᵢ of ∂L/∂w in order, while its AVX2 and AVX-512 branches
  chain fused multiply-adds, which round once. ATen, torch's own kernels, picks vectorised code the
  same way: its AVX2 and AVX-512 kernels fuse SGD's w − lr·g, its default kernel rounds lr·g first.
  Either can change the last digit of a printed loss.

  Both choices are made when a process starts, so many paths can be taken on one machine: each
  scenario below runs the cells in processes started on the paths of one kind, after checking that
  each really ran there. Which paths a CPU runs is not a property of the vendor alone: an Intel Xeon
  with AVX-512 runs all twelve (four MKL branches, three ATen kernels), an AMD EPYC of Zen 5,
  AVX-512 and all, only those of MKL's COMPATIBLE branch, which adds rounded products; a kind of
  path this CPU runs none of is skipped, saying what ran instead (tests/test_kernel_paths.py checks
  each of the twelve, or says why not).

  So that every path is checked on every machine, linreg emulates the cells in numpy, whose IEEE
  arithmetic gives the same bits on any CPU, in four modes, one per kind of path: products rounded
  or fused, times a step rounded or fused. Each mode is checked below, number for number, against
  every real path of its kind this CPU can run, and against the other modes, so that the starts
  tell them apart. Then the nn cells' default starts must print the notes' logs in every mode:
  so a start that replays the notes on one summation order only (cell 6's w = 0.41818994,
  b = -0.035462197 does so only where MKL adds rounded products) fails here, on any machine.

  Scenario Outline: The notes' torch cells on the paths that <products> and <step>
    Given the CPU kernel paths that <products> and <step>
    When the cells "backprop, autograd, optim, linear, module" run on each of them, on torch's 1 and 2 threads
    Then each prints exactly what it prints in this process

    Examples:
      | products                  | step             |
      | add rounded products      | round lr·g first |
      | add rounded products      | fuse w − lr·g    |
      | chain fused multiply-adds | round lr·g first |
      | chain fused multiply-adds | fuse w − lr·g    |

  Scenario Outline: The emulation's mode for the paths that <products> and <step> computes what they compute
    Given the CPU kernel paths that <products> and <step>
    And 24 starts (w, b) drawn uniformly from [-1, 1]² by numpy's default_rng(0)
    When cell "linear" runs from each on each of them, on torch's 1 and 2 threads, every number kept bit for bit
    Then the emulation's mode for those paths computes each run bit for bit
    And for each of the other three modes, some start computes otherwise

    Examples:
      | products                  | step             |
      | add rounded products      | round lr·g first |
      | add rounded products      | fuse w − lr·g    |
      | chain fused multiply-adds | round lr·g first |
      | chain fused multiply-adds | fuse w − lr·g    |

  Scenario: The nn cells' default starts print the notes' logs in every mode of the emulation
    The cells' own features hold this process's output to the notes' digits; here every mode must
    print that output too, so the defaults replay the notes on every kind of CPU kernel path,
    whichever of them this CPU can run.
    When the cells "linear, module" run in every mode of the emulation
    Then in each mode each prints exactly what it prints in this process
