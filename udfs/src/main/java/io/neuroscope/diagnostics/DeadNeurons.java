package io.neuroscope.diagnostics;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Spec §1: the share of hidden neurons whose activations are (almost) always zero. */
public final class DeadNeurons extends SpecDiagnostic implements TensorDiagnostic {
  public static final String NAME = "dead_neurons";

  public DeadNeurons(Settings s) {
    super(NAME, s);
  }

  @Override
  public List<Finding> evaluate(EpochTensors t) {
    List<Finding> layers = new ArrayList<>();
    long dead = 0, neurons = 0;
    for (Map.Entry<Integer, TensorStats> e : t.hidden(TensorKind.ACTIVATIONS).entrySet()) {
      String family = TensorProbe.familyKey(Activation.family(t.layer(e.getKey()).activation()));
      int layerDead =
          e.getValue().columnsMostlyZero(s.get("dead_neurons." + family + ".dead_threshold"));
      int layerNeurons = e.getValue().cols();
      double value = (100.0 * layerDead) / layerNeurons;
      layers.add(
          new Finding(
              NAME,
              e.getKey(),
              value,
              status(value),
              Map.of("dead_neurons", (double) layerDead, "neurons", (double) layerNeurons)));
      dead += layerDead;
      neurons += layerNeurons;
    }
    List<Finding> out = new ArrayList<>();
    if (layers.isEmpty()) {
      out.add(Finding.unknown(NAME, null)); // no hidden layer with activations
    } else {
      double value = (100.0 * dead) / neurons;
      out.add(
          new Finding(
              NAME,
              null,
              value,
              status(value),
              Map.of("dead_neurons", (double) dead, "neurons", (double) neurons)));
    }
    out.addAll(layers);
    return out;
  }

  private Status status(double value) {
    return Status.higherIsWorse(
        value, s.get("dead_neurons.critical_above"), s.get("dead_neurons.warning_above"));
  }
}
