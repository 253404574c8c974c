package io.neuroscope.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.neuroscope.diagnostics.Settings;
import io.neuroscope.jobs.nightly.DiagnosticsStage;
import io.neuroscope.jobs.table.OutputTables;
import io.neuroscope.jobs.telemetry.Telemetry;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The job run twice on the same input into the same output: the second run changes neither table
 * (keyed upsert, NaN values included) and its MERGEs write nothing. The first run is the shared
 * archive's (its output copied, so that the shared one stays as it was); the second runs into the
 * copy.
 */
class IdempotenceTest {
  private static Path out;
  private static List<String> diagnosticsAfterFirst;
  private static List<String> quarantineAfterFirst;
  private static List<String> diagnosticsAfterSecond;
  private static List<String> quarantineAfterSecond;
  private static final Map<String, List<String>> filesAfterFirst = new TreeMap<>();
  private static final Map<String, List<String>> filesAfterSecond = new TreeMap<>();

  @BeforeAll
  static void runTwice() throws IOException {
    SparkSession spark = SparkTest.spark();
    Path shared = SharedArchive.root();
    out = SparkTest.tempDir("idempotence").resolve("out");
    TestFiles.copyTree(shared.resolve("out"), out);
    diagnosticsAfterFirst = contents(spark, "diagnostics");
    quarantineAfterFirst = contents(spark, "quarantine");
    for (String t : List.of("diagnostics", "quarantine")) filesAfterFirst.put(t, files(spark, t));
    DiagnosticsStage.run(
        Telemetry.fromFolder(spark, shared.resolve("telemetry").toString()),
        OutputTables.at(spark, out.toString()),
        Settings.defaults(),
        false);
    diagnosticsAfterSecond = contents(spark, "diagnostics");
    quarantineAfterSecond = contents(spark, "quarantine");
    for (String t : List.of("diagnostics", "quarantine")) filesAfterSecond.put(t, files(spark, t));
  }

  @Test
  void diagnosticsTableIsUnchanged() {
    assertEquals(SharedArchive.diagnostics().size(), diagnosticsAfterFirst.size());
    assertTrue(
        diagnosticsAfterFirst.stream().anyMatch(s -> s.contains("|NaN|")),
        "the input yields NaN values");
    assertEquals(diagnosticsAfterFirst, diagnosticsAfterSecond);
  }

  @Test
  void quarantineTableIsUnchanged() {
    assertEquals(SharedArchive.quarantine().size(), quarantineAfterFirst.size());
    assertTrue(
        quarantineAfterFirst.size() > 200,
        "the shared archive's bad runs: " + quarantineAfterFirst.size());
    assertTrue(
        quarantineAfterFirst.stream().anyMatch(s -> s.startsWith("|epochs|null|")),
        "a row with a null run_id");
    assertEquals(quarantineAfterFirst, quarantineAfterSecond);
  }

  @Test
  void secondRunCommitsNothingToDiagnostics() {
    // The copied first-run table is at version 0 (its creating WRITE); an unchanged rerun adds no
    // commit.
    Map<String, String> d = lastCommit("diagnostics");
    assertEquals("WRITE", d.get("operation"), d.toString());
    assertEquals("0", d.get("version"), d.toString());
    Map<String, String> q = lastCommit("quarantine");
    // an insert-only MERGE that inserts nothing may commit nothing at all (Delta 4.0 does not)
    if (!q.get("version").equals("0"))
      assertEquals("0", q.get("numTargetRowsInserted"), q.toString());
  }

  @Test
  void secondRunAddsNoQuarantineFile() {
    assertEquals(filesAfterFirst.get("quarantine"), filesAfterSecond.get("quarantine"));
  }

  @Test
  void secondRunRewritesNoDiagnosticsFile() {
    assertEquals(
        filesAfterFirst.get("diagnostics"),
        filesAfterSecond.get("diagnostics"),
        lastCommit("diagnostics").toString());
  }

  private static Map<String, String> lastCommit(String table) {
    return DeltaHistory.lastCommit(out.resolve(table));
  }

  private static List<String> files(SparkSession spark, String table) {
    List<String> f =
        new ArrayList<>(
            List.of(spark.read().format("delta").load(out.resolve(table).toString()).inputFiles()));
    f.sort(null);
    return f;
  }

  /** The table's rows as sorted strings (a multiset: duplicates stay), NaN and details included. */
  private static List<String> contents(SparkSession spark, String table) {
    List<String> rows = new ArrayList<>();
    for (Row r : spark.read().format("delta").load(out.resolve(table).toString()).collectAsList()) {
      StringBuilder s = new StringBuilder();
      for (int i = 0; i < r.size(); i++) {
        Object v = r.get(i);
        if (v instanceof scala.collection.Map<?, ?>) v = new TreeMap<>(r.getJavaMap(i));
        s.append('|').append(v);
      }
      rows.add(s.append('|').toString());
    }
    rows.sort(null);
    return rows;
  }
}
