package io.neuroscope.diagnostics;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Spec §5: mean |g| over std |g|, over every weight-gradient element together and per layer. */
public final class GradientSnr extends SpecDiagnostic implements TensorDiagnostic {
  public static final String NAME = "gradient_snr";

  public GradientSnr(Settings s) {
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
    TensorStats all = new TensorStats(TensorProbe.MOMENTS_ONLY);
    for (TensorStats g : grads.values()) all.merge(g);
    out.add(snr(all, null));
    grads.forEach((layer, g) -> out.add(snr(g, layer)));
    return out;
  }

  private Finding snr(TensorStats g, Integer layer) {
    double m = g.meanAbs();
    double sd = g.stdAbs();
    double tiny = s.get("gradient_snr.min_magnitude");
    if (g.absBelowCount() == g.count() || m < tiny) {
      return Finding.unknown(NAME, layer); // every |g| tiny
    }
    double value = m / (sd + s.get("gradient_snr.epsilon"));
    Map<String, Double> details = new LinkedHashMap<>();
    details.put("mean_abs", m);
    details.put("std_abs", sd);
    return new Finding(
        NAME,
        layer,
        value,
        Status.higherIsHealthier(
            value, s.get("gradient_snr.healthy_above"), s.get("gradient_snr.warning_above")),
        details);
  }
}
