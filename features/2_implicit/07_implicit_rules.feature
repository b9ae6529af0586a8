@implicit
Feature: What the notes leave implicit
  The notes show logs; these rules say why the logs look as they do, and how the cells relate.

  Rule: The numpy cell's gradient is N times the MSE gradient
    np.dot(2*x, y_pred - y) already sums over the N points; the .mean() after it averages a
    single number. On the notes' data (N = 4) the cell's gradient is 4 × autograd's, at every w.

    Scenario Outline: Four times autograd's gradient at w = <w>
      Given the "numpy" stage with the notes' settings
      And w = <w>
      Then the notes' gradient is 4 times autograd's
      And the MSE gradient equals autograd's

      Examples:
        | w   |
        | 0   |
        | 0.5 |
        | 1.5 |
        | 2   |
        | 3   |

    Scenario Outline: On data float32 cannot hold exactly, the MSE gradient is still autograd's, bit for bit (w = <w>)
      Both compute in float32: the numpy cell's arrays are float32 like autograd's tensors. In float64
      the gradient at w = 0.3 would be −0.567; float32 gives −0.56699997.
      Given the "numpy" stage with the notes' settings
      And the data x = 0.1,0.2,0.3,0.7 and y = 0.3,0.5,0.71,1.4
      And w = <w>
      Then the MSE gradient equals autograd's

      Examples:
        | w     |
        | 0.3   |
        | 1.7   |
        | -0.45 |

    Scenario: With the MSE gradient, 100 epochs give the autograd cell's log
      Given the "numpy" stage with the notes' settings
      And the "mse" gradient
      And 100 epochs, logged every 10
      When it is trained
      Then the logged epochs are:
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

  Rule: The loss alone does not tell where w is
    Without a bias, L(w) = mean(x²)·(w − 2)² on the notes' data: symmetric about w* = 2. Starts
    equally far below and above it print the same losses (to float32's rounding) while w comes
    down to 2 from one side and up to it from the other.

    Scenario: From w = 1 and from w = 3 the losses agree, the w's do not
      Given the "autograd" stage with the notes' settings
      And 20 epochs, logged every 5
      When it is trained from w = 1 and from w = 3
      Then both record the same loss at every epoch, within 1e-5 relative
      And the runs differ by more than 0.5 of scale somewhere

  Rule: Autograd with a manual update and nn.MSELoss with optim.SGD are the same computation
    Up to rounding: the manual update rounds lr·w.grad before subtracting it, SGD's step fuses
    the two. On the notes' data the two cells agree bit for bit; elsewhere to float32 precision.

    Scenario: Cells 3 and 4 follow identical trajectories
      Given the "autograd" stage with the notes' settings
      When the stages "autograd" and "optim" are trained with the same settings
      Then both record the same w, b and loss at every epoch, bit for bit

    Scenario: Equal to float32 precision on other data and learning rates
      Given the "autograd" stage with the notes' settings
      And the data x = 0.5,1,-2 and y = 1,3,-4
      And a learning rate of 0.05
      And the start w = -1
      When the stages "autograd" and "optim" are trained with the same settings
      Then both record the same w and loss at every epoch, within 1e-5 relative

  Rule: nn.Linear and the custom Module are the same model

    Scenario: Cells 5 and 6 from the same start
      Given the "linear" stage with the notes' settings
      When the stages "linear" and "module" are trained with the same settings
      Then both record the same w, b and loss at every epoch, bit for bit

    Scenario Outline: Cells 5 and 6 from the same seed, <seed>
      Given the "linear" stage with the notes' settings
      And torch's default init after seed <seed>
      When the stages "linear" and "module" are trained with the same settings
      Then both record the same w, b and loss at every epoch, bit for bit

      Examples:
        | seed |
        | 0    |
        | 42   |
