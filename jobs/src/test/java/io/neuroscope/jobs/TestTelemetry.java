package io.neuroscope.jobs;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;

/**
 * Small hand-made telemetry for the end-to-end tests: a 4-layer network (relu, tanh, selu hidden
 * layers, softmax output) whose tensors depend only on (epoch, layer, kind), so that two runs built
 * the same way have the same diagnostics. Bad rows are added with the raw {@code add*} methods.
 */
final class TestTelemetry {
  /** name, activation, fan_in, fan_out of the layers 0..3. */
  static final Object[][] LAYERS = {
    {"fc1", "relu", 3, 4}, {"fc2", "tanh", 4, 4}, {"fc3", "selu", 4, 3}, {"out", "softmax", 3, 2}
  };

  static final int SAMPLES = 5;
  static final int EPOCHS = 6;
  static final String EXPERIMENT = "exp";

  final List<Row> runs = new ArrayList<>();
  final List<Row> layers = new ArrayList<>();
  final List<Row> epochs = new ArrayList<>();
  final List<Row> tensors = new ArrayList<>();

  /**
   * A whole run: runs, layers, epochs and every tensor of every epoch, each tensor in {@code
   * chunks} chunks.
   */
  TestTelemetry run(String runId, int chunks) {
    return runRow(runId).layerRows(runId).epochRows(runId).tensorRows(runId, chunks);
  }

  TestTelemetry runRow(String runId) {
    runs.add(
        RowFactory.create(
            runId, EXPERIMENT, null, Map.of("learning_rate", "0.01", "optimizer", "adam")));
    return this;
  }

  TestTelemetry layerRows(String runId) {
    for (int l = 0; l < LAYERS.length; l++) {
      layers.add(
          RowFactory.create(runId, l, LAYERS[l][0], LAYERS[l][1], LAYERS[l][2], LAYERS[l][3]));
    }
    return this;
  }

  TestTelemetry epochRows(String runId) {
    for (int e = 0; e < EPOCHS; e++) epochs.add(epochRow(runId, e));
    return this;
  }

  /** An epochs row with the losses of epoch {@code e} (any epoch number). */
  static Row epochRow(String runId, int e) {
    return RowFactory.create(runId, e, trainLoss(e), valLoss(e));
  }

  /** Removes the run's epochs from {@code first} on, with their tensors. */
  TestTelemetry dropEpochs(String runId, int first) {
    epochs.removeIf(r -> runId.equals(r.get(0)) && r.getInt(1) >= first);
    tensors.removeIf(r -> runId.equals(r.get(0)) && r.get(1) != null && r.getInt(1) >= first);
    return this;
  }

  static double trainLoss(int e) {
    return 2.0 * Math.pow(0.8, e) + 0.05;
  }

  /** Null at epoch 1 (no validation that epoch). */
  static Double valLoss(int e) {
    if (e == 1) return null;
    return 2.1 * Math.pow(0.85, e) + 0.1;
  }

  TestTelemetry tensorRows(String runId, int chunks) {
    for (int e = 0; e < EPOCHS; e++) epochTensorRows(runId, e, chunks);
    return this;
  }

  /** Every tensor of one epoch (any epoch number: the values are a function of it). */
  TestTelemetry epochTensorRows(String runId, int epoch, int chunks) {
    for (String kind :
        List.of("activations", "gradients", "weights", "weight_updates", "bias_gradients")) {
      for (int l = 0; l < LAYERS.length; l++) {
        if (kind.equals("weight_updates") && l != 0) continue; // only layer 0 logs its updates
        if (kind.equals("bias_gradients") && l != 3) continue;
        addTensor(runId, epoch, l, kind, chunks);
      }
    }
    return this;
  }

  /**
   * Adds one tensor, split along its first axis into {@code chunks} chunks (fewer if it has fewer
   * rows).
   */
  TestTelemetry addTensor(String runId, int epoch, int layer, String kind, int chunks) {
    int[] shape = shape(layer, kind);
    float[] v = values(epoch, layer, kind);
    int rows = shape[0], cols = shape[1];
    int n = Math.min(chunks, rows);
    int start = 0;
    for (int c = 0; c < n; c++) {
      int r = rows / n + (c < rows % n ? 1 : 0);
      addRow(
          runId,
          epoch,
          layer,
          kind,
          c,
          r,
          cols,
          Arrays.copyOfRange(v, start * cols, (start + r) * cols));
      start += r;
    }
    return this;
  }

  TestTelemetry addRow(
      String runId,
      Integer epoch,
      Integer layer,
      String kind,
      Integer chunk,
      Integer rows,
      Integer cols,
      float[] values) {
    Float[] boxed = null;
    if (values != null) {
      boxed = new Float[values.length];
      for (int i = 0; i < values.length; i++) boxed[i] = values[i];
    }
    tensors.add(RowFactory.create(runId, epoch, layer, kind, chunk, rows, cols, boxed));
    return this;
  }

  /** Removes every row of the tensor (run, epoch, layer, kind). */
  TestTelemetry removeTensor(String runId, int epoch, int layer, String kind) {
    tensors.removeIf(
        r ->
            runId.equals(r.get(0))
                && Integer.valueOf(epoch).equals(r.get(1))
                && Integer.valueOf(layer).equals(r.get(2))
                && kind.equals(r.get(3)));
    return this;
  }

  /** The last tensor row added. */
  Row lastTensorRow() {
    return tensors.get(tensors.size() - 1);
  }

  static int[] shape(int layer, String kind) {
    int fanIn = (Integer) LAYERS[layer][2], fanOut = (Integer) LAYERS[layer][3];
    return switch (kind) {
      case "activations" -> new int[] {SAMPLES, fanOut};
      case "bias_gradients" -> new int[] {1, fanOut};
      default -> new int[] {fanIn, fanOut};
    };
  }

  /** Deterministic values of a tensor, a function of (epoch, layer, kind) only. */
  static float[] values(int epoch, int layer, String kind) {
    int[] shape = shape(layer, kind);
    int rows = shape[0], cols = shape[1];
    Random rnd = new Random(1000L * epoch + 10L * layer + kind.hashCode());
    float[] v = new float[rows * cols];
    double scale = Math.sqrt(2.0 / (Integer) LAYERS[layer][2]);
    for (int i = 0; i < v.length; i++) {
      double g = rnd.nextGaussian();
      int col = i % cols;
      v[i] =
          (float)
              switch (kind) {
                case "activations" ->
                    switch ((String) LAYERS[layer][1]) {
                      case "relu" ->
                          col == 0 ? 0.0 : Math.max(0, g); // neuron 0 of the relu layer is dead
                      case "tanh" -> Math.tanh(2 * g);
                      case "selu" -> g > 0 ? 1.0507 * g : 1.0507 * 1.67326 * (Math.exp(g) - 1);
                      default -> 1.0 / (1 + Math.exp(-g));
                    };
                case "gradients" -> 0.01 * g / (layer + 1);
                case "weights" -> scale * g;
                case "weight_updates" -> 0.004 * scale * g;
                default -> 0.001 * g;
              };
    }
    return v;
  }

  Dataset<Row> tensorsFrame(SparkSession spark) {
    return spark.createDataFrame(tensors, Fixtures.TENSORS);
  }

  /**
   * Writes the four tables as Parquet under {@code root}, the tensors in {@code tensorPartitions}
   * files.
   */
  Path write(SparkSession spark, Path root, int tensorPartitions) {
    Fixtures.write(spark.createDataFrame(runs, Fixtures.RUNS), root.resolve("runs"), "parquet");
    Fixtures.write(
        spark.createDataFrame(layers, Fixtures.LAYERS), root.resolve("layers"), "parquet");
    Fixtures.write(
        spark.createDataFrame(epochs, Fixtures.EPOCHS), root.resolve("epochs"), "parquet");
    Fixtures.write(
        tensorsFrame(spark).repartition(tensorPartitions), root.resolve("tensors"), "parquet");
    return root;
  }

  // ---- reading the output ----------------------------------------------------------------------

  /** The diagnostics table, by "run/epoch/layer/diagnostic" (layer "-" on network rows). */
  static Map<String, Row> diagnostics(SparkSession spark, Path out) {
    Map<String, Row> m = new TreeMap<>();
    for (Row r :
        spark.read().format("delta").load(out.resolve("diagnostics").toString()).collectAsList()) {
      Row previous = m.put(key(r), r);
      if (previous != null) throw new AssertionError("two diagnostics rows for " + key(r));
    }
    return m;
  }

  static String key(Row r) {
    Integer layer = r.getAs("layer");
    return r.getAs("run_id")
        + "/"
        + r.getAs("epoch")
        + "/"
        + (layer == null ? "-" : layer)
        + "/"
        + r.getAs("diagnostic");
  }

  /**
   * Whether two diagnostics rows agree: status, experiment, and value to {@code rel} relative (NaN
   * equals NaN).
   */
  static boolean same(Row a, Row b, double rel) {
    double x = a.getAs("value"), y = b.getAs("value");
    boolean value =
        Double.isNaN(x)
            ? Double.isNaN(y)
            : x == y || Math.abs(x - y) <= rel * Math.max(Math.abs(x), Math.abs(y));
    return value
        && a.getAs("status").equals(b.getAs("status"))
        && java.util.Objects.equals(a.getAs("experiment"), b.getAs("experiment"));
  }

  static String describe(Row r) {
    return r == null ? "(no row)" : r.getAs("value") + " " + r.getAs("status");
  }

  /**
   * Differences between two sets of diagnostics rows, comparing {@code a}'s run {@code runA} with
   * {@code b}'s run {@code runB} (keys with the run id replaced); empty when they agree.
   */
  static List<String> differences(
      Map<String, Row> a, String runA, Map<String, Row> b, String runB, double rel) {
    Map<String, Row> left = ofRun(a, runA), right = ofRun(b, runB);
    List<String> diff = new ArrayList<>();
    for (Map.Entry<String, Row> e : left.entrySet()) {
      Row other = right.get(e.getKey());
      if (other == null)
        diff.add(e.getKey() + ": only in " + runA + " (" + describe(e.getValue()) + ")");
      else if (!same(e.getValue(), other, rel)) {
        diff.add(e.getKey() + ": " + describe(e.getValue()) + " vs " + describe(other));
      }
    }
    for (String k : right.keySet())
      if (!left.containsKey(k))
        diff.add(k + ": only in " + runB + " (" + describe(right.get(k)) + ")");
    return diff;
  }

  /**
   * Differences between two whole diagnostics tables (keys as in {@link #diagnostics}); empty when
   * they agree.
   */
  static List<String> differences(Map<String, Row> a, Map<String, Row> b, double rel) {
    List<String> diff = new ArrayList<>();
    a.forEach(
        (k, r) -> {
          Row o = b.get(k);
          if (o == null) diff.add(k + ": only in the first (" + describe(r) + ")");
          else if (!same(r, o, rel)) diff.add(k + ": " + describe(r) + " vs " + describe(o));
        });
    b.forEach(
        (k, r) -> {
          if (!a.containsKey(k)) diff.add(k + ": only in the second (" + describe(r) + ")");
        });
    return diff;
  }

  /** A run's rows keyed without the run id: "epoch/layer/diagnostic". */
  static Map<String, Row> ofRun(Map<String, Row> all, String run) {
    Map<String, Row> m = new TreeMap<>();
    all.forEach(
        (k, r) -> {
          if (r.getAs("run_id").equals(run)) m.put(k.substring(run.length() + 1), r);
        });
    return m;
  }

  static List<Row> quarantine(SparkSession spark, Path out) {
    return spark.read().format("delta").load(out.resolve("quarantine").toString()).collectAsList();
  }
}
