@oracle
Feature: Every stage against its closed form, the optimum and the stability bound
  Matching the notes' digits shows the replay is faithful, not that the notes are right. Here
  each stage is checked against what the mathematics predicts, computed independently in float64.

  The loss $L = mean((w·x + b − y)²)$ is quadratic, with a constant Hessian $H$
  ($H = 2·mean(x²)$ for w alone, N times that for the numpy cell's gradient;
  $H = 2·[[mean(x²), mean(x)], [mean(x), 1]]$ with a bias). Gradient descent with learning rate $η$
  therefore maps the error $θ − θ^*$ to $(I − η·H)·(θ − θ^*)$, where $θ^*$ is the least-squares solution:
  $θ_k − θ^* = (I − η·H)^k·(θ_0 − θ^*)$, for w alone $w_k − w^* = (1 − η·g)^k·(w_0 − w^*)$.
  It converges exactly when every $|1 − η·λ| < 1$, that is $η < 2/λ_{max}(H)$.

  Rule: Each logged trajectory is its closed form, to float32 precision
    Parameters are compared on the scale max(1, |θ₀|, |θ*|) and losses on the scale of the first
    loss; a float32 run stays within a few times 1e-7 of the float64 closed form.

    Scenario Outline: The notes' <stage> cell follows its closed form
      Given the "<stage>" stage with the notes' settings
      When it is trained
      Then every epoch agrees with its closed form within 1e-6

      Examples:
        | stage    |
        | numpy    |
        | autograd |
        | optim    |
        | linear   |
        | module   |

    Scenario: The numpy cell with the MSE gradient follows its closed form
      Given the "numpy" stage with the notes' settings
      And the "mse" gradient
      When it is trained
      Then every epoch agrees with its closed form within 1e-6

    Scenario: A seeded nn.Linear start follows its closed form too
      Given the "linear" stage with the notes' settings
      And torch's default init after seed 3
      When it is trained
      Then every epoch agrees with its closed form within 1e-6

  Rule: Every stage approaches the least-squares solution

    Scenario: On the notes' data the solution is w = 2 (and b = 0)
      Given the "linear" stage with the notes' settings
      Then the least-squares solution is w = 2, b = 0

    Scenario: On the line y = 2x + 1 the solution has its intercept, and so does its prediction
      Given the "linear" stage with the notes' settings
      And the data x = 1,2,3,4 and y = 3,5,7,9
      Then the least-squares solution is w = 2, b = 1
      And the least-squares model predicts f(5) = 11

    Scenario: On noisy data the w-only stages reach the least-squares w, not the "true" one
      w* = Σxy / Σx² = (2.5 + 7 + 19.5 + 30) / 30 = 59/30.
      Given the "autograd" stage with the notes' settings
      And the data x = 1,2,3,4 and y = 2.5,3.5,6.5,7.5
      Then the least-squares solution is w = 1.9666666667
      When it is trained
      Then the parameters end within 1e-5 of the least-squares solution

    Scenario: With a bias, the slow direction needs thousands of epochs
      Given the "linear" stage with the notes' settings
      And 4000 epochs, logged every 1000
      When it is trained
      Then the parameters end within 1e-4 of the least-squares solution

  Rule: The number of epochs to a given accuracy is predicted, then confirmed by running
    |f(5) − 10| < 0.001 needs the error factor ρᵏ·|f₀(5) − 10| below 0.001: with the notes'
    numpy gradient ρ = 0.4 and 10·0.4ᵏ < 0.001 from k = 11; with autograd's ρ = 0.85 from k = 57.
    With a bias the slow factor 0.997 rules, and the nn cells' starts need about 1,600–1,900.

    Scenario Outline: <stage> reaches |f(5) − 10| < 0.001 after exactly <epochs> epochs
      Given the "<stage>" stage with the notes' settings
      Then the closed form predicts <epochs> epochs to bring f(5) within 0.001 of the optimum, and running confirms it

      Examples:
        | stage    | epochs |
        | numpy    | 11     |
        | autograd | 57     |
        | optim    | 57     |
        | linear   | 1640   |
        | module   | 1920   |

  Rule: Learning rates below 2/λmax converge, above it diverge

    Scenario Outline: <stage> (<gradient> gradient) converges at 0.9 × the largest stable learning rate
      Given the "<stage>" stage with the notes' settings
      And the "<gradient>" gradient
      And 1000 epochs, logged every 100
      And a learning rate of 0.9 times the largest stable one
      When training is attempted
      Then it converges: the loss ends within 1e-9 of its minimum

      Examples:
        | stage    | gradient |
        | numpy    | notes    |
        | numpy    | mse      |
        | linear   | autograd |

    Scenario Outline: <stage> (<gradient> gradient) diverges at 1.1 × the largest stable learning rate
      Given the "<stage>" stage with the notes' settings
      And the "<gradient>" gradient
      And 1000 epochs, logged every 100
      And a learning rate of 1.1 times the largest stable one
      When training is attempted
      Then it diverges, and the error names the largest stable learning rate <largest>

      Examples:
        | stage    | gradient | largest   |
        | numpy    | notes    | 0.0333333 |
        | numpy    | mse      | 0.133333  |
        | linear   | autograd | 0.119756  |

    Scenario: On the command line, divergence ends in the clear error
      0.132 is 1.1 × 0.119756. The first step already overshoots: w = 0.46 + 0.132·24.63 = 3.712.
      When I run "linreg run linear --lr 0.132 --epochs 1000 --log-every 500"
      Then the exit status is 1
      And stdout has the line "epoch 1: w = 3.712, loss = 20.24533653"
      And stderr is one line, with no traceback

  Rule: When every x is 0, w never moves, and no learning rate is too large

    Scenario: The largest stable learning rate of data at x = 0 is infinite
      The loss does not depend on w there: its Hessian is 0, and 2/λmax is infinite.
      Given the "numpy" stage with the notes' settings
      And the data x = 0,0 and y = 1,2
      Then the largest stable learning rate is inf

  Rule: The oracles are float64 and MSE unless told otherwise

    Scenario: float32 data gives the oracles the same answers as its values in float64
      The oracles turn whatever they get into float64 first, so a float32 array and a list of the
      same numbers as Python floats give identical answers, to the last bit. Unless told
      otherwise, an oracle takes the MSE's gradient, not the notes' N times it.
      Given the "linear" stage with the notes' settings
      And the data x = 0.1,0.2,0.3,0.7 and y = 0.3,0.5,0.71,1.4
      Then every oracle answers alike for float32 arrays and for their values as Python floats
      And every oracle that can take the notes' N× gradient takes the MSE's unless told otherwise

    Scenario: The closed form is float64 to its last digits
      With the notes' gradient on the notes' data, 1 − η·N·2·mean(x²) = 1 − 0.01·4·15 = 0.4, so from
      w = 0 the closed form is w_k = 2 − 2·0.4ᵏ: 1.2, 1.68, 1.872, 1.9488. In float32, 0.4 is
      0.4000000060, already wrong in the eighth digit after one epoch.
      Given the "numpy" stage with the notes' settings
      Then in float64 the closed form's w after epochs 1 to 4 is 1.2, 1.68, 1.872, 1.9488, within 1e-12

    Scenario: With a bias too, the closed form is float64 to its last digits
      On x = −1, 1 the Hessian is 2·I, so with η = 0.1 every direction keeps 0.8 of its error per
      epoch. The solution is w = 1, b = 2, so from w = b = 0: w_k = 1 − 0.8ᵏ and b_k = 2 − 2·0.8ᵏ.
      Given the "linear" stage with the notes' settings
      And the data x = -1,1 and y = 1,3
      And a learning rate of 0.1
      And the start w = 0, b = 0
      Then in float64 the closed form's w after epochs 1 to 3 is 0.2, 0.36, 0.488, within 1e-12
      And in float64 the closed form's b after epochs 1 to 3 is 0.4, 0.72, 0.976, within 1e-12
