package io.neuroscope.diagnostics;

import static io.neuroscope.diagnostics.Net.assertFinding;
import static io.neuroscope.diagnostics.Net.assertUnknown;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class OverfittingTest {
  private static final Settings S = Settings.defaults();

  /** val at e = the last of V. */
  private static Finding eval(Settings s, double[] train, double[] val) {
    return eval(s, train, val, val.length == 0 ? null : val[val.length - 1]);
  }

  private static Finding eval(Settings s, double[] train, double[] val, Double valAtE) {
    return new Overfitting(s)
        .evaluate(new LossHistory(train, val, train[train.length - 1], valAtE, new double[0]));
  }

  private static double[] constant(double v, int n) {
    return Net.repeatD(v, n);
  }

  /** a + step·i, i = 0..n−1 */
  private static double[] line(double a, double step, int n) {
    double[] x = new double[n];
    for (int i = 0; i < n; i++) x[i] = a + step * i;
    return x;
  }

  @Test
  void noValidationAtEIsUnknown() {
    Finding f = eval(S, constant(1, 10), constant(2, 10), null);
    assertUnknown(f);
    assertNull(f.layer());
  }

  @Test
  void fewerThanFiveValidationLossesIsUnknown() {
    assertUnknown(eval(S, constant(1, 10), constant(2, 4)));
    assertFinding(eval(S, constant(1, 10), constant(2, 5)), 0.4, Status.CRITICAL); // 5 is enough
  }

  @ParameterizedTest(name = "val {0} over train 1 -> gap {1} {2}")
  @CsvSource({
    "1.6,  0.4,  CRITICAL", // rel 0.6/(1 + 1e-8) > 0.5; 0.4 is not < 0.4
    "1.3,  0.25, WARNING", // rel 0.3 > 0.2
    "1.15, 0.1,  HEALTHY", // rel 0.15 > 0.1
    "1.05, 0,    HEALTHY",
    "0.9,  0,    HEALTHY"
  }) // negative gap
  void gapBands(double val, double gap, Status status) {
    // flat T and V: no curve (|V| = 5), no divergence (trends 0)
    Finding f = eval(S, constant(1, 5), constant(val, 5));
    assertFinding(f, gap, status);
    assertEquals((val - 1) / (1 + 1e-8), f.details().get("relative_gap"), Net.TOL);
  }

  @ParameterizedTest(name = "train {0}, val {1}: rel exactly {2} -> gap {3}")
  @CsvSource({
    "2,  3,  0.5, 0.25", // not > 0.5
    "5,  6,  0.2, 0.1", // not > 0.2
    "10, 11, 0.1, 0"
  }) // not > 0.1
  void gapBandsAreStrict(double train, double val, double rel, double gap) {
    Finding f = eval(Net.with("overfitting.epsilon", "0"), constant(train, 5), constant(val, 5));
    assertEquals(rel, f.details().get("relative_gap"), 0);
    assertEquals(gap, f.value(), Net.TOL);
  }

  @ParameterizedTest(name = "val slope {0} -> curve {1} {2}")
  @CsvSource({
    "0.02,   0.35, WARNING",
    "0.008,  0.2,  WARNING",
    "0.002,  0.1,  HEALTHY",
    "0.0005, 0,    HEALTHY",
    "-0.02,  0,    HEALTHY"
  })
  void curveBands(double slope, double curve, Status status) {
    // T flat at 10 (no gap: V < T; no divergence: train trend 0); V = 1 + slope·i, 10 values
    Finding f = eval(S, constant(10, 10), line(1, slope, 10));
    assertFinding(f, curve, status);
    assertEquals(curve, f.details().get("curve"), Net.TOL);
  }

  @Test
  void curveUsesTheLastTenValidationLosses() {
    // 5 values of 100 then a line of slope 0.02: the last 10 have slope 0.02 -> 0.35
    double[] v = new double[15];
    for (int i = 0; i < 5; i++) v[i] = 100;
    System.arraycopy(line(1, 0.02, 10), 0, v, 5, 10);
    assertEquals(0.35, eval(S, constant(200, 15), v).details().get("curve"), Net.TOL);
  }

  @Test
  void curveNeedsTenValidationLosses() {
    assertEquals(0.0, eval(S, constant(10, 9), line(1, 0.02, 9)).details().get("curve"));
  }

  @Test
  void historiesAreCutToTheShorterOne() {
    // |V| = 10 but |T| = 6: V is cut to its last 6, too few for the curve
    assertEquals(0.0, eval(S, constant(10, 6), line(1, 0.02, 10)).details().get("curve"));
  }

  @Test
  void strongDivergence() {
    // T last 5: 1 … 0.98 (trend −0.02 < −0.01); V: 1 … 1.02 (trend 0.02 > 0.01) -> 0.25
    // gap (1.02 − 0.98)/0.98 = 0.04 -> 0
    Finding f = eval(S, line(1, -0.005, 5), line(1, 0.005, 5));
    assertFinding(f, 0.25, Status.WARNING);
    assertEquals(0.25, f.details().get("divergence"), Net.TOL);
  }

  @Test
  void weakDivergenceIsExactlyTheHealthyEdge() {
    // trends −0.005 and +0.005 -> 0.15; gap (1.005 − 0.995)/0.995 ≈ 0.01 -> 0; 0.15 is not < 0.15
    // -> WARNING
    assertFinding(eval(S, line(1, -0.00125, 5), line(1, 0.00125, 5)), 0.15, Status.WARNING);
    // train −0.02 but val only +0.005: the else branch -> 0.15
    assertFinding(eval(S, line(1, -0.005, 5), line(1, 0.00125, 5)), 0.15, Status.WARNING);
  }

  @Test
  void noDivergenceUnlessValidationRises() {
    assertFinding(
        eval(S, line(1, -0.005, 5), line(1, -0.001, 5)), 0, Status.HEALTHY); // both falling
    assertFinding(
        eval(S, line(1, -0.005, 5), constant(0.9, 5)), 0, Status.HEALTHY); // val trend exactly 0
  }

  @Test
  void divergenceUsesTheLastFive() {
    // 10 values: T falls in the first 5 then is flat; V rises then is flat -> last-5 trends 0 -> 0
    double[] t = {1.2, 1.15, 1.1, 1.05, 1.0, 1, 1, 1, 1, 1};
    double[] v = {1.0, 1.01, 1.02, 1.03, 1.04, 1.04, 1.04, 1.04, 1.04, 1.04};
    assertEquals(0.0, eval(S, t, v).details().get("divergence"));
  }

  @Test
  void allThreeComponentsAddUpAndAreCapped() {
    // T = 1 − 0.01·i, V = 1.5 + 0.02·i (10 epochs): gap (1.68 − 0.91)/0.91 = 0.85 -> 0.4; curve
    // slope 0.02 -> 0.35;
    // divergence: T 0.95 -> 0.91 (−0.042), V 1.6 -> 1.68 (+0.05) -> 0.25. Sum 1.0
    Finding f = eval(S, line(1, -0.01, 10), line(1.5, 0.02, 10));
    assertFinding(f, 0.4 + 0.35 + 0.25, Status.CRITICAL);
    // gap_severe_score 0.9: 0.9 + 0.35 + 0.25 = 1.5 -> min(1, 1.5) = 1
    assertFinding(
        eval(
            Net.with("overfitting.gap_severe_score", "0.9"),
            line(1, -0.01, 10),
            line(1.5, 0.02, 10)),
        1,
        Status.CRITICAL);
  }

  @Test
  void nanValidationLossTakesTheElseValueOfEveryBand() {
    // val at e NaN: not null, so known; rel NaN -> gap 0; slope NaN -> curve 0; val trend NaN ->
    // divergence 0
    double[] v = line(1, 0.02, 10);
    v[9] = Double.NaN;
    Finding f = eval(S, line(1, -0.01, 10), v);
    assertFinding(f, 0, Status.HEALTHY);
  }

  @Test
  void healthyBelowOverrideChangesTheVerdict() {
    assertFinding(
        eval(Net.with("overfitting.healthy_below", "0.3"), line(1, -0.005, 5), line(1, 0.005, 5)),
        0.25,
        Status.HEALTHY);
  }
}
