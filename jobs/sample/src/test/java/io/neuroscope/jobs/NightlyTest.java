package io.neuroscope.jobs;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.neuroscope.diagnostics.Diagnostics;
import io.neuroscope.jobs.report.Compare;
import io.neuroscope.jobs.table.OutputTables;
import io.neuroscope.sample.Sweep;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

/**
 * The nightly job over the demo sweep ({@link DemoArchive}): its summaries, the planted relations
 * among the strongest hyperparameter effects, the catalog's tables and views, and compare.
 */
class NightlyTest {
  private static final String DB = DemoArchive.DATABASE;

  private static SparkSession spark() {
    DemoArchive.root();
    return SparkTest.spark();
  }

  @Test
  void plantedRelationsAreAmongTheStrongestEffectsOfTheirExperiment() {
    Dataset<Row> effects =
        spark().table(DB + ".hyperparameter_effects").where(col("reason").isNull());
    effects.createOrReplaceTempView("nightly_effects");
    String[][] planted = {
      {"activation", "hidden_activation", "dead_neurons"},
      {"activation", "hidden_activation", "activation_saturation"},
      {"depth-ladder", "depth", "vanishing_gradients"},
      {"lr-ladder", "learning_rate", "exploding_gradients"}
    };
    for (String[] p : planted) {
      Row best =
          spark()
              .sql(
                  "SELECT strength, least(pearson_p, spearman_p, anova_p) AS p, "
                      + "(SELECT max(strength) FROM nightly_effects o WHERE o.scope = e.scope) AS strongest "
                      + "FROM nightly_effects e WHERE scope = '"
                      + p[0]
                      + "' AND hyperparameter = '"
                      + p[1]
                      + "' AND target = '"
                      + p[2]
                      + "' ORDER BY strength DESC LIMIT 1")
              .first();
      String what = String.join(" / ", p) + ": " + best;
      // a ladder moves one hyperparameter, which goes with many diagnostics at once: the planted
      // one is
      // strong, significant and within a tenth of the experiment's strongest relation
      assertTrue(best.getDouble(0) >= 0.85, what);
      assertTrue(best.getDouble(1) < 0.05, what);
      assertTrue(best.getDouble(0) >= 0.9 * best.getDouble(2), what);
    }
  }

  @Test
  void runSummaryHasEveryRunAndItsPlantedPathology() {
    Dataset<Row> s = spark().table(DB + ".run_summary");
    assertEquals(Sweep.demo(0).size(), s.count());
    Row d8 = s.where(col("run_id").equalTo("spirals-sigmoid-d8")).first();
    assertEquals("CRITICAL", d8.getAs("vanishing_gradients_status"));
    assertTrue(d8.getList(d8.fieldIndex("critical_diagnostics")).contains("vanishing_gradients"));
    Row relu = s.where(col("run_id").equalTo("moons-relu-sgd-lr2.0")).first();
    assertEquals("CRITICAL", relu.getAs("dead_neurons_status"));
    assertEquals("CRITICAL", relu.getAs("health"));
  }

  @Test
  void catalogHoldsTheTablesAndViewsAndTheViewsAgreeWithTheTable() {
    SparkSession spark = spark();
    for (String t :
        List.of(
            "diagnostics",
            "run_summary",
            "experiment_summary",
            "hyperparameter_effects",
            "diagnostics_wide",
            "run_health")) {
      assertTrue(spark.catalog().tableExists(DB, t), t);
    }
    Dataset<Row> diagnostics = spark.table(DB + ".diagnostics");
    long runs = diagnostics.select("run_id").distinct().count();
    assertEquals(runs * Diagnostics.names().size(), spark.table(DB + ".run_health").count());
    assertEquals(
        diagnostics.select("run_id", "epoch", "layer").distinct().count(),
        spark.table(DB + ".diagnostics_wide").count());
    // the wide view holds the table's values and statuses
    long mismatches =
        spark
            .sql(
                "SELECT * FROM "
                    + DB
                    + ".diagnostics d JOIN "
                    + DB
                    + ".diagnostics_wide w "
                    + "ON d.run_id = w.run_id AND d.epoch = w.epoch AND d.layer <=> w.layer "
                    + "WHERE d.diagnostic = 'dead_neurons' AND NOT (d.value <=> w.dead_neurons AND d.status = w.dead_neurons_status)")
            .count();
    assertEquals(0, mismatches);
    // run_health's worst status is run_summary's
    assertEquals(
        0,
        spark
            .sql(
                "SELECT * FROM "
                    + DB
                    + ".run_health h JOIN "
                    + DB
                    + ".run_summary s USING (run_id) "
                    + "WHERE h.diagnostic = 'vanishing_gradients' AND h.worst_status <> s.vanishing_gradients_status")
            .count());
  }

  @Test
  void compareShowsTheHyperparametersThatDifferAndStatusRanges() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    Compare.print(
        OutputTables.at(spark(), DemoArchive.output()),
        List.of(),
        "depth-ladder",
        new PrintStream(bytes, true, StandardCharsets.UTF_8));
    String out = bytes.toString(StandardCharsets.UTF_8);
    assertTrue(out.contains("Experiment depth-ladder: 6 runs"), out);
    String depthLine =
        out.lines().filter(l -> l.trim().startsWith("depth ")).findFirst().orElseThrow();
    for (String d : List.of("1", "2", "3", "4", "6", "8"))
      assertTrue(depthLine.contains(" " + d), depthLine);
    assertTrue(out.contains("same in all:") && out.contains("hidden_activation=sigmoid"), out);
    String vanishing =
        out.lines()
            .filter(l -> l.trim().startsWith("vanishing_gradients"))
            .findFirst()
            .orElseThrow();
    assertTrue(vanishing.matches(".*[HWC]1-?\\d*.*"), vanishing);

    bytes.reset();
    Compare.print(
        OutputTables.at(spark(), DemoArchive.output()),
        List.of("moons-relu-sgd-lr2.0", "moons-wide-momentum"),
        null,
        new PrintStream(bytes, true, StandardCharsets.UTF_8));
    out = bytes.toString(StandardCharsets.UTF_8);
    assertTrue(
        out.lines()
            .anyMatch(
                l ->
                    l.trim().startsWith("learning_rate")
                        && l.contains("2.0")
                        && l.contains("0.01")),
        out);
    assertTrue(
        out.lines().anyMatch(l -> l.trim().startsWith("dead_neurons") && l.contains("C")), out);
  }
}
