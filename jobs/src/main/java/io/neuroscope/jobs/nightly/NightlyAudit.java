package io.neuroscope.jobs.nightly;

import static org.apache.spark.sql.functions.col;

import io.neuroscope.jobs.diagnostics.DiagnosticsAction;
import io.neuroscope.jobs.error.NeuroScopeException;
import io.neuroscope.jobs.summary.SummariesAction;
import io.neuroscope.jobs.table.DeltaCommits;
import io.neuroscope.jobs.table.OutputTable;
import io.neuroscope.jobs.table.OutputTables;
import io.neuroscope.jobs.telemetry.TelemetrySource;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import scala.jdk.javaapi.CollectionConverters;

/**
 * {@code OUTPUT/nightly_audit}: one row appended per nightly run, failed ones included: when it
 * started and ended, what it read, computed, wrote and set aside, and the Delta versions of the
 * telemetry it read and of the tables it left.
 */
final class NightlyAudit {
  private NightlyAudit() {}

  /**
   * What one run's row records, filled in as its stages go: the input's versions and fingerprint
   * once the telemetry is read, each stage's result once it has run (null for a stage not reached).
   */
  static final class Entry {
    final String jobId;
    final Instant started;
    final TelemetrySource telemetry;
    final String settings;
    Map<String, Long> inputVersions = Map.of();
    String inputFingerprint;
    DiagnosticsAction.Result diagnostics;
    SummariesAction.Result summaries;

    Entry(String jobId, Instant started, TelemetrySource telemetry, String settings) {
      this.jobId = jobId;
      this.started = started;
      this.telemetry = telemetry;
      this.settings = settings;
    }
  }

  /** Appends the entry's row; {@code error} is null on success. */
  static void append(OutputTables output, Entry entry, Throwable error) {
    String path = output.path(OutputTable.NIGHTLY_AUDIT);
    DiagnosticsAction.Result d = entry.diagnostics;
    SummariesAction.Result s = entry.summaries;
    Row row =
        RowFactory.create(
            entry.jobId,
            Timestamp.from(entry.started),
            Timestamp.from(Instant.now()),
            error == null ? "SUCCEEDED" : "FAILED",
            d == null ? null : d.outcome().mode(),
            d == null ? null : d.reason(),
            entry.telemetry.location(),
            d == null ? null : d.runs(),
            d == null ? null : d.epochs(),
            d == null ? null : d.runsComputed(),
            d == null ? null : d.epochsComputed(),
            d == null ? null : d.tensors(),
            d == null ? null : d.valuesRead(),
            d == null ? null : d.diagnosticsRows(),
            d == null ? null : d.diagnosticsChanged(),
            d == null ? null : d.quarantined(),
            s == null ? null : s.runs(),
            s == null ? null : s.experimentRows(),
            s == null ? null : s.effectRows(),
            CollectionConverters.asScala(entry.inputVersions),
            CollectionConverters.asScala(outputVersions(output)),
            error == null ? null : describe(error),
            entry.settings,
            entry.inputFingerprint);
    DeltaCommits.retry(
        "append to " + path,
        () -> {
          output
              .spark()
              .createDataFrame(List.of(row), OutputTable.NIGHTLY_AUDIT.requiredSchema())
              .write()
              .format("delta")
              .mode("append")
              .option("mergeSchema", "true")
              .save(path);
        });
  }

  /** The error class of our errors, the exception's class of others; then the message. */
  private static String describe(Throwable error) {
    String what =
        error instanceof NeuroScopeException e ? e.errorClass() : error.getClass().getSimpleName();
    return what + ": " + error.getMessage();
  }

  /** The last successful run's row, if there is one. */
  static Optional<Row> lastSucceeded(OutputTables output) {
    if (!output.exists(OutputTable.NIGHTLY_AUDIT)) return Optional.empty();
    return output
        .read(OutputTable.NIGHTLY_AUDIT)
        .where(col("status").equalTo("SUCCEEDED"))
        .orderBy(col("ended_at").desc())
        .limit(1)
        .collectAsList()
        .stream()
        .findFirst();
  }

  /**
   * Whether the telemetry has the fingerprint it had for run {@code last} (null: cannot be told)
   * and the output tables are still at the versions that run left: then there is nothing to do.
   */
  static boolean leftAsIs(OutputTables output, Row last, String inputFingerprint) {
    return inputFingerprint != null
        && inputFingerprint.equals(last.getAs("input_fingerprint"))
        && outputVersions(output).equals(last.getJavaMap(last.fieldIndex("output_versions")));
  }

  /** The current Delta version of each output table there is (the audit aside). */
  static Map<String, Long> outputVersions(OutputTables output) {
    return output.versions(OutputTable.AUDITED);
  }
}
