package io.neuroscope.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.neuroscope.diagnostics.Settings;
import io.neuroscope.jobs.nightly.DiagnosticsStage;
import io.neuroscope.jobs.table.OutputTables;
import io.neuroscope.jobs.telemetry.Telemetry;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

/**
 * A run over the whole archive into an existing output leaves exactly what a fresh output gets:
 * rows of a run, an epoch or a tensor no longer in the telemetry are deleted (issue "Nightly": rows
 * are never deleted).
 */
class StaleRowsTest {
  private static Map<String, Row> diagnose(SparkSession spark, Path telemetry, Path out) {
    DiagnosticsStage.run(
        Telemetry.fromFolder(spark, telemetry.toString()),
        OutputTables.at(spark, out.toString()),
        Settings.defaults(),
        false);
    return TestTelemetry.diagnostics(spark, out);
  }

  @Test
  void aWholeArchiveRunDeletesRowsWhoseInputsAreGone() {
    SparkSession spark = SparkTest.spark();
    Path dir = SparkTest.tempDir("stale");
    TestTelemetry before = new TestTelemetry().run("a", 1).run("b", 1);
    Map<String, Row> first =
        diagnose(spark, before.write(spark, dir.resolve("v1"), 2), dir.resolve("out"));
    assertTrue(first.keySet().stream().anyMatch(k -> k.startsWith("b/")));

    // run b deleted; run a lost its last epoch and the activations of layer 1 at epoch 2
    TestTelemetry after = new TestTelemetry().run("a", 1);
    int last = TestTelemetry.EPOCHS - 1;
    after.epochs.removeIf(r -> r.getInt(1) == last);
    after.tensors.removeIf(r -> r.getInt(1) == last);
    after.removeTensor("a", 2, 1, "activations");
    Path v2 = after.write(spark, dir.resolve("v2"), 2);

    Map<String, Row> again = diagnose(spark, v2, dir.resolve("out"));
    Map<String, Row> fresh = diagnose(spark, v2, dir.resolve("fresh"));
    assertEquals(List.of(), TestTelemetry.differences(again, fresh, 0), "rerun vs fresh output");
    assertEquals(fresh.size(), again.size());
    assertTrue(again.keySet().stream().noneMatch(k -> k.startsWith("b/")));
    assertTrue(again.keySet().stream().noneMatch(k -> k.startsWith("a/" + last + "/")));
    assertTrue(!again.containsKey("a/2/1/dead_neurons"), "the layer row of the deleted tensor");
    assertTrue(first.containsKey("a/2/1/dead_neurons"));
  }
}
