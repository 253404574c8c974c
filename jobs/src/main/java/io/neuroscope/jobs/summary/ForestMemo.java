package io.neuroscope.jobs.summary;

import io.neuroscope.jobs.spark.Elapsed;
import io.neuroscope.jobs.table.DeltaCommits;
import io.neuroscope.jobs.table.OutputTables;
import io.neuroscope.jobs.table.TableFolders;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The forests of the last summaries, by a digest of everything a fit reads (features, rows, target,
 * forest settings): a fit with a fixed seed on one partition is a function of that input, so a
 * scope's target whose runs and values did not change is not fitted again. Kept in {@code
 * OUTPUT/effects_forests}, one forest per scope and target (the latest), replaced by each summaries
 * run; a lost or unreadable table only means every forest is fitted.
 */
public final class ForestMemo {
  private static final Logger LOG = LoggerFactory.getLogger(ForestMemo.class);

  /** Folder under the output; not a user-facing table. */
  public static final String TABLE = "effects_forests";

  /**
   * Bumped when a fit's result would change for the same input (how the fits are made); Spark's
   * version, for MLlib's, is in the key beside it.
   */
  private static final String VERSION = "forest-1";

  private static final StructType SCHEMA =
      new StructType()
          .add("forest", DataTypes.StringType, false)
          .add("key", DataTypes.StringType, false)
          .add("forest_r2", DataTypes.DoubleType, false)
          .add("importances", DataTypes.createArrayType(DataTypes.DoubleType, false), false);

  /** A forest: its scope and target, the digest of its input, its result. */
  private record Entry(String forest, String key, ForestImportance.Result result) {}

  /** The last run's forests. */
  private final List<Entry> kept;

  /** Their results by key (two forests with the same input have one). */
  private final Map<String, ForestImportance.Result> known = new ConcurrentHashMap<>();

  /** By forest. */
  private final Map<String, Entry> used = new ConcurrentHashMap<>();

  private final AtomicInteger fitted = new AtomicInteger();
  private final AtomicInteger reused = new AtomicInteger();

  private ForestMemo(List<Entry> kept) {
    this.kept = kept;
    for (Entry e : kept) known.put(e.key(), e.result());
  }

  /** Nothing known: every forest is fitted. */
  public static ForestMemo empty() {
    return new ForestMemo(List.of());
  }

  /** The forests the last summaries run under {@code output} kept; none if there are none. */
  public static ForestMemo read(OutputTables output) {
    String path = path(output);
    List<Entry> kept = new ArrayList<>();
    try {
      if (!io.delta.tables.DeltaTable.isDeltaTable(output.spark(), path)) return empty();
      for (Row r : output.spark().read().format("delta").load(path).collectAsList()) {
        List<Double> imp = r.getList(3);
        kept.add(
            new Entry(
                r.getString(0),
                r.getString(1),
                new ForestImportance.Result(
                    imp.stream().mapToDouble(Double::doubleValue).toArray(), r.getDouble(2))));
      }
    } catch (RuntimeException e) { // a cache: unreadable means fit everything
      LOG.warn("{} could not be read ({}); every forest is fitted", path, e.toString());
      return empty();
    }
    return new ForestMemo(kept);
  }

  /**
   * The result of forest {@code forest} (a scope and target) on the input {@code key} digests: the
   * one kept for that input, or {@code fit}'s.
   */
  ForestImportance.Result fit(String forest, String key, Supplier<ForestImportance.Result> fit) {
    ForestImportance.Result r = known.get(key);
    if (r != null) {
      reused.incrementAndGet();
    } else {
      r = fit.get();
      fitted.incrementAndGet();
    }
    used.put(forest, new Entry(forest, key, r));
    return r;
  }

  public int fitted() {
    return fitted.get();
  }

  public int reused() {
    return reused.get();
  }

  /**
   * Replaces the table with the forests this run used and, with {@code keepOthers} (scopes this run
   * left as they were), the kept forests of the scopes and targets it did not fit.
   */
  public void write(OutputTables output, boolean keepOthers) {
    long started = System.nanoTime();
    SparkSession spark = output.spark();
    Map<String, Entry> out = new java.util.TreeMap<>(used);
    if (keepOthers) kept.forEach(e -> out.putIfAbsent(e.forest(), e));
    List<Row> rows = new ArrayList<>();
    for (Entry e : out.values()) {
      List<Double> imp = new ArrayList<>();
      for (double v : e.result().importances()) imp.add(v);
      rows.add(RowFactory.create(e.forest(), e.key(), e.result().crossValidatedR2(), imp));
    }
    String path = path(output);
    if (rows.isEmpty() && !io.delta.tables.DeltaTable.isDeltaTable(spark, path)) {
      // no forest (too few runs, nothing varies): a table created empty cost 0.7 s, read 0.2 s
      LOG.info("{}: no forest to keep; not created", path);
      return;
    }
    DeltaCommits.replace(spark.createDataFrame(rows, SCHEMA), path);
    LOG.info(
        "{}: {} forests kept for the next run ({} fitted, {} reused; {} s)",
        path,
        rows.size(),
        fitted(),
        reused(),
        Elapsed.since(started));
  }

  private static String path(OutputTables output) {
    return TableFolders.join(output.root(), TABLE);
  }

  /** The digest of a fit's whole input. */
  static String key(
      ForestImportance forest,
      List<ForestImportance.Feature> features,
      List<double[]> x,
      double[] y) {
    try {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      DataOutputStream out = new DataOutputStream(bytes);
      out.writeUTF(VERSION);
      out.writeUTF(org.apache.spark.package$.MODULE$.SPARK_VERSION());
      out.writeUTF(forest.settings());
      out.writeInt(features.size());
      for (ForestImportance.Feature f : features) {
        out.writeUTF(f.name());
        out.writeInt(f.levels());
      }
      out.writeInt(y.length);
      for (int i = 0; i < y.length; i++) {
        for (double v : x.get(i)) out.writeDouble(v);
        out.writeDouble(y[i]);
      }
      out.flush();
      return HexFormat.of()
          .formatHex(MessageDigest.getInstance("SHA-256").digest(bytes.toByteArray()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
