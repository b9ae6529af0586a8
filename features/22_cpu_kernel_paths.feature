@kernels
Feature: The notes replay on every CPU
  torch's float32 sums follow the CPU they run on. MKL, which torch calls for nn.Linear's
  products, picks its code by instruction set: on the notes' four points its SSE4.2 path (what an
  AMD EPYC gets) adds the rounded products gᵢ·xᵢ of ∂L/∂w in order, while its AVX2 and AVX-512
  paths (an Intel Xeon) chain fused multiply-adds, which round once. ATen, torch's own kernels,
  picks vectorised code the same way: its AVX2 and AVX-512 kernels fuse SGD's w − lr·g, its
  default kernel rounds lr·g first. Either can change the last digit of a printed loss.

  Both choices are made when a process starts, from MKL_CBWR (MKL's reproducibility switch) and
  ATEN_CPU_CAPABILITY, so every path can be taken on one machine: each scenario below runs the
  notes' torch cells in a process started on one path, after checking that it really ran there
  (the branch MKL_VERBOSE names, and torch.backends.cpu.get_cpu_capability()). A path this CPU
  cannot run is skipped, saying what ran instead. Each cell must print there, on torch's 1 and 2
  threads, exactly what it prints in this process, which the cells' own features hold to the
  notes' digits. So a start that replays the notes on one CPU only (cell 6's
  w = 0.41818994, b = -0.035462197 does so only on MKL's SSE4.2 path) fails here.

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
