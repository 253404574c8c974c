package io.neuroscope.diagnostics;

import static io.neuroscope.diagnostics.Net.assertFinding;
import static io.neuroscope.diagnostics.Net.assertUnknown;
import static io.neuroscope.diagnostics.Net.layer;
import static io.neuroscope.diagnostics.Net.network;
import static io.neuroscope.diagnostics.TensorKind.BIAS_GRADIENTS;
import static io.neuroscope.diagnostics.TensorKind.GRADIENTS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ExplodingGradientsTest {
  private static final Settings S = Settings.defaults();

  private static List<Finding> eval(Net n) {
    return new ExplodingGradients(n.s).evaluate(n.tensors);
  }

  /** k layers, each with gradients {3, 4} (norm 5: no layer term); total = 5·sqrt(k). */
  private static Net normFiveLayers(Settings s, int k) {
    Net n = Net.layers(s, k);
    for (int l = 0; l < k; l++) n.row(GRADIENTS, l, 3, 4);
    return n;
  }

  @Test
  void totalOfFiveIsHealthy() {
    List<Finding> f = eval(normFiveLayers(S, 1));
    assertFinding(network(f), 0, Status.HEALTHY); // total 5: not > 5
    assertEquals(5.0, network(f).details().get("total_norm"), Net.TOL);
    assertFinding(layer(f, 0), 5, Status.HEALTHY); // layer norm 5: not > 5
  }

  @Test
  void moderateBandScalesFromFive() {
    // two layers of norm 5: total sqrt(50); severity 0.6·(sqrt(50) − 5)/5 = 0.2485…
    assertFinding(
        network(eval(normFiveLayers(S, 2))), 0.6 * (Math.sqrt(50) - 5) / 5, Status.WARNING);
  }

  @Test
  void totalOfExactlyTenStaysInTheModerateBand() {
    // four layers: total sqrt(100) = 10, not > 10 -> 0.6·(10 − 5)/5 = 0.6 (the high band would give
    // 0)
    assertFinding(network(eval(normFiveLayers(S, 4))), 0.6, Status.CRITICAL);
  }

  @Test
  void highBandScalesFromTenAndIsCappedAtOne() {
    // five layers: total sqrt(125) = 11.18…; (sqrt(125) − 10)/10 = 0.118… -> WARNING
    assertFinding(network(eval(normFiveLayers(S, 5))), (Math.sqrt(125) - 10) / 10, Status.WARNING);
    // twenty layers: total sqrt(500) = 22.36…; min(1, 1.236…) = 1
    assertFinding(network(eval(normFiveLayers(S, 20))), 1, Status.CRITICAL);
  }

  @Test
  void largestLayerNormAddsItsOwnTerm() {
    // one layer {8}: total 8 -> 0.6·3/5 = 0.36; max_layer 8 > 5 -> + min(0.5, 3/5) = 0.5 -> 0.86
    Net n = Net.layers(S, 1).row(GRADIENTS, 0, 8);
    List<Finding> f = eval(n);
    assertFinding(network(f), 0.36 + 0.5, Status.CRITICAL);
    assertEquals(8.0, network(f).details().get("max_layer_norm"), Net.TOL);
    assertFinding(layer(f, 0), 8, Status.CRITICAL); // layer severity 0.5
    assertEquals(0.5, layer(f, 0).details().get("severity"), Net.TOL);
  }

  @Test
  void severityWithTheLayerTermIsCappedAtOne() {
    // one layer {13}: total 13 -> 0.3; + min(0.5, 8/5) = 0.8; {30}: min(1, 1 + 0.5) = 1
    assertFinding(
        network(eval(Net.layers(S, 1).row(GRADIENTS, 0, 13))), 0.3 + 0.5, Status.CRITICAL);
    assertFinding(network(eval(Net.layers(S, 1).row(GRADIENTS, 0, 30))), 1, Status.CRITICAL);
  }

  @ParameterizedTest(name = "layer norm {0} -> severity {1} {2}")
  @CsvSource({
    "5,    0,    HEALTHY",
    "5.25, 0.05, HEALTHY", // (5.25 − 5)/5
    "5.5,  0.1,  WARNING", // (5.5 − 5)/5 = 0.1: not < 0.1
    "6,    0.2,  WARNING",
    "7,    0.4,  CRITICAL", // 0.4: not < 0.4
    "9,    0.5,  CRITICAL"
  }) // min(0.5, 0.8)
  void layerRowBands(float norm, double severity, Status status) {
    Finding row = layer(eval(Net.layers(S, 1).row(GRADIENTS, 0, norm)), 0);
    assertFinding(row, norm, status);
    assertEquals(severity, row.details().get("severity"), Net.TOL);
  }

  @Test
  void biasGradientsCountInTheTotalEvenForLayersWithoutWeightGradients() {
    // layer 0 weight gradients {3,4}; layer 1 only bias gradients {3,4}: total sqrt(25 + 25)
    Net n = Net.layers(S, 2).row(GRADIENTS, 0, 3, 4).row(BIAS_GRADIENTS, 1, 3, 4);
    List<Finding> f = eval(n);
    assertEquals(Math.sqrt(50), network(f).details().get("total_norm"), Net.TOL);
    assertFinding(network(f), 0.6 * (Math.sqrt(50) - 5) / 5, Status.WARNING);
    assertEquals(List.of(0), Net.layerIndices(f)); // layer rows: layers with (weight) gradients
    // bias gradients do not enter max_layer
    assertEquals(5.0, network(f).details().get("max_layer_norm"), Net.TOL);
  }

  @Test
  void nanGradientIsSeverityOne() {
    Net n = Net.layers(S, 2).row(GRADIENTS, 0, Float.NaN, 0).row(GRADIENTS, 1, 0.1f);
    List<Finding> f = eval(n);
    assertFinding(network(f), 1, Status.CRITICAL);
    assertTrue(Double.isNaN(network(f).details().get("total_norm")));
    assertTrue(Double.isNaN(layer(f, 0).value()));
    assertEquals(Status.CRITICAL, layer(f, 0).status());
    assertEquals(1.0, layer(f, 0).details().get("severity"));
    assertFinding(layer(f, 1), 0.1f, Status.HEALTHY);
  }

  @Test
  void nanBiasGradientAlsoMakesTheTotalNaN() {
    Net n = Net.layers(S, 2).row(GRADIENTS, 0, 0.1f).row(BIAS_GRADIENTS, 1, Float.NaN);
    assertFinding(network(eval(n)), 1, Status.CRITICAL);
  }

  @Test
  void infiniteGradientIsSeverityOne() {
    Net n = Net.layers(S, 1).row(GRADIENTS, 0, Float.POSITIVE_INFINITY);
    List<Finding> f = eval(n);
    assertFinding(network(f), 1, Status.CRITICAL); // min(1, ∞)
    assertEquals(Double.POSITIVE_INFINITY, layer(f, 0).value());
    assertEquals(0.5, layer(f, 0).details().get("severity")); // min(0.5, ∞)
    assertEquals(Status.CRITICAL, layer(f, 0).status());
  }

  @Test
  void noWeightGradientsIsUnknownEvenWithBiasGradients() {
    List<Finding> f = eval(Net.layers(S, 2).row(BIAS_GRADIENTS, 0, 100));
    assertUnknown(network(f));
    assertEquals(1, f.size());
  }

  @Test
  void moderateThresholdOverrideChangesTheVerdict() {
    // total 5 > 4: 0.6·(5 − 4)/5 = 0.12 -> WARNING (HEALTHY by default)
    assertFinding(
        network(eval(normFiveLayers(Net.with("exploding_gradients.total_moderate", "4"), 1))),
        0.6 * 1 / 5,
        Status.WARNING);
  }
}
