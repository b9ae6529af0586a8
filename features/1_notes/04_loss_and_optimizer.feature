@optim
Feature: Cell 4 — the loss from nn.MSELoss, the update from optim.SGD
  The training pipeline the notes set out:
    1. design the model: input size, output size, forward pass;
    2. construct the loss and the optimizer;
    3. the training loop: forward pass (predictions), backward pass (gradients), update weights.

  nn.MSELoss() is $mean((a − b)²)$; the cell calls loss(Y, y_pred), target first, which gives the
  same value and gradient because the square is symmetric. optim.SGD([w], lr) does the update
  $w ← w − lr·\text{w.grad}$ in optimizer.step(), and optimizer.zero_grad() clears w.grad for the next epoch.

  The notes' output of this cell is cut off mid-line at "epoch 49: w = 1.999, loss =". The
  replay completes it: the last logged loss is 0.00000503 and f(5) after 50 epochs is 9.997.

  Background:
    Given the "optim" stage with the notes' settings

  Scenario: The notes' log, replayed digit for digit, and its cut-off end completed
    When it is trained
    Then it prints "Prediction before training: f(5)= 0.000"
    And the logged epochs are:
      | epoch | w     | loss        |
      | 1     | 0.300 | 30.00000000 |
      | 3     | 0.772 | 15.66018772 |
      | 5     | 1.113 | 8.17471695  |
      | 7     | 1.359 | 4.26725292  |
      | 9     | 1.537 | 2.22753215  |
      | 11    | 1.665 | 1.16278565  |
      | 13    | 1.758 | 0.60698116  |
      | 15    | 1.825 | 0.31684780  |
      | 17    | 1.874 | 0.16539653  |
      | 19    | 1.909 | 0.08633806  |
      | 21    | 1.934 | 0.04506890  |
      | 23    | 1.952 | 0.02352631  |
      | 25    | 1.966 | 0.01228084  |
      | 27    | 1.975 | 0.00641066  |
      | 29    | 1.982 | 0.00334642  |
      | 31    | 1.987 | 0.00174685  |
      | 33    | 1.991 | 0.00091188  |
      | 35    | 1.993 | 0.00047601  |
      | 37    | 1.995 | 0.00024848  |
      | 39    | 1.996 | 0.00012971  |
      | 41    | 1.997 | 0.00006770  |
      | 43    | 1.998 | 0.00003534  |
      | 45    | 1.999 | 0.00001845  |
      | 47    | 1.999 | 0.00000963  |
      | 49    | 1.999 | 0.00000503  |
    And it prints "Prediction after training: f(5)= 9.997"

  Scenario: The line the notes cut off, in full
    When it is trained
    Then it prints "epoch 49: w = 1.999, loss = 0.00000503"
