package io.neuroscope.sample.training;

import java.util.List;
import java.util.OptionalDouble;

/**
 * Everything measured in one epoch, as a telemetry writer needs it. Lists are indexed by layer,
 * input side first; matrices are immutable snapshots, row-major.
 *
 * @param epoch 1-based
 * @param trainLoss the mean of the epoch's batch losses (each computed before its update); NaN or ∞
 *     when diverged
 * @param validationLoss the loss over the whole validation set after the epoch; empty when there is
 *     no validation set
 * @param validationAccuracy the share of validation samples whose arg-max output is their class;
 *     empty for regression or without a validation set
 * @param activations a clean forward pass of the fixed monitoring batch after the epoch: per layer,
 *     rows = samples, cols = neurons (fan_out), post-activation values
 * @param monitoredStep gradients, bias gradients and ΔW of the epoch's monitored step
 * @param maxGradientNorm the largest pre-clipping global gradient norm over all steps of the epoch
 *     (NaN if any was NaN)
 * @param weights W of every layer at the end of the epoch, fan_in × fan_out
 * @param biases b of every layer at the end of the epoch, 1 × fan_out
 */
public record EpochReport(
    int epoch,
    double trainLoss,
    OptionalDouble validationLoss,
    OptionalDouble validationAccuracy,
    List<Matrix> activations,
    StepSnapshot monitoredStep,
    double maxGradientNorm,
    List<Matrix> weights,
    List<Matrix> biases) {

  public EpochReport {
    activations = List.copyOf(activations);
    weights = List.copyOf(weights);
    biases = List.copyOf(biases);
  }
}
