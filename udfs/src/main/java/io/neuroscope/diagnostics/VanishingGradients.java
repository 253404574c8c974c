package io.neuroscope.diagnostics;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Spec §2: gradient variance growing from the input side to the output side across the hidden
 * layers (ratio output side over input side, see the spec's Departure), or gradients too small.
 */
public final class VanishingGradients extends SpecDiagnostic implements TensorDiagnostic {
  public static final String NAME = "vanishing_gradients";

  public VanishingGradients(Settings s) {
    super(NAME, s);
  }

  @Override
  public List<Finding> evaluate(EpochTensors t) {
    Map<Integer, TensorStats> grads = t.all(TensorKind.GRADIENTS);
    List<Integer> hidden = new ArrayList<>(t.hidden(TensorKind.GRADIENTS).keySet());

    Map<Integer, Double> ratioOf = new LinkedHashMap<>();
    for (int i = 0; i + 1 < hidden.size(); i++) {
      double varA = grads.get(hidden.get(i)).variance();
      double varB = grads.get(hidden.get(i + 1)).variance();
      if (varA <= s.get("vanishing_gradients.min_input_variance")) continue;
      ratioOf.put(hidden.get(i), varB / varA);
    }

    double severity = 0;
    double meanRatio =
        Series.mean(ratioOf.values().stream().mapToDouble(Double::doubleValue).toArray());
    if (!ratioOf.isEmpty() && meanRatio > s.get("vanishing_gradients.ratio_onset")) {
      severity =
          Math.min(
              s.get("vanishing_gradients.ratio_max_severity"),
              (meanRatio - s.get("vanishing_gradients.ratio_onset"))
                  / s.get("vanishing_gradients.ratio_scale"));
    }
    double minRms = Double.POSITIVE_INFINITY;
    for (TensorStats g : grads.values()) minRms = Math.min(minRms, g.rms());
    if (minRms < s.get("vanishing_gradients.rms_critical_below")) {
      severity = Math.max(severity, s.get("vanishing_gradients.rms_critical_severity"));
    } else if (minRms < s.get("vanishing_gradients.rms_warning_below")) {
      severity = Math.max(severity, s.get("vanishing_gradients.rms_warning_severity"));
    }

    List<Finding> out = new ArrayList<>();
    if (grads.size() < 2) {
      out.add(Finding.unknown(NAME, null)); // fewer than two layers with gradients
    } else {
      Map<String, Double> details = new LinkedHashMap<>();
      if (!ratioOf.isEmpty()) details.put("mean_variance_ratio", meanRatio);
      details.put("variance_ratios", (double) ratioOf.size());
      details.put("min_rms", minRms);
      out.add(
          new Finding(
              NAME,
              null,
              severity,
              Status.lowerIsHealthier(
                  severity,
                  s.get("vanishing_gradients.healthy_below"),
                  s.get("vanishing_gradients.warning_below")),
              details));
    }
    for (Map.Entry<Integer, TensorStats> e : grads.entrySet()) {
      double rms = e.getValue().rms();
      Map<String, Double> details = new LinkedHashMap<>();
      details.put("variance", e.getValue().variance());
      if (ratioOf.containsKey(e.getKey())) details.put("variance_ratio", ratioOf.get(e.getKey()));
      out.add(new Finding(NAME, e.getKey(), rms, layerStatus(rms), details));
    }
    return out;
  }

  private Status layerStatus(double rms) {
    if (rms < s.get("vanishing_gradients.rms_critical_below")) return Status.CRITICAL;
    if (rms < s.get("vanishing_gradients.rms_warning_below")) return Status.WARNING;
    return Status.HEALTHY;
  }
}
