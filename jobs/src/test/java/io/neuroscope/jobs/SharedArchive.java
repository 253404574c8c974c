package io.neuroscope.jobs;

import io.neuroscope.diagnostics.Settings;
import io.neuroscope.jobs.diagnostics.DiagnosticsAction;
import io.neuroscope.jobs.nightly.DiagnosticsStage;
import io.neuroscope.jobs.table.OutputTables;
import io.neuroscope.jobs.telemetry.Telemetry;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;

/**
 * One archive and its job output, built once per test JVM and shared by the test classes (one job
 * run instead of one per class; read only: nobody writes into its folders). Its runs, all built
 * from the same tensors (see {@link TestTelemetry}), so that each can be compared with {@code
 * good}:
 *
 * <ul>
 *   <li>{@code good}: clean, every tensor in 1 chunk;
 *   <li>{@code three}: the same tensors in 3 chunks (fewer where a tensor has fewer rows), rows
 *       shuffled;
 *   <li>{@code nan}: {@code good} with a NaN element in the gradients of layer 2 at epoch 5;
 *   <li>one run per kind of bad input, used by {@link QuarantineTest}: {@code len}, {@code
 *       dupchunk}, {@code nolayer}, {@code badkind}, {@code nullkeys}, {@code dupepoch}, {@code
 *       gap}, {@code badchunk}, {@code allbad}, {@code nolayers}.
 * </ul>
 *
 * The tensors are written as one Parquet file ({@code repartition(1)}).
 */
final class SharedArchive {
  private static Path root;
  private static DiagnosticsAction.Result result;
  private static Map<String, Row> diagnostics;
  private static List<Row> quarantine;

  private SharedArchive() {}

  static TestTelemetry telemetry() {
    TestTelemetry t = new TestTelemetry();
    t.run("good", 1);

    // length of values != rows x cols (the only weights of layer 0 at epoch 2: 11 values for 3 x 4)
    t.run("len", 1)
        .removeTensor("len", 2, 0, "weights")
        .addRow(
            "len",
            2,
            0,
            "weights",
            0,
            3,
            4,
            Arrays.copyOf(TestTelemetry.values(2, 0, "weights"), 11));

    // a chunk that repeats: gradients of layer 1 at epoch 1 as chunks 0, 1, 1
    t.run("dupchunk", 1)
        .removeTensor("dupchunk", 1, 1, "gradients")
        .addTensor("dupchunk", 1, 1, "gradients", 2);
    t.tensors.add(t.lastTensorRow());

    // a layer missing from layers
    t.run("nolayer", 1)
        .addRow("nolayer", 0, 7, "weights", 0, 3, 4, TestTelemetry.values(0, 0, "weights"));

    // an unknown kind
    t.run("badkind", 1)
        .addRow("badkind", 0, 0, "biases", 0, 1, 4, new float[] {0.1f, 0.2f, 0.3f, 0.4f});

    // null keys: in tensors (layer; kind; chunk of the weights of layer 0 at epoch 3), epochs
    // (epoch; run_id), layers (layer)
    float[] w = TestTelemetry.values(3, 0, "weights");
    t.run("nullkeys", 1)
        .addRow("nullkeys", 0, null, "weights", 0, 3, 4, w)
        .addRow("nullkeys", 1, 0, null, 0, 3, 4, w)
        .addRow("nullkeys", 3, 0, "weights", null, 3, 4, w);
    t.epochs.add(RowFactory.create("nullkeys", null, 0.5, 0.6));
    t.epochs.add(RowFactory.create(null, 2, 0.5, 0.6));
    t.layers.add(RowFactory.create("nullkeys", null, "extra", "relu", 3, 4));

    // repeated epoch rows: epoch 3 twice
    t.run("dupepoch", 1);
    t.epochs.add(
        RowFactory.create("dupepoch", 3, TestTelemetry.trainLoss(3), TestTelemetry.valLoss(3)));

    // a chunk missing: activations of layer 0 at epoch 1 as chunks 0 and 2 of 3
    t.run("gap", 1)
        .removeTensor("gap", 1, 0, "activations")
        .addTensor("gap", 1, 0, "activations", 3);
    t.tensors.remove(t.tensors.size() - 2);

    // a tensor one of whose chunks is bad: weight_updates of layer 0 at epoch 4 as 3 chunks, chunk
    // 1 3 values for 1 x 4
    t.run("badchunk", 1)
        .removeTensor("badchunk", 4, 0, "weight_updates")
        .addTensor("badchunk", 4, 0, "weight_updates", 3);
    t.tensors.remove(t.tensors.size() - 2);
    t.addRow("badchunk", 4, 0, "weight_updates", 1, 1, 4, new float[] {0.01f, 0.02f, 0.03f});

    // every tensor unusable: all lengths wrong (rows one too many)
    t.runRow("allbad").layerRows("allbad").epochRows("allbad");
    TestTelemetry bad = new TestTelemetry().tensorRows("allbad", 1);
    for (Row r : bad.tensors) {
      t.tensors.add(
          RowFactory.create(
              r.get(0),
              r.get(1),
              r.get(2),
              r.get(3),
              r.get(4),
              r.getInt(5) + 1,
              r.get(6),
              r.get(7)));
    }
    // every tensor unusable: the run has no layers at all
    t.runRow("nolayers").epochRows("nolayers").tensorRows("nolayers", 1);

    // the same tensors in 3 chunks, in shuffled order
    t.runRow("three").layerRows("three").epochRows("three");
    List<Row> shuffled = new ArrayList<>(new TestTelemetry().tensorRows("three", 3).tensors);
    Collections.shuffle(shuffled, new Random(7));
    t.tensors.addAll(shuffled);

    // a NaN gradient element
    float[] g = TestTelemetry.values(5, 2, "gradients");
    g[3] = Float.NaN;
    t.run("nan", 1)
        .removeTensor("nan", 5, 2, "gradients")
        .addRow("nan", 5, 2, "gradients", 0, 4, 3, g);
    return t;
  }

  /** The folder holding {@code telemetry/} and the job's {@code out/}. */
  static synchronized Path root() {
    if (root == null) {
      SparkSession spark = SparkTest.spark();
      Path work = SparkTest.tempDir("shared");
      telemetry().write(spark, work.resolve("telemetry"), 1);
      result =
          DiagnosticsStage.run(
              Telemetry.fromFolder(spark, work.resolve("telemetry").toString()),
              OutputTables.at(spark, work.resolve("out").toString()),
              Settings.defaults(),
              false);
      diagnostics = TestTelemetry.diagnostics(spark, work.resolve("out"));
      quarantine = TestTelemetry.quarantine(spark, work.resolve("out"));
      root = work;
    }
    return root;
  }

  static synchronized DiagnosticsAction.Result result() {
    root();
    return result;
  }

  static synchronized Map<String, Row> diagnostics() {
    root();
    return diagnostics;
  }

  static synchronized List<Row> quarantine() {
    root();
    return quarantine;
  }
}
