package io.neuroscope.jobs.table;

import io.delta.tables.DeltaTable;
import java.util.List;
import java.util.Set;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.storage.StorageLevel;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The output tables' schemas and their keyed upserts, so that a rerun on the same input changes nothing.
 * Two jobs writing the same output at once are safe: Delta commits one of two conflicting writes, and
 * the other is run again ({@link DeltaCommits#retry}) against the table as the first left it.
 */
public final class KeyedUpserts {
  private static final Logger LOG = LoggerFactory.getLogger(KeyedUpserts.class);

  private KeyedUpserts() {}

  public static final StructType SCHEMA = new StructType()
      .add("experiment", DataTypes.StringType, true)
      .add("run_id", DataTypes.StringType, false)
      .add("epoch", DataTypes.IntegerType, false)
      .add("layer", DataTypes.IntegerType, true)
      .add("diagnostic", DataTypes.StringType, false)
      .add("value", DataTypes.DoubleType, false)
      .add("status", DataTypes.StringType, false)
      .add("details", DataTypes.createMapType(DataTypes.StringType, DataTypes.DoubleType), false);

  private static final String KEY = "t.run_id = s.run_id AND t.epoch = s.epoch AND t.diagnostic = s.diagnostic "
      + "AND t.layer <=> s.layer";

  /**
   * Upserts diagnostics rows by (run_id, epoch, layer, diagnostic). Rows already in the table as
   * they are are left out first: a MERGE rewrites every file its join touches, whatever its
   * clause conditions, so an unchanged rerun would otherwise rewrite the whole table.
   *
   * @param runs the runs {@code rows} cover, or null for all: the comparison reads only theirs
   * @return the rows inserted or updated, -1 when this call created the table
   */
  public static long upsertDiagnostics(SparkSession spark, Dataset<Row> rows, String path, Set<String> runs) {
    return DeltaCommits.retry("upsert into " + path, () -> upsertDiagnosticsOnce(spark, rows, path, runs));
  }

  private static long upsertDiagnosticsOnce(SparkSession spark, Dataset<Row> rows, String path, Set<String> runs) {
    if (create(rows, path)) return -1;
    Dataset<Row> all = spark.read().format("delta").load(path);
    Dataset<Row> target = runs == null ? all : all.join(functions.broadcast(
        spark.createDataset(List.copyOf(runs), Encoders.STRING()).toDF("run_id")), "run_id");
    // details compared as sorted entries: a map's order is not part of its value (Map.of's differs from JVM to JVM,
    // so with to_json a rerun in another JVM found every row with a two-entry map changed)
    Dataset<Row> changed = rows.as("s").join(target.as("t"), functions.expr(KEY + " AND t.value <=> s.value "
        + "AND t.status <=> s.status AND t.experiment <=> s.experiment "
        + "AND array_sort(map_entries(t.details)) <=> array_sort(map_entries(s.details))"),
        "left_anti").persist(StorageLevel.MEMORY_AND_DISK());
    try {
      long n = changed.count();
      if (n > 0) {
        DeltaTable.forPath(spark, path).as("t").merge(changed.as("s"), KEY)
            .whenMatched().updateAll()
            .whenNotMatched().insertAll()
            .execute();
      }
      return n;
    } finally {
      changed.unpersist();
    }
  }

  /**
   * Appends quarantine rows not already there (same table, reason and row). The table is created
   * by the first run that sets a row aside: creating an empty Delta table cost about 1 s, a sixth of
   * a clean 200 M-value run.
   */
  public static void upsertQuarantine(SparkSession spark, Dataset<Row> rows, String path) {
    DeltaCommits.retry("upsert into " + path, () -> {
      if (create(rows, path)) return;
      DeltaTable.forPath(spark, path).as("t")
          .merge(rows.as("s"), "t.table = s.table AND t.reason = s.reason AND t.row = s.row")
          .whenNotMatched().insertAll()
          .execute();
    });
  }

  /**
   * Writes {@code rows} as a new table at {@code path} if there is no table there; returns whether it did.
   * False when a table exists, including one that a concurrent job created after this one looked
   * (its write then fails, as "path exists" or a Delta commit conflict): the caller merges into it.
   */
  private static boolean create(Dataset<Row> rows, String path) {
    SparkSession spark = rows.sparkSession();
    if (DeltaTable.isDeltaTable(spark, path)) return false;
    try {
      rows.write().format("delta").mode("errorifexists").save(path);
      return true;
    } catch (Exception e) { // AnalysisException is checked, and Scala throws it undeclared
      if (!DeltaTable.isDeltaTable(spark, path)) throw e;
      LOG.warn("{} was created by a concurrent job while this one was writing it; merging into it instead ({})",
          path, e.getClass().getSimpleName());
      return false;
    }
  }
}
