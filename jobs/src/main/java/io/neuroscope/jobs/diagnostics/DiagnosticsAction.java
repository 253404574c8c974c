package io.neuroscope.jobs.diagnostics;

import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.get_json_object;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.neuroscope.diagnostics.Diagnostics;
import io.neuroscope.diagnostics.EpochTensors;
import io.neuroscope.diagnostics.LayerInfo;
import io.neuroscope.diagnostics.Settings;
import io.neuroscope.diagnostics.TensorKind;
import io.neuroscope.jobs.action.Action;
import io.neuroscope.jobs.action.Outcome;
import io.neuroscope.jobs.action.Scope;
import io.neuroscope.jobs.spark.Elapsed;
import io.neuroscope.jobs.spark.JobScope;
import io.neuroscope.jobs.spark.ProgressLog;
import io.neuroscope.jobs.table.KeyedUpserts;
import io.neuroscope.jobs.table.OutputTable;
import io.neuroscope.jobs.table.OutputTables;
import io.neuroscope.jobs.telemetry.Quarantine;
import io.neuroscope.jobs.telemetry.QuarantineReason;
import io.neuroscope.jobs.telemetry.Telemetry;
import io.neuroscope.jobs.telemetry.TelemetryContract;
import io.neuroscope.jobs.telemetry.TensorKey;
import io.neuroscope.jobs.telemetry.ValidatedTelemetry;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
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
import org.apache.spark.util.LongAccumulator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.Tuple2;

/**
 * The diagnostics engine: for the runs and epochs in its {@link Scope}, validated telemetry in, the
 * ten diagnostics out, upserted into {@code OUTPUT/diagnostics}, with the rows that break the
 * contract upserted into {@code OUTPUT/quarantine}. It is told what to compute; deciding that (from
 * fingerprints and state) is the nightly's business. Given an {@link EpochStateSink}, it hands it
 * the epochs' gradient norms.
 */
public final class DiagnosticsAction implements Action<DiagnosticsAction.Result> {
  private static final Logger LOG = LoggerFactory.getLogger(DiagnosticsAction.class);

  /**
   * About 4 M values per columnar batch: 64 rows of 65 k floats measured 1.3–1.7× faster than
   * Spark's 4096.
   */
  private static final long VALUES_PER_BATCH = 4L << 20;

  /**
   * Rows per columnar batch of tensor rows holding {@code meanValues} values on average: about
   * {@link #VALUES_PER_BATCH} values, at most Spark's 4096 rows.
   */
  public static int columnarBatchRows(long meanValues) {
    return (int) Math.max(1, Math.min(4096, VALUES_PER_BATCH / Math.max(1, meanValues)));
  }

  /**
   * Up to this many epochs to compute, the scan is given each (run_id, epoch); up to this many
   * runs, their ids.
   */
  private static final int PUSHED_EPOCHS = 500;

  private static final int PUSHED_RUNS = 2000;

  /**
   * What a run of the engine did, for logs, the audit and tests.
   *
   * @param scope what it was asked to compute (and why)
   * @param runs sound runs in the telemetry
   * @param epochs sound epochs in the telemetry
   * @param epochsComputed epochs whose tensors were read and all of whose diagnostics were computed
   * @param tensors tensors whose values were read
   * @param valuesRead tensor values read
   * @param diagnosticsRows rows computed
   * @param diagnosticsChanged rows of those new or changed in the table (all of them when it was
   *     created)
   * @param quarantined telemetry rows set aside
   */
  public record Result(
      Outcome outcome,
      Scope scope,
      long runs,
      long epochs,
      long epochsComputed,
      long tensors,
      long valuesRead,
      long diagnosticsRows,
      long diagnosticsChanged,
      long quarantined)
      implements Action.Result {

    /** Why this scope: everything, or what changed. */
    public String reason() {
      return scope.reason();
    }

    /** How many runs were computed. */
    public long runsComputed() {
      return scope.runCount(runs);
    }

    /** A stage that was not run: the output was left as the last run wrote it. */
    public static Result skipped(Scope scope, long runs, long epochs) {
      return new Result(Outcome.SKIPPED, scope, runs, epochs, 0, 0, 0, 0, 0, 0);
    }
  }

  /** The reasons only the tensor pass gives (it reads the values), beside its WITH_ITS_TENSOR. */
  private static final List<String> PASS_REASONS =
      List.of(
          QuarantineReason.NULL_VALUES.name(),
          QuarantineReason.LENGTH_MISMATCH.name(),
          QuarantineReason.COLS_DISAGREE.name(),
          QuarantineReason.MISSING_CHUNK.name());

  private final String jobId;
  private final ValidatedTelemetry telemetry;
  private final OutputTables output;
  private final Settings settings;
  private final Scope scope;
  private final EpochStateSink stateSink;

  /**
   * @param jobId the job that runs it, stamped on the rows it sets aside
   * @param stateSink where to hand the epochs' gradient norms, or null when nobody keeps them
   */
  public DiagnosticsAction(
      String jobId,
      ValidatedTelemetry telemetry,
      OutputTables output,
      Settings settings,
      Scope scope,
      EpochStateSink stateSink) {
    this.jobId = jobId;
    this.telemetry = telemetry;
    this.output = output;
    this.settings = settings;
    this.scope = scope;
    this.stateSink = stateSink;
  }

  @Override
  public Result execute() {
    long started = System.nanoTime();
    SparkSession spark = output.spark();
    Telemetry source = telemetry.telemetry;
    try (JobScope job =
        JobScope.open(
            spark, "neuroscope-diagnostics", "NeuroScope diagnostics over " + source.source())) {
      return execute(job, spark, source, started);
    }
  }

  private Result execute(JobScope job, SparkSession spark, Telemetry source, long started) {
    ValidatedTelemetry v = telemetry;
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());

    job.step("validate telemetry keys");
    ValidatedTelemetry.Layers collected = v.collectLayers();
    Map<String, SortedMap<Integer, LayerInfo>> layers = collected.byRun();
    // rows the key rules set aside, and unreadable files; the tensor pass adds its own
    long setAside = collected.setAside() + v.unreadableFiles.size();
    Map<String, String> experiments = new HashMap<>();
    for (Row r : v.checkedRuns.select("run_id", "experiment", "reason").collectAsList()) {
      if (r.isNullAt(2)) experiments.put(r.getString(0), r.getString(1));
      else setAside++;
    }
    Set<TensorKey> rejected = v.rejectedTensors();
    Column sound = col("reason").isNull();
    Row shape =
        v.tensorKeys
            .agg(
                count(when(sound, lit(1))),
                count(col("reason")),
                avg(when(sound, col("rows").cast("double").multiply(col("cols").cast("double")))))
            .first();
    long tensorRows = shape.getLong(0);
    Row epochCounts = v.checkedEpochs.agg(count(when(sound, lit(1))), count(col("reason"))).first();
    long epochCount = epochCounts.getLong(0);
    setAside += shape.getLong(1) + epochCounts.getLong(1);
    LOG.info(
        "Read telemetry from {}: {} runs, {} layers, {} epochs, {} tensor rows ({} tensors set aside by key checks)",
        source.source(),
        experiments.size(),
        layers.values().stream().mapToInt(Map::size).sum(),
        epochCount,
        tensorRows,
        rejected.size());

    LOG.info(
        "{}: {}",
        scope.isEverything() ? "Computing every run" : "Computing incrementally",
        scope.reason());
    if (scope.isEmpty()) {
      long quarantined = writeQuarantine(spark, v, null, setAside);
      LOG.info("Done in {} s: the diagnostics table is up to date", Elapsed.since(started));
      return new Result(
          Outcome.SKIPPED, scope, experiments.size(), epochCount, 0, 0, 0, 0, 0, quarantined);
    }

    double meanValues = shape.isNullAt(2) ? 0 : shape.getDouble(2);
    int batch = columnarBatchRows((long) meanValues);
    job.conf("spark.sql.parquet.columnarReaderBatchSize", Integer.toString(batch));

    Diagnostics diagnostics = new Diagnostics(settings);
    Broadcast<Map<String, SortedMap<Integer, LayerInfo>>> layersB = jsc.broadcast(layers);
    Broadcast<Set<TensorKey>> rejectedB = jsc.broadcast(rejected);
    Broadcast<Map<String, String>> experimentsB = jsc.broadcast(experiments);
    job.onClose(
        () -> {
          layersB.destroy();
          rejectedB.destroy();
          experimentsB.destroy();
        });
    LongAccumulator valuesRead = spark.sparkContext().longAccumulator("tensor values read");
    int partitions = Integer.parseInt(spark.conf().get("spark.sql.shuffle.partitions"));

    job.step("tensor statistics (one pass over the values)");
    JavaPairRDD<TensorKey, TensorPartial> partials =
        job.persist(
            TensorPass.run(
                scopedTensors(source.tensors()),
                TelemetryContract.valuesAreDouble(source.tensors().schema()),
                layersB,
                rejectedB,
                settings,
                valuesRead,
                partitions));
    long tensors;
    try (ProgressLog progress = new ProgressLog(spark, LOG, "Tensor statistics", valuesRead)) {
      tensors = partials.count();
    }
    // the small batches suit the values only: the scans after the pass read keys and metadata
    job.restore("spark.sql.parquet.columnarReaderBatchSize");
    LOG.info(
        "Tensor statistics: {} tensors, {} values in {} s (columnar batch {} rows)",
        tensors,
        valuesRead.value(),
        Elapsed.since(started),
        batch);

    JavaRDD<Row> passQuarantine = partials.flatMap(t -> quarantineRows(t._1, t._2).iterator());
    JavaPairRDD<String, RunEvaluator.TensorEntry> stats =
        partials
            .filter(t -> t._2.stats != null && t._2.problems().isEmpty())
            .mapToPair(
                t ->
                    new Tuple2<>(
                        t._1.runId(),
                        new RunEvaluator.TensorEntry(
                            t._1.epoch(),
                            t._1.layer(),
                            TensorKind.fromColumnValue(t._1.kind()).orElseThrow(),
                            t._2.stats)));
    JavaPairRDD<String, RunEvaluator.EpochRow> epochs =
        epochRows(spark, v)
            .javaRDD()
            .mapToPair(
                r ->
                    new Tuple2<>(
                        r.getString(0),
                        new RunEvaluator.EpochRow(
                            r.getInt(1),
                            r.getDouble(2),
                            r.isNullAt(3) ? null : r.getDouble(3),
                            !r.isNullAt(4),
                            r.isNullAt(5) ? null : r.getDouble(5))));
    RunEvaluator evaluator = new RunEvaluator(diagnostics);
    // About 2,000 run-epochs (~60 k rows) per output partition: a small archive is not written as
    // many tiny files.
    int outputPartitions = (int) Math.max(1, Math.min(4L * partitions, (epochCount + 1999) / 2000));
    JavaRDD<Row> rows =
        epochs
            .cogroup(stats, outputPartitions)
            .flatMap(
                run -> {
                  String runId = run._1;
                  if (!run._2._1().iterator().hasNext())
                    return java.util.Collections.<Row>emptyIterator(); // tensors quarantined
                  return evaluator
                      .evaluate(
                          runId,
                          experimentsB.value().get(runId),
                          run._2._1(),
                          run._2._2(),
                          layersB.value().get(runId))
                      .iterator();
                });

    job.step("write diagnostics");
    Dataset<Row> diagnosticsRows =
        job.persist(spark.createDataFrame(rows, OutputTable.DIAGNOSTICS.requiredSchema()));
    long written = diagnosticsRows.count();
    long changed = KeyedUpserts.upsertDiagnostics(output, diagnosticsRows, scope);
    LOG.info(
        "Diagnostics: {} rows for {} run-epochs, {} written to {} ({} s)",
        written,
        scope.epochCount(epochCount),
        changed < 0 ? "all" : changed + " new or changed",
        output.path(OutputTable.DIAGNOSTICS),
        Elapsed.since(started));

    job.step("write quarantine");
    long quarantined = writeQuarantine(spark, v, passQuarantine, setAside);

    if (stateSink != null) {
      job.step("record the state");
      stateSink.record(gradientNorms(spark, stats, layersB));
    }
    LOG.info("Done in {} s", Elapsed.since(started));
    return new Result(
        scope.isEverything() ? Outcome.COMPUTED_ALL : Outcome.COMPUTED_CHANGED,
        scope,
        experiments.size(),
        epochCount,
        scope.epochCount(epochCount),
        tensors,
        valuesRead.value(),
        written,
        changed < 0 ? written : changed,
        quarantined);
  }

  /**
   * (run_id, epoch, gradient_norm) of the epochs computed: from the tensors' statistics where they
   * were read, from the state where not (an epoch without gradients has none).
   */
  private Dataset<Row> gradientNorms(
      SparkSession spark,
      JavaPairRDD<String, RunEvaluator.TensorEntry> stats,
      Broadcast<Map<String, SortedMap<Integer, LayerInfo>>> layers) {
    JavaRDD<Row> computed =
        stats
            .filter(t -> t._2.kind() == TensorKind.GRADIENTS)
            .mapToPair(t -> new Tuple2<>(new Tuple2<>(t._1, t._2.epoch()), t._2))
            .groupByKey()
            .map(
                g -> {
                  SortedMap<Integer, LayerInfo> runLayers = layers.value().get(g._1._1);
                  EpochTensors epoch =
                      new EpochTensors(runLayers == null ? new TreeMap<>() : runLayers);
                  for (RunEvaluator.TensorEntry e : g._2) epoch.put(e.kind(), e.layer(), e.stats());
                  return RowFactory.create(g._1._1, g._1._2, epoch.globalGradientNorm());
                });
    Dataset<Row> norms = spark.createDataFrame(computed, NORMS);
    return scope.isEverything() ? norms : norms.unionByName(scope.known());
  }

  private static final StructType NORMS =
      new StructType()
          .add("run_id", DataTypes.StringType, false)
          .add("epoch", DataTypes.IntegerType, false)
          .add("gradient_norm", DataTypes.DoubleType, true);

  /** The tensors of the epochs to recompute: all of them, or the changed runs' changed epochs. */
  private Dataset<Row> scopedTensors(Dataset<Row> tensors) {
    if (scope.isEverything()) return tensors;
    // A predicate on run_id and epoch reaches the scan, where Delta (file statistics) and Parquet
    // (row-group statistics) skip what cannot hold a changed epoch: appended epochs are in files of
    // their own. Without it every row's values would be decoded, then dropped by the join.
    Column pushed = null;
    if (scope.epochCount(-1) <= PUSHED_EPOCHS) {
      for (Row r : scope.recompute().collectAsList()) {
        Column one = col("run_id").equalTo(r.getString(0)).and(col("epoch").equalTo(r.getInt(1)));
        pushed = pushed == null ? one : pushed.or(one);
      }
    } else if (scope.runs().size() <= PUSHED_RUNS) {
      pushed = col("run_id").isin(scope.runs().toArray());
    }
    return (pushed == null ? tensors : tensors.where(pushed))
        .join(
            broadcast(scope.recompute()),
            scala.jdk.javaapi.CollectionConverters.asScala(java.util.List.of("run_id", "epoch"))
                .toSeq(),
            "left_semi");
  }

  /**
   * (run_id, epoch, train_loss, val_loss, known, gradient_norm): every sound epoch, or every epoch
   * of the changed runs, those not recomputed marked known with their stored gradient norm.
   */
  private Dataset<Row> epochRows(SparkSession spark, ValidatedTelemetry v) {
    Dataset<Row> epochs = v.epochs.select("run_id", "epoch", "train_loss", "val_loss");
    if (scope.isEverything()) {
      return epochs
          .withColumn("known", lit(null).cast("boolean"))
          .withColumn("gradient_norm", lit(null).cast("double"));
    }
    Dataset<Row> runs =
        spark.createDataset(java.util.List.copyOf(scope.runs()), Encoders.STRING()).toDF("run_id");
    return epochs
        .join(broadcast(runs), "run_id")
        .join(
            scope.known().withColumn("known", lit(true)),
            scala.jdk.javaapi.CollectionConverters.asScala(java.util.List.of("run_id", "epoch"))
                .toSeq(),
            "left")
        .select("run_id", "epoch", "train_loss", "val_loss", "known", "gradient_norm");
  }

  /**
   * Upserts the rows set aside (by the key rules, and by the tensor pass when given); returns how
   * many.
   */
  private long writeQuarantine(
      SparkSession spark, ValidatedTelemetry v, JavaRDD<Row> passQuarantine, long setAside) {
    long quarantined = setAside + (passQuarantine == null ? 0 : passQuarantine.count());
    if (quarantined == 0 && !output.exists(OutputTable.QUARANTINE)) {
      LOG.info("No telemetry row breaks the contract; nothing quarantined");
      return 0;
    }
    Dataset<Row> quarantine =
        (passQuarantine == null
                ? v.quarantine
                : v.quarantine.unionByName(spark.createDataFrame(passQuarantine, Quarantine.ROW)))
            .withColumn("job_id", lit(jobId))
            .withColumn("quarantined_at", lit(Timestamp.from(Instant.now())));
    // The key rules and the file checks see the whole telemetry every run; the tensor pass only the
    // epochs in scope: its rows elsewhere stay, and those of recomputed epochs it did not set aside
    // again go.
    String fromThePass =
        "(t.reason_code IN ('"
            + String.join("', '", PASS_REASONS)
            + "') OR (t.reason_code = '"
            + QuarantineReason.WITH_ITS_TENSOR
            + "' AND t.reason LIKE 'set aside with its tensor: chunk %'))";
    String complete = scope.isEverything() ? "true" : "NOT " + fromThePass;
    Dataset<Row> gone = null;
    if (!scope.isEverything() && !scope.isEmpty() && output.exists(OutputTable.QUARANTINE)) {
      gone =
          output
              .read(OutputTable.QUARANTINE)
              .as("t")
              .where(fromThePass)
              .withColumn("epoch", get_json_object(col("row"), "$.epoch").cast("int"))
              .join(
                  broadcast(scope.recompute()),
                  scala.jdk.javaapi.CollectionConverters.asScala(List.of("run_id", "epoch"))
                      .toSeq(),
                  "left_semi")
              .join(
                  quarantine,
                  scala.jdk.javaapi.CollectionConverters.asScala(List.of("table", "reason", "row"))
                      .toSeq(),
                  "left_anti")
              .select("table", "reason", "row");
    }
    KeyedUpserts.upsertQuarantine(
        output,
        quarantine,
        complete,
        gone,
        Map.of("reason_code", QuarantineReason.codeOf(col("reason"))));
    if (quarantined == 0) {
      LOG.info(
          "No telemetry row breaks the contract; the quarantine holds no row of this telemetry");
      return 0;
    }
    LOG.warn(
        "Quarantined {} telemetry rows that break the contract; see {} (table, run_id, reason, row)",
        quarantined,
        output.path(OutputTable.QUARANTINE));
    return quarantined;
  }

  /**
   * A JSON library, not string formatting: run ids may hold quotes, backslashes, control
   * characters.
   */
  private static final ObjectMapper JSON = new ObjectMapper();

  private static List<Row> quarantineRows(TensorKey key, TensorPartial p) {
    List<Row> out = new ArrayList<>();
    TreeMap<Integer, String> problems = p.problems();
    if (problems.isEmpty()) return out;
    Map.Entry<Integer, String> first = problems.firstEntry();
    for (TensorPartial.Chunk c : p.chunks) {
      String reason =
          problems.containsKey(c.chunk())
              ? problems.get(c.chunk())
              : QuarantineReason.WITH_ITS_TENSOR.prose(
                  "chunk " + first.getKey() + " has " + first.getValue());
      // the same fields, in the same order, as the key rules' rows (Spark's to_json), nulls kept
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("run_id", key.runId());
      row.put("epoch", key.epoch());
      row.put("layer", key.layer());
      row.put("kind", key.kind());
      row.put("chunk", c.chunk());
      row.put("rows", c.rows());
      row.put("cols", c.cols());
      row.put("values_length", c.length() < 0 ? null : c.length());
      String json;
      try {
        json = JSON.writeValueAsString(row);
      } catch (JsonProcessingException e) {
        throw new IllegalStateException("a map of strings and numbers is JSON", e);
      }
      QuarantineReason code = QuarantineReason.of(reason);
      out.add(
          RowFactory.create(
              TelemetryContract.TENSORS,
              key.runId(),
              code == null ? null : code.name(),
              reason,
              json));
    }
    return out;
  }
}
