package io.neuroscope.sample.bench;

import io.neuroscope.jobs.telemetry.TelemetryContract;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;

/**
 * A deterministic archive of loss-level telemetry for the summaries and effects at archive scale:
 * {@code runs} runs of {@code epochs} epochs in experiments of {@code runsPerExperiment}, each with
 * hyperparameters drawn per run and loss curves that depend on them (no tensors). The learning rate
 * sets the speed of descent and, above about 0.3, divergence; weight decay and dropout set how far
 * the validation loss drifts above the training loss; a small batch adds noise. Not trained: it
 * stands for an archive's loss logs, at the size of one.
 */
public final class LossTelemetry {
  private static final String[] OPTIMIZERS = {"sgd", "momentum", "adam"};
  private static final int[] BATCHES = {16, 32, 64, 128, 256};
  private static final double[] DECAYS = {0, 1e-4, 1e-3};
  private static final double[] DROPOUTS = {0, 0.1, 0.3};

  private LossTelemetry() {}

  /**
   * Writes runs, layers, epochs and an empty tensors table as Delta under {@code root}
   * (overwriting).
   */
  public static void write(
      SparkSession spark, String root, int runs, int epochs, int runsPerExperiment, long seed) {
    List<Row> runRows = new ArrayList<>(runs);
    List<Row> layerRows = new ArrayList<>(runs * 3);
    List<Row> epochRows = new ArrayList<>(runs * epochs);
    for (int i = 0; i < runs; i++) {
      SplittableRandom rnd = new SplittableRandom(seed * 1_000_003L + i);
      String id = String.format(Locale.ROOT, "loss-%06d", i);
      double lr = Math.pow(10, -4 + 4 * rnd.nextDouble());
      String optimizer = OPTIMIZERS[rnd.nextInt(OPTIMIZERS.length)];
      int batch = BATCHES[rnd.nextInt(BATCHES.length)];
      double decay = DECAYS[rnd.nextInt(DECAYS.length)];
      double dropout = DROPOUTS[rnd.nextInt(DROPOUTS.length)];
      Map<String, String> params = new LinkedHashMap<>();
      params.put("learning_rate", Double.toString(lr));
      params.put("optimizer", optimizer);
      params.put("batch_size", Integer.toString(batch));
      params.put("weight_decay", Double.toString(decay));
      params.put("dropout", Double.toString(dropout));
      params.put("seed", Integer.toString(i % 5));
      runRows.add(
          RowFactory.create(
              id,
              "loss-exp-" + (i / runsPerExperiment),
              Timestamp.valueOf("2026-01-05 09:00:00"),
              scala.jdk.javaapi.CollectionConverters.asScala(params)));
      for (int l = 0; l < 3; l++) {
        layerRows.add(
            RowFactory.create(
                id, l, "fc" + (l + 1), l == 2 ? "softmax" : "relu", 64, l == 2 ? 10 : 64));
      }
      // descent rate: fast for a good step, slow for a tiny one; adam is less sensitive to the step
      double effective =
          optimizer.equals("adam")
              ? Math.sqrt(lr) * 0.3
              : lr * (optimizer.equals("momentum") ? 10 : 3);
      double rate = Math.min(0.5, effective);
      boolean diverges = !optimizer.equals("adam") && lr > 0.3;
      double overfit = (dropout == 0 ? 0.02 : 0.005 / dropout * 0.1) * (decay == 0 ? 1.5 : 1);
      double noise = 0.02 * Math.sqrt(64.0 / batch);
      double train = 2.3;
      for (int e = 1; e <= epochs; e++) {
        if (diverges && e > 3) {
          train = train * (1.5 + rnd.nextDouble());
        } else {
          train = 0.1 + (train - 0.1) * (1 - rate) + noise * train * (rnd.nextDouble() - 0.5);
        }
        double val =
            train * (1 + overfit * Math.max(0, e - 5)) + noise * (rnd.nextDouble() - 0.5) * 0.5;
        epochRows.add(
            RowFactory.create(
                id,
                e,
                Double.isFinite(train) ? train : Double.POSITIVE_INFINITY,
                e % 2 == 0 ? val : null));
      }
    }
    String base = root.replaceAll("/+$", "");
    save(spark, runRows, TelemetryContract.schema(TelemetryContract.RUNS), base + "/runs", 1);
    save(spark, layerRows, TelemetryContract.schema(TelemetryContract.LAYERS), base + "/layers", 1);
    save(spark, epochRows, TelemetryContract.schema(TelemetryContract.EPOCHS), base + "/epochs", 4);
    save(
        spark,
        List.of(),
        TelemetryContract.schema(TelemetryContract.TENSORS),
        base + "/tensors",
        1);
  }

  private static void save(
      SparkSession spark,
      List<Row> rows,
      org.apache.spark.sql.types.StructType schema,
      String path,
      int files) {
    spark
        .createDataFrame(rows, schema)
        .repartition(files)
        .write()
        .format("delta")
        .mode(SaveMode.Overwrite)
        .option("overwriteSchema", "true")
        .save(path);
  }
}
