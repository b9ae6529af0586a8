@recover
Feature: Recovering the nn cells' unrecorded starts from their logs
  Cells 5 and 6 began from PyTorch's random init without a seed; no seed reproduces them.
  Gradient descent on MSE is affine in (w, b): each epoch maps θ to (I − η·H)·θ + c. So every
  printed w and prediction is a linear function of the start and every printed loss a quadratic
  one. A float64 least-squares fit of all printed numbers estimates the start; float32 starts
  near the estimate are screened by emulating the cell, and replayed for real until one
  reproduces every line. `linreg recover STAGE LOGFILE` prints the fit, and last the start, as W,B.

  CPUs sum in different orders (see the feature on CPU kernel paths), so a start can replay a log
  on one CPU and miss a last digit on another. The screen emulates each of the four ways CPUs
  compute an epoch (its modes), and recover takes the first start, in the screen's order, that
  prints the log in all four modes. The answer is the same on every machine because nothing that
  chooses it runs on the CPU's own kernels: the fit, the screen and its order are IEEE arithmetic
  in numpy, which gives the same bits everywhere, and a start that prints the log in every mode
  prints it on every CPU. Only then is the start replayed for real, on every kernel path this CPU
  can run, to confirm it: a path that printed otherwise would be a bug of the emulation, and
  recover would say so. On stderr it names the paths it checked; where no start prints the log in
  every mode (a log only some CPUs print) it says that, and on which paths its start replays it.

  Scenario: Cell 5's start, from the notes' printed log
    Given a file "cell5.log" holding:
      """
      4 1
      Prediction before training: f(5)= 1.993
      epoch 1: w = 0.706, loss = 20.24533653
      epoch 11: w = 1.738, loss = 0.52958953
      epoch 21: w = 1.906, loss = 0.01915863
      epoch 31: w = 1.935, loss = 0.00563503
      epoch 41: w = 1.941, loss = 0.00498599
      epoch 51: w = 1.943, loss = 0.00468747
      epoch 61: w = 1.945, loss = 0.00441442
      epoch 71: w = 1.946, loss = 0.00415748
      epoch 81: w = 1.948, loss = 0.00391548
      epoch 91: w = 1.950, loss = 0.00368757
      Prediction after training: f(5)= 9.899
      """
    When I run "linreg recover linear cell5.log"
    Then the exit status is 0
    And stdout is:
      """
      float64 fit of every printed number: w0 = 0.459887731, b0 = -0.306688794
      every line reproduced from
      0.45988736,-0.3066888
      """
    And stderr starts with "linreg: the start prints the log in every mode of the emulation, one per kind of CPU kernel path, and replays it on every path checked, on 1 and 2 threads: MKL_CBWR="
    And replaying "linear" from the last line of stdout prints "cell5.log" exactly on every CPU kernel path and in every mode of the emulation

  Scenario: Cell 6's start, from the notes' printed log
    Given a file "cell6.log" holding:
      """
      4 1
      Prediction before training: f(5)= 2.055
      epoch 1: w = 0.657, loss = 19.04765320
      epoch 11: w = 1.660, loss = 0.52384496
      epoch 21: w = 1.825, loss = 0.04278347
      epoch 31: w = 1.855, loss = 0.02863589
      epoch 41: w = 1.864, loss = 0.02666751
      epoch 51: w = 1.868, loss = 0.02510754
      epoch 61: w = 1.872, loss = 0.02364593
      epoch 71: w = 1.876, loss = 0.02226963
      epoch 81: w = 1.880, loss = 0.02097341
      epoch 91: w = 1.883, loss = 0.01975263
      Prediction after training: f(5)= 9.766
      """
    When I run "linreg recover module cell6.log"
    Then the exit status is 0
    And stdout is:
      """
      float64 fit of every printed number: w0 = 0.418189929, b0 = -0.0354621975
      every line reproduced from
      0.41818994,-0.035462182
      """
    And stderr starts with "linreg: the start prints the log in every mode of the emulation, one per kind of CPU kernel path, and replays it on every path checked, on 1 and 2 threads: MKL_CBWR="
    And replaying "module" from the last line of stdout prints "cell6.log" exactly on every CPU kernel path and in every mode of the emulation

  Scenario: With --here-only, recover replays on this CPU's kernel path alone
    The screen's order depends on no CPU, so the start is the same; only the check is skipped.
    Given a file "cell6.log" holding what "linreg run module" prints
    When I run "linreg recover module cell6.log --here-only"
    Then the exit status is 0
    And the last line of stdout is "0.41818994,-0.035462182"
    And stderr is the one line "linreg: the start was replayed on this process's CPU kernel path only (--here-only)"

  Scenario Outline: Logs made from other seeds are recovered too (seed <seed>)
    Given a file "seeded.log" holding what "linreg run <stage> --seed <seed>" prints
    When I run "linreg recover <stage> seeded.log"
    Then the exit status is 0
    And stdout has the line "float64 fit of every printed number: w0 = <w0>, b0 = <b0>"
    And the last line of stdout is "<start>"
    And replaying "<stage>" from the last line of stdout prints "seeded.log" exactly on every CPU kernel path and in every mode of the emulation

    Examples:
      | stage  | seed | w0              | b0              | start                   |
      | linear | 7    | 0.0698447962    | -0.602393899    | 0.069845,-0.60239375    |
      | module | 18   | -0.00838781611  | -0.0824867876   | -0.008387415,-0.0824867 |
      | module | 123  | -0.40777603     | 0.0331247638    | -0.40777603,0.033124615 |

  Scenario: A log that only some CPUs print: recover says where its starts replay it
    Seed 0's log of cell 5 depends on the CPU that prints it, and no float32 start prints it in
    every mode of the emulation. recover prints the start that prints it in the most modes (the
    first such in the screen's order, so the same on every machine), names starts for the modes
    it misses, and replays each for real on the paths this CPU runs.
    Given a file "seeded.log" holding what "linreg run linear --seed 0" prints
    When I run "linreg recover linear seeded.log"
    Then the exit status is 0
    And stderr starts with "linreg: no start prints the log in every mode of the emulation, one per kind of CPU kernel path; this one prints it in the modes for MKL_CBWR="
    And each start stderr names prints "seeded.log" as "linear" just where it says, and one of them prints it here

  Scenario: A log no start can produce is refused, naming the lines
    Given a file "edited.log" holding:
      """
      4 1
      Prediction before training: f(5)= 1.993
      epoch 1: w = 0.706, loss = 20.24533653
      epoch 11: w = 1.738, loss = 0.52958953
      epoch 21: w = 1.906, loss = 0.01915863
      epoch 31: w = 1.935, loss = 0.00563503
      epoch 41: w = 1.941, loss = 0.00498599
      epoch 51: w = 1.943, loss = 0.00468747
      epoch 61: w = 1.945, loss = 0.00441442
      epoch 71: w = 1.946, loss = 0.00415748
      epoch 81: w = 1.948, loss = 0.00391548
      epoch 91: w = 1.950, loss = 0.00368700
      Prediction after training: f(5)= 9.899
      """
    When I run "linreg recover linear edited.log"
    Then the exit status is 1
    And stderr is one line, these parts joined by "; ":
      """
      linreg: error: no float32 start replays log file 'edited.log' exactly (fit w=0.45988742, b=-0.30669084
      … starts screened, … replayed)
      unmatched: line 3 'epoch 1: w = 0.706, loss = 20.24533653' (closest replay: 'epoch 1: w = 0.706, loss = 20.24533844')
      line 4 'epoch 11: w = 1.738, loss = 0.52958953' (closest replay: 'epoch 11: w = 1.738, loss = 0.52958894')
      line 5 'epoch 21: w = 1.906, loss = 0.01915863' (closest replay: 'epoch 21: w = 1.906, loss = 0.01915862')
      line 6 'epoch 31: w = 1.935, loss = 0.00563503' (closest replay: 'epoch 31: w = 1.935, loss = 0.00563498')
      line 7 'epoch 41: w = 1.941, loss = 0.00498599' (closest replay: 'epoch 41: w = 1.941, loss = 0.00498595')
      line 8 'epoch 51: w = 1.943, loss = 0.00468747' (closest replay: 'epoch 51: w = 1.943, loss = 0.00468743')
      line 9 'epoch 61: w = 1.945, loss = 0.00441442' (closest replay: 'epoch 61: w = 1.945, loss = 0.00441438')
      line 10 'epoch 71: w = 1.946, loss = 0.00415748' (closest replay: 'epoch 71: w = 1.946, loss = 0.00415743')
      line 11 'epoch 81: w = 1.948, loss = 0.00391548' (closest replay: 'epoch 81: w = 1.948, loss = 0.00391546')
      line 12 'epoch 91: w = 1.950, loss = 0.00368700' (closest replay: 'epoch 91: w = 1.950, loss = 0.00368755')
      """

  Scenario Outline: A log that is not what `linreg run linear` prints: <case>
    Given a file "good.log" holding what "linreg run linear" prints
    And a copy "bad.log" of "good.log" with line <line> replaced by "<text>"
    When I run "linreg recover linear bad.log"
    Then the exit status is 2
    And stdout is empty
    And stderr is the one line "linreg: error: log file 'bad.log' <message>"

    Examples:
      | case              | line | text                                                 | message                                                                                              |
      | wrong shape       | 1    | 4 2                                                  | line 1 is '4 2', expected the shape line '4 1' for 4 data points                                     |
      | wrong test input  | 2    | Prediction before training: f(6)= 1.993              | line 2 is 'Prediction before training: f(6)= 1.993', expected 'Prediction before training: f(5)= …'  |
      | wrong epoch       | 3    | epoch 2: w = 0.706, loss = 20.24533653               | line 3 is 'epoch 2: w = 0.706, loss = 20.24533653', expected 'epoch 1: w = …, loss = …'              |
      | not an epoch line | 12   | epoch 91: w = 1.950                                  | line 12 is 'epoch 91: w = 1.950', expected 'epoch 91: w = …, loss = …'                               |
      | before for after  | 13   | Prediction before training: f(5)= 9.899              | line 13 is 'Prediction before training: f(5)= 9.899', expected 'Prediction after training: f(5)= …'  |

  Scenario: A log of other options than the ones given
    Given a file "short.log" holding what "linreg run linear --epochs 40" prints
    When I run "linreg recover linear short.log"
    Then the exit status is 2
    And stderr is the one line "linreg: error: log file 'short.log' has 7 lines; a linear log of --epochs 100 --log-every 10 has 13: pass the options the log was made with"
