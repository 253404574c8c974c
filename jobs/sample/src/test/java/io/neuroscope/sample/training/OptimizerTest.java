package io.neuroscope.sample.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** The update rules on a single parameter, step by step. */
class OptimizerTest {

  @Test
  void sgdStepsAgainstTheGradient() {
    double[] p = {1.0};
    double[] d = new double[1];
    Optimizer.sgd(0.1).newState(1).step(p, new double[] {2.0}, d);
    assertEquals(-0.2, d[0], 1e-15);
    assertEquals(0.8, p[0], 1e-15);
  }

  @Test
  void momentumAccumulatesVelocity() {
    double[] p = {0.0};
    double[] d = new double[1];
    Optimizer.State s = Optimizer.momentum(0.1).newState(1);
    s.step(p, new double[] {1.0}, d);
    assertEquals(-0.1, d[0], 1e-15);
    s.step(p, new double[] {1.0}, d);
    assertEquals(-0.19, d[0], 1e-15);
    assertEquals(-0.29, p[0], 1e-15);
  }

  @Test
  void adamTakesSteps_ofAboutTheLearningRate_whateverTheGradientScale() {
    for (double g : new double[] {1e-4, 1.0, 1e4}) {
      double[] p = {0.0};
      double[] d = new double[1];
      Optimizer.State s = Optimizer.adam(0.01).newState(1);
      s.step(p, new double[] {g}, d);
      // Bias-corrected first step: m̂ = g, v̂ = g², so ΔW = −lr·g/(|g| + ε).
      assertEquals(-0.01 * g / (g + 1e-8), d[0], 1e-15);
      s.step(p, new double[] {g}, d);
      assertEquals(-0.01 * g / (g + 1e-8), d[0], 1e-12);
    }
  }

  @Test
  void hyperparametersAreChecked() {
    assertThrows(IllegalArgumentException.class, () -> Optimizer.sgd(0));
    assertThrows(IllegalArgumentException.class, () -> new Optimizer.Momentum(0.1, 1.0));
    assertThrows(IllegalArgumentException.class, () -> new Optimizer.Adam(0.1, 0.9, 1.0, 1e-8));
  }

  @Test
  void initSetsTheStandardDeviation() {
    assertEquals(Math.sqrt(2.0 / 50), Init.he().stdFor(50, 10), 0.0);
    assertEquals(Math.sqrt(2.0 / 60), Init.xavier().stdFor(50, 10), 0.0);
    assertEquals(0.3, Init.normal(0.3).stdFor(50, 10), 0.0);
    Network net =
        Network.create(
            400, java.util.List.of(300), Activation.RELU, 2, Activation.SOFTMAX, Init.he(), 1);
    Matrix w = net.weights().get(0);
    assertEquals(
        2.0 / 400, w.variance(), 0.03 * 2.0 / 400, "He: Var(W) = 2 / fan_in over 120 000 draws");
    assertEquals(0.0, net.biases().get(0).norm(), 0.0, "biases start at zero");
  }
}
