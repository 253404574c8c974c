package io.neuroscope.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.neuroscope.diagnostics.Settings;
import io.neuroscope.jobs.nightly.DiagnosticsStage;
import io.neuroscope.jobs.table.OutputTables;
import io.neuroscope.jobs.telemetry.Telemetry;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

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
    together = run(spark, t.write(spark, work.resolve("together"), 2), work.resolve("out"));
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

  private static List<Row> of(String run) {
    return quarantine.stream().filter(r -> run.equals(r.getAs("run_id"))).toList();
  }
}
