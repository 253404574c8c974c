package io.neuroscope.sample;

import static org.apache.spark.sql.functions.col;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.neuroscope.jobs.telemetry.TelemetryContract;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The ground truth of the {@link Sweep#evaluation evaluation sweep}, as a JSON file:
 *
 * <pre>{@code
 * {"runs": {"<run_id>": {"healthy": true|false, "split": "dev"|"test", "seed": <int>,
 *                        "problems": [{"problem": "dead_neurons", "onset_epoch": 1}]}}}
 * }</pre>
 *
 * <p>{@code healthy} is true for the baselines (no problems). The split is by seed index, so that
 * every design is in both: even seed indices are {@code dev}, odd ones {@code test}. {@code
 * onset_epoch} uses the telemetry's numbering (epochs start at 1, as the trainer reports them): the
 * pathologies planted from the start (dead ReLUs from a huge step, vanishing gradients, saturation,
 * exploding gradients, a plateau) start at the first epoch; overfitting starts at the epoch where
 * the run's validation loss is lowest (the first such epoch on ties), read back from the written
 * {@code epochs} table: after it the validation loss only rises above its minimum.
 */
public final class EvaluationLabels {
  /** The first epoch of the telemetry (the trainer numbers epochs from 1). */
  static final int FIRST_EPOCH = 1;

  private EvaluationLabels() {}

  /** The split of a seed index: even → dev, odd → test. */
  static String split(int seedIndex) {
    return seedIndex % 2 == 0 ? "dev" : "test";
  }

  /**
   * The labels of {@code runs} (evaluation runs, see {@link Sweep#seedIndex}), whose telemetry was
   * written under {@code telemetryRoot}; the overfitting onsets are read from its {@code epochs}
   * table.
   */
  public static Map<String, Object> labels(
      SparkSession spark, List<Sweep.Run> runs, String telemetryRoot) {
    List<String> overfitting = new ArrayList<>();
    for (Sweep.Run r : runs) {
      if ("overfitting".equals(r.planted())) overfitting.add(r.runId());
    }
    Map<String, Integer> minima =
        overfitting.isEmpty() ? Map.of() : validationMinima(spark, telemetryRoot, overfitting);
    Map<String, Object> labelled = new LinkedHashMap<>();
    for (Sweep.Run r : runs) {
      int seed = Sweep.seedIndex(r);
      List<Map<String, Object>> problems = new ArrayList<>();
      if (r.planted() != null) {
        Integer onset = "overfitting".equals(r.planted()) ? minima.get(r.runId()) : FIRST_EPOCH;
        if (onset == null) {
          throw new IllegalStateException(
              "no validation loss for " + r.runId() + " in " + telemetryRoot);
        }
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("problem", r.planted());
        p.put("onset_epoch", onset);
        problems.add(p);
      }
      Map<String, Object> label = new LinkedHashMap<>();
      label.put("healthy", r.baseline());
      label.put("split", split(seed));
      label.put("seed", seed);
      label.put("problems", problems);
      labelled.put(r.runId(), label);
    }
    return Map.of("runs", labelled);
  }

  /** Writes {@link #labels} to {@code file} (pretty-printed JSON), creating its folder. */
  public static void write(
      SparkSession spark, List<Sweep.Run> runs, String telemetryRoot, Path file) {
    Map<String, Object> labels = labels(spark, runs, telemetryRoot);
    try {
      Path parent = file.toAbsolutePath().getParent();
      if (parent != null) Files.createDirectories(parent);
      new ObjectMapper().writerWithDefaultPrettyPrinter().writeValue(file.toFile(), labels);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the labels to " + file, e);
    }
  }

  /** Per run: the epoch of its lowest validation loss (the first on ties; NaN never wins). */
  static Map<String, Integer> validationMinima(
      SparkSession spark, String telemetryRoot, List<String> runIds) {
    String path = telemetryRoot.replaceAll("/+$", "") + "/" + TelemetryContract.EPOCHS;
    List<Row> rows =
        spark
            .read()
            .format("delta")
            .load(path)
            .where(col("run_id").isin(runIds.toArray()).and(col("val_loss").isNotNull()))
            .select("run_id", "epoch", "val_loss")
            .collectAsList();
    Map<String, Integer> best = new HashMap<>();
    Map<String, Double> lowest = new HashMap<>();
    for (Row row : rows) {
      String run = row.getString(0);
      int epoch = row.getInt(1);
      double loss = row.getDouble(2);
      if (Double.isNaN(loss)) continue;
      Double low = lowest.get(run);
      if (low == null || loss < low || (loss == low && epoch < best.get(run))) {
        lowest.put(run, loss);
        best.put(run, epoch);
      }
    }
    return best;
  }
}
