@devices
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

  Scenario Outline: Without a GPU, <stage> still keeps every tensor on the device it is given
    A GPU refuses an operation that mixes its tensors with the CPU's ("Expected all tensors to be
    on the same device"), so a tensor made without device= passes on every CPU machine and fails
    on the first GPU. Here CPU tensors stand in for cuda:0 (linreg.scale.placement): each says it is on
    cuda:0, and every operation that mixes one with an ordinary CPU tensor is recorded (a CPU
    scalar excepted, as CUDA allows), as is every number read off the CPU instead of the device.
    Given the "<stage>" stage with the notes' settings
    When it is trained on a stand-in cuda device
    Then no operation mixed the device's tensors with the CPU's, and every number was read off the device
    And it printed what the run on the CPU prints

    Examples:
      | stage    |
      | autograd |
      | optim    |
      | linear   |
      | module   |
