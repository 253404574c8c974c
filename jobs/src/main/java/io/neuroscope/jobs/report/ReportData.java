package io.neuroscope.jobs.report;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.when;

import io.neuroscope.diagnostics.Diagnostics;
import io.neuroscope.diagnostics.Status;
import io.neuroscope.jobs.error.NeuroScopeErrors;
import io.neuroscope.jobs.spark.Elapsed;
import io.neuroscope.jobs.spark.JobScope;
import io.neuroscope.jobs.summary.RunSummary;
import io.neuroscope.jobs.table.OutputTable;
import io.neuroscope.jobs.table.OutputTables;
import io.neuroscope.jobs.table.TableFolders;
import io.neuroscope.jobs.telemetry.TelemetryContract;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the report shows, read from the output tables (and the telemetry's {@code epochs} and {@code
 * runs}, when given) into plain Java values. Only small, aggregated results are collected to the
 * driver: one row per run and diagnostic, the epochs of the runs shown in detail, and the effects.
 */
public final class ReportData {
  private static final Logger LOG = LoggerFactory.getLogger(ReportData.class);

  /** Status names by {@link Status#severity()}: UNKNOWN, HEALTHY, WARNING, CRITICAL. */
  static final List<String> STATUSES =
      java.util.stream.IntStream.rangeClosed(0, Status.CRITICAL.severity())
          .mapToObj(i -> Status.ofSeverity(i).name())
          .toList();

  static final int HEALTHY = Status.HEALTHY.severity();
  static final int WARNING = Status.WARNING.severity();
  static final int CRITICAL = Status.CRITICAL.severity();

  /**
   * One diagnostic of one run over its epochs (network level): its worst status and when it first
   * warned.
   */
  record Verdict(int worst, Integer firstWarning, Integer firstCritical) {}

  /**
   * A run: its verdicts by diagnostic, and what the summaries or the telemetry say of its losses
   * and params.
   */
  record RunHealth(
      String runId,
      String experiment,
      int epochs,
      Map<String, Verdict> verdicts,
      Double finalValLoss,
      Double bestValLoss,
      Map<String, String> params) {
    int health() {
      return verdicts.values().stream().mapToInt(Verdict::worst).max().orElse(0);
    }

    List<String> withStatus(int status) {
      return Diagnostics.names().stream()
          .filter(d -> verdicts.containsKey(d) && verdicts.get(d).worst() == status)
          .toList();
    }

    Integer firstCritical() {
      return verdicts.values().stream()
          .map(Verdict::firstCritical)
          .filter(e -> e != null)
          .min(Integer::compare)
          .orElse(null);
    }
  }

  /**
   * Sickest first: health, then the number of CRITICAL diagnostics, of WARNING ones, the earliest
   * CRITICAL epoch.
   */
  static final Comparator<RunHealth> SICKEST_FIRST =
      Comparator.comparingInt((RunHealth r) -> -r.health())
          .thenComparingInt(r -> -r.withStatus(CRITICAL).size())
          .thenComparingInt(r -> -r.withStatus(WARNING).size())
          .thenComparing(RunHealth::firstCritical, Comparator.nullsLast(Comparator.naturalOrder()))
          .thenComparing(RunHealth::runId);

  /** One epoch of one run (network level, or one layer): status code and value per diagnostic. */
  record Cell(int epoch, int status, double value) {}

  /**
   * A run's network-level series: diagnostic -> epoch -> cell; and its losses per epoch (empty
   * without telemetry).
   */
  record RunSeries(
      String runId,
      Map<String, TreeMap<Integer, Cell>> diagnostics,
      TreeMap<Integer, double[]> losses) {}

  /** The layers of one diagnostic in one run: layer -> epoch -> cell. */
  record LayerMap(
      String runId,
      String diagnostic,
      Verdict verdict,
      TreeMap<Integer, TreeMap<Integer, Cell>> layers) {}

  /** One row of {@code hyperparameter_effects} with its statistics (reason null). */
  record Effect(
      String scopeType,
      String scope,
      String hyperparameter,
      String kind,
      String scale,
      String target,
      String measure,
      long n,
      double strength,
      Double pearson,
      Double pearsonP,
      Double spearman,
      Double spearmanP,
      Double spearmanLow,
      Double spearmanHigh,
      Double etaSquared,
      Double omegaSquared,
      Double anovaP,
      Double importance,
      Double forestR2) {}

  /**
   * One row of {@code findings}: a problem a run had, in words. A cause stands alone; a symptom
   * names the problem that explains it ({@code explainedBy}).
   */
  record Finding(
      String problem,
      String severity,
      int onsetEpoch,
      Integer onsetLayer,
      int lastEpoch,
      String role,
      String explainedBy,
      String summary) {
    boolean isCause() {
      return !"symptom".equals(role);
    }
  }

  /**
   * A run's verdict (HEALTHY, WARNING or CRITICAL: the worst severity of its findings) and its
   * findings, causes first, each group by onset.
   */
  record RunVerdict(String runId, String experiment, String verdict, List<Finding> findings) {
    int rank() {
      return Status.valueOf(verdict).severity();
    }

    List<Finding> causes() {
      return findings.stream().filter(Finding::isCause).toList();
    }

    /** The symptoms explained by {@code cause}. */
    List<Finding> symptomsOf(String cause) {
      return findings.stream().filter(f -> !f.isCause() && cause.equals(f.explainedBy())).toList();
    }

    /** The symptoms whose cause is not among the run's findings (none when the table is whole). */
    List<Finding> unexplained() {
      Set<String> causes = new HashSet<>();
      causes().forEach(f -> causes.add(f.problem()));
      return findings.stream()
          .filter(f -> !f.isCause() && !causes.contains(f.explainedBy()))
          .toList();
    }

    /** The earliest onset of its findings, null without any. */
    Integer since() {
      return findings.stream().map(Finding::onsetEpoch).min(Integer::compare).orElse(null);
    }
  }

  final List<RunHealth> runs;
  final List<RunSeries> details;
  final Map<String, List<LayerMap>> layerMaps;
  final List<Effect> effects;
  final boolean hasEffectsTable;
  final boolean hasTelemetry;

  /**
   * Every run's verdict, sickest first (CRITICAL, WARNING, HEALTHY; then as {@link #runs}); empty
   * when there is no {@code findings} table ({@link #hasFindings}).
   */
  final List<RunVerdict> verdicts;

  final boolean hasFindings;

  ReportData(
      List<RunHealth> runs,
      List<RunSeries> details,
      Map<String, List<LayerMap>> layerMaps,
      List<Effect> effects,
      boolean hasEffectsTable,
      boolean hasTelemetry,
      List<RunVerdict> verdicts,
      boolean hasFindings) {
    this.runs = runs;
    this.details = details;
    this.layerMaps = layerMaps;
    this.effects = effects;
    this.hasEffectsTable = hasEffectsTable;
    this.hasTelemetry = hasTelemetry;
    this.verdicts = verdicts;
    this.hasFindings = hasFindings;
  }

  static ReportData read(
      SparkSession spark, String output, String telemetry, HtmlReport.Options options) {
    OutputTables out = OutputTables.at(spark, output);
    try (JobScope job =
        JobScope.open(spark, "neuroscope-report", "NeuroScope report of " + output)) {
      Dataset<Row> diagnostics =
          out.readIfExists(OutputTable.DIAGNOSTICS)
              .orElseThrow(
                  () ->
                      NeuroScopeErrors.missingOutputTable(
                          "diagnostics",
                          out.path(OutputTable.DIAGNOSTICS),
                          "run bin/neuroscope nightly or diagnostics first"))
              .select(
                  col("experiment"),
                  col("run_id"),
                  col("epoch"),
                  col("layer"),
                  col("diagnostic"),
                  col("value"),
                  RunSummary.severity(col("status")).as("rank"));
      diagnostics = job.persist(diagnostics); // read by five queries below
      Optional<Dataset<Row>> summary = out.readIfExists(OutputTable.RUN_SUMMARY);
      Optional<Dataset<Row>> epochs =
          telemetry == null
              ? Optional.empty()
              : telemetryTable(spark, telemetry, TelemetryContract.EPOCHS);
      Optional<Dataset<Row>> runsTable =
          telemetry == null
              ? Optional.empty()
              : telemetryTable(spark, telemetry, TelemetryContract.RUNS);

      long started = System.nanoTime();
      List<RunHealth> runs = runHealth(diagnostics, summary, epochs, runsTable);
      runs.sort(SICKEST_FIRST);
      LOG.info("Report: {} runs' health read ({} s)", runs.size(), Elapsed.since(started));
      long step = System.nanoTime();
      List<String> detailed =
          runs.stream().limit(options.detailedRuns()).map(RunHealth::runId).toList();
      List<RunSeries> details = series(diagnostics, epochs, detailed);
      LOG.info("Report: the epochs of {} runs read ({} s)", details.size(), Elapsed.since(step));
      step = System.nanoTime();
      Map<String, List<LayerMap>> layerMaps = layerMaps(diagnostics, options.layerRuns());
      LOG.info(
          "Report: layer maps of {} diagnostics read ({} s)",
          layerMaps.size(),
          Elapsed.since(step));
      step = System.nanoTime();
      Optional<Dataset<Row>> findingsTable = out.readIfExists(OutputTable.FINDINGS);
      List<RunVerdict> verdicts =
          findingsTable.map(f -> verdicts(f, summary, runs)).orElse(List.of());
      LOG.info(
          "Report: {} runs' verdicts read ({} s){}",
          verdicts.size(),
          Elapsed.since(step),
          findingsTable.isPresent() ? "" : ": no findings table");
      step = System.nanoTime();
      Optional<Dataset<Row>> effectsTable = out.readIfExists(OutputTable.HYPERPARAMETER_EFFECTS);
      List<Effect> effects = effectsTable.map(ReportData::effects).orElse(List.of());
      LOG.info(
          "Report: {} effects read ({} s); all read in {} s",
          effects.size(),
          Elapsed.since(step),
          Elapsed.since(started));
      return new ReportData(
          runs,
          details,
          layerMaps,
          effects,
          effectsTable.isPresent(),
          epochs.isPresent(),
          verdicts,
          findingsTable.isPresent());
    }
  }

  /**
   * The verdict and findings of each of {@code runs} (sickest first by the spec's statuses): the
   * verdict from {@code run_summary} where it has one, else the worst severity of the run's
   * findings (HEALTHY without any). Sorted CRITICAL, WARNING, HEALTHY, each in the order of {@code
   * runs}.
   */
  private static List<RunVerdict> verdicts(
      Dataset<Row> findings, Optional<Dataset<Row>> summary, List<RunHealth> runs) {
    Map<String, List<Finding>> byRun = new HashMap<>();
    for (Row r :
        findings
            .select(
                "run_id",
                "problem",
                "severity",
                "onset_epoch",
                "onset_layer",
                "last_epoch",
                "role",
                "explained_by",
                "summary")
            .collectAsList()) {
      byRun
          .computeIfAbsent(r.getString(0), k -> new ArrayList<>())
          .add(
              new Finding(
                  r.getString(1),
                  r.getString(2),
                  r.getInt(3),
                  r.isNullAt(4) ? null : r.getInt(4),
                  r.getInt(5),
                  r.getString(6),
                  r.getString(7),
                  r.getString(8)));
    }
    Map<String, String> stated = new HashMap<>();
    if (summary.isPresent() && List.of(summary.get().columns()).contains("verdict")) {
      for (Row r : summary.get().select("run_id", "verdict").collectAsList()) {
        if (!r.isNullAt(0) && !r.isNullAt(1)) stated.put(r.getString(0), r.getString(1));
      }
    }
    Comparator<Finding> causesFirst =
        Comparator.comparing((Finding f) -> !f.isCause())
            .thenComparingInt(Finding::onsetEpoch)
            .thenComparing(Finding::problem);
    List<RunVerdict> out = new ArrayList<>();
    for (RunHealth r : runs) {
      List<Finding> fs = new ArrayList<>(byRun.getOrDefault(r.runId(), List.of()));
      fs.sort(causesFirst);
      String verdict = stated.get(r.runId());
      if (verdict == null || !STATUSES.contains(verdict))
        verdict =
            io.neuroscope.findings.Verdict.ofSeverities(fs.stream().map(Finding::severity).toList())
                .name();
      out.add(new RunVerdict(r.runId(), r.experiment(), verdict, List.copyOf(fs)));
    }
    // stable: within a verdict, the order of runs (sickest first by the spec's statuses)
    out.sort(Comparator.comparingInt((RunVerdict v) -> -v.rank()));
    return out;
  }

  private static List<RunHealth> runHealth(
      Dataset<Row> diagnostics,
      Optional<Dataset<Row>> summary,
      Optional<Dataset<Row>> epochs,
      Optional<Dataset<Row>> runsTable) {
    List<Row> rows =
        diagnostics
            .where(col("layer").isNull())
            .groupBy("experiment", "run_id", "diagnostic")
            .agg(
                max("rank").as("worst"),
                min(when(col("rank").geq(WARNING), col("epoch"))).as("first_warning"),
                min(when(col("rank").equalTo(CRITICAL), col("epoch"))).as("first_critical"),
                count(lit(1)).as("epochs"))
            .collectAsList();
    Map<String, Map<String, Verdict>> verdicts = new LinkedHashMap<>();
    Map<String, String> experiments = new HashMap<>();
    Map<String, Integer> epochCount = new HashMap<>();
    for (Row r : rows) {
      String run = r.getAs("run_id");
      experiments.put(run, r.getAs("experiment"));
      epochCount.merge(run, (int) r.<Long>getAs("epochs").longValue(), Math::max);
      verdicts
          .computeIfAbsent(run, k -> new TreeMap<>())
          .put(
              r.getAs("diagnostic"),
              new Verdict(
                  r.<Integer>getAs("worst"), r.getAs("first_warning"), r.getAs("first_critical")));
    }
    // losses and params: from run_summary when the summaries ran, else from the telemetry
    Map<String, Double[]> losses = new HashMap<>();
    Map<String, Map<String, String>> params = new HashMap<>();
    if (summary.isPresent()) {
      for (Row r :
          summary
              .get()
              .select("run_id", "final_val_loss", "best_val_loss", "params")
              .collectAsList()) {
        losses.put(r.getString(0), new Double[] {nullable(r, 1), nullable(r, 2)});
        if (!r.isNullAt(3)) params.put(r.getString(0), new TreeMap<>(r.getJavaMap(3)));
      }
    } else if (epochs.isPresent()) {
      for (Row r :
          RunSummary.losses(epochs.get())
              .select("run_id", "final_val_loss", "best_val_loss")
              .collectAsList()) {
        losses.put(r.getString(0), new Double[] {nullable(r, 1), nullable(r, 2)});
      }
    }
    if (summary.isEmpty() && runsTable.isPresent()) {
      for (Row r : runsTable.get().select("run_id", "params").collectAsList()) {
        if (!r.isNullAt(0) && !r.isNullAt(1))
          params.put(r.getString(0), new TreeMap<>(r.getJavaMap(1)));
      }
    }
    List<RunHealth> out = new ArrayList<>();
    verdicts.forEach(
        (run, v) -> {
          Double[] l = losses.getOrDefault(run, new Double[2]);
          out.add(
              new RunHealth(
                  run,
                  experiments.get(run),
                  epochCount.get(run),
                  v,
                  l[0],
                  l[1],
                  params.getOrDefault(run, Map.of())));
        });
    return out;
  }

  private static List<RunSeries> series(
      Dataset<Row> diagnostics, Optional<Dataset<Row>> epochs, List<String> runs) {
    Map<String, Map<String, TreeMap<Integer, Cell>>> byRun = new HashMap<>();
    Object[] ids = runs.toArray();
    for (Row r :
        diagnostics
            .where(col("layer").isNull().and(col("run_id").isin(ids)))
            .select("run_id", "diagnostic", "epoch", "rank", "value")
            .collectAsList()) {
      byRun
          .computeIfAbsent(r.getString(0), k -> new TreeMap<>())
          .computeIfAbsent(r.getString(1), k -> new TreeMap<>())
          .put(
              r.getInt(2),
              new Cell(r.getInt(2), r.getInt(3), r.isNullAt(4) ? Double.NaN : r.getDouble(4)));
    }
    Map<String, TreeMap<Integer, double[]>> losses = new HashMap<>();
    epochs.ifPresent(
        e -> {
          for (Row r :
              e.where(col("run_id").isin(ids).and(col("epoch").isNotNull()))
                  .select("run_id", "epoch", "train_loss", "val_loss")
                  .collectAsList()) {
            losses
                .computeIfAbsent(r.getString(0), k -> new TreeMap<>())
                .putIfAbsent(
                    r.getInt(1),
                    new double[] {
                      r.isNullAt(2) ? Double.NaN : r.getDouble(2),
                      r.isNullAt(3) ? Double.NaN : r.getDouble(3)
                    });
          }
        });
    List<RunSeries> out = new ArrayList<>();
    for (String run : runs) {
      out.add(
          new RunSeries(
              run, byRun.getOrDefault(run, Map.of()), losses.getOrDefault(run, new TreeMap<>())));
    }
    return out;
  }

  /**
   * For each diagnostic with layer rows, the {@code perDiagnostic} runs sickest on it (worst status
   * over all its rows, network and layers; then the CRITICAL rows; then the earliest bad epoch),
   * among those at WARNING or worse.
   */
  private static Map<String, List<LayerMap>> layerMaps(
      Dataset<Row> diagnostics, int perDiagnostic) {
    List<Row> ranking =
        diagnostics
            .groupBy("run_id", "diagnostic")
            .agg(
                max("rank").as("worst"),
                count(when(col("rank").equalTo(CRITICAL), lit(1))).as("critical_rows"),
                min(when(col("rank").geq(WARNING), col("epoch"))).as("first_warning"),
                min(when(col("rank").equalTo(CRITICAL), col("epoch"))).as("first_critical"),
                count(col("layer")).as("layer_rows"))
            .where(col("layer_rows").gt(0).and(col("worst").geq(WARNING)))
            .collectAsList();
    Map<String, List<Row>> byDiagnostic = new TreeMap<>();
    for (Row r : ranking)
      byDiagnostic.computeIfAbsent(r.getAs("diagnostic"), k -> new ArrayList<>()).add(r);
    Map<String, List<String>> chosen = new LinkedHashMap<>();
    Map<String, Verdict> verdicts = new HashMap<>();
    Set<String> runs = new HashSet<>();
    for (String d : Diagnostics.names()) {
      List<Row> candidates = new ArrayList<>(byDiagnostic.getOrDefault(d, List.of()));
      candidates.sort(
          Comparator.comparingInt((Row r) -> -r.<Integer>getAs("worst"))
              .thenComparingLong(r -> -r.<Long>getAs("critical_rows"))
              .thenComparing(
                  (Row r) -> r.<Integer>getAs("first_warning"),
                  Comparator.nullsLast(Comparator.naturalOrder()))
              .thenComparing(r -> r.<String>getAs("run_id")));
      List<String> ids = new ArrayList<>();
      for (Row r : candidates.subList(0, Math.min(perDiagnostic, candidates.size()))) {
        String run = r.getAs("run_id");
        ids.add(run);
        runs.add(run);
        verdicts.put(
            run + "\u0000" + d,
            new Verdict(r.getAs("worst"), r.getAs("first_warning"), r.getAs("first_critical")));
      }
      chosen.put(d, ids);
    }
    Map<String, TreeMap<Integer, TreeMap<Integer, Cell>>> cells = new HashMap<>();
    if (!runs.isEmpty()) {
      for (Row r :
          diagnostics
              .where(col("layer").isNotNull().and(col("run_id").isin(runs.toArray())))
              .select("run_id", "diagnostic", "layer", "epoch", "rank", "value")
              .collectAsList()) {
        String key = r.getString(0) + "\u0000" + r.getString(1);
        if (!verdicts.containsKey(key)) continue;
        cells
            .computeIfAbsent(key, k -> new TreeMap<>())
            .computeIfAbsent(r.getInt(2), k -> new TreeMap<>())
            .put(
                r.getInt(3),
                new Cell(r.getInt(3), r.getInt(4), r.isNullAt(5) ? Double.NaN : r.getDouble(5)));
      }
    }
    // every diagnostic that has layer rows gets a section, empty when no run reached WARNING on it
    Set<String> layerLevel = new HashSet<>();
    for (Row r :
        diagnostics
            .where(col("layer").isNotNull())
            .select("diagnostic")
            .distinct()
            .collectAsList()) {
      layerLevel.add(r.getString(0));
    }
    Map<String, List<LayerMap>> out = new LinkedHashMap<>();
    for (String d : Diagnostics.names()) {
      if (!layerLevel.contains(d)) continue;
      List<LayerMap> maps = new ArrayList<>();
      for (String run : chosen.getOrDefault(d, List.of())) {
        String key = run + "\u0000" + d;
        maps.add(new LayerMap(run, d, verdicts.get(key), cells.getOrDefault(key, new TreeMap<>())));
      }
      out.put(d, maps);
    }
    return out;
  }

  private static List<Effect> effects(Dataset<Row> table) {
    List<Effect> out = new ArrayList<>();
    boolean omega = java.util.Arrays.asList(table.columns()).contains("omega_squared");
    for (Row r :
        table.where(col("reason").isNull().and(col("strength").isNotNull())).collectAsList()) {
      out.add(
          new Effect(
              r.getAs("scope_type"),
              r.getAs("scope"),
              r.getAs("hyperparameter"),
              r.getAs("kind"),
              r.getAs("scale"),
              r.getAs("target"),
              r.getAs("measure"),
              r.<Long>getAs("n"),
              r.<Double>getAs("strength"),
              r.getAs("pearson"),
              r.getAs("pearson_p"),
              r.getAs("spearman"),
              r.getAs("spearman_p"),
              r.getAs("spearman_ci_low"),
              r.getAs("spearman_ci_high"),
              r.getAs("eta_squared"),
              omega ? r.getAs("omega_squared") : null,
              r.getAs("anova_p"),
              r.getAs("importance"),
              r.getAs("forest_r2")));
    }
    return out;
  }

  private static Double nullable(Row r, int i) {
    return r.isNullAt(i) ? null : r.getDouble(i);
  }

  /**
   * The table {@code root/name} ({@link TableFolders#read}); Parquet too where {@code parquetToo}
   * (telemetry).
   */
  /**
   * A telemetry table under {@code root}, Delta or Parquet, if it is there (the report's loss
   * curves are optional).
   */
  private static Optional<Dataset<Row>> telemetryTable(
      SparkSession spark, String root, String name) {
    return TableFolders.read(spark, TableFolders.join(root, name), true);
  }
}
