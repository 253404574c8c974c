package io.neuroscope.jobs;

import io.neuroscope.diagnostics.Settings;
import io.neuroscope.jobs.diagnostics.DiagnosticsAction;
import io.neuroscope.jobs.nightly.DiagnosticsStage;
import io.neuroscope.jobs.table.OutputTables;
import io.neuroscope.jobs.telemetry.Telemetry;
import java.nio.file.Path;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;

/**
 * Gives the tests of other packages (io.neuroscope.jobs.sample) the package-private test helpers:
 * the one shared SparkSession, the contract schemas of {@link Fixtures}, and a way to run the
 * diagnostics job on a telemetry folder.
 */
public final class SampleTestSupport {
  public static final StructType RUNS = Fixtures.RUNS;
  public static final StructType LAYERS = Fixtures.LAYERS;
  public static final StructType EPOCHS = Fixtures.EPOCHS;
  public static final StructType TENSORS = Fixtures.TENSORS;

  private SampleTestSupport() {}

  public static SparkSession spark() {
    return SparkTest.spark();
  }

  public static Path tempDir(String prefix) {
    return SparkTest.tempDir(prefix);
  }

  /**
   * Reads the four tables under {@code root} as the job does, which checks them against the
   * contract (or throws).
   */
  public static void checkContract(String root) {
    Telemetry.fromFolder(spark(), root);
  }

  /**
   * Runs the nightly job (diagnostics, findings, summaries) with the default settings, but no
   * random forests and its own catalog database, on the telemetry under {@code telemetry}.
   */
  public static io.neuroscope.jobs.nightly.NightlyAction.Result runNightly(
      String telemetry, String output) {
    SparkSession spark = spark();
    return new io.neuroscope.jobs.nightly.NightlyAction(
            spark,
            io.neuroscope.jobs.telemetry.TelemetrySource.folder(telemetry),
            OutputTables.at(spark, output),
            Settings.defaults()
                .with(
                    java.util.Map.of(
                        "catalog.database",
                        "neuroscope_sample_test",
                        "effects.forest.min_runs",
                        "100000")),
            false)
        .execute();
  }

  /**
   * Runs the diagnostics job with the default settings on the telemetry under {@code telemetry}.
   */
  public static DiagnosticsAction.Result runJob(String telemetry, String output) {
    SparkSession spark = spark();
    return DiagnosticsStage.run(
        Telemetry.fromFolder(spark, telemetry),
        OutputTables.at(spark, output),
        Settings.defaults(),
        false);
  }
}
