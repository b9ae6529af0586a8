@cli
Feature: Running the torch stages on a GPU
  `--device cuda` (or cuda:K) runs a torch stage's tensors and model on a CUDA GPU. Where torch
  sees no GPU the run is refused with one line that says so; it never falls back to the CPU
  silently. Scenarios that need a GPU are skipped, with the reason, where there is none, and the
  one that shows the refusal is skipped where there is one.

  @no_gpu
  Scenario: Without a GPU, --device cuda says so
    When I run "linreg run linear --device cuda"
    Then the exit status is 2
    And stdout is empty
    And stderr is the one line "linreg: error: device 'cuda': this machine has no CUDA GPU that torch can use; run with --device cpu"

  @gpu
  Scenario Outline: On a GPU, <stage> reproduces its CPU log
    Given the "<stage>" stage with the notes' settings
    When the run on cuda is compared with the run on cpu
    Then the runs differ by at most 1e-6 of scale at every epoch

    Examples:
      | stage    |
      | autograd |
      | optim    |
      | linear   |
      | module   |

  Scenario Outline: --device is for the torch stages only: <stage>
    When I run "linreg run <stage> --device cuda"
    Then the exit status is 2
    And stderr is the one line "linreg: error: device 'cuda' is not allowed for stage <stage>: use cpu, or cuda for a torch stage"

    Examples:
      | stage    |
      | backprop |
      | numpy    |
      | stats    |
