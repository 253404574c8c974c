package io.neuroscope.diagnostics;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Spec §6: ‖ΔW‖ / ‖W‖ per layer, and its median over the layers. */
public final class WeightUpdateRatio extends SpecDiagnostic implements TensorDiagnostic {
  public static final String NAME = "weight_update_ratio";

  public WeightUpdateRatio(Settings s) {
    super(NAME, s);
  }

  @Override
  public List<Finding> evaluate(EpochTensors t) {
    Map<Integer, TensorStats> weights = t.all(TensorKind.WEIGHTS);
    Map<Integer, TensorStats> updates = t.all(TensorKind.WEIGHT_UPDATES);
    List<Finding> layers = new ArrayList<>();
    List<Double> ratios = new ArrayList<>();
    for (Map.Entry<Integer, TensorStats> e : weights.entrySet()) {
      TensorStats update = updates.get(e.getKey());
      double weightNorm = e.getValue().norm();
      if (update == null || !(weightNorm > s.get("weight_update_ratio.min_weight_norm"))) continue;
      double ratio = update.norm() / weightNorm;
      ratios.add(ratio);
      layers.add(
          new Finding(
              NAME,
              e.getKey(),
              ratio,
              status(ratio),
              Map.of("update_norm", update.norm(), "weight_norm", weightNorm)));
    }
    List<Finding> out = new ArrayList<>();
    if (ratios.isEmpty()) {
      out.add(
          Finding.unknown(
              NAME, null)); // no layer with weights, weight updates and a non-zero weight norm
    } else {
      double median = Series.median(ratios);
      out.add(
          new Finding(
              NAME, null, median, status(median), Map.of("layers", (double) ratios.size())));
    }
    out.addAll(layers);
    return out;
  }

  private Status status(double v) {
    if (s.get("weight_update_ratio.healthy_low") <= v
        && v <= s.get("weight_update_ratio.healthy_high")) return Status.HEALTHY;
    if (s.get("weight_update_ratio.warning_low") <= v
        && v <= s.get("weight_update_ratio.warning_high")) return Status.WARNING;
    return Status.CRITICAL;
  }
}
