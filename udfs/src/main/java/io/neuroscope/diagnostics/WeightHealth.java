package io.neuroscope.diagnostics;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Spec §9: per layer, weight scale against its initialisation reference, dead weights, finiteness.
 */
public final class WeightHealth extends SpecDiagnostic implements TensorDiagnostic {
  public static final String NAME = "weight_health";
  private static final String K = "weight_health.";

  public WeightHealth(Settings s) {
    super(NAME, s);
  }

  @Override
  public List<Finding> evaluate(EpochTensors t) {
    List<Finding> layers = new ArrayList<>();
    double sum = 0;
    int unknown = 0;
    for (Map.Entry<Integer, TensorStats> e : t.all(TensorKind.WEIGHTS).entrySet()) {
      TensorStats w = e.getValue();
      LayerInfo layer = t.layer(e.getKey());
      if (!hasReferenceInputs(layer)) {
        // §9 needs layers.fan_in (and fan_out for Glorot): without it the layer is not scored
        layers.add(Finding.unknown(NAME, e.getKey()));
        unknown++;
        continue;
      }
      double ref = referenceStd(layer);
      double ratio = w.std() / (ref + s.get(K + "epsilon"));
      double init =
          s.get(K + "init_ratio_low") <= ratio && ratio <= s.get(K + "init_ratio_high") ? 1 : 0;
      double dead = w.fractionAbsBelow() < s.get(K + "dead_fraction_below") ? 1 : 0;
      double finite = w.allFinite() ? 1 : 0;
      double health = (init + dead + finite) / 3.0;
      sum += health;
      Map<String, Double> details = new LinkedHashMap<>();
      details.put("std_ratio", ratio);
      details.put("init", init);
      details.put("dead", dead);
      details.put("finite", finite);
      layers.add(new Finding(NAME, e.getKey(), health, status(health), details));
    }
    List<Finding> out = new ArrayList<>();
    int scored = layers.size() - unknown;
    if (scored == 0) {
      out.add(Finding.unknown(NAME, null)); // no weights, or none with its fan_in
    } else {
      double value = sum / scored;
      out.add(new Finding(NAME, null, value, status(value), Map.of("layers", (double) scored)));
    }
    out.addAll(layers);
    return out;
  }

  /** Whether the layer's row gives what its reference std needs: fan_in, and fan_out for Glorot. */
  private boolean hasReferenceInputs(LayerInfo layer) {
    if (layer == null || layer.fanIn() == null) return false;
    return !glorot(layer) || layer.fanOut() != null;
  }

  private boolean glorot(LayerInfo layer) {
    return s.string(K + "reference").equals("per_family")
        && Activation.family(layer.activation()) == Activation.Family.DEFAULT;
  }

  /**
   * He sqrt(2 / fan_in) by default; with reference = per_family, Glorot for layers outside the relu
   * family.
   */
  private double referenceStd(LayerInfo layer) {
    double fanIn = layer.fanIn();
    if (glorot(layer)) return Math.sqrt(2 / (fanIn + layer.fanOut()));
    return Math.sqrt(2 / (fanIn + s.get(K + "epsilon")));
  }

  private Status status(double v) {
    if (v >= s.get(K + "healthy_at_least")) return Status.HEALTHY;
    if (v >= s.get(K + "warning_at_least")) return Status.WARNING;
    return Status.CRITICAL;
  }
}
