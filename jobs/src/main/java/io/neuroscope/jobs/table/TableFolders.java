package io.neuroscope.jobs.table;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Optional;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Tables stored as folders: a Delta table is a folder with a {@code _delta_log/}, anything else
 * there is read as Parquet (telemetry may be either; the output tables are Delta).
 */
public final class TableFolders {
  private TableFolders() {}

  /** The fully qualified path of the Delta table at {@code path}, if there is one. */
  public static Optional<Path> delta(SparkSession spark, String path) {
    try {
      Path p = new Path(path.replaceAll("/+$", ""));
      FileSystem fs = p.getFileSystem(spark.sparkContext().hadoopConfiguration());
      return fs.exists(new Path(p, "_delta_log"))
          ? Optional.of(fs.makeQualified(p))
          : Optional.empty();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + path, e);
    }
  }

  /**
   * The table at {@code path}: Delta, or Parquet where {@code parquetToo}; empty where there is
   * none.
   */
  public static Optional<Dataset<Row>> read(SparkSession spark, String path, boolean parquetToo) {
    try {
      Path p = new Path(path);
      FileSystem fs = p.getFileSystem(spark.sparkContext().hadoopConfiguration());
      if (fs.exists(new Path(p, "_delta_log")))
        return Optional.of(spark.read().format("delta").load(path));
      // every file's footer read (mergeSchema): files that disagree on a column's type fail the
      // same
      // way whatever file Spark would have sampled
      if (parquetToo && fs.exists(p))
        return Optional.of(spark.read().option("mergeSchema", "true").parquet(path));
      return Optional.empty();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + path, e);
    }
  }

  /** {@code root/name}, whether or not root ends with slashes. */
  public static String join(String root, String name) {
    return root.replaceAll("/+$", "") + "/" + name;
  }
}
