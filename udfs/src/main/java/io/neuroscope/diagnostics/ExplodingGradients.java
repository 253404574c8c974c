package io.neuroscope.diagnostics;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Spec §3: the global gradient norm (weights and biases) and the largest layer norm. */
public final class ExplodingGradients extends SpecDiagnostic implements TensorDiagnostic {
  public static final String NAME = "exploding_gradients";

  public ExplodingGradients(Settings s) {
    super(NAME, s);
  }

  @Override
  public List<Finding> evaluate(EpochTensors t) {
    Map<Integer, TensorStats> grads = t.all(TensorKind.GRADIENTS);
    List<Finding> out = new ArrayList<>();
    if (grads.isEmpty()) {
      out.add(Finding.unknown(NAME, null)); // no gradients
      return out;
    }
    double sumSquares = 0;
    double maxLayer = Double.NEGATIVE_INFINITY;
    for (TensorStats g : grads.values()) {
      sumSquares += g.sumOfSquares();
      maxLayer = Math.max(maxLayer, g.norm());
    }
    for (TensorStats b : t.all(TensorKind.BIAS_GRADIENTS).values()) sumSquares += b.sumOfSquares();
    double total = Math.sqrt(sumSquares);

    double severity = 0;
    if (total > s.get("exploding_gradients.total_high")) {
      severity =
          Math.min(
              1,
              (total - s.get("exploding_gradients.total_high"))
                  / s.get("exploding_gradients.total_high_scale"));
    } else if (total > s.get("exploding_gradients.total_moderate")) {
      severity =
          s.get("exploding_gradients.total_moderate_weight")
              * (total - s.get("exploding_gradients.total_moderate"))
              / s.get("exploding_gradients.total_moderate_scale");
    }
    if (maxLayer > s.get("exploding_gradients.layer_threshold")) {
      severity = Math.min(1, severity + layerSeverity(maxLayer));
    }
    if (Double.isNaN(total)) severity = 1;

    Map<String, Double> details = new LinkedHashMap<>();
    details.put("total_norm", total);
    details.put("max_layer_norm", maxLayer);
    out.add(new Finding(NAME, null, severity, status(severity), details));
    for (Map.Entry<Integer, TensorStats> e : grads.entrySet()) {
      double norm = e.getValue().norm();
      double layerSeverity =
          Double.isNaN(norm)
              ? 1
              : norm > s.get("exploding_gradients.layer_threshold") ? layerSeverity(norm) : 0;
      out.add(
          new Finding(
              NAME, e.getKey(), norm, status(layerSeverity), Map.of("severity", layerSeverity)));
    }
    return out;
  }

  /** min(0.5, (norm − 5) / 5). */
  private double layerSeverity(double norm) {
    return Math.min(
        s.get("exploding_gradients.layer_max_severity"),
        (norm - s.get("exploding_gradients.layer_threshold"))
            / s.get("exploding_gradients.layer_scale"));
  }

  private Status status(double severity) {
    return Status.lowerIsHealthier(
        severity,
        s.get("exploding_gradients.healthy_below"),
        s.get("exploding_gradients.warning_below"));
  }
}
