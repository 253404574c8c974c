package io.neuroscope.jobs.nightly;

import static org.apache.spark.sql.functions.col;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.delta.tables.DeltaTable;
import io.neuroscope.jobs.diagnostics.DiagnosticsAction;
import io.neuroscope.jobs.error.NeuroScopeException;
import io.neuroscope.jobs.summary.SummariesAction;
import io.neuroscope.jobs.table.DeltaCommits;
import io.neuroscope.jobs.table.DeltaHead;
import io.neuroscope.jobs.table.OutputTable;
import io.neuroscope.jobs.table.OutputTables;
import io.neuroscope.jobs.telemetry.TelemetrySource;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.delta.DeltaLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.jdk.javaapi.CollectionConverters;

/**
 * {@code OUTPUT/nightly_audit}: one row appended per nightly run, failed ones included: when it
 * started and ended, what it read, computed, wrote and set aside, and the Delta versions of the
 * telemetry it read and of the tables it left.
 */
final class NightlyAudit {
  private static final Logger LOG = LoggerFactory.getLogger(NightlyAudit.class);

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
    Map<String, Long> outputVersionsNow = outputVersions(output);
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
            CollectionConverters.asScala(outputVersionsNow),
            error == null ? null : describe(error),
            entry.settings,
            entry.inputFingerprint);
    String told =
        new Succeeded(
                entry.jobId,
                entry.settings,
                entry.inputFingerprint,
                outputVersionsNow,
                d == null ? null : d.runs(),
                d == null ? null : d.epochs())
            .toJson(error == null);
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
              .option("userMetadata", told)
              .save(path);
        });
  }

  /** The error class of our errors, the exception's class of others; then the message. */
  private static String describe(Throwable error) {
    String what =
        error instanceof NeuroScopeException e ? e.errorClass() : error.getClass().getSimpleName();
    return what + ": " + error.getMessage();
  }

  /**
   * What the nightly needs of the last successful run's audit row: its settings, input fingerprint
   * and the output versions it left. Each audit append also carries these in its Delta commit
   * ({@code userMetadata}), so they can be read from the audit's last commits on the driver.
   */
  record Succeeded(
      String jobId,
      String settings,
      String inputFingerprint,
      Map<String, Long> outputVersions,
      Long runsRead,
      Long epochsRead) {

    /** Marks a commit as an audit append of ours, with the status of its row. */
    private static final String MARKER = "neuroscope_nightly_audit";

    /** The commit metadata of an audit append whose row has this content. */
    String toJson(boolean succeeded) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put(MARKER, 1);
      m.put("status", succeeded ? "SUCCEEDED" : "FAILED");
      m.put("job_id", jobId);
      m.put("settings", settings);
      m.put("input_fingerprint", inputFingerprint);
      m.put("output_versions", outputVersions);
      m.put("runs_read", runsRead);
      m.put("epochs_read", epochsRead);
      try {
        return JSON.writeValueAsString(m);
      } catch (JsonProcessingException e) {
        throw new IllegalStateException("strings, numbers and a map of them are JSON", e);
      }
    }

    /** The inverse of {@link #toJson}. */
    static Succeeded of(JsonNode n) {
      Map<String, Long> versions = new LinkedHashMap<>();
      n.path("output_versions")
          .fields()
          .forEachRemaining(
              e -> versions.put(e.getKey(), e.getValue().isNull() ? null : e.getValue().asLong()));
      return new Succeeded(
          n.path("job_id").asText(),
          text(n, "settings"),
          text(n, "input_fingerprint"),
          versions,
          n.path("runs_read").isNumber() ? n.path("runs_read").asLong() : null,
          n.path("epochs_read").isNumber() ? n.path("epochs_read").asLong() : null);
    }

    private static String text(JsonNode n, String field) {
      return n.path(field).isTextual() ? n.path(field).asText() : null;
    }

    static Succeeded of(Row r) {
      return new Succeeded(
          r.getAs("job_id"),
          r.getAs("settings"),
          r.getAs("input_fingerprint"),
          new LinkedHashMap<>(r.<String, Long>getJavaMap(r.fieldIndex("output_versions"))),
          r.getAs("runs_read"),
          r.getAs("epochs_read"));
    }
  }

  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * How many of the audit's last commits are read for the last success before the table is scanned
   * instead: failed nightlies in a row.
   */
  private static final int COMMITS_READ = 50;

  /**
   * The last successful run, if there is one: from the audit's last commits when they are all
   * appends of ours (a few small files read on the driver, no Spark job), else from a scan of the
   * table (a user's DELETE or OPTIMIZE on it, an append by an earlier version, history cleaned).
   */
  static Optional<Succeeded> lastSucceeded(OutputTables output) {
    if (!output.exists(OutputTable.NIGHTLY_AUDIT)) return Optional.empty();
    Optional<Succeeded> told = fromCommits(output);
    if (told != null) {
      LOG.info(
          "Last successful nightly: {} (from the audit's last commits)",
          told.map(Succeeded::jobId).orElse("none"));
      return told;
    }
    LOG.info(
        "Last successful nightly: read from a scan of the audit (its last commits are not all audit appends)");
    return output
        .read(OutputTable.NIGHTLY_AUDIT)
        .where(col("status").equalTo("SUCCEEDED"))
        .orderBy(col("ended_at").desc())
        .limit(1)
        .collectAsList()
        .stream()
        .findFirst()
        .map(Succeeded::of);
  }

  /**
   * The last success as the audit's commits, newest first, tell it; null when they cannot: a commit
   * that is not an audit append of ours, or none readable. Each commit file holds a {@code
   * commitInfo} action with the writer's {@code userMetadata} (Delta protocol).
   */
  private static Optional<Succeeded> fromCommits(OutputTables output) {
    DeltaTable audit = output.delta(OutputTable.NIGHTLY_AUDIT);
    DeltaLog log = audit.deltaLog();
    long latest = DeltaHead.of(audit).version();
    try {
      FileSystem fs =
          log.logPath().getFileSystem(output.spark().sparkContext().hadoopConfiguration());
      for (long v = latest; v >= 0 && v > latest - COMMITS_READ; v--) {
        JsonNode told = userMetadata(fs, new Path(log.logPath(), String.format("%020d.json", v)));
        if (told == null || !told.has(Succeeded.MARKER)) return null;
        if ("SUCCEEDED".equals(told.path("status").asText()))
          return Optional.of(Succeeded.of(told));
      }
      return latest < COMMITS_READ ? Optional.empty() : null;
    } catch (IOException e) { // a commit file cleaned up or unreadable: the scan tells
      return null;
    }
  }

  /** The commit's {@code commitInfo.userMetadata} parsed as JSON, or null when it has none. */
  private static JsonNode userMetadata(FileSystem fs, Path commit) throws IOException {
    try (BufferedReader in =
        new BufferedReader(new InputStreamReader(fs.open(commit), StandardCharsets.UTF_8))) {
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        JsonNode action = JSON.readTree(line);
        if (!action.has("commitInfo")) continue;
        JsonNode meta = action.get("commitInfo").get("userMetadata");
        if (meta == null || !meta.isTextual()) return null;
        try {
          return JSON.readTree(meta.asText());
        } catch (JsonProcessingException e) { // someone else's metadata
          return null;
        }
      }
      return null;
    }
  }

  /**
   * Whether the telemetry has the fingerprint it had for run {@code last} (null: cannot be told)
   * and the output tables are still at the versions that run left: then there is nothing to do.
   */
  static boolean leftAsIs(OutputTables output, Succeeded last, String inputFingerprint) {
    return inputFingerprint != null
        && inputFingerprint.equals(last.inputFingerprint())
        && outputVersions(output).equals(last.outputVersions());
  }

  /** The current Delta version of each output table there is (the audit aside). */
  static Map<String, Long> outputVersions(OutputTables output) {
    return output.versions(OutputTable.AUDITED);
  }
}
