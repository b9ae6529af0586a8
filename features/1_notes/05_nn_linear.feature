@linear
Feature: Cell 5 — the model is nn.Linear
  nn.Linear(1, 1) computes f = w·x + b: the model now learns a bias as well. The data become
  columns, X and Y of shape (4, 1), and the cell prints their shape: "4 1" (samples, features).

  The cell started from PyTorch's random initialisation without a seed, so its start was never
  recorded. It is recovered from the printed log (see the recover feature): the float32 start
  w = 0.45988736, b = -0.3066888 replays every printed line; it is this stage's default start.

  With a bias the loss surface has two directions. Along one, error shrinks fast (×0.833 per
  epoch); along the other, where raising w and lowering b nearly cancel on these x, it shrinks
  by only ×0.997 per epoch. After 100 epochs w is still about 1.95, not 2, and b about 0.15.

  Background:
    Given the "linear" stage with the notes' settings

  Scenario: The notes' log, replayed digit for digit from the recovered start
    When it is trained
    Then the first line printed is "4 1"
    And it prints "Prediction before training: f(5)= 1.993"
    And the logged epochs are:
      | epoch | w     | loss        |
      | 1     | 0.706 | 20.24533653 |
      | 11    | 1.738 | 0.52958953  |
      | 21    | 1.906 | 0.01915863  |
      | 31    | 1.935 | 0.00563503  |
      | 41    | 1.941 | 0.00498599  |
      | 51    | 1.943 | 0.00468747  |
      | 61    | 1.945 | 0.00441442  |
      | 71    | 1.946 | 0.00415748  |
      | 81    | 1.948 | 0.00391548  |
      | 91    | 1.950 | 0.00368757  |
    And it prints "Prediction after training: f(5)= 9.899"

  Scenario: One direction of the loss surface is shallow, so w stops short of 2
    When it is trained
    Then w after epoch 100 is within 0.001 of 1.951
    And the error along the loss surface's two directions shrinks by 0.997 and 0.833 per epoch
    And the largest stable learning rate is 0.119756

  Scenario: Two thousand epochs do reach w = 2
    Given 2000 epochs, logged every 1000
    When it is trained
    Then w after epoch 2000 is within 0.001 of 2
    And the prediction after training is within 0.001 of 10
