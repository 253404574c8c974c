package io.neuroscope.jobs.action;

import java.util.Objects;
import java.util.Set;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * What an action is asked to compute: every run, or some runs, and for the diagnostics which of
 * their epochs. Whoever decides the scope (the nightly, from its state) builds it; the actions only
 * read it.
 */
public final class Scope {
  private final String reason;
  private final Set<String> runs;
  private final Dataset<Row> recompute;
  private final Dataset<Row> known;
  private final long epochs;

  private Scope(
      String reason, Set<String> runs, Dataset<Row> recompute, Dataset<Row> known, long epochs) {
    this.reason = Objects.requireNonNull(reason);
    this.runs = runs;
    this.recompute = recompute;
    this.known = known;
    this.epochs = epochs;
  }

  /** Every run and epoch there is, and why (for the log and the audit). */
  public static Scope everything(String reason) {
    return new Scope(reason, null, null, null, -1);
  }

  /** These runs, whole (the summaries' scope); none is nothing to do. */
  public static Scope runs(String reason, Set<String> runs) {
    return new Scope(reason, Set.copyOf(runs), null, null, -1);
  }

  /**
   * Some epochs of some runs (the diagnostics' scope).
   *
   * @param recompute (run_id, epoch): the epochs whose tensors are read and all of whose
   *     diagnostics are computed
   * @param known (run_id, epoch, gradient_norm): the runs' other epochs, whose history diagnostics
   *     alone are computed again, with the global gradient norm recorded when they were computed
   * @param epochs the number of rows of {@code recompute}
   */
  public static Scope epochs(
      String reason, Set<String> runs, Dataset<Row> recompute, Dataset<Row> known, long epochs) {
    return new Scope(
        reason,
        Set.copyOf(runs),
        Objects.requireNonNull(recompute),
        Objects.requireNonNull(known),
        epochs);
  }

  /** Why this scope: everything (and why), or what changed. */
  public String reason() {
    return reason;
  }

  public boolean isEverything() {
    return runs == null;
  }

  /** Nothing at all to compute. */
  public boolean isEmpty() {
    return runs != null && runs.isEmpty();
  }

  /** The runs in scope; only for a scope that is not {@link #everything(String)}. */
  public Set<String> runs() {
    if (runs == null)
      throw new IllegalStateException("every run is in scope; there is no list of runs");
    return runs;
  }

  /** How many runs are in scope: {@code all} when every run is. */
  public long runCount(long all) {
    return runs == null ? all : runs.size();
  }

  /** Whether this is an {@link #epochs} scope (it names the epochs to compute). */
  public boolean byEpoch() {
    return recompute != null;
  }

  /** (run_id, epoch) of the epochs to compute in full; only for an {@link #epochs} scope. */
  public Dataset<Row> recompute() {
    return Objects.requireNonNull(recompute, "not an epoch scope");
  }

  /**
   * (run_id, epoch, gradient_norm) of the runs' epochs not recomputed; only for an {@link #epochs}
   * scope.
   */
  public Dataset<Row> known() {
    return Objects.requireNonNull(known, "not an epoch scope");
  }

  /** The number of epochs to compute in full: {@code all} when every epoch is. */
  public long epochCount(long all) {
    return runs == null ? all : recompute == null ? 0 : epochs;
  }
}
