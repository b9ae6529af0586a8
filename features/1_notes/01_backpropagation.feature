@backprop
Feature: Cell 1 — backpropagation of one scalar example
  The chain rule: $dz/dx = dz/dy · dy/dx$. In the graph $x · w → ŷ → \text{loss}$, the gradient of the
  loss reaches w by multiplying the local gradient of each step on the way back.

  Backpropagation has three parts:
    * forward pass: compute the loss,
    * local gradients: at each node, the derivative of its output with respect to its input,
    * backward pass: dLoss/dWeights from the local gradients, with the chain rule.

  The notes' example: $x = 1$, $y = 2$, $w = 1$, so $ŷ = x·w = 1$ and the loss is $(ŷ − y)² = 1$.
  Backward: $∂\text{loss}/∂ŷ = 2(ŷ − y) = −2$ and $∂ŷ/∂w = x = 1$, so $∂\text{loss}/∂w = −2 · 1 = −2$.
  The cell stops at "update weights"; one gradient-descent step would move w against the
  gradient, from 1 towards the w = 2 that makes the loss 0.

  Scenario: The notes' example prints loss 1 and gradient −2
    Given x = 1, y = 2 and w = 1
    When the example is backpropagated
    Then the cell prints:
      """
      tensor(1., grad_fn=<PowBackward0>)
      tensor(-2.)
      """
    And the loss is 1
    And dloss/dw is -2

  Scenario: The chain rule multiplies the local gradients
    Given x = 1, y = 2 and w = 1
    When the example is backpropagated
    Then dloss/dŷ is -2 and dŷ/dw is 1
    And dloss/dw is dloss/dŷ times dŷ/dw

  Scenario: The update the cell leaves as a comment moves w towards 2
    Given x = 1, y = 2 and w = 1
    When the example is backpropagated with a learning rate of 0.01
    Then one SGD step moves w to 1.02

  Scenario Outline: Other examples, as the cell's code prints them
    Given x = <x>, y = <y> and w = <w>
    When the example is backpropagated
    Then the loss is <loss>
    And dloss/dw is <grad>
    And dloss/dw is dloss/dŷ times dŷ/dw

    Examples:
      | x  | y | w   | loss | grad |
      | 2  | 2 | 1   | 0    | 0    |
      | 3  | 1 | 1   | 4    | 12   |
      | -1 | 2 | 0.5 | 6.25 | 5    |
