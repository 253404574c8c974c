package io.neuroscope.jobs;

import io.neuroscope.diagnostics.Settings;
import io.neuroscope.jobs.summary.ExperimentSummary;
import io.neuroscope.jobs.summary.HyperparameterEffects;
import io.neuroscope.jobs.summary.RunSummary;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
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
 * small), so a rerun on the same input writes the same content.
 */
public final class SummariesJob {
  private static final Logger LOG = LoggerFactory.getLogger(SummariesJob.class);
  public static final List<String> TABLES = List.of("run_summary", "experiment_summary", "hyperparameter_effects");

  public record Result(long runs, long experimentRows, long effectRows, double summarySeconds, double effectSeconds) {}

  private SummariesJob() {}

  public static Result run(SparkSession spark, Telemetry telemetry, String output, Settings settings) {
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    jsc.setJobGroup("neuroscope-summaries", "NeuroScope summaries and effects for " + output, false);
    long started = System.nanoTime();
    String diagnosticsPath = output + "/diagnostics";
    if (!io.delta.tables.DeltaTable.isDeltaTable(spark, diagnosticsPath)) {
      throw new IllegalArgumentException("no diagnostics table at " + diagnosticsPath
          + " (run bin/neuroscope diagnostics or nightly first)");
    }
    Dataset<Row> diagnostics = spark.read().format("delta").load(diagnosticsPath);
    Validation v = new Validation(telemetry);
    LOG.info("Summaries: reading {} and the telemetry's runs and epochs from {}", diagnosticsPath, telemetry.source());
    Dataset<Row> runs = v.checkedRuns.where(functions.col("reason").isNull());

    jsc.setJobDescription("run_summary");
    Dataset<Row> perDiagnostic = RunSummary.perDiagnostic(diagnostics).persist(StorageLevel.MEMORY_AND_DISK());
    Dataset<Row> runSummary = RunSummary.build(perDiagnostic, runs, v.epochs).persist(StorageLevel.MEMORY_AND_DISK());
    long runCount = write(runSummary, output + "/run_summary");
    jsc.setJobDescription("experiment_summary");
    List<String> seeds = Arrays.stream(settings.string("summary.seed_params").split(","))
        .map(String::trim).filter(s -> !s.isEmpty()).toList();
    long experimentRows = write(ExperimentSummary.build(perDiagnostic, runSummary, seeds), output + "/experiment_summary");
    double summarySeconds = (System.nanoTime() - started) / 1e9;
    LOG.info("Summaries: {} runs -> {}/run_summary, {} rows -> {}/experiment_summary ({} s)", runCount, output,
        experimentRows, output, String.format(Locale.ROOT, "%.1f", summarySeconds));

    jsc.setJobDescription("hyperparameter_effects");
    long effectsStarted = System.nanoTime();
    long effectRows = write(HyperparameterEffects.build(spark, runSummary, settings), output + "/hyperparameter_effects");
    double effectSeconds = (System.nanoTime() - effectsStarted) / 1e9;
    LOG.info("Hyperparameter effects: {} rows -> {}/hyperparameter_effects ({} s)", effectRows, output,
        String.format(Locale.ROOT, "%.1f", effectSeconds));
    perDiagnostic.unpersist();
    runSummary.unpersist();
    jsc.clearJobGroup();
    return new Result(runCount, experimentRows, effectRows, summarySeconds, effectSeconds);
  }

  /** Replaces the table's content (one file: these tables are small) and returns its row count. */
  private static long write(Dataset<Row> rows, String path) {
    long started = System.nanoTime();
    Dataset<Row> cached = rows.persist(StorageLevel.MEMORY_AND_DISK());
    try {
      long n = cached.count();
      long computed = System.nanoTime();
      // replacing the content is safe to repeat: a commit conflict with a concurrent run is retried
      DeltaCommits.retry(path, () -> {
        cached.coalesce(1).write().format("delta").mode("overwrite").option("overwriteSchema", "true").save(path);
        return null;
      });
      LOG.info("{}: {} rows computed in {} s, written in {} s", path, n,
          String.format(Locale.ROOT, "%.1f", (computed - started) / 1e9),
          String.format(Locale.ROOT, "%.1f", (System.nanoTime() - computed) / 1e9));
      return n;
    } finally {
      cached.unpersist();
    }
  }
}
