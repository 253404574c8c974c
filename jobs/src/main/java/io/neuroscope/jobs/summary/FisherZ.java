package io.neuroscope.jobs.summary;

import org.apache.commons.math3.distribution.NormalDistribution;

/**
 * A correlation's two-sided p-value and confidence interval by Fisher's z transform: atanh(r) is
 * about normal with standard error 1/√(n−3). Used for Pearson and, as is usual, for Spearman.
 */
public record FisherZ(double p, double low, double high) {
  private static final NormalDistribution STANDARD_NORMAL = new NormalDistribution(null, 0, 1);

  /** Null when r is not finite or n ≤ 3 (no standard error). */
  static FisherZ of(double r, long n, double confidence) {
    if (!Double.isFinite(r) || n <= 3) return null;
    if (Math.abs(r) >= 1) return new FisherZ(0, Math.signum(r), Math.signum(r));
    double z = atanh(r);
    double se = 1 / Math.sqrt(n - 3);
    double p = 2 * STANDARD_NORMAL.cumulativeProbability(-Math.abs(z) / se);
    double q = STANDARD_NORMAL.inverseCumulativeProbability(0.5 + confidence / 2);
    return new FisherZ(p, Math.tanh(z - q * se), Math.tanh(z + q * se));
  }

  static double atanh(double r) {
    return 0.5 * Math.log((1 + r) / (1 - r));
  }
}
