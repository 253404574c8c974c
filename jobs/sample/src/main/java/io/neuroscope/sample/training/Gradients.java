package io.neuroscope.sample.training;

import java.util.ArrayList;
import java.util.List;

/**
 * dL/dW and dL/db of every layer for one batch, in the network's layout. Mutable scratch space of
 * the trainer.
 */
public final class Gradients {
  private final int[] fanIn;
  private final int[] fanOut;
  final double[][] weights;
  final double[][] biases;

  /** Zero gradients shaped like {@code network}. */
  public Gradients(Network network) {
    int n = network.depth();
    fanIn = new int[n];
    fanOut = new int[n];
    weights = new double[n][];
    biases = new double[n][];
    for (int l = 0; l < n; l++) {
      Layer layer = network.layer(l);
      fanIn[l] = layer.fanIn();
      fanOut[l] = layer.fanOut();
      weights[l] = new double[layer.fanIn() * layer.fanOut()];
      biases[l] = new double[layer.fanOut()];
    }
  }

  /** The global L2 norm over every weight and bias gradient (NaN if any element is NaN). */
  public double globalNorm() {
    double s = 0;
    for (int l = 0; l < weights.length; l++) {
      for (double g : weights[l]) {
        s += g * g;
      }
      for (double g : biases[l]) {
        s += g * g;
      }
    }
    return Math.sqrt(s);
  }

  void scale(double factor) {
    for (int l = 0; l < weights.length; l++) {
      for (int i = 0; i < weights[l].length; i++) {
        weights[l][i] *= factor;
      }
      for (int i = 0; i < biases[l].length; i++) {
        biases[l][i] *= factor;
      }
    }
  }

  /** Snapshots of dL/dW per layer, fan_in × fan_out. */
  public List<Matrix> weightGradients() {
    List<Matrix> out = new ArrayList<>(weights.length);
    for (int l = 0; l < weights.length; l++) {
      out.add(new Matrix(fanIn[l], fanOut[l], weights[l]));
    }
    return List.copyOf(out);
  }

  /** Snapshots of dL/db per layer, 1 × fan_out. */
  public List<Matrix> biasGradients() {
    List<Matrix> out = new ArrayList<>(biases.length);
    for (double[] b : biases) {
      out.add(new Matrix(1, b.length, b));
    }
    return List.copyOf(out);
  }
}
