package io.neuroscope.jobs.summary;

import io.neuroscope.jobs.spark.Elapsed;
import io.neuroscope.jobs.table.DeltaCommits;
import io.neuroscope.jobs.telemetry.Telemetry;
import io.neuroscope.jobs.telemetry.ValidatedTelemetry;
import io.delta.tables.DeltaTable;
import io.neuroscope.diagnostics.Diagnostics;
import io.neuroscope.diagnostics.Settings;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.storage.StorageLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The summaries and the hyperparameter effects over an existing {@code OUTPUT/diagnostics} table and
 * the telemetry's sound {@code runs} and {@code epochs}: {@code run_summary},
 * {@code experiment_summary} and {@code hyperparameter_effects}, each replaced whole (they are
 * small), so a rerun on the same input writes the same content. After an incremental diagnostics run,
 * only the changed runs' {@code run_summary} rows are computed and merged; the other two tables,
 * which compare runs, are computed again from the whole {@code run_summary}.
 */
public final class SummariesAction {
  private static final Logger LOG = LoggerFactory.getLogger(SummariesAction.class);
  public static final List<String> TABLES = List.of("run_summary", "experiment_summary", "hyperparameter_effects");

  public record Result(long runs, long experimentRows, long effectRows, double summarySeconds, double effectSeconds) {}

  private SummariesAction() {}

  public static Result run(SparkSession spark, Telemetry telemetry, String output, Settings settings) {
    return run(spark, telemetry, output, settings, null);
  }

  /**
   * @param changedRuns the runs whose diagnostics or params changed since the tables were written, or
   *     null to compute every run's summary; with none changed and the tables there, nothing is done
   */
  public static Result run(SparkSession spark, Telemetry telemetry, String output, Settings settings,
      Set<String> changedRuns) {
    boolean tablesThere = TABLES.stream().allMatch(t -> DeltaTable.isDeltaTable(spark, output + "/" + t));
    Set<String> changed = tablesThere ? changedRuns : null;
    if (changed != null && changed.isEmpty()) {
      LOG.info("Summaries: no run changed; {} left as they are", TABLES);
      return new Result(0, 0, 0, 0, 0);
    }
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    jsc.setJobGroup("neuroscope-summaries", "NeuroScope summaries and effects for " + output, false);
    long started = System.nanoTime();
    String diagnosticsPath = output + "/diagnostics";
    if (!DeltaTable.isDeltaTable(spark, diagnosticsPath)) {
      throw new IllegalArgumentException("no diagnostics table at " + diagnosticsPath
          + " (run bin/neuroscope diagnostics or nightly first)");
    }
    Dataset<Row> diagnostics = spark.read().format("delta").load(diagnosticsPath);
    ValidatedTelemetry v = new ValidatedTelemetry(telemetry);
    LOG.info("Summaries: reading {} and the telemetry's runs and epochs from {}", diagnosticsPath, telemetry.source());
    Dataset<Row> runs = v.checkedRuns.where(functions.col("reason").isNull());

    jsc.setJobDescription("run_summary");
    Dataset<Row> perDiagnostic;
    Dataset<Row> runSummary;
    long runCount;
    if (changed == null) {
      perDiagnostic = RunSummary.perDiagnostic(diagnostics).persist(StorageLevel.MEMORY_AND_DISK());
      runSummary = RunSummary.build(perDiagnostic, runs, v.epochs).persist(StorageLevel.MEMORY_AND_DISK());
      runCount = write(runSummary, output + "/run_summary");
    } else {
      Dataset<Row> only = functions.broadcast(spark.createDataset(List.copyOf(changed), Encoders.STRING()).toDF("run_id"));
      Dataset<Row> changedDiagnostics = RunSummary.perDiagnostic(diagnostics.join(only, "run_id"));
      runCount = merge(RunSummary.build(changedDiagnostics, runs.join(only, "run_id"), v.epochs.join(only, "run_id")),
          output + "/run_summary");
      runSummary = spark.read().format("delta").load(output + "/run_summary").persist(StorageLevel.MEMORY_AND_DISK());
      perDiagnostic = unpivot(runSummary).persist(StorageLevel.MEMORY_AND_DISK());
    }
    try {
      jsc.setJobDescription("experiment_summary");
      List<String> seeds = Arrays.stream(settings.string("summary.seed_params").split(","))
          .map(String::trim).filter(s -> !s.isEmpty()).toList();
      long experimentRows = write(ExperimentSummary.build(perDiagnostic, runSummary, seeds),
          output + "/experiment_summary");
      double summarySeconds = (System.nanoTime() - started) / 1e9;
      LOG.info("Summaries: {} runs -> {}/run_summary, {} rows -> {}/experiment_summary ({} s)", runCount, output,
          experimentRows, output, Elapsed.seconds(summarySeconds));

      jsc.setJobDescription("hyperparameter_effects");
      long effectsStarted = System.nanoTime();
      long effectRows = write(HyperparameterEffects.build(spark, runSummary, settings),
          output + "/hyperparameter_effects");
      double effectSeconds = (System.nanoTime() - effectsStarted) / 1e9;
      LOG.info("Hyperparameter effects: {} rows -> {}/hyperparameter_effects ({} s)", effectRows, output,
          Elapsed.seconds(effectSeconds));
      return new Result(runCount, experimentRows, effectRows, summarySeconds, effectSeconds);
    } finally { // a failed write leaves nothing cached in a long-lived session
      perDiagnostic.unpersist();
      runSummary.unpersist();
      jsc.clearJobGroup();
    }
  }

  /** Merges the changed runs' rows into run_summary by run_id; returns how many. */
  private static long merge(Dataset<Row> rows, String path) {
    Dataset<Row> cached = rows.persist(StorageLevel.MEMORY_AND_DISK());
    try {
      long n = cached.count();
      DeltaCommits.retry("merge into " + path, () -> {
        DeltaTable.forPath(cached.sparkSession(), path).as("t").merge(cached.as("s"), "t.run_id = s.run_id")
            .whenMatched().updateAll().whenNotMatched().insertAll().execute();
      });
      LOG.info("{}: {} changed runs merged", path, n);
      return n;
    } finally {
      cached.unpersist();
    }
  }

  /** The (run_id, diagnostic, status, final) rows of {@link RunSummary#perDiagnostic}, read back from run_summary. */
  private static Dataset<Row> unpivot(Dataset<Row> runSummary) {
    Dataset<Row> out = null;
    for (String d : Diagnostics.names()) {
      Dataset<Row> one = runSummary.select(functions.col("run_id"), functions.lit(d).as("diagnostic"),
          functions.col(d + "_status").as("status"), functions.col(d + "_final").as("final"))
          .where(functions.col("status").isNotNull()); // as perDiagnostic: no row where the run has none
      out = out == null ? one : out.unionByName(one);
    }
    return out;
  }

  /** Replaces the table's content (one file: these tables are small) and returns its row count. */
  private static long write(Dataset<Row> rows, String path) {
    long started = System.nanoTime();
    // a caller's cache (run_summary's, read again by the effects) is left to the caller
    boolean ours = rows.storageLevel().equals(StorageLevel.NONE());
    Dataset<Row> cached = ours ? rows.persist(StorageLevel.MEMORY_AND_DISK()) : rows;
    try {
      long n = cached.count();
      long computed = System.nanoTime();
      // replacing the content is safe to repeat: a commit conflict with a concurrent run is retried
      DeltaCommits.retry(path, () -> {
        cached.coalesce(1).write().format("delta").mode("overwrite").option("overwriteSchema", "true").save(path);
      });
      LOG.info("{}: {} rows computed in {} s, written in {} s", path, n,
          Elapsed.seconds((computed - started) / 1e9),
          Elapsed.since(computed));
      return n;
    } finally {
      if (ours) cached.unpersist();
    }
  }
}
