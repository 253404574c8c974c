package io.neuroscope.jobs.nightly;

import static org.apache.spark.sql.functions.col;

import io.neuroscope.jobs.diagnostics.DiagnosticsAction;
import io.neuroscope.jobs.summary.SummariesAction;
import io.neuroscope.jobs.table.DeltaCommits;
import io.neuroscope.jobs.telemetry.Telemetry;
import io.delta.tables.DeltaTable;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import scala.jdk.javaapi.CollectionConverters;

/**
 * {@code OUTPUT/nightly_audit}: one row appended per nightly run, failed ones included: when it
 * started and ended, what it read, computed, wrote and set aside, and the Delta versions of the
 * telemetry it read and of the tables it left.
 */
public final class NightlyAudit {
  public static final String TABLE = "nightly_audit";
  /** The output tables whose versions are recorded. */
  static final List<String> OUTPUTS = List.of("diagnostics", "quarantine", NightlyState.TABLE, "run_summary",
      "experiment_summary", "hyperparameter_effects");

  static final StructType SCHEMA = new StructType()
      .add("job_id", DataTypes.StringType, false)
      .add("started_at", DataTypes.TimestampType, false)
      .add("ended_at", DataTypes.TimestampType, false)
      .add("status", DataTypes.StringType, false)
      .add("mode", DataTypes.StringType, true)
      .add("reason", DataTypes.StringType, true)
      .add("telemetry", DataTypes.StringType, false)
      .add("runs_read", DataTypes.LongType, true)
      .add("epochs_read", DataTypes.LongType, true)
      .add("runs_computed", DataTypes.LongType, true)
      .add("epochs_computed", DataTypes.LongType, true)
      .add("tensors_read", DataTypes.LongType, true)
      .add("values_read", DataTypes.LongType, true)
      .add("diagnostics_computed", DataTypes.LongType, true)
      .add("diagnostics_written", DataTypes.LongType, true)
      .add("quarantined", DataTypes.LongType, true)
      .add("run_summary_rows", DataTypes.LongType, true)
      .add("experiment_summary_rows", DataTypes.LongType, true)
      .add("effect_rows", DataTypes.LongType, true)
      .add("input_versions", DataTypes.createMapType(DataTypes.StringType, DataTypes.LongType, true), false)
      .add("output_versions", DataTypes.createMapType(DataTypes.StringType, DataTypes.LongType, true), false)
      .add("error", DataTypes.StringType, true)
      .add("settings", DataTypes.StringType, false)
      .add("input_fingerprint", DataTypes.StringType, true);

  private NightlyAudit() {}

  /**
   * Appends one row. Diagnostics or summaries are null for a stage that did not run (a failure
   * before it); {@code error} is null on success.
   */
  static void append(SparkSession spark, String output, String jobId, Instant started, Telemetry telemetry,
      Map<String, Long> inputVersions, String inputFingerprint, String settings, DiagnosticsAction.Result d,
      SummariesAction.Result s, Throwable error) {
    String path = output + "/" + TABLE;
    Row row = RowFactory.create(jobId, Timestamp.from(started), Timestamp.from(Instant.now()),
        error == null ? "SUCCEEDED" : "FAILED",
        d == null ? null : d.mode(), d == null ? null : d.reason(), telemetry.source(),
        d == null ? null : d.runs(), d == null ? null : d.epochs(),
        d == null ? null : d.changedRuns() == null ? d.runs() : (long) d.changedRuns().size(),
        d == null ? null : d.epochsComputed(), d == null ? null : d.tensors(), d == null ? null : d.valuesRead(),
        d == null ? null : d.diagnosticsRows(), d == null ? null : d.diagnosticsChanged(),
        d == null ? null : d.quarantined(),
        s == null ? null : s.runs(), s == null ? null : s.experimentRows(), s == null ? null : s.effectRows(),
        CollectionConverters.asScala(inputVersions), CollectionConverters.asScala(outputVersions(spark, output)),
        error == null ? null : error.getClass().getSimpleName() + ": " + error.getMessage(), settings, inputFingerprint);
    DeltaCommits.retry("append to " + path, () -> {
      spark.createDataFrame(List.of(row), SCHEMA).write().format("delta").mode("append")
          .option("mergeSchema", "true").save(path);
    });
  }

  /** The last successful run's row, if there is one. */
  static Optional<Row> lastSucceeded(SparkSession spark, String output) {
    String path = output + "/" + TABLE;
    if (!DeltaTable.isDeltaTable(spark, path)) return Optional.empty();
    return spark.read().format("delta").load(path).where(col("status").equalTo("SUCCEEDED"))
        .orderBy(col("ended_at").desc()).limit(1).collectAsList().stream().findFirst();
  }

  /**
   * Whether the telemetry has the fingerprint it had for run {@code last} (null: cannot be told) and
   * the output tables are still at the versions that run left: then there is nothing to do.
   */
  static boolean leftAsIs(SparkSession spark, String output, Row last, String inputFingerprint) {
    return inputFingerprint != null && inputFingerprint.equals(last.getAs("input_fingerprint"))
        && outputVersions(spark, output).equals(last.getJavaMap(last.fieldIndex("output_versions")));
  }

  /** The current Delta version of each output table there is. */
  static Map<String, Long> outputVersions(SparkSession spark, String output) {
    Map<String, Long> out = new LinkedHashMap<>();
    for (String t : OUTPUTS) {
      String path = output + "/" + t;
      if (DeltaTable.isDeltaTable(spark, path)) {
        out.put(t, DeltaTable.forPath(spark, path).history(1).select("version").first().getLong(0));
      }
    }
    return out;
  }
}
