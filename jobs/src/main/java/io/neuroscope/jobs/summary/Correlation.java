package io.neuroscope.jobs.summary;

import java.util.Arrays;

/**
 * Pearson's r and Spearman's ρ (average ranks for ties) of one numeric pair, over its complete
 * runs, with the ranges that tell a constant side. Computed on the driver: a pair holds at most one
 * value per run, and a few thousand pairs of up to tens of thousands of values cost less there than
 * the Spark jobs that would rank them. SummariesTest checks both against MLlib's {@code
 * Correlation}.
 */
public record Correlation(
    long n, double pearson, double spearman, double xMin, double xMax, double yMin, double yMax) {

  /**
   * Over x[i], y[i] (finite, same length, at least one); r is NaN where either side is constant.
   */
  static Correlation of(double[] x, double[] y) {
    double xMin = Arrays.stream(x).min().orElseThrow();
    double xMax = Arrays.stream(x).max().orElseThrow();
    double yMin = Arrays.stream(y).min().orElseThrow();
    double yMax = Arrays.stream(y).max().orElseThrow();
    boolean constant = xMin == xMax || yMin == yMax;
    double pearson = constant ? Double.NaN : pearson(x, y);
    double spearman = constant ? Double.NaN : pearson(averageRanks(x), averageRanks(y));
    return new Correlation(x.length, pearson, spearman, xMin, xMax, yMin, yMax);
  }

  /** Two passes (means, then centred sums): exact where one-pass sums of squares cancel. */
  static double pearson(double[] x, double[] y) {
    int n = x.length;
    double mx = 0;
    double my = 0;
    for (int i = 0; i < n; i++) {
      mx += x[i];
      my += y[i];
    }
    mx /= n;
    my /= n;
    double sxy = 0;
    double sxx = 0;
    double syy = 0;
    for (int i = 0; i < n; i++) {
      double dx = x[i] - mx;
      double dy = y[i] - my;
      sxy += dx * dy;
      sxx += dx * dx;
      syy += dy * dy;
    }
    return sxy / Math.sqrt(sxx * syy);
  }

  /**
   * 1-based ranks, each tie group given the mean of the ranks it spans; −0.0 ties 0.0, as in SQL.
   */
  static double[] averageRanks(double[] v) {
    int n = v.length;
    Integer[] order = new Integer[n];
    for (int i = 0; i < n; i++) order[i] = i;
    Arrays.sort(order, (a, b) -> Double.compare(v[a] + 0.0, v[b] + 0.0));
    double[] rank = new double[n];
    for (int start = 0; start < n; ) {
      int end = start;
      while (end + 1 < n && v[order[end + 1]] + 0.0 == v[order[start]] + 0.0) end++;
      double average = (start + end) / 2.0 + 1;
      for (int k = start; k <= end; k++) rank[order[k]] = average;
      start = end + 1;
    }
    return rank;
  }
}
