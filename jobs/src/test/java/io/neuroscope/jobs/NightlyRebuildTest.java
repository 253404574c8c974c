package io.neuroscope.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.delta.tables.DeltaTable;
import io.neuroscope.diagnostics.Settings;
import io.neuroscope.jobs.action.Outcome;
import io.neuroscope.jobs.nightly.DiagnosticsStage;
import io.neuroscope.jobs.nightly.NightlyAction;
import io.neuroscope.jobs.table.OutputTables;
import io.neuroscope.jobs.telemetry.Telemetry;
import io.neuroscope.jobs.telemetry.TelemetrySource;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

/**
 * Outputs written since the last successful nightly by anything else are computed again, not
 * trusted (issue "Nightly": summaries stale while the audit says SUCCEEDED; lost outputs not
 * rebuilt).
 */
class NightlyRebuildTest {
  private static final Settings SETTINGS =
      Settings.defaults().with(Map.of("catalog.database", "", "effects.forest.min_runs", "100000"));

  private static NightlyAction.Result nightly(SparkSession spark, Path telemetry, Path out) {
    return nightly(spark, telemetry, out, SETTINGS);
  }

  private static NightlyAction.Result nightly(
      SparkSession spark, Path telemetry, Path out, Settings settings) {
    return new NightlyAction(
            spark,
            TelemetrySource.folder(telemetry.toString()),
            OutputTables.at(spark, out.toString()),
            settings,
            true)
        .execute();
  }

  /** One case's folders: its telemetry and the nightly's output, in a directory of its own. */
  private record Work(Path dir, Path telemetry, Path out) {
    static Work fresh() {
      Path dir = SparkTest.tempDir("rebuild");
      return new Work(dir, dir.resolve("telemetry"), dir.resolve("out"));
    }

    /** With runs a and b, one epoch each, written as the telemetry. */
    static Work twoRuns(SparkSession spark) {
      Work w = fresh();
      new TestTelemetry().run("a", 1).run("b", 1).write(spark, w.telemetry(), 2);
      return w;
    }
  }

  private static long runSummaryRows(SparkSession spark, Path out) {
    return spark.read().format("delta").load(out.resolve("run_summary").toString()).count();
  }

  @Test
  void aRunAddedByTheDiagnosticsCommandReachesTheSummaries() {
    SparkSession spark = SparkTest.spark();
    Work w = Work.twoRuns(spark);
    Path telemetry = w.telemetry(), out = w.out();
    nightly(spark, telemetry, out);
    assertEquals(2, runSummaryRows(spark, out));

    new TestTelemetry().run("a", 1).run("b", 1).run("c", 1).write(spark, telemetry, 2);
    DiagnosticsStage.run(
        Telemetry.fromFolder(spark, telemetry.toString()),
        OutputTables.at(spark, out.toString()),
        SETTINGS,
        false);
    NightlyAction.Result r = nightly(spark, telemetry, out);
    assertEquals(3, runSummaryRows(spark, out), "run c is summarized");
    assertTrue(r.summaries().runs() >= 3, r.toString());
    assertTrue(r.diagnostics().reason().contains("the output changed"), r.diagnostics().reason());
  }

  /**
   * A findings setting changes no diagnostics value: the nightly after it computes no epoch, and
   * judges every run again, as a fresh run with the new setting does.
   */
  @Test
  void aFindingsSettingJudgesEveryRunAgainAndComputesNoEpoch() {
    SparkSession spark = SparkTest.spark();
    Work w = Work.twoRuns(spark);
    Path telemetry = w.telemetry(), out = w.out();
    nightly(spark, telemetry, out);
    List<String> before = json(spark, out.resolve("findings"));
    Map<String, Row> diagnostics = TestTelemetry.diagnostics(spark, out);

    // a problem is a finding from its first flagged epoch on
    Settings judged =
        SETTINGS.with(
            Map.of(
                "findings.persistence.min_epochs", "1",
                "findings.persistence.min_share", "0",
                "findings.warmup.plateau", "1",
                "findings.warmup.learning_progress", "1"));
    NightlyAction.Result r = nightly(spark, telemetry, out, judged);
    assertEquals("incremental", r.diagnostics().outcome().mode(), r.diagnostics().reason());
    assertEquals(0, r.diagnostics().epochsComputed(), r.diagnostics().reason());
    assertEquals(Outcome.COMPUTED_ALL, r.summaries().outcome(), r.toString());
    assertEquals(
        List.of(),
        TestTelemetry.differences(diagnostics, TestTelemetry.diagnostics(spark, out), 0));

    Path fresh = w.dir().resolve("fresh");
    nightly(spark, telemetry, fresh, judged);
    List<String> after = json(spark, out.resolve("findings"));
    assertTrue(!after.equals(before), "the setting changes the findings: " + before);
    assertEquals(json(spark, fresh.resolve("findings")), after);
    for (String t : List.of("run_summary", "experiment_summary"))
      assertEquals(json(spark, fresh.resolve(t)), json(spark, out.resolve(t)), t);
  }

  @Test
  void rowsDeletedFromDiagnosticsAreComputedAgain() {
    SparkSession spark = SparkTest.spark();
    Work w = Work.twoRuns(spark);
    Path telemetry = w.telemetry(), out = w.out();
    nightly(spark, telemetry, out);
    Map<String, Row> before = TestTelemetry.diagnostics(spark, out);

    DeltaTable.forPath(spark, out.resolve("diagnostics").toString()).delete("run_id = 'a'");
    nightly(spark, telemetry, out);
    assertEquals(
        List.of(), TestTelemetry.differences(before, TestTelemetry.diagnostics(spark, out), 0));
    assertEquals(2, runSummaryRows(spark, out));
  }

  @Test
  void aDeletedStateIsWrittenAgain() {
    SparkSession spark = SparkTest.spark();
    Work w = Work.twoRuns(spark);
    Path telemetry = w.telemetry(), out = w.out();
    nightly(spark, telemetry, out);
    Map<String, Row> before = TestTelemetry.diagnostics(spark, out);

    TestFiles.deleteTree(out.resolve("nightly_state"));
    org.apache.spark.sql.delta.DeltaLog.clearCache(); // as another process would leave it
    NightlyAction.Result r = nightly(spark, telemetry, out);
    assertTrue(r.diagnostics().reason().contains("nightly_state"), r.diagnostics().reason());
    assertEquals(
        List.of(), TestTelemetry.differences(before, TestTelemetry.diagnostics(spark, out), 0));
    assertEquals(
        "incremental", nightly(spark, telemetry, out).diagnostics().outcome().mode(), "state back");
  }

  /** A bad row appended again, identical: the quarantine holds it twice, as a fresh run's does. */
  @Test
  void aRepeatedBadRowIsQuarantinedAsOftenAsItIsThere() {
    SparkSession spark = SparkTest.spark();
    Work w = Work.fresh();
    Path dir = w.dir(), telemetry = w.telemetry(), out = w.out();
    TestTelemetry t = new TestTelemetry().run("a", 1).run("b", 1);
    Row duplicate = org.apache.spark.sql.RowFactory.create("b", 0, 9.0, null);
    t.epochs.add(duplicate);
    t.write(spark, telemetry, 2);
    nightly(spark, telemetry, out);
    assertEquals(1, copies(spark, out));

    t.epochs.add(duplicate);
    t.write(spark, telemetry, 2);
    nightly(spark, telemetry, out);
    Path fresh = dir.resolve("fresh");
    nightly(spark, telemetry, fresh);
    assertEquals(2, copies(spark, fresh));
    assertEquals(2, copies(spark, out), "as in a fresh run");

    t.epochs.remove(duplicate); // one of the two
    t.write(spark, telemetry, 2);
    nightly(spark, telemetry, out);
    assertEquals(1, copies(spark, out));
  }

  /** Quarantine rows holding the duplicate epoch row of run b (train_loss 9.0). */
  private static long copies(SparkSession spark, Path out) {
    return TestTelemetry.quarantine(spark, out).stream()
        .filter(r -> r.<String>getAs("row").contains("\"train_loss\":9.0"))
        .count();
  }

  @Test
  void anIncrementalNightlyDeletesWhatTheTelemetryNoLongerHas() {
    SparkSession spark = SparkTest.spark();
    Work w = Work.fresh();
    Path dir = w.dir(), telemetry = w.telemetry(), out = w.out();
    new TestTelemetry().run("a", 1).run("b", 1).run("c", 1).write(spark, telemetry, 2);
    nightly(spark, telemetry, out);

    // run b deleted; run a lost its last epoch and the activations of layer 1 at epoch 2
    TestTelemetry after = new TestTelemetry().run("a", 1).run("c", 1);
    int last = TestTelemetry.EPOCHS - 1;
    after.dropEpochs("a", last);
    after.removeTensor("a", 2, 1, "activations");
    after.write(spark, telemetry, 2);
    NightlyAction.Result r = nightly(spark, telemetry, out);
    assertEquals("incremental", r.diagnostics().outcome().mode(), r.diagnostics().reason());

    assertSameAsFresh(spark, telemetry, out, dir.resolve("fresh"), r);
    assertEquals(2, runSummaryRows(spark, out));
  }

  /**
   * A run that lost epochs and then moved to another experiment (the case that made the
   * run_summary MERGE fail on two source rows for one run, and the next nightly keep the old
   * experiment).
   */
  @Test
  void aRunThatLostEpochsAndChangedExperimentIsSummarizedOnce() {
    SparkSession spark = SparkTest.spark();
    Work w = Work.twoRuns(spark);
    Path dir = w.dir(), telemetry = w.telemetry(), out = w.out();
    nightly(spark, telemetry, out);

    TestTelemetry lost = new TestTelemetry().run("a", 1).run("b", 1);
    int last = TestTelemetry.EPOCHS - 1;
    lost.dropEpochs("a", last - 1);
    lost.write(spark, telemetry, 2);
    nightly(spark, telemetry, out);

    lost.runs.replaceAll(
        r ->
            r.getString(0).equals("a")
                ? org.apache.spark.sql.RowFactory.create("a", "other", r.get(2), r.get(3))
                : r);
    lost.write(spark, telemetry, 2);
    assertSameAsFresh(spark, telemetry, out, dir.resolve("fresh"), nightly(spark, telemetry, out));
    assertEquals(2, runSummaryRows(spark, out));
  }

  /**
   * Delta telemetry deleted and written again with other values, at the same version numbers: the
   * table's id tells it apart (the nightly's skip, and a row-tracked table's row ids and versions,
   * which start again at 0).
   */
  @Test
  void aTableRebuiltAtTheSameVersionIsComputedAgain() {
    SparkSession spark = SparkTest.spark();
    Work w = Work.fresh();
    Path dir = w.dir(), telemetry = w.telemetry(), out = w.out();
    TestTelemetry t = new TestTelemetry().run("a", 1).run("b", 1);
    for (var e :
        Map.of(
                "runs", spark.createDataFrame(t.runs, Fixtures.RUNS),
                "layers", spark.createDataFrame(t.layers, Fixtures.LAYERS),
                "epochs", spark.createDataFrame(t.epochs, Fixtures.EPOCHS))
            .entrySet()) Fixtures.write(e.getValue(), telemetry.resolve(e.getKey()), "delta");
    rowTrackedTensors(spark, telemetry, t.tensorsFrame(spark));
    nightly(spark, telemetry, out);

    // run a's gradients doubled, the table rebuilt: same version, same row ids
    rowTrackedTensors(
        spark,
        telemetry,
        t.tensorsFrame(spark)
            .withColumn(
                "values",
                org.apache.spark.sql.functions.expr(
                    "IF(run_id = 'a' AND kind = 'gradients', transform(`values`, x -> x * CAST(2 AS FLOAT)),"
                        + " `values`)")));
    assertSameAsFresh(spark, telemetry, out, dir.resolve("fresh1"), nightly(spark, telemetry, out));

    // rebuilt again as it was, and another table changed: no skip, the fingerprints must tell
    rowTrackedTensors(spark, telemetry, t.tensorsFrame(spark));
    DeltaTable.forPath(spark, telemetry.resolve("epochs").toString())
        .updateExpr("run_id = 'b' AND epoch = 2", Map.of("train_loss", "train_loss * 3"));
    assertSameAsFresh(spark, telemetry, out, dir.resolve("fresh2"), nightly(spark, telemetry, out));
  }

  /** (Re)creates the tensors table with row tracking, in one commit after its creation. */
  private static void rowTrackedTensors(
      SparkSession spark, Path telemetry, org.apache.spark.sql.Dataset<Row> rows) {
    List<Row> collected = rows.collectAsList();
    Path tensors = telemetry.resolve("tensors");
    TestFiles.deleteTree(tensors);
    org.apache.spark.sql.delta.DeltaLog.clearCache(); // as another process would see it
    DeltaTable.create(spark)
        .location(tensors.toString())
        .addColumns(Fixtures.TENSORS)
        .property("delta.enableRowTracking", "true")
        .execute();
    spark
        .createDataFrame(collected, Fixtures.TENSORS)
        .coalesce(1)
        .write()
        .format("delta")
        .mode("append")
        .save(tensors.toString());
  }

  /**
   * The output {@code r} left equals a fresh full run's on the same telemetry: diagnostics (to
   * 1e-12), run_summary, findings, experiment_summary.
   */
  /**
   * Three experiments of six runs with forests in each, and a run of no experiment (issue
   * "Nightly", item 4: a scope is computed again only when one of its runs changed). A run of exp0
   * and the run of no experiment gain an epoch: exp0 and {@code all} are computed again, exp1 and
   * exp2 kept, and the whole table equals a fresh run's, forests included.
   */
  @Test
  void anExperimentWithoutChangedRunsKeepsItsEffects() {
    SparkSession spark = SparkTest.spark();
    Work w = Work.fresh();
    Path dir = w.dir(), telemetry = w.telemetry(), out = w.out();
    Settings forests =
        SETTINGS.with(
            Map.of(
                "effects.min_runs", "3",
                "effects.forest.min_runs", "5",
                "effects.forest.trees", "3",
                "effects.forest.max_depth", "2"));
    TestTelemetry t = new TestTelemetry();
    for (int e = 0; e < 3; e++) {
      for (int i = 0; i < 6; i++) {
        String id = "r" + e + i;
        t.run(id, 1).dropEpochs(id, 3 + i % 3); // three run lengths: the finals differ
      }
    }
    t.run("rx0", 1).dropEpochs("rx0", 3); // a run of no experiment: only in scope all
    t.runs.replaceAll(
        r -> {
          int i = r.getString(0).charAt(2) - '0';
          char e = r.getString(0).charAt(1);
          return RowFactory.create(
              r.getString(0),
              e == 'x' ? null : "exp" + e,
              null,
              Map.of(
                  "learning_rate",
                  String.valueOf(0.001 * (i + 1)),
                  "optimizer",
                  i % 2 == 0 ? "adam" : "sgd"));
        });
    t.write(spark, telemetry, 2);
    nightly(spark, telemetry, out, forests);

    TestTelemetry grown =
        new TestTelemetry().epochTensorRows("r00", 3, 1).epochTensorRows("rx0", 3, 1);
    grown.epochs.add(TestTelemetry.epochRow("r00", 3));
    grown.epochs.add(TestTelemetry.epochRow("rx0", 3));
    grown
        .tensorsFrame(spark)
        .write()
        .mode("append")
        .parquet(telemetry.resolve("tensors").toString());
    spark
        .createDataFrame(grown.epochs, Fixtures.EPOCHS)
        .write()
        .mode("append")
        .parquet(telemetry.resolve("epochs").toString());
    NightlyAction.Result r = nightly(spark, telemetry, out, forests);
    assertEquals(Outcome.COMPUTED_CHANGED, r.summaries().outcome(), r.toString());
    assertEquals(7, r.summaries().runs(), "exp0's runs and rx0 are judged again");
    // of the forests of all and exp0, those whose target r00's new epoch left as it was are
    // taken from the last run, the others fitted again
    assertTrue(
        r.summaries().forestsReused() > 0 && r.summaries().forestsFitted() > 0, r.toString());

    Path fresh = dir.resolve("fresh");
    nightly(spark, telemetry, fresh, forests);
    List<String> effects = json(spark, out.resolve("hyperparameter_effects"));
    assertTrue(
        effects.stream().anyMatch(j -> j.contains("\"scope\":\"exp1\"") && j.contains("forest_r2")),
        "exp1 has forests");
    assertEquals(json(spark, fresh.resolve("hyperparameter_effects")), effects);
  }

  private static void assertSameAsFresh(
      SparkSession spark, Path telemetry, Path out, Path fresh, NightlyAction.Result r) {
    nightly(spark, telemetry, fresh);
    assertEquals(
        List.of(),
        TestTelemetry.differences(
            TestTelemetry.diagnostics(spark, out), TestTelemetry.diagnostics(spark, fresh), 1e-12),
        r.diagnostics().reason());
    for (String t : List.of("run_summary", "findings", "experiment_summary"))
      assertEquals(json(spark, fresh.resolve(t)), json(spark, out.resolve(t)), t);
  }

  private static List<String> json(SparkSession spark, Path table) {
    return spark
        .read()
        .format("delta")
        .load(table.toString())
        .select(
            org.apache
                .spark
                .sql
                .functions
                .to_json(
                    org.apache.spark.sql.functions.struct(
                        java.util.Arrays.stream(
                                spark.read().format("delta").load(table.toString()).columns())
                            .filter(
                                c ->
                                    !c.equals("params")
                                        && !c.equals("evidence")
                                        && !c.equals("finding_onsets"))
                            .map(org.apache.spark.sql.functions::col)
                            .toArray(org.apache.spark.sql.Column[]::new)))
                .as("j"))
        .orderBy("j")
        .as(org.apache.spark.sql.Encoders.STRING())
        .collectAsList();
  }

  private static List<String> statuses(SparkSession spark, Path out) {
    return spark
        .read()
        .format("delta")
        .load(out.resolve("nightly_audit").toString())
        .orderBy("ended_at")
        .select("status")
        .as(org.apache.spark.sql.Encoders.STRING())
        .collectAsList();
  }

  /**
   * The last success is read from the audit's latest commits (failed runs' appends among them); a
   * success row deleted by hand is not trusted.
   */
  @Test
  void theLastSuccessIsFoundPastFailedRuns() {
    SparkSession spark = SparkTest.spark();
    Work w = Work.twoRuns(spark);
    Path dir = w.dir(), telemetry = w.telemetry(), out = w.out();
    nightly(spark, telemetry, out);
    assertThrows(RuntimeException.class, () -> nightly(spark, dir.resolve("missing"), out));
    assertThrows(RuntimeException.class, () -> nightly(spark, dir.resolve("missing"), out));

    NightlyAction.Result r = nightly(spark, telemetry, out);
    assertEquals(Outcome.SKIPPED, r.outcome(), r.diagnostics().reason());
    assertEquals(List.of("SUCCEEDED", "FAILED", "FAILED", "SUCCEEDED"), statuses(spark, out));
  }

  /** A success row deleted by hand: the commits no longer tell it, the table does. */
  @Test
  void aSuccessDeletedFromTheAuditIsNotTrusted() {
    SparkSession spark = SparkTest.spark();
    Work w = Work.twoRuns(spark);
    Path telemetry = w.telemetry(), out = w.out();
    nightly(spark, telemetry, out);
    assertEquals(0, nightly(spark, telemetry, out).summaries().runs(), "unchanged: skipped");

    DeltaTable.forPath(spark, out.resolve("nightly_audit").toString())
        .delete("status = 'SUCCEEDED'");
    NightlyAction.Result r = nightly(spark, telemetry, out);
    assertEquals(2, r.summaries().runs(), "no success left: the summaries are computed again");
    assertEquals(Outcome.SKIPPED, nightly(spark, telemetry, out).outcome(), "and then trusted");
  }
}
