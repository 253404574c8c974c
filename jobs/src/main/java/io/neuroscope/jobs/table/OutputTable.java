package io.neuroscope.jobs.table;

import java.util.List;
import java.util.Optional;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The Delta tables the job writes under an output folder, each with its folder name, the columns
 * that identify a row, and its schema where it is fixed (the summaries' columns follow the
 * diagnostics, so Spark derives them). README, "Output tables".
 */
// List.of is unmodifiable and a StructType is never changed once built, which the checker cannot
// tell.
@SuppressWarnings("ImmutableEnumChecker")
public enum OutputTable {
  DIAGNOSTICS(
      "diagnostics",
      List.of("run_id", "epoch", "layer", "diagnostic"),
      new StructType()
          .add("experiment", DataTypes.StringType, true)
          .add("run_id", DataTypes.StringType, false)
          .add("epoch", DataTypes.IntegerType, false)
          .add("layer", DataTypes.IntegerType, true)
          .add("diagnostic", DataTypes.StringType, false)
          .add("value", DataTypes.DoubleType, false)
          .add("status", DataTypes.StringType, false)
          .add(
              "details",
              DataTypes.createMapType(DataTypes.StringType, DataTypes.DoubleType),
              false)),
  QUARANTINE(
      "quarantine",
      List.of("table", "reason", "row"),
      new StructType()
          .add("table", DataTypes.StringType, false)
          .add("run_id", DataTypes.StringType, true)
          .add("reason_code", DataTypes.StringType, true)
          .add("reason", DataTypes.StringType, false)
          .add("row", DataTypes.StringType, false)
          // the job that first set the row aside, and when
          .add("job_id", DataTypes.StringType, true)
          .add("quarantined_at", DataTypes.TimestampType, true)),
  FINDINGS(
      "findings",
      List.of("run_id", "problem"),
      ofRuns(io.neuroscope.diagnostics.spark.FindingsFunctions.FINDING)),
  RUN_SUMMARY("run_summary", List.of("run_id"), null),
  EXPERIMENT_SUMMARY("experiment_summary", List.of("experiment", "config", "diagnostic"), null),
  HYPERPARAMETER_EFFECTS(
      "hyperparameter_effects",
      List.of("scope_type", "scope", "hyperparameter", "scale", "target", "measure"),
      null),
  NIGHTLY_AUDIT(
      "nightly_audit",
      List.of("job_id"),
      new StructType()
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
          .add(
              "input_versions",
              DataTypes.createMapType(DataTypes.StringType, DataTypes.LongType, true),
              false)
          .add(
              "output_versions",
              DataTypes.createMapType(DataTypes.StringType, DataTypes.LongType, true),
              false)
          .add("error", DataTypes.StringType, true)
          .add("settings", DataTypes.StringType, false)
          .add("input_fingerprint", DataTypes.StringType, true)),
  NIGHTLY_STATE(
      "nightly_state",
      List.of("run_id", "epoch"),
      new StructType()
          .add("run_id", DataTypes.StringType, false)
          .add("epoch", DataTypes.IntegerType, true)
          .add("fingerprint", DataTypes.LongType, true)
          .add("gradient_norm", DataTypes.DoubleType, true)
          .add("settings", DataTypes.StringType, false));

  /** The tables the summaries stage replaces. */
  public static final List<OutputTable> SUMMARIES =
      List.of(FINDINGS, RUN_SUMMARY, EXPERIMENT_SUMMARY, HYPERPARAMETER_EFFECTS);

  /**
   * The tables whose Delta versions the audit records and the nightly compares (the audit itself
   * aside).
   */
  public static final List<OutputTable> AUDITED =
      List.of(
          DIAGNOSTICS,
          QUARANTINE,
          NIGHTLY_STATE,
          FINDINGS,
          RUN_SUMMARY,
          EXPERIMENT_SUMMARY,
          HYPERPARAMETER_EFFECTS);

  /** The order users meet them in (the catalog, the sql command). */
  public static final List<OutputTable> ALL =
      List.of(
          DIAGNOSTICS,
          QUARANTINE,
          FINDINGS,
          RUN_SUMMARY,
          EXPERIMENT_SUMMARY,
          HYPERPARAMETER_EFFECTS,
          NIGHTLY_AUDIT,
          NIGHTLY_STATE);

  private final String tableName;
  private final List<String> key;
  private final StructType schema;

  OutputTable(String tableName, List<String> key, StructType schema) {
    this.tableName = tableName;
    this.key = key;
    this.schema = schema;
  }

  /** experiment and run_id, then the fields of a per-run struct. */
  private static StructType ofRuns(StructType perRun) {
    StructType out =
        new StructType()
            .add("experiment", DataTypes.StringType, true)
            .add("run_id", DataTypes.StringType, false);
    for (var f : perRun.fields()) out = out.add(f);
    return out;
  }

  /** The folder under the output root, and the name in the catalog. */
  public String tableName() {
    return tableName;
  }

  /** The columns that identify a row (a keyed MERGE's condition, null-safe on nullable ones). */
  public List<String> key() {
    return key;
  }

  /** The schema, where it is fixed. */
  public Optional<StructType> schema() {
    return Optional.ofNullable(schema);
  }

  /** The schema; for a table whose schema is fixed. */
  public StructType requiredSchema() {
    return schema()
        .orElseThrow(
            () -> new IllegalStateException(tableName + "'s columns are derived, not fixed"));
  }

  /** {@code t.k = s.k AND ...}, null-safe ({@code <=>}) for nullable key columns. */
  public String mergeCondition() {
    StringBuilder out = new StringBuilder();
    for (String k : key) {
      boolean nullable = schema == null || schema.apply(k).nullable();
      if (out.length() > 0) out.append(" AND ");
      out.append("t.").append(k).append(nullable ? " <=> " : " = ").append("s.").append(k);
    }
    return out.toString();
  }

  @Override
  public String toString() {
    return tableName;
  }
}
