package io.neuroscope.diagnostics;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Spec §4: hidden activations pinned at the flat ends of their function, weighted toward the input
 * side. The element predicates (extremes, gradient-dead band) were counted in the tensor pass by
 * the probe {@link TensorProbe#of} chose for the layer's activation.
 */
public final class ActivationSaturation extends SpecDiagnostic implements TensorDiagnostic {
  public static final String NAME = "activation_saturation";
  private static final String K = "activation_saturation.";

  public ActivationSaturation(Settings s) {
    super(NAME, s);
  }

  @Override
  public List<Finding> evaluate(EpochTensors t) {
    Map<Integer, TensorStats> hidden = t.hidden(TensorKind.ACTIVATIONS);
    List<Finding> layers = new ArrayList<>();
    int h = hidden.size();
    int i = 0;
    double weightedSum = 0;
    for (Map.Entry<Integer, TensorStats> e : hidden.entrySet()) {
      Activation.Saturation f = Activation.saturation(t.layer(e.getKey()).activation());
      TensorStats x = e.getValue();
      double extreme = extreme(f, x);
      double distribution = distribution(f, x.variance());
      double gradientDead =
          (f == Activation.Saturation.TANH || f == Activation.Saturation.SIGMOID)
              ? x.fractionOutside()
              : 0;
      double saturation =
          s.get(K + "extreme_weight") * extreme
              + s.get(K + "distribution_weight") * distribution
              + s.get(K + "gradient_dead_weight") * gradientDead;
      double weight = 1 + (h - i) * s.get(K + "depth_weight_step");
      weightedSum += weight * saturation;
      Map<String, Double> details = new LinkedHashMap<>();
      details.put("extreme", extreme);
      details.put("distribution", distribution);
      details.put("gradient_dead", gradientDead);
      details.put("variance", x.variance());
      layers.add(new Finding(NAME, e.getKey(), saturation, status(saturation), details));
      i++;
    }
    List<Finding> out = new ArrayList<>();
    if (h == 0) {
      out.add(Finding.unknown(NAME, null)); // no hidden layer with activations
    } else {
      double value = Math.min(1, (weightedSum / h) / s.get(K + "normalizer"));
      out.add(new Finding(NAME, null, value, status(value), Map.of("hidden_layers", (double) h)));
    }
    out.addAll(layers);
    return out;
  }

  private double extreme(Activation.Saturation f, TensorStats x) {
    return switch (f) {
      case TANH, SIGMOID -> x.fractionAbove() + x.fractionBelow();
      case RELU_FAMILY -> x.fractionAbove();
      case OTHER ->
          x.percentile(s.get(K + "other.percentile_high"))
                      - x.percentile(s.get(K + "other.percentile_low"))
                  < s.get(K + "other.range_below")
              ? s.get(K + "other.extreme_score")
              : 0;
    };
  }

  private double distribution(Activation.Saturation f, double v) {
    String family =
        switch (f) {
          case TANH -> "tanh";
          case SIGMOID -> "sigmoid";
          default -> null;
        };
    if (family == null) {
      return v < s.get(K + "other.variance_low") ? s.get(K + "other.variance_score") : 0;
    }
    if (v < s.get(K + family + ".variance_severe")) return s.get(K + "variance_severe_score");
    if (v < s.get(K + family + ".variance_mild")) return s.get(K + "variance_mild_score");
    return 0;
  }

  private Status status(double value) {
    return Status.lowerIsHealthier(value, s.get(K + "healthy_below"), s.get(K + "warning_below"));
  }
}
