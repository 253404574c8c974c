package io.neuroscope.jobs;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.neuroscope.diagnostics.Diagnostics;
import io.neuroscope.diagnostics.Settings;
import io.neuroscope.jobs.nightly.Fingerprints;
import io.neuroscope.jobs.summary.ExperimentSummary;
import io.neuroscope.jobs.summary.HyperparameterEffects;
import io.neuroscope.jobs.summary.RunSummary;
import io.neuroscope.jobs.table.OutputTable;
import io.neuroscope.jobs.telemetry.TelemetryContract;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * run_summary, experiment_summary and hyperparameter_effects on a hand-made diagnostics table of 11
 * runs in two experiments. The correlations, p-values, intervals and η² are scipy 1.17.1's
 * (pearsonr, spearmanr, norm, f_oneway) on the same numbers, computed apart from this code; ω² is
 * numpy's from its textbook formula.
 */
class SummariesTest {
  private static final double EPS = 1e-9;
  private static Dataset<Row> perDiagnostic;
  private static Dataset<Row> runSummary;
  private static Dataset<Row> experimentSummary;
  private static Dataset<Row> effects;
  private static Dataset<Row> reversedEffects;
  private static Dataset<Row> findings;

  /** run -> experiment, params, exploding_gradients value at epoch 2 (epoch 1 is 0.1, HEALTHY). */
  private static final Object[][] RUNS = {
    {"a1", "A", Map.of("lr", "0.001", "act", "relu", "seed", "1", "bs", "32"), 0.5},
    {"a2", "A", Map.of("lr", "0.01", "act", "relu", "seed", "2", "bs", "32"), 0.9},
    {"a3", "A", Map.of("lr", "0.1", "act", "tanh", "seed", "3", "bs", "32"), 2.0},
    {"a4", "A", Map.of("lr", "1.0", "act", "tanh", "seed", "4", "bs", "32"), 7.5},
    {"a5", "A", Map.of("lr", "0.01", "act", "sigmoid", "seed", "5", "bs", "32"), 1.1},
    {"a6", "A", Map.of("lr", "0.1", "act", "sigmoid", "seed", "6", "bs", "32"), Double.NaN},
    {"b1", "B", Map.of("lr", "0.05", "act", "relu"), 1.0},
    {"b2", "B", Map.of("lr", "0.5", "act", "relu"), 3.0},
    {"b3", "B", Map.of("act", "tanh"), 2.5},
    {"b4", "B", Map.of("lr", "0.2", "act", "tanh"), 1.5},
    {"b5", "B", Map.of("lr", "0.3", "act", "relu"), 4.0},
  };

  @BeforeAll
  static void build() {
    SparkSession spark = SparkTest.spark();
    List<Row> diagnostics = new ArrayList<>();
    List<Row> runs = new ArrayList<>();
    List<Row> epochs = new ArrayList<>();
    for (Object[] r : RUNS) {
      String id = (String) r[0];
      String exp = (String) r[1];
      double y = (Double) r[3];
      String status2 = Double.isNaN(y) || y > 3 ? "CRITICAL" : y > 1 ? "WARNING" : "HEALTHY";
      diagnostics.add(diag(exp, id, 1, "exploding_gradients", 0.1, "HEALTHY"));
      diagnostics.add(diag(exp, id, 2, "exploding_gradients", y, status2));
      // dead_neurons: UNKNOWN at epoch 2, so its final value is epoch 1's
      diagnostics.add(diag(exp, id, 1, "dead_neurons", 5.0, "HEALTHY"));
      diagnostics.add(diag(exp, id, 2, "dead_neurons", 0.0, "UNKNOWN"));
      // a layer row must not count
      diagnostics.add(
          RowFactory.create(
              exp, id, 2, 0, "exploding_gradients", 99.0, "CRITICAL", scalaMap(Map.of())));
      runs.add(RowFactory.create(id, exp, null, scalaMap((Map<String, String>) r[2])));
      epochs.add(RowFactory.create(id, 1, 1.0, 1.2));
      epochs.add(
          RowFactory.create(
              id, 2, id.equals("a6") ? Double.NaN : 0.5, id.startsWith("a") ? null : 0.8));
    }
    Dataset<Row> d = spark.createDataFrame(diagnostics, OutputTable.DIAGNOSTICS.requiredSchema());
    perDiagnostic = RunSummary.perDiagnostic(d).cache();
    Dataset<Row> epochRows =
        spark.createDataFrame(epochs, TelemetryContract.schema(TelemetryContract.EPOCHS));
    io.neuroscope.jobs.summary.Findings.register(
        spark, io.neuroscope.findings.FindingRules.defaults());
    findings = io.neuroscope.jobs.summary.Findings.build(d, epochRows).cache();
    runSummary =
        RunSummary.build(
                perDiagnostic,
                spark.createDataFrame(runs, TelemetryContract.schema(TelemetryContract.RUNS)),
                epochRows,
                io.neuroscope.jobs.summary.Findings.perRun(findings))
            .cache();
    experimentSummary = ExperimentSummary.build(perDiagnostic, runSummary, List.of("seed")).cache();
    Settings s =
        Settings.defaults()
            .with(
                Map.of(
                    "effects.forest.trees",
                    "5",
                    "effects.forest.max_depth",
                    "3",
                    "effects.forest.min_runs",
                    "5"));
    effects = HyperparameterEffects.build(spark, runSummary, s).cache();
    reversedEffects =
        HyperparameterEffects.build(spark, runSummary.orderBy(col("run_id").desc()), s).cache();
  }

  private static Row diag(
      String exp, String run, int epoch, String name, double value, String status) {
    return RowFactory.create(exp, run, epoch, null, name, value, status, scalaMap(Map.of()));
  }

  private static <K, V> scala.collection.Map<K, V> scalaMap(Map<K, V> m) {
    return scala.jdk.javaapi.CollectionConverters.asScala(new LinkedHashMap<>(m));
  }

  private static Row run(String id) {
    return runSummary.where(col("run_id").equalTo(id)).first();
  }

  @Test
  void runSummaryHoldsWorstStatusFirstEpochsFinalMaxAndShare() {
    assertEquals(11, runSummary.count());
    Row a4 = run("a4");
    assertEquals("CRITICAL", a4.getAs("exploding_gradients_status"));
    assertEquals(2, (int) a4.<Integer>getAs("exploding_gradients_first_warning"));
    assertEquals(2, (int) a4.<Integer>getAs("exploding_gradients_first_critical"));
    assertEquals(
        7.5,
        a4.<Double>getAs("exploding_gradients_final"),
        EPS); // the layer row's 99 is not counted
    assertEquals(7.5, a4.<Double>getAs("exploding_gradients_max"), EPS);
    assertEquals(0.5, a4.<Double>getAs("exploding_gradients_critical_share"), EPS);
    assertEquals("CRITICAL", a4.getAs("health"));
    assertEquals(List.of("exploding_gradients"), a4.getList(a4.fieldIndex("critical_diagnostics")));

    Row a1 = run("a1");
    assertEquals("HEALTHY", a1.getAs("exploding_gradients_status"));
    assertNull(a1.getAs("exploding_gradients_first_warning"));
    assertEquals(0.0, a1.<Double>getAs("exploding_gradients_critical_share"), EPS);
    assertEquals("HEALTHY", a1.getAs("health"));
    assertTrue(a1.getList(a1.fieldIndex("critical_diagnostics")).isEmpty());
    // dead_neurons is UNKNOWN at the last epoch: final is the last known value
    assertEquals(5.0, a1.<Double>getAs("dead_neurons_final"), EPS);
    assertEquals(5.0, a1.<Double>getAs("dead_neurons_max"), EPS);
    assertEquals("HEALTHY", a1.getAs("dead_neurons_status"));
    // diagnostics without rows are UNKNOWN with no values
    assertNull(a1.getAs("plateau_status"));
    assertNull(a1.getAs("plateau_final"));

    Row a6 = run("a6");
    assertTrue(Double.isNaN(a6.<Double>getAs("exploding_gradients_final")));
    assertEquals(0.1, a6.<Double>getAs("exploding_gradients_max"), EPS); // NaN is not a maximum

    Row b3 = run("b3");
    assertEquals("WARNING", b3.getAs("exploding_gradients_status"));
    assertEquals(List.of("exploding_gradients"), b3.getList(b3.fieldIndex("warning_diagnostics")));
  }

  @Test
  void runSummaryRowsGiveBackTheirPerDiagnosticColumns() {
    // a nightly that writes run_summary whole takes these columns of the runs that did not change
    // from their run_summary rows: NaN finals, UNKNOWN epochs and diagnostics a run lacks included
    Dataset<Row> fromRows = RunSummary.wideOf(runSummary);
    Dataset<Row> fromDiagnostics = RunSummary.wide(perDiagnostic);
    assertEquals(List.of(fromDiagnostics.columns()), List.of(fromRows.columns()));
    List<String> expected = sortedRows(fromDiagnostics);
    assertEquals(RUNS.length, expected.size());
    assertTrue(expected.stream().anyMatch(r -> r.contains("NaN")), expected.toString());
    assertEquals(expected, sortedRows(fromRows));
  }

  private static List<String> sortedRows(Dataset<Row> rows) {
    return rows.collectAsList().stream().map(Row::toString).sorted().toList();
  }

  @Test
  void runSummaryHoldsFinalAndBestLosses() {
    Row a1 = run("a1"); // val only at epoch 1
    assertEquals(0.5, a1.<Double>getAs("final_train_loss"), EPS);
    assertEquals(0.5, a1.<Double>getAs("best_train_loss"), EPS);
    assertEquals(2, (int) a1.<Integer>getAs("best_train_epoch"));
    assertEquals(1.2, a1.<Double>getAs("final_val_loss"), EPS);
    assertEquals(1.2, a1.<Double>getAs("best_val_loss"), EPS);
    assertEquals(1, (int) a1.<Integer>getAs("best_val_epoch"));
    assertEquals(2, (int) a1.<Integer>getAs("epochs"));
    Row a6 = run("a6"); // NaN final train loss: final is NaN, best the finite 1.0
    assertTrue(Double.isNaN(a6.<Double>getAs("final_train_loss")));
    assertEquals(1.0, a6.<Double>getAs("best_train_loss"), EPS);
    assertEquals(1, (int) a6.<Integer>getAs("best_train_epoch"));
    Row b1 = run("b1");
    assertEquals(0.8, b1.<Double>getAs("final_val_loss"), EPS);
    assertEquals(2, (int) b1.<Integer>getAs("best_val_epoch"));
    assertEquals(
        Map.of("lr", "0.05", "act", "relu"),
        scala.jdk.javaapi.CollectionConverters.asJava(
            b1.<scala.collection.Map<String, String>>getAs("params")));
  }

  @Test
  void experimentSummaryGivesSharesPercentilesAndSeedGroups() {
    Row a =
        experimentSummary
            .where(
                col("experiment")
                    .equalTo("A")
                    .and(col("config").isNull())
                    .and(col("diagnostic").equalTo("exploding_gradients")))
            .first();
    assertEquals(6L, a.<Long>getAs("runs"));
    // worst statuses in A: a1 H, a2 H, a3 W, a4 C, a5 W, a6 C
    assertEquals(2 / 6.0, a.<Double>getAs("healthy_share"), EPS);
    assertEquals(2 / 6.0, a.<Double>getAs("warning_share"), EPS);
    assertEquals(2 / 6.0, a.<Double>getAs("critical_share"), EPS);
    // finals 0.5, 0.9, 2.0, 7.5, 1.1 (a6 NaN left out); numpy.percentile, linear
    assertEquals(5L, a.<Long>getAs("final_runs"));
    assertEquals(0.9, a.<Double>getAs("final_p25"), EPS);
    assertEquals(1.1, a.<Double>getAs("final_median"), EPS);
    assertEquals(2.0, a.<Double>getAs("final_p75"), EPS);
    assertEquals(2.4, a.<Double>getAs("final_mean"), EPS);
    assertEquals(
        Math.sqrt((1.9 * 1.9 + 1.5 * 1.5 + 0.4 * 0.4 + 5.1 * 5.1 + 1.3 * 1.3) / 4),
        a.<Double>getAs("final_std"),
        EPS);

    // seeds differ in every run of A, so groups are by the other params: a2 and a5 differ in act,
    // so
    // every group holds one run and none is written; B has no seed param and no two equal runs
    // either
    assertEquals(0, experimentSummary.where(col("config").isNotNull()).count());
    assertEquals(0, experimentSummary.where(col("diagnostic").equalTo("plateau")).count());
  }

  @Test
  void repeatedRunsThatDifferOnlyBySeedAreGrouped() {
    List<Row> diagnostics = new ArrayList<>();
    List<Row> runs = new ArrayList<>();
    Object[][] rs = {{"r1", "0.1", "1", 1.0}, {"r2", "0.1", "2", 3.0}, {"r3", "0.2", "1", 5.0}};
    for (Object[] r : rs) {
      diagnostics.add(diag("S", (String) r[0], 1, "plateau", (Double) r[3], "HEALTHY"));
      runs.add(
          RowFactory.create(r[0], "S", null, scalaMap(Map.of("lr", r[1], "random_seed", r[2]))));
    }
    List<Row> groups = groups(diagnostics, runs, List.of("seed", "random_seed"));
    assertEquals(1, groups.size()); // lr=0.2 has one run: no group
    Row g = groups.get(0);
    assertEquals("{\"lr\":\"0.1\"}", g.getAs("config"));
    assertEquals(2L, g.<Long>getAs("runs"));
    assertEquals(2.0, g.<Double>getAs("final_mean"), EPS);
    assertEquals(Math.sqrt(2.0), g.<Double>getAs("final_std"), EPS);
    assertEquals(1.0, g.<Double>getAs("healthy_share"), EPS);
  }

  /** Params whose values hold the old separators are not taken for other params. */
  @Test
  void configsAreUnambiguous() {
    List<Row> diagnostics = new ArrayList<>();
    List<Row> runs = new ArrayList<>();
    List<Map<String, String>> params =
        List.of(Map.of("a", "1, b=2"), Map.of("a", "1, b=2"), Map.of("a", "1", "b", "2"));
    for (int i = 0; i < params.size(); i++) {
      diagnostics.add(diag("U", "u" + i, 1, "plateau", 1.0, "HEALTHY"));
      runs.add(RowFactory.create("u" + i, "U", null, scalaMap(params.get(i))));
    }
    List<Row> groups = groups(diagnostics, runs, List.of());
    assertEquals(1, groups.size(), groups::toString);
    assertEquals("{\"a\":\"1, b=2\"}", groups.get(0).getAs("config"));
    assertEquals(2L, groups.get(0).<Long>getAs("runs"));
  }

  /** The experiment_summary rows of groups of repeated runs (config not null), no epochs logged. */
  private static List<Row> groups(List<Row> diagnostics, List<Row> runs, List<String> seeds) {
    SparkSession spark = SparkTest.spark();
    Dataset<Row> perDiagnostic =
        RunSummary.perDiagnostic(
            spark.createDataFrame(diagnostics, OutputTable.DIAGNOSTICS.requiredSchema()));
    Dataset<Row> summary =
        RunSummary.build(
            perDiagnostic,
            spark.createDataFrame(runs, TelemetryContract.schema(TelemetryContract.RUNS)),
            spark.createDataFrame(
                List.<Row>of(), TelemetryContract.schema(TelemetryContract.EPOCHS)),
            io.neuroscope.jobs.summary.Findings.perRun(
                spark.createDataFrame(List.<Row>of(), OutputTable.FINDINGS.requiredSchema())));
    return ExperimentSummary.build(perDiagnostic, summary, seeds)
        .where(col("config").isNotNull())
        .collectAsList();
  }

  private static Row effect(String scope, String hp, String scale, String target, String measure) {
    List<Row> rows =
        effects
            .where(
                col("scope")
                    .equalTo(scope)
                    .and(col("hyperparameter").equalTo(hp))
                    .and(scale == null ? col("scale").isNull() : col("scale").equalTo(scale))
                    .and(col("target").equalTo(target))
                    .and(col("measure").equalTo(measure)))
            .collectAsList();
    assertEquals(1, rows.size(), scope + " " + hp + " " + scale + " " + target + "." + measure);
    return rows.get(0);
  }

  private static void assertCorrelation(
      Row r,
      long n,
      double pearson,
      double pp,
      double plo,
      double phi,
      double spearman,
      double sp,
      double slo,
      double shi) {
    assertNull(r.getAs("reason"), () -> r.getAs("reason"));
    assertEquals(n, r.<Long>getAs("n"));
    assertEquals(pearson, r.<Double>getAs("pearson"), EPS);
    assertEquals(pp, r.<Double>getAs("pearson_p"), 1e-12 + 1e-9 * pp);
    assertEquals(plo, r.<Double>getAs("pearson_ci_low"), EPS);
    assertEquals(phi, r.<Double>getAs("pearson_ci_high"), EPS);
    assertEquals(spearman, r.<Double>getAs("spearman"), EPS);
    assertEquals(sp, r.<Double>getAs("spearman_p"), 1e-12 + 1e-9 * sp);
    assertEquals(slo, r.<Double>getAs("spearman_ci_low"), EPS);
    assertEquals(shi, r.<Double>getAs("spearman_ci_high"), EPS);
    assertEquals(Math.max(Math.abs(pearson), Math.abs(spearman)), r.<Double>getAs("strength"), EPS);
  }

  @Test
  void numericEffectsEqualScipy() {
    // all runs: a6 (NaN final) and b3 (no lr) leave the pair
    Row r = effect("all", "lr", "linear", "exploding_gradients", "final");
    assertEquals(2L, r.<Long>getAs("excluded"));
    assertEquals("numeric", r.getAs("kind"));
    assertCorrelation(
        r,
        9,
        0.9542316588114221,
        4.267954622529889e-06,
        0.7920570895459501,
        0.9905904707061272,
        0.9372466978064098,
        2.66156313843872e-05,
        0.723406191972806,
        0.9870088289215114);
    // lr spans 0.001..1: also on a log scale; Spearman is the same there
    assertCorrelation(
        effect("all", "lr", "log10", "exploding_gradients", "final"),
        9,
        0.7555213056974731,
        0.01575883755034736,
        0.18344422208381642,
        0.9453206969249754,
        0.9372466978064098,
        2.66156313843872e-05,
        0.723406191972806,
        0.9870088289215114);
    assertCorrelation(
        effect("A", "lr", "linear", "exploding_gradients", "final"),
        5,
        0.9943707542614395,
        3.31324653637016e-05,
        0.9136451971103593,
        0.9996469657243873,
        0.9746794344808963,
        0.002066241398242346,
        0.6597486293515724,
        0.9983972054945205);
    assertCorrelation(
        effect("A", "lr", "log10", "exploding_gradients", "final"),
        5,
        0.8835688712137474,
        0.04903132579184511,
        0.005907938429579129,
        0.9922969819806017,
        0.9746794344808963,
        0.002066241398242346,
        0.6597486293515724,
        0.9983972054945205);
    // max: a6 counts (its max is 0.1), ties in y (0.1 is not a tie here) and in lr (0.1, 0.01
    // twice)
    assertCorrelation(
        effect("all", "lr", "linear", "exploding_gradients", "max"),
        10,
        0.9391382380716317,
        4.672183571050794e-06,
        0.7573197538003923,
        0.9858345321222985,
        0.7987953376480265,
        0.003757601069456113,
        0.34034101762775093,
        0.9504166576325778);
    // seed is logged by A only: 5 runs with a finite final
    assertCorrelation(
        effect("all", "seed", "linear", "exploding_gradients", "final"),
        5,
        0.4247670494086672,
        0.5213032811148737,
        -0.7317153382351592,
        0.9507373328397429,
        0.7,
        0.21999246028704122,
        -0.476621313746714,
        0.9781649560449645);
  }

  @Test
  void categoricalEffectsEqualScipy() {
    // final: sigmoid has one run with a finite value (a5; a6 is NaN), so it leaves the pair
    Row r = effect("all", "act", null, "exploding_gradients", "final");
    assertNull(r.getAs("reason"));
    assertEquals("categorical", r.getAs("kind"));
    assertEquals(9L, r.<Long>getAs("n"));
    assertEquals(2L, r.<Long>getAs("excluded"));
    assertEquals(0.13229696933822657, r.<Double>getAs("eta_squared"), EPS);
    assertEquals(0.33592761335741367, r.<Double>getAs("anova_p"), EPS);
    assertEquals(0.007419669308604112, r.<Double>getAs("omega_squared"), EPS);
    assertEquals(Math.sqrt(0.007419669308604112), r.<Double>getAs("strength"), EPS);
    Map<String, Object> means =
        scala.jdk.javaapi.CollectionConverters.asJava(
            r.<scala.collection.Map<String, Object>>getAs("level_means"));
    assertEquals(Map.of("relu", 1.88, "tanh", 3.375).keySet(), means.keySet());
    assertEquals(1.88, (Double) means.get("relu"), EPS);
    assertEquals(3.375, (Double) means.get("tanh"), EPS);
    Map<String, Object> counts =
        scala.jdk.javaapi.CollectionConverters.asJava(
            r.<scala.collection.Map<String, Object>>getAs("level_counts"));
    assertEquals(Map.of("relu", 5L, "tanh", 4L), counts);
    assertNull(r.getAs("pearson"));

    // max: a6's max is 0.1, so sigmoid has two runs
    Row a = effect("A", "act", null, "exploding_gradients", "max");
    assertEquals(6L, a.<Long>getAs("n"));
    assertEquals(0.588101586746514, a.<Double>getAs("eta_squared"), EPS);
    assertEquals(0.2643535691686544, a.<Double>getAs("anova_p"), EPS);
    assertEquals(0.27565531555077255, a.<Double>getAs("omega_squared"), EPS);
    assertEquals(Math.sqrt(0.27565531555077255), a.<Double>getAs("strength"), EPS);
    Row max = effect("all", "act", null, "exploding_gradients", "max");
    assertEquals(11L, max.<Long>getAs("n"));
    assertEquals(0.2521777110910137, max.<Double>getAs("eta_squared"), EPS);
    assertEquals(0.3127473372598928, max.<Double>getAs("anova_p"), EPS);
    assertEquals(0.059646514718489155, max.<Double>getAs("omega_squared"), EPS);

    // in A, final leaves relu (2) and tanh (2): 4 runs, fewer than 5
    assertEquals(
        "4 runs log act and have a finite exploding_gradients.final, fewer than effects.min_runs (5)",
        effect("A", "act", null, "exploding_gradients", "final").getAs("reason"));
  }

  @Test
  void rowsWithoutStatisticsSayWhy() {
    Row constant = effect("all", "bs", "linear", "exploding_gradients", "final");
    assertEquals("bs is constant in this scope (32)", constant.getAs("reason"));
    assertNull(constant.getAs("pearson"));
    Row few = effect("B", "lr", "linear", "exploding_gradients", "final");
    assertEquals(4L, few.<Long>getAs("n"));
    assertEquals(1L, few.<Long>getAs("excluded"));
    assertEquals(
        "4 runs log lr and have a finite exploding_gradients.final, fewer than effects.min_runs (5)",
        few.getAs("reason"));
    assertNull(few.getAs("pearson"));
    assertNull(few.getAs("importance"));
    // no plateau rows at all: every pair empty
    Row none = effect("all", "lr", "linear", "plateau", "final");
    assertEquals(0L, none.<Long>getAs("n"));
    assertEquals(11L, none.<Long>getAs("excluded"));
    assertTrue(none.<String>getAs("reason").startsWith("0 runs log lr"));
    // a target equal in every run: critical share of dead_neurons is 0 everywhere
    Row flat = effect("all", "lr", "linear", "dead_neurons", "critical_share");
    assertEquals(
        "dead_neurons.critical_share is the same for all 10 runs (0.00000)", flat.getAs("reason"));
    // every (scope, hyperparameter[, scale], target) has its row
    // per diagnostic final, max, critical_share; val_loss final and best; per problem of the
    // findings (the ten and non_finite) its presence and onset
    int targets = Diagnostics.names().size() * 3 + 2 + 11 * 2;
    // all and A: act, bs, lr (+log10), seed; B: act, lr (+log10: 0.05..0.5 spans exactly a decade)
    assertEquals((5 + 5 + 3) * targets, effects.count());
  }

  @Test
  void forestsScoreEveryVaryingHyperparameter() {
    Row r = effect("all", "lr", "linear", "exploding_gradients", "final");
    assertNotNull(r.getAs("forest_r2"));
    double sum = 0;
    for (String hp : List.of("act", "lr", "seed")) {
      Double imp =
          effect("all", hp, hp.equals("act") ? null : "linear", "exploding_gradients", "final")
              .getAs("importance");
      assertNotNull(imp, hp);
      assertTrue(imp >= 0 && imp <= 1, hp + " " + imp);
      sum += imp;
    }
    assertEquals(1.0, sum, 1e-9);
    // the same runs read in another order (a MERGE lays run_summary's files out otherwise than a
    // fresh write) give the same forests: the folds are drawn over the runs by id
    Row reversed =
        reversedEffects
            .where(
                "scope = 'all' AND hyperparameter = 'lr' AND scale = 'linear'"
                    + " AND target = 'exploding_gradients' AND measure = 'final'")
            .first();
    assertEquals(r.<Double>getAs("forest_r2"), reversed.<Double>getAs("forest_r2"), 0);
    assertEquals(r.<Double>getAs("importance"), reversed.<Double>getAs("importance"), 0);
    // the log10 row carries the same forest's importance
    assertEquals(
        r.<Double>getAs("importance"),
        effect("all", "lr", "log10", "exploding_gradients", "final").<Double>getAs("importance"),
        0);
  }

  /**
   * The nightly keeps a run's summary rows while its diagnostics are unchanged, unless the
   * summaries' code version differs from the last run's ({@link Fingerprints#summariesVersion}).
   * This fixture's summaries are recorded with that version: a change of the code that changes
   * them, without a new version, fails here instead of leaving old rows beside new ones.
   */
  @Test
  void summariesThatChangeCarryANewSummariesVersion() throws Exception {
    Path recorded = Path.of("src/test/resources/golden/summaries-version.txt");
    String[] line = Files.readString(recorded).trim().split(" ");
    String print = printOf(findings, runSummary, experimentSummary, effects);
    String now = Fingerprints.summariesVersion();
    String fix =
        " (a summary column's computation changed: give Fingerprints.SUMMARIES_VERSION a new"
            + " value and write '"
            + "<new version> "
            + print
            + "' to "
            + recorded
            + "; if the version is new already, write it with this print)";
    assertEquals(line[0], now, "the version recorded with the summaries' print" + fix);
    assertEquals(line[1], print, "the summaries of version " + now + fix);
  }

  /**
   * SHA-256 of the tables' columns and rows (in sorted order, as {@link CanonicalRows} writes
   * them).
   */
  @SafeVarargs
  private static String printOf(Dataset<Row>... tables) throws Exception {
    MessageDigest digest = MessageDigest.getInstance("SHA-256");
    for (Dataset<Row> table : tables) {
      List<String> rows = new ArrayList<>();
      for (Row r : table.collectAsList()) rows.add(CanonicalRows.of(r));
      Collections.sort(rows);
      String text = String.join(",", table.columns()) + "\n" + String.join("\n", rows) + "\n";
      digest.update(text.getBytes(StandardCharsets.UTF_8));
    }
    return HexFormat.of().formatHex(digest.digest(), 0, 8);
  }
}
