package io.neuroscope.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.neuroscope.diagnostics.Diagnostics;
import io.neuroscope.diagnostics.Settings;
import io.neuroscope.jobs.diagnostics.DiagnosticsAction;
import io.neuroscope.jobs.nightly.DiagnosticsStage;
import io.neuroscope.jobs.table.OutputTable;
import io.neuroscope.jobs.table.OutputTables;
import io.neuroscope.jobs.telemetry.QuarantineReason;
import io.neuroscope.jobs.telemetry.Telemetry;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The shared archive's job run ({@link SharedArchive}): a clean run {@code good} and, per kind of
 * bad input of the contract ("What counts as bad input"), a run that is {@code good} plus or minus
 * that bad input. The bad rows must land in OUTPUT/quarantine with their reason, and everything
 * else of the run must be diagnosed exactly as {@code good} is.
 */
class QuarantineTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final List<String> LOSS_BASED =
      List.of("plateau", "overfitting", "learning_progress");
  private static final List<String> TENSOR_BASED =
      Diagnostics.names().stream().filter(n -> !LOSS_BASED.contains(n)).toList();

  private static Map<String, Row> diagnostics;
  private static List<Row> quarantine;
  private static DiagnosticsAction.Result result;

  @BeforeAll
  static void runTheJobOnBadInput() {
    diagnostics = SharedArchive.diagnostics();
    quarantine = SharedArchive.quarantine();
    result = SharedArchive.result();
  }

  // ---- quarantine rows -------------------------------------------------------------------------

  @Test
  void theCleanRunHasNoQuarantineRowsAndAllItsDiagnostics() {
    assertEquals(List.of(), of("good"));
    // 6 epochs x (10 network rows + 23 layer rows: dead 3, vanishing 4, exploding 4, saturation 3,
    // snr 4, wur 1, health 4)
    assertEquals(6 * 33, TestTelemetry.ofRun(diagnostics, "good").size());
    assertEquals(
        quarantine.size(), result.quarantined(), "Result.quarantined counts the quarantine rows");
  }

  @Test
  void everyRowHasTheCodeOfItsReason() {
    for (Row r : quarantine) {
      String reason = r.getAs("reason");
      QuarantineReason code = QuarantineReason.of(reason);
      assertTrue(code != null, "no code for '" + reason + "'");
      assertEquals(code.name(), r.getAs("reason_code"), reason);
    }
    assertEquals("LENGTH_MISMATCH", of("len").get(0).getAs("reason_code"));
    assertEquals(
        List.of("NULL_KEY"),
        quarantine.stream()
            .filter(r -> r.getAs("run_id") == null)
            .map(r -> r.<String>getAs("reason_code"))
            .distinct()
            .toList());
  }

  /**
   * A quarantine table written before reason_code existed gains the column, filled for its old
   * rows.
   */
  @Test
  void anOlderQuarantineTableGainsReasonCodes() {
    SparkSession spark = SparkTest.spark();
    Path out = SparkTest.tempDir("quarantine-evolve").resolve("out");
    Dataset<Row> old =
        spark
            .createDataFrame(quarantine, OutputTable.QUARANTINE.requiredSchema())
            .drop("reason_code", "job_id", "quarantined_at");
    Fixtures.write(old.repartition(1), out.resolve("quarantine"), "delta");
    DiagnosticsStage.run(
        Telemetry.fromFolder(spark, SharedArchive.root().resolve("telemetry").toString()),
        OutputTables.at(spark, out.toString()),
        Settings.defaults(),
        false);
    Dataset<Row> evolved = spark.read().format("delta").load(out.resolve("quarantine").toString());
    assertEquals(
        List.of("table", "run_id", "reason_code", "reason", "row", "job_id", "quarantined_at"),
        List.of(evolved.columns()));
    assertEquals(quarantine.size(), evolved.count(), "nothing set aside twice");
    assertEquals(0, evolved.where("reason_code IS NULL").count(), "the old rows' codes are filled");
  }

  @Test
  void lengthNotRowsTimesCols() throws Exception {
    List<Row> q = of("len");
    assertEquals(1, q.size(), q::toString);
    assertTensorRow(q.get(0), "len", 2, 0, "weights", 0);
    assertReason(q.get(0), "length of values (11)", "3 x 4 = 12");
    assertEquals(11, json(q.get(0)).get("values_length").asInt());
  }

  @Test
  void repeatedChunk() throws Exception {
    List<Row> q = of("dupchunk");
    assertEquals(3, q.size(), q::toString);
    for (Row r : q) assertTensorRow(r, "dupchunk", 1, 1, "gradients", null);
    assertEquals(List.of(0, 1, 1), chunks(q));
    for (Row r : q) {
      if (json(r).get("chunk").asInt() == 1) assertReason(r, "chunk repeats");
      else assertReason(r, "set aside with its tensor", "chunk repeats");
    }
  }

  @Test
  void layerMissingFromLayers() throws Exception {
    List<Row> q = of("nolayer");
    assertEquals(1, q.size(), q::toString);
    assertTensorRow(q.get(0), "nolayer", 0, 7, "weights", 0);
    assertReason(q.get(0), "layer missing from layers");
  }

  @Test
  void unknownKind() throws Exception {
    List<Row> q = of("badkind");
    assertEquals(1, q.size(), q::toString);
    assertTensorRow(q.get(0), "badkind", 0, 0, "biases", 0);
    assertReason(q.get(0), "unknown kind", "biases");
  }

  @Test
  void nullKeysInTensorsEpochsAndLayers() throws Exception {
    List<Row> q = of("nullkeys");
    Map<String, List<Row>> byTable =
        q.stream().collect(Collectors.groupingBy(r -> r.getAs("table")));
    assertEquals(Set.of("tensors", "epochs", "layers"), byTable.keySet(), q::toString);

    List<Row> tensors = byTable.get("tensors");
    assertEquals(
        4,
        tensors.size(),
        tensors::toString); // null layer, null kind, null chunk + its tensor's chunk 0
    Row nullLayer = only(tensors, "null key: layer");
    assertKeys(nullLayer, "run_id", "epoch", "kind", "chunk");
    assertEquals(0, json(nullLayer).get("epoch").asInt());
    Row nullKind = only(tensors, "null key: kind");
    assertKeys(nullKind, "run_id", "epoch", "layer", "chunk");
    assertEquals(1, json(nullKind).get("epoch").asInt());
    Row nullChunk = only(tensors, "null key: chunk");
    assertKeys(nullChunk, "run_id", "epoch", "layer", "kind");
    Row sibling = only(tensors, "set aside with its tensor");
    assertTensorRow(sibling, "nullkeys", 3, 0, "weights", 0);
    assertReason(sibling, "null key: chunk");

    Row nullEpoch = only(byTable.get("epochs"), "null key: epoch");
    assertEquals(1, byTable.get("epochs").size());
    assertKeys(nullEpoch, "run_id", "train_loss");
    assertEquals(0.5, json(nullEpoch).get("train_loss").asDouble());

    Row nullLayerRow = only(byTable.get("layers"), "null key: layer");
    assertEquals(1, byTable.get("layers").size());
    assertKeys(nullLayerRow, "run_id", "name", "activation", "fan_in", "fan_out");
    assertEquals("extra", json(nullLayerRow).get("name").asText());

    List<Row> nullRun = quarantine.stream().filter(r -> r.getAs("run_id") == null).toList();
    assertEquals(1, nullRun.size(), nullRun::toString);
    assertEquals("epochs", nullRun.get(0).getAs("table"));
    assertReason(nullRun.get(0), "null key: run_id");
    assertKeys(nullRun.get(0), "epoch", "train_loss", "val_loss");
  }

  /** A null key should appear in the row JSON as null, so that the user sees which key it was. */
  @Test
  void nullKeyIsShownAsNullInTheRowJson() throws Exception {
    Row nullLayer =
        only(
            of("nullkeys").stream().filter(r -> r.getAs("table").equals("tensors")).toList(),
            "null key: layer");
    JsonNode j = json(nullLayer);
    assertTrue(
        j.has("layer") && j.get("layer").isNull(),
        "row JSON " + j + " should carry \"layer\":null");
  }

  @Test
  void repeatedEpochRows() throws Exception {
    List<Row> q = of("dupepoch");
    List<Row> epochs = q.stream().filter(r -> r.getAs("table").equals("epochs")).toList();
    assertEquals(2, epochs.size(), q::toString);
    for (Row r : epochs) {
      assertReason(r, "epoch repeats");
      assertKeys(r, "run_id", "epoch", "train_loss", "val_loss");
      assertEquals(3, json(r).get("epoch").asInt());
    }
    // the epoch is gone, so its 14 tensors are set aside too (not silently dropped)
    List<Row> tensors = q.stream().filter(r -> r.getAs("table").equals("tensors")).toList();
    assertEquals(14, tensors.size(), tensors::toString);
    for (Row r : tensors) {
      assertEquals(3, json(r).get("epoch").asInt());
      assertReason(r, "epoch");
    }
  }

  @Test
  void missingChunk() throws Exception {
    List<Row> q = of("gap");
    assertEquals(2, q.size(), q::toString);
    for (Row r : q) {
      assertTensorRow(r, "gap", 1, 0, "activations", null);
      assertReason(r, "chunk 1", "missing");
    }
    assertEquals(List.of(0, 2), chunks(q));
  }

  @Test
  void aBadChunkSetsItsWholeTensorAside() throws Exception {
    List<Row> q = of("badchunk");
    assertEquals(3, q.size(), q::toString);
    assertEquals(List.of(0, 1, 2), chunks(q));
    for (Row r : q) {
      assertTensorRow(r, "badchunk", 4, 0, "weight_updates", null);
      JsonNode j = json(r);
      if (j.get("chunk").asInt() == 1) {
        assertReason(r, "length of values (3)", "1 x 4 = 4");
        assertEquals(3, j.get("values_length").asInt());
      } else {
        assertReason(r, "set aside with its tensor", "chunk 1", "length of values");
        assertEquals(4, j.get("values_length").asInt());
      }
    }
  }

  @Test
  void runsWithAllTensorsUnusableHaveEveryTensorRowQuarantined() throws Exception {
    List<Row> allbad = of("allbad");
    assertEquals(6 * 14, allbad.size());
    for (Row r : allbad) assertReason(r, "length of values");
    List<Row> nolayers = of("nolayers");
    assertEquals(6 * 14, nolayers.size());
    for (Row r : nolayers) assertReason(r, "layer missing from layers");
  }

  // ---- the rest is processed -------------------------------------------------------------------

  @Test
  void everyRunAndEpochHasItsTenNetworkRows() {
    Map<String, List<String>> expectedEpochs = new java.util.TreeMap<>();
    for (String run :
        List.of(
            "good",
            "three",
            "nan",
            "len",
            "dupchunk",
            "nolayer",
            "badkind",
            "nullkeys",
            "gap",
            "badchunk",
            "allbad",
            "nolayers")) {
      expectedEpochs.put(run, List.of("0", "1", "2", "3", "4", "5"));
    }
    expectedEpochs.put(
        "dupepoch", List.of("0", "1", "2", "4", "5")); // both rows of epoch 3 set aside
    for (Map.Entry<String, List<String>> e : expectedEpochs.entrySet()) {
      for (String epoch : e.getValue()) {
        Set<String> names = new TreeSet<>();
        TestTelemetry.ofRun(diagnostics, e.getKey())
            .forEach(
                (k, r) -> {
                  if (k.startsWith(epoch + "/-/")) names.add(r.getAs("diagnostic"));
                });
        assertEquals(new TreeSet<>(Diagnostics.names()), names, e.getKey() + " epoch " + epoch);
      }
    }
    assertTrue(
        TestTelemetry.ofRun(diagnostics, "dupepoch").keySet().stream()
            .noneMatch(k -> k.startsWith("3/")));
    Set<String> runs =
        diagnostics.values().stream()
            .map(r -> (String) r.getAs("run_id"))
            .collect(Collectors.toSet());
    assertEquals(
        expectedEpochs.keySet(),
        runs,
        "no diagnostics for runs that are not in epochs (nor for a null run)");
  }

  @Test
  void extraBadRowsChangeNoDiagnostic() {
    for (String run : List.of("nolayer", "badkind")) {
      assertEquals(
          List.of(), TestTelemetry.differences(diagnostics, "good", diagnostics, run, 0), run);
    }
  }

  @Test
  void badLengthLeavesTheRestOfTheRunAndMakesTheOnlyDiagnosticThatNeededItUnknown() {
    // weight_update_ratio needs weights and weight_updates of one layer: only layer 0 logs updates
    assertUnknown("len", 2, "weight_update_ratio");
    assertOnlyDifferences(
        "len",
        Set.of(
            "2/-/weight_update_ratio",
            "2/0/weight_update_ratio",
            "2/0/weight_health",
            "2/-/weight_health"),
        Set.of("2/0/weight_update_ratio", "2/0/weight_health"));
    assertKnown("len", 2, "weight_health"); // layers 1-3 still have weights
  }

  @Test
  void repeatedChunkLeavesTheRestOfTheRun() {
    Set<String> allowed = new TreeSet<>();
    for (String d : List.of("vanishing_gradients", "exploding_gradients", "gradient_snr")) {
      allowed.add("1/-/" + d);
      allowed.add("1/1/" + d);
    }
    assertOnlyDifferences(
        "dupchunk",
        allowed,
        Set.of("1/1/vanishing_gradients", "1/1/exploding_gradients", "1/1/gradient_snr"));
    for (String d : List.of("vanishing_gradients", "exploding_gradients", "gradient_snr"))
      assertKnown("dupchunk", 1, d);
  }

  @Test
  void nullKeysLeaveTheRestOfTheRun() {
    assertUnknown("nullkeys", 3, "weight_update_ratio");
    assertOnlyDifferences(
        "nullkeys",
        Set.of(
            "3/-/weight_update_ratio",
            "3/0/weight_update_ratio",
            "3/0/weight_health",
            "3/-/weight_health"),
        Set.of("3/0/weight_update_ratio", "3/0/weight_health"));
  }

  @Test
  void missingChunkLeavesTheRestOfTheRun() {
    assertOnlyDifferences(
        "gap",
        Set.of(
            "1/-/dead_neurons",
            "1/0/dead_neurons",
            "1/-/activation_saturation",
            "1/0/activation_saturation"),
        Set.of("1/0/dead_neurons", "1/0/activation_saturation", "1/-/dead_neurons"));
    assertKnown("gap", 1, "dead_neurons");
    assertKnown("gap", 1, "activation_saturation");
  }

  @Test
  void badChunkLeavesTheRestOfTheRunAndMakesItsDiagnosticUnknown() {
    assertUnknown("badchunk", 4, "weight_update_ratio");
    assertOnlyDifferences(
        "badchunk",
        Set.of("4/-/weight_update_ratio", "4/0/weight_update_ratio"),
        Set.of("4/-/weight_update_ratio", "4/0/weight_update_ratio"));
  }

  @Test
  void repeatedEpochLeavesTheOtherEpochs() {
    Map<String, Row> good = TestTelemetry.ofRun(diagnostics, "good");
    Map<String, Row> dup = TestTelemetry.ofRun(diagnostics, "dupepoch");
    List<String> diff = new ArrayList<>();
    for (Map.Entry<String, Row> e : good.entrySet()) {
      String k = e.getKey();
      if (k.startsWith("3/")) continue;
      boolean lossBased = LOSS_BASED.stream().anyMatch(k::endsWith);
      boolean laterEpoch = k.startsWith("4/") || k.startsWith("5/");
      if (lossBased && laterEpoch) continue; // their histories lack epoch 3
      if (dup.get(k) == null || !TestTelemetry.same(e.getValue(), dup.get(k), 0)) diff.add(k);
    }
    assertEquals(List.of(), diff);
  }

  @Test
  void runsWithNoUsableTensorStillGetTheirLossBasedDiagnosticsAndUnknownForTheRest() {
    Map<String, Row> good = TestTelemetry.ofRun(diagnostics, "good");
    for (String run : List.of("allbad", "nolayers")) {
      Map<String, Row> rows = TestTelemetry.ofRun(diagnostics, run);
      assertEquals(6 * 10, rows.size(), run + ": network rows only");
      for (int e = 0; e < 6; e++) {
        for (String d : LOSS_BASED) {
          String k = e + "/-/" + d;
          assertTrue(
              TestTelemetry.same(good.get(k), rows.get(k), 0),
              run
                  + " "
                  + k
                  + ": "
                  + TestTelemetry.describe(rows.get(k))
                  + " vs good "
                  + TestTelemetry.describe(good.get(k)));
        }
        for (String d : TENSOR_BASED) assertUnknown(run, e, d);
      }
    }
    // the loss-based diagnostics are really computed, not defaults: overfitting needs 5 val losses
    // (epochs 0, 2..5)
    assertEquals("UNKNOWN", good.get("3/-/overfitting").getAs("status"));
    assertFalse(good.get("5/-/overfitting").getAs("status").equals("UNKNOWN"));
  }

  // ---- helpers ---------------------------------------------------------------------------------

  private static List<Row> of(String run) {
    return quarantine.stream().filter(r -> run.equals(r.getAs("run_id"))).toList();
  }

  private static JsonNode json(Row q) throws Exception {
    return JSON.readTree((String) q.getAs("row"));
  }

  private static List<Integer> chunks(List<Row> q) throws Exception {
    List<Integer> c = new ArrayList<>();
    for (Row r : q) c.add(json(r).get("chunk").asInt());
    c.sort(null);
    return c;
  }

  private static Row only(List<Row> rows, String reasonStart) {
    List<Row> m =
        rows.stream().filter(r -> ((String) r.getAs("reason")).startsWith(reasonStart)).toList();
    assertEquals(1, m.size(), "one row with a reason starting '" + reasonStart + "' in " + rows);
    return m.get(0);
  }

  private static void assertReason(Row q, String... words) {
    String reason = q.getAs("reason");
    for (String w : words)
      assertTrue(reason.contains(w), "reason '" + reason + "' should contain '" + w + "'");
  }

  private static void assertKeys(Row q, String... keys) throws Exception {
    JsonNode j = json(q);
    for (String k : keys) {
      assertTrue(j.has(k) && !j.get(k).isNull(), "row JSON " + j + " should name " + k);
    }
  }

  private static void assertTensorRow(
      Row q, String run, int epoch, int layer, String kind, Integer chunk) throws Exception {
    assertEquals("tensors", q.getAs("table"));
    assertEquals(run, q.getAs("run_id"));
    assertKeys(q, "run_id", "epoch", "layer", "kind", "chunk", "rows", "cols");
    JsonNode j = json(q);
    assertEquals(run, j.get("run_id").asText());
    assertEquals(epoch, j.get("epoch").asInt());
    assertEquals(layer, j.get("layer").asInt());
    assertEquals(kind, j.get("kind").asText());
    if (chunk != null) assertEquals(chunk, j.get("chunk").asInt());
  }

  private static void assertUnknown(String run, int epoch, String diagnostic) {
    Row r = diagnostics.get(run + "/" + epoch + "/-/" + diagnostic);
    assertNotNull(r, run + "/" + epoch + "/" + diagnostic);
    assertEquals("UNKNOWN", r.getAs("status"), run + "/" + epoch + "/" + diagnostic);
    assertEquals(0.0, (double) r.getAs("value"), run + "/" + epoch + "/" + diagnostic);
  }

  private static void assertKnown(String run, int epoch, String diagnostic) {
    Row r = diagnostics.get(run + "/" + epoch + "/-/" + diagnostic);
    assertNotNull(r, run + "/" + epoch + "/" + diagnostic);
    assertFalse(
        r.getAs("status").equals("UNKNOWN"),
        run + "/" + epoch + "/" + diagnostic + " should be computed");
  }

  /**
   * The run's rows equal {@code good}'s except at keys in {@code allowed}; each key of {@code
   * mustDiffer} does differ (for a layer row: it is absent, its tensor being set aside).
   */
  private static void assertOnlyDifferences(
      String run, Set<String> allowed, Set<String> mustDiffer) {
    List<String> diff = TestTelemetry.differences(diagnostics, "good", diagnostics, run, 0);
    Set<String> keys =
        diff.stream()
            .map(d -> d.substring(0, d.indexOf(':')))
            .collect(Collectors.toCollection(TreeSet::new));
    Set<String> unexpected = new TreeSet<>(keys);
    unexpected.removeAll(allowed);
    assertEquals(Set.of(), unexpected, run + " differs from good beyond the bad tensor: " + diff);
    Set<String> missing = new TreeSet<>(mustDiffer);
    missing.removeAll(keys);
    assertEquals(Set.of(), missing, run + " should differ from good at these keys: " + diff);
    Map<String, Row> rows = TestTelemetry.ofRun(diagnostics, run);
    for (String k : mustDiffer) {
      if (!k.contains("/-/")) assertNull(rows.get(k), run + " " + k + " should have no layer row");
    }
  }
}
