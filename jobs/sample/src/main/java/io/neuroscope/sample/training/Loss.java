package io.neuroscope.sample.training;

import java.util.Locale;

/**
 * The training objective, as a mean over the batch. Targets are a rows × cols matrix: regression
 * values for MSE, one-hot rows (or any probability rows) for cross-entropy; {@link Dataset} turns
 * integer class labels into one-hot rows.
 */
public enum Loss {
  /** Mean over all elements (samples × outputs) of (a − y)². */
  MSE,
  /**
   * Mean over samples of −Σ_j y_j·log softmax(z)_j, computed from the logits z (log-sum-exp), so it
   * stays finite.
   */
  CROSS_ENTROPY;

  /** The name used in telemetry {@code params}: {@code mse}, {@code cross_entropy}. */
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Loss parse(String id) {
    try {
      return valueOf(id.trim().replace('-', '_').toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("unknown loss '" + id + "'", e);
    }
  }

  /** Throws if this loss cannot be paired with the given output activation. */
  void checkOutput(Activation output) {
    if (this == CROSS_ENTROPY && output != Activation.SOFTMAX) {
      throw new IllegalArgumentException(
          "cross-entropy needs a softmax output layer, got " + output.id());
    }
    if (this == MSE && output == Activation.SOFTMAX) {
      throw new IllegalArgumentException(
          "a softmax output layer is only supported with cross-entropy");
    }
  }

  /**
   * The loss of a batch of {@code rows} samples, from the output layer's pre-activation {@code z}
   * and output {@code a}.
   */
  double value(double[] z, double[] a, double[] y, int rows, int cols) {
    double sum = 0;
    if (this == MSE) {
      int n = rows * cols;
      for (int i = 0; i < n; i++) {
        double d = a[i] - y[i];
        sum += d * d;
      }
      return sum / n;
    }
    for (int r = 0; r < rows; r++) {
      int o = r * cols;
      double max = Double.NEGATIVE_INFINITY;
      for (int c = 0; c < cols; c++) {
        max = Math.max(max, z[o + c]);
      }
      double s = 0;
      for (int c = 0; c < cols; c++) {
        s += StrictMath.exp(z[o + c] - max);
      }
      double logSumExp = max + StrictMath.log(s);
      for (int c = 0; c < cols; c++) {
        double t = y[o + c];
        if (t != 0) {
          sum += t * (logSumExp - z[o + c]);
        }
      }
    }
    return sum / rows;
  }

  /**
   * Writes dL/dz of the output layer into {@code delta}: for cross-entropy over softmax (p − y) /
   * rows; for MSE 2·(a − y) / (rows·cols) times f'(z).
   */
  void outputDelta(
      Activation output, double[] z, double[] a, double[] y, int rows, int cols, double[] delta) {
    int n = rows * cols;
    if (this == CROSS_ENTROPY) {
      for (int i = 0; i < n; i++) {
        delta[i] = (a[i] - y[i]) / rows;
      }
      return;
    }
    double scale = 2.0 / n;
    for (int i = 0; i < n; i++) {
      delta[i] = scale * (a[i] - y[i]);
    }
    output.multiplyByDerivative(delta, z, a, n);
  }
}
