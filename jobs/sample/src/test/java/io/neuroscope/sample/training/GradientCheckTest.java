package io.neuroscope.sample.training;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Backpropagation against central finite differences, in double precision: for every hidden
 * activation, with MSE over several output activations and with softmax/cross-entropy, dL/dW and
 * dL/db of every layer.
 */
class GradientCheckTest {
  private static final double H = 1e-6;
  private static final double TOLERANCE = 1e-5;

  static Stream<Arguments> networks() {
    List<Arguments> cases = new ArrayList<>();
    for (Activation hidden :
        List.of(
            Activation.RELU,
            Activation.LEAKY_RELU,
            Activation.TANH,
            Activation.SIGMOID,
            Activation.LINEAR)) {
      cases.add(Arguments.of(hidden, Activation.SOFTMAX, Loss.CROSS_ENTROPY));
      cases.add(Arguments.of(hidden, Activation.LINEAR, Loss.MSE));
      cases.add(Arguments.of(hidden, Activation.SIGMOID, Loss.MSE));
    }
    cases.add(Arguments.of(Activation.TANH, Activation.TANH, Loss.MSE));
    cases.add(Arguments.of(Activation.SIGMOID, Activation.RELU, Loss.MSE));
    cases.add(Arguments.of(Activation.RELU, Activation.LEAKY_RELU, Loss.MSE));
    return cases.stream();
  }

  @ParameterizedTest(name = "{0} hidden, {1} output, {2}")
  @MethodSource("networks")
  void analyticGradientsMatchFiniteDifferences(Activation hidden, Activation output, Loss loss) {
    int inputs = 3;
    int outputs = 3;
    int rows = 5;
    Network net = Network.create(inputs, List.of(4, 5), hidden, outputs, output, Init.xavier(), 42);
    Rng rng = new Rng(7);
    // Non-zero biases, so their gradients are exercised away from the initial point too.
    for (int l = 0; l < net.depth(); l++) {
      double[] b = net.layer(l).bias;
      for (int j = 0; j < b.length; j++) {
        b[j] = 0.3 * rng.gaussian();
      }
    }
    double[] x = new double[rows * inputs];
    for (int i = 0; i < x.length; i++) {
      x[i] = rng.gaussian();
    }
    double[] y = new double[rows * outputs];
    for (int r = 0; r < rows; r++) {
      if (loss == Loss.CROSS_ENTROPY) {
        y[r * outputs + rng.nextInt(outputs)] = 1.0;
      } else {
        for (int c = 0; c < outputs; c++) {
          y[r * outputs + c] = output == Activation.SIGMOID ? rng.uniform() : rng.gaussian();
        }
      }
    }

    Gradients analytic = new Gradients(net);
    net.gradients(x, y, rows, loss, analytic);
    for (int l = 0; l < net.depth(); l++) {
      Layer layer = net.layer(l);
      double[] numericW = numeric(net, layer.weights, x, y, rows, loss);
      double[] numericB = numeric(net, layer.bias, x, y, rows, loss);
      assertClose(analytic.weights[l], numericW, "dL/dW of layer " + l);
      assertClose(analytic.biases[l], numericB, "dL/db of layer " + l);
    }
  }

  private static double[] numeric(
      Network net, double[] params, double[] x, double[] y, int rows, Loss loss) {
    double[] g = new double[params.length];
    for (int i = 0; i < params.length; i++) {
      double p = params[i];
      params[i] = p + H;
      double plus = net.loss(x, y, rows, loss);
      params[i] = p - H;
      double minus = net.loss(x, y, rows, loss);
      params[i] = p;
      g[i] = (plus - minus) / (2 * H);
    }
    return g;
  }

  /**
   * Relative error of the whole tensor, ‖a − n‖ / (‖a‖ + ‖n‖), and of each element against the
   * tensor's scale.
   */
  private static void assertClose(double[] analytic, double[] numeric, String what) {
    double diff = 0;
    double scale = 0;
    double worst = 0;
    for (int i = 0; i < analytic.length; i++) {
      double d = analytic[i] - numeric[i];
      diff += d * d;
      scale += analytic[i] * analytic[i] + numeric[i] * numeric[i];
    }
    double norm = Math.sqrt(scale);
    for (int i = 0; i < analytic.length; i++) {
      worst =
          Math.max(
              worst,
              Math.abs(analytic[i] - numeric[i])
                  / Math.max(Math.abs(analytic[i]) + Math.abs(numeric[i]), 1e-3 * norm));
    }
    assertTrue(norm > 1e-8, what + " is all zero: nothing was checked");
    double relative = Math.sqrt(diff) / norm;
    assertTrue(relative < TOLERANCE, what + ": relative error " + relative);
    assertTrue(worst < TOLERANCE, what + ": worst element relative error " + worst);
  }

  @Test
  void softmaxIsOnlyAnOutputForCrossEntropy() {
    assertThrows(
        IllegalArgumentException.class,
        () ->
            Network.create(2, List.of(3), Activation.SOFTMAX, 2, Activation.SOFTMAX, Init.he(), 1));
    Network softmaxOut =
        Network.create(2, List.of(3), Activation.RELU, 2, Activation.SOFTMAX, Init.he(), 1);
    assertThrows(
        IllegalArgumentException.class,
        () -> softmaxOut.loss(new double[4], new double[4], 2, Loss.MSE));
    Network linearOut =
        Network.create(2, List.of(3), Activation.RELU, 2, Activation.LINEAR, Init.he(), 1);
    assertThrows(
        IllegalArgumentException.class,
        () -> linearOut.loss(new double[4], new double[4], 2, Loss.CROSS_ENTROPY));
  }
}
