package io.neuroscope.findings;

import io.neuroscope.diagnostics.Status;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * {@code non_finite}: the first NaN or ±Infinity in a loss or a tensor. It is a finding from its
 * first epoch (CRITICAL, no persistence: a NaN is not noise, and it spreads to every later step).
 * The diagnostics rows show it where the spec's statistics touch the tensor: a gradient layer's
 * norm ({@code exploding_gradients}), a weight update's norm ({@code weight_update_ratio}'s {@code
 * update_norm}), the weights' {@code finite} component ({@code weight_health}), the activations'
 * variance ({@code activation_saturation}).
 */
final class NonFinite {
  /** Where a non-finite value can show, in the order one step of training produces them. */
  enum Kind {
    TRAIN_LOSS("train_loss"),
    GRADIENTS("gradients"),
    WEIGHT_UPDATES("weight_updates"),
    WEIGHTS("weights"),
    ACTIVATIONS("activations"),
    VAL_LOSS("val_loss");

    final String id;

    Kind(String id) {
      this.id = id;
    }
  }

  private record Hit(int epoch, Kind kind, Integer layer) {}

  private NonFinite() {}

  static Optional<RunFinding> of(RunHistory run) {
    Hit first = null;
    TreeSet<Integer> epochs = new TreeSet<>();
    for (Map.Entry<Integer, RunHistory.Losses> e : run.losses().entrySet()) {
      RunHistory.Losses l = e.getValue();
      if (!Double.isFinite(l.train()))
        first = earlier(first, new Hit(e.getKey(), Kind.TRAIN_LOSS, null));
      if (l.val() != null && !Double.isFinite(l.val()))
        first = earlier(first, new Hit(e.getKey(), Kind.VAL_LOSS, null));
      if (!Double.isFinite(l.train()) || (l.val() != null && !Double.isFinite(l.val())))
        epochs.add(e.getKey());
    }
    for (Reading r : run.readings()) {
      Kind k = kindOf(r);
      if (k == null) continue;
      first = earlier(first, new Hit(r.epoch(), k, r.layer()));
      epochs.add(r.epoch());
    }
    if (first == null) return Optional.empty();
    Map<String, Double> evidence = new LinkedHashMap<>();
    evidence.put("non_finite_epochs", (double) epochs.size());
    evidence.put("first_in_" + first.kind().id, 1.0);
    String where =
        first.layer() == null
            ? "the " + first.kind().id.replace('_', ' ')
            : "the " + first.kind().id.replace('_', ' ') + " of layer " + first.layer();
    return Optional.of(
        new RunFinding(
            Problems.NON_FINITE,
            Status.CRITICAL,
            first.epoch(),
            first.layer(),
            epochs.last(),
            epochs.size(),
            Role.CAUSE,
            null,
            evidence,
            "non-finite values (NaN or Infinity) from epoch "
                + first.epoch()
                + ": first in "
                + where));
  }

  private static Kind kindOf(Reading r) {
    if (r.status() == Status.UNKNOWN) return null;
    return switch (r.diagnostic()) {
      case "exploding_gradients" ->
          r.networkLevel()
              ? (Double.isFinite(r.detail("total_norm")) || r.details().isEmpty()
                  ? null
                  : Kind.GRADIENTS)
              : (Double.isFinite(r.value()) ? null : Kind.GRADIENTS);
      case "weight_update_ratio" ->
          !r.networkLevel() && !Double.isFinite(r.detail("update_norm"))
              ? Kind.WEIGHT_UPDATES
              : null;
      case "weight_health" -> !r.networkLevel() && r.detail("finite") == 0.0 ? Kind.WEIGHTS : null;
      case "activation_saturation" ->
          !r.networkLevel()
                  && r.details().containsKey("variance")
                  && !Double.isFinite(r.detail("variance"))
              ? Kind.ACTIVATIONS
              : null;
      default -> null;
    };
  }

  private static Hit earlier(Hit a, Hit b) {
    if (a == null) return b;
    if (b.epoch() != a.epoch()) return b.epoch() < a.epoch() ? b : a;
    if (b.kind() != a.kind()) return b.kind().ordinal() < a.kind().ordinal() ? b : a;
    if (a.layer() == null) return a;
    if (b.layer() == null) return b;
    return b.layer() < a.layer() ? b : a;
  }
}
