package io.neuroscope.jobs;

import io.delta.tables.DeltaTable;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Row;

/** What the tests read from a Delta table's history. */
final class DeltaHistory {
  private DeltaHistory() {}

  /** The table's last commit: version, operation and its operation metrics. */
  static Map<String, String> lastCommit(Path table) {
    Row last = DeltaTable.forPath(SparkTest.spark(), table.toString()).history(1).first();
    Map<String, String> m = new TreeMap<>(last.getJavaMap(last.fieldIndex("operationMetrics")));
    m.put("version", String.valueOf((long) last.getAs("version")));
    m.put("operation", last.getAs("operation"));
    return m;
  }

  static long version(Path table) {
    return DeltaTable.forPath(SparkTest.spark(), table.toString())
        .history(1)
        .first()
        .<Long>getAs("version");
  }
}
