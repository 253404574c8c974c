package io.neuroscope.diagnostics;

import java.util.Arrays;
import java.util.List;

/** The spec's statistics over short histories (loss curves, per-layer figures). NaN propagates. */
final class Series {
  private Series() {}

  static double mean(double[] x) {
    double s = 0;
    for (double v : x) s += v;
    return x.length == 0 ? Double.NaN : s / x.length;
  }

  /** Population variance (divide by n), two-pass. */
  static double variance(double[] x) {
    double m = mean(x);
    double s = 0;
    for (double v : x) s += (v - m) * (v - m);
    return x.length == 0 ? Double.NaN : s / x.length;
  }

  /** var / (mean^2 + epsilon). */
  static double relativeVariance(double[] x, double epsilon) {
    double m = mean(x);
    return variance(x) / (m * m + epsilon);
  }

  /** Least-squares slope of x against 0, 1, ..., n-1. */
  static double slope(double[] y) {
    int n = y.length;
    double xm = (n - 1) / 2.0;
    double ym = mean(y);
    double sxy = 0, sxx = 0;
    for (int i = 0; i < n; i++) {
      sxy += (i - xm) * (y[i] - ym);
      sxx += (i - xm) * (i - xm);
    }
    return sxy / sxx;
  }

  static double min(double[] x) {
    double m = Double.POSITIVE_INFINITY;
    for (double v : x) m = Math.min(m, v);
    return x.length == 0 ? Double.NaN : m;
  }

  static double max(double[] x) {
    double m = Double.NEGATIVE_INFINITY;
    for (double v : x) m = Math.max(m, v);
    return x.length == 0 ? Double.NaN : m;
  }

  /** Median; NaN if any value is NaN; the mean of the two middle values for an even count. */
  static double median(List<Double> values) {
    double[] x = values.stream().mapToDouble(Double::doubleValue).toArray();
    for (double v : x) if (Double.isNaN(v)) return Double.NaN;
    Arrays.sort(x);
    int n = x.length;
    if (n == 0) return Double.NaN;
    return n % 2 == 1 ? x[n / 2] : (x[n / 2 - 1] + x[n / 2]) / 2.0;
  }

  /** Linear-interpolation percentile of sorted values: position (n-1)·q/100. */
  static double percentileOfSorted(double[] sorted, double q) {
    int n = sorted.length;
    if (n == 0) return Double.NaN;
    double pos = (n - 1) * q / 100.0;
    int lo = (int) Math.floor(pos);
    int hi = Math.min(lo + 1, n - 1);
    double frac = pos - lo;
    double a = sorted[lo];
    double b = sorted[hi];
    return frac == 0 ? a : a + (b - a) * frac;
  }

  /** The last k values (all of them when there are fewer). */
  static double[] last(double[] x, int k) {
    return k >= x.length ? x : Arrays.copyOfRange(x, x.length - k, x.length);
  }
}
