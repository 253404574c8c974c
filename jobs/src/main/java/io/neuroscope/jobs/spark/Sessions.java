package io.neuroscope.jobs.spark;

import java.util.Map;
import org.apache.spark.sql.SparkSession;

/**
 * The SparkSession with Delta configured: local[*] when started from bin/, the cluster's under
 * spark-submit.
 */
public final class Sessions {
  private Sessions() {}

  public static SparkSession getOrCreate(String appName, Map<String, String> conf) {
    SparkSession.Builder b =
        SparkSession.builder()
            .appName(appName)
            .config("spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension")
            .config(
                "spark.sql.catalog.spark_catalog",
                "org.apache.spark.sql.delta.catalog.DeltaCatalog");
    if (System.getProperty("spark.master") == null && !conf.containsKey("spark.master")) {
      // Delta rebuilds a table's snapshot in 50 partitions by default; on one machine 4 halved a
      // cold run (47 -> 23 s).
      b.master("local[*]")
          .config("spark.sql.shuffle.partitions", "8")
          .config("spark.ui.showConsoleProgress", "false")
          .config("spark.databricks.delta.snapshotPartitions", "4");
    }
    conf.forEach(b::config);
    return b.getOrCreate();
  }
}
