package io.neuroscope.sample.training;

import java.util.Arrays;

/**
 * One dense layer, z = a_in·W + b and a = f(z), with W stored row-major as fan_in × fan_out and b
 * of length fan_out. Its parameters are mutable and owned by one {@link Network}; outside the
 * package they are only seen as snapshots.
 */
public final class Layer {
  private final int index;
  private final int fanIn;
  private final int fanOut;
  private final Activation activation;
  final double[] weights;
  final double[] bias;

  Layer(int index, int fanIn, int fanOut, Activation activation) {
    if (fanIn <= 0 || fanOut <= 0) {
      throw new IllegalArgumentException(
          "layer " + index + " needs positive fan_in and fan_out, got " + fanIn + " × " + fanOut);
    }
    this.index = index;
    this.fanIn = fanIn;
    this.fanOut = fanOut;
    this.activation = activation;
    this.weights = new double[fanIn * fanOut];
    this.bias = new double[fanOut];
  }

  private Layer(Layer other) {
    this.index = other.index;
    this.fanIn = other.fanIn;
    this.fanOut = other.fanOut;
    this.activation = other.activation;
    this.weights = other.weights.clone();
    this.bias = other.bias.clone();
  }

  Layer copy() {
    return new Layer(this);
  }

  public int index() {
    return index;
  }

  /** {@code fc1} for layer 0, and so on. */
  public String name() {
    return "fc" + (index + 1);
  }

  public int fanIn() {
    return fanIn;
  }

  public int fanOut() {
    return fanOut;
  }

  public Activation activation() {
    return activation;
  }

  public LayerInfo info() {
    return new LayerInfo(index, name(), activation.id(), fanIn, fanOut);
  }

  /** A snapshot of W, fan_in × fan_out. */
  public Matrix weights() {
    return new Matrix(fanIn, fanOut, weights);
  }

  /** A snapshot of b, 1 × fan_out. */
  public Matrix bias() {
    return new Matrix(1, fanOut, bias);
  }

  /** z = in·W + b for {@code rows} samples; in is rows × fan_in, z is rows × fan_out. */
  void preActivation(double[] in, int rows, double[] z) {
    for (int s = 0; s < rows; s++) {
      int zo = s * fanOut;
      System.arraycopy(bias, 0, z, zo, fanOut);
      int io = s * fanIn;
      for (int i = 0; i < fanIn; i++) {
        double x = in[io + i];
        int wo = i * fanOut;
        for (int j = 0; j < fanOut; j++) {
          z[zo + j] += x * weights[wo + j];
        }
      }
    }
  }

  /**
   * Given delta = dL/dz (rows × fan_out) and this layer's input, writes dL/dW = inᵀ·delta into
   * {@code dW} and dL/db = the column sums of delta into {@code db}.
   */
  void parameterGradients(double[] in, double[] delta, int rows, double[] dW, double[] db) {
    Arrays.fill(dW, 0.0);
    Arrays.fill(db, 0.0);
    for (int s = 0; s < rows; s++) {
      int io = s * fanIn;
      int d = s * fanOut;
      for (int i = 0; i < fanIn; i++) {
        double x = in[io + i];
        int wo = i * fanOut;
        for (int j = 0; j < fanOut; j++) {
          dW[wo + j] += x * delta[d + j];
        }
      }
      for (int j = 0; j < fanOut; j++) {
        db[j] += delta[d + j];
      }
    }
  }

  /** dL/d(in) = delta·Wᵀ, rows × fan_in. */
  void inputGradient(double[] delta, int rows, double[] out) {
    for (int s = 0; s < rows; s++) {
      int d = s * fanOut;
      int o = s * fanIn;
      for (int i = 0; i < fanIn; i++) {
        int wo = i * fanOut;
        double sum = 0;
        for (int j = 0; j < fanOut; j++) {
          sum += delta[d + j] * weights[wo + j];
        }
        out[o + i] = sum;
      }
    }
  }
}
