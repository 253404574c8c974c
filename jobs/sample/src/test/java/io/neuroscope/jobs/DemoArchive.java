package io.neuroscope.jobs;

import io.neuroscope.diagnostics.Settings;
import io.neuroscope.jobs.nightly.NightlyAction;
import io.neuroscope.jobs.table.CatalogViews;
import io.neuroscope.jobs.table.OutputTables;
import io.neuroscope.jobs.telemetry.TelemetrySource;
import io.neuroscope.sample.Sweep;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.SparkSession;

/**
 * The demo's archive, built once per test JVM for the tests that read the nightly job's tables (the
 * notebooks, the HTML report): the demo's runs ({@link Sweep#demo}: the built-in sweep with its
 * planted pathologies and healthy baselines, and the three ladders), trained and written as
 * telemetry, then the nightly job over it, which registers its tables and views in the catalog
 * database {@link #DATABASE}. Read only: nobody writes into its folders.
 *
 * <p>To iterate on a notebook without rebuilding it, point {@code -Dneuroscope.demoArchive=DIR} at
 * a folder holding {@code telemetry/} and the nightly job's {@code output/} (e.g. after {@code
 * bin/neuroscope demo} and {@code bin/neuroscope nightly --telemetry demo/telemetry --output
 * demo/output}): its output is registered instead.
 */
public final class DemoArchive {
  /** The catalog database the nightly job registers the output tables in. */
  public static final String DATABASE = "neuroscope_demo_test";

  /**
   * The nightly job's settings: the defaults, but no random forests (they are a minute of Spark
   * jobs here; the notebooks and the report read {@code importance} and {@code forest_r2} whether
   * null or not).
   */
  static final Map<String, String> SETTINGS =
      Map.of("catalog.database", DATABASE, "effects.forest.min_runs", "100000");

  private static final List<Sweep.Run> SWEEP = Sweep.demo(0);
  private static Path root;
  private static RuntimeException failure;

  private DemoArchive() {}

  /** The runs the archive was trained from. */
  public static List<Sweep.Run> sweep() {
    return SWEEP;
  }

  /**
   * The folder holding {@code telemetry/} and the job's {@code output/}. A failure to build it is
   * thrown each time.
   */
  public static synchronized Path root() {
    if (failure != null)
      throw new IllegalStateException("the demo archive could not be built", failure);
    if (root == null) {
      try {
        root = build();
      } catch (RuntimeException e) {
        failure = e;
        throw e;
      }
    }
    return root;
  }

  private static Path build() {
    SparkSession spark = SparkTest.spark();
    String existing = System.getProperty("neuroscope.demoArchive");
    if (existing != null && !existing.isBlank()) {
      Path dir = Path.of(existing).toAbsolutePath();
      if (!Files.isDirectory(dir.resolve("output/diagnostics"))) {
        throw new IllegalArgumentException(
            "-Dneuroscope.demoArchive=" + dir + ": no output/diagnostics there");
      }
      CatalogViews.registerInCatalog(
          OutputTables.at(spark, dir.resolve("output").toString()), DATABASE);
      return dir;
    }
    Path work = SparkTest.tempDir("demo-archive");
    String telemetry = work.resolve("telemetry").toString();
    Sweep.generate(spark, SWEEP, telemetry);
    new NightlyAction(
            spark,
            TelemetrySource.folder(telemetry),
            OutputTables.at(spark, work.resolve("output").toString()),
            Settings.defaults().with(SETTINGS),
            true)
        .execute();
    return work;
  }

  public static String telemetry() {
    return root().resolve("telemetry").toString();
  }

  public static String output() {
    return root().resolve("output").toString();
  }

  public static SparkSession spark() {
    return SparkTest.spark();
  }
}
