package io.neuroscope.sample.training;

import java.util.List;

/**
 * One monitored training step: the raw gradients of the batch and the update the optimizer applied.
 * Lists are indexed by layer, input side first.
 *
 * @param step the step's index within its epoch, 0-based
 * @param weightGradients dL/dW per layer, fan_in × fan_out, before any clipping (what
 *     backpropagation produced)
 * @param biasGradients dL/db per layer, 1 × fan_out, before any clipping
 * @param weightUpdates ΔW per layer, fan_in × fan_out: W_after − W_before of this step as the
 *     optimizer computed it (after clipping, with its momentum or moments)
 * @param gradientNorm the global L2 norm of all weight and bias gradients, before clipping (NaN or
 *     ∞ when diverged)
 * @param clipped whether clipping rescaled this step's gradient
 */
public record StepSnapshot(
    int step,
    List<Matrix> weightGradients,
    List<Matrix> biasGradients,
    List<Matrix> weightUpdates,
    double gradientNorm,
    boolean clipped) {

  public StepSnapshot {
    weightGradients = List.copyOf(weightGradients);
    biasGradients = List.copyOf(biasGradients);
    weightUpdates = List.copyOf(weightUpdates);
  }
}
