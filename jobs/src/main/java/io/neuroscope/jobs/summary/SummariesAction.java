package io.neuroscope.jobs.summary;

import io.neuroscope.diagnostics.Diagnostics;
import io.neuroscope.diagnostics.Settings;
import io.neuroscope.findings.FindingRules;
import io.neuroscope.jobs.action.Action;
import io.neuroscope.jobs.action.Outcome;
import io.neuroscope.jobs.action.Scope;
import io.neuroscope.jobs.error.NeuroScopeErrors;
import io.neuroscope.jobs.spark.Elapsed;
import io.neuroscope.jobs.spark.JobScope;
import io.neuroscope.jobs.table.DeltaCommits;
import io.neuroscope.jobs.table.KeyedMerge;
import io.neuroscope.jobs.table.OutputTable;
import io.neuroscope.jobs.table.OutputTables;
import io.neuroscope.jobs.telemetry.ValidatedTelemetry;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.storage.StorageLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The summaries and the hyperparameter effects over an existing {@code OUTPUT/diagnostics} table
 * and the telemetry's sound {@code runs} and {@code epochs}: {@code run_summary}, {@code
 * experiment_summary} and {@code hyperparameter_effects}, each replaced whole (they are small), so
 * a rerun on the same input writes the same content. After an incremental diagnostics run, only the
 * changed runs' {@code run_summary} rows are computed and merged; the other two tables, which
 * compare runs, are computed again from the whole {@code run_summary}.
 */
public final class SummariesAction implements Action<SummariesAction.Result> {
  private static final Logger LOG = LoggerFactory.getLogger(SummariesAction.class);

  /**
   * @param runs run_summary rows computed (all of them, or the changed runs')
   * @param experimentRows experiment_summary rows
   * @param effectRows hyperparameter_effects rows
   * @param forestsFitted forests fitted for the effects
   * @param forestsReused forests taken from the last run, fitted there on the same input
   */
  public record Result(
      Outcome outcome,
      long runs,
      long experimentRows,
      long effectRows,
      double summarySeconds,
      double effectSeconds,
      int forestsFitted,
      int forestsReused)
      implements Action.Result {

    /** Nothing changed: the tables were left as they were. */
    public static Result skipped() {
      return new Result(Outcome.SKIPPED, 0, 0, 0, 0, 0, 0, 0);
    }
  }

  private final ValidatedTelemetry telemetry;
  private final OutputTables output;
  private final Settings settings;
  private final Scope scope;

  /**
   * @param scope every run, or the runs whose diagnostics or params changed since the tables were
   *     written; with none changed and the tables there, nothing is done
   */
  public SummariesAction(
      ValidatedTelemetry telemetry, OutputTables output, Settings settings, Scope scope) {
    this.telemetry = telemetry;
    this.output = output;
    this.settings = settings;
    this.scope = scope;
  }

  @Override
  public Result execute() {
    boolean tablesThere = OutputTable.SUMMARIES.stream().allMatch(output::exists);
    // only some runs changed since the tables were written (those in the scope)
    boolean someRuns = tablesThere && !scope.isEverything();
    boolean incremental = someRuns;
    if (incremental && scope.isEmpty()) {
      LOG.info("Summaries: no run changed; {} left as they are", OutputTable.SUMMARIES);
      return Result.skipped();
    }
    SparkSession spark = output.spark();
    long started = System.nanoTime();
    if (!output.exists(OutputTable.DIAGNOSTICS)) {
      throw NeuroScopeErrors.missingOutputTable(
          "diagnostics",
          output.path(OutputTable.DIAGNOSTICS),
          "run bin/neuroscope diagnostics or nightly first");
    }
    try (JobScope job =
        JobScope.open(
            spark, "neuroscope-summaries", "NeuroScope summaries and effects for " + output)) {
      Dataset<Row> diagnostics = output.read(OutputTable.DIAGNOSTICS);
      ValidatedTelemetry v = telemetry;
      LOG.info(
          "Summaries: reading {} and the telemetry's runs and epochs from {}",
          output.path(OutputTable.DIAGNOSTICS),
          v.telemetry.source());
      Dataset<Row> runs = v.checkedRuns.where(functions.col("reason").isNull());

      job.step("findings");
      Findings.register(spark, FindingRules.of(settings));
      // null: every experiment's effects are computed again
      Set<String> rejudged = null;
      Dataset<Row> only = null;
      // the scope's changed runs, as (run_id); null when every run is in scope
      Dataset<Row> changed =
          someRuns
              ? spark.createDataset(List.copyOf(scope.runs()), Encoders.STRING()).toDF("run_id")
              : null;
      if (incremental) {
        rejudged = experimentsToJudge(runs, changed);
        only = job.persist(runsOf(runs, rejudged, changed));
        long judged = only.count();
        long all = runs.count();
        if (judged * 2 >= all) {
          // Measured on the 10,000-run loss archive with every experiment touched: merging the
          // findings and run_summary of every run cost 39 s, writing them whole 22 s. Same rows.
          LOG.info(
              "Summaries: {} of {} runs are to be judged again; written whole rather than merged",
              judged,
              all);
          incremental = false;
          rejudged = null;
        }
      }
      Dataset<Row> perDiagnostic;
      Dataset<Row> runSummary;
      long runCount;
      long findingRows;
      if (!incremental) {
        Dataset<Row> findings = job.persist(Findings.build(diagnostics, v.epochs));
        findingRows = write(findings, output.path(OutputTable.FINDINGS));
        job.step("run_summary");
        Dataset<Row> before = someRuns ? output.read(OutputTable.RUN_SUMMARY) : null;
        if (before != null && RunSummary.hasWideColumns(before)) {
          // Written whole, but only the changed runs' diagnostics rows are aggregated again: a run
          // whose rows did not change has the same per-diagnostic columns as its run_summary row
          // (its findings, losses and params are joined afresh). Checkpointed because its plan
          // reads run_summary, which the write replaces. The checkpoint runs the query (adaptive
          // execution plans it by running its stages), so the step is timed here: the write's
          // "computed in" is only the count of the checkpointed rows.
          long stepStarted = System.nanoTime();
          runSummary =
              RunSummary.fromWide(
                      RunSummary.wide(
                              RunSummary.perDiagnostic(
                                  diagnostics.join(functions.broadcast(changed), "run_id")))
                          .unionByName(
                              RunSummary.wideOf(
                                  before.join(
                                      functions.broadcast(changed),
                                      new String[] {"run_id"},
                                      "left_anti"))),
                      runs,
                      v.epochs,
                      Findings.perRun(findings))
                  .localCheckpoint(false);
          LOG.info(
              "run_summary: {} changed runs grouped from diagnostics, the others read back from"
                  + " their rows, in {} s",
              scope.runs().size(),
              Elapsed.since(stepStarted));
          perDiagnostic = job.persist(unpivot(runSummary));
        } else {
          perDiagnostic = job.persist(RunSummary.perDiagnostic(diagnostics));
          runSummary =
              job.persist(
                  RunSummary.build(perDiagnostic, runs, v.epochs, Findings.perRun(findings)));
        }
        runCount = write(runSummary, output.path(OutputTable.RUN_SUMMARY));
      } else {
        Dataset<Row> findings =
            job.persist(
                Findings.build(diagnostics.join(only, "run_id"), v.epochs.join(only, "run_id")));
        findingRows = replaceRuns(OutputTable.FINDINGS, findings, only, output);
        job.step("run_summary");
        Dataset<Row> changedDiagnostics =
            RunSummary.perDiagnostic(diagnostics.join(only, "run_id"));
        runCount =
            replaceRuns(
                OutputTable.RUN_SUMMARY,
                RunSummary.build(
                    changedDiagnostics,
                    runs.join(only, "run_id"),
                    v.epochs.join(only, "run_id"),
                    Findings.perRun(findings)),
                only,
                output);
        runSummary = job.persist(output.read(OutputTable.RUN_SUMMARY));
        perDiagnostic = job.persist(unpivot(runSummary));
      }
      LOG.info(
          "Findings: {} rows for the runs judged -> {}",
          findingRows,
          output.path(OutputTable.FINDINGS));
      job.step("experiment_summary");
      List<String> seeds =
          Arrays.stream(settings.string("summary.seed_params").split(","))
              .map(String::trim)
              .filter(s -> !s.isEmpty())
              .toList();
      long experimentRows =
          write(
              ExperimentSummary.build(perDiagnostic, runSummary, seeds),
              output.path(OutputTable.EXPERIMENT_SUMMARY));
      double summarySeconds = (System.nanoTime() - started) / 1e9;
      LOG.info(
          "Summaries: {} runs -> {}, {} rows -> {} ({} s)",
          runCount,
          output.path(OutputTable.RUN_SUMMARY),
          experimentRows,
          output.path(OutputTable.EXPERIMENT_SUMMARY),
          Elapsed.seconds(summarySeconds));

      job.step("hyperparameter_effects");
      long effectsStarted = System.nanoTime();
      // a nightly's summaries take unchanged forests from the last run; everything asked for (or
      // settings changed) fits them all
      ForestMemo memo = scope.isEverything() ? ForestMemo.empty() : ForestMemo.read(output);
      Dataset<Row> effects;
      if (rejudged == null) {
        effects = HyperparameterEffects.build(spark, runSummary, settings, e -> true, memo);
      } else {
        // an experiment none of whose runs changed has the same run_summary rows, so the same
        // effects (its forests fold its runs by id with a fixed seed): its rows are kept. (A null
        // in an IN list would make NOT IN null for every other scope and drop them all.)
        Set<String> recomputed = rejudged;
        LOG.info(
            "Hyperparameter effects: scope all and {} experiments computed again, the others kept",
            recomputed.size());
        effects =
            HyperparameterEffects.build(spark, runSummary, settings, recomputed::contains, memo)
                .unionByName(
                    output
                        .read(OutputTable.HYPERPARAMETER_EFFECTS)
                        .where(
                            functions
                                .col("scope_type")
                                .equalTo("experiment")
                                .and(
                                    functions.not(
                                        functions
                                            .col("scope")
                                            .isin(
                                                recomputed.stream()
                                                    .filter(Objects::nonNull)
                                                    .toArray())))));
      }
      long effectRows = write(effects, output.path(OutputTable.HYPERPARAMETER_EFFECTS));
      memo.write(output, rejudged != null);
      double effectSeconds = (System.nanoTime() - effectsStarted) / 1e9;
      LOG.info(
          "Hyperparameter effects: {} rows -> {} ({} s)",
          effectRows,
          output.path(OutputTable.HYPERPARAMETER_EFFECTS),
          Elapsed.seconds(effectSeconds));
      return new Result(
          incremental ? Outcome.COMPUTED_CHANGED : Outcome.COMPUTED_ALL,
          runCount,
          experimentRows,
          effectRows,
          summarySeconds,
          effectSeconds,
          memo.fitted(),
          memo.reused());
    }
  }

  /**
   * The experiments whose runs are judged again: a run's findings depend on its experiment's
   * cohort, so every experiment a changed run is in, now or before (as run_summary has it), counts.
   * A run without an experiment is the null entry.
   */
  private Set<String> experimentsToJudge(Dataset<Row> runs, Dataset<Row> runIds) {
    Dataset<Row> changed = functions.broadcast(runIds);
    Set<String> out = new HashSet<>();
    for (Row r :
        runs.join(changed, "run_id")
            .select("experiment")
            .union(
                output.read(OutputTable.RUN_SUMMARY).join(changed, "run_id").select("experiment"))
            .distinct()
            .collectAsList()) out.add(r.getString(0));
    return out;
  }

  /** The run_ids of the changed runs and of every run in the given experiments. */
  private static Dataset<Row> runsOf(
      Dataset<Row> runs, Set<String> experiments, Dataset<Row> changed) {
    Column in =
        functions.col("experiment").isin(experiments.stream().filter(Objects::nonNull).toArray());
    if (experiments.contains(null)) in = in.or(functions.col("experiment").isNull());
    return runs.where(in).select("run_id").union(changed).distinct();
  }

  /**
   * Replaces the rows of the runs in {@code only} in {@code table} with {@code rows}: matched rows
   * updated, new ones inserted, and those runs' rows that {@code rows} no longer has (a finding
   * that no longer holds, a run gone from the telemetry) deleted. Returns how many rows the runs
   * have now.
   */
  private static long replaceRuns(
      OutputTable table, Dataset<Row> rows, Dataset<Row> only, OutputTables output) {
    String path = output.path(table);
    String[] key = table.key().toArray(String[]::new);
    Dataset<Row> theirs = output.read(table).join(only, "run_id");
    Dataset<Row> gone =
        theirs
            .join(
                rows.select(table.key().stream().map(functions::col).toArray(Column[]::new)),
                key,
                "left_anti")
            .select(Arrays.stream(rows.columns()).map(functions::col).toArray(Column[]::new));
    Dataset<Row> source = KeyedMerge.source(rows, gone);
    long n = source.where(functions.not(functions.col(KeyedMerge.GONE))).count();
    DeltaCommits.retry(
        "merge into " + path, () -> KeyedMerge.execute(output, table, source, theirs));
    LOG.info("{}: rows of {} runs replaced ({} rows)", path, only.count(), n);
    return n;
  }

  /**
   * The (run_id, diagnostic, status, final) rows of {@link RunSummary#perDiagnostic}, read back
   * from run_summary.
   */
  private static Dataset<Row> unpivot(Dataset<Row> runSummary) {
    Dataset<Row> out = null;
    for (String d : Diagnostics.names()) {
      Dataset<Row> one =
          runSummary
              .select(
                  functions.col("run_id"),
                  functions.lit(d).as("diagnostic"),
                  functions.col(d + "_status").as("status"),
                  functions.col(d + "_final").as("final"))
              .where(
                  functions
                      .col("status")
                      .isNotNull()); // as perDiagnostic: no row where the run has none
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
      DeltaCommits.replace(cached, path);
      LOG.info(
          "{}: {} rows computed in {} s, written in {} s",
          path,
          n,
          Elapsed.seconds((computed - started) / 1e9),
          Elapsed.since(computed));
      return n;
    } finally {
      if (ours) cached.unpersist();
    }
  }
}
