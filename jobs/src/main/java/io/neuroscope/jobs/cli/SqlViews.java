package io.neuroscope.jobs.cli;

import io.neuroscope.jobs.table.CatalogViews;
import io.neuroscope.jobs.table.OutputTables;
import io.neuroscope.jobs.table.TableFolders;
import io.neuroscope.jobs.telemetry.TelemetryContract;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Registers the job's output tables and views and the telemetry tables as temporary views by their
 * names, for ad-hoc SQL.
 */
public final class SqlViews {
  private SqlViews() {}

  /**
   * Registers the output tables and views ({@link CatalogViews}) from {@code output} and {@code
   * runs}, {@code layers}, {@code epochs}, {@code tensors} from {@code telemetry}: each table that
   * exists, read as Delta when it has a {@code _delta_log/}, else as Parquet. Returns the names
   * registered.
   */
  public static List<String> register(SparkSession spark, String output, String telemetry) {
    List<String> names =
        new ArrayList<>(CatalogViews.registerTemporary(OutputTables.at(spark, output)));
    for (String t : TelemetryContract.TABLES) {
      if (registerOne(spark, t, telemetry)) names.add(t);
    }
    return names;
  }

  private static boolean registerOne(SparkSession spark, String table, String root) {
    Optional<Dataset<Row>> t = TableFolders.read(spark, TableFolders.join(root, table), true);
    t.ifPresent(d -> d.createOrReplaceTempView(table));
    return t.isPresent();
  }
}
