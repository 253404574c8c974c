package io.neuroscope.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.delta.tables.DeltaTable;
import io.neuroscope.diagnostics.Settings;
import io.neuroscope.jobs.action.Outcome;
import io.neuroscope.jobs.nightly.NightlyAction;
import io.neuroscope.jobs.table.OutputTables;
import io.neuroscope.jobs.telemetry.TelemetrySource;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

/**
 * The nightly finds the last successful run in its audit's latest commits, and trusts them only
 * while every commit there is an audit append of its own.
 */
class NightlyAuditTest {
  private static final Settings SETTINGS =
      Settings.defaults().with(Map.of("catalog.database", "", "effects.forest.min_runs", "100000"));

  private static NightlyAction.Result nightly(SparkSession spark, Path telemetry, Path out) {
    return new NightlyAction(
            spark,
            TelemetrySource.folder(telemetry.toString()),
            OutputTables.at(spark, out.toString()),
            SETTINGS,
            true)
        .execute();
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

  @Test
  void theLastSuccessIsFoundPastFailedRuns() {
    SparkSession spark = SparkTest.spark();
    Path dir = SparkTest.tempDir("audit");
    Path telemetry = dir.resolve("telemetry");
    Path out = dir.resolve("out");
    new TestTelemetry().run("a", 1).run("b", 1).write(spark, telemetry, 2);
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
    Path dir = SparkTest.tempDir("audit");
    Path telemetry = dir.resolve("telemetry");
    Path out = dir.resolve("out");
    new TestTelemetry().run("a", 1).run("b", 1).write(spark, telemetry, 2);
    nightly(spark, telemetry, out);
    assertEquals(0, nightly(spark, telemetry, out).summaries().runs(), "unchanged: skipped");

    DeltaTable.forPath(spark, out.resolve("nightly_audit").toString())
        .delete("status = 'SUCCEEDED'");
    NightlyAction.Result r = nightly(spark, telemetry, out);
    assertEquals(2, r.summaries().runs(), "no success left: the summaries are computed again");
    assertEquals(Outcome.SKIPPED, nightly(spark, telemetry, out).outcome(), "and then trusted");
  }
}
