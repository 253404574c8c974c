package io.neuroscope.jobs.nightly;

import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.when;

import io.neuroscope.jobs.action.Scope;
import io.neuroscope.jobs.table.DeltaCommits;
import io.neuroscope.jobs.table.KeyedMerge;
import io.neuroscope.jobs.table.OutputTable;
import io.neuroscope.jobs.table.OutputTables;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import scala.jdk.javaapi.CollectionConverters;

/**
 * {@code OUTPUT/nightly_state}: for every run and epoch the diagnostics table reflects, the {@link
 * Fingerprints fingerprint} of the telemetry it was computed from, the epoch's global gradient norm
 * (plateau's method 3 reads the norms of earlier epochs, whose tensors an incremental run does not
 * read again) and the settings' fingerprint. Written after the diagnostics: a job killed between
 * the two leaves the state behind the table, and the next run computes those epochs again, to the
 * same rows.
 */
final class NightlyState {
  private NightlyState() {}

  /**
   * Compares the telemetry's fingerprints with the state: what changed, or everything with the
   * reason (no state yet, or other settings).
   */
  static ChangeSet changes(OutputTables output, Dataset<Row> current, String settings) {
    String path = output.path(OutputTable.NIGHTLY_STATE);
    if (!output.exists(OutputTable.NIGHTLY_STATE))
      return ChangeSet.everything("no state at " + path + " yet");
    if (!output.exists(OutputTable.DIAGNOSTICS)) {
      return ChangeSet.everything(
          "no diagnostics table at " + output.path(OutputTable.DIAGNOSTICS));
    }
    Dataset<Row> state = output.read(OutputTable.NIGHTLY_STATE);
    List<String> seen = state.select("settings").distinct().as(Encoders.STRING()).collectAsList();
    if (seen.isEmpty()) return ChangeSet.everything("the state at " + path + " is empty");
    if (!seen.equals(List.of(settings))) {
      return ChangeSet.everything(
          "the diagnostics settings or NeuroScope's version changed since the last run ("
              + String.join(", ", seen)
              + " -> "
              + settings
              + ")");
    }
    Dataset<Row> joined =
        current
            .as("c")
            .join(state.as("s"), expr("c.run_id = s.run_id AND c.epoch <=> s.epoch"), "full_outer")
            .select(
                coalesce(col("c.run_id"), col("s.run_id")).as("run_id"),
                coalesce(col("c.epoch"), col("s.epoch")).as("epoch"),
                col("c.fingerprint").as("now"),
                col("s.fingerprint").as("was"),
                col("s.gradient_norm").as("gradient_norm"));
    // a run is changed by a new or changed run row (experiment, params, layers: all its epochs are
    // recomputed) or by a new, changed or removed epoch; a run gone from the telemetry is left as
    // it is
    Dataset<Row> changedRuns =
        joined
            .where(
                not(col("now").eqNullSafe(col("was")))
                    .and(col("now").isNotNull().or(col("epoch").isNotNull())))
            .groupBy("run_id")
            .agg(max(when(col("epoch").isNull(), lit(true)).otherwise(lit(false))).as("whole"));
    Set<String> runs = new HashSet<>();
    for (Row r : changedRuns.collectAsList()) runs.add(r.getString(0));
    if (runs.isEmpty()) return ChangeSet.nothing("nothing new or changed since the last run");

    Dataset<Row> ofChanged =
        joined.where(col("epoch").isNotNull()).join(broadcast(changedRuns), "run_id");
    // checkpointed, not cached: it reads the state, which this run merges into (KeyedMerge)
    Dataset<Row> recompute =
        KeyedMerge.materialize(
            ofChanged
                .where(
                    col("now")
                        .isNotNull()
                        .and(col("whole").or(not(col("now").eqNullSafe(col("was"))))))
                .select("run_id", "epoch"));
    Dataset<Row> known =
        ofChanged
            .where(
                col("now")
                    .isNotNull()
                    .and(not(col("whole")))
                    .and(col("now").eqNullSafe(col("was"))))
            .select("run_id", "epoch", "gradient_norm");
    Dataset<Row> removed = ofChanged.where(col("now").isNull()).select("run_id", "epoch");
    long epochs = recompute.count();
    return new ChangeSet(
        Scope.epochs(
            runs.size() + " runs new or changed, " + epochs + " epochs to compute",
            runs,
            recompute,
            known,
            epochs),
        removed);
  }

  /**
   * Records what a diagnostics run computed: the fingerprints of the runs it computed (all of them
   * when it computed everything) with their epochs' gradient norms; the epochs it found removed go.
   *
   * @param norms (run_id, epoch, gradient_norm) of every epoch computed
   */
  static void record(
      OutputTables output,
      Dataset<Row> current,
      Dataset<Row> norms,
      ChangeSet changes,
      String settings) {
    SparkSession spark = output.spark();
    String path = output.path(OutputTable.NIGHTLY_STATE);
    Scope scope = changes.scope();
    Dataset<Row> computed =
        scope.isEverything()
            ? current
            : current.join(
                broadcast(
                    spark
                        .createDataset(List.copyOf(scope.runs()), Encoders.STRING())
                        .toDF("run_id")),
                "run_id");
    Dataset<Row> rows =
        computed
            .join(norms, CollectionConverters.asScala(List.of("run_id", "epoch")).toSeq(), "left")
            .select(
                col("run_id"),
                col("epoch"),
                col("fingerprint"),
                col("gradient_norm"),
                lit(settings).as("settings"));
    if (scope.isEverything()) {
      DeltaCommits.replace(rows, path);
      return;
    }
    // only the rows that differ from the state's: after appended epochs, an insert-only MERGE
    Dataset<Row> state = output.read(OutputTable.NIGHTLY_STATE);
    Dataset<Row> differ =
        rows.as("s")
            .join(
                state.as("t"),
                expr(
                    OutputTable.NIGHTLY_STATE.mergeCondition()
                        + " AND t.fingerprint <=> s.fingerprint"
                        + " AND t.gradient_norm <=> s.gradient_norm AND t.settings <=> s.settings"),
                "left_anti");
    Dataset<Row> source =
        KeyedMerge.source(
            differ,
            changes
                .removed()
                .select(
                    col("run_id"),
                    col("epoch"),
                    lit(null).cast("long").as("fingerprint"),
                    lit(null).cast("double").as("gradient_norm"),
                    lit(settings).as("settings")));
    if (!source.isEmpty()) {
      DeltaCommits.retry(
          "merge into " + path,
          () -> KeyedMerge.execute(output, OutputTable.NIGHTLY_STATE, source, state));
    }
  }

  /** Empties the state, so that the next nightly run computes everything. */
  static void clear(OutputTables output) {
    if (output.exists(OutputTable.NIGHTLY_STATE))
      DeltaCommits.retry(
          "clear " + output.path(OutputTable.NIGHTLY_STATE),
          () -> {
            output.delta(OutputTable.NIGHTLY_STATE).delete();
          });
  }
}
