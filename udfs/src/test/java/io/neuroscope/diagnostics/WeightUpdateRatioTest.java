package io.neuroscope.diagnostics;

import static io.neuroscope.diagnostics.Net.assertFinding;
import static io.neuroscope.diagnostics.Net.assertUnknown;
import static io.neuroscope.diagnostics.Net.layer;
import static io.neuroscope.diagnostics.Net.network;
import static io.neuroscope.diagnostics.TensorKind.WEIGHTS;
import static io.neuroscope.diagnostics.TensorKind.WEIGHT_UPDATES;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Weights {1} (norm 1) and updates {r} (norm r, exact in double): the ratio is exactly r. */
class WeightUpdateRatioTest {
  private static final Settings S = Settings.defaults();

  private static List<Finding> eval(Net n) {
    return new WeightUpdateRatio(n.s).evaluate(n.tensors);
  }

  private static Net withRatios(Settings s, double... ratios) {
    Net n = Net.layers(s, ratios.length);
    for (int l = 0; l < ratios.length; l++)
      n.rowD(WEIGHTS, l, 1.0).rowD(WEIGHT_UPDATES, l, ratios[l]);
    return n;
  }

  @ParameterizedTest(name = "ratio {0} -> {1}")
  @CsvSource({
    "1e-3,      HEALTHY",
    "1e-2,      HEALTHY",
    "5e-3,      HEALTHY", // inclusive healthy band
    "9.99e-4,   WARNING",
    "1.0001e-2, WARNING",
    "1e-4,      WARNING",
    "5e-2,      WARNING", // inclusive warning band
    "9.99e-5,   CRITICAL",
    "5.0001e-2, CRITICAL",
    "0, CRITICAL",
    "1, CRITICAL"
  })
  void bandsAreInclusive(double ratio, Status status) {
    List<Finding> f = eval(withRatios(S, ratio));
    assertFinding(network(f), ratio, status);
    assertFinding(layer(f, 0), ratio, status);
  }

  @Test
  void ratioIsOfFrobeniusNorms() {
    // ‖W‖ = ‖{3, 4}‖ = 5 (2 x 1); ‖ΔW‖ = ‖{0.006, 0.008}‖ = 0.01 -> 0.002
    Net n =
        Net.layers(S, 1).putD(WEIGHTS, 0, 2, 1, 3, 4).putD(WEIGHT_UPDATES, 0, 2, 1, 0.006, 0.008);
    List<Finding> f = eval(n);
    assertFinding(network(f), 0.002, Status.HEALTHY);
    assertEquals(5.0, layer(f, 0).details().get("weight_norm"), Net.TOL);
    assertEquals(0.01, layer(f, 0).details().get("update_norm"), Net.TOL);
  }

  @Test
  void networkValueIsTheMedianOfAnOddCount() {
    // median of 1e-3, 3e-3, 4e-2 is 3e-3 -> HEALTHY (the mean 0.01467 would be WARNING)
    List<Finding> f = eval(withRatios(S, 4e-2, 1e-3, 3e-3));
    assertFinding(network(f), 3e-3, Status.HEALTHY);
    assertEquals(List.of(0, 1, 2), Net.layerIndices(f));
    assertFinding(layer(f, 0), 4e-2, Status.WARNING);
  }

  @Test
  void networkValueIsTheMeanOfTheTwoMiddleValuesOfAnEvenCount() {
    // (5e-4 + 1.5e-2)/2 = 7.75e-3 -> HEALTHY while both layers are WARNING
    List<Finding> f = eval(withRatios(S, 1.5e-2, 5e-4));
    assertFinding(network(f), 7.75e-3, Status.HEALTHY);
    assertEquals(Status.WARNING, layer(f, 0).status());
    assertEquals(Status.WARNING, layer(f, 1).status());
  }

  @Test
  void layersWithANegligibleWeightNormAreLeftOut() {
    // layer 0: ‖W‖ = 1e-10 exactly (not > 1e-10); layer 1: zeros; layer 2: NaN norm; layer 3: ratio
    // 2e-3
    Net n =
        Net.layers(S, 4)
            .rowD(WEIGHTS, 0, 1e-10)
            .rowD(WEIGHT_UPDATES, 0, 1.0)
            .rowD(WEIGHTS, 1, 0, 0)
            .rowD(WEIGHT_UPDATES, 1, 1.0, 1.0)
            .rowD(WEIGHTS, 2, Double.NaN)
            .rowD(WEIGHT_UPDATES, 2, 1.0)
            .rowD(WEIGHTS, 3, 1.0)
            .rowD(WEIGHT_UPDATES, 3, 2e-3);
    List<Finding> f = eval(n);
    assertFinding(network(f), 2e-3, Status.HEALTHY);
    assertEquals(List.of(3), Net.layerIndices(f));
    // just above the floor counts: ‖W‖ = 2e-10, ‖ΔW‖ = 2e-13 -> 1e-3
    assertFinding(
        network(eval(Net.layers(S, 1).rowD(WEIGHTS, 0, 2e-10).rowD(WEIGHT_UPDATES, 0, 2e-13))),
        1e-3,
        Status.HEALTHY);
  }

  @Test
  void layersNeedBothWeightsAndUpdates() {
    Net n =
        Net.layers(S, 3)
            .rowD(WEIGHTS, 0, 1.0)
            .rowD(WEIGHT_UPDATES, 1, 1.0)
            .rowD(WEIGHTS, 2, 1.0)
            .rowD(WEIGHT_UPDATES, 2, 0.5);
    List<Finding> f = eval(n);
    assertFinding(network(f), 0.5, Status.CRITICAL);
    assertEquals(List.of(2), Net.layerIndices(f));
  }

  @Test
  void noQualifyingLayerIsUnknown() {
    List<Finding> f = eval(Net.layers(S, 2).rowD(WEIGHTS, 0, 1.0).rowD(WEIGHT_UPDATES, 1, 1.0));
    assertUnknown(network(f));
    assertEquals(1, f.size());
  }

  @Test
  void nanUpdateTakesTheLastBand() {
    List<Finding> f = eval(withRatios(S, Double.NaN, 1e-3, 2e-3));
    assertTrue(Double.isNaN(network(f).value())); // a median touching a NaN is NaN
    assertEquals(Status.CRITICAL, network(f).status());
    assertEquals(Status.CRITICAL, layer(f, 0).status());
    assertEquals(Status.HEALTHY, layer(f, 1).status());
  }

  @Test
  void bandOverrideChangesTheVerdict() {
    assertFinding(network(eval(withRatios(S, 3e-2))), 3e-2, Status.WARNING);
    assertFinding(
        network(eval(withRatios(Net.with("weight_update_ratio.healthy_high", "5e-2"), 3e-2))),
        3e-2,
        Status.HEALTHY);
  }
}
