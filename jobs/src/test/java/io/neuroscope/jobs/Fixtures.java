package io.neuroscope.jobs;

import io.neuroscope.jobs.telemetry.TelemetryContract;
import java.nio.file.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;

/**
 * Telemetry tables in the contract's exact schema, written as Delta or Parquet for the job to read.
 */
final class Fixtures {
  private Fixtures() {}

  // The contract's schemas, as the sample telemetry writer writes them.
  static final StructType RUNS = TelemetryContract.schema(TelemetryContract.RUNS);
  static final StructType LAYERS = TelemetryContract.schema(TelemetryContract.LAYERS);
  static final StructType EPOCHS = TelemetryContract.schema(TelemetryContract.EPOCHS);
  static final StructType TENSORS = TelemetryContract.schema(TelemetryContract.TENSORS);

  /**
   * Reads the JSON-lines golden telemetry under {@code dir} and writes it under {@code out} as
   * Delta or Parquet.
   */
  static void writeFromJson(SparkSession spark, Path dir, Path out, String format) {
    write(read(spark, dir.resolve("runs.jsonl"), RUNS), out.resolve("runs"), format);
    write(read(spark, dir.resolve("layers.jsonl"), LAYERS), out.resolve("layers"), format);
    write(read(spark, dir.resolve("epochs.jsonl"), EPOCHS), out.resolve("epochs"), format);
    write(read(spark, dir.resolve("tensors.jsonl"), TENSORS), out.resolve("tensors"), format);
  }

  static Dataset<Row> read(SparkSession spark, Path jsonl, StructType schema) {
    return spark
        .read()
        .schema(schema)
        .option("mode", "FAILFAST")
        .option("allowNonNumericNumbers", "true")
        .json(jsonl.toString());
  }

  static void write(Dataset<Row> df, Path path, String format) {
    df.write().format(format).mode("overwrite").save(path.toString());
  }
}
