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
    for (Map.Entry<Integer, TensorStats> e : t.all(TensorKind.WEIGHTS).entrySet()) {
      TensorStats w = e.getValue();
      double ref = referenceStd(t.layer(e.getKey()));
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
    if (layers.isEmpty()) {
      out.add(Finding.unknown(NAME, null)); // no weights
    } else {
      double value = sum / layers.size();
      out.add(
          new Finding(NAME, null, value, status(value), Map.of("layers", (double) layers.size())));
    }
    out.addAll(layers);
    return out;
  }

  /**
   * He sqrt(2 / fan_in) by default; with reference = per_family, Glorot for layers outside the relu
   * family.
   */
  private double referenceStd(LayerInfo layer) {
    double fanIn = layer.fanIn() == null ? Double.NaN : layer.fanIn();
    boolean glorot =
        s.string(K + "reference").equals("per_family")
            && Activation.family(layer.activation()) == Activation.Family.DEFAULT;
    if (glorot) {
      double fanOut = layer.fanOut() == null ? Double.NaN : layer.fanOut();
      return Math.sqrt(2 / (fanIn + fanOut));
    }
    return Math.sqrt(2 / (fanIn + s.get(K + "epsilon")));
  }

  private Status status(double v) {
    if (v >= s.get(K + "healthy_at_least")) return Status.HEALTHY;
    if (v >= s.get(K + "warning_at_least")) return Status.WARNING;
    return Status.CRITICAL;
  }
}
