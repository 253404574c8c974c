package io.neuroscope.findings;

import io.neuroscope.diagnostics.Status;
import java.util.List;
import java.util.Optional;

/**
 * One epoch does not make a finding: a problem must hold in at least {@code minEpochs} judged
 * epochs, and in {@code minShare} of them or through the run's last {@code throughEnd} judged
 * epochs. Its onset is the first epoch of its first streak of {@code onsetStreak} flagged epochs.
 */
final class Persistence {
  private Persistence() {}

  /** A judged epoch's level (HEALTHY, WARNING or CRITICAL). */
  record Judged(int epoch, Status level) {}

  /**
   * @param severity CRITICAL when the CRITICAL epochs alone persist, else WARNING
   */
  record Episode(int onset, int last, int flagged, int critical, int judged, Status severity) {}

  /** The episode of a problem over its judged epochs (in epoch order), if it persists. */
  static Optional<Episode> of(List<Judged> epochs, FindingRules r) {
    int n = epochs.size();
    int flagged = 0;
    int critical = 0;
    int last = -1;
    for (Judged j : epochs) {
      if (j.level().isProblem()) {
        flagged++;
        last = j.epoch();
      }
      if (j.level() == Status.CRITICAL) critical++;
    }
    if (!persists(epochs, flagged, Status.WARNING, r)) return Optional.empty();
    int onset = firstStreak(epochs, r.onsetStreak());
    boolean criticalPersists = persists(epochs, critical, Status.CRITICAL, r);
    return Optional.of(
        new Episode(
            onset,
            last,
            flagged,
            critical,
            n,
            criticalPersists ? Status.CRITICAL : Status.WARNING));
  }

  /**
   * Whether the epochs at {@code level} or worse persist: enough of them, and a share or the end.
   */
  private static boolean persists(List<Judged> epochs, int count, Status level, FindingRules r) {
    if (count < r.minEpochs()) return false;
    int n = epochs.size();
    if (count >= r.minShare() * n) return true;
    int tail = Math.min(r.throughEnd(), n);
    for (int i = n - tail; i < n; i++)
      if (epochs.get(i).level().severity() < level.severity()) return false;
    return tail > 0;
  }

  private static int firstStreak(List<Judged> epochs, int streak) {
    int run = 0;
    for (int i = 0; i < epochs.size(); i++) {
      run = epochs.get(i).level().isProblem() ? run + 1 : 0;
      if (run >= Math.max(1, streak)) return epochs.get(i - run + 1).epoch();
    }
    for (Judged j : epochs) if (j.level().isProblem()) return j.epoch();
    throw new IllegalStateException("no flagged epoch");
  }
}
