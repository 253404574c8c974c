package io.neuroscope.jobs.summary;

import static org.apache.spark.sql.functions.array_sort;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_list;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.map_from_entries;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.transform;

import io.neuroscope.diagnostics.spark.FindingsFunctions;
import io.neuroscope.findings.FindingRules;
import io.neuroscope.jobs.table.OutputTable;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;

/**
 * {@code findings}: one row per run and problem it had, from the run's diagnostics rows and losses
 * by the rules of {@code io.neuroscope.findings} (README, "Findings"); and the run-level columns
 * {@code run_summary} takes from them.
 */
public final class Findings {
  private Findings() {}

  /** Registers the rules' SQL functions ({@code ns_finding_candidates}, …) with these settings. */
  public static void register(SparkSession spark, FindingRules rules) {
    FindingsFunctions.register(spark, rules);
  }

  /**
   * The findings rows of the runs in {@code diagnostics}, each experiment's cohort taken over the
   * runs given (give every run of an experiment, or its cohort is partial).
   */
  public static Dataset<Row> build(Dataset<Row> diagnostics, Dataset<Row> epochs) {
    // The rules read every network row, and of the layer rows those that can decide something:
    // flagged ones (onset layer, saturation in the tails, a non-finite norm or weight) and
    // activations of non-finite variance; a healthy run's layer rows stay out of its array.
    Column variance = col("details").getItem("variance");
    Dataset<Row> readings =
        diagnostics
            .where(
                col("layer")
                    .isNull()
                    .or(col("status").isin("WARNING", "CRITICAL"))
                    .or(
                        col("diagnostic")
                            .equalTo("activation_saturation")
                            .and(
                                functions
                                    .isnan(variance)
                                    .or(
                                        functions
                                            .abs(variance)
                                            .equalTo(Double.POSITIVE_INFINITY)))))
            .groupBy("run_id", "experiment")
            .agg(
                collect_list(
                        struct(
                            col("epoch"),
                            col("layer"),
                            col("diagnostic"),
                            col("value"),
                            col("status"),
                            col("details")))
                    .as("readings"));
    Dataset<Row> losses =
        epochs
            .groupBy("run_id")
            .agg(
                collect_list(struct(col("epoch"), col("train_loss"), col("val_loss")))
                    .as("losses"));
    Dataset<Row> candidates =
        readings
            .join(losses, new String[] {"run_id"}, "left")
            .select(
                col("experiment"),
                col("run_id"),
                functions.callUDF("ns_finding_candidates", col("readings"), col("losses")).as("c"));
    Dataset<Row> cohorts =
        candidates
            .select(col("experiment"), explode(col("c.statistics")).as(new String[] {"p", "s"}))
            .groupBy("experiment", "p")
            .agg(functions.callUDF("ns_cohort", collect_list(col("s"))).as("cohort"))
            .groupBy("experiment")
            .agg(map_from_entries(collect_list(struct(col("p"), col("cohort")))).as("cohorts"));
    Dataset<Row> findings =
        candidates
            .as("r")
            .join(
                cohorts.withColumnRenamed("experiment", "cohort_experiment").as("k"),
                col("r.experiment").eqNullSafe(col("k.cohort_experiment")),
                "left")
            .select(
                col("r.experiment").as("experiment"),
                col("r.run_id").as("run_id"),
                explode(functions.callUDF("ns_findings", col("r.c"), col("k.cohorts"))).as("f"))
            .select(col("experiment"), col("run_id"), col("f.*"));
    return findings.select(
        java.util.Arrays.stream(OutputTable.FINDINGS.requiredSchema().fieldNames())
            .map(functions::col)
            .toArray(Column[]::new));
  }

  /**
   * Per run of {@code findings}: {@code verdict} (the worst severity; runs without findings are
   * HEALTHY where joined), {@code findings} (problem names, causes first, each by onset) and {@code
   * finding_onsets} (problem → onset epoch).
   */
  public static Dataset<Row> perRun(Dataset<Row> findings) {
    Column order =
        struct(col("role").equalTo("symptom").as("symptom"), col("onset_epoch"), col("problem"));
    return findings
        .groupBy("run_id")
        .agg(
            max(RunSummary.severity(col("severity"))).as("worst"),
            array_sort(collect_list(order)).as("ordered"),
            map_from_entries(collect_list(struct(col("problem"), col("onset_epoch"))))
                .as("finding_onsets"))
        .select(
            col("run_id"),
            RunSummary.statusOf(col("worst")).as("verdict"),
            transform(col("ordered"), x -> x.getField("problem")).as("findings"),
            col("finding_onsets"));
  }
}
