package io.neuroscope.jobs;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.delta.tables.DeltaTable;
import io.neuroscope.diagnostics.Settings;
import io.neuroscope.jobs.diagnostics.DiagnosticsAction;
import io.neuroscope.jobs.nightly.DiagnosticsStage;
import io.neuroscope.jobs.nightly.Fingerprints;
import io.neuroscope.jobs.nightly.NightlyAction;
import io.neuroscope.jobs.table.OutputTable;
import io.neuroscope.jobs.table.OutputTables;
import io.neuroscope.jobs.telemetry.Telemetry;
import io.neuroscope.jobs.telemetry.TelemetryContract;
import io.neuroscope.jobs.telemetry.TelemetrySource;
import io.neuroscope.sample.Sweep;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The nightly job on a growing archive, as an operator runs it: a first run computes everything; a
 * rerun on the unchanged archive computes nothing; after new epochs, new runs, a corrected loss and
 * a rewritten tensor, the next run computes exactly those epochs and leaves every output table as a
 * full run on the grown archive writes it. Each run is in the audit table.
 */
class IncrementalNightlyTest {
  private static final int RUNS = 7;
  private static final int EPOCHS = 8;

  /**
   * The archive first holds runs 0..4, epochs 1..5 (the sweep counts from 1); it grows to all runs
   * and epochs.
   */
  private static final int FIRST_RUNS = 5;

  private static final int FIRST_EPOCHS = 5;

  private static SparkSession spark;
  private static Path archive;
  private static Path out;
  private static Path fullOut;
  private static List<String> runIds;
  private static Settings settings;
  private static NightlyAction.Result first;
  private static NightlyAction.Result unchanged;
  private static NightlyAction.Result grown;
  private static NightlyAction.Result full;
  private static long diagnosticsVersionAfterFirst;
  private static long diagnosticsVersionAfterUnchanged;
  private static long expectedTensors;

  @BeforeAll
  static void growAndRun() {
    spark = SparkTest.spark();
    Path dir = SparkTest.tempDir("incremental");
    Path source = dir.resolve("source");
    archive = dir.resolve("archive");
    out = dir.resolve("out");
    fullOut = dir.resolve("full");
    Sweep.generate(spark, Sweep.cyclic(RUNS, EPOCHS, List.of(12, 12), 7), source.toString());
    runIds =
        table(source, "runs")
            .select("run_id")
            .orderBy("run_id")
            .as(org.apache.spark.sql.Encoders.STRING())
            .collectAsList();
    Column firstRuns = col("run_id").isin(runIds.subList(0, FIRST_RUNS).toArray());
    for (String t : TelemetryContract.TABLES) {
      Dataset<Row> rows = table(source, t).where(firstRuns);
      if (t.equals("epochs") || t.equals("tensors"))
        rows = rows.where(col("epoch").leq(FIRST_EPOCHS));
      // row tracking: an UPDATE then changes the fingerprints of the rows it changes only
      rows.write()
          .format("delta")
          .option("delta.enableRowTracking", "true")
          .save(archive.resolve(t).toString());
    }
    // no forests (slow, and not what this test is about); no catalog
    settings =
        Settings.defaults().with(Map.of("effects.forest.min_runs", "1000", "catalog.database", ""));

    first = nightly(out, true);
    diagnosticsVersionAfterFirst = version(out, "diagnostics");
    unchanged = nightly(out, true);
    diagnosticsVersionAfterUnchanged = version(out, "diagnostics");

    // the archive grows: later epochs of the first runs, two new runs; a loss is corrected, a
    // tensor rewritten
    Column later = firstRuns.and(col("epoch").gt(FIRST_EPOCHS));
    Column newRuns = col("run_id").isin(runIds.subList(FIRST_RUNS, RUNS).toArray());
    for (String t : TelemetryContract.TABLES) {
      Dataset<Row> rows =
          t.equals("epochs") || t.equals("tensors")
              ? table(source, t).where(later.or(newRuns))
              : table(source, t).where(newRuns);
      rows.write().format("delta").mode("append").save(archive.resolve(t).toString());
    }
    DeltaTable.forPath(spark, archive.resolve("epochs").toString())
        .updateExpr(
            "run_id = '" + runIds.get(1) + "' AND epoch = 2",
            Map.of("train_loss", "train_loss * 1.5"));
    DeltaTable.forPath(spark, archive.resolve("tensors").toString())
        .updateExpr(
            "run_id = '" + runIds.get(2) + "' AND epoch = 1 AND kind = 'gradients'",
            Map.of("values", "transform(values, x -> x * 1000)"));
    expectedTensors =
        table(archive, "tensors")
            .where(
                later
                    .or(newRuns)
                    .or(col("run_id").equalTo(runIds.get(1)).and(col("epoch").equalTo(2)))
                    .or(col("run_id").equalTo(runIds.get(2)).and(col("epoch").equalTo(1))))
            .select("run_id", "epoch", "layer", "kind")
            .distinct()
            .count();
    grown = nightly(out, true);
    full = nightly(fullOut, false);
  }

  private static NightlyAction.Result nightly(Path output, boolean incremental) {
    return new NightlyAction(
            spark,
            TelemetrySource.folder(archive.toString()),
            OutputTables.at(spark, output.toString()),
            settings,
            incremental)
        .execute();
  }

  private static Dataset<Row> table(Path root, String t) {
    return spark.read().format("delta").load(root.resolve(t).toString());
  }

  private static long version(Path root, String t) {
    return DeltaHistory.version(root.resolve(t));
  }

  @Test
  void parquetTelemetryWithBadRowsRerunsToNothing() {
    Path telemetry = SharedArchive.root().resolve("telemetry");
    Path parquetOut = SparkTest.tempDir("incremental-parquet").resolve("out");
    DiagnosticsAction.Result a =
        DiagnosticsStage.run(
            Telemetry.fromFolder(spark, telemetry.toString()),
            OutputTables.at(spark, parquetOut.toString()),
            settings,
            true);
    List<String> quarantine = json(table(parquetOut, "quarantine"));
    long version = version(parquetOut, "diagnostics");
    DiagnosticsAction.Result b =
        DiagnosticsStage.run(
            Telemetry.fromFolder(spark, telemetry.toString()),
            OutputTables.at(spark, parquetOut.toString()),
            settings,
            true);
    assertEquals("full", a.outcome().mode());
    assertTrue(a.quarantined() > 0, "the shared archive has bad rows");
    assertEquals("incremental", b.outcome().mode());
    assertEquals(0, b.epochsComputed());
    assertEquals(0, b.tensors());
    assertEquals(version, version(parquetOut, "diagnostics"));
    assertEquals(
        quarantine, json(table(parquetOut, "quarantine")), "nothing set aside twice, nothing lost");
    assertEquals(SharedArchive.diagnostics().size(), table(parquetOut, "diagnostics").count());
  }

  @Test
  void theArchiveIsRowTracked() {
    assertTrue(
        Fingerprints.rowTracked(table(archive, "tensors")),
        "else the test checks the file-path fallback only");
  }

  @Test
  void theFirstRunComputesEverything() {
    DiagnosticsAction.Result d = first.diagnostics();
    assertEquals("full", d.outcome().mode());
    assertTrue(d.reason().startsWith("no state"), d.reason());
    assertEquals(FIRST_RUNS * FIRST_EPOCHS, d.epochsComputed());
    assertTrue(d.scope().isEverything());
  }

  @Test
  void aRerunOnTheUnchangedArchiveComputesAndWritesNothing() {
    DiagnosticsAction.Result d = unchanged.diagnostics();
    assertEquals("incremental", d.outcome().mode());
    assertEquals(0, d.epochsComputed());
    assertEquals(0, d.tensors());
    assertEquals(0, d.valuesRead());
    assertEquals(0, d.diagnosticsRows());
    assertEquals(
        diagnosticsVersionAfterFirst, diagnosticsVersionAfterUnchanged, "no commit to diagnostics");
    assertEquals(0, unchanged.summaries().runs(), "summaries left as they were");
    assertTrue(
        d.reason().contains("as the last successful run"), d.reason()); // told by versions alone
  }

  @Test
  void theGrownArchiveComputesOnlyWhatIsNewOrChanged() {
    DiagnosticsAction.Result d = grown.diagnostics();
    assertEquals("incremental", d.outcome().mode());
    // 5 runs x 3 new epochs, 2 new runs x 8 epochs, the corrected loss's epoch, the rewritten
    // tensor's epoch
    assertEquals(
        FIRST_RUNS * (EPOCHS - FIRST_EPOCHS) + (RUNS - FIRST_RUNS) * EPOCHS + 2,
        d.epochsComputed());
    assertEquals(RUNS, d.scope().runs().size(), "every run gained or changed an epoch");
    assertEquals(
        expectedTensors, d.tensors(), "only the new and the rewritten epochs' tensors are read");
    assertTrue(
        d.valuesRead() < full.diagnostics().valuesRead(),
        d.valuesRead() + " vs " + full.diagnostics().valuesRead());
    assertEquals(RUNS * EPOCHS, full.diagnostics().epochsComputed());
  }

  @Test
  void everyOutputTableEqualsAFullRunOnTheGrownArchive() {
    for (String t :
        List.of(
            "diagnostics",
            "quarantine",
            "findings",
            "run_summary",
            "experiment_summary",
            "hyperparameter_effects")) {
      boolean there = DeltaTable.isDeltaTable(spark, fullOut.resolve(t).toString());
      assertEquals(there, DeltaTable.isDeltaTable(spark, out.resolve(t).toString()), t);
      if (!there) continue;
      // which job set a quarantine row aside, and when, is not the content
      List<String> a = json(table(out, t).drop("job_id", "quarantined_at"));
      List<String> b = json(table(fullOut, t).drop("job_id", "quarantined_at"));
      assertEquals(b.size(), a.size(), t + " rows");
      for (int i = 0; i < a.size(); i++) assertSame(b.get(i), a.get(i), t);
    }
    assertTrue(table(out, "diagnostics").count() > 0);
  }

  @Test
  void theStateHoldsEveryRunAndEpoch() {
    Dataset<Row> state = table(out, OutputTable.NIGHTLY_STATE.tableName());
    assertEquals(RUNS, state.where(col("epoch").isNull()).count());
    assertEquals(RUNS * EPOCHS, state.where(col("epoch").isNotNull()).count());
    assertEquals(
        json(table(fullOut, OutputTable.NIGHTLY_STATE.tableName())),
        json(table(out, OutputTable.NIGHTLY_STATE.tableName())));
  }

  @Test
  void theAuditTellsWhatEachRunDid() {
    List<Row> audit =
        table(out, OutputTable.NIGHTLY_AUDIT.tableName()).orderBy("started_at").collectAsList();
    assertEquals(3, audit.size());
    List<String> modes = new ArrayList<>();
    for (Row r : audit) {
      assertEquals("SUCCEEDED", r.getAs("status"));
      assertNull(r.getAs("error"));
      assertTrue(!((java.sql.Timestamp) r.getAs("ended_at")).before(r.getAs("started_at")));
      modes.add(r.getAs("mode"));
    }
    assertEquals(List.of("full", "incremental", "incremental"), modes);
    Row last = audit.get(2);
    assertEquals(grown.jobId(), last.getAs("job_id"));
    assertEquals(grown.diagnostics().epochsComputed(), (long) last.getAs("epochs_computed"));
    assertEquals(grown.diagnostics().tensors(), (long) last.getAs("tensors_read"));
    assertEquals((long) RUNS, (long) last.getAs("runs_computed"));
    assertEquals((long) RUNS * EPOCHS, (long) last.getAs("epochs_read"));
    assertEquals(0L, (long) audit.get(1).getAs("epochs_computed"));
    // the telemetry grew by an append and an update to epochs and tensors; diagnostics gained a
    // commit
    Map<String, Long> before = audit.get(1).getJavaMap(audit.get(1).fieldIndex("input_versions"));
    Map<String, Long> after = last.getJavaMap(last.fieldIndex("input_versions"));
    assertEquals(before.get("epochs") + 2, after.get("epochs"));
    assertEquals(before.get("runs") + 1, after.get("runs"));
    Map<String, Long> outBefore =
        audit.get(1).getJavaMap(audit.get(1).fieldIndex("output_versions"));
    Map<String, Long> outAfter = last.getJavaMap(last.fieldIndex("output_versions"));
    assertEquals(diagnosticsVersionAfterFirst, outBefore.get("diagnostics"));
    assertEquals(version(out, "diagnostics"), outAfter.get("diagnostics"));
    assertTrue(outAfter.get("diagnostics") > outBefore.get("diagnostics"));
  }

  @Test
  void otherSettingsComputeEverythingAndAFailureIsAudited() {
    Path other = SparkTest.tempDir("incremental-settings").resolve("out");
    Settings base = settings;
    try {
      settings = base;
      nightly(other, true);
      settings = base.with(Map.of("dead_neurons.warning_above", "7"));
      NightlyAction.Result changed = nightly(other, true);
      assertEquals("full", changed.diagnostics().outcome().mode());
      assertTrue(
          changed.diagnostics().reason().contains("settings"), changed.diagnostics().reason());
      // another effects setting: the diagnostics stay, the summaries and effects are computed again
      settings = settings.with(Map.of("effects.min_runs", "6"));
      NightlyAction.Result effectsChanged = nightly(other, true);
      assertEquals(0, effectsChanged.diagnostics().epochsComputed());
      assertEquals(RUNS, effectsChanged.summaries().runs());
      // run_summary's folder turned into a file: the summaries stage fails after an unchanged
      // diagnostics stage
      Path runSummary = other.resolve("run_summary");
      TestFiles.deleteTree(runSummary);
      java.nio.file.Files.writeString(runSummary, "not a table");
      assertThrows(Exception.class, () -> nightly(other, true));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    } finally {
      settings = base;
    }
    Row failed =
        table(other, OutputTable.NIGHTLY_AUDIT.tableName())
            .orderBy(col("started_at").desc())
            .first();
    assertEquals("FAILED", failed.getAs("status"));
    assertEquals("incremental", failed.getAs("mode"));
    assertEquals(0L, (long) failed.getAs("epochs_computed"));
    assertNotNull(failed.getAs("error"));
    assertEquals(4, table(other, OutputTable.NIGHTLY_AUDIT.tableName()).count());
  }

  /** The rows as JSON, sorted (maps' entries sorted too), so that two tables compare row by row. */
  private static List<String> json(Dataset<Row> t) {
    List<Column> cols = new ArrayList<>();
    for (var f : t.schema().fields()) {
      Column c = col(f.name());
      if (f.dataType() instanceof org.apache.spark.sql.types.MapType) {
        c =
            org.apache.spark.sql.functions.array_sort(
                org.apache.spark.sql.functions.map_entries(c));
      }
      cols.add(c.as(f.name()));
    }
    return t.select(
            org.apache
                .spark
                .sql
                .functions
                .to_json(org.apache.spark.sql.functions.struct(cols.toArray(Column[]::new)))
                .as("j"))
        .orderBy("j")
        .as(org.apache.spark.sql.Encoders.STRING())
        .collectAsList();
  }

  private static final Pattern NUMBER = Pattern.compile("-?\\d+(\\.\\d+)?([eE][-+]?\\d+)?");

  /**
   * Equal JSON, numbers to 1e-9 relative: aggregates over other partitions may differ in the last
   * bits.
   */
  private static void assertSame(String expected, String actual, String table) {
    if (expected.equals(actual)) return;
    Matcher a = NUMBER.matcher(actual);
    Matcher e = NUMBER.matcher(expected);
    assertEquals(
        NUMBER.matcher(expected).replaceAll("#"), NUMBER.matcher(actual).replaceAll("#"), table);
    while (e.find() && a.find()) {
      double x = Double.parseDouble(e.group());
      double y = Double.parseDouble(a.group());
      assertTrue(
          Math.abs(x - y) <= 1e-9 * Math.max(1, Math.abs(x)),
          table + ": " + expected + " vs " + actual);
    }
  }
}
