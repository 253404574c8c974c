package io.neuroscope.jobs.telemetry;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.to_json;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.neuroscope.jobs.table.OutputTable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;

/**
 * The {@code quarantine} table: rows that break the contract, set aside with the reason (its code
 * and prose). The row is kept as JSON, nulls included (a null key is the reason, so it must show);
 * a tensor row's {@code values} array (up to millions of floats) is replaced by its length, {@code
 * values_length}.
 */
public final class Quarantine {
  /** A row set aside, before the job stamps it: the quarantine's columns up to {@code row}. */
  public static final StructType ROW =
      new StructType(
          Arrays.copyOf(
              OutputTable.QUARANTINE.requiredSchema().fields(),
              OutputTable.QUARANTINE.requiredSchema().fieldIndex("row") + 1));

  private Quarantine() {}

  /** Quarantine rows for the rows of {@code table} that have a non-null {@code reason} column. */
  static Dataset<Row> of(String table, Dataset<Row> withReason, String... rowColumns) {
    Column[] cols = Arrays.stream(rowColumns).map(c -> col(c)).toArray(Column[]::new);
    return withReason
        .where(col("reason").isNotNull())
        .select(
            lit(table).as("table"),
            col("run_id"),
            QuarantineReason.codeOf(col("reason")).as("reason_code"),
            col("reason"),
            to_json(struct(cols), java.util.Map.of("ignoreNullFields", "false")).as("row"));
  }

  /** Quarantine rows for files that could not be read: the row is the file's path. */
  static Dataset<Row> ofFiles(SparkSession spark, List<ParquetFiles.Unreadable> files) {
    List<Row> rows = new ArrayList<>();
    for (ParquetFiles.Unreadable f : files) {
      String reason = QuarantineReason.UNREADABLE_FILE.prose(f.error());
      String json;
      try {
        json = JSON.writeValueAsString(Map.of("file", f.file()));
      } catch (JsonProcessingException e) {
        throw new IllegalStateException("a map of one string is JSON", e);
      }
      rows.add(
          RowFactory.create(
              f.table(), null, QuarantineReason.UNREADABLE_FILE.name(), reason, json));
    }
    return spark.createDataFrame(rows, ROW);
  }

  private static final ObjectMapper JSON = new ObjectMapper();
}
