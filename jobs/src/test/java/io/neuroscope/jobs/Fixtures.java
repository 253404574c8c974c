package io.neuroscope.jobs;

import java.nio.file.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/** Telemetry tables in the contract's exact schema, written as Delta or Parquet for the job to read. */
final class Fixtures {
  private Fixtures() {}

  static final StructType RUNS = new StructType()
      .add("run_id", DataTypes.StringType).add("experiment", DataTypes.StringType)
      .add("started_at", DataTypes.TimestampType)
      .add("params", DataTypes.createMapType(DataTypes.StringType, DataTypes.StringType));
  static final StructType LAYERS = new StructType()
      .add("run_id", DataTypes.StringType).add("layer", DataTypes.IntegerType).add("name", DataTypes.StringType)
      .add("activation", DataTypes.StringType).add("fan_in", DataTypes.IntegerType).add("fan_out", DataTypes.IntegerType);
  static final StructType EPOCHS = new StructType()
      .add("run_id", DataTypes.StringType).add("epoch", DataTypes.IntegerType)
      .add("train_loss", DataTypes.DoubleType).add("val_loss", DataTypes.DoubleType);
  static final StructType TENSORS = new StructType()
      .add("run_id", DataTypes.StringType).add("epoch", DataTypes.IntegerType).add("layer", DataTypes.IntegerType)
      .add("kind", DataTypes.StringType).add("chunk", DataTypes.IntegerType).add("rows", DataTypes.IntegerType)
      .add("cols", DataTypes.IntegerType).add("values", DataTypes.createArrayType(DataTypes.FloatType));

  /** Reads the JSON-lines golden telemetry under {@code dir} and writes it under {@code out} as Delta or Parquet. */
  static void writeFromJson(SparkSession spark, Path dir, Path out, String format) {
    write(read(spark, dir.resolve("runs.jsonl"), RUNS), out.resolve("runs"), format);
    write(read(spark, dir.resolve("layers.jsonl"), LAYERS), out.resolve("layers"), format);
    write(read(spark, dir.resolve("epochs.jsonl"), EPOCHS), out.resolve("epochs"), format);
    write(read(spark, dir.resolve("tensors.jsonl"), TENSORS), out.resolve("tensors"), format);
  }

  static Dataset<Row> read(SparkSession spark, Path jsonl, StructType schema) {
    return spark.read().schema(schema).option("mode", "FAILFAST").option("allowNonNumericNumbers", "true")
        .json(jsonl.toString());
  }

  static void write(Dataset<Row> df, Path path, String format) {
    df.write().format(format).mode("overwrite").save(path.toString());
  }
}
