package io.neuroscope.jobs.nightly;

import io.neuroscope.jobs.action.Scope;
import java.util.Set;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * What the telemetry's fingerprints, compared with {@link NightlyState}, say to compute: a {@link
 * Scope} for the engine (everything with the reason, or the changed runs' epochs), and the epochs
 * that are gone, for the state.
 *
 * @param removed (run_id, epoch): epochs of the changed runs that are no longer in the telemetry;
 *     null when everything is computed
 */
record ChangeSet(Scope scope, Dataset<Row> removed) {

  static ChangeSet everything(String reason) {
    return new ChangeSet(Scope.everything(reason), null);
  }

  static ChangeSet nothing(String reason) {
    return new ChangeSet(Scope.runs(reason, Set.of()), null);
  }
}
