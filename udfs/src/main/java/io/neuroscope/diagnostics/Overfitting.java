package io.neuroscope.diagnostics;

import java.util.LinkedHashMap;
import java.util.Map;

/** Spec §8: generalisation gap, rising validation curve, and train/validation divergence. */
public final class Overfitting extends SpecDiagnostic implements HistoryDiagnostic {
  public static final String NAME = "overfitting";
  private static final String K = "overfitting.";

  public Overfitting(Settings s) {
    super(NAME, s);
  }

  @Override
  public Finding evaluate(LossHistory h) {
    int m = Math.min(h.validation().length, h.train().length);
    double[] v = Series.last(h.validation(), m);
    double[] t = Series.last(h.train(), m);
    if (h.valAtE() == null || v.length < s.integer(K + "min_validation")) {
      return Finding.unknown(NAME, null); // too few validation losses
    }
    double eps = s.get(K + "epsilon");
    double train = h.trainAtE();
    double rel = (h.valAtE() - train) / (train + eps);
    double gap =
        rel > s.get(K + "gap_severe")
            ? s.get(K + "gap_severe_score")
            : rel > s.get(K + "gap_moderate")
                ? s.get(K + "gap_moderate_score")
                : rel > s.get(K + "gap_mild") ? s.get(K + "gap_mild_score") : 0;

    double curve = 0;
    if (v.length >= s.integer(K + "curve_min_validation")) {
      double slope = Series.slope(Series.last(v, s.integer(K + "curve_window")));
      curve =
          slope > s.get(K + "curve_strong")
              ? s.get(K + "curve_strong_score")
              : slope > s.get(K + "curve_moderate")
                  ? s.get(K + "curve_moderate_score")
                  : slope > s.get(K + "curve_mild") ? s.get(K + "curve_mild_score") : 0;
    }

    int w = s.integer(K + "divergence_window");
    double trainTrend = trend(Series.last(t, w), eps);
    double valTrend = trend(Series.last(v, w), eps);
    double strong = s.get(K + "divergence_strong_trend");
    double divergence =
        trainTrend < -strong && valTrend > strong
            ? s.get(K + "divergence_strong_score")
            : trainTrend < 0 && valTrend > 0 ? s.get(K + "divergence_weak_score") : 0;

    double value = Math.min(s.get(K + "max_value"), gap + curve + divergence);
    Map<String, Double> details = new LinkedHashMap<>();
    details.put("relative_gap", rel);
    details.put("gap", gap);
    details.put("curve", curve);
    details.put("divergence", divergence);
    return new Finding(
        NAME,
        null,
        value,
        Status.lowerIsHealthier(value, s.get(K + "healthy_below"), s.get(K + "warning_below")),
        details);
  }

  /** (last − first) / (first + ε). */
  private static double trend(double[] x, double eps) {
    return (x[x.length - 1] - x[0]) / (x[0] + eps);
  }
}
