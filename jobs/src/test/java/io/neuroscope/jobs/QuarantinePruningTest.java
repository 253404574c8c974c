package io.neuroscope.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.neuroscope.diagnostics.Settings;
import io.neuroscope.jobs.nightly.NightlyAction;
import io.neuroscope.jobs.table.OutputTable;
import io.neuroscope.jobs.table.OutputTables;
import io.neuroscope.jobs.telemetry.TelemetrySource;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

/**
 * The quarantine holds what the telemetry sets aside now: each row stamped with the job that first
 * set it aside; a row whose cause is fixed goes, whether a key rule or the tensor pass found it.
 */
class QuarantinePruningTest {
  private static final Settings SETTINGS = Settings.defaults().with(Map.of("catalog.database", ""));

  private static TestTelemetry archive(boolean fixed) {
    TestTelemetry t = new TestTelemetry().run("good", 1);
    // the tensor pass finds it: 11 values for 3 x 4
    t.run("len", 1);
    if (!fixed) {
      t.removeTensor("len", 2, 0, "weights")
          .addRow(
              "len",
              2,
              0,
              "weights",
              0,
              3,
              4,
              Arrays.copyOf(TestTelemetry.values(2, 0, "weights"), 11));
    }
    // a key rule finds it: epoch 3 twice
    t.run("dupepoch", 1);
    if (!fixed) {
      t.epochs.add(
          RowFactory.create("dupepoch", 3, TestTelemetry.trainLoss(3), TestTelemetry.valLoss(3)));
    }
    // still bad after the fix
    t.run("keepbad", 1).addRow("keepbad", 0, 0, "biases", 0, 1, 4, new float[] {1, 2, 3, 4});
    return t;
  }

  @Test
  void fixedCausesLeaveTheQuarantineAndStampsStay() {
    SparkSession spark = SparkTest.spark();
    Path work = SparkTest.tempDir("quarantine-pruning");
    Path telemetry = work.resolve("telemetry");
    OutputTables out = OutputTables.at(spark, work.resolve("out").toString());

    archive(false).write(spark, telemetry, 2);
    NightlyAction.Result first =
        new NightlyAction(spark, TelemetrySource.folder(telemetry.toString()), out, SETTINGS, true)
            .execute();
    List<Row> before = out.read(OutputTable.QUARANTINE).collectAsList();
    assertTrue(
        codes(before).containsAll(List.of("LENGTH_MISMATCH", "DUPLICATE_EPOCH", "UNKNOWN_KIND")));
    for (Row r : before) assertEquals(first.jobId(), r.getAs("job_id"));

    TestFiles.deleteTree(telemetry);
    archive(true).write(spark, telemetry, 2);
    NightlyAction.Result second =
        new NightlyAction(spark, TelemetrySource.folder(telemetry.toString()), out, SETTINGS, true)
            .execute();
    assertEquals("incremental", second.diagnostics().outcome().mode(), "not a full run");
    List<Row> after = out.read(OutputTable.QUARANTINE).collectAsList();
    assertEquals(
        List.of("UNKNOWN_KIND"), codes(after).stream().distinct().toList(), after::toString);
    for (Row r : after) {
      assertEquals("keepbad", r.getAs("run_id"));
      assertEquals(first.jobId(), r.getAs("job_id"), "stamped by the job that first set it aside");
    }

    // what a fresh full run on the fixed telemetry sets aside
    OutputTables fresh = OutputTables.at(spark, work.resolve("fresh").toString());
    new NightlyAction(spark, TelemetrySource.folder(telemetry.toString()), fresh, SETTINGS, false)
        .execute();
    assertEquals(content(fresh.read(OutputTable.QUARANTINE).collectAsList()), content(after));
  }

  private static List<String> codes(List<Row> rows) {
    return rows.stream().map(r -> r.<String>getAs("reason_code")).sorted().toList();
  }

  private static List<String> content(List<Row> rows) {
    return rows.stream()
        .map(r -> r.getAs("table") + "|" + r.getAs("reason") + "|" + r.getAs("row"))
        .sorted()
        .toList();
  }
}
