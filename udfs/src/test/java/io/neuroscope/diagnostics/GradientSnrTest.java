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

/** value = mean|g| / (std|g| + 1e-10). */
class GradientSnrTest {
  private static final Settings S = Settings.defaults();
  private static final double E = 1e-10;

  private static List<Finding> eval(Net n) {
    return new GradientSnr(n.s).evaluate(n.tensors);
  }

  @Test
  void networkValuePoolsTheMagnitudesOfEveryLayer() {
    // |g| over both layers: 1, 1, 3, 3 -> m = 2, s = 1
    Net n = Net.layers(S, 2).row(GRADIENTS, 0, 1, -1).row(GRADIENTS, 1, -3, 3);
    List<Finding> f = eval(n);
    assertFinding(network(f), 2 / (1 + E), Status.HEALTHY);
    assertEquals(2.0, network(f).details().get("mean_abs"), Net.TOL);
    assertEquals(1.0, network(f).details().get("std_abs"), Net.TOL);
    // per layer: s = 0 -> m / 1e-10
    assertEquals(1 / E, layer(f, 0).value(), 1e-2);
    assertEquals(3 / E, layer(f, 1).value(), 1e-2);
    assertEquals(Status.HEALTHY, layer(f, 1).status());
  }

  @Test
  void signsDoNotMatter() {
    // |g| = 1, 3
    assertFinding(
        network(eval(Net.layers(S, 1).row(GRADIENTS, 0, -1, 3))), 2 / (1 + E), Status.HEALTHY);
  }

  @Test
  void warningBand() {
    // |g| = 0, 2: m = 1, s = 1
    assertFinding(
        network(eval(Net.layers(S, 1).row(GRADIENTS, 0, 0, 2))), 1 / (1 + E), Status.WARNING);
  }

  @Test
  void criticalBand() {
    // |g| = nine 0s and one 10: m = 1, E|g|² = 10, s = sqrt(10 − 1) = 3 -> 1/3
    float[] g = new float[10];
    g[9] = -10;
    assertFinding(
        network(eval(Net.layers(S, 1).row(GRADIENTS, 0, g))), 1 / (3 + E), Status.CRITICAL);
  }

  @Test
  void healthyBandIsStrict() {
    // epsilon 0; |g| = 0.5, 2.5: m = 1.5, s = 1 -> exactly 1.5, not > 1.5
    Settings s = Net.with("gradient_snr.epsilon", "0");
    assertFinding(
        network(eval(Net.layers(s, 1).row(GRADIENTS, 0, 0.5f, -2.5f))), 1.5, Status.WARNING);
  }

  @Test
  void allMagnitudesBelowTheFloorIsUnknown() {
    Net zeros = Net.layers(S, 2).row(GRADIENTS, 0, 0, 0).row(GRADIENTS, 1, 0, 0);
    List<Finding> f = eval(zeros);
    assertUnknown(network(f));
    assertUnknown(layer(f, 0));
    assertUnknown(layer(f, 1));
    assertUnknown(network(eval(Net.layers(S, 1).rowD(GRADIENTS, 0, 5e-11, -5e-11))));
  }

  @Test
  void tinyMeanMagnitudeIsUnknownEvenIfSomeElementsAreLarger() {
    // one |g| = 1e-9 (≥ 1e-10) among 99 zeros: m = 1e-11 < 1e-10
    double[] g = new double[100];
    g[0] = 1e-9;
    assertUnknown(network(eval(Net.layers(S, 1).rowD(GRADIENTS, 0, g))));
  }

  @Test
  void magnitudesExactlyAtTheFloorAreKnown() {
    // every |g| = 1e-10: not < 1e-10; m = 1e-10, s = 0 -> 1e-10/(0 + 1e-10) = 1
    assertFinding(
        network(eval(Net.layers(S, 1).rowD(GRADIENTS, 0, 1e-10, -1e-10))), 1, Status.WARNING);
  }

  @Test
  void aLayerOfZerosIsUnknownOnItsOwnButCountsInTheNetwork() {
    // pooled |g| = 0, 0, 1, 3: m = 1, E|g|² = 10/4, s = sqrt(2.5 − 1) = sqrt(1.5)
    Net n = Net.layers(S, 2).row(GRADIENTS, 0, 0, 0).row(GRADIENTS, 1, 1, -3);
    List<Finding> f = eval(n);
    assertFinding(network(f), 1 / (Math.sqrt(1.5) + E), Status.WARNING);
    assertUnknown(layer(f, 0));
    assertFinding(layer(f, 1), 2 / (1 + E), Status.HEALTHY);
  }

  @Test
  void biasGradientsAreNotPartOfIt() {
    Net n = Net.layers(S, 2).row(GRADIENTS, 0, 1, 3).row(BIAS_GRADIENTS, 0, 0, 0, 0, 100);
    assertFinding(network(eval(n)), 2 / (1 + E), Status.HEALTHY);
  }

  @Test
  void nanGradientTakesTheLastBand() {
    Net n = Net.layers(S, 2).row(GRADIENTS, 0, Float.NaN, 1).row(GRADIENTS, 1, 1, 3);
    List<Finding> f = eval(n);
    assertTrue(Double.isNaN(network(f).value()));
    assertEquals(Status.CRITICAL, network(f).status());
    assertEquals(Status.CRITICAL, layer(f, 0).status());
    assertEquals(Status.HEALTHY, layer(f, 1).status());
  }

  @Test
  void noGradientsIsUnknown() {
    List<Finding> f = eval(Net.layers(S, 2));
    assertUnknown(network(f));
    assertEquals(1, f.size());
  }

  @Test
  void healthyThresholdOverrideChangesTheVerdict() {
    // |g| = 1, 3 -> ≈ 2: HEALTHY by default, WARNING with healthy_above = 2.5
    assertFinding(
        network(
            eval(
                Net.layers(Net.with("gradient_snr.healthy_above", "2.5"), 1)
                    .row(GRADIENTS, 0, 1, 3))),
        2 / (1 + E),
        Status.WARNING);
  }
}
