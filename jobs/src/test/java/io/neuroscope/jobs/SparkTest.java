package io.neuroscope.jobs;

import io.neuroscope.jobs.spark.Sessions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.spark.sql.SparkSession;

/** The one local SparkSession of the test JVM (Delta configured, few shuffle partitions, no UI). */
final class SparkTest {
  private static SparkSession spark;

  private SparkTest() {}

  static synchronized SparkSession spark() {
    if (spark == null) {
      spark =
          Sessions.getOrCreate(
              "neuroscope-tests",
              Map.of(
                  "spark.master", "local[2]",
                  "spark.sql.shuffle.partitions", "4",
                  "spark.default.parallelism", "4",
                  "spark.ui.enabled", "false",
                  "spark.driver.host", "127.0.0.1",
                  "spark.driver.bindAddress", "127.0.0.1",
                  "spark.sql.session.timeZone", "UTC",
                  "spark.databricks.delta.snapshotPartitions", "2"));
    }
    return spark;
  }

  static Path tempDir(String prefix) {
    try {
      Path base = Path.of("target", "test-work");
      Files.createDirectories(base);
      return Files.createTempDirectory(base.toAbsolutePath(), prefix);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
