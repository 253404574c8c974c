package io.neuroscope.jobs;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.when;
import static org.junit.jupiter.api.Assertions.fail;

import io.delta.tables.DeltaTable;
import io.neuroscope.diagnostics.Settings;
import io.neuroscope.jobs.action.Scope;
import io.neuroscope.jobs.nightly.DiagnosticsStage;
import io.neuroscope.jobs.nightly.NightlyAction;
import io.neuroscope.jobs.summary.SummariesAction;
import io.neuroscope.jobs.table.OutputTables;
import io.neuroscope.jobs.telemetry.Telemetry;
import io.neuroscope.jobs.telemetry.TelemetrySource;
import io.neuroscope.jobs.telemetry.ValidatedTelemetry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.delta.DeltaLog;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The nightly's invariant, tested as a model (issue "Nightly: always what a fresh full run would
 * give"): a seeded random sequence of telemetry changes (runs and epochs appended, losses and
 * tensors updated, rows, tensors, epochs and runs deleted, a tensor rewritten as bad, a duplicate
 * epoch row, a run moved to another experiment, a table deleted and written again at the same
 * version numbers) and commands ({@code nightly}, {@code nightly --full}, {@code diagnostics},
 * {@code summaries}, a nightly killed at a random moment, two nightlies at once, an output table or
 * its rows deleted, the settings changed). After every nightly that succeeds, every output table
 * equals a fresh full run on the current telemetry, row for row, and after every night nothing is
 * left cached in the session. A failure prints the seed and the sequence that led to it.
 *
 * <p>Each night: up to three telemetry changes, up to two other commands or accidents, then a
 * nightly (or two at once) and the comparison. Nights per format: {@code -Dneuroscope.model.nights}
 * (default 6); seed: {@code -Dneuroscope.model.seed}; formats: {@code
 * -Dneuroscope.model.formats=DELTA,PARQUET} (default all); two nightlies at once in this session:
 * {@code -Dneuroscope.model.overlap=true}.
 */
class NightlyModelTest {
  enum Format {
    DELTA,
    DELTA_ROW_TRACKING,
    PARQUET
  }

  private static final int NIGHTS = Integer.getInteger("neuroscope.model.nights", 6);

  /**
   * Two nightlies at once on two threads of this one session: off by default. They share Spark's
   * cache manager, which two jobs never do in production (one process each; {@code ClusterIT} runs
   * two at once that way). Two threads persisting and unpersisting the same plans there left
   * datasets cached (seen twice; once a later MERGE read such a plan of a table deleted since).
   */
  private static final boolean OVERLAP = Boolean.getBoolean("neuroscope.model.overlap");

  private static final long SEED = Long.getLong("neuroscope.model.seed", 20261204L);

  private static final Settings FIRST =
      Settings.defaults().with(Map.of("catalog.database", "", "effects.forest.min_runs", "100000"));

  /** Other diagnostics and summary settings: every output computed again. */
  private static final Settings SECOND =
      FIRST.with(Map.of("dead_neurons.warning_above", "5", "findings.persistence.min_epochs", "2"));

  /** The output tables compared, with the columns that say when or by which job, not what. */
  private static final Map<String, List<String>> COMPARED =
      Map.of(
          "diagnostics", List.of(),
          "quarantine", List.of("job_id", "quarantined_at"),
          "findings", List.of(),
          "run_summary", List.of(),
          "experiment_summary", List.of(),
          "hyperparameter_effects", List.of());

  @ParameterizedTest
  @EnumSource(Format.class)
  void everyNightlyEqualsAFreshFullRun(Format format) {
    org.junit.jupiter.api.Assumptions.assumeTrue(
        List.of(System.getProperty("neuroscope.model.formats", format.name()).split(","))
            .contains(format.name()),
        "-Dneuroscope.model.formats leaves it out");
    Model m = new Model(SparkTest.spark(), format, new Random(SEED + format.ordinal()));
    try {
      m.start();
      for (int night = 0; night < NIGHTS; night++) {
        int changes = m.random.nextInt(4);
        for (int c = 0; c < changes; c++) m.changeTelemetry();
        int disruptions = m.random.nextInt(3);
        for (int c = 0; c < disruptions; c++) m.disrupt();
        if (m.tonight()) m.check();
        m.noCacheLeft();
      }
      m.nightly(true); // whatever the last night left, the next nightly ends equal
      m.check();
    } catch (RuntimeException e) {
      throw new AssertionError(
          format
              + ", seed "
              + (SEED + format.ordinal())
              + ": failed after these steps:\n  "
              + String.join("\n  ", m.log),
          e);
    }
    System.out.printf(
        Locale.ROOT,
        "model %s, seed %d: %d steps, each nightly equal to a fresh full run:%n  %s%n",
        format,
        SEED + format.ordinal(),
        m.log.size(),
        String.join("\n  ", m.log));
  }

  /** The archive, the output and the sequence so far. */
  private static final class Model {
    final SparkSession spark;
    final Format format;
    final Random random;
    final Path dir;
    final Path telemetry;
    final Path out;
    final List<String> log = new ArrayList<>();
    Settings settings = FIRST;
    int nextRun;

    Model(SparkSession spark, Format format, Random random) {
      this.spark = spark;
      this.format = format;
      this.random = random;
      this.dir = SparkTest.tempDir("model-" + format.name().toLowerCase(Locale.ROOT));
      this.telemetry = dir.resolve("telemetry");
      this.out = dir.resolve("out");
    }

    void start() {
      for (String table : List.of("runs", "layers", "epochs", "tensors")) create(table);
      for (int i = 0; i < 3; i++) addRun();
      nightly(true);
      check();
    }

    // ---- telemetry changes --------------------------------------------------------------------

    void changeTelemetry() {
      List<Row> epochs = keys();
      if (epochs.isEmpty()) {
        addRun();
        return;
      }
      Row pick = epochs.get(random.nextInt(epochs.size()));
      String run = pick.getString(0);
      int epoch = pick.getInt(1);
      String where = "run_id = '" + run + "' AND epoch = " + epoch;
      int layer = random.nextInt(TestTelemetry.LAYERS.length);
      String tensor = where + " AND layer = " + layer + " AND kind = 'gradients'";
      switch (random.nextInt(13)) {
        case 0, 1 -> addRun();
        case 2 -> addEpoch(run, epochs);
        case 3 -> update("epochs", where, Map.of("train_loss", "train_loss * 1.5"), "a loss");
        case 4 ->
            update(
                "tensors",
                tensor,
                Map.of("values", "transform(`values`, x -> x * CAST(2 AS FLOAT))"),
                "a tensor's values");
        case 5 -> delete("tensors", tensor, "a tensor");
        case 6 -> update("tensors", tensor + " AND chunk = 0", Map.of("rows", "rows + 1"), "bad");
        case 7 -> {
          delete("tensors", where, "an epoch's tensors");
          delete("epochs", where, "an epoch");
        }
        case 8 -> {
          for (String t : List.of("tensors", "epochs", "layers", "runs"))
            delete(t, "run_id = '" + run + "'", "a run");
        }
        case 9 ->
            update(
                "runs",
                "run_id = '" + run + "'",
                Map.of("experiment", "IF(experiment = 'exp', 'exp2', 'exp')"),
                "the experiment");
        case 10 ->
            update(
                "runs",
                "run_id = '" + run + "'",
                Map.of("params", "map('learning_rate', '0.1', 'optimizer', 'sgd')"),
                "the params");
        case 11 ->
            append(
                "epochs",
                List.of(org.apache.spark.sql.RowFactory.create(run, epoch, 9.0, null)),
                "a duplicate epoch row " + run + "/" + epoch);
        default -> rebuild(random.nextBoolean() ? "epochs" : "tensors", run);
      }
    }

    /** (run_id, epoch) of the epochs table, in a stable order. */
    List<Row> keys() {
      return read("epochs")
          .select("run_id", "epoch")
          .distinct()
          .orderBy("run_id", "epoch")
          .collectAsList();
    }

    void addRun() {
      String run = "r" + nextRun++;
      String experiment = random.nextBoolean() ? "exp" : "exp2";
      int epochs = 2 + random.nextInt(4);
      int chunks = 1 + random.nextInt(2);
      TestTelemetry t = new TestTelemetry().runRow(run).layerRows(run);
      Row r = t.runs.get(0);
      for (int e = 0; e < epochs; e++) {
        t.epochs.add(TestTelemetry.epochRow(run, e));
        t.epochTensorRows(run, e, chunks);
      }
      log.add("add run " + run + " (" + experiment + ", " + epochs + " epochs)");
      write(
          "runs",
          List.of(org.apache.spark.sql.RowFactory.create(run, experiment, r.get(2), r.get(3))));
      write("layers", t.layers);
      write("epochs", t.epochs);
      write("tensors", t.tensors);
    }

    void addEpoch(String run, List<Row> epochs) {
      int next =
          epochs.stream()
                  .filter(r -> r.getString(0).equals(run))
                  .mapToInt(r -> r.getInt(1))
                  .max()
                  .orElse(-1)
              + 1;
      TestTelemetry t = new TestTelemetry().epochTensorRows(run, next, 1 + random.nextInt(2));
      log.add("add epoch " + run + "/" + next);
      write("epochs", List.of(TestTelemetry.epochRow(run, next)));
      write("tensors", t.tensors);
    }

    void append(String table, List<Row> rows, String what) {
      log.add("append " + what);
      write(table, rows);
    }

    void update(String table, String where, Map<String, String> set, String what) {
      log.add("update " + what + " in " + table + " where " + where);
      if (format != Format.PARQUET) {
        DeltaTable.forPath(spark, path(table)).updateExpr(where, set);
        return;
      }
      Column matches = coalesce(expr(where), lit(false));
      Dataset<Row> df = read(table);
      List<Column> columns = new ArrayList<>();
      for (String c : df.columns())
        columns.add(
            set.containsKey(c) ? when(matches, expr(set.get(c))).otherwise(col(c)).as(c) : col(c));
      overwrite(table, df.select(columns.toArray(Column[]::new)));
    }

    void delete(String table, String where, String what) {
      log.add("delete " + what + " from " + table + " where " + where);
      if (format != Format.PARQUET) {
        DeltaTable.forPath(spark, path(table)).delete(where);
        return;
      }
      overwrite(table, read(table).where(not(coalesce(expr(where), lit(false)))));
    }

    /**
     * Deletes the table and writes it again with one run's losses or values changed; a Delta table
     * is brought back to the version it had, so that only its identity tells it apart.
     */
    void rebuild(String table, String run) {
      log.add("rebuild " + table + " with run " + run + " changed");
      Column matches = col("run_id").equalTo(run);
      Dataset<Row> df = read(table);
      Dataset<Row> changed =
          table.equals("epochs")
              ? df.withColumn(
                  "train_loss",
                  when(matches, col("train_loss").plus(0.25)).otherwise(col("train_loss")))
              : df.withColumn(
                  "values",
                  when(matches, expr("transform(`values`, x -> x + CAST(0.5 AS FLOAT))"))
                      .otherwise(col("values")));
      List<Row> rows = changed.collectAsList();
      StructType schema = df.schema();
      if (format == Format.PARQUET) {
        overwrite(table, spark.createDataFrame(rows, schema));
        return;
      }
      long version = DeltaTable.forPath(spark, path(table)).history(1).first().getLong(0);
      TestFiles.deleteTree(Path.of(path(table)));
      DeltaLog.clearCache(); // the table was rebuilt by another process
      create(table);
      write(table, rows);
      DeltaTable t = DeltaTable.forPath(spark, path(table));
      for (long v = t.history(1).first().getLong(0); v < version; v++)
        spark.sql(
            "ALTER TABLE delta.`" + path(table) + "` SET TBLPROPERTIES ('test.pad' = '" + v + "')");
    }

    void create(String table) {
      StructType schema = schema(table);
      if (format == Format.PARQUET) {
        spark.createDataFrame(List.of(), schema).write().mode("overwrite").parquet(path(table));
        return;
      }
      var builder = DeltaTable.create(spark).location(path(table)).addColumns(schema);
      builder = builder.property("delta.enableDeletionVectors", "true");
      if (format == Format.DELTA_ROW_TRACKING)
        builder = builder.property("delta.enableRowTracking", "true");
      builder.execute();
    }

    void write(String table, List<Row> rows) {
      spark
          .createDataFrame(rows, schema(table))
          .coalesce(1)
          .write()
          .format(format == Format.PARQUET ? "parquet" : "delta")
          .mode("append")
          .save(path(table));
    }

    void overwrite(String table, Dataset<Row> df) {
      List<Row> rows = df.collectAsList(); // read before the files are replaced
      spark
          .createDataFrame(rows, schema(table))
          .coalesce(1)
          .write()
          .mode("overwrite")
          .parquet(path(table));
    }

    Dataset<Row> read(String table) {
      return spark.read().format(format == Format.PARQUET ? "parquet" : "delta").load(path(table));
    }

    String path(String table) {
      return telemetry.resolve(table).toString();
    }

    static StructType schema(String table) {
      return switch (table) {
        case "runs" -> Fixtures.RUNS;
        case "layers" -> Fixtures.LAYERS;
        case "epochs" -> Fixtures.EPOCHS;
        default -> Fixtures.TENSORS;
      };
    }

    // ---- commands -----------------------------------------------------------------------------

    /** Tonight's nightly: whether it succeeded (then the invariant must hold). */
    boolean tonight() {
      return OVERLAP && random.nextInt(6) == 0 ? overlappingNightlies() : nightly(true);
    }

    /** Anything else that may happen to the output between two nightlies. */
    void disrupt() {
      switch (random.nextInt(8)) {
        case 0 -> {
          settings = settings == FIRST ? SECOND : FIRST;
          log.add("settings changed");
        }
        case 1 -> nightly(false);
        case 2 -> {
          log.add("diagnostics");
          DiagnosticsStage.run(
              Telemetry.fromFolder(spark, telemetry.toString()), output(out), settings, false);
        }
        case 3 -> {
          log.add("summaries");
          try (ValidatedTelemetry v =
              new ValidatedTelemetry(Telemetry.fromFolder(spark, telemetry.toString()))) {
            new SummariesAction(v, output(out), settings, Scope.everything("the command"))
                .execute();
          }
        }
        case 4, 5 -> killedNightly();
        case 6 -> {
          String table =
              List.of(
                      "diagnostics",
                      "quarantine",
                      "findings",
                      "run_summary",
                      "nightly_state",
                      "nightly_audit")
                  .get(random.nextInt(6));
          log.add("output table " + table + " deleted");
          TestFiles.deleteTree(out.resolve(table));
          DeltaLog.clearCache(); // deleted by another process
        }
        default -> {
          List<Row> keys = keys();
          if (keys.isEmpty()) return;
          String run = keys.get(random.nextInt(keys.size())).getString(0);
          String table = random.nextBoolean() ? "diagnostics" : "run_summary";
          log.add("output rows of " + run + " deleted from " + table);
          if (Files.exists(out.resolve(table)))
            DeltaTable.forPath(spark, out.resolve(table).toString())
                .delete("run_id = '" + run + "'");
        }
      }
    }

    boolean nightly(boolean incremental) {
      log.add(incremental ? "nightly" : "nightly --full");
      nightlyAction(out, incremental).execute();
      return true;
    }

    NightlyAction nightlyAction(Path output, boolean incremental) {
      return new NightlyAction(
          spark,
          TelemetrySource.folder(telemetry.toString()),
          output(output),
          settings,
          incremental);
    }

    /** A nightly whose Spark jobs are cancelled after a random delay, as a killed driver would. */
    void killedNightly() {
      long delay = random.nextInt(6000);
      log.add("nightly killed after " + delay + " ms");
      ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
      ScheduledFuture<?> kill =
          timer.schedule(() -> spark.sparkContext().cancelAllJobs(), delay, TimeUnit.MILLISECONDS);
      try {
        nightlyAction(out, true).execute();
        log.add("(it ended before)");
      } catch (Exception e) { // SparkException, undeclared by Scala
        log.add("(killed: " + e.getClass().getSimpleName() + ")");
      } finally {
        kill.cancel(false);
        timer.shutdownNow();
      }
    }

    /** Two nightlies at once into the same output; both must end, and if both succeed, equal. */
    boolean overlappingNightlies() {
      log.add("two nightlies at once");
      AtomicReference<Throwable> failed = new AtomicReference<>();
      Thread other =
          new Thread(
              () -> {
                try {
                  nightlyAction(out, true).execute();
                } catch (Throwable e) { // reported below
                  failed.set(e);
                }
              });
      other.start();
      boolean succeeded = true;
      try {
        nightlyAction(out, true).execute();
      } catch (Exception e) { // SparkException, undeclared by Scala
        log.add("(one failed: " + e.getMessage() + ")");
        succeeded = false;
      }
      try {
        other.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
      if (failed.get() != null) {
        log.add("(the other failed: " + failed.get().getMessage() + ")");
        succeeded = false;
      }
      return succeeded;
    }

    static OutputTables output(Path where) {
      return OutputTables.at(SparkTest.spark(), where.toString());
    }

    /** A job leaves nothing cached in the session, killed or not (a session may live on). */
    void noCacheLeft() {
      if (!spark.sharedState().cacheManager().isEmpty())
        throw new IllegalStateException("datasets left cached in the session");
    }

    // ---- the invariant ------------------------------------------------------------------------

    void check() {
      Path fresh = dir.resolve("fresh-" + log.size());
      nightlyAction(fresh, false).execute();
      List<String> differences = new ArrayList<>();
      for (var e : new TreeMap<>(COMPARED).entrySet()) {
        TreeSet<String> a = rows(out.resolve(e.getKey()), e.getValue());
        TreeSet<String> b = rows(fresh.resolve(e.getKey()), e.getValue());
        for (String r : a)
          if (!b.contains(r)) differences.add(e.getKey() + ": only in the nightly's: " + r);
        for (String r : b)
          if (!a.contains(r)) differences.add(e.getKey() + ": only in a fresh run's: " + r);
      }
      TestFiles.deleteTree(fresh);
      if (!differences.isEmpty()) {
        fail(
            String.format(
                Locale.ROOT,
                "%s, seed %d: after %d steps the output differs from a fresh full run (%d rows)%n"
                    + "steps:%n  %s%nfirst differences:%n  %s",
                format,
                SEED + format.ordinal(),
                log.size(),
                differences.size(),
                String.join("\n  ", log),
                String.join("\n  ", differences.subList(0, Math.min(20, differences.size())))));
      }
    }

    /**
     * A table's rows as canonical strings (doubles to 9 digits, maps sorted); empty when absent.
     */
    TreeSet<String> rows(Path table, List<String> ignored) {
      TreeSet<String> out = new TreeSet<>();
      if (!Files.exists(table.resolve("_delta_log"))) return out;
      Dataset<Row> df = spark.read().format("delta").load(table.toString());
      Column[] kept =
          Stream.of(df.schema().fields())
              .map(StructField::name)
              .filter(c -> !ignored.contains(c))
              .map(org.apache.spark.sql.functions::col)
              .toArray(Column[]::new);
      for (Row r : df.select(kept).collectAsList()) {
        String s = CanonicalRows.of(r);
        if (!out.add(s)) out.add(s + " (again)");
      }
      return out;
    }
  }
}
