package io.neuroscope.jobs.nightly;

import java.util.Set;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * What a diagnostics run computes: everything (with the reason), or the runs whose telemetry is new
 * or changed since the last run, as {@link NightlyState} found them.
 *
 * @param reason why everything is computed, or what changed, for the log and the audit
 * @param runs the changed runs; null when everything is computed
 * @param recompute (run_id, epoch): the epochs whose tensors are read and all of whose diagnostics are computed
 * @param known (run_id, epoch, gradient_norm): the other epochs of the changed runs, whose history
 *     diagnostics alone are computed again
 * @param removed (run_id, epoch): epochs of the changed runs that are no longer in the telemetry
 * @param epochs the number of rows of {@code recompute}
 */
public record ChangeSet(String reason, Set<String> runs, Dataset<Row> recompute, Dataset<Row> known, Dataset<Row> removed,
    long epochs) {

  public static ChangeSet everything(String reason) {
    return new ChangeSet(reason, null, null, null, null, -1);
  }

  public boolean isEverything() {
    return runs == null;
  }

  public boolean isEmpty() {
    return runs != null && runs.isEmpty();
  }
}
