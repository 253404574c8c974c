package io.neuroscope.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.neuroscope.diagnostics.Diagnostics;
import io.neuroscope.findings.FindingRules;
import io.neuroscope.jobs.summary.Findings;
import io.neuroscope.jobs.table.OutputTable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The findings table from diagnostics rows, through the SQL functions: a run's own rules, its
 * experiment's cohort for the soft problems, the verdict columns run_summary takes.
 */
class FindingsTest {
  private static final StructType EPOCHS =
      new StructType()
          .add("run_id", DataTypes.StringType)
          .add("epoch", DataTypes.IntegerType)
          .add("train_loss", DataTypes.DoubleType)
          .add("val_loss", DataTypes.DoubleType);

  private static SparkSession spark;

  @BeforeAll
  static void register() {
    spark = SparkTest.spark();
    Findings.register(spark, FindingRules.defaults());
  }

  /**
   * Network rows of every diagnostic for {@code epochs} epochs, HEALTHY, but gradient_snr at {@code
   * snr} (the calibrated band flags below 0.25).
   */
  private static void run(
      List<Row> diagnostics, List<Row> epochs, String experiment, String id, double snr) {
    for (int e = 1; e <= 20; e++) {
      for (String d : Diagnostics.names()) {
        boolean s = d.equals("gradient_snr");
        double value = s ? snr : d.equals("weight_update_ratio") ? 3e-3 : 0.0;
        String status = s && snr < 0.4 ? "CRITICAL" : s && snr < 1.5 ? "WARNING" : "HEALTHY";
        diagnostics.add(
            RowFactory.create(
                experiment, id, e, null, d, value, status, new HashMap<String, Double>()));
      }
      epochs.add(RowFactory.create(id, e, 1.0 - 0.02 * e, 1.05 - 0.02 * e));
    }
  }

  private static Dataset<Row> findings(List<Row> diagnostics, List<Row> epochs) {
    return Findings.build(
        spark.createDataFrame(diagnostics, OutputTable.DIAGNOSTICS.requiredSchema()),
        spark.createDataFrame(epochs, EPOCHS));
  }

  @Test
  void aSoftProblemSharedByTheWholeCohortIsNotAFinding() {
    List<Row> d = new ArrayList<>();
    List<Row> e = new ArrayList<>();
    // six sibling runs, all with a low SNR (an architecture whose gradients are sparse) ...
    double[] snrs = {0.20, 0.21, 0.22, 0.19, 0.20, 0.21};
    for (int i = 0; i < snrs.length; i++) run(d, e, "sparse", "s" + i, snrs[i]);
    // ... and one whose gradients are zero almost everywhere
    run(d, e, "sparse", "zero", 0.02);
    // the same low SNR alone in a small experiment is judged without a cohort
    run(d, e, "alone", "a0", 0.20);
    Map<String, Row> byRun = new HashMap<>();
    for (Row r : findings(d, e).collectAsList()) byRun.put(r.getAs("run_id"), r);
    assertEquals(
        List.of("a0", "zero"), byRun.keySet().stream().sorted().toList(), byRun.toString());
    Row zero = byRun.get("zero");
    assertEquals("gradient_snr", zero.getAs("problem"));
    assertEquals("CRITICAL", zero.getAs("severity"));
    assertEquals("cause", zero.getAs("role"));
    assertEquals(1, (int) zero.getAs("onset_epoch"));
    assertNull(zero.getAs("onset_layer"));
    Map<String, Double> evidence = zero.getJavaMap(zero.fieldIndex("evidence"));
    assertEquals(7.0, evidence.get("cohort_runs"));
    assertEquals(0.20, evidence.get("cohort_median"), 1e-12);
    assertTrue(evidence.get("cohort_z") < -2, evidence.toString());
    assertEquals("WARNING", byRun.get("a0").getAs("severity"));
    assertEquals(
        "gradients mostly noise from epoch 1: mean|g|/std|g| = 0.20",
        byRun.get("a0").getAs("summary"));
  }

  @Test
  void runSummaryTakesTheVerdictAndTheFindingsCausesFirst() {
    List<Row> d = new ArrayList<>();
    List<Row> e = new ArrayList<>();
    run(d, e, "x", "sick", 0.7);
    run(d, e, "x", "well", 0.7);
    d.removeIf(
        r ->
            r.getString(1).equals("sick")
                && List.of("dead_neurons", "weight_update_ratio").contains(r.getString(4)));
    for (int ep = 1; ep <= 20; ep++) {
      d.add(RowFactory.create("x", "sick", ep, null, "dead_neurons", 60.0, "CRITICAL", Map.of()));
      d.add(
          RowFactory.create(
              "x", "sick", ep, null, "weight_update_ratio", 1e-6, "CRITICAL", Map.of()));
    }
    List<Row> perRun = Findings.perRun(findings(d, e)).collectAsList();
    assertEquals(1, perRun.size(), "a run without findings has no row");
    Row sick = perRun.get(0);
    assertEquals("CRITICAL", sick.getAs("verdict"));
    assertEquals(
        List.of("dead_neurons", "weight_update_ratio"), sick.getList(sick.fieldIndex("findings")));
    assertEquals(
        Map.of("dead_neurons", 1, "weight_update_ratio", 1),
        sick.getJavaMap(sick.fieldIndex("finding_onsets")));
  }

  @Test
  void theRulesAreCallableFromSql() {
    Row r =
        spark
            .sql(
                "SELECT ns_findings(ns_finding_candidates("
                    + " transform(sequence(1, 10), e -> named_struct('epoch', e, 'layer', CAST(NULL AS INT),"
                    + "   'diagnostic', 'exploding_gradients', 'value', 0.9D, 'status', 'CRITICAL',"
                    + "   'details', map('total_norm', 25D))),"
                    + " transform(sequence(1, 10), e -> named_struct('epoch', e, 'train_loss', 1D, 'val_loss', 1D))),"
                    + " NULL) AS f")
            .first();
    List<Row> f = r.getList(0);
    assertEquals(1, f.size());
    assertEquals("exploding_gradients", f.get(0).getAs("problem"));
    assertEquals(10, (int) f.get(0).getAs("epochs"));
  }
}
