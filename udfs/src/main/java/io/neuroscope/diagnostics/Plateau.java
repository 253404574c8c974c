package io.neuroscope.diagnostics;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Spec §7: stagnation of the train loss at several scales, of the gradient norm, and of validation.
 */
public final class Plateau extends SpecDiagnostic implements HistoryDiagnostic {
  public static final String NAME = "plateau";
  private static final String K = "plateau.";

  public Plateau(Settings s) {
    super(NAME, s);
  }

  @Override
  public Finding evaluate(LossHistory h) {
    double[] losses = h.train();
    int n = losses.length;
    if (n < s.integer(K + "min_history")) {
      return new Finding(NAME, null, 0, Status.HEALTHY, Map.of("history", (double) n));
    }
    double eps = s.get(K + "epsilon");
    double multiScale = multiScaleStagnation(losses, eps);
    double effect = effectSize(losses);
    double gradient = gradientStagnation(h.gradientNorms(), eps);
    double validation = validationStagnation(h, eps);
    double value = Math.min(s.get(K + "max_value"), multiScale + effect + gradient + validation);
    Map<String, Double> details = new LinkedHashMap<>();
    details.put("multi_scale", multiScale);
    details.put("effect_size", effect);
    details.put("gradient", gradient);
    details.put("validation", validation);
    return new Finding(
        NAME,
        null,
        value,
        Status.lowerIsHealthier(value, s.get(K + "healthy_below"), s.get(K + "warning_below")),
        details);
  }

  /** Method 1: per window, weight × mean of the two stagnation indicators. */
  private double multiScaleStagnation(double[] losses, double eps) {
    double sum = 0;
    for (String w : new String[] {"window_short", "window_medium", "window_long"}) {
      double[] window = Series.last(losses, s.integer(K + w));
      double relvar = Series.relativeVariance(window, eps);
      double normalizedSlope = Series.slope(window) / (window[0] + eps);
      int varStagnant = relvar < s.get(K + "relative_variance_below") ? 1 : 0;
      int trendStagnant = Math.abs(normalizedSlope) < s.get(K + "normalized_slope_below") ? 1 : 0;
      sum += s.get(K + w + "_weight") * (varStagnant + trendStagnant) / 2.0;
    }
    return sum;
  }

  /** Method 2: Cohen's d between the 10 losses before the last 10 and the last 10. */
  private double effectSize(double[] losses) {
    int n = losses.length;
    int w = s.integer(K + "effect_window");
    if (n < s.integer(K + "effect_min_history")) return 0;
    double[] early = java.util.Arrays.copyOfRange(losses, n - 2 * w, n - w);
    double[] recent = java.util.Arrays.copyOfRange(losses, n - w, n);
    double pooled = (Series.variance(early) + Series.variance(recent)) / 2;
    if (!(pooled > s.get(K + "effect_min_pooled_variance"))) return 0;
    double d = Math.abs(Series.mean(early) - Series.mean(recent)) / Math.sqrt(pooled);
    if (d < s.get(K + "effect_strong_below")) return s.get(K + "effect_strong_score");
    if (d < s.get(K + "effect_weak_below")) return s.get(K + "effect_weak_score");
    return 0;
  }

  /** Method 3: the global gradient norm over the last 10 epochs that logged gradients. */
  private double gradientStagnation(double[] norms, double eps) {
    double[] g = Series.last(norms, s.integer(K + "gradient_window"));
    if (g.length < s.integer(K + "gradient_min_epochs")) return 0;
    double relvar = Series.relativeVariance(g, eps);
    if (relvar < s.get(K + "gradient_relvar_strong")
        && Series.mean(g) < s.get(K + "gradient_mean_below")) {
      return s.get(K + "gradient_strong_score");
    }
    if (relvar < s.get(K + "gradient_relvar_weak")) return s.get(K + "gradient_weak_score");
    return 0;
  }

  /** Method 4: validation and train losses both flat over their last 10. */
  private double validationStagnation(LossHistory h, double eps) {
    if (h.valAtE() == null || h.validation().length < s.integer(K + "validation_min_history"))
      return 0;
    int w = s.integer(K + "validation_window");
    double val = Series.relativeVariance(Series.last(h.validation(), w), eps);
    double train = Series.relativeVariance(Series.last(h.train(), w), eps);
    double strong = s.get(K + "validation_relvar_strong");
    double weak = s.get(K + "validation_relvar_weak");
    if (val < strong && train < strong) return s.get(K + "validation_strong_score");
    if (val < weak && train < weak) return s.get(K + "validation_weak_score");
    return 0;
  }
}
