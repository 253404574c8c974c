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
 * On the shared archive (valid and bad runs alike): how a tensor is split into chunks, and how the
 * tensors table is split into files and partitions, does not change the diagnostics: same row set,
 * same status, value to 1e-12 relative.
 */
class InvariantsTest {
  private static final double REL = 1e-12;

  @Test
  void oneChunkAndThreeChunksGiveTheSameRows() {
    Map<String, Row> d = SharedArchive.diagnostics();
    assertEquals(
        6 * 33, TestTelemetry.ofRun(d, "good").size(), "every network and layer row of the run");
    List<String> diff = TestTelemetry.differences(d, "good", d, "three", REL);
    assertTrue(
        diff.isEmpty(),
        diff.size() + " rows differ between 1 and 3 chunks:\n" + String.join("\n", diff));
  }

  @Test
  void oneAndFourTensorPartitionsGiveTheSameRows() {
    SparkSession spark = SparkTest.spark();
    Map<String, Row> onePartition = SharedArchive.diagnostics();
    Path work = SparkTest.tempDir("partitions");
    Path telemetry = SharedArchive.telemetry().write(spark, work.resolve("telemetry"), 4);
    assertEquals(
        4,
        spark.read().parquet(telemetry.resolve("tensors").toString()).rdd().getNumPartitions(),
        "the tensors are read as 4 partitions");
    DiagnosticsStage.run(
        Telemetry.fromFolder(spark, telemetry.toString()),
        OutputTables.at(spark, work.resolve("out").toString()),
        Settings.defaults(),
        false);
    Map<String, Row> fourPartitions = TestTelemetry.diagnostics(spark, work.resolve("out"));

    assertEquals(onePartition.keySet(), fourPartitions.keySet(), "same row set");
    List<String> diff = TestTelemetry.differences(onePartition, fourPartitions, REL);
    assertTrue(
        diff.isEmpty(),
        diff.size() + " rows differ between 1 and 4 partitions:\n" + String.join("\n", diff));
  }
}
