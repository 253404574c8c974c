package io.neuroscope.jobs.telemetry;

import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.call_function;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.first;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import io.neuroscope.diagnostics.LayerInfo;
import io.neuroscope.diagnostics.TensorKind;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;

/**
 * The contract's row rules (README, "Bad input") that can be checked from keys alone: null keys,
 * repeated keys, unknown kinds, tensors of layers or epochs that are not logged. A tensor whose
 * chunk is set aside is set aside whole, each chunk with a reason. Checks that need the values
 * (length ≠ rows × cols) happen in the tensor pass, which reads them anyway. Built once per job and
 * shared by its stages; {@link #close()} releases the cached checks.
 */
public final class ValidatedTelemetry implements AutoCloseable {
  private static final List<String> KINDS =
      Arrays.stream(TensorKind.values()).map(TensorKind::columnValue).toList();
  private static final String[] TENSOR_ROW = {
    "run_id", "epoch", "layer", "kind", "chunk", "rows", "cols"
  };

  /** The telemetry validated. */
  public final Telemetry telemetry;

  /** Files that cannot be read, set aside (their rows are missing). */
  public final List<ParquetFiles.Unreadable> unreadableFiles;

  private final String callerIgnoresCorruptFiles;

  /** Each table with a {@code reason} column, null where the row is sound (cached). */
  public final Dataset<Row> checkedRuns;

  public final Dataset<Row> checkedLayers;
  public final Dataset<Row> checkedEpochs;

  /** The sound epochs. */
  public final Dataset<Row> epochs;

  /** The tensors' key columns (no values), each with its reason or null. */
  public final Dataset<Row> tensorKeys;

  public final Dataset<Row> quarantine;

  public ValidatedTelemetry(Telemetry t) {
    telemetry = t;
    // data files that are not whole Parquet files (e.g. a truncated file of a Delta table): set
    // aside, and skipped by the scans of this job (only then, so no other damage passes unseen)
    List<ParquetFiles.Unreadable> damaged = new ArrayList<>(t.unreadableFiles());
    SparkSession spark = t.sparkSession();
    for (int i = 0; i < 4; i++) {
      damaged.addAll(
          ParquetFiles.damaged(
              spark,
              TelemetryContract.TABLES.get(i),
              List.of(t.runs(), t.layers(), t.epochs(), t.tensors()).get(i)));
    }
    unreadableFiles = List.copyOf(damaged);
    String ignore = "spark.sql.files.ignoreCorruptFiles";
    callerIgnoresCorruptFiles = spark.conf().getOption(ignore).getOrElse(() -> null);
    if (damaged.size() > t.unreadableFiles().size()) spark.conf().set(ignore, "true");
    Dataset<Row> r =
        t.runs()
            .withColumn(
                "reason",
                nullKey("run_id")
                    .when(col("experiment").isNull(), lit(QuarantineReason.NULL_EXPERIMENT.prose()))
                    .when(
                        count(lit(1)).over(Window.partitionBy("run_id")).gt(1),
                        lit(QuarantineReason.DUPLICATE_RUN.prose())));
    Dataset<Row> l =
        t.layers()
            .withColumn(
                "reason",
                nullKey("run_id", "layer")
                    .when(
                        count(lit(1)).over(Window.partitionBy("run_id", "layer")).gt(1),
                        lit(QuarantineReason.DUPLICATE_LAYER.prose())));
    Dataset<Row> e =
        t.epochs()
            .withColumn(
                "reason",
                nullKey("run_id", "epoch")
                    .when(
                        count(lit(1)).over(Window.partitionBy("run_id", "epoch")).gt(1),
                        lit(QuarantineReason.DUPLICATE_EPOCH.prose()))
                    .when(
                        col("train_loss").isNull(), lit(QuarantineReason.NULL_TRAIN_LOSS.prose())));
    // Cached with their reasons: the valid rows and the quarantine are both read from them.
    checkedRuns = r.cache();
    checkedLayers = l.cache();
    checkedEpochs = e.cache();
    Dataset<Row> layers = l.where(col("reason").isNull());
    epochs = e.where(col("reason").isNull()).drop("reason");

    Dataset<Row> knownLayers =
        layers.select(
            col("run_id").as("l_run"), col("layer").as("l_layer"), lit(true).as("has_layer"));
    Dataset<Row> knownEpochs =
        epochs.select(
            col("run_id").as("e_run"), col("epoch").as("e_epoch"), lit(true).as("has_epoch"));
    Dataset<Row> keys =
        t.tensors()
            .select(Arrays.stream(TENSOR_ROW).map(c -> col(c)).toArray(Column[]::new))
            .join(
                knownLayers,
                col("run_id").equalTo(col("l_run")).and(col("layer").equalTo(col("l_layer"))),
                "left")
            .join(
                knownEpochs,
                col("run_id").equalTo(col("e_run")).and(col("epoch").equalTo(col("e_epoch"))),
                "left");
    // a tensor of a set-aside layer or epoch says why, rather than "missing"; such rows are few,
    // so they are collected, and a sound archive's plan is the one without them
    keys = withSetAside(keys, l, "layer", "l_run", "layer_reason");
    keys = withSetAside(keys, e, "epoch", "e_run", "epoch_reason");
    Column chunkReason =
        nullKey("run_id", "epoch", "layer", "kind", "chunk")
            .when(
                col("kind").isin(KINDS.toArray()).equalTo(false),
                concat(
                    lit("unknown kind '"),
                    col("kind"),
                    lit("' (expected one of " + String.join(", ", KINDS) + ")")))
            .when(
                count(lit(1))
                    .over(Window.partitionBy("run_id", "epoch", "layer", "kind", "chunk"))
                    .gt(1),
                lit(QuarantineReason.DUPLICATE_CHUNK.prose()))
            .when(
                col("has_layer").isNull().and(col("layer_reason").isNull()),
                lit(QuarantineReason.LAYER_NOT_LOGGED.prose()))
            .when(
                col("has_layer").isNull(),
                concat(lit(QuarantineReason.WITH_ITS_LAYER.prose("")), col("layer_reason")))
            .when(
                col("has_epoch").isNull().and(col("epoch_reason").isNull()),
                lit(QuarantineReason.EPOCH_NOT_LOGGED.prose()))
            .when(
                col("has_epoch").isNull(),
                concat(lit(QuarantineReason.WITH_ITS_EPOCH.prose("")), col("epoch_reason")))
            .when(
                col("rows")
                    .isNull()
                    .or(col("cols").isNull())
                    .or(col("rows").lt(0))
                    .or(col("cols").lt(0)),
                lit(QuarantineReason.BAD_SHAPE.prose()))
            // no values at all is no input: the diagnostics that need the tensor say UNKNOWN
            .when(col("cols").equalTo(0), lit(QuarantineReason.EMPTY_TENSOR.prose()));
    // tensor-level rules in one window over the tensor's chunks (a second partitioning would cost
    // the tensor keys another shuffle)
    org.apache.spark.sql.expressions.WindowSpec tensor =
        Window.partitionBy("run_id", "epoch", "layer", "kind");
    Column tensorReason = first(col("chunk_reason"), true).over(tensor);
    Column noRows = sum(col("rows")).over(tensor).equalTo(0);
    tensorKeys =
        keys.withColumn("chunk_reason", chunkReason)
            .withColumn(
                "reason",
                when(col("chunk_reason").isNotNull(), col("chunk_reason"))
                    .when(
                        tensorReason.isNotNull(),
                        concat(
                            lit(QuarantineReason.WITH_ITS_TENSOR.prose("another chunk has ")),
                            tensorReason))
                    .when(noRows, lit(QuarantineReason.EMPTY_TENSOR.prose())))
            .drop(
                "l_run",
                "l_layer",
                "has_layer",
                "layer_reason",
                "e_run",
                "e_epoch",
                "has_epoch",
                "epoch_reason",
                "chunk_reason")
            .cache();

    quarantine =
        Quarantine.of(TelemetryContract.RUNS, r, "run_id", "experiment", "started_at", "params")
            .unionByName(
                Quarantine.of(
                    TelemetryContract.LAYERS,
                    l,
                    "run_id",
                    "layer",
                    "name",
                    "activation",
                    "fan_in",
                    "fan_out"))
            .unionByName(
                Quarantine.of(
                    TelemetryContract.EPOCHS, e, "run_id", "epoch", "train_loss", "val_loss"))
            .unionByName(Quarantine.of(TelemetryContract.TENSORS, tensorKeys, TENSOR_ROW))
            .unionByName(Quarantine.ofFiles(spark, unreadableFiles));
  }

  /**
   * Adds {@code reasonColumn}: for a tensor key whose layer (or epoch) rows were all set aside, the
   * reason of the first of them; null otherwise. The set-aside keys are collected to the driver.
   */
  private static Dataset<Row> withSetAside(
      Dataset<Row> keys, Dataset<Row> checked, String key, String runAlias, String reasonColumn) {
    java.util.Map<List<Object>, String> aside = new java.util.LinkedHashMap<>();
    for (Row row :
        checked
            .where(
                col("reason").isNotNull().and(col("run_id").isNotNull()).and(col(key).isNotNull()))
            .select(col("run_id"), col(key), col("reason"))
            .collectAsList()) {
      aside.putIfAbsent(List.of(row.get(0), row.get(1)), row.getString(2));
    }
    if (aside.isEmpty()) return keys.withColumn(reasonColumn, lit(null).cast("string"));
    List<Row> rows = new ArrayList<>();
    aside.forEach(
        (k, reason) ->
            rows.add(org.apache.spark.sql.RowFactory.create(k.get(0), k.get(1), reason)));
    org.apache.spark.sql.types.StructType schema =
        new org.apache.spark.sql.types.StructType()
            .add("a_run", "string")
            .add("a_key", "int")
            .add(reasonColumn, "string");
    Dataset<Row> small = keys.sparkSession().createDataFrame(rows, schema);
    return keys.join(
            broadcast(small),
            col(runAlias)
                .isNull()
                .and(col("run_id").equalTo(col("a_run")))
                .and(col(key).equalTo(col("a_key"))),
            "left")
        .drop("a_run", "a_key");
  }

  /**
   * The key rules every table starts with: a null key, then a run_id that is not valid UTF-8 (two
   * such ids can differ only in bytes that become the same character on the driver).
   */
  private static Column nullKey(String... keys) {
    Column c = null;
    for (String k : keys) {
      Column isNull = col(k).isNull();
      c =
          c == null
              ? when(isNull, lit(QuarantineReason.NULL_KEY.prose(k)))
              : c.when(isNull, lit(QuarantineReason.NULL_KEY.prose(k)));
    }
    return c.when(
        not(call_function("is_valid_utf8", col("run_id"))),
        lit(QuarantineReason.INVALID_RUN_ID.prose()));
  }

  /** The tensors (run, epoch, layer, kind) set aside by a key rule; the tensor pass skips them. */
  public Set<TensorKey> rejectedTensors() {
    Set<TensorKey> out = new HashSet<>();
    for (Row row :
        tensorKeys
            .where(
                col("reason")
                    .isNotNull()
                    .and(col("run_id").isNotNull())
                    .and(col("epoch").isNotNull())
                    .and(col("layer").isNotNull())
                    .and(col("kind").isNotNull()))
            .select("run_id", "epoch", "layer", "kind")
            .distinct()
            .collectAsList()) {
      out.add(new TensorKey(row.getString(0), row.getInt(1), row.getInt(2), row.getString(3)));
    }
    return out;
  }

  /**
   * The sound layers of every run, by run and layer index, and how many layer rows were set aside
   * (one pass over the checked layers, collected to the driver: a few rows per run).
   */
  public record Layers(Map<String, SortedMap<Integer, LayerInfo>> byRun, long setAside) {}

  public Layers collectLayers() {
    Map<String, SortedMap<Integer, LayerInfo>> byRun = new HashMap<>();
    long setAside = 0;
    for (Row r :
        checkedLayers
            .select("run_id", "layer", "name", "activation", "fan_in", "fan_out", "reason")
            .collectAsList()) {
      if (!r.isNullAt(6)) {
        setAside++;
        continue;
      }
      byRun
          .computeIfAbsent(r.getString(0), k -> new TreeMap<>())
          .put(
              r.getInt(1),
              new LayerInfo(
                  r.getInt(1),
                  r.getString(2),
                  r.getString(3),
                  r.isNullAt(4) ? null : r.getInt(4),
                  r.isNullAt(5) ? null : r.getInt(5)));
    }
    return new Layers(byRun, setAside);
  }

  /** Unpersists the cached checks. */
  @Override
  public void close() {
    SparkSession spark = telemetry.sparkSession();
    if (callerIgnoresCorruptFiles == null) spark.conf().unset("spark.sql.files.ignoreCorruptFiles");
    else spark.conf().set("spark.sql.files.ignoreCorruptFiles", callerIgnoresCorruptFiles);
    checkedRuns.unpersist();
    checkedLayers.unpersist();
    checkedEpochs.unpersist();
    tensorKeys.unpersist();
  }
}
