@autograd
Feature: Cell 3 — the gradient from torch autograd
  Prediction, loss and update stay manual; l.backward() computes dl/dw through the graph
  that the forward pass recorded, and leaves it in w.grad. The update runs under
  torch.no_grad() so that it is not itself recorded.

  Gradients accumulate: backward() adds into w.grad. So after every update the cell zeroes
  it (w.grad.zero_()); otherwise each epoch would step with the sum of all past gradients.

  Autograd's gradient is the true MSE gradient $2·mean(x·(w·x − y))$, so on the notes' data each
  epoch multiplies the error $w − 2$ by $1 − 0.01·2·7.5 = 0.85$, and 100 epochs are needed.

  Background:
    Given the "autograd" stage with the notes' settings

  Scenario: The notes' log, replayed digit for digit
    When it is trained
    Then it prints "Prediction before training: f(5)= 0.000"
    And the logged epochs are:
      | epoch | w     | loss        |
      | 1     | 0.300 | 30.00000000 |
      | 11    | 1.665 | 1.16278565  |
      | 21    | 1.934 | 0.04506890  |
      | 31    | 1.987 | 0.00174685  |
      | 41    | 1.997 | 0.00006770  |
      | 51    | 1.999 | 0.00000262  |
      | 61    | 2.000 | 0.00000010  |
      | 71    | 2.000 | 0.00000000  |
      | 81    | 2.000 | 0.00000000  |
      | 91    | 2.000 | 0.00000000  |
    And it prints "Prediction after training: f(5)= 10.000"

  Scenario: Autograd's gradient contracts the error by 0.85 per epoch
    Then each epoch multiplies the error w − w* by 0.85
    And the largest stable learning rate is 0.133333

  Scenario: A start above the answer comes down to it
    The loss is 7.5·0.85^(2(e−1)) at epoch e: 7.5 at epoch 1, 0.0113 at 21, 0.0000169 at 41.
    Given the start w = 3
    And 60 epochs, logged every 20
    When it is trained
    Then the logged epochs are:
      | epoch | w     | loss        |
      | 1     | 2.850 | 7.50000000  |
      | 21    | 2.033 | 0.01126724  |
      | 41    | 2.001 | 0.00001693  |
    And the prediction after training is within 0.001 of 10
