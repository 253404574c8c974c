package io.neuroscope.sample.bench;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.when;

import com.sun.management.GarbageCollectionNotificationInfo;
import io.delta.tables.DeltaTable;
import io.neuroscope.diagnostics.Settings;
import io.neuroscope.jobs.cli.Command;
import io.neuroscope.jobs.cli.Invocation;
import io.neuroscope.jobs.cli.Options;
import io.neuroscope.jobs.diagnostics.DiagnosticsAction;
import io.neuroscope.jobs.error.NeuroScopeErrors;
import io.neuroscope.jobs.nightly.NightlyAction;
import io.neuroscope.jobs.table.OutputTables;
import io.neuroscope.jobs.telemetry.TelemetrySource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * {@code bin/neuroscope bench-nightly}: the nightly job on a fresh archive, then again on the
 * unchanged archive, then after the archive grew, each with its time, what it read and the JVM's
 * peak heap and the process's peak resident memory. The unchanged rerun is reported as a ratio of
 * the full run measured in the same process (the target: at most 5 %). Between the unchanged rerun
 * and the growth it times the {@link IoBaseline} on the same archive: a plain Spark job that reads
 * the epochs and the tensor values and writes ten rows per epoch to Delta, the I/O a nightly cannot
 * avoid. Last, the losses of one epoch of some runs are corrected (an operator's fix of a bad
 * export) and the nightly is timed again. The output ends with five lines {@code ratio NAME =
 * VALUE}, each of two times measured in this process: {@code unchanged/full}, {@code grown/full},
 * {@code corrected/full}, {@code full/io-baseline}, and {@code full/diagnostics-stage} (the full
 * run over its own diagnostics stage: what the summaries, the effects and the audit add).
 *
 * <ul>
 *   <li>{@code --archive loss} (default): {@link LossTelemetry}, 10,000 runs x 30 epochs, Delta. It
 *       grows by one epoch for every 100th run and by 1 % new runs.
 *   <li>{@code --archive tensors}: {@link SyntheticTelemetry}, 25 runs x 10 epochs x 3 layers x 4
 *       tensors of 256 x 256 floats (196.6 M values), Parquet. It grows by one epoch for every 5th
 *       run.
 * </ul>
 */
public final class NightlyBenchmark implements Command {
  @Override
  public String name() {
    return "bench-nightly";
  }

  @Override
  public String usage() {
    return String.join(
        "\n",
        "usage: neuroscope bench-nightly [--archive loss|tensors] [--data bench/nightly-ARCHIVE] [--runs N] [--epochs E]",
        "  generates a fresh archive (loss: 10,000 runs x 30 epochs; tensors: 196.6 M floats), then times nightly on it,",
        "  again on it unchanged, again after it grew, and again after some runs' losses were corrected; with each",
        "  run's peak heap and peak resident memory; ends with the ratios unchanged/full, grown/full,",
        "  corrected/full, full/io-baseline (a plain Spark read + Delta write)"
            + " and full/diagnostics-stage");
  }

  @Override
  public Options options() {
    return Options.of("--archive", "--data", "--runs", "--epochs");
  }

  @Override
  public int run(Invocation call) {
    return run(call, call.options());
  }

  /** One measured run: a nightly, or the io-baseline. */
  private record Stage(
      String name,
      double seconds,
      double diagnosticsSeconds,
      long epochsComputed,
      long epochs,
      long tensors,
      long valuesRead,
      long rowsWritten,
      long liveHeapPeak,
      long heapPeak) {
    static Stage of(String name, NightlyAction.Result r, double seconds) {
      DiagnosticsAction.Result d = r.diagnostics();
      return new Stage(
          name,
          seconds,
          r.diagnosticsSeconds(),
          d.epochsComputed(),
          d.epochs(),
          d.tensors(),
          d.valuesRead(),
          d.diagnosticsChanged(),
          LIVE_HEAP.peak(),
          NightlyBenchmark.heapPeak());
    }
  }

  /**
   * The largest heap in use just after a collection since the last reset: the live data's peak, as
   * far as collections saw it. (The heap in use at its peak, also reported, counts garbage a large
   * -Xmx lets wait.)
   */
  private static final class LiveHeap implements NotificationListener {
    private final Set<String> heapPools = new HashSet<>();
    private volatile long peak;

    LiveHeap() {
      for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
        if (p.getType() == MemoryType.HEAP) heapPools.add(p.getName());
      }
      for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
        if (gc instanceof NotificationEmitter e) e.addNotificationListener(this, null, null);
      }
    }

    @Override
    public void handleNotification(Notification n, Object handback) {
      if (!n.getType().equals(GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION))
        return;
      GarbageCollectionNotificationInfo info =
          GarbageCollectionNotificationInfo.from((CompositeData) n.getUserData());
      long used = 0;
      for (Map.Entry<String, MemoryUsage> e : info.getGcInfo().getMemoryUsageAfterGc().entrySet()) {
        if (heapPools.contains(e.getKey())) used += e.getValue().getUsed();
      }
      if (used > peak) peak = used;
    }

    void reset() {
      peak = 0;
    }

    long peak() {
      return peak;
    }
  }

  private static final LiveHeap LIVE_HEAP = new LiveHeap();

  private static int run(Invocation call, Map<String, String> opts) {
    String archive = opts.getOrDefault("--archive", "loss");
    if (!archive.equals("loss") && !archive.equals("tensors")) {
      throw NeuroScopeErrors.badValue("--archive", "loss or tensors", archive);
    }
    String data = opts.getOrDefault("--data", "bench/nightly-" + archive).replaceAll("/+$", "");
    String telemetry = data + "/telemetry";
    String output = data + "/output";
    SparkSession spark = call.spark();
    delete(
        spark, data); // the archive grows during the benchmark: start from a fresh one every time
    long t = System.nanoTime();
    if (archive.equals("loss")) {
      int runs = Integer.parseInt(opts.getOrDefault("--runs", "10000"));
      int epochs = Integer.parseInt(opts.getOrDefault("--epochs", "30"));
      LossTelemetry.write(spark, telemetry, runs, epochs, 1000, 0);
      System.out.printf(
          Locale.ROOT,
          "generated %d runs x %d epochs of loss telemetry -> %s (%.1f s)%n",
          runs,
          epochs,
          telemetry,
          seconds(t));
    } else {
      SyntheticTelemetry.Shape shape =
          new SyntheticTelemetry.Shape(
              Integer.parseInt(opts.getOrDefault("--runs", "25")),
              Integer.parseInt(opts.getOrDefault("--epochs", "10")),
              3,
              256,
              8);
      SyntheticTelemetry.write(spark, telemetry, shape);
      System.out.printf(
          Locale.ROOT,
          "generated %d tensors, %.1f M values -> %s (%.1f s)%n",
          shape.tensors(),
          shape.values() / 1e6,
          telemetry,
          seconds(t));
    }
    // defaults as shipped; no catalog registration (a benchmark's tables are not for the metastore)
    Settings settings = call.settings().with(Map.of("catalog.database", ""));

    List<Stage> stages = new ArrayList<>();
    stages.add(measure(spark, "full (first run)", telemetry, output, settings));
    stages.add(measure(spark, "rerun, unchanged", telemetry, output, settings));
    // The io-baseline runs on the archive the full run read, after it and the unchanged rerun:
    // the JVM is warm from the full run (JIT, Spark's and Delta's classes) and the files are in the
    // page cache for both (they were just written), so the order can only flatter the baseline,
    // never the nightly; and it leaves the nightly's own sequence (full, unchanged, grown) as is.
    Stage baseline = measureIoBaseline(spark, telemetry, data + "/io-baseline");
    String grown =
        archive.equals("loss") ? growLoss(spark, telemetry) : growTensors(spark, telemetry);
    System.out.println("grew the archive: " + grown);
    stages.add(measure(spark, "rerun, grown", telemetry, output, settings));
    String corrected =
        archive.equals("loss")
            ? correctLoss(spark, telemetry)
            : correctTensorArchiveLosses(spark, telemetry);
    System.out.println("corrected the archive: " + corrected);
    stages.add(measure(spark, "rerun, corrected", telemetry, output, settings));

    System.out.printf(
        "%n| nightly | time | vs full | epochs computed | tensors read | values read | diagnostics rows written | "
            + "peak live heap | peak heap in use |%n|---|---|---|---|---|---|---|---|---|%n");
    double full = stages.get(0).seconds();
    stages.add(baseline);
    for (Stage s : stages) {
      System.out.printf(
          Locale.ROOT,
          "| %s | %.1f s | %.1f %% | %d of %d | %d | %d | %d | %s | %s |%n",
          s.name(),
          s.seconds(),
          100 * s.seconds() / full,
          s.epochsComputed(),
          s.epochs(),
          s.tensors(),
          s.valuesRead(),
          s.rowsWritten(),
          s.liveHeapPeak() == 0 ? "no collection" : mib(s.liveHeapPeak()),
          mib(s.heapPeak()));
    }
    System.out.printf(
        Locale.ROOT,
        "%nprocess peak resident memory: %s (-Xmx %s)%n",
        mib(rssPeak()),
        mib(Runtime.getRuntime().maxMemory()));
    System.out.printf(
        Locale.ROOT,
        "%nunchanged rerun / full run = %.3f (target <= 0.05)%n",
        stages.get(1).seconds() / full);
    // last, for scripts to read: each a ratio of two times measured in this process
    System.out.printf(Locale.ROOT, "ratio unchanged/full = %.3f%n", stages.get(1).seconds() / full);
    System.out.printf(Locale.ROOT, "ratio grown/full = %.3f%n", stages.get(2).seconds() / full);
    System.out.printf(Locale.ROOT, "ratio corrected/full = %.3f%n", stages.get(3).seconds() / full);
    System.out.printf(Locale.ROOT, "ratio full/io-baseline = %.2f%n", full / baseline.seconds());
    System.out.printf(
        Locale.ROOT,
        "ratio full/diagnostics-stage = %.2f%n",
        full / stages.get(0).diagnosticsSeconds());
    return 0;
  }

  private static Stage measure(
      SparkSession spark, String name, String telemetry, String output, Settings settings) {
    resetPeaks();
    long t = System.nanoTime();
    NightlyAction.Result r =
        new NightlyAction(
                spark,
                TelemetrySource.folder(telemetry),
                OutputTables.at(spark, output),
                settings,
                true)
            .execute();
    Stage s = Stage.of(name, r, seconds(t));
    System.out.printf(
        Locale.ROOT,
        "%s: %.1f s (%s: %s)%n",
        name,
        s.seconds(),
        r.diagnostics().outcome(),
        r.diagnostics().reason());
    return s;
  }

  /**
   * The {@link IoBaseline} on the archive, timed like a nightly run; what it read and wrote is told
   * from its output afterwards, outside the time.
   */
  private static Stage measureIoBaseline(SparkSession spark, String telemetry, String output) {
    delete(spark, output);
    resetPeaks();
    long t = System.nanoTime();
    IoBaseline.run(spark, telemetry, output);
    double secs = seconds(t);
    long live = LIVE_HEAP.peak(), heap = heapPeak();
    IoBaseline.Result r = IoBaseline.written(spark, output);
    System.out.printf(
        Locale.ROOT,
        "io-baseline: %.1f s (read %d epochs, %d tensor rows, %d values; wrote %d rows)%n",
        secs,
        r.epochs(),
        r.tensorRows(),
        r.values(),
        r.rowsWritten());
    return new Stage(
        "io-baseline (plain read + write)",
        secs,
        0,
        r.epochs(),
        r.epochs(),
        r.tensorRows(),
        r.values(),
        r.rowsWritten(),
        live,
        heap);
  }

  /**
   * One more epoch for every 100th run (its last, 1 % lower) and 1 % new runs (copies of the first
   * ones).
   */
  private static String growLoss(SparkSession spark, String root) {
    Dataset<Row> epochs = read(spark, root, "epochs");
    Dataset<Row> every100th = epochs.where(col("run_id").endsWith("00"));
    Dataset<Row> next =
        every100th
            .groupBy("run_id")
            .agg(max("epoch").as("epoch"))
            .join(epochs, new String[] {"run_id", "epoch"})
            .select(
                col("run_id"),
                col("epoch").plus(1).as("epoch"),
                col("train_loss").multiply(0.99).as("train_loss"),
                col("val_loss").multiply(0.99).as("val_loss"))
            .localCheckpoint(); // computed once, for the count and the append
    long gained = next.count();
    append(next, root, "epochs");
    long runs = read(spark, root, "runs").count();
    Column copied = col("run_id").lt(String.format(Locale.ROOT, "loss-%06d", runs / 100));
    Column renamed = concat(lit("grown-"), col("run_id")).as("run_id");
    for (String t : List.of("runs", "layers", "epochs")) {
      Dataset<Row> rows = read(spark, root, t);
      List<Column> cols = new ArrayList<>();
      for (String c : rows.columns()) cols.add(c.equals("run_id") ? renamed : col(c));
      append(rows.where(copied).select(cols.toArray(Column[]::new)), root, t);
    }
    return gained + " runs gained an epoch, " + runs / 100 + " new runs";
  }

  /** One more epoch (a copy of the last) for every 5th run; the synthetic archive is Parquet. */
  private static String growTensors(SparkSession spark, String root) {
    Dataset<Row> epochs = spark.read().parquet(root + "/epochs");
    int last = epochs.agg(max("epoch")).first().getInt(0);
    List<String> growing = everyFifthRun(epochs, 0);
    Column which = col("run_id").isin(growing.toArray()).and(col("epoch").equalTo(last));
    // materialized first: the folder is read and appended to
    List<Row> newEpochs = epochs.where(which).withColumn("epoch", lit(last + 1)).collectAsList();
    Dataset<Row> tensors =
        spark
            .read()
            .parquet(root + "/tensors")
            .where(which)
            .withColumn("epoch", lit(last + 1))
            .localCheckpoint();
    long values = tensors.count();
    tensors.write().mode("append").parquet(root + "/tensors");
    spark
        .createDataFrame(newEpochs, epochs.schema())
        .write()
        .mode("append")
        .parquet(root + "/epochs");
    return growing.size() + " runs gained epoch " + (last + 1) + " (" + values + " tensors)";
  }

  /** Every 5th run_id in order, from the {@code first}-th (0-based). */
  private static List<String> everyFifthRun(Dataset<Row> epochs, int first) {
    List<String> runs =
        epochs
            .select("run_id")
            .distinct()
            .orderBy("run_id")
            .as(org.apache.spark.sql.Encoders.STRING())
            .collectAsList();
    List<String> chosen = new ArrayList<>();
    for (int i = first; i < runs.size(); i += 5) chosen.add(runs.get(i));
    return chosen;
  }

  /**
   * The train loss of epoch 15 of every 100th run (1 % of the runs), 1 % higher: a Delta UPDATE, as
   * an operator would correct a bad export.
   */
  private static String correctLoss(SparkSession spark, String root) {
    Column which = col("run_id").endsWith("50").and(col("epoch").equalTo(15));
    long n = read(spark, root, "epochs").where(which).count();
    DeltaTable.forPath(spark, root + "/epochs")
        .update(which, Map.of("train_loss", col("train_loss").multiply(1.01)));
    return "epoch 15's train_loss of " + n + " runs corrected by an UPDATE";
  }

  /**
   * The train loss of the middle epoch of every 5th run (others than those that grew), 1 % higher;
   * the Parquet epochs folder is written again with it (255 rows).
   */
  private static String correctTensorArchiveLosses(SparkSession spark, String root) {
    Dataset<Row> epochs = spark.read().parquet(root + "/epochs");
    List<String> fixed = everyFifthRun(epochs, 2);
    Column which = col("run_id").isin(fixed.toArray()).and(col("epoch").equalTo(5));
    // materialized first: the folder is read and written again
    List<Row> rows =
        epochs
            .withColumn(
                "train_loss",
                when(which, col("train_loss").multiply(1.01)).otherwise(col("train_loss")))
            .collectAsList();
    spark
        .createDataFrame(rows, epochs.schema())
        .write()
        .mode("overwrite")
        .parquet(root + "/epochs");
    return "epoch 5's train_loss of "
        + fixed.size()
        + " runs corrected (epochs folder written again)";
  }

  private static Dataset<Row> read(SparkSession spark, String root, String table) {
    return spark.read().format("delta").load(root + "/" + table);
  }

  private static void append(Dataset<Row> rows, String root, String table) {
    rows.write().format("delta").mode("append").save(root + "/" + table);
  }

  private static void resetPeaks() {
    System.gc();
    for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) p.resetPeakUsage();
    LIVE_HEAP.reset();
  }

  /** The sum of the heap pools' peaks since the last reset (an upper bound of the heap's peak). */
  private static long heapPeak() {
    long sum = 0;
    for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
      if (p.getType() == MemoryType.HEAP) sum += p.getPeakUsage().getUsed();
    }
    return sum;
  }

  /** VmHWM of /proc/self/status in bytes, or -1 where there is none. */
  private static long rssPeak() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmHWM:")) return 1024 * Long.parseLong(line.replaceAll("[^0-9]", ""));
      }
    } catch (IOException e) {
      return -1;
    }
    return -1;
  }

  private static String mib(long bytes) {
    return bytes < 0 ? "n/a" : String.format(Locale.ROOT, "%,d MiB", bytes >> 20);
  }

  private static void delete(SparkSession spark, String path) {
    try {
      org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(path);
      FileSystem fs = p.getFileSystem(spark.sparkContext().hadoopConfiguration());
      if (fs.exists(p)) fs.delete(p, true);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot clear " + path, e);
    }
  }

  private static double seconds(long since) {
    return (System.nanoTime() - since) / 1e9;
  }
}
