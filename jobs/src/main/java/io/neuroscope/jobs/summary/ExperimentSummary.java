package io.neuroscope.jobs.summary;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.array_contains;
import static org.apache.spark.sql.functions.array_sort;
import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.map;
import static org.apache.spark.sql.functions.map_entries;
import static org.apache.spark.sql.functions.map_filter;
import static org.apache.spark.sql.functions.map_from_entries;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.stddev_samp;
import static org.apache.spark.sql.functions.to_json;
import static org.apache.spark.sql.functions.when;

import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;

/**
 * {@code experiment_summary}: per experiment and diagnostic, and per group of runs whose params are
 * equal apart from seed-like params, the runs by worst status and the spread of final values.
 */
public final class ExperimentSummary {
  private ExperimentSummary() {}

  /**
   * @param perDiagnostic {@link RunSummary#perDiagnostic} rows
   * @param runSummary the run_summary rows (for params)
   * @param seedParams params ignored when grouping repeated runs
   */
  public static Dataset<Row> build(
      Dataset<Row> perDiagnostic, Dataset<Row> runSummary, List<String> seedParams) {
    // the seed keys are left out (their names passed as values, never as SQL text)
    Column params = coalesce(col("params"), map().cast("map<string,string>"));
    Column kept =
        seedParams.isEmpty()
            ? params
            : map_filter(
                params,
                (k, v) ->
                    not(
                        array_contains(
                            array(seedParams.stream().map(functions::lit).toArray(Column[]::new)),
                            k)));
    // JSON of the kept params sorted by key: unambiguous whatever the keys and values hold
    Column config = to_json(map_from_entries(array_sort(map_entries(kept))));
    // Each row counts twice, once for its experiment (config null: a config is never null, at least
    // '') and once for its group, so one aggregation over one join makes both kinds of rows.
    Dataset<Row> rows =
        perDiagnostic
            .select("run_id", "diagnostic", "status", "final")
            .join(
                runSummary.select(
                    col("run_id"),
                    col("experiment"),
                    explode(array(lit(null).cast("string"), config)).as("config")),
                "run_id")
            .withColumn("final", when(RunSummary.finite(col("final")), col("final")));
    // only repeated runs form a group: a config of one run would copy run_summary
    return aggregate(rows.groupBy("experiment", "config", "diagnostic"))
        .where(col("config").isNull().or(col("runs").geq(2)))
        .select(
            "experiment",
            "config",
            "diagnostic",
            "runs",
            "healthy_share",
            "warning_share",
            "critical_share",
            "unknown_share",
            "final_runs",
            "final_p25",
            "final_median",
            "final_p75",
            "final_mean",
            "final_std");
  }

  private static Dataset<Row> aggregate(org.apache.spark.sql.RelationalGroupedDataset g) {
    Column n = count(lit(1));
    return g.agg(
            n.as("runs"),
            share("HEALTHY", n).as("healthy_share"),
            share("WARNING", n).as("warning_share"),
            share("CRITICAL", n).as("critical_share"),
            share("UNKNOWN", n).as("unknown_share"),
            count("final").as("final_runs"),
            expr("percentile(final, array(0.25, 0.5, 0.75))").as("q"),
            avg("final").as("final_mean"),
            stddev_samp("final").as("final_std"))
        .withColumn("final_p25", col("q").getItem(0))
        .withColumn("final_median", col("q").getItem(1))
        .withColumn("final_p75", col("q").getItem(2))
        .drop("q");
  }

  private static Column share(String status, Column n) {
    return count(when(col("status").equalTo(status), lit(1))).divide(n);
  }
}
