package io.neuroscope.diagnostics;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/** The ten diagnostics, in the spec's order, configured by one {@link Settings}. */
public final class Diagnostics implements Serializable {
  private final Settings settings;
  private final List<TensorDiagnostic> tensorDiagnostics;
  private final List<HistoryDiagnostic> historyDiagnostics;

  public Diagnostics(Settings s) {
    this.settings = s;
    this.tensorDiagnostics =
        List.of(
            new DeadNeurons(s),
            new VanishingGradients(s),
            new ExplodingGradients(s),
            new ActivationSaturation(s),
            new GradientSnr(s),
            new WeightUpdateRatio(s),
            new WeightHealth(s));
    this.historyDiagnostics = List.of(new Plateau(s), new Overfitting(s), new LearningProgress(s));
  }

  /** The ten names, in the spec's order. */
  public static List<String> names() {
    return List.of(
        DeadNeurons.NAME,
        VanishingGradients.NAME,
        ExplodingGradients.NAME,
        ActivationSaturation.NAME,
        GradientSnr.NAME,
        WeightUpdateRatio.NAME,
        Plateau.NAME,
        Overfitting.NAME,
        WeightHealth.NAME,
        LearningProgress.NAME);
  }

  public Settings settings() {
    return settings;
  }

  /**
   * Every finding for one run and epoch: a network-level row per diagnostic, and the layer rows.
   */
  public List<Finding> evaluate(EpochTensors tensors, LossHistory history) {
    List<Finding> out = new ArrayList<>();
    for (TensorDiagnostic d : tensorDiagnostics) out.addAll(d.evaluate(tensors));
    out.addAll(evaluateHistory(history));
    return out;
  }

  /**
   * The loss-history findings alone (plateau, overfitting, learning_progress): they need no
   * tensors.
   */
  public List<Finding> evaluateHistory(LossHistory history) {
    List<Finding> out = new ArrayList<>();
    for (HistoryDiagnostic d : historyDiagnostics) out.add(d.evaluate(history));
    return out;
  }
}
