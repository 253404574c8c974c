package io.neuroscope.diagnostics;

import static io.neuroscope.diagnostics.Net.assertFinding;
import static io.neuroscope.diagnostics.Net.assertUnknown;
import static io.neuroscope.diagnostics.Net.layer;
import static io.neuroscope.diagnostics.Net.network;
import static io.neuroscope.diagnostics.TensorKind.GRADIENTS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Gradients {−a, a}: mean 0, var a², rms a. */
class VanishingGradientsTest {
  private static final Settings S = Settings.defaults();

  private static List<Finding> eval(Net n) {
    return new VanishingGradients(n.s).evaluate(n.tensors);
  }

  /** Layer l gets gradients {−a, a}. */
  private static Net pm(Net n, int layer, float a) {
    return n.row(GRADIENTS, layer, -a, a);
  }

  @Test
  void ratioIsOutputSideOverInputSideOverHiddenLayers() {
    // hidden vars 1, 4, 16 (forward order); output rms 1e-3 (no rms penalty)
    Net n = Net.layers(S, 4);
    pm(n, 0, 1);
    pm(n, 1, 2);
    pm(n, 2, 4);
    pm(n, 3, 1e-3f);
    List<Finding> f = eval(n);
    // ratios 4/1 = 4 and 16/4 = 4; mean 4 > 2 -> severity (4 − 2)/8 = 0.25 -> WARNING
    // (input over output would give 0.25 -> severity 0; with the output layer, mean ≈ 2.67 ->
    // 0.083)
    assertFinding(network(f), 0.25, Status.WARNING);
    assertEquals(4.0, network(f).details().get("mean_variance_ratio"), Net.TOL);
    assertEquals(2.0, network(f).details().get("variance_ratios"));
    assertEquals(4.0, layer(f, 0).details().get("variance_ratio"), Net.TOL);
    assertEquals(4.0, layer(f, 1).details().get("variance_ratio"), Net.TOL);
    assertFalse(
        layer(f, 2).details().containsKey("variance_ratio")); // last hidden layer: no successor
    assertFalse(layer(f, 3).details().containsKey("variance_ratio")); // output layer
    assertEquals(16.0, layer(f, 2).details().get("variance"), Net.TOL);
  }

  @Test
  void gradientsShrinkingTowardTheOutputScoreNothing() {
    Net n = Net.layers(S, 4);
    pm(n, 0, 4);
    pm(n, 1, 2);
    pm(n, 2, 1);
    pm(n, 3, 1);
    // ratios 4/16 and 1/4: mean 0.25, not > 2
    assertFinding(network(eval(n)), 0, Status.HEALTHY);
  }

  @Test
  void outputLayerTakesNoPartInTheRatios() {
    Net n = Net.layers(S, 3);
    pm(n, 0, 1);
    pm(n, 1, 1);
    pm(n, 2, 1000); // var 1e6
    List<Finding> f = eval(n);
    // ratios: only 1/1 -> severity 0 (with the output layer: mean (1 + 1e6)/2 -> 0.8)
    assertFinding(network(f), 0, Status.HEALTHY);
    assertEquals(1.0, network(f).details().get("variance_ratios"));
  }

  @Test
  void meanRatioOfExactlyTwoScoresNothingAndJustAboveStartsTheSlope() {
    // vars 1 ({±1}), 2 ({±2, 0, 0}), 4 ({±2}): ratios 2, 2 -> mean 2, not > 2
    Net n = Net.layers(S, 4);
    pm(n, 0, 1);
    n.row(GRADIENTS, 1, -2, 2, 0, 0);
    pm(n, 2, 2);
    pm(n, 3, 1);
    assertFinding(network(eval(n)), 0, Status.HEALTHY);
    // last hidden var 2.125² = 4.515625: ratios 2 and 2.2578125, mean 2.12890625
    // severity (2.12890625 − 2)/8 = 0.01611328125
    pm(n, 2, 2.125f);
    assertFinding(network(eval(n)), 0.01611328125, Status.HEALTHY);
  }

  @Test
  void ratioSeverityIsCappedAt08() {
    Net n = Net.layers(S, 3);
    pm(n, 0, 1);
    pm(n, 1, 100);
    pm(n, 2, 1);
    // ratio 1e4: min(0.8, (1e4 − 2)/8) = 0.8
    assertFinding(network(eval(n)), 0.8, Status.CRITICAL);
  }

  @Test
  void pairsRunOverConsecutiveHiddenLayersThatHaveGradients() {
    // layer 1 logged no gradients: the pair is (0, 2) with ratio 16/1
    Net n = Net.layers(S, 4);
    pm(n, 0, 1);
    pm(n, 2, 4);
    pm(n, 3, 1);
    List<Finding> f = eval(n);
    assertFinding(network(f), 0.8, Status.CRITICAL); // min(0.8, (16 − 2)/8 = 1.75)
    assertEquals(16.0, layer(f, 0).details().get("variance_ratio"), Net.TOL);
  }

  @Test
  void pairsWithATinyInputSideVarianceAreSkipped() {
    // layer 0 constant 1 (var 0, rms 1): pair (0,1) skipped; pair (1,2) ratio 1 -> 0
    // (not skipping would give 1/0 = ∞ -> 0.8)
    Net n = Net.layers(S, 4);
    n.row(GRADIENTS, 0, 1, 1);
    pm(n, 1, 1);
    pm(n, 2, 1);
    pm(n, 3, 1);
    List<Finding> f = eval(n);
    assertFinding(network(f), 0, Status.HEALTHY);
    assertEquals(1.0, network(f).details().get("variance_ratios"));
    assertFalse(layer(f, 0).details().containsKey("variance_ratio"));
  }

  @Test
  void inputVarianceEqualToTheMinimumIsSkipped() {
    // min_input_variance = 1: var_a = 1 is ≤ 1 -> skipped. vars 1, 16, 16.
    Settings s = Net.with("vanishing_gradients.min_input_variance", "1");
    Net d = Net.layers(S, 4);
    Net o = Net.layers(s, 4);
    for (Net n : List.of(d, o)) {
      pm(n, 0, 1);
      pm(n, 1, 4);
      pm(n, 2, 4);
      pm(n, 3, 1);
    }
    // defaults: ratios 16, 1 -> mean 8.5 -> min(0.8, 6.5/8 = 0.8125) = 0.8
    assertFinding(network(eval(d)), 0.8, Status.CRITICAL);
    // override: only ratio 1 -> 0
    assertFinding(network(eval(o)), 0, Status.HEALTHY);
  }

  @Test
  void minRmsBelow1em7IsCriticalAndIncludesTheOutputLayer() {
    Net n = Net.layers(S, 3);
    pm(n, 0, 1);
    pm(n, 1, 1);
    n.rowD(GRADIENTS, 2, -1e-8, 1e-8); // output rms 1e-8
    List<Finding> f = eval(n);
    assertFinding(network(f), 0.7, Status.CRITICAL);
    assertEquals(1e-8, network(f).details().get("min_rms"), 1e-20);
    assertFinding(layer(f, 2), 1e-8, Status.CRITICAL);
    assertFinding(layer(f, 0), 1, Status.HEALTHY);
  }

  @Test
  void rmsBandEdges() {
    // rms exactly 1e-5: not < 1e-5 -> no penalty, layer HEALTHY
    Net a = Net.layers(S, 2);
    pm(a, 0, 1);
    a.rowD(GRADIENTS, 1, -1e-5, 1e-5);
    assertFinding(network(eval(a)), 0, Status.HEALTHY);
    assertFinding(layer(eval(a), 1), 1e-5, Status.HEALTHY);
    // rms exactly 1e-7: not < 1e-7 but < 1e-5 -> severity 0.4, which is not < 0.4 -> CRITICAL;
    // layer WARNING
    Net b = Net.layers(S, 2);
    pm(b, 0, 1);
    b.rowD(GRADIENTS, 1, -1e-7, 1e-7);
    assertFinding(network(eval(b)), 0.4, Status.CRITICAL);
    assertEquals(Status.WARNING, layer(eval(b), 1).status());
    assertEquals(1e-7, layer(eval(b), 1).value(), 1e-20);
  }

  @Test
  void severityIsTheLargerOfRatioAndRmsScores() {
    // ratio severity 0.25 (vars 1, 4, 16) with a layer at rms 1e-6 (0.4) -> 0.4
    Net n = Net.layers(S, 4);
    pm(n, 0, 1);
    pm(n, 1, 2);
    pm(n, 2, 4);
    n.rowD(GRADIENTS, 3, -1e-6, 1e-6);
    assertFinding(network(eval(n)), 0.4, Status.CRITICAL);
    // ratio severity 0.8 with the 0.4 penalty -> 0.8
    Net m = Net.layers(S, 3);
    pm(m, 0, 1);
    pm(m, 1, 100);
    m.rowD(GRADIENTS, 2, -1e-6, 1e-6);
    assertFinding(network(eval(m)), 0.8, Status.CRITICAL);
  }

  @Test
  void statusBandEdgeThroughOverride() {
    // severity exactly 0.25 (mean ratio 4) is not < healthy_below = 0.25 -> WARNING
    Settings s = Net.with("vanishing_gradients.healthy_below", "0.25");
    Net n = Net.layers(s, 3);
    pm(n, 0, 1);
    pm(n, 1, 2);
    pm(n, 2, 1);
    assertFinding(network(eval(n)), 0.25, Status.WARNING);
    Settings t = Net.with("vanishing_gradients.healthy_below", "0.2500001");
    Net m = Net.layers(t, 3);
    pm(m, 0, 1);
    pm(m, 1, 2);
    pm(m, 2, 1);
    assertFinding(network(eval(m)), 0.25, Status.HEALTHY);
  }

  @Test
  void twoLayersHaveNoRatiosButAreKnown() {
    Net n = Net.layers(S, 2);
    pm(n, 0, 1);
    pm(n, 1, 100);
    List<Finding> f = eval(n);
    assertFinding(network(f), 0, Status.HEALTHY);
    assertFalse(network(f).details().containsKey("mean_variance_ratio"));
    assertEquals(0.0, network(f).details().get("variance_ratios"));
  }

  @Test
  void fewerThanTwoLayersWithGradientsIsUnknownButKeepsLayerRows() {
    Net n = Net.layers(S, 3);
    n.rowD(GRADIENTS, 1, -1e-8, 1e-8);
    List<Finding> f = eval(n);
    assertUnknown(network(f));
    assertEquals(List.of(1), Net.layerIndices(f));
    assertFinding(layer(f, 1), 1e-8, Status.CRITICAL);
    List<Finding> none = eval(Net.layers(S, 3));
    assertUnknown(network(none));
    assertEquals(1, none.size());
  }

  @Test
  void nanGradientMakesRatioAndMinRmsNaNSoNoComponentFires() {
    // var_0 NaN is not ≤ 1e-12, so the pair counts; mean ratio NaN is not > 2; min_rms NaN is not <
    // 1e-7
    Net n = Net.layers(S, 3);
    n.row(GRADIENTS, 0, Float.NaN, 1);
    pm(n, 1, 1e-9f); // would be critical by rms if the minimum ignored the NaN
    pm(n, 2, 1);
    List<Finding> f = eval(n);
    assertFinding(network(f), 0, Status.HEALTHY);
    assertTrue(Double.isNaN(network(f).details().get("min_rms")));
    assertTrue(Double.isNaN(layer(f, 0).value()));
    assertEquals(Status.HEALTHY, layer(f, 0).status()); // NaN takes the last band of the layer rule
    assertEquals(Status.CRITICAL, layer(f, 1).status()); // its own rms 1e-9
  }
}
