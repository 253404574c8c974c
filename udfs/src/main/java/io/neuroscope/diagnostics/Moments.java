package io.neuroscope.diagnostics;

import java.io.Serializable;

/**
 * Count, mean and sum of squared deviations of finite values, merged with Chan et al.'s parallel
 * update so that the result does not depend on how the values were split.
 */
final class Moments implements Serializable {
  long n;
  double mean;
  double m2;

  /** From a chunk's sums of (x - shift) and (x - shift)^2: one pass, no division per element. */
  static Moments fromShiftedSums(long n, double shift, double s1, double s2) {
    Moments m = new Moments();
    if (n == 0) return m;
    m.n = n;
    m.mean = shift + s1 / n;
    m.m2 = Math.max(0.0, s2 - s1 * s1 / n);
    return m;
  }

  void merge(Moments o) {
    if (o.n == 0) return;
    if (n == 0) {
      n = o.n;
      mean = o.mean;
      m2 = o.m2;
      return;
    }
    long total = n + o.n;
    double delta = o.mean - mean;
    mean += delta * o.n / total;
    m2 += o.m2 + delta * delta * ((double) n * o.n / total);
    n = total;
  }

  double variance() {
    return n == 0 ? Double.NaN : m2 / n;
  }
}
