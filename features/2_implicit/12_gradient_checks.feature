@oracle
Feature: Gradients, four ways, in float64
  The gradient of $L = mean((w·x + b − y)²)$ is $∂L/∂w = 2·mean(x·r)$, $∂L/∂b = 2·mean(r)$, $r = w·x + b − y$.
  It is computed by that formula, by autograd on float64 tensors, and by central finite
  differences $(L(θ + ε) − L(θ − ε))/2ε$ with ε = 1e-6; torch.autograd.gradcheck's conventions decide
  agreement (eps 1e-6, atol 1e-5, rtol 1e-3). The numpy cell's np.dot(2x, r).mean() is N times it.

  Scenario Outline: On the notes' data at <point>
    Given the "<stage>" stage with the notes' settings
    And the point <point>
    Then in float64 the MSE gradient, autograd and central differences agree, and gradcheck passes
    And the notes' gradient is N = 4 times the MSE gradient

    Examples:
      | stage  | point             |
      | numpy  | w = 0             |
      | numpy  | w = 1.7           |
      | numpy  | w = 3             |
      | linear | w = 0.5, b = -0.3 |
      | linear | w = 2, b = 0      |

  Scenario Outline: On random data, <count> points from seed <seed>
    Given the "linear" stage with the notes' settings
    And <count> random points from seed <seed>
    And the point w = 0.7, b = -1.2
    Then in float64 the MSE gradient, autograd and central differences agree, and gradcheck passes
    And the notes' gradient is N = <count> times the MSE gradient

    Examples:
      | count | seed |
      | 2     | 1    |
      | 17    | 2    |
      | 50    | 3    |

  Scenario: The scalar cell's chain-rule parts, by hand and by autograd
    Given x = 1, y = 2 and w = 1
    Then the chain rule's parts computed by hand agree with autograd's

  Scenario: The chain-rule parts of another example
    Given x = 3, y = 1 and w = 0.5
    Then the chain rule's parts computed by hand agree with autograd's
