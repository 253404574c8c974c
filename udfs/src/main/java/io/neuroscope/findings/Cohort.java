package io.neuroscope.findings;

import java.io.Serializable;
import java.util.Arrays;
import java.util.Set;

/**
 * A run judged against its siblings: the runs of its experiment. The soft problems — those whose
 * scale depends on the architecture and optimizer more than on the run's health (gradient SNR,
 * update ratio, learning progress) — stand only where the run is also atypical of its cohort: its
 * statistic (the median over its judged epochs) lies more than {@code cohortZ} robust standard
 * deviations (1.4826 × MAD, the normal-consistent scale) from the cohort's median, on the bad side.
 * An experiment with fewer than {@code cohortMinRuns} runs has no cohort; its runs are judged
 * alone.
 *
 * @param median the cohort's median statistic
 * @param mad its median absolute deviation
 * @param runs how many runs had the statistic
 */
public record Cohort(double median, double mad, int runs) implements Serializable {
  /** The problems judged against the cohort. */
  public static final Set<String> SOFT =
      Set.of("gradient_snr", "weight_update_ratio", "learning_progress");

  /** The cohort of the runs' statistics (NaN ignored). */
  public static Cohort of(double[] stats) {
    double[] s = Arrays.stream(stats).filter(Double::isFinite).sorted().toArray();
    if (s.length == 0) return new Cohort(Double.NaN, Double.NaN, 0);
    double med = median(s);
    double[] dev = Arrays.stream(s).map(x -> Math.abs(x - med)).sorted().toArray();
    return new Cohort(med, median(dev), s.length);
  }

  /**
   * A run's statistic for a soft problem: the median of its network values over the judged epochs
   * (log10 for the update ratio, whose healthy range spans decades).
   */
  static double statistic(String diagnostic, double[] values) {
    double[] v =
        Arrays.stream(values)
            .map(x -> diagnostic.equals("weight_update_ratio") ? Math.log10(x) : x)
            .filter(Double::isFinite)
            .sorted()
            .toArray();
    return v.length == 0 ? Double.NaN : median(v);
  }

  /** Robust z of the statistic against the cohort; signed (negative = below the median). */
  double z(double statistic) {
    double scale = 1.4826 * mad;
    double d = statistic - median;
    if (scale > 0) return d / scale;
    return d == 0 ? 0 : Math.copySign(Double.POSITIVE_INFINITY, d);
  }

  /** Whether a run with this statistic stands out of the cohort on the problem's bad side. */
  boolean atypical(String diagnostic, double statistic, FindingRules r) {
    if (runs < r.cohortMinRuns() || !Double.isFinite(statistic)) return true;
    double z = z(statistic);
    return diagnostic.equals("weight_update_ratio") ? Math.abs(z) > r.cohortZ() : z < -r.cohortZ();
  }

  private static double median(double[] sorted) {
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }
}
