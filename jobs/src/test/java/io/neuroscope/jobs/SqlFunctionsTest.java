package io.neuroscope.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.neuroscope.diagnostics.Settings;
import io.neuroscope.diagnostics.spark.NeuroScopeFunctions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The diagnostics as SQL functions agree with the independent reference on the golden telemetry.
 */
class SqlFunctionsTest {
  private static final Path GOLDEN = Path.of("src/test/resources/golden");
  private static SparkSession spark;

  @BeforeAll
  static void register() {
    spark = SparkTest.spark();
    NeuroScopeFunctions.register(spark, Settings.defaults());
    Fixtures.read(spark, GOLDEN.resolve("telemetry/epochs.jsonl"), Fixtures.EPOCHS)
        .createOrReplaceTempView("g_epochs");
    Fixtures.read(spark, GOLDEN.resolve("telemetry/tensors.jsonl"), Fixtures.TENSORS)
        .createOrReplaceTempView("g_tensors");
    spark
        .read()
        .option("allowNonNumericNumbers", "true")
        .schema(
            "run_id STRING, epoch INT, layer INT, diagnostic STRING, value DOUBLE, status STRING")
        .json(GOLDEN.resolve("expected.jsonl").toString())
        .createOrReplaceTempView("g_expected");
  }

  @Test
  void historyFunctionsMatchTheReferenceOnEveryEpoch() {
    List<Row> rows =
        spark
            .sql(
                """
        WITH norms AS (
          SELECT run_id, epoch, sqrt(sum(pow(s.norm, 2))) AS grad_norm
          FROM (SELECT run_id, epoch, layer, ns_tensor_stats(values) AS s FROM g_tensors
                WHERE kind = 'gradients' GROUP BY run_id, epoch, layer)
          GROUP BY run_id, epoch),
        h AS (
          SELECT e.run_id, e.epoch, collect_list(struct(e.train_loss, e.val_loss, n.grad_norm))
                 OVER (PARTITION BY e.run_id ORDER BY e.epoch) AS history
          FROM g_epochs e LEFT JOIN norms n ON e.run_id = n.run_id AND e.epoch = n.epoch),
        ours AS (
          SELECT run_id, epoch, 'plateau' AS diagnostic, ns_plateau(history) AS r FROM h
          UNION ALL SELECT run_id, epoch, 'overfitting', ns_overfitting(history) FROM h
          UNION ALL SELECT run_id, epoch, 'learning_progress', ns_learning_progress(history) FROM h)
        SELECT o.run_id, o.epoch, o.diagnostic, o.r.value, o.r.status, x.value, x.status
        FROM ours o JOIN g_expected x
          ON o.run_id = x.run_id AND o.epoch = x.epoch AND o.diagnostic = x.diagnostic AND x.layer IS NULL
        """)
            .collectAsList();
    assertEquals(127 * 3, rows.size(), "every golden epoch, three history diagnostics");
    List<String> mismatches = new ArrayList<>();
    for (Row r : rows) {
      boolean same =
          r.getString(4).equals(r.getString(6))
              && (Double.isNaN(r.getDouble(5))
                  ? Double.isNaN(r.getDouble(3))
                  : Math.abs(r.getDouble(3) - r.getDouble(5)) <= 1e-9);
      if (!same) mismatches.add(r.toString());
    }
    assertTrue(mismatches.isEmpty(), String.join("\n", mismatches));
  }

  @Test
  void tensorStatsAggregateOverChunksEqualsTheSameTensorInOneRow() {
    Map<String, Row> byChunks = new HashMap<>();
    for (Row r :
        spark
            .sql(
                """
        SELECT concat_ws('/', run_id, epoch, layer, kind) AS k, ns_tensor_stats(values) AS s
        FROM g_tensors GROUP BY run_id, epoch, layer, kind HAVING count(*) > 1""")
            .collectAsList()) {
      byChunks.put(r.getString(0), r.getStruct(1));
    }
    List<Row> whole =
        spark
            .sql(
                """
        SELECT concat_ws('/', run_id, epoch, layer, kind) AS k, ns_tensor_stats(v) AS s
        FROM (SELECT run_id, epoch, layer, kind, flatten(transform(array_sort(collect_list(struct(chunk, values))),
                     c -> c.values)) AS v
              FROM g_tensors GROUP BY run_id, epoch, layer, kind HAVING count(*) > 1)
        GROUP BY run_id, epoch, layer, kind""")
            .withColumnRenamed("v", "values")
            .collectAsList();
    assertTrue(byChunks.size() > 100, "the golden telemetry has many chunked tensors");
    for (Row r : whole) {
      Row a = byChunks.get(r.getString(0)), b = r.getStruct(1);
      for (String f : new String[] {"count", "mean", "variance", "norm", "meanAbs", "stdAbs"}) {
        double x = ((Number) a.getAs(f)).doubleValue(), y = ((Number) b.getAs(f)).doubleValue();
        assertTrue(
            Double.compare(x, y) == 0 || Math.abs(x - y) <= 1e-12 * Math.max(1, Math.abs(x)),
            r.getString(0) + " " + f + ": " + x + " vs " + y);
      }
    }
  }
}
