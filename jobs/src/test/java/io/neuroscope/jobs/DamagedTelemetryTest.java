package io.neuroscope.jobs;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.when;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.neuroscope.diagnostics.Settings;
import io.neuroscope.jobs.nightly.DiagnosticsStage;
import io.neuroscope.jobs.table.OutputTables;
import io.neuroscope.jobs.telemetry.QuarantineReason;
import io.neuroscope.jobs.telemetry.Telemetry;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Damage beside a sound run: each case ends in quarantine rows with its reason and code, and the
 * sound run's diagnostics are exactly those it gets alone.
 */
class DamagedTelemetryTest {
  /** A run id with a newline, a quote and a backslash. */
  static final String ODD_ID = "odd\n\"id\\";

  private static Map<String, Row> alone;
  private static Map<String, Row> together;
  private static List<Row> quarantine;

  @BeforeAll
  static void runTheJob() {
    SparkSession spark = SparkTest.spark();
    Path work = SparkTest.tempDir("damaged");

    TestTelemetry sound = new TestTelemetry().run("good", 1);
    alone = run(spark, sound.write(spark, work.resolve("alone"), 1), work.resolve("alone-out"));

    TestTelemetry t = new TestTelemetry().run("good", 1);
    // a length mismatch in a run whose id needs escaping in JSON
    t.run(ODD_ID, 1)
        .removeTensor(ODD_ID, 2, 0, "weights")
        .addRow(ODD_ID, 2, 0, "weights", 0, 3, 4, new float[] {1, 2});
    // an empty tensor: activations of layer 0 at epoch 1 with no rows
    t.run("empty", 1)
        .removeTensor("empty", 1, 0, "activations")
        .addRow("empty", 1, 0, "activations", 0, 0, 4, new float[0]);
    // epoch 2's train_loss null: the epoch and its tensors are set aside, saying so
    t.runRow("nullloss").layerRows("nullloss").tensorRows("nullloss", 1);
    for (int e = 0; e < TestTelemetry.EPOCHS; e++) {
      t.epochs.add(
          RowFactory.create(
              "nullloss", e, e == 2 ? null : TestTelemetry.trainLoss(e), TestTelemetry.valLoss(e)));
    }
    // layer 1 logged twice: the layer and its tensors are set aside, saying so
    t.run("duplayer", 1);
    t.layers.add(RowFactory.create("duplayer", 1, "fc2", "tanh", 4, 4));
    // one run per contract rule, each damaged in one place (weights of layer 0 at epoch 1: 3 x 4)
    float[] w = TestTelemetry.values(1, 0, "weights");
    t.run("nullexp", 1);
    t.runs.removeIf(r -> "nullexp".equals(r.get(0)));
    t.runs.add(RowFactory.create("nullexp", null, null, Map.of()));
    t.run("duprun", 1);
    t.runs.add(t.runs.get(t.runs.size() - 1));
    t.runs.add(RowFactory.create(null, "exp", null, Map.of()));
    t.layers.add(RowFactory.create(null, 0, "fc1", "relu", 3, 4));
    t.addRow(null, 1, 0, "weights", 0, 3, 4, w);
    t.run("nullepoch", 1).addRow("nullepoch", null, 0, "weights", 0, 3, 4, w);
    t.run("negative", 1)
        .removeTensor("negative", 1, 0, "weights")
        .addRow("negative", 1, 0, "weights", 0, -3, 4, w);
    t.run("nullvalues", 1)
        .removeTensor("nullvalues", 1, 0, "weights")
        .addRow("nullvalues", 1, 0, "weights", 0, 3, 4, null);
    t.run("toolong", 1)
        .removeTensor("toolong", 1, 0, "weights")
        .addRow("toolong", 1, 0, "weights", 0, 3, 4, Arrays.copyOf(w, 13));
    t.run("cols", 1)
        .removeTensor("cols", 1, 0, "weights")
        .addRow("cols", 1, 0, "weights", 0, 1, 4, Arrays.copyOf(w, 4))
        .addRow("cols", 1, 0, "weights", 1, 2, 3, Arrays.copyOf(w, 6));
    // two run ids that differ only in bytes that are not UTF-8 (written as "badutf8a"/"badutf8b",
    // then rewritten byte for byte)
    t.run("badutf8a", 1).run("badutf8b", 1);
    Path root = t.write(spark, work.resolve("together"), 2);
    for (String table : List.of("runs", "layers", "epochs", "tensors")) {
      Dataset<Row> d = spark.read().parquet(root.resolve(table).toString());
      Column id =
          when(col("run_id").equalTo("badutf8a"), expr("cast(unhex('626164FF') as string)"))
              .when(col("run_id").equalTo("badutf8b"), expr("cast(unhex('626164FE') as string)"))
              .otherwise(col("run_id"));
      Fixtures.write(d.withColumn("run_id", id), root.resolve(table + "-utf8"), "parquet");
      TestFiles.deleteTree(root.resolve(table));
      TestFiles.copyTree(root.resolve(table + "-utf8"), root.resolve(table));
      TestFiles.deleteTree(root.resolve(table + "-utf8"));
    }
    together = run(spark, root, work.resolve("out"));
    quarantine = TestTelemetry.quarantine(spark, work.resolve("out"));
  }

  private static Map<String, Row> run(SparkSession spark, Path telemetry, Path out) {
    DiagnosticsStage.run(
        Telemetry.fromFolder(spark, telemetry.toString()),
        OutputTables.at(spark, out.toString()),
        Settings.defaults(),
        false);
    return TestTelemetry.diagnostics(spark, out);
  }

  @Test
  void theSoundRunLosesNothing() {
    List<String> diff = TestTelemetry.differences(alone, "good", together, "good", 0);
    assertTrue(diff.isEmpty(), String.join("\n", diff));
  }

  @Test
  void theQuarantineRowIsJsonWhateverTheRunId() throws Exception {
    Row q = of(ODD_ID).get(0);
    JsonNode row = new ObjectMapper().readTree(q.<String>getAs("row"));
    assertEquals(ODD_ID, row.get("run_id").asText());
    assertEquals(2, row.get("values_length").asInt());
    assertEquals("LENGTH_MISMATCH", q.getAs("reason_code"));
  }

  @Test
  void anEmptyTensorIsNoInput() {
    List<Row> q = of("empty");
    assertEquals(1, q.size(), q::toString);
    assertEquals("EMPTY_TENSOR", q.get(0).getAs("reason_code"));
    assertEquals("tensor is empty (rows x cols = 0)", q.get(0).getAs("reason"));
    // not scored from nothing: no NaN value for the run, and layer 0 has no row at epoch 1
    for (Map.Entry<String, Row> e : TestTelemetry.ofRun(together, "empty").entrySet()) {
      double v = e.getValue().getAs("value");
      assertFalse(Double.isNaN(v), e.getKey() + " is NaN");
    }
    assertEquals(null, together.get("empty/1/0/dead_neurons"));
    assertEquals(null, together.get("empty/1/0/activation_saturation"));
  }

  @Test
  void tensorsOfASetAsideEpochSaySo() {
    List<Row> tensors =
        of("nullloss").stream().filter(r -> r.getAs("table").equals("tensors")).toList();
    assertFalse(tensors.isEmpty());
    for (Row r : tensors) {
      assertEquals("set aside with its epoch: train_loss is null", r.getAs("reason"));
      assertEquals("WITH_ITS_EPOCH", r.getAs("reason_code"));
    }
    assertEquals(
        List.of("NULL_TRAIN_LOSS"),
        of("nullloss").stream()
            .filter(r -> r.getAs("table").equals("epochs"))
            .map(r -> r.<String>getAs("reason_code"))
            .toList());
  }

  @Test
  void tensorsOfASetAsideLayerSaySo() {
    List<Row> tensors =
        of("duplayer").stream().filter(r -> r.getAs("table").equals("tensors")).toList();
    long layer1 =
        new TestTelemetry()
            .run("x", 1).tensors.stream().filter(r -> Integer.valueOf(1).equals(r.get(2))).count();
    assertEquals(layer1, tensors.size(), "every tensor of layer 1, every epoch");
    for (Row r : tensors) {
      assertEquals("set aside with its layer: layer repeats in layers", r.getAs("reason"));
      assertEquals("WITH_ITS_LAYER", r.getAs("reason_code"));
    }
  }

  /** Each contract rule, checked on its own run: the table of the row set aside and its code. */
  @ParameterizedTest(name = "{0}: {1} in {2}")
  @CsvSource({
    "nullexp, NULL_EXPERIMENT, runs",
    "duprun, DUPLICATE_RUN, runs",
    "duplayer, DUPLICATE_LAYER, layers",
    "nullloss, NULL_TRAIN_LOSS, epochs",
    "nullepoch, NULL_KEY, tensors",
    "negative, BAD_SHAPE, tensors",
    "nullvalues, NULL_VALUES, tensors",
    "toolong, LENGTH_MISMATCH, tensors",
    "cols, COLS_DISAGREE, tensors",
  })
  void eachRuleSetsItsRowAside(String run, String code, String table) {
    List<Row> q = of(run);
    assertTrue(
        q.stream()
            .anyMatch(r -> r.getAs("reason_code").equals(code) && r.getAs("table").equals(table)),
        run + ": " + q);
    for (Row r : q) {
      assertEquals(
          QuarantineReason.of(r.getAs("reason")).name(), r.getAs("reason_code"), r.toString());
    }
  }

  /** Run ids that are not UTF-8 are set aside in every table, never merged into one run. */
  @Test
  void runIdsThatAreNotUtf8() {
    List<Row> q =
        quarantine.stream().filter(r -> "INVALID_RUN_ID".equals(r.getAs("reason_code"))).toList();
    assertEquals(
        List.of("epochs", "layers", "runs", "tensors"),
        q.stream().map(r -> r.<String>getAs("table")).distinct().sorted().toList());
    assertEquals(2, q.stream().filter(r -> r.getAs("table").equals("runs")).count(), q::toString);
    assertTrue(
        together.keySet().stream().noneMatch(k -> k.startsWith("bad")),
        "no diagnostics for either id");
  }

  /** A null run_id in runs, layers and tensors: set aside with the null key named, run_id null. */
  @Test
  void nullRunIdsInEveryTable() {
    List<String> tables =
        quarantine.stream()
            .filter(r -> r.getAs("run_id") == null)
            .peek(r -> assertEquals("null key: run_id", r.getAs("reason")))
            .map(r -> r.<String>getAs("table"))
            .sorted()
            .toList();
    assertEquals(List.of("layers", "runs", "tensors"), tables);
  }

  private static List<Row> of(String run) {
    return quarantine.stream().filter(r -> run.equals(r.getAs("run_id"))).toList();
  }
}
