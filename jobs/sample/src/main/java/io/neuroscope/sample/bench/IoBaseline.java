package io.neuroscope.sample.bench;

import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sequence;
import static org.apache.spark.sql.functions.size;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import io.neuroscope.jobs.diagnostics.DiagnosticsAction;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The I/O a nightly cannot avoid, as a plain Spark job with none of NeuroScope's code: read the
 * archive's {@code epochs} and every tensor row's values, reduce the values per (run_id, epoch) to
 * their count, and write ten rows per epoch (run_id, epoch, diagnostic 0..9, a double value) to a
 * fresh Delta table. {@code bench-nightly} reports its full run as a ratio of this one.
 *
 * <p>The values are reduced with {@code size(values)}: the cheapest reduction that still reads
 * them, since Spark's Parquet reader decodes an array column's elements whole (there is no
 * lengths-only read), while a reduction per element would add work the baseline is not about. The
 * tensors table is read for every archive: the loss archive's is an empty Delta table, whose log
 * the nightly must read too to know it is empty, so the baseline pays for the same look.
 *
 * <p>Like the job, it first reads the tensors' declared shapes ({@code rows}, {@code cols}) to size
 * Spark's columnar batches to about 4 M values. With Spark's default of 4096 rows a batch, the same
 * read of 64 k-value rows took about twice as long, and a baseline slowed by a setting the job
 * tunes would flatter the job.
 */
final class IoBaseline {
  private IoBaseline() {}

  /** What one run read and wrote, told from its output table after the timed run. */
  record Result(long epochs, long tensorRows, long values, long rowsWritten) {}

  /** Reads the telemetry under {@code root} and writes the ten rows per epoch to {@code output}. */
  private static final String BATCH_KEY = "spark.sql.parquet.columnarReaderBatchSize";

  /** The session settings the baseline chooses for itself, restored after it. */
  private static final List<String> SESSION_KEYS =
      List.of(BATCH_KEY, "spark.sql.codegen.wholeStage", "spark.sql.codegen.factoryMode");

  static void run(SparkSession spark, String root, String output) {
    Dataset<Row> epochs = table(spark, root, "epochs");
    Dataset<Row> tensors = table(spark, root, "tensors");
    Map<String, String> previous = new HashMap<>();
    for (String key : SESSION_KEYS) previous.put(key, spark.conf().get(key, null));
    // a plain Spark job: Spark's own code generation, whatever the conf file chose for the nightly
    spark.conf().unset("spark.sql.codegen.wholeStage");
    spark.conf().unset("spark.sql.codegen.factoryMode");
    try {
      Row shape =
          tensors.agg(avg(col("rows").cast("double").multiply(col("cols").cast("double")))).first();
      long meanValues = shape.isNullAt(0) ? 0 : (long) shape.getDouble(0);
      spark.conf().set(BATCH_KEY, DiagnosticsAction.columnarBatchRows(meanValues));
      Dataset<Row> perEpoch =
          tensors
              .groupBy("run_id", "epoch")
              .agg(count(lit(1)).as("tensor_rows"), sum(size(col("values"))).as("values"));
      Column d = col("diagnostic");
      Column tensorRows = coalesce(col("tensor_rows"), lit(0L)).cast("double");
      Column values = coalesce(col("values"), lit(0L)).cast("double");
      Column value =
          when(d.equalTo(0), values)
              .when(d.equalTo(1), tensorRows)
              .when(d.equalTo(2), col("train_loss"))
              .when(d.equalTo(3), col("val_loss"))
              .otherwise(coalesce(col("train_loss"), lit(0.0)).multiply(d).plus(values));
      epochs
          .select("run_id", "epoch", "train_loss", "val_loss")
          .join(perEpoch, new String[] {"run_id", "epoch"}, "left")
          .select(
              col("run_id"),
              col("epoch"),
              explode(sequence(lit(0), lit(9))).as("diagnostic"),
              col("train_loss"),
              col("val_loss"),
              col("tensor_rows"),
              col("values"))
          .select(col("run_id"), col("epoch"), d, value.as("value"))
          .write()
          .format("delta")
          .mode("overwrite")
          .save(output);
    } finally {
      previous.forEach(
          (key, value) -> {
            if (value == null) spark.conf().unset(key);
            else spark.conf().set(key, value);
          });
    }
  }

  /** What the run wrote: diagnostic 0 holds each epoch's values read, 1 its tensor rows. */
  static Result written(SparkSession spark, String output) {
    Dataset<Row> out = spark.read().format("delta").load(output);
    Row r =
        out.agg(
                count(lit(1)),
                count(when(col("diagnostic").equalTo(0), lit(1))),
                sum(when(col("diagnostic").equalTo(1), col("value"))),
                sum(when(col("diagnostic").equalTo(0), col("value"))))
            .first();
    return new Result(
        r.getLong(1),
        r.isNullAt(2) ? 0 : (long) r.getDouble(2),
        r.isNullAt(3) ? 0 : (long) r.getDouble(3),
        r.getLong(0));
  }

  /** A telemetry table: Delta where it has a {@code _delta_log/}, else a folder of Parquet. */
  private static Dataset<Row> table(SparkSession spark, String root, String name) {
    String path = root + "/" + name;
    try {
      Path log = new Path(path, "_delta_log");
      FileSystem fs = log.getFileSystem(spark.sparkContext().hadoopConfiguration());
      return spark.read().format(fs.exists(log) ? "delta" : "parquet").load(path);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + path, e);
    }
  }
}
