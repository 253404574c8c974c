package io.neuroscope.sample.training;

import java.util.List;

/**
 * Receives what happened in training, e.g. to write telemetry. Called on the training thread; a
 * listener that throws stops the training.
 */
@FunctionalInterface
public interface EpochListener {

  /** Once, before the first epoch, with the network's architecture (input side first). */
  default void onStart(List<LayerInfo> layers) {}

  /** After every epoch, with everything measured in it. */
  void onEpoch(EpochReport report);
}
