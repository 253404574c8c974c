package io.neuroscope.sample.training;

import java.util.Locale;

/**
 * Element-wise activation functions, plus softmax, which acts on a whole row and is only allowed on
 * the output layer together with {@link Loss#CROSS_ENTROPY} (whose gradient with respect to the
 * pre-activation is then simply {@code (p − y) / n}).
 */
public enum Activation {
  RELU,
  LEAKY_RELU,
  TANH,
  SIGMOID,
  LINEAR,
  SOFTMAX;

  /** Slope of {@link #LEAKY_RELU} for negative inputs. */
  public static final double LEAKY_SLOPE = 0.01;

  /**
   * The name used in telemetry ({@code layers.activation}, {@code params}): {@code relu}, {@code
   * leaky_relu}, …
   */
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses {@link #id()} (case-insensitive; {@code -} is read as {@code _}). */
  public static Activation parse(String id) {
    try {
      return valueOf(id.trim().replace('-', '_').toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("unknown activation '" + id + "'", e);
    }
  }

  /** a = f(z) for a rows × cols batch; {@code z} and {@code a} may not alias. */
  void apply(double[] z, double[] a, int rows, int cols) {
    int n = rows * cols;
    switch (this) {
      case RELU:
        for (int i = 0; i < n; i++) {
          a[i] = z[i] > 0 ? z[i] : 0.0;
        }
        break;
      case LEAKY_RELU:
        for (int i = 0; i < n; i++) {
          a[i] = z[i] > 0 ? z[i] : LEAKY_SLOPE * z[i];
        }
        break;
      case TANH:
        for (int i = 0; i < n; i++) {
          a[i] = StrictMath.tanh(z[i]);
        }
        break;
      case SIGMOID:
        for (int i = 0; i < n; i++) {
          a[i] = sigmoid(z[i]);
        }
        break;
      case LINEAR:
        System.arraycopy(z, 0, a, 0, n);
        break;
      case SOFTMAX:
        for (int r = 0; r < rows; r++) {
          int o = r * cols;
          double max = Double.NEGATIVE_INFINITY;
          for (int c = 0; c < cols; c++) {
            max = Math.max(max, z[o + c]);
          }
          double sum = 0;
          for (int c = 0; c < cols; c++) {
            double e = StrictMath.exp(z[o + c] - max);
            a[o + c] = e;
            sum += e;
          }
          for (int c = 0; c < cols; c++) {
            a[o + c] /= sum;
          }
        }
        break;
      default:
        throw new AssertionError(this);
    }
  }

  /**
   * delta ⊙= f'(z), element-wise, given the pre-activation z and the output a = f(z). Not defined
   * for softmax, whose Jacobian is folded into the cross-entropy gradient.
   */
  void multiplyByDerivative(double[] delta, double[] z, double[] a, int n) {
    switch (this) {
      case RELU:
        for (int i = 0; i < n; i++) {
          if (!(z[i] > 0)) {
            delta[i] = 0.0;
          }
        }
        break;
      case LEAKY_RELU:
        for (int i = 0; i < n; i++) {
          if (!(z[i] > 0)) {
            delta[i] *= LEAKY_SLOPE;
          }
        }
        break;
      case TANH:
        for (int i = 0; i < n; i++) {
          delta[i] *= 1.0 - a[i] * a[i];
        }
        break;
      case SIGMOID:
        for (int i = 0; i < n; i++) {
          delta[i] *= a[i] * (1.0 - a[i]);
        }
        break;
      case LINEAR:
        break;
      case SOFTMAX:
        throw new IllegalStateException(
            "softmax has no element-wise derivative; use it with cross-entropy");
      default:
        throw new AssertionError(this);
    }
  }

  static double sigmoid(double z) {
    if (z >= 0) {
      return 1.0 / (1.0 + StrictMath.exp(-z));
    }
    double e = StrictMath.exp(z);
    return e / (1.0 + e);
  }
}
