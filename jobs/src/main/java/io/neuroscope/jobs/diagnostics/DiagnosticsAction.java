package io.neuroscope.jobs.diagnostics;

import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import io.neuroscope.jobs.nightly.ChangeSet;
import io.neuroscope.jobs.nightly.Fingerprints;
import io.neuroscope.jobs.nightly.NightlyState;
import io.neuroscope.jobs.spark.Elapsed;
import io.neuroscope.jobs.spark.ProgressLog;
import io.neuroscope.jobs.table.KeyedUpserts;
import io.neuroscope.jobs.telemetry.Quarantine;
import io.neuroscope.jobs.telemetry.Telemetry;
import io.neuroscope.jobs.telemetry.TelemetryContract;
import io.neuroscope.jobs.telemetry.TensorKey;
import io.neuroscope.jobs.telemetry.ValidatedTelemetry;
import io.neuroscope.diagnostics.Diagnostics;
import io.neuroscope.diagnostics.EpochTensors;
import io.neuroscope.diagnostics.LayerInfo;
import io.neuroscope.diagnostics.Settings;
import io.neuroscope.diagnostics.TensorKind;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import org.apache.spark.util.LongAccumulator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.Tuple2;

/**
 * The diagnostics job: validate the telemetry, set bad rows aside, compute the ten diagnostics for
 * every run and epoch in {@code epochs} (or, incrementally, for what is new or changed since the last
 * run, as {@link NightlyState} tells), and upsert {@code OUTPUT/diagnostics} and {@code OUTPUT/quarantine}.
 */
public final class DiagnosticsAction {
  private static final Logger LOG = LoggerFactory.getLogger(DiagnosticsAction.class);
  /** About 4 M values per columnar batch: 64 rows of 65 k floats measured 1.3–1.7× faster than Spark's 4096. */
  private static final long VALUES_PER_BATCH = 4L << 20;
  /** Up to this many epochs to compute, the scan is given each (run_id, epoch); up to this many runs, their ids. */
  private static final int PUSHED_EPOCHS = 500;
  private static final int PUSHED_RUNS = 2000;

  /**
   * What a run of the job did, for logs, the audit and tests.
   *
   * @param runs sound runs in the telemetry
   * @param epochs sound epochs in the telemetry
   * @param tensors tensors whose values were read
   * @param diagnosticsRows rows computed
   * @param diagnosticsChanged rows of those new or changed in the table (all of them when it was created)
   * @param mode "full" or "incremental"
   * @param reason why full, or what changed
   * @param changedRuns the runs computed; null when all were
   * @param epochsComputed epochs whose tensors were read and all of whose diagnostics were computed
   */
  public record Result(long runs, long epochs, long tensors, long valuesRead, long diagnosticsRows,
      long diagnosticsChanged, long quarantined, String mode, String reason, Set<String> changedRuns, long epochsComputed) {}

  private DiagnosticsAction() {}

  /** Computes everything (the {@code diagnostics} command). */
  public static Result run(SparkSession spark, Telemetry telemetry, String output, Settings settings) {
    return run(spark, telemetry, output, settings, false);
  }

  /**
   * @param incremental compute only the runs and epochs that are new or changed since the last run
   *     (everything, with a log line saying why, when that cannot be told)
   */
  public static Result run(SparkSession spark, Telemetry telemetry, String output, Settings settings,
      boolean incremental) {
    long started = System.nanoTime();
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    jsc.setJobGroup("neuroscope-diagnostics", "NeuroScope diagnostics over " + telemetry.source(), false);
    ValidatedTelemetry v = new ValidatedTelemetry(telemetry);

    jsc.setJobDescription("validate telemetry keys");
    Map<String, SortedMap<Integer, LayerInfo>> layers = new HashMap<>();
    long setAside = 0; // rows the key rules set aside; the tensor pass adds its own
    for (Row r : v.checkedLayers.select(LAYER_COLUMNS).collectAsList()) {
      if (r.isNullAt(LAYER_COLUMNS.length - 1)) addLayer(layers, r);
      else setAside++;
    }
    Map<String, String> experiments = new HashMap<>();
    for (Row r : v.checkedRuns.select("run_id", "experiment", "reason").collectAsList()) {
      if (r.isNullAt(2)) experiments.put(r.getString(0), r.getString(1));
      else setAside++;
    }
    Set<TensorKey> rejected = v.rejectedTensors();
    Column sound = col("reason").isNull();
    Row shape = v.tensorKeys.agg(count(when(sound, lit(1))), count(col("reason")),
        avg(when(sound, col("rows").cast("double").multiply(col("cols").cast("double"))))).first();
    long tensorRows = shape.getLong(0);
    Row epochCounts = v.checkedEpochs.agg(count(when(sound, lit(1))), count(col("reason"))).first();
    long epochCount = epochCounts.getLong(0);
    setAside += shape.getLong(1) + epochCounts.getLong(1);
    LOG.info("Read telemetry from {}: {} runs, {} layers, {} epochs, {} tensor rows ({} tensors set aside by key checks)",
        telemetry.source(), experiments.size(), layers.values().stream().mapToInt(Map::size).sum(), epochCount,
        tensorRows, rejected.size());

    String settingsPrint = Fingerprints.ofSettings(settings);
    boolean fingerprinted = Fingerprints.available(telemetry.tensors());
    Dataset<Row> fingerprints = fingerprinted
        ? Fingerprints.of(telemetry, v).persist(StorageLevel.MEMORY_AND_DISK()) : null;
    jsc.setJobDescription("compare with the state of the last run");
    ChangeSet changes = !fingerprinted
        ? ChangeSet.everything("the tensors carry no file metadata to tell changed chunks by (not a file source)")
        : incremental ? NightlyState.changes(spark, output, fingerprints, settingsPrint)
        : ChangeSet.everything("every run asked for (the diagnostics command, or nightly --full)");
    LOG.info("{}: {}", changes.isEverything() ? "Computing every run" : "Computing incrementally", changes.reason());
    if (changes.isEmpty()) {
      long quarantined = writeQuarantine(spark, v, null, setAside, output);
      if (fingerprints != null) fingerprints.unpersist();
      jsc.clearJobGroup();
      LOG.info("Done in {} s: the diagnostics table is up to date", Elapsed.since(started));
      return new Result(experiments.size(), epochCount, 0, 0, 0, 0, quarantined, "incremental", changes.reason(), Set.of(), 0);
    }

    String batchKey = "spark.sql.parquet.columnarReaderBatchSize";
    String previousBatch = spark.conf().get(batchKey);
    double meanValues = shape.isNullAt(2) ? 0 : shape.getDouble(2);
    int batch = (int) Math.max(1, Math.min(4096, VALUES_PER_BATCH / Math.max(1, (long) meanValues)));
    spark.conf().set(batchKey, batch);

    Diagnostics diagnostics = new Diagnostics(settings);
    Broadcast<Map<String, SortedMap<Integer, LayerInfo>>> layersB = jsc.broadcast(layers);
    Broadcast<Set<TensorKey>> rejectedB = jsc.broadcast(rejected);
    Broadcast<Map<String, String>> experimentsB = jsc.broadcast(experiments);
    LongAccumulator valuesRead = spark.sparkContext().longAccumulator("tensor values read");
    int partitions = Integer.parseInt(spark.conf().get("spark.sql.shuffle.partitions"));

    jsc.setJobDescription("tensor statistics (one pass over the values)");
    JavaPairRDD<TensorKey, TensorPartial> partials = TensorPass.run(changedTensors(telemetry.tensors(), changes),
        TelemetryContract.valuesAreDouble(telemetry.tensors().schema()), layersB, rejectedB, settings, valuesRead, partitions)
        .persist(StorageLevel.MEMORY_AND_DISK());
    long tensors;
    try (ProgressLog progress = new ProgressLog(spark, LOG, "Tensor statistics", valuesRead)) {
      tensors = partials.count();
    }
    spark.conf().set(batchKey, previousBatch);
    LOG.info("Tensor statistics: {} tensors, {} values in {} s (columnar batch {} rows)", tensors, valuesRead.value(),
        Elapsed.since(started), batch);

    JavaRDD<Row> passQuarantine = partials.flatMap(t -> quarantineRows(t._1, t._2).iterator());
    JavaPairRDD<String, RunEvaluator.TensorEntry> stats = partials
        .filter(t -> t._2.stats != null && t._2.problems().isEmpty())
        .mapToPair(t -> new Tuple2<>(t._1.runId(), new RunEvaluator.TensorEntry(t._1.epoch(), t._1.layer(),
            TensorKind.fromColumnValue(t._1.kind()).orElseThrow(), t._2.stats)));
    JavaPairRDD<String, RunEvaluator.EpochRow> epochs = epochRows(spark, v, changes).javaRDD().mapToPair(r ->
        new Tuple2<>(r.getString(0), new RunEvaluator.EpochRow(r.getInt(1), r.getDouble(2),
            r.isNullAt(3) ? null : r.getDouble(3), !r.isNullAt(4), r.isNullAt(5) ? null : r.getDouble(5))));
    RunEvaluator evaluator = new RunEvaluator(diagnostics);
    // About 2,000 run-epochs (~60 k rows) per output partition: a small archive is not written as many tiny files.
    int outputPartitions = (int) Math.max(1, Math.min(4L * partitions, (epochCount + 1999) / 2000));
    JavaRDD<Row> rows = epochs.cogroup(stats, outputPartitions).flatMap(run -> {
      String runId = run._1;
      if (!run._2._1().iterator().hasNext()) return java.util.Collections.<Row>emptyIterator(); // tensors quarantined
      return evaluator.evaluate(runId, experimentsB.value().get(runId), run._2._1(), run._2._2(),
          layersB.value().get(runId)).iterator();
    });

    jsc.setJobDescription("write diagnostics");
    Dataset<Row> diagnosticsRows = spark.createDataFrame(rows, KeyedUpserts.SCHEMA).persist(StorageLevel.MEMORY_AND_DISK());
    long written = diagnosticsRows.count();
    long changed = KeyedUpserts.upsertDiagnostics(spark, diagnosticsRows, output + "/diagnostics", changes.runs());
    LOG.info("Diagnostics: {} rows for {} run-epochs, {} written to {}/diagnostics ({} s)", written,
        changes.isEverything() ? epochCount : changes.epochs(), changed < 0 ? "all" : changed + " new or changed",
        output, Elapsed.since(started));

    jsc.setJobDescription("write quarantine");
    long quarantined = writeQuarantine(spark, v, passQuarantine, setAside, output);

    jsc.setJobDescription("record the state");
    if (fingerprints != null) {
      Dataset<Row> norms = gradientNorms(spark, stats, layersB, changes);
      NightlyState.record(spark, output, fingerprints, norms, changes, settingsPrint);
      fingerprints.unpersist();
    } else {
      NightlyState.clear(spark, output);
    }
    diagnosticsRows.unpersist();
    if (!changes.isEverything()) changes.recompute().unpersist();
    partials.unpersist();
    jsc.clearJobGroup();
    LOG.info("Done in {} s", Elapsed.since(started));
    return new Result(experiments.size(), epochCount, tensors, valuesRead.value(), written, changed < 0 ? written : changed,
        quarantined,
        changes.isEverything() ? "full" : "incremental", changes.reason(), changes.runs(),
        changes.isEverything() ? epochCount : changes.epochs());
  }

  /**
   * (run_id, epoch, gradient_norm) of the epochs computed: from the tensors' statistics where they
   * were read, from the state where not (an epoch without gradients has none).
   */
  private static Dataset<Row> gradientNorms(SparkSession spark, JavaPairRDD<String, RunEvaluator.TensorEntry> stats,
      Broadcast<Map<String, SortedMap<Integer, LayerInfo>>> layers, ChangeSet changes) {
    JavaRDD<Row> computed = stats.filter(t -> t._2.kind() == TensorKind.GRADIENTS)
        .mapToPair(t -> new Tuple2<>(new Tuple2<>(t._1, t._2.epoch()), t._2))
        .groupByKey()
        .map(g -> {
          SortedMap<Integer, LayerInfo> runLayers = layers.value().get(g._1._1);
          EpochTensors epoch = new EpochTensors(runLayers == null ? new TreeMap<>() : runLayers);
          for (RunEvaluator.TensorEntry e : g._2) epoch.put(e.kind(), e.layer(), e.stats());
          return RowFactory.create(g._1._1, g._1._2, epoch.globalGradientNorm());
        });
    Dataset<Row> norms = spark.createDataFrame(computed, NORMS);
    return changes.isEverything() ? norms : norms.unionByName(changes.known());
  }

  private static final StructType NORMS = new StructType().add("run_id", DataTypes.StringType, false)
      .add("epoch", DataTypes.IntegerType, false).add("gradient_norm", DataTypes.DoubleType, true);

  /** The tensors of the epochs to recompute: all of them, or the changed runs' changed epochs. */
  private static Dataset<Row> changedTensors(Dataset<Row> tensors, ChangeSet changes) {
    if (changes.isEverything()) return tensors;
    // A predicate on run_id and epoch reaches the scan, where Delta (file statistics) and Parquet (row-group
    // statistics) skip what cannot hold a changed epoch: appended epochs are in files of their own. Without it
    // every row's values would be decoded, then dropped by the join.
    Column pushed = null;
    if (changes.epochs() <= PUSHED_EPOCHS) {
      for (Row r : changes.recompute().collectAsList()) {
        Column one = col("run_id").equalTo(r.getString(0)).and(col("epoch").equalTo(r.getInt(1)));
        pushed = pushed == null ? one : pushed.or(one);
      }
    } else if (changes.runs().size() <= PUSHED_RUNS) {
      pushed = col("run_id").isin(changes.runs().toArray());
    }
    return (pushed == null ? tensors : tensors.where(pushed)).join(broadcast(changes.recompute()),
        scala.jdk.javaapi.CollectionConverters.asScala(java.util.List.of("run_id", "epoch")).toSeq(), "left_semi");
  }

  /**
   * (run_id, epoch, train_loss, val_loss, known, gradient_norm): every sound epoch, or every epoch of
   * the changed runs, those not recomputed marked known with their stored gradient norm.
   */
  private static Dataset<Row> epochRows(SparkSession spark, ValidatedTelemetry v, ChangeSet changes) {
    Dataset<Row> epochs = v.epochs.select("run_id", "epoch", "train_loss", "val_loss");
    if (changes.isEverything()) {
      return epochs.withColumn("known", lit(null).cast("boolean")).withColumn("gradient_norm", lit(null).cast("double"));
    }
    Dataset<Row> runs = spark.createDataset(java.util.List.copyOf(changes.runs()), Encoders.STRING()).toDF("run_id");
    return epochs.join(broadcast(runs), "run_id")
        .join(changes.known().withColumn("known", lit(true)),
            scala.jdk.javaapi.CollectionConverters.asScala(java.util.List.of("run_id", "epoch")).toSeq(), "left")
        .select("run_id", "epoch", "train_loss", "val_loss", "known", "gradient_norm");
  }

  /** Upserts the rows set aside (by the key rules, and by the tensor pass when given); returns how many. */
  private static long writeQuarantine(SparkSession spark, ValidatedTelemetry v, JavaRDD<Row> passQuarantine, long setAside,
      String output) {
    long quarantined = setAside + (passQuarantine == null ? 0 : passQuarantine.count());
    if (quarantined == 0) {
      LOG.info("No telemetry row breaks the contract; nothing quarantined");
      return 0;
    }
    Dataset<Row> quarantine = passQuarantine == null ? v.quarantine
        : v.quarantine.unionByName(spark.createDataFrame(passQuarantine, Quarantine.SCHEMA));
    KeyedUpserts.upsertQuarantine(spark, quarantine, output + "/quarantine");
    LOG.warn("Quarantined {} telemetry rows that break the contract; see {}/quarantine (table, run_id, reason, row)",
        quarantined, output);
    return quarantined;
  }

  /** The {@code layers} columns {@link #addLayer} reads, in order, then the validation's reason. */
  public static final Column[] LAYER_COLUMNS = {col("run_id"), col("layer"), col("name"), col("activation"), col("fan_in"),
      col("fan_out"), col("reason")};

  /** Adds a {@code layers} row selected as {@link #LAYER_COLUMNS} to the per-run layer map. */
  public static void addLayer(Map<String, SortedMap<Integer, LayerInfo>> layers, Row r) {
    layers.computeIfAbsent(r.getString(0), k -> new TreeMap<>()).put(r.getInt(1), new LayerInfo(r.getInt(1),
        r.getString(2), r.getString(3), r.isNullAt(4) ? null : r.getInt(4), r.isNullAt(5) ? null : r.getInt(5)));
  }

  private static List<Row> quarantineRows(TensorKey key, TensorPartial p) {
    List<Row> out = new ArrayList<>();
    TreeMap<Integer, String> problems = p.problems();
    if (problems.isEmpty()) return out;
    Map.Entry<Integer, String> first = problems.firstEntry();
    for (TensorPartial.Chunk c : p.chunks) {
      String reason = problems.containsKey(c.chunk()) ? problems.get(c.chunk())
          : "set aside with its tensor: chunk " + first.getKey() + " has " + first.getValue();
      String json = String.format(java.util.Locale.ROOT,
          "{\"run_id\":%s,\"epoch\":%d,\"layer\":%d,\"kind\":%s,\"chunk\":%d,\"rows\":%d,\"cols\":%d,\"values_length\":%s}",
          jsonString(key.runId()), key.epoch(), key.layer(), jsonString(key.kind()), c.chunk(), c.rows(), c.cols(),
          c.length() < 0 ? "null" : Long.toString(c.length()));
      out.add(RowFactory.create(TelemetryContract.TENSORS, key.runId(), reason, json));
    }
    return out;
  }

  private static String jsonString(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }

}
