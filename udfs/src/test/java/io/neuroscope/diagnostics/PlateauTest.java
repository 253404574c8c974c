package io.neuroscope.diagnostics;

import static io.neuroscope.diagnostics.Net.assertFinding;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class PlateauTest {
  private static final Settings S = Settings.defaults();
  private static final double[] NONE = {};

  /** Method 1 switched off (window weights 0), to look at methods 2–4 alone. */
  private static final Settings NO_METHOD_1 =
      Net.with(
          "plateau.window_short_weight",
          "0",
          "plateau.window_medium_weight",
          "0",
          "plateau.window_long_weight",
          "0");

  private static Finding eval(
      Settings s, double[] train, double[] val, Double valAtE, double[] gradNorms) {
    return new Plateau(s)
        .evaluate(new LossHistory(train, val, train[train.length - 1], valAtE, gradNorms));
  }

  private static Finding eval(Settings s, double[] train) {
    return eval(s, train, NONE, null, NONE);
  }

  private static double[] constant(double v, int n) {
    return Net.repeatD(v, n);
  }

  private static double[] concat(double[] a, double[] b) {
    double[] c = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, c, a.length, b.length);
    return c;
  }

  /** n values alternating lo, hi, lo, … */
  private static double[] alternating(double lo, double hi, int n) {
    double[] x = new double[n];
    for (int i = 0; i < n; i++) x[i] = i % 2 == 0 ? lo : hi;
    return x;
  }

  @Test
  void fewerThanFifteenLossesIsZeroAndHealthy() {
    assertFinding(eval(S, constant(1, 14)), 0, Status.HEALTHY);
  }

  @Test
  void flatLossesPassBothIndicatorsInEveryWindow() {
    // relvar 0 and slope 0 in windows 5, 10, 15: 0.2 + 0.4 + 0.4 = 1 -> CRITICAL
    assertFinding(eval(S, constant(1, 15)), 1, Status.CRITICAL);
  }

  @Test
  void indicatorsAreAveragedNotOred() {
    // 1 − 0.001·i, i = 0..14: relvar ≤ (1e-6·(15² − 1)/12 = 1.87e-5)/0.986 < 1e-4 in every window;
    // |slope/w[0]| ≈ 0.001 ≥ 1e-4. Each window adds weight·(1 + 0)/2: 0.1 + 0.2 + 0.2 = 0.5
    // (an OR would give 1.0) -> 0.5 is not < 0.5 -> CRITICAL
    double[] t = new double[15];
    for (int i = 0; i < 15; i++) t[i] = 1 - 0.001 * i;
    Finding f = eval(S, t);
    assertFinding(f, 0.5, Status.CRITICAL);
    assertEquals(0.5, f.details().get("multi_scale"), Net.TOL);
  }

  @Test
  void onlyTheShortWindowFlat() {
    // 15, 14, …, 6 then five 5s: only the last-5 window is flat -> 0.2, not < 0.2 -> WARNING
    double[] t = new double[15];
    for (int i = 0; i < 10; i++) t[i] = 15 - i;
    for (int i = 10; i < 15; i++) t[i] = 5;
    assertFinding(eval(S, t), 0.2, Status.WARNING);
  }

  @Test
  void effectSizeOfExactlyPointTwoIsTheWeakBand() {
    // early = 0.375/1.625 alternating: mean 1, var 0.625²; recent = 0.5/1.75: mean 1.125, var
    // 0.625²
    // pooled 0.390625; d = 0.125/0.625 = 0.2: not < 0.2, < 0.5 -> 0.1 -> HEALTHY
    double[] t = concat(alternating(0.375, 1.625, 10), alternating(0.5, 1.75, 10));
    Finding f = eval(NO_METHOD_1, t);
    assertFinding(f, 0.1, Status.HEALTHY);
    assertEquals(0.1, f.details().get("effect_size"), Net.TOL);
  }

  @Test
  void effectSizeBands() {
    double[] early = alternating(0.375, 1.625, 10);
    // recent = early: d = 0 -> 0.3
    assertFinding(eval(NO_METHOD_1, concat(early, early)), 0.3, Status.WARNING);
    // recent shifted by 0.1875: d = 0.1875/0.625 = 0.3 -> 0.1
    assertFinding(
        eval(NO_METHOD_1, concat(early, alternating(0.5625, 1.8125, 10))), 0.1, Status.HEALTHY);
    // recent shifted by 0.625: d = 1 -> 0
    assertFinding(eval(NO_METHOD_1, concat(early, alternating(1.0, 2.25, 10))), 0, Status.HEALTHY);
  }

  @Test
  void effectSizeUsesTheTenLossesBeforeTheLastTen() {
    // five wild losses first (n = 25): early = losses[5..14], recent = losses[15..24], both
    // identical -> 0.3
    double[] early = alternating(0.375, 1.625, 10);
    double[] t = concat(constant(100, 5), concat(early, early));
    assertEquals(0.3, eval(NO_METHOD_1, t).details().get("effect_size"), Net.TOL);
  }

  @Test
  void effectSizeNeedsTwentyLosses() {
    double[] early = alternating(0.375, 1.625, 10);
    double[] t = Arrays.copyOfRange(concat(early, early), 1, 20); // 19 losses
    assertFinding(eval(NO_METHOD_1, t), 0, Status.HEALTHY);
  }

  @Test
  void effectSizeNeedsAPooledVarianceAbove1em10() {
    // 1 ± 1e-6 alternating in both halves: pooled ≈ 1e-12 -> 0 (d = 0 would have given 0.3)
    double[] half = alternating(1 - 1e-6, 1 + 1e-6, 10);
    assertFinding(eval(NO_METHOD_1, concat(half, half)), 0, Status.HEALTHY);
  }

  @Test
  void gradientNormStagnation() {
    double[] t = constant(1, 15);
    // five norms of 1e-4: relvar 0 < 1e-3 and mean < 1e-3 -> 0.25
    assertFinding(eval(NO_METHOD_1, t, NONE, null, constant(1e-4, 5)), 0.25, Status.WARNING);
    // five norms of 1: relvar 0 but mean ≥ 1e-3 -> 0.15
    assertFinding(eval(NO_METHOD_1, t, NONE, null, constant(1, 5)), 0.15, Status.HEALTHY);
    // four norms: not enough -> 0
    assertFinding(eval(NO_METHOD_1, t, NONE, null, constant(1e-4, 4)), 0, Status.HEALTHY);
    // 1, 2, 1, 2, 1: var 0.24, mean 1.4 -> relvar 0.122 -> 0
    assertFinding(
        eval(NO_METHOD_1, t, NONE, null, new double[] {1, 2, 1, 2, 1}), 0, Status.HEALTHY);
    // 1e-4·(1 ± 0.05): var 2.5e-11 over mean² + 1e-8 = 2e-8 -> relvar 1.25e-3: not < 1e-3 -> 0.15
    assertFinding(
        eval(NO_METHOD_1, t, NONE, null, alternating(0.95e-4, 1.05e-4, 6)), 0.15, Status.HEALTHY);
  }

  @Test
  void gradientNormStagnationUsesTheLastTenNorms() {
    // five norms of 100 then ten of 1: last 10 constant -> 0.15 (all 15 would give 0)
    double[] norms = concat(constant(100, 5), constant(1, 10));
    assertEquals(
        0.15,
        eval(NO_METHOD_1, constant(1, 15), NONE, null, norms).details().get("gradient"),
        Net.TOL);
  }

  @Test
  void gradientHistoryCoversEveryEpochThatLoggedGradients() {
    // 15 epochs; gradients logged at epochs 0..4 only (norm 1e-4) -> at epoch 14 there are 5 norms
    // -> 0.25
    double[] train = new double[15];
    Double[] val = new Double[15];
    Double[] norms = new Double[15];
    for (int e = 0; e < 15; e++) {
      train[e] = 1;
      norms[e] = e < 5 ? 1e-4 : null;
    }
    LossHistory h = LossHistory.ofRun(train, val, norms, 50).get(14);
    assertEquals(0.25, new Plateau(NO_METHOD_1).evaluate(h).details().get("gradient"), Net.TOL);
  }

  @Test
  void validationStagnation() {
    double[] t = constant(1, 15);
    // V constant (10 values), T constant: both relvar 0 < 1e-3 -> 0.2
    assertFinding(eval(NO_METHOD_1, t, constant(2, 10), 2.0, NONE), 0.2, Status.WARNING);
    // V 1 ± 0.05: relvar 0.0025/(1 + 1e-8) -> only < 1e-2 -> 0.1
    assertFinding(
        eval(NO_METHOD_1, t, alternating(0.95, 1.05, 10), 1.05, NONE), 0.1, Status.HEALTHY);
    // V 1 ± 0.2: relvar 0.04 -> 0
    assertFinding(eval(NO_METHOD_1, t, alternating(0.8, 1.2, 10), 1.2, NONE), 0, Status.HEALTHY);
    // T 1 ± 0.05 with V constant: both must pass -> 0.1
    assertFinding(
        eval(NO_METHOD_1, alternating(0.95, 1.05, 15), constant(2, 10), 2.0, NONE),
        0.1,
        Status.HEALTHY);
  }

  @Test
  void validationStagnationNeedsValAtEAndTenValues() {
    double[] t = constant(1, 15);
    assertFinding(eval(NO_METHOD_1, t, constant(2, 10), null, NONE), 0, Status.HEALTHY);
    assertFinding(eval(NO_METHOD_1, t, constant(2, 9), 2.0, NONE), 0, Status.HEALTHY);
  }

  @Test
  void sumIsCappedAtOne() {
    // method 1: 1.0; method 3: 0.25; method 4: 0.2 -> min(1, 1.45) = 1
    Finding f = eval(S, constant(1, 15), constant(1, 10), 1.0, constant(1e-4, 5));
    assertFinding(f, 1, Status.CRITICAL);
    assertEquals(1.0, f.details().get("multi_scale"), Net.TOL);
    assertEquals(0.25, f.details().get("gradient"), Net.TOL);
    assertEquals(0.2, f.details().get("validation"), Net.TOL);
    // lower the cap: max_value 0.6
    assertFinding(
        eval(
            Net.with("plateau.max_value", "0.6"),
            constant(1, 15),
            constant(1, 10),
            1.0,
            constant(1e-4, 5)),
        0.6,
        Status.CRITICAL);
  }

  @Test
  void minHistoryOverrideChangesTheVerdict() {
    assertFinding(eval(Net.with("plateau.min_history", "20"), constant(1, 15)), 0, Status.HEALTHY);
  }

  @Test
  void historiesFromARunTakeEachEpochOnce() {
    // 15 flat epochs through ofRun: at epoch 14 the history has 15 losses -> 1; at epoch 13 only 14
    // -> 0
    double[] train = constant(1, 15);
    List<LossHistory> h = LossHistory.ofRun(train, new Double[15], new Double[15], 50);
    assertFinding(new Plateau(S).evaluate(h.get(14)), 1, Status.CRITICAL);
    assertFinding(new Plateau(S).evaluate(h.get(13)), 0, Status.HEALTHY);
  }
}
