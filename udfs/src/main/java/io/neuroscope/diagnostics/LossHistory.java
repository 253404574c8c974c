package io.neuroscope.diagnostics;

import java.util.ArrayList;
import java.util.List;

/**
 * A run's scalar history as the loss-based diagnostics see it at one epoch e (spec, Conventions): T
 * = the train losses of epochs ≤ e, the last N; V = the non-null val losses of epochs ≤ e, the last
 * N; and the global gradient norms of epochs ≤ e that logged gradients.
 */
public final class LossHistory {
  private final double[] train;
  private final double[] validation;
  private final double trainAtE;
  private final Double valAtE;
  private final double[] gradientNorms;

  public LossHistory(
      double[] train, double[] validation, double trainAtE, Double valAtE, double[] gradientNorms) {
    this.train = train;
    this.validation = validation;
    this.trainAtE = trainAtE;
    this.valAtE = valAtE;
    this.gradientNorms = gradientNorms;
  }

  /**
   * The histories at each epoch of a run, from its epochs sorted by epoch number.
   *
   * @param val null where no validation was run
   * @param gradNorms null where that epoch logged no gradients
   */
  public static List<LossHistory> ofRun(
      double[] train, Double[] val, Double[] gradNorms, int historyLength) {
    List<LossHistory> out = new ArrayList<>(train.length);
    List<Double> vals = new ArrayList<>();
    List<Double> norms = new ArrayList<>();
    for (int e = 0; e < train.length; e++) {
      if (val[e] != null) vals.add(val[e]);
      if (gradNorms[e] != null) norms.add(gradNorms[e]);
      int from = Math.max(0, e + 1 - historyLength);
      double[] t = java.util.Arrays.copyOfRange(train, from, e + 1);
      double[] v = tail(vals, historyLength);
      out.add(new LossHistory(t, v, train[e], val[e], tail(norms, historyLength)));
    }
    return out;
  }

  private static double[] tail(List<Double> xs, int k) {
    int from = Math.max(0, xs.size() - k);
    return xs.subList(from, xs.size()).stream().mapToDouble(Double::doubleValue).toArray();
  }

  /** T: the last N train losses up to e. */
  public double[] train() {
    return train;
  }

  /** V: the last N non-null val losses up to e. */
  public double[] validation() {
    return validation;
  }

  public double trainAtE() {
    return trainAtE;
  }

  /** Null where no validation was run at e. */
  public Double valAtE() {
    return valAtE;
  }

  /** Global gradient norms of the epochs up to e that logged gradients, the last N. */
  public double[] gradientNorms() {
    return gradientNorms;
  }
}
