package io.neuroscope.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.neuroscope.diagnostics.Settings;
import io.neuroscope.jobs.diagnostics.DiagnosticsAction;
import io.neuroscope.jobs.error.ContractException;
import io.neuroscope.jobs.nightly.DiagnosticsStage;
import io.neuroscope.jobs.table.OutputTables;
import io.neuroscope.jobs.telemetry.Telemetry;
import java.nio.file.Path;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

/** Telemetry read from catalog tables gives the same diagnostics as from folders. */
class CatalogTelemetryTest {
  private static final Path GOLDEN = Path.of("src/test/resources/golden/telemetry");

  @Test
  void catalogTablesAreReadLikeFolders() {
    SparkSession spark = SparkTest.spark();
    Path work = SparkTest.tempDir("catalog");
    spark.sql(
        "CREATE DATABASE IF NOT EXISTS ns_catalog_test LOCATION '" + work.resolve("db") + "'");
    Fixtures.read(spark, GOLDEN.resolve("runs.jsonl"), Fixtures.RUNS)
        .write()
        .format("delta")
        .mode("overwrite")
        .saveAsTable("ns_catalog_test.runs");
    Fixtures.read(spark, GOLDEN.resolve("layers.jsonl"), Fixtures.LAYERS)
        .write()
        .format("delta")
        .mode("overwrite")
        .saveAsTable("ns_catalog_test.layers");
    Fixtures.read(spark, GOLDEN.resolve("epochs.jsonl"), Fixtures.EPOCHS)
        .write()
        .format("delta")
        .mode("overwrite")
        .saveAsTable("ns_catalog_test.epochs");
    ContractException missing =
        assertThrows(
            ContractException.class, () -> Telemetry.fromCatalog(spark, "ns_catalog_test"));
    assertTrue(
        missing.getMessage().contains("'tensors'")
            && missing.getMessage().contains("ns_catalog_test.tensors"),
        missing.getMessage());

    Fixtures.read(spark, GOLDEN.resolve("tensors.jsonl"), Fixtures.TENSORS)
        .write()
        .format("delta")
        .mode("overwrite")
        .saveAsTable("ns_catalog_test.tensors");
    DiagnosticsAction.Result r =
        DiagnosticsStage.run(
            Telemetry.fromCatalog(spark, "ns_catalog_test"),
            OutputTables.at(spark, work.resolve("out").toString()),
            Settings.defaults(),
            false);
    assertEquals(3517, r.diagnosticsRows(), "the golden telemetry's expected row count");
    assertEquals(127, r.epochs());
    assertEquals(0, r.quarantined());
  }
}
