package io.neuroscope.sample.bench;

import io.neuroscope.jobs.telemetry.TelemetryContract;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.apache.spark.api.java.function.MapFunction;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;

/**
 * A deterministic synthetic archive for benchmarks: {@code runs × epochs × layers} square dense
 * layers of {@code width}, with activations (ReLU, about half exact zeros), gradients, weights and
 * weight updates of {@code width × width} floats each, written as Parquet in the contract's schema.
 * Statistically plausible, not trained: the real-training generator is a separate concern.
 */
public final class SyntheticTelemetry {
  private SyntheticTelemetry() {}

  public record Shape(int runs, int epochs, int layers, int width, int files)
      implements Serializable {
    public long tensors() {
      return (long) runs * epochs * layers * 4;
    }

    public long values() {
      return tensors() * width * width;
    }
  }

  /** A bean, since Spark's encoders have no float[] encoder but bean fields of float[] work. */
  public static final class TensorRow implements Serializable {
    private String runId;
    private int epoch, layer, chunk, rows, cols;
    private String kind;
    private float[] values;

    public String getRunId() {
      return runId;
    }

    public void setRunId(String v) {
      runId = v;
    }

    public int getEpoch() {
      return epoch;
    }

    public void setEpoch(int v) {
      epoch = v;
    }

    public int getLayer() {
      return layer;
    }

    public void setLayer(int v) {
      layer = v;
    }

    public String getKind() {
      return kind;
    }

    public void setKind(String v) {
      kind = v;
    }

    public int getChunk() {
      return chunk;
    }

    public void setChunk(int v) {
      chunk = v;
    }

    public int getRows() {
      return rows;
    }

    public void setRows(int v) {
      rows = v;
    }

    public int getCols() {
      return cols;
    }

    public void setCols(int v) {
      cols = v;
    }

    public float[] getValues() {
      return values;
    }

    public void setValues(float[] v) {
      values = v;
    }
  }

  private static final String[] KINDS = {"activations", "gradients", "weights", "weight_updates"};

  public static void write(SparkSession spark, String root, Shape s) {
    List<Row> runs = new ArrayList<>(), layers = new ArrayList<>(), epochs = new ArrayList<>();
    for (int r = 0; r < s.runs(); r++) {
      String run = runId(r);
      runs.add(
          RowFactory.create(
              run,
              "bench-" + (r % 2),
              null,
              scala.jdk.javaapi.CollectionConverters.asScala(
                  Map.of(
                      "learning_rate",
                      Double.toString(1e-3 * (1 + r % 5)),
                      "hidden_activation",
                      "relu"))));
      for (int l = 0; l < s.layers(); l++) {
        layers.add(
            RowFactory.create(
                run,
                l,
                "fc" + (l + 1),
                l == s.layers() - 1 ? "linear" : "relu",
                s.width(),
                s.width()));
      }
      for (int e = 0; e < s.epochs(); e++) {
        double train = 2.0 * Math.exp(-0.1 * e) + 0.1;
        epochs.add(RowFactory.create(run, e, train, train * 1.1));
      }
    }
    spark
        .createDataFrame(runs, TelemetryContract.schema(TelemetryContract.RUNS))
        .coalesce(1)
        .write()
        .mode("overwrite")
        .parquet(root + "/runs");
    spark
        .createDataFrame(layers, TelemetryContract.schema(TelemetryContract.LAYERS))
        .coalesce(1)
        .write()
        .mode("overwrite")
        .parquet(root + "/layers");
    spark
        .createDataFrame(epochs, TelemetryContract.schema(TelemetryContract.EPOCHS))
        .coalesce(1)
        .write()
        .mode("overwrite")
        .parquet(root + "/epochs");

    List<Long> ids = IntStream.range(0, (int) s.tensors()).mapToObj(i -> (long) i).toList();
    spark
        .createDataset(ids, Encoders.LONG())
        .repartition(s.files())
        .map((MapFunction<Long, TensorRow>) id -> tensor(s, id), Encoders.bean(TensorRow.class))
        .selectExpr("runId AS run_id", "epoch", "layer", "kind", "chunk", "rows", "cols", "values")
        .write()
        .mode("overwrite")
        .parquet(root + "/tensors");
  }

  static String runId(int r) {
    return String.format("bench-run-%04d", r);
  }

  static TensorRow tensor(Shape s, long id) {
    int kind = (int) (id % 4);
    long rest = id / 4;
    int layer = (int) (rest % s.layers());
    rest /= s.layers();
    int epoch = (int) (rest % s.epochs());
    int run = (int) (rest / s.epochs());
    SplittableRandom random = new SplittableRandom(0x5eedL * 1_000_003L + id);
    int n = s.width() * s.width();
    float[] v = new float[n];
    double scale =
        switch (kind) {
          case 0 -> 1.0;
          case 1 -> 1e-3;
          case 2 -> Math.sqrt(2.0 / s.width());
          default -> 1e-5;
        };
    for (int i = 0; i < n; i++) {
      double g = gaussian(random) * scale;
      v[i] = (float) (kind == 0 ? Math.max(0, g) : g);
    }
    TensorRow t = new TensorRow();
    t.setRunId(runId(run));
    t.setEpoch(epoch);
    t.setLayer(layer);
    t.setKind(KINDS[kind]);
    t.setChunk(0);
    t.setRows(s.width());
    t.setCols(s.width());
    t.setValues(v);
    return t;
  }

  /** Box–Muller; SplittableRandom has no nextGaussian on Java 17. */
  private static double gaussian(SplittableRandom r) {
    double u = r.nextDouble(), w = r.nextDouble();
    return Math.sqrt(-2 * Math.log(1 - u)) * Math.cos(2 * Math.PI * w);
  }
}
