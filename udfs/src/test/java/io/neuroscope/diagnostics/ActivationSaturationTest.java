package io.neuroscope.diagnostics;

import static io.neuroscope.diagnostics.Net.assertFinding;
import static io.neuroscope.diagnostics.Net.assertUnknown;
import static io.neuroscope.diagnostics.Net.layer;
import static io.neuroscope.diagnostics.Net.network;
import static io.neuroscope.diagnostics.TensorKind.ACTIVATIONS;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * s = 0.5·extreme + 0.3·distribution + 0.2·gradient_dead; with one hidden layer, value = 1.1·s/1.5.
 */
class ActivationSaturationTest {
  private static final Settings S = Settings.defaults();

  private static List<Finding> oneHidden(Settings s, String activation, float... x) {
    return new ActivationSaturation(s)
        .evaluate(Net.of(s, activation, "linear").row(ACTIVATIONS, 0, x).tensors);
  }

  private static List<Finding> oneHidden(String activation, float... x) {
    return oneHidden(S, activation, x);
  }

  private static double detail(List<Finding> f, String key) {
    return layer(f, 0).details().get(key);
  }

  @Test
  void tanhCountsExtremesAndTheGradientDeadBandAtTanhOf15() {
    // 0.95, −0.95 beyond tanh(1.5) = 0.90515; 0.9025 is > 0.9 but inside tanh(1.5)
    List<Finding> f = oneHidden("tanh", 0.95f, -0.95f, 0.9025f, 0, 0, 0, 0, 0, 0, 0);
    assertEquals(0.3, detail(f, "extreme"), Net.TOL); // (2 above 0.9 + 1 below −0.9)/10
    assertEquals(
        0.2,
        detail(f, "gradient_dead"),
        Net.TOL); // 2/10 (|x| > 1.5 would give 0; |x| > 0.9 would give 0.3)
    assertEquals(0.0, detail(f, "distribution")); // var ≈ 0.254 ≥ 0.1
    // s = 0.5·0.3 + 0 + 0.2·0.2 = 0.19 -> WARNING; value 1.1·0.19/1.5 = 0.13933…
    assertFinding(layer(f, 0), 0.19, Status.WARNING);
    assertFinding(network(f), 1.1 * 0.19 / 1.5, Status.WARNING);
  }

  @Test
  void tanhActivationNameIsCaseInsensitive() {
    assertEquals(
        0.2,
        detail(oneHidden("TanH", 0.95f, -0.95f, 0.9025f, 0, 0, 0, 0, 0, 0, 0), "gradient_dead"),
        Net.TOL);
  }

  @ParameterizedTest(name = "tanh ±{0}: var {1} -> distribution {2}")
  @CsvSource({
    "0.125, 0.015625, 0.4", // var < 0.05
    "0.25,  0.0625,   0.2", // var < 0.1
    "0.5,   0.25,     0"
  })
  void tanhDistributionBands(float a, double var, double distribution) {
    List<Finding> f = oneHidden("tanh", -a, a);
    assertEquals(var, detail(f, "variance"), Net.TOL);
    assertEquals(distribution, detail(f, "distribution"), Net.TOL);
    assertEquals(0.3 * distribution, layer(f, 0).value(), Net.TOL); // no extremes, no dead band
  }

  @Test
  void varianceBandsAreStrict() {
    // var 0.0625 with tanh.variance_mild = 0.0625: not < 0.0625 -> 0 (default 0.1 gives 0.2)
    Settings s = Net.with("activation_saturation.tanh.variance_mild", "0.0625");
    assertEquals(0.0, detail(oneHidden(s, "tanh", -0.25f, 0.25f), "distribution"));
  }

  @Test
  void sigmoidExtremesAndGradientDeadBand() {
    // > 0.9: 0.96, 0.92; < 0.1: 0.04, 0.08 -> extreme 4/10; < 0.05 or > 0.95: 0.04, 0.96 -> 2/10
    List<Finding> f =
        oneHidden("sigmoid", 0.96f, 0.92f, 0.04f, 0.08f, 0.5f, 0.5f, 0.5f, 0.5f, 0.5f, 0.5f);
    assertEquals(0.4, detail(f, "extreme"), Net.TOL);
    assertEquals(0.2, detail(f, "gradient_dead"), Net.TOL);
    // mean 0.5; var = 2·(0.46² + 0.42²)/10 = 0.0776 ≥ 0.05 -> 0
    assertEquals(0.0776, detail(f, "variance"), 1e-7); // float inputs
    assertEquals(0.0, detail(f, "distribution"));
    // s = 0.5·0.4 + 0.2·0.2 = 0.24 -> WARNING (just under 0.25); value 1.1·0.24/1.5 = 0.176
    assertFinding(layer(f, 0), 0.24, Status.WARNING);
    assertFinding(network(f), 1.1 * 0.24 / 1.5, Status.WARNING);
  }

  @ParameterizedTest(name = "sigmoid 0.5±{0}: -> distribution {1}")
  @CsvSource({
    "0.125,  0.4", // var 0.015625 < 0.02
    "0.1875, 0.2", // var 0.03515625 < 0.05
    "0.25,   0"
  }) // var 0.0625
  void sigmoidDistributionBands(float a, double distribution) {
    assertEquals(
        distribution, detail(oneHidden("sigmoid", 0.5f - a, 0.5f + a), "distribution"), Net.TOL);
  }

  @ParameterizedTest
  @ValueSource(strings = {"relu", "leaky_relu", "LeakyReLU", "lrelu", "my_relu"})
  void reluFamilyCountsValuesAboveTen(String activation) {
    // P(x > 10) = 1/4; var 24 ≥ 0.01 -> 0; no dead band -> s = 0.5·0.25 = 0.125
    List<Finding> f = oneHidden(activation, 0, 0, 12, 4);
    assertEquals(0.25, detail(f, "extreme"), Net.TOL);
    assertEquals(24.0, detail(f, "variance"), Net.TOL); // mean 4, E[x²] = 160/4 = 40
    assertFinding(layer(f, 0), 0.125, Status.WARNING);
  }

  @ParameterizedTest
  @ValueSource(strings = {"relu", "leaky_relu", "LeakyReLU"})
  void reluFamilyDoesNotUseThePercentileRange(String activation) {
    // constant activations: relu family -> extreme 0, var 0 < 0.01 -> 0.3 -> s = 0.09
    // (the percentile branch would add 0.8 for a zero range -> 0.49; the original did that for
    // leaky_relu)
    assertFinding(layer(oneHidden(activation, 1, 1, 1, 1), 0), 0.3 * 0.3, Status.HEALTHY);
  }

  @Test
  void reluExtremeIsStrictlyAboveTen() {
    assertEquals(0.0, detail(oneHidden("relu", 10, 10, 0, 0), "extreme"));
  }

  @Test
  void otherActivationsUseTheNarrowPercentileRange() {
    // sorted 1, 1, 1, 1.03125: p99 at 2.97 = 1 + 0.03125·0.97 = 1.0303125; p1 at 0.03 = 1 -> range
    // 0.0303 < 0.1 -> 0.8
    // mean 1.0078125; var = (3·0.0078125² + 0.0234375²)/4 = 1.8310546875e-4 < 0.01 -> 0.3
    List<Finding> f = oneHidden("linear", 1, 1, 1, 1.03125f);
    assertEquals(0.8, detail(f, "extreme"), Net.TOL);
    assertEquals(1.8310546875e-4, detail(f, "variance"), Net.TOL);
    assertEquals(0.3, detail(f, "distribution"), Net.TOL);
    assertEquals(0.0, detail(f, "gradient_dead"));
    // s = 0.5·0.8 + 0.3·0.3 = 0.49 -> CRITICAL; value 1.1·0.49/1.5
    assertFinding(layer(f, 0), 0.49, Status.CRITICAL);
    assertFinding(network(f), 1.1 * 0.49 / 1.5, Status.CRITICAL);
  }

  @Test
  void percentileRangeIgnoresTheOutermostPercent() {
    // x = k/1000, k = 0..100: max − min = 0.1 (not < 0.1) but p99 − p1 = 0.099 − 0.001 = 0.098 <
    // 0.1 -> 0.8
    float[] x = new float[101];
    for (int k = 0; k <= 100; k++) x[k] = k / 1000f;
    assertEquals(0.8, detail(oneHidden("gelu", x), "extreme"), Net.TOL);
  }

  @Test
  void otherActivationsWithAWideRangeAreNotSaturated() {
    // p99 − p1 = 2.97 − 0.03 = 2.94; var 1.25
    assertFinding(layer(oneHidden("linear", 0, 1, 2, 3), 0), 0, Status.HEALTHY);
  }

  @Test
  void layerStatusBandEdges() {
    // relu P(x > 10) = 1/5 -> s = 0.1: not < 0.1 -> WARNING
    assertFinding(layer(oneHidden("relu", 12, 0, 0, 0, 0), 0), 0.1, Status.WARNING);
    // P = 1/2 -> s = 0.25: not < 0.25 -> CRITICAL
    assertFinding(layer(oneHidden("relu", 12, 0), 0), 0.25, Status.CRITICAL);
  }

  @Test
  void depthWeightsFavourTheInputSide() {
    // H = 2: w0 = 1 + 2·0.1 = 1.2, w1 = 1 + 1·0.1 = 1.1
    float[] saturated = {1, 1, 1, 1.03125f}; // s = 0.49 (see above)
    float[] wide = {0, 1, 2, 3}; // s = 0
    Net first =
        Net.of(S, "linear", "linear", "linear")
            .row(ACTIVATIONS, 0, saturated)
            .row(ACTIVATIONS, 1, wide);
    List<Finding> f = new ActivationSaturation(S).evaluate(first.tensors);
    assertFinding(network(f), (1.2 * 0.49 + 1.1 * 0) / 2 / 1.5, Status.WARNING); // 0.196
    assertEquals(2.0, network(f).details().get("hidden_layers"));
    assertFinding(layer(f, 0), 0.49, Status.CRITICAL);
    assertFinding(layer(f, 1), 0, Status.HEALTHY);
    Net second =
        Net.of(S, "linear", "linear", "linear")
            .row(ACTIVATIONS, 0, wide)
            .row(ACTIVATIONS, 1, saturated);
    assertFinding(
        network(new ActivationSaturation(S).evaluate(second.tensors)),
        (1.2 * 0 + 1.1 * 0.49) / 2 / 1.5,
        Status.WARNING); // 0.17967
  }

  @Test
  void onlyHiddenLayersWithActivationsAreIndexed() {
    // layers 0, 1 hidden; only layer 1 has activations -> H = 1, its weight 1 + 1·0.1 = 1.1
    Net n = Net.of(S, "linear", "linear", "linear").row(ACTIVATIONS, 1, 1, 1, 1, 1.03125f);
    List<Finding> f = new ActivationSaturation(S).evaluate(n.tensors);
    assertFinding(network(f), 1.1 * 0.49 / 1.5, Status.CRITICAL);
    assertEquals(List.of(1), Net.layerIndices(f));
  }

  @Test
  void outputLayerActivationsAreIgnored() {
    Net n =
        Net.of(S, "linear", "linear")
            .row(ACTIVATIONS, 0, 0, 1, 2, 3)
            .row(ACTIVATIONS, 1, 1, 1, 1, 1);
    List<Finding> f = new ActivationSaturation(S).evaluate(n.tensors);
    assertFinding(network(f), 0, Status.HEALTHY);
    assertEquals(List.of(0), Net.layerIndices(f));
  }

  @Test
  void noHiddenActivationsIsUnknown() {
    List<Finding> f =
        new ActivationSaturation(S).evaluate(Net.of(S, "tanh").row(ACTIVATIONS, 0, 1, 1).tensors);
    assertUnknown(network(f));
    assertEquals(1, f.size());
  }

  @Test
  void valueIsCappedAtOne() {
    // sigmoid all 0.99: extreme 1 + 0, var 0 -> 0.4, dead 1 -> s = 0.5 + 0.12 + 0.2 = 0.82
    float[] x = {0.99f, 0.99f, 0.99f, 0.99f};
    assertFinding(network(oneHidden("sigmoid", x)), 1.1 * 0.82 / 1.5, Status.CRITICAL); // 0.6013
    // normalizer 0.5: 1.1·0.82/0.5 = 1.804 -> 1
    assertFinding(
        network(oneHidden(Net.with("activation_saturation.normalizer", "0.5"), "sigmoid", x)),
        1,
        Status.CRITICAL);
  }

  @Test
  void nanVarianceTakesTheLastDistributionBand() {
    // tanh {NaN, 0.95, 0, 0}: extreme 1/4, dead 1/4; var NaN -> distribution 0 (else)
    List<Finding> f = oneHidden("tanh", Float.NaN, 0.95f, 0, 0);
    assertEquals(0.0, detail(f, "distribution"));
    assertFinding(layer(f, 0), 0.5 * 0.25 + 0.2 * 0.25, Status.WARNING); // 0.175
  }

  @Test
  void nanPercentileTakesTheElseBranch() {
    // linear {NaN, 1, 1, 1}: percentiles NaN -> extreme 0; var NaN -> distribution 0
    assertFinding(layer(oneHidden("linear", Float.NaN, 1, 1, 1), 0), 0, Status.HEALTHY);
  }

  @Test
  void extremeThresholdOverrideChangesTheVerdict() {
    // relu.extreme_high = 3: {0, 0, 12, 4} -> P(x > 3) = 1/2 -> s = 0.25 -> CRITICAL (0.125 WARNING
    // by default)
    assertFinding(
        layer(
            oneHidden(
                Net.with("activation_saturation.relu.extreme_high", "3"), "relu", 0, 0, 12, 4),
            0),
        0.25,
        Status.CRITICAL);
  }
}
