package io.neuroscope.sample.training;

/**
 * Seeded synthetic datasets that a linear model cannot fit well, each returned as a
 * train/validation {@link Dataset.Split}. All samples are drawn first, then shuffled with the same
 * seed and split, so the two sets come from the same distribution. The same arguments give
 * bit-identical data.
 */
public final class Datasets {
  private Datasets() {}

  /**
   * Two interleaved half circles (as scikit-learn's make_moons), centred near the origin, with
   * Gaussian noise of std {@code noise} on both coordinates; 2 classes, balanced.
   */
  public static Dataset.Split twoMoons(int trainSize, int validationSize, double noise, long seed) {
    int n = total(trainSize, validationSize);
    Rng rng = new Rng(seed);
    double[] x = new double[2 * n];
    int[] labels = new int[n];
    for (int i = 0; i < n; i++) {
      int c = i % 2;
      double t = rng.uniform(0, StrictMath.PI);
      double px = c == 0 ? StrictMath.cos(t) : 1 - StrictMath.cos(t);
      double py = c == 0 ? StrictMath.sin(t) : 0.5 - StrictMath.sin(t);
      x[2 * i] = px - 0.5 + noise * rng.gaussian();
      x[2 * i + 1] = py - 0.25 + noise * rng.gaussian();
      labels[i] = c;
    }
    return shuffleAndSplit(Dataset.classification("two_moons", x, 2, labels, 2), trainSize, rng);
  }

  /**
   * Two interleaved spirals of 1.5 turns each, radius up to 1, with Gaussian noise of std {@code
   * noise}; 2 classes, balanced. Points are uniform over the spiral's area (radius ∝ sqrt(u)), not
   * bunched at the centre.
   */
  public static Dataset.Split twoSpirals(
      int trainSize, int validationSize, double noise, long seed) {
    int n = total(trainSize, validationSize);
    Rng rng = new Rng(seed);
    double[] x = new double[2 * n];
    int[] labels = new int[n];
    for (int i = 0; i < n; i++) {
      int c = i % 2;
      double r = StrictMath.sqrt(rng.uniform());
      double theta = 3 * StrictMath.PI * r + c * StrictMath.PI;
      x[2 * i] = r * StrictMath.cos(theta) + noise * rng.gaussian();
      x[2 * i + 1] = r * StrictMath.sin(theta) + noise * rng.gaussian();
      labels[i] = c;
    }
    return shuffleAndSplit(Dataset.classification("two_spirals", x, 2, labels, 2), trainSize, rng);
  }

  /**
   * {@code classes} Gaussian blobs in {@code dims} dimensions, each isotropic with std {@code std};
   * classes balanced. The centres are drawn from the seed, uniform in [−4, 4]^dims, and redrawn
   * until every two are at least 4·std apart (the box grows if they do not fit), so the classes are
   * separable but not trivially far apart.
   */
  public static Dataset.Split blobs(
      int trainSize, int validationSize, int classes, int dims, double std, long seed) {
    if (classes < 2 || dims < 1 || !(std > 0)) {
      throw new IllegalArgumentException(
          "blobs need at least 2 classes, 1 dimension and a positive std");
    }
    int n = total(trainSize, validationSize);
    Rng rng = new Rng(seed);
    double[] centres = new double[classes * dims];
    double box = 4;
    double minDistance = 4 * std;
    int c = 0;
    int tries = 0;
    while (c < classes) {
      for (int d = 0; d < dims; d++) {
        centres[c * dims + d] = rng.uniform(-box, box);
      }
      if (farFromEarlier(centres, c, dims, minDistance)) {
        c++;
        tries = 0;
      } else if (++tries == 100) {
        box *= 1.25;
        tries = 0;
      }
    }
    double[] x = new double[dims * n];
    int[] labels = new int[n];
    for (int i = 0; i < n; i++) {
      int label = i % classes;
      for (int d = 0; d < dims; d++) {
        x[dims * i + d] = centres[label * dims + d] + std * rng.gaussian();
      }
      labels[i] = label;
    }
    return shuffleAndSplit(
        Dataset.classification("blobs", x, dims, labels, classes), trainSize, rng);
  }

  /**
   * y = sin(x1) + x2² + noise, with x1, x2 uniform in [−2, 2] and Gaussian noise of std {@code
   * noise}; 1 output.
   */
  public static Dataset.Split regression(
      int trainSize, int validationSize, double noise, long seed) {
    int n = total(trainSize, validationSize);
    Rng rng = new Rng(seed);
    double[] x = new double[2 * n];
    double[] y = new double[n];
    for (int i = 0; i < n; i++) {
      double x1 = rng.uniform(-2, 2);
      double x2 = rng.uniform(-2, 2);
      x[2 * i] = x1;
      x[2 * i + 1] = x2;
      y[i] = StrictMath.sin(x1) + x2 * x2 + noise * rng.gaussian();
    }
    return shuffleAndSplit(Dataset.regression("sin_square_regression", x, 2, y, 1), trainSize, rng);
  }

  private static boolean farFromEarlier(double[] centres, int c, int dims, double minDistance) {
    for (int e = 0; e < c; e++) {
      double s = 0;
      for (int d = 0; d < dims; d++) {
        double diff = centres[c * dims + d] - centres[e * dims + d];
        s += diff * diff;
      }
      if (s < minDistance * minDistance) {
        return false;
      }
    }
    return true;
  }

  private static int total(int trainSize, int validationSize) {
    if (trainSize <= 0 || validationSize < 0) {
      throw new IllegalArgumentException(
          "need a positive train size and a non-negative validation size, got "
              + trainSize
              + " and "
              + validationSize);
    }
    return trainSize + validationSize;
  }

  private static Dataset.Split shuffleAndSplit(Dataset all, int trainSize, Rng rng) {
    int n = all.size();
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    rng.shuffle(order);
    int d = all.inputs();
    int k = all.outputs();
    double[] x = new double[n * d];
    double[] y = new double[n * k];
    int[] labels = all.isClassification() ? new int[n] : null;
    for (int i = 0; i < n; i++) {
      int src = order[i];
      System.arraycopy(all.x, src * d, x, i * d, d);
      System.arraycopy(all.y, src * k, y, i * k, k);
      if (labels != null) {
        labels[i] = all.label(src);
      }
    }
    Dataset shuffled =
        labels != null
            ? Dataset.classification(all.name(), x, d, labels, k)
            : Dataset.regression(all.name(), x, d, y, k);
    return shuffled.split(trainSize);
  }
}
