package io.neuroscope.sample;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.neuroscope.jobs.SampleTestSupport;
import io.neuroscope.sample.training.Matrix;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/**
 * The writer's tables: exact contract schema, deterministic content, and chunks that concatenate to
 * the tensor.
 */
class TelemetryWriterTest {
  private static final SparkSession SPARK = SampleTestSupport.spark();

  /** Seed 42 chunked at 40 values, twice; seed 43; seed 42 unchunked. */
  private static final String A = generate("a", 42, 40);

  private static final String B = generate("b", 42, 40);
  private static final String OTHER = generate("other", 43, 40);
  private static final String WHOLE = generate("whole", 42, Integer.MAX_VALUE);

  private static String generate(String name, long seed, int chunkValues) {
    String root = SampleTestSupport.tempDir(name).toString();
    Sweep.generate(
        SPARK, Sweep.cyclic(3, 3, List.of(16, 8), seed), root, chunkValues, Long.MAX_VALUE);
    return root;
  }

  private static Dataset<Row> table(String root, String name) {
    return SPARK.read().format("delta").load(root + "/" + name);
  }

  @Test
  void theTablesHaveTheContractSchemaExactly() {
    String root = WHOLE;
    Map<String, StructType> expected =
        Map.of(
            "runs",
            SampleTestSupport.RUNS,
            "layers",
            SampleTestSupport.LAYERS,
            "epochs",
            SampleTestSupport.EPOCHS,
            "tensors",
            SampleTestSupport.TENSORS);
    expected.forEach((name, schema) -> assertEquals(schema, table(root, name).schema(), name));
    // and the job's own contract check (TelemetryContract, written independently of the writer)
    // accepts them
    SampleTestSupport.checkContract(root);
    Row run = table(root, "runs").orderBy("run_id").first();
    Map<String, String> params = run.getJavaMap(3);
    for (String p :
        List.of(
            "learning_rate",
            "optimizer",
            "batch_size",
            "epochs",
            "hidden_activation",
            "init",
            "loss",
            "depth",
            "hidden_widths",
            "width",
            "seed",
            "clip_norm",
            "dataset")) {
      assertTrue(params.containsKey(p), "params lack " + p + ": " + params);
    }
    // 3 runs x 3 epochs x 3 layers x 5 kinds, all below the chunk limit
    assertEquals(135, table(root, "tensors").count());
    assertEquals(9, table(root, "layers").count());
    assertEquals(9, table(root, "epochs").where("val_loss IS NOT NULL").count());
  }

  @Test
  void theSameSeedGivesIdenticalTelemetry() {
    String a = A;
    String c = OTHER;
    for (String t : List.of("runs", "layers", "epochs", "tensors")) {
      List<Row> x = sorted(table(a, t));
      List<Row> y = sorted(table(B, t));
      assertEquals(x.size(), y.size(), t);
      assertTrue(x.size() > 0, t);
      assertEquals(x, y, t); // arrays compare element-wise (as boxed floats: NaN equals NaN)
    }
    assertNotEquals(
        sorted(table(a, "tensors")), sorted(table(c, "tensors")), "another seed, other tensors");
  }

  @Test
  void aTensorAboveTheLimitIsSplitAlongItsFirstAxis() {
    double[] v = new double[10 * 7];
    for (int i = 0; i < v.length; i++) v[i] = i * 0.5 - 3;
    Matrix m = new Matrix(10, 7, v);
    List<Row> rows =
        TelemetryWriter.chunks("r", 1, 0, "weights", m, 20); // 2 rows (14 values) per chunk
    assertEquals(5, rows.size());
    List<Float> all = new ArrayList<>();
    for (int k = 0; k < rows.size(); k++) {
      Row r = rows.get(k);
      assertEquals(k, r.getInt(4));
      assertEquals(2, r.getInt(5));
      assertEquals(7, r.getInt(6));
      for (float f : (float[]) r.get(7)) all.add(f);
    }
    float[] concatenated = new float[all.size()];
    for (int i = 0; i < concatenated.length; i++) concatenated[i] = all.get(i);
    assertArrayEquals(m.toFloats(), concatenated);
    assertEquals(1, TelemetryWriter.chunks("r", 1, 0, "weights", m, 70).size());
    assertEquals(
        10,
        TelemetryWriter.chunks("r", 1, 0, "weights", m, 3).size()); // at least one row per chunk
  }

  @Test
  void writtenChunksConcatenateToTheWholeTensor() {
    String whole = WHOLE;
    String split = A; // 16 x 8 weights -> 5 rows of 8 per chunk: 4 chunks (the last of 1 row)
    Map<String, float[]> expected = new HashMap<>();
    for (Row r : table(whole, "tensors").where("chunk = 0").collectAsList()) {
      expected.put(key(r), toFloats(r.getList(7)));
    }
    Map<String, List<Row>> chunks = new HashMap<>();
    for (Row r :
        table(split, "tensors")
            .orderBy("run_id", "epoch", "layer", "kind", "chunk")
            .collectAsList()) {
      chunks.computeIfAbsent(key(r), k -> new ArrayList<>()).add(r);
    }
    assertEquals(expected.keySet(), chunks.keySet());
    int multi = 0;
    for (Map.Entry<String, List<Row>> e : chunks.entrySet()) {
      List<Float> all = new ArrayList<>();
      for (int k = 0; k < e.getValue().size(); k++) {
        Row r = e.getValue().get(k);
        assertEquals(k, r.getInt(4), e.getKey());
        List<Float> values = r.getList(7);
        assertEquals(r.getInt(5) * r.getInt(6), values.size());
        assertTrue(values.size() <= 40 || r.getInt(5) == 1, e.getKey());
        all.addAll(values);
      }
      if (e.getValue().size() > 1) multi++;
      assertArrayEquals(expected.get(e.getKey()), toFloats(all), e.getKey());
    }
    assertTrue(multi > 0, "no tensor was split");
  }

  /**
   * The (small) table's rows in key order; params as JSON (the writer keeps the insertion order).
   */
  private static List<Row> sorted(Dataset<Row> df) {
    if (df.schema().getFieldIndex("params").isDefined()) {
      df = df.withColumn("params", org.apache.spark.sql.functions.to_json(df.col("params")));
    }
    List<String> keys = new ArrayList<>();
    for (String k : List.of("run_id", "epoch", "layer", "kind", "chunk")) {
      if (df.schema().getFieldIndex(k).isDefined()) keys.add(k);
    }
    return df.orderBy(keys.stream().map(df::col).toArray(org.apache.spark.sql.Column[]::new))
        .collectAsList();
  }

  private static String key(Row r) {
    return r.getString(0) + "/" + r.getInt(1) + "/" + r.getInt(2) + "/" + r.getString(3);
  }

  private static float[] toFloats(List<Float> list) {
    float[] f = new float[list.size()];
    for (int i = 0; i < f.length; i++) f[i] = list.get(i);
    return f;
  }
}
