package io.neuroscope.findings;

import io.neuroscope.diagnostics.Status;

/**
 * Where a spec threshold fires on healthy training, the level a finding reads instead of the spec's
 * status (the {@code diagnostics} table keeps the spec's). Each rule says what justifies it; the
 * figures are in conf/neuroscope.properties and the README ("Findings").
 */
final class Calibration {
  private Calibration() {}

  /**
   * The level of a row for the findings: HEALTHY, WARNING, CRITICAL, or UNKNOWN where the spec's
   * status is.
   */
  static Status level(Reading r, RunContext c, FindingRules rules) {
    if (r.status() == Status.UNKNOWN) return Status.UNKNOWN;
    return switch (r.diagnostic()) {
      case "gradient_snr" -> snr(r.value(), rules);
      case "weight_update_ratio" -> updateRatio(r.value(), rules);
      // A He-initialised ReLU layer probed on a small monitoring batch has units off for over
      // 90 % of its samples by chance: 6-14 % of hidden units in untrained runs, up to 19 % in
      // healthy trained baselines (measured), above the spec's 10 % WARNING line.
      case "dead_neurons" -> keepIf(r, r.value() > rules.deadAbove());
      case "activation_saturation" -> keepIf(r, saturated(r, c, rules));
      case "exploding_gradients" -> keepIf(r, !r.networkLevel() || exploding(r, c, rules));
      case "overfitting" -> keepIf(r, overfitting(r, c, rules));
      case "plateau", "learning_progress" ->
          keepIf(r, !converged(c.firstTrain, c.trainLoss(r.epoch()), rules));
      default -> r.status();
    };
  }

  /** The spec's status where the condition holds, HEALTHY otherwise. */
  private static Status keepIf(Reading r, boolean holds) {
    return holds ? r.status() : Status.HEALTHY;
  }

  private static boolean saturatedLayer(Reading layer, FindingRules rules) {
    // the spec's weights of the extreme and gradient_dead terms (§4)
    return 0.5 * layer.detail("extreme") + 0.2 * layer.detail("gradient_dead")
        >= rules.saturationOwnAbove();
  }

  /**
   * Saturation needs a layer whose outputs sit in the flat tails: its extreme and gradient_dead
   * terms (0.5 × extreme + 0.2 × gradient_dead ≈ 0.7 × the share of outputs in the tails for tanh)
   * at least {@code saturationOwnAbove} — 0.35, about half its outputs where tanh' &lt; 0.19. The
   * distribution term alone — a narrow spread of outputs — marks sigmoid and tanh layers in their
   * linear middle range too: deep Xavier sigmoid networks read 0.11–0.12 from it alone (measured),
   * the opposite of saturated; healthy tanh baselines reach 0.31 as their weights grow, the planted
   * runs 0.45–0.68 (measured).
   */
  private static boolean saturated(Reading r, RunContext c, FindingRules rules) {
    if (!r.networkLevel()) return saturatedLayer(r, rules);
    for (Reading layer : c.layers("activation_saturation", r.epoch()))
      if (saturatedLayer(layer, rules)) return true;
    return false;
  }

  /**
   * Exploding gradients are harmful because they blow up the steps: the total norm is non-finite,
   * or the step it makes is not negligible — |ΔW|/|W| at least {@code explodingMinUpdate}. A large
   * but steady gradient that a tiny learning rate turns into steps of 1e-7–1e-6 of the weights (a
   * regression on unscaled targets that never trains; measured: norms 8–73 throughout) explodes
   * nothing.
   */
  private static boolean exploding(Reading r, RunContext c, FindingRules rules) {
    double total = r.detail("total_norm");
    if (!Double.isFinite(total)) return true;
    Reading update = c.network("weight_update_ratio").get(r.epoch());
    return update == null
        || update.status() == Status.UNKNOWN
        || !(update.value() < rules.explodingMinUpdate());
  }

  /**
   * Overfitting is a generalisation gap while the validation loss rises from its best (Prechelt
   * 1998, "Early stopping — but when?"): a gap of at least {@code overfittingMinGap} (the spec's
   * lowest gap band), a validation loss {@code overfittingMinRise} above its best so far, and a
   * train loss {@code overfittingMinTrainDrop} below what it was then (the training keeps fitting
   * the training set). A gap with the validation loss still falling is not yet overfitting; "val
   * rising" without a gap is validation noise; a validation loss that rises while the training loss
   * stalls (large noisy steps) is not fitting the training set better.
   */
  private static boolean overfitting(Reading r, RunContext c, FindingRules rules) {
    if (!(r.detail("relative_gap") > rules.overfittingMinGap())) return false;
    int best = c.bestValEpoch(r.epoch());
    double val = c.valLoss(r.epoch());
    return best >= 0
        && best < r.epoch()
        && val >= (1 + rules.overfittingMinRise()) * c.valLoss(best)
        && c.trainLoss(r.epoch()) <= (1 - rules.overfittingMinTrainDrop()) * c.trainLoss(best);
  }

  /**
   * Gradient SNR = mean|g|/std|g| over a whole network mixes layers of different gradient scales:
   * even Gaussian gradients give only 1.32 (spec §5), a scale mixture much less, and healthy
   * baselines read 0.4–1.0 (measured). Only far lower values — gradients that are zero almost
   * everywhere, as after dead or saturated units — are a problem. NaN is left to {@code
   * non_finite}.
   */
  static Status snr(double value, FindingRules rules) {
    if (value < rules.snrCriticalBelow()) return Status.CRITICAL;
    if (value < rules.snrWarningBelow()) return Status.WARNING;
    return Status.HEALTHY;
  }

  /**
   * |ΔW|/|W| between 1e-4 and 1e-3 is the spec's WARNING band; healthy Adam and momentum runs sit
   * there once their gradients shrink late in training (measured). Outside the spec's WARNING band
   * it stays a problem.
   */
  static Status updateRatio(double value, FindingRules rules) {
    if (Double.isNaN(value)) return Status.HEALTHY;
    return value < rules.updateLow() || value > rules.updateHigh()
        ? Status.CRITICAL
        : Status.HEALTHY;
  }

  /**
   * A run whose train loss has already fallen by {@code convergedLossDrop} of its first value has
   * made progress: a flat loss after that is convergence, not a plateau or a lack of progress.
   */
  static boolean converged(double firstTrainLoss, double trainLoss, FindingRules rules) {
    return Double.isFinite(firstTrainLoss)
        && Double.isFinite(trainLoss)
        && firstTrainLoss > 0
        && trainLoss <= (1 - rules.convergedLossDrop()) * firstTrainLoss;
  }
}
