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
   *
   * @param firstTrainLoss the run's first finite train loss (NaN if none)
   * @param trainLoss the train loss at the row's epoch
   */
  static Status level(Reading r, double firstTrainLoss, double trainLoss, FindingRules rules) {
    if (r.status() == Status.UNKNOWN) return Status.UNKNOWN;
    return switch (r.diagnostic()) {
      case "gradient_snr" -> snr(r.value(), rules);
      case "weight_update_ratio" -> updateRatio(r.value(), rules);
      case "overfitting" ->
          // "val rising" without a gap between val and train is validation noise; the spec's
          // smallest gap band (10 %) is the least that reads as a generalisation gap.
          r.detail("relative_gap") > rules.overfittingMinGap() ? r.status() : Status.HEALTHY;
      case "plateau", "learning_progress" ->
          converged(firstTrainLoss, trainLoss, rules) ? Status.HEALTHY : r.status();
      default -> r.status();
    };
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
