@numpy
Feature: Cell 2 — linear regression in numpy, everything by hand
  Fit $f = w·x$ to X = [1, 2, 3, 4], Y = [2, 4, 6, 8]; the answer is $w = 2$, so $f(5) = 10$.

  What each cell does by hand, and what it hands to PyTorch:
    cell 2 (this one): prediction, gradient, loss and update all by hand;
    cell 3: the gradient from autograd;
    cell 4: also the loss from nn.MSELoss and the update from optim.SGD;
    cells 5 and 6: also the prediction, from nn.Linear and from a custom nn.Module.

  The loss is the mean squared error $L = mean((w·x − y)²)$; its gradient is
  $∂L/∂w = 2·mean(x·(w·x − y))$. The cell computes np.dot(2*x, y_pred - y).mean():
  np.dot already sums, so .mean() of that one number changes nothing and the cell's
  gradient is N = 4 times the MSE gradient. The printed log depends on it: each step
  multiplies the error $w − 2$ by $1 − 0.01·4·15 = 0.4$, not 0.85, which is why 20 epochs
  suffice here while cell 3 needs 100.

  Each epoch: forward (predict), loss, gradient, update w. The log line shows w after the
  epoch's update and the loss computed before it; epoch e is printed when e − 1 is even.

  Background:
    Given the "numpy" stage with the notes' settings

  Scenario: The notes' log, replayed digit for digit
    When it is trained
    Then it prints "Prediction before training: f(5)= 0.000"
    And the logged epochs are:
      | epoch | w     | loss        |
      | 1     | 1.200 | 30.00000000 |
      | 3     | 1.872 | 0.76800019  |
      | 5     | 1.980 | 0.01966083  |
      | 7     | 1.997 | 0.00050332  |
      | 9     | 1.999 | 0.00001288  |
      | 11    | 2.000 | 0.00000033  |
      | 13    | 2.000 | 0.00000001  |
      | 15    | 2.000 | 0.00000000  |
      | 17    | 2.000 | 0.00000000  |
      | 19    | 2.000 | 0.00000000  |
    And it prints "Prediction after training: f(5)= 10.000"

  Scenario: The notes' gradient contracts the error by 0.4 per epoch
    Then each epoch multiplies the error w − w* by 0.4
    And the largest stable learning rate is 0.0333333

  Scenario: The true MSE gradient is four times slower on this data
    Given the "mse" gradient
    When it is trained
    Then each epoch multiplies the error w − w* by 0.85
    And it prints "Prediction after training: f(5)= 9.612"

  Scenario: Your own data and learning rate
    Given the data x = 1,2,3 and y = 3,6,9
    And a learning rate of 0.02
    And 30 epochs, logged every 10
    And the test input 2.5
    When it is trained
    Then the first line printed is "Prediction before training: f(2.5)= 0.000"
    And the prediction after training is within 0.001 of 7.5
    And the loss falls below 1e-6 by epoch 30
