@module
Feature: Cell 6 — a custom nn.Module
  The same model as cell 5, written as a class: LinearRegression(nn.Module) builds an
  nn.Linear(input_dim, output_dim) in __init__ and calls it in forward(x). Writing the model
  as a Module is how larger models are built; the training loop does not change.

  This cell too started from an unrecorded random init, a different one from cell 5's. Many
  float32 starts near the recovered fit replay every printed line on the machine that printed
  them, but not all of them on every CPU: nn.Linear's ∂L/∂w sums four products, and CPUs sum
  them in different ways (see the feature on CPU kernel paths). w = 0.41818994, b = -0.035462197
  replays the notes only where MKL adds the rounded products (its COMPATIBLE and SSE4.2 branches);
  the default start, w = 0.41818994, b = -0.035462182, is the one `linreg recover` finds, the first
  that prints them in every mode of its emulation, one per kind of kernel path, so the log below
  holds on any CPU.

  Background:
    Given the "module" stage with the notes' settings

  Scenario: The notes' log, replayed digit for digit from the recovered start
    When it is trained
    Then the first line printed is "4 1"
    And it prints "Prediction before training: f(5)= 2.055"
    And the logged epochs are:
      | epoch | w     | loss        |
      | 1     | 0.657 | 19.04765320 |
      | 11    | 1.660 | 0.52384496  |
      | 21    | 1.825 | 0.04278347  |
      | 31    | 1.855 | 0.02863589  |
      | 41    | 1.864 | 0.02666751  |
      | 51    | 1.868 | 0.02510754  |
      | 61    | 1.872 | 0.02364593  |
      | 71    | 1.876 | 0.02226963  |
      | 81    | 1.880 | 0.02097341  |
      | 91    | 1.883 | 0.01975263  |
    And it prints "Prediction after training: f(5)= 9.766"

  Scenario: A seeded start is reproducible
    Given torch's default init after seed 0
    When it is trained
    Then the first line printed is "4 1"
    And it prints "Prediction before training: f(5)= 0.499"
