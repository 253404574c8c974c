package io.neuroscope.diagnostics;

import static io.neuroscope.diagnostics.Net.assertFinding;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** value = decay + range + generalization; > 0.5 HEALTHY, > 0.25 WARNING, else CRITICAL. */
class LearningProgressTest {
  private static final Settings S = Settings.defaults();
  private static final double[] NONE = {};

  private static Finding eval(Settings s, double[] train, double[] val, Double valAtE) {
    return new LearningProgress(s)
        .evaluate(new LossHistory(train, val, train[train.length - 1], valAtE, NONE));
  }

  private static Finding eval(double[] train) {
    return eval(S, train, NONE, null);
  }

  /** exp(r·i), i = 0..n−1: ln-slope r. */
  private static double[] exponential(double r, int n) {
    double[] x = new double[n];
    for (int i = 0; i < n; i++) x[i] = Math.exp(r * i);
    return x;
  }

  private static double[] constant(double v, int n) {
    return Net.repeatD(v, n);
  }

  @Test
  void fewerThanFiveLossesIsPointSevenAndHealthy() {
    assertFinding(eval(new double[] {1, 2, 4, 8}), 0.7, Status.HEALTHY);
  }

  @Test
  void fiveFlatLossesWithoutValidation() {
    // decay: n < 10 -> 0; range 0 -> 0; no validation, n < 10 -> 0.3. Total 0.3 -> WARNING
    Finding f = eval(constant(1, 5));
    assertFinding(f, 0.3, Status.WARNING);
    assertEquals(0.0, f.details().get("decay"));
  }

  @Test
  void tenFlatLossesAreExactlyTheWarningEdge() {
    // decay slope 0 < 0.001 -> 0.1; range 0; no validation, n ≥ 10 -> 0.15. 0.25 is not > 0.25 ->
    // CRITICAL
    assertFinding(eval(constant(1, 10)), 0.25, Status.CRITICAL);
  }

  @ParameterizedTest(name = "rate {0}: decay {1} + range {2} + 0.15 -> {3}")
  @CsvSource({
    "-0.02,  0.4,  0.3, HEALTHY", // range (1 − e^−0.08)/mean ≈ 0.08
    "-0.005, 0.25, 0.1, WARNING", // range ≈ 0.02; 0.25 + 0.1 + 0.15 = 0.5, not > 0.5
    "0,      0.1,  0,   CRITICAL", // 0.1 + 0 + 0.15 = 0.25, not > 0.25
    "0.005,  0,    0.1, CRITICAL"
  }) // rising loss: slope ≥ 0.001
  void decayBandsOnTwentyLosses(double rate, double decay, double range, Status status) {
    Finding f = eval(exponential(rate, 20));
    assertEquals(decay, f.details().get("decay"), Net.TOL);
    assertEquals(range, f.details().get("range"), Net.TOL);
    assertFinding(f, decay + range + 0.15, status);
  }

  @Test
  void decayUsesTheLastTwentyLosses() {
    // 10 losses of 0.01, then 20 of exp(−0.02·i): over all 30 the log-slope is positive; over the
    // last 20 it is −0.02
    double[] t = new double[30];
    for (int i = 0; i < 10; i++) t[i] = 0.01;
    System.arraycopy(exponential(-0.02, 20), 0, t, 10, 20);
    assertEquals(0.4, eval(t).details().get("decay"), Net.TOL);
  }

  @Test
  void decayNeedsTenLosses() {
    assertEquals(0.0, eval(exponential(-0.02, 9)).details().get("decay"));
    assertEquals(0.4, eval(exponential(-0.02, 10)).details().get("decay"), Net.TOL);
  }

  @ParameterizedTest(name = "first loss {0} -> decay 0.1")
  @CsvSource({"NaN", "Infinity", "-Infinity", "-1", "-1e-8"}) // −1e-8 + 1e-8 = 0 ≤ 0
  void nonFiniteOrNonPositiveWindowAddsPointOne(double first) {
    // exp(−0.02·i) with its first value replaced: decay 0.1 (not 0.4, not 0); range 0.3; 0.15
    double[] t = exponential(-0.02, 20);
    t[0] = first;
    Finding f = eval(t);
    assertEquals(0.1, f.details().get("decay"), Net.TOL);
    assertFinding(f, 0.1 + 0.3 + 0.15, Status.HEALTHY);
  }

  @Test
  void lossJustAboveMinusEpsilonIsStillUsed() {
    // first value −0.5e-8: v + 1e-8 = 0.5e-8 > 0 -> the slope is computed; ln rises from −19.1 to ≈
    // −0.4 -> 0
    double[] t = exponential(-0.02, 20);
    t[0] = -0.5e-8;
    assertEquals(0.0, eval(t).details().get("decay"));
  }

  @ParameterizedTest(name = "last {0} -> range {1}")
  @CsvSource({
    "1.005, 0", // 0.005/1.001 < 0.01
    "1.03,  0.1", // 0.03/1.006 < 0.05
    "1.1,   0.3", // 0.1/1.02 < 0.2
    "2,     0.1", // 1/1.2: unstable
    "NaN,   0.1"
  }) // NaN passes no test: last band
  void rangeBands(double last, double range) {
    // five losses: decay 0 (n < 10); no validation -> 0.3
    Finding f = eval(new double[] {1, 1, 1, 1, last});
    assertEquals(range, f.details().get("range"), Net.TOL);
    assertEquals(range + 0.3, f.value(), Net.TOL);
  }

  @ParameterizedTest(name = "val {0} -> generalization {1}")
  @CsvSource({
    "1.2, 0.3", // rel 0.2 < 0.3
    "1.4, 0.1", // rel 0.4 < 0.5
    "1.6, 0",
    "0.8, 0.3"
  }) // negative gap
  void generalizationBands(double val, double generalization) {
    // ten flat losses: decay 0.1, range 0
    Finding f = eval(S, constant(1, 10), constant(val, 3), val);
    assertEquals(generalization, f.details().get("generalization"), Net.TOL);
    assertEquals(0.1 + generalization, f.value(), Net.TOL);
  }

  @Test
  void generalizationBandIsStrict() {
    // epsilon 0: train 10, val 13 -> rel exactly 0.3: not < 0.3 -> 0.1
    Finding f =
        eval(Net.with("learning_progress.epsilon", "0"), constant(10, 10), constant(13, 3), 13.0);
    assertEquals(0.1, f.details().get("generalization"), Net.TOL);
  }

  @Test
  void withoutUsableValidationTheScoreDependsOnHistoryLength() {
    // val at e missing: n = 10 -> 0.15
    assertEquals(
        0.15,
        eval(S, constant(1, 10), constant(1.6, 3), null).details().get("generalization"),
        Net.TOL);
    // only 2 validation losses: n = 10 -> 0.15 (the gap 0.6 would have scored 0)
    assertEquals(
        0.15,
        eval(S, constant(1, 10), constant(1.6, 2), 1.6).details().get("generalization"),
        Net.TOL);
    // n = 9 -> 0.3
    assertEquals(0.3, eval(S, constant(1, 9), NONE, null).details().get("generalization"), Net.TOL);
  }

  @Test
  void minHistoryOverrideChangesTheVerdict() {
    // min_history 11: ten flat losses are now "short" -> 0.7 HEALTHY (0.25 CRITICAL by default)
    assertFinding(
        eval(Net.with("learning_progress.min_history", "11"), constant(1, 10), NONE, null),
        0.7,
        Status.HEALTHY);
  }
}
