package io.neuroscope.jobs.nightly;

import static org.apache.spark.sql.functions.array_sort;
import static org.apache.spark.sql.functions.bit_xor;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.map_entries;
import static org.apache.spark.sql.functions.xxhash64;

import io.neuroscope.diagnostics.Settings;
import io.neuroscope.diagnostics.Settings.Reader;
import io.neuroscope.jobs.telemetry.Telemetry;
import io.neuroscope.jobs.telemetry.ValidatedTelemetry;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import scala.jdk.javaapi.CollectionConverters;

/**
 * A 64-bit fingerprint of everything a run's and an epoch's diagnostics are computed from, read
 * from the telemetry's keys and Spark's file metadata, never from the tensors' values. The nightly
 * job compares them with {@link NightlyState} to find what is new or changed.
 *
 * <ul>
 *   <li>A run's own row ({@code epoch} null): its experiment, params and layers. A change there
 *       changes every row of the run.
 *   <li>An epoch's row: its losses and the keys of its tensor chunks, each with where its values
 *       come from. On a Delta table with row tracking ({@code delta.enableRowTracking}), that is
 *       the table's id, the chunk's row id and the version that last changed it, which an UPDATE
 *       changes for the rows it changes only (the id tells a table deleted and written again, whose
 *       row ids and versions start again at 0). Otherwise it is the file that holds the chunk
 *       (path, size, modification time): a changed chunk lands in another file (Delta never
 *       rewrites a file in place), and so do the other rows of a file an UPDATE or OPTIMIZE
 *       rewrites, which are then computed again, to the same values.
 * </ul>
 *
 * Rows of a set are combined by XOR of their hashes, so the order they are read in does not matter.
 */
public final class Fingerprints {
  /**
   * What the settings that change a diagnostic's value hash to; bump the version when the code
   * changes them.
   */
  private static final String VERSION = "diagnostics-v1";

  /**
   * The version of how the summaries and effects are computed from the diagnostics; bump it when
   * the code changes a column of theirs, so that the next nightly computes them all again (a run
   * whose diagnostics did not change otherwise keeps its summary row). {@code SummariesTest} fails
   * on a change of the summaries' values under the same version.
   */
  private static final String SUMMARIES_VERSION = "summaries-v1";

  private Fingerprints() {}

  /** The version of the summaries' code, as the all-settings fingerprint carries it. */
  public static String summariesVersion() {
    return SUMMARIES_VERSION;
  }

  /**
   * Whether the tensors carry Spark's file metadata column (file sources do: Delta and Parquet
   * tables); without it a changed chunk could not be told from an unchanged one.
   */
  public static boolean available(Dataset<Row> tensors) {
    return has(tensors, "_metadata.file_path");
  }

  /**
   * Whether the tensors are a Delta table with row tracking, whose rows carry their last commit
   * version.
   */
  public static boolean rowTracked(Dataset<Row> tensors) {
    return has(tensors, "_metadata.row_commit_version");
  }

  private static boolean has(Dataset<Row> df, String column) {
    try {
      df.select(col(column)).schema();
      return true;
    } catch (Exception e) { // AnalysisException, undeclared by Scala
      return false;
    }
  }

  /** Rows (run_id, epoch, fingerprint): one per run with epoch null, one per sound epoch. */
  public static Dataset<Row> of(Telemetry t, ValidatedTelemetry v) {
    Column sound = col("reason").isNull();
    Dataset<Row> layers =
        v.checkedLayers
            .where(sound)
            .groupBy("run_id")
            .agg(
                bit_xor(
                        xxhash64(
                            col("layer"),
                            col("name"),
                            col("activation"),
                            col("fan_in"),
                            col("fan_out")))
                    .as("layers_fp"),
                count(lit(1)).as("layers_n"));
    Dataset<Row> runs =
        v.checkedRuns
            .where(sound)
            .select(
                col("run_id"),
                col("experiment"),
                array_sort(map_entries(col("params"))).as("params"));
    Column[] origin =
        rowTracked(t.tensors())
            ? new Column[] {
              lit(t.tensorsIdentity(t.sparkSession()).orElse("")),
              col("_metadata.row_id"),
              col("_metadata.row_commit_version")
            }
            : new Column[] {
              col("_metadata.file_path"),
              col("_metadata.file_size"),
              col("_metadata.file_modification_time")
            };
    Column[] chunk = {col("layer"), col("kind"), col("chunk"), col("rows"), col("cols")};
    Dataset<Row> chunks =
        t.tensors()
            .where(col("run_id").isNotNull().and(col("epoch").isNotNull()))
            .groupBy("run_id", "epoch")
            .agg(
                bit_xor(
                        xxhash64(
                            java.util.stream.Stream.concat(
                                    Arrays.stream(chunk), Arrays.stream(origin))
                                .toArray(Column[]::new)))
                    .as("tensors_fp"),
                count(lit(1)).as("tensors_n"));
    Dataset<Row> epochs =
        v.epochs
            .select("run_id", "epoch", "train_loss", "val_loss")
            .join(chunks, CollectionConverters.asScala(List.of("run_id", "epoch")).toSeq(), "left")
            // xxhash64 skips a null argument; the count keeps "no tensors" apart from any set of
            // them
            .select(
                col("run_id"),
                col("epoch"),
                xxhash64(
                        col("train_loss"),
                        col("val_loss"),
                        col("tensors_fp"),
                        coalesce(col("tensors_n"), lit(0L)))
                    .as("fingerprint"));
    Dataset<Row> runIds = v.epochs.select("run_id").union(runs.select("run_id")).distinct();
    Dataset<Row> runRows =
        runIds
            .join(runs, "run_id", "left")
            .join(layers, "run_id", "left")
            .select(
                col("run_id"),
                lit(null).cast("int").as("epoch"),
                xxhash64(
                        col("experiment"),
                        col("params"),
                        col("layers_fp"),
                        coalesce(col("layers_n"), lit(0L)))
                    .as("fingerprint"));
    return runRows.unionByName(epochs);
  }

  /**
   * The settings that change diagnostics values, and the code's version, as one string to compare.
   */
  public static String ofSettings(Settings settings) {
    return ofSettings(settings, Set.of(Reader.DIAGNOSTICS));
  }

  /** The settings that change any output table (the summaries' and effects' too). */
  static String ofAllSettings(Settings settings) {
    return SUMMARIES_VERSION
        + "+"
        + ofSettings(settings, Set.of(Reader.DIAGNOSTICS, Reader.SUMMARIES));
  }

  private static String ofSettings(Settings settings, Set<Reader> readers) {
    Map<String, String> relevant = new TreeMap<>();
    settings
        .asMap()
        .forEach(
            (k, v) -> {
              if (readers.contains(Reader.of(k))) relevant.put(k, v);
            });
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256")
              .digest(relevant.toString().getBytes(StandardCharsets.UTF_8));
      return VERSION + ":" + HexFormat.of().formatHex(digest, 0, 12);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e); // every JVM has SHA-256
    }
  }
}
