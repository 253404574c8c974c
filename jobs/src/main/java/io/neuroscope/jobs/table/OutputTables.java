package io.neuroscope.jobs.table;

import io.delta.tables.DeltaTable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The output tables under one root folder: where each is, whether it exists, its rows and its
 * version.
 */
public final class OutputTables {
  private final SparkSession spark;
  private final String root;

  private OutputTables(SparkSession spark, String root) {
    this.spark = spark;
    this.root = root.replaceAll("(?<=.)/+$", "");
  }

  public static OutputTables at(SparkSession spark, String root) {
    return new OutputTables(spark, root);
  }

  public SparkSession spark() {
    return spark;
  }

  /** The root folder, as given (trailing slashes dropped). */
  public String root() {
    return root;
  }

  public String path(OutputTable t) {
    return TableFolders.join(root, t.tableName());
  }

  /** Whether the table is there as a Delta table. */
  public boolean exists(OutputTable t) {
    return DeltaTable.isDeltaTable(spark, path(t));
  }

  /** The table's rows; it must exist. */
  public Dataset<Row> read(OutputTable t) {
    return spark.read().format("delta").load(path(t));
  }

  /** The table's rows, if it exists. */
  public Optional<Dataset<Row>> readIfExists(OutputTable t) {
    return exists(t) ? Optional.of(read(t)) : Optional.empty();
  }

  public DeltaTable delta(OutputTable t) {
    return DeltaTable.forPath(spark, path(t));
  }

  /** The table's current Delta version, if it exists. */
  public Optional<Long> version(OutputTable t) {
    if (!exists(t)) return Optional.empty();
    return Optional.of(DeltaHead.of(delta(t)).version());
  }

  /** The current version of each of {@code tables} that exists, by name, in their order. */
  public Map<String, Long> versions(List<OutputTable> tables) {
    Map<String, Long> out = new LinkedHashMap<>();
    for (OutputTable t : tables) version(t).ifPresent(v -> out.put(t.tableName(), v));
    return out;
  }

  @Override
  public String toString() {
    return root;
  }
}
