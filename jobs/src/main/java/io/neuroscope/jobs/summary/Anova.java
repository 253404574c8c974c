package io.neuroscope.jobs.summary;

import java.util.List;
import org.apache.commons.math3.special.Beta;

/**
 * The correlation ratio η² of a target over the levels of a categorical hyperparameter, its
 * small-sample correction ω² = (SS_between − (k−1)·MS_within) / (SS_total + MS_within), and the
 * p-value of the one-way ANOVA F test, from each level's count, mean and population variance. η²
 * alone rises to 1 as levels approach runs (one run per level explains everything); ω² does not,
 * and is 0 where there is no run to spare (n = k) or the levels explain less than chance.
 */
public record Anova(long n, double etaSquared, double omegaSquared, Double p) {

  /** One level's run count, target mean and population variance. */
  record Level(String name, long count, double mean, double variance) {
    /** Over the level's target values (at least one), in two passes. */
    static Level of(String name, double[] y) {
      double mean = java.util.Arrays.stream(y).sum() / y.length;
      double squares = 0;
      for (double v : y) squares += (v - mean) * (v - mean);
      return new Level(name, y.length, mean, squares / y.length);
    }
  }

  /** Null when the levels hold no spread at all (η² undefined). */
  static Anova of(List<Level> levels) {
    long n = 0;
    double sum = 0;
    for (Level l : levels) {
      n += l.count();
      sum += l.count() * l.mean();
    }
    double grand = sum / n;
    double between = 0;
    double within = 0;
    for (Level l : levels) {
      between += l.count() * (l.mean() - grand) * (l.mean() - grand);
      within += l.count() * l.variance();
    }
    if (between + within == 0) return null;
    int k = levels.size();
    double omega =
        n > k
            ? Math.max(
                0, (between - (k - 1) * within / (n - k)) / (between + within + within / (n - k)))
            : 0;
    Double p = null;
    if (k > 1 && n > k) {
      if (within == 0) {
        p = 0.0;
      } else {
        double f = (between / (k - 1)) / (within / (n - k));
        double d1 = k - 1;
        double d2 = n - k;
        // the F distribution's upper tail, as a regularized incomplete beta (exact for tiny p,
        // unlike 1 − cdf)
        p = Beta.regularizedBeta(d2 / (d2 + d1 * f), d2 / 2, d1 / 2);
      }
    }
    return new Anova(n, between / (between + within), omega, p);
  }
}
