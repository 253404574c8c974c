package io.neuroscope.jobs;

import io.delta.tables.DeltaTable;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/** The output tables' schemas and their keyed upserts, so that a rerun on the same input changes nothing. */
final class DiagnosticsTable {
  private DiagnosticsTable() {}

  static final StructType SCHEMA = new StructType()
      .add("experiment", DataTypes.StringType, true)
      .add("run_id", DataTypes.StringType, false)
      .add("epoch", DataTypes.IntegerType, false)
      .add("layer", DataTypes.IntegerType, true)
      .add("diagnostic", DataTypes.StringType, false)
      .add("value", DataTypes.DoubleType, false)
      .add("status", DataTypes.StringType, false)
      .add("details", DataTypes.createMapType(DataTypes.StringType, DataTypes.DoubleType), false);

  /** Upserts diagnostics rows by (run_id, epoch, layer, diagnostic); a row is rewritten only if it changed. */
  static void upsertDiagnostics(SparkSession spark, Dataset<Row> rows, String path) {
    if (!DeltaTable.isDeltaTable(spark, path)) {
      rows.write().format("delta").mode("errorifexists").save(path);
      return;
    }
    DeltaTable.forPath(spark, path).as("t")
        .merge(rows.as("s"), "t.run_id = s.run_id AND t.epoch = s.epoch AND t.diagnostic = s.diagnostic "
            + "AND t.layer <=> s.layer")
        .whenMatched("NOT (t.value <=> s.value AND t.status <=> s.status AND t.experiment <=> s.experiment "
            + "AND to_json(t.details) <=> to_json(s.details))")
        .updateAll()
        .whenNotMatched().insertAll()
        .execute();
  }

  /** Appends quarantine rows not already there (same table, reason and row). */
  static void upsertQuarantine(SparkSession spark, Dataset<Row> rows, String path) {
    if (!DeltaTable.isDeltaTable(spark, path)) {
      rows.write().format("delta").mode("errorifexists").save(path);
      return;
    }
    DeltaTable.forPath(spark, path).as("t")
        .merge(rows.as("s"), "t.table = s.table AND t.reason = s.reason AND t.row = s.row")
        .whenNotMatched().insertAll()
        .execute();
  }
}
