@parallel
Feature: Data-parallel training on torch.distributed
  `linreg run STAGE --workers K` trains a torch stage (autograd, optim, linear, module) or stats on K
  CPU processes that talk through torch.distributed's gloo backend. Worker r holds a shard of n_r of
  the N points (the first N mod K workers one point more) and computes its shard's mean loss L_r and
  gradient ∇L_r. For the whole data
  $L = Σ_r (n_r/N)·L_r$ and $∇L = Σ_r (n_r/N)·∇L_r$,
  so each worker weights by n_r/N, the gradients are all-reduced (summed), and every worker takes
  the same step. Averaging the shards' gradients without the weights would be wrong for unequal
  shards: the 7-point data set below splits unequally on 2 and 3 workers. Stats all-reduces its six
  sums once. Across machines, torchrun starts the workers (`--workers torchrun`, see README).
  The sums are added in another order than in one process, so the logs agree to float32's precision.

  Scenario Outline: <workers> workers reproduce the single-process logs
    Given the data sets:
      | x             | y                    |
      | 1,2,3,4       | 2,4,6,8              |
      | 1,2,3,4,5,6,7 | 3,5,7.5,9,11,13.2,15 |
    When the stages autograd, optim, linear, module and stats train on each data set alone and on <workers> workers
    Then every run on <workers> workers differs from its run alone by at most 1e-6 of scale
    And 4 points are split into shards of <four>
    And 7 points are split into shards of <seven>

    Examples:
      | workers | four  | seven |
      | 2       | 2+2   | 4+3   |
      | 3       | 2+1+1 | 3+2+2 |

  Scenario: The command line trains on 2 workers and prints the single-process log
    On the notes' data the shards' sums round to the same float32 numbers as one process's.
    When I run "linreg run autograd --workers 2 --epochs 3 --log-every 1"
    Then the exit status is 0
    And stdout is what it prints without "--workers 2"

  Scenario: torchrun starts the workers, and rank 0 prints the log
    This is the README's torchrun line on one machine (--standalone); across machines, --nnodes
    and --rdzv-endpoint say where the others are.
    When I run the console script "torchrun --standalone --nproc-per-node 2 -m linreg run autograd --workers torchrun --epochs 3 --log-every 1"
    Then the exit status is 0
    And stdout is:
      """
      Prediction before training: f(5)= 0.000
      epoch 1: w = 0.300, loss = 30.00000000
      epoch 2: w = 0.555, loss = 21.67499924
      epoch 3: w = 0.772, loss = 15.66018772
      Prediction after training: f(5)= 3.859
      """

  Scenario: Stats streams a file on 2 workers, each summing its own rows of every chunk
    The 200000 points come in 4 chunks; each worker reads every chunk and sums its own half of its
    rows (worker 0 the first half, worker 1 the second), then the six sums are all-reduced once.
    Given a file "line.npy" of 200000 points on y = 2x + 1 plus noise
    When I run "linreg run stats --data line.npy --init 0,0 --lr 0.5 --epochs 60 --log-every 20 --workers 2"
    Then the exit status is 0
    And stdout is what it prints without "--workers 2"
    And stderr is the one line "linreg: read 200000 points from 'line.npy' in 4 chunk(s), at most 1.00 MiB at a time"

  Scenario Outline: --workers <workers> on the notes' 4 points prints the single-process log
    One worker is a run alone; 4 workers hold one point each.
    When I run "linreg run optim --workers <workers> --epochs 3 --log-every 1"
    Then the exit status is 0
    And stdout is what it prints without "--workers <workers>"

    Examples:
      | workers |
      | 1       |
      | 4       |

  Scenario: A run that diverges on 2 workers ends as it does in one process
    Every worker holds the same parameters, so they all diverge at the same epoch; worker 0 reports it.
    When I run "linreg run autograd --workers 2 --lr 0.2 --epochs 300 --log-every 100"
    Then the exit status is 1
    And stdout is what it prints without "--workers 2"
    And stderr is what it says without "--workers 2"

  Scenario Outline: Workers refused: <case>
    When I run "<command>"
    Then the exit status is 2
    And stdout is empty
    And stderr is the one line "linreg: error: <message>"

    Examples:
      | case                  | command                                  | message                                                                                              |
      | more workers than data | linreg run optim --workers 5            | workers 5 for 4 points: each worker needs a point; use --workers 4                                   |
      | no workers            | linreg run optim --workers 0             | workers 0 is not allowed: use 1 or more processes                                                    |
      | a one-process stage   | linreg run numpy --workers 2             | stage numpy runs in one process: --workers applies to autograd, optim, linear, module, stats         |
      | outside torchrun      | linreg run optim --workers torchrun      | --workers torchrun: this process was not started by torchrun (RANK, WORLD_SIZE, MASTER_ADDR, MASTER_PORT not set); start it with torchrun (see README) or give --workers K |
      | not a number          | linreg run optim --workers two           | argument --workers: invalid workers 'two': give a number of processes such as 2, or torchrun (see linreg run --help) |
