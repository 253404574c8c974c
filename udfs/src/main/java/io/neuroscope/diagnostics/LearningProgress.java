package io.neuroscope.diagnostics;

import java.util.LinkedHashMap;
import java.util.Map;

/** Spec §10: log-loss decay, recent range, and generalisation; higher is healthier. */
public final class LearningProgress extends SpecDiagnostic implements HistoryDiagnostic {
  public static final String NAME = "learning_progress";
  private static final String K = "learning_progress.";

  public LearningProgress(Settings s) {
    super(NAME, s);
  }

  @Override
  public Finding evaluate(LossHistory h) {
    double[] losses = h.train();
    int n = losses.length;
    if (n < s.integer(K + "min_history")) {
      return new Finding(
          NAME,
          null,
          s.get(K + "short_history_value"),
          Status.HEALTHY,
          Map.of("history", (double) n));
    }
    double eps = s.get(K + "epsilon");
    double[] recent = Series.last(losses, s.integer(K + "recent_window"));
    double decay = recent.length >= s.integer(K + "decay_min_history") ? decay(recent, eps) : 0;
    double range = range(Series.last(losses, s.integer(K + "range_window")), eps);
    double generalization = generalization(h, n, eps);
    double value = decay + range + generalization;
    Map<String, Double> details = new LinkedHashMap<>();
    details.put("decay", decay);
    details.put("range", range);
    details.put("generalization", generalization);
    return new Finding(
        NAME,
        null,
        value,
        Status.higherIsHealthier(value, s.get(K + "healthy_above"), s.get(K + "warning_above")),
        details);
  }

  private double decay(double[] recent, double eps) {
    double[] logs = new double[recent.length];
    for (int i = 0; i < recent.length; i++) {
      double v = recent[i];
      if (!Double.isFinite(v) || v + eps <= 0) return s.get(K + "decay_nonfinite_score");
      logs[i] = Math.log(v + eps);
    }
    double slope = Series.slope(logs);
    if (slope < s.get(K + "decay_strong_slope")) return s.get(K + "decay_strong_score");
    if (slope < s.get(K + "decay_moderate_slope")) return s.get(K + "decay_moderate_score");
    if (slope < s.get(K + "decay_slow_slope")) return s.get(K + "decay_slow_score");
    return 0;
  }

  private double range(double[] last, double eps) {
    double rel = (Series.max(last) - Series.min(last)) / (Series.mean(last) + eps);
    if (rel < s.get(K + "range_flat_below")) return s.get(K + "range_flat_score");
    if (rel < s.get(K + "range_slow_below")) return s.get(K + "range_slow_score");
    if (rel < s.get(K + "range_good_below")) return s.get(K + "range_good_score");
    return s.get(K + "range_unstable_score");
  }

  private double generalization(LossHistory h, int n, double eps) {
    if (h.valAtE() != null
        && h.validation().length >= s.integer(K + "generalization_min_validation")) {
      double rel = (h.valAtE() - h.trainAtE()) / (h.trainAtE() + eps);
      if (rel < s.get(K + "generalization_good_below"))
        return s.get(K + "generalization_good_score");
      if (rel < s.get(K + "generalization_fair_below"))
        return s.get(K + "generalization_fair_score");
      return 0;
    }
    return n < s.integer(K + "no_validation_short_history")
        ? s.get(K + "no_validation_short_score")
        : s.get(K + "no_validation_long_score");
  }
}
