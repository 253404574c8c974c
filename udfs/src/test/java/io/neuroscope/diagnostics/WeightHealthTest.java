package io.neuroscope.diagnostics;

import static io.neuroscope.diagnostics.Net.assertFinding;
import static io.neuroscope.diagnostics.Net.assertUnknown;
import static io.neuroscope.diagnostics.Net.layer;
import static io.neuroscope.diagnostics.Net.network;
import static io.neuroscope.diagnostics.TensorKind.WEIGHTS;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** health = (init + dead + finite)/3; with fan_in 2, He ref = sqrt(2/(2 + 1e-8)) ≈ 1. */
class WeightHealthTest {
  private static final Settings S = Settings.defaults();
  private static final double THIRD = 1 / 3.0;
  private static final double TWO_THIRDS = 2 / 3.0;

  private static LayerInfo info(int layer, String activation, Integer fanIn, Integer fanOut) {
    return new LayerInfo(layer, "layer" + layer, activation, fanIn, fanOut);
  }

  /** One layer, fan_in 2, fan_out 3, with the given weights. */
  private static List<Finding> oneLayer(Settings s, float... w) {
    return new WeightHealth(s)
        .evaluate(Net.of(s, info(0, "relu", 2, 3)).row(WEIGHTS, 0, w).tensors);
  }

  @Test
  void wellScaledFiniteLiveWeightsAreHealthy() {
    List<Finding> f = oneLayer(S, 1, -1); // std 1
    assertFinding(network(f), 1, Status.HEALTHY);
    assertFinding(layer(f, 0), 1, Status.HEALTHY);
    // ratio = 1 / (sqrt(2/(2 + 1e-8)) + 1e-8)
    assertEquals(
        1 / (Math.sqrt(2 / (2 + 1e-8)) + 1e-8), layer(f, 0).details().get("std_ratio"), Net.TOL);
  }

  /** §9 needs layers.fan_in: a layer without it is UNKNOWN and left out of the network mean. */
  @Test
  void aLayerWithoutFanInIsUnknown() {
    Net n =
        Net.of(S, info(0, "relu", null, 3), info(1, "relu", 2, 3))
            .row(WEIGHTS, 0, 1, -1)
            .row(WEIGHTS, 1, 1, -1);
    List<Finding> f = new WeightHealth(S).evaluate(n.tensors);
    assertUnknown(layer(f, 0));
    assertFinding(layer(f, 1), 1, Status.HEALTHY);
    assertFinding(network(f), 1, Status.HEALTHY);
    assertEquals(1.0, network(f).details().get("layers"));
    // no layer with its fan_in: nothing to score
    List<Finding> none =
        new WeightHealth(S)
            .evaluate(Net.of(S, info(0, "relu", null, 3)).row(WEIGHTS, 0, 1, -1).tensors);
    assertUnknown(network(none));
    // Glorot (per_family, tanh) needs fan_out too
    Settings perFamily = Net.with("weight_health.reference", "per_family");
    List<Finding> glorot =
        new WeightHealth(perFamily)
            .evaluate(Net.of(perFamily, info(0, "tanh", 2, null)).row(WEIGHTS, 0, 1, -1).tensors);
    assertUnknown(layer(glorot, 0));
  }

  @Test
  void referenceUsesFanInFromLayersNotFanOut() {
    // fan_in 2, fan_out 200, std 1: He with fan_in -> ratio ≈ 1 -> init 1; with fan_out it would be
    // 10 -> init 0
    Net n = Net.of(S, info(0, "relu", 2, 200)).row(WEIGHTS, 0, 1, -1);
    assertFinding(network(new WeightHealth(S).evaluate(n.tensors)), 1, Status.HEALTHY);
  }

  @ParameterizedTest(name = "std {0} -> init {1}")
  @CsvSource({"2, 1", "0.5, 1", "2.5, 0", "0.25, 0", "1.5, 1"})
  void initRatioBandIsInclusive(float std, int init) {
    // epsilon 0: ref = sqrt(2/2) = 1 exactly, ratio = std
    List<Finding> f = oneLayer(Net.with("weight_health.epsilon", "0"), std, -std);
    assertEquals((double) std, layer(f, 0).details().get("std_ratio"), Net.TOL);
    assertEquals(init, layer(f, 0).details().get("init"), 0);
    assertEquals((init + 1 + 1) / 3.0, layer(f, 0).value(), Net.TOL);
  }

  @Test
  void defaultEpsilonsPutStdOneHalfJustBelowTheBand() {
    // ratio = 0.5 / (sqrt(2/(2 + 1e-8)) + 1e-8) ≈ 0.5 − 3.75e-9 < 0.5 -> init 0 -> 2/3
    List<Finding> f = oneLayer(S, 0.5f, -0.5f);
    assertEquals(0.0, layer(f, 0).details().get("init"));
    assertFinding(layer(f, 0), TWO_THIRDS, Status.WARNING);
  }

  @Test
  void deadFractionMustBeBelowTenPercent() {
    // 20 weights: 2 zeros (P = 0.1, not < 0.1) and 9 pairs ±1 -> std sqrt(0.9) ≈ 0.95 -> init 1,
    // dead 0
    float[] w = new float[20];
    for (int i = 0; i < 18; i++) w[i] = i % 2 == 0 ? 1 : -1;
    List<Finding> f = oneLayer(S, w);
    assertEquals(0.0, layer(f, 0).details().get("dead"));
    assertFinding(layer(f, 0), TWO_THIRDS, Status.WARNING);
    // one zero (P = 0.05): w[18] = 1 -> mean 0.05, var 0.95 − 0.0025, std ≈ 0.973 -> health 1
    w[18] = 1;
    assertFinding(layer(oneLayer(S, w), 0), 1, Status.HEALTHY);
  }

  @Test
  void deadWeightsAreStrictlyBelow1em8() {
    // 1e-8 is not dead; 5e-9 is. Five of ten tiny weights: P = 0.5 or 0.
    double[] alive = {1e-8, 1e-8, 1e-8, 1e-8, 1e-8, 1, -1, 1, -1, 1};
    double[] dead = {5e-9, 5e-9, 5e-9, 5e-9, 5e-9, 1, -1, 1, -1, 1};
    Settings s = Net.with("weight_health.init_ratio_low", "0"); // keep init at 1 whatever the std
    assertEquals(
        1.0,
        layer(
                new WeightHealth(s)
                    .evaluate(Net.of(s, info(0, "relu", 2, 3)).rowD(WEIGHTS, 0, alive).tensors),
                0)
            .details()
            .get("dead"));
    assertEquals(
        0.0,
        layer(
                new WeightHealth(s)
                    .evaluate(Net.of(s, info(0, "relu", 2, 3)).rowD(WEIGHTS, 0, dead).tensors),
                0)
            .details()
            .get("dead"));
  }

  @Test
  void nonFiniteWeightsLoseFiniteAndInit() {
    // +∞: std NaN -> init 0; no zeros -> dead 1; finite 0 -> 1/3 -> CRITICAL
    List<Finding> inf = oneLayer(S, 1, -1, Float.POSITIVE_INFINITY, -1);
    assertEquals(0.0, layer(inf, 0).details().get("finite"));
    assertFinding(layer(inf, 0), THIRD, Status.CRITICAL);
    assertFinding(layer(oneLayer(S, 1, -1, Float.NaN, -1), 0), THIRD, Status.CRITICAL);
    // {0, NaN}: init 0, P(|w| < 1e-8) = 1/2 -> dead 0, finite 0 -> 0
    assertFinding(layer(oneLayer(S, 0, Float.NaN), 0), 0, Status.CRITICAL);
  }

  private static List<Finding> layersWithHealth(double... health) {
    // health 1: {1, −1}; 2/3: {5, −5} (ratio 5 -> init 0); 1/3: {5, −5, ∞, 5}; 0: {0, NaN}
    LayerInfo[] infos = new LayerInfo[health.length];
    for (int l = 0; l < health.length; l++) infos[l] = info(l, "relu", 2, 2);
    Net n = Net.of(S, infos);
    for (int l = 0; l < health.length; l++) {
      double h = health[l];
      if (h == 1) n.row(WEIGHTS, l, 1, -1);
      else if (h == TWO_THIRDS) n.row(WEIGHTS, l, 5, -5);
      else if (h == THIRD) n.row(WEIGHTS, l, 5, -5, Float.POSITIVE_INFINITY, 5);
      else n.row(WEIGHTS, l, 0, Float.NaN);
    }
    return new WeightHealth(S).evaluate(n.tensors);
  }

  @Test
  void networkValueIsTheMeanOverLayersWithInclusiveBands() {
    assertFinding(
        network(layersWithHealth(1, TWO_THIRDS)), (1 + TWO_THIRDS) / 2, Status.HEALTHY); // 0.8333
    assertFinding(
        network(layersWithHealth(1, 1, 1, 1, 0)), 0.8, Status.HEALTHY); // 4/5 = 0.8: ≥ 0.8
    assertFinding(network(layersWithHealth(TWO_THIRDS, TWO_THIRDS)), TWO_THIRDS, Status.WARNING);
    assertFinding(
        network(layersWithHealth(THIRD, TWO_THIRDS)),
        0.5,
        Status.WARNING); // (1/3 + 2/3)/2 = 0.5: ≥ 0.5
    assertFinding(network(layersWithHealth(THIRD, TWO_THIRDS, THIRD)), 4 / 9.0, Status.CRITICAL);
    List<Finding> f = layersWithHealth(1, 0);
    assertEquals(List.of(0, 1), Net.layerIndices(f));
    assertFinding(layer(f, 1), 0, Status.CRITICAL);
  }

  @Test
  void noWeightsIsUnknown() {
    List<Finding> f = new WeightHealth(S).evaluate(Net.layers(S, 2).tensors);
    assertUnknown(network(f));
    assertEquals(1, f.size());
  }

  @Test
  void perFamilyReferenceUsesGlorotOutsideTheReluFamily() {
    // fan_in = fan_out = 50, std ≈ 0.3: He sqrt(2/50) = 0.2 -> ratio 1.5 -> init 1;
    // Glorot sqrt(2/100) = 0.1414 -> ratio 2.12 -> init 0
    Settings perFamily = Net.with("weight_health.reference", "per_family");
    for (Settings s : List.of(S, perFamily)) {
      Net n =
          Net.of(s, info(0, "tanh", 50, 50), info(1, "leaky_relu", 50, 50))
              .row(WEIGHTS, 0, 0.3f, -0.3f)
              .row(WEIGHTS, 1, 0.3f, -0.3f);
      List<Finding> f = new WeightHealth(s).evaluate(n.tensors);
      boolean glorot = s == perFamily;
      assertEquals(
          glorot ? 0.0 : 1.0,
          layer(f, 0).details().get("init"),
          "tanh layer, per_family=" + glorot);
      assertEquals(1.0, layer(f, 1).details().get("init"), "leaky_relu layer keeps He");
      double ref = glorot ? Math.sqrt(2.0 / 100) : Math.sqrt(2 / (50 + 1e-8));
      assertEquals(0.3f / (ref + 1e-8), layer(f, 0).details().get("std_ratio"), 1e-12);
    }
  }

  @Test
  void healthyThresholdOverrideChangesTheVerdict() {
    List<Finding> f =
        new WeightHealth(Net.with("weight_health.healthy_at_least", "0.9"))
            .evaluate(
                Net.of(
                        Net.with("weight_health.healthy_at_least", "0.9"),
                        info(0, "relu", 2, 2),
                        info(1, "relu", 2, 2))
                    .row(WEIGHTS, 0, 1, -1)
                    .row(WEIGHTS, 1, 5, -5)
                    .tensors);
    assertFinding(network(f), (1 + TWO_THIRDS) / 2, Status.WARNING); // 0.8333 < 0.9
  }
}
