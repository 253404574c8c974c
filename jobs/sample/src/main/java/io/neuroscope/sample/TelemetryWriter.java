package io.neuroscope.sample;

import io.neuroscope.jobs.telemetry.TelemetryContract;
import io.neuroscope.sample.training.EpochListener;
import io.neuroscope.sample.training.EpochReport;
import io.neuroscope.sample.training.LayerInfo;
import io.neuroscope.sample.training.Matrix;
import io.neuroscope.sample.training.StepSnapshot;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;

/**
 * Collects the telemetry of training runs, in the contract's exact schema (telemetry v1), and
 * writes it as the four Delta tables {@code ROOT/runs}, {@code ROOT/layers}, {@code ROOT/epochs}
 * and {@code ROOT/tensors}.
 *
 * <p>Each run gets its own {@link RunRecorder}, an {@link EpochListener} to pass to the trainer;
 * recorders are independent (runs may train on different threads) and are {@link #add added} to the
 * writer in the order they should appear. Per epoch a recorder keeps, for every layer: the
 * activations of the monitoring batch (rows = samples, cols = neurons), the weight gradients, bias
 * gradients and weight update ΔW of the monitored step, and the weights at the end of the epoch
 * (rows = fan_in, cols = fan_out). A tensor of more than {@code chunkValues} values is split along
 * its first axis into chunks 0..k−1 of at most that many values (at least one row each).
 *
 * <p>Rows are built with explicit schemas ({@code values} is a Java {@code float[]}, which Spark
 * takes for {@code ARRAY<FLOAT>}) and written in few files.
 */
public final class TelemetryWriter {
  /** Values per tensor row before a tensor is split into chunks. */
  public static final int DEFAULT_CHUNK_VALUES = 4096;

  /** About this many values per tensors file. */
  private static final long VALUES_PER_FILE = 16L << 20;

  private final int chunkValues;
  private final List<Row> runs = new ArrayList<>();
  private final List<Row> layers = new ArrayList<>();
  private final List<Row> epochs = new ArrayList<>();
  private final List<Row> tensors = new ArrayList<>();
  private long values;
  private boolean written;

  public TelemetryWriter() {
    this(DEFAULT_CHUNK_VALUES);
  }

  public TelemetryWriter(int chunkValues) {
    if (chunkValues <= 0) {
      throw new IllegalArgumentException("chunk limit must be positive, got " + chunkValues);
    }
    this.chunkValues = chunkValues;
  }

  /**
   * A recorder for one run, to pass to {@code Trainer.train}; {@link #add} it when training is
   * done.
   */
  public RunRecorder recorder(
      String runId, String experiment, Timestamp startedAt, Map<String, String> params) {
    return new RunRecorder(runId, experiment, startedAt, params, chunkValues);
  }

  /** Takes over a finished run's rows. */
  public synchronized TelemetryWriter add(RunRecorder run) {
    runs.add(run.runRow);
    layers.addAll(run.layers);
    epochs.addAll(run.epochs);
    tensors.addAll(run.tensors);
    values += run.values;
    return this;
  }

  /** Tensor values held, not yet written. */
  public synchronized long bufferedValues() {
    return values;
  }

  /** Tensor rows held, not yet written. */
  public synchronized int bufferedTensorRows() {
    return tensors.size();
  }

  /**
   * Writes the rows held so far under {@code root} as Delta tables and forgets them. The first call
   * overwrites the four tables, later calls append, so a large archive can be written in parts.
   */
  public synchronized void write(SparkSession spark, String root) {
    String base = root.replaceAll("/+$", "");
    String mode = written ? "append" : "overwrite";
    save(
        spark.createDataFrame(runs, TelemetryContract.schema(TelemetryContract.RUNS)),
        base + "/" + TelemetryContract.RUNS,
        1,
        mode);
    save(
        spark.createDataFrame(layers, TelemetryContract.schema(TelemetryContract.LAYERS)),
        base + "/" + TelemetryContract.LAYERS,
        1,
        mode);
    save(
        spark.createDataFrame(epochs, TelemetryContract.schema(TelemetryContract.EPOCHS)),
        base + "/" + TelemetryContract.EPOCHS,
        1,
        mode);
    int files = (int) Math.max(1, Math.min(64, (values + VALUES_PER_FILE - 1) / VALUES_PER_FILE));
    save(
        spark.createDataFrame(tensors, TelemetryContract.schema(TelemetryContract.TENSORS)),
        base + "/" + TelemetryContract.TENSORS,
        files,
        mode);
    runs.clear();
    layers.clear();
    epochs.clear();
    tensors.clear();
    values = 0;
    written = true;
  }

  private static void save(Dataset<Row> df, String path, int files, String mode) {
    df.coalesce(files)
        .write()
        .format("delta")
        .mode(mode)
        .option("overwriteSchema", "true")
        .save(path);
  }

  /** The telemetry of one run, collected while it trains. Not thread-safe; one per run. */
  public static final class RunRecorder implements EpochListener {
    private final String runId;
    private final int chunkValues;
    private final Row runRow;
    private final List<Row> layers = new ArrayList<>();
    private final List<Row> epochs = new ArrayList<>();
    private final List<Row> tensors = new ArrayList<>();
    private long values;

    RunRecorder(
        String runId,
        String experiment,
        Timestamp startedAt,
        Map<String, String> params,
        int chunkValues) {
      this.runId = runId;
      this.chunkValues = chunkValues;
      this.runRow = RowFactory.create(runId, experiment, startedAt, new LinkedHashMap<>(params));
    }

    @Override
    public void onStart(List<LayerInfo> architecture) {
      for (LayerInfo l : architecture) {
        layers.add(
            RowFactory.create(runId, l.index(), l.name(), l.activation(), l.fanIn(), l.fanOut()));
      }
    }

    @Override
    public void onEpoch(EpochReport r) {
      int epoch = r.epoch();
      epochs.add(
          RowFactory.create(
              runId,
              epoch,
              r.trainLoss(),
              r.validationLoss().isPresent() ? r.validationLoss().getAsDouble() : null));
      StepSnapshot step = r.monitoredStep();
      for (int l = 0; l < r.weights().size(); l++) {
        tensor(epoch, l, "activations", r.activations().get(l));
        if (step != null) {
          tensor(epoch, l, "gradients", step.weightGradients().get(l));
          tensor(epoch, l, "bias_gradients", step.biasGradients().get(l));
        }
        tensor(epoch, l, "weights", r.weights().get(l));
        if (step != null) {
          tensor(epoch, l, "weight_updates", step.weightUpdates().get(l));
        }
      }
    }

    private void tensor(int epoch, int layer, String kind, Matrix m) {
      for (Row row : chunks(runId, epoch, layer, kind, m, chunkValues)) {
        tensors.add(row);
      }
      values += m.size();
    }

    public String runId() {
      return runId;
    }
  }

  /**
   * The rows of one tensor: a single chunk when it has at most {@code chunkValues} values,
   * otherwise chunks of floor(chunkValues / cols) rows (at least one) along the first axis.
   */
  static List<Row> chunks(
      String runId, int epoch, int layer, String kind, Matrix m, int chunkValues) {
    int rows = m.rows();
    int cols = m.cols();
    int rowsPerChunk =
        m.size() <= chunkValues ? Math.max(rows, 1) : Math.max(1, chunkValues / Math.max(cols, 1));
    List<Row> out = new ArrayList<>((rows + rowsPerChunk - 1) / rowsPerChunk);
    int chunk = 0;
    for (int from = 0; from < rows || (from == 0 && rows == 0); from += rowsPerChunk) {
      int to = Math.min(rows, from + rowsPerChunk);
      out.add(
          RowFactory.create(
              runId, epoch, layer, kind, chunk++, to - from, cols, m.rowsToFloats(from, to)));
      if (rows == 0) {
        break;
      }
    }
    return out;
  }
}
