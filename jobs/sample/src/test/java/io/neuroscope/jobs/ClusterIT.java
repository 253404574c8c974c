package io.neuroscope.jobs;

import static org.apache.spark.sql.functions.array_sort;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.map_entries;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.delta.tables.DeltaTable;
import io.neuroscope.jobs.table.OutputTable;
import io.neuroscope.sample.bench.SyntheticTelemetry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.MapType;
import org.apache.spark.sql.types.StructField;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The job on a real Spark standalone cluster (a Master and two Workers of one core each, executors
 * in their own JVMs; {@link SparkCluster}), submitted through {@code SparkSubmit} with the
 * spark-submit jar, against the same job run in local mode in this JVM: the same telemetry gives
 * the same tables, row for row, also when an executor is killed mid-job, after the driver is killed
 * mid-write, and when two nightly runs write the same output at once.
 *
 * <p>Telemetry A is a synthetic archive (real Parquet of 128 × 128 tensors, about {@value
 * #SYNTHETIC_VALUES_M} M values in {@value #SYNTHETIC_FILES} files, so the tensor pass is a stage
 * of many tasks on the cluster) plus the shared test archive's runs (bad rows of every kind, NaN,
 * tensors in 3 chunks); B is A plus two more runs. Reference outputs: the job in local mode on A
 * and on B.
 */
class ClusterIT {
  private static final int SYNTHETIC_RUNS = 8;
  private static final int SYNTHETIC_EPOCHS = 4;
  private static final int SYNTHETIC_LAYERS = 3;
  private static final int SYNTHETIC_WIDTH = 128;
  private static final int SYNTHETIC_FILES = 16;
  static final int SYNTHETIC_VALUES_M = 6; // 8 x 4 x 3 x 4 tensors of 16,384 values = 6.3 M

  /**
   * Each synthetic file (about 1.5 MB) is a task of its own in the tensor pass, on the cluster and
   * locally.
   */
  private static final String MAX_PARTITION_BYTES = "1m";

  private static final String SHUFFLE_PARTITIONS = "2";
  private static final Duration JOB_TIMEOUT = Duration.ofMinutes(6);

  private static final Path MODULE =
      Path.of(System.getProperty("neuroscope.module.dir", ".")).toAbsolutePath().normalize();
  private static final Path SCRIPT = MODULE.resolve("src/test/cluster/spark-cluster.sh");
  private static Path work;
  private static String jar;
  private static CompletableFuture<SparkCluster> starting;
  private static SparkCluster cluster;
  private static Path telemetryA;
  private static Path telemetryB;
  private static Path expectedA;
  private static Path expectedB;

  @BeforeAll
  static void clusterAndReferenceOutputs() throws Exception {
    // The local runs use SparkTest's session as it is configured (Sessions adds its local defaults
    // only without a master).
    System.setProperty("spark.master", "local[2]");
    Files.createDirectories(Path.of(System.getProperty("java.io.tmpdir")));
    jar = submitJar().toString();
    work = MODULE.resolve("target/cluster-it");
    TestFiles.deleteTree(work);
    Files.createDirectories(work);
    long t0 = System.nanoTime();
    starting =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return SparkCluster.start(SCRIPT, work.resolve("cluster"), Duration.ofMinutes(3));
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
              }
            });

    SparkSession spark = SparkTest.spark();
    spark.conf().set("spark.sql.files.maxPartitionBytes", MAX_PARTITION_BYTES);
    spark.conf().set("spark.sql.shuffle.partitions", SHUFFLE_PARTITIONS);
    telemetryA = work.resolve("telemetry-a");
    SyntheticTelemetry.write(
        spark,
        telemetryA.toString(),
        new SyntheticTelemetry.Shape(
            SYNTHETIC_RUNS, SYNTHETIC_EPOCHS, SYNTHETIC_LAYERS, SYNTHETIC_WIDTH, SYNTHETIC_FILES));
    append(spark, SharedArchive.telemetry(), telemetryA);
    telemetryB = work.resolve("telemetry-b");
    TestFiles.linkTree(telemetryA, telemetryB);
    append(spark, new TestTelemetry().run("late-1", 1).run("late-2", 2), telemetryB);
    report("telemetry A and B written in %.1f s", seconds(t0));

    long t1 = System.nanoTime();
    expectedA = work.resolve("local-a");
    assertEquals(0, NeuroScope.run(args(telemetryA, expectedA).toArray(String[]::new)));
    long t2 = System.nanoTime();
    expectedB = work.resolve("local-b");
    assertEquals(0, NeuroScope.run(args(telemetryB, expectedB).toArray(String[]::new)));
    report(
        "local mode: %.1f s on A, %.1f s on B (%d diagnostics rows)",
        (t2 - t1) / 1e9, seconds(t2), delta(expectedB, "diagnostics").count());

    cluster = starting.join();
    report(
        "cluster started in %.1f s (%s, %d workers alive)",
        cluster.startup.toNanos() / 1e9,
        cluster.masterUrl(),
        cluster.master().get("aliveworkers").asInt());
  }

  @AfterAll
  static void stopCluster() {
    if (starting == null) return;
    SparkCluster c = starting.exceptionally(e -> null).join();
    if (c == null) return;
    long t = System.nanoTime();
    c.close();
    List<ProcessHandle> left = c.processes();
    report("cluster stopped in %.1f s; processes left: %d", seconds(t), left.size());
    assertEquals(
        List.of(),
        left.stream().map(p -> p.pid() + " " + p.info().command().orElse("?")).toList(),
        "every process of the cluster has ended");
    for (String scratch : List.of("tmp", "local")) {
      assertFalse(
          Files.exists(c.dir.resolve(scratch)), "scratch folder " + scratch + " is removed");
    }
  }

  @Test
  void clusterOutputEqualsLocalOutput() throws Exception {
    Path out = work.resolve("out-plain");
    long t = System.nanoTime();
    SparkCluster.Driver d = cluster.submit("plain", options(), jar, args(telemetryB, out));
    assertEquals(0, SparkCluster.exitCode(d, JOB_TIMEOUT), () -> SparkCluster.tail(d.log(), 40));
    report("plain run on the cluster: %.1f s", seconds(t));

    assertSameTables(expectedB, out);
    Set<String> executors = new TreeSet<>();
    Matcher m =
        Pattern.compile(
                "Finished task \\S+ in stage \\S+ \\(TID \\d+\\) in \\d+ ms on \\S+ \\(executor (\\d+)\\)")
            .matcher(d.logText());
    while (m.find()) executors.add(m.group(1));
    assertEquals(Set.of("0", "1"), executors, "tasks ran on both executors");
  }

  @Test
  void executorKilledMidJobChangesNothing() throws Exception {
    Path out = work.resolve("out-executor-kill");
    long t = System.nanoTime();
    SparkCluster.Driver d = cluster.submit("executor-kill", options(), jar, args(telemetryB, out));
    String app = cluster.applicationId(d, JOB_TIMEOUT);

    // The tensor pass under way, an executor having finished some of its tasks (their shuffle
    // output is on that
    // executor) and, if it can be, running another: kill that executor's JVM (SIGKILL).
    String[] seen = new String[1];
    String executor =
        SparkCluster.await(
            "the tensor pass under way",
            JOB_TIMEOUT,
            d,
            () -> {
              for (JsonNode s :
                  cluster.api(d, "/applications/" + app + "/stages?status=active").orElse(EMPTY)) {
                if (!s.get("name").asText().contains("TensorPass")) continue;
                String tasks =
                    "/applications/"
                        + app
                        + "/stages/"
                        + s.get("stageId").asInt()
                        + "/"
                        + s.get("attemptId").asInt()
                        + "/taskList?length=1000&status=";
                Map<String, Integer> done =
                    countByExecutor(cluster.api(d, tasks + "SUCCESS").orElse(EMPTY));
                Map<String, Integer> running =
                    countByExecutor(cluster.api(d, tasks + "RUNNING").orElse(EMPTY));
                Optional<String> e =
                    done.keySet().stream()
                        .max(
                            Comparator.comparing((String x) -> running.containsKey(x))
                                .thenComparing(done::get));
                if (e.isPresent()) {
                  seen[0] =
                      String.format(
                          java.util.Locale.ROOT,
                          "stage %d '%s' (%d tasks): it had finished %d and was running %d",
                          s.get("stageId").asInt(),
                          s.get("name").asText(),
                          s.get("numTasks").asInt(),
                          done.get(e.get()),
                          running.getOrDefault(e.get(), 0));
                  return e;
                }
              }
              return Optional.empty();
            });
    ProcessHandle victim =
        cluster
            .executor(app, executor)
            .orElseThrow(() -> new AssertionError("no JVM for executor " + executor));
    assertTrue(victim.destroyForcibly());
    report("executor %s (pid %d) killed during %s", executor, victim.pid(), seen[0]);

    JsonNode lost =
        SparkCluster.await(
            "executor " + executor + " to be marked lost",
            Duration.ofMinutes(2),
            d,
            () ->
                cluster
                    .api(d, "/applications/" + app + "/allexecutors")
                    .flatMap(
                        all -> {
                          for (JsonNode e : all) {
                            if (e.get("id").asText().equals(executor)
                                && !e.get("isActive").asBoolean()) return Optional.of(e);
                          }
                          return Optional.empty();
                        }));
    assertEquals(0, SparkCluster.exitCode(d, JOB_TIMEOUT), () -> SparkCluster.tail(d.log(), 40));
    report(
        "executor-kill run: %.1f s; the driver saw executor %s removed: %s",
        seconds(t), executor, lost.path("removeReason").asText());

    String log = d.logText();
    assertFalse(
        lines(log, "Lost executor " + executor + " ").isEmpty(),
        "the driver logged the loss of executor " + executor);
    // a task's second attempt, or a stage's (after a fetch failure)
    String rerun = "Starting task \\d+\\.[1-9]|Starting task \\S+ in stage \\d+\\.[1-9]";
    assertFalse(lines(log, rerun).isEmpty(), "tasks were run again");
    for (String l : lines(log, "Lost executor|Lost task|Resubmitted|FetchFailed|" + rerun)) {
      report("  %s", l.replaceAll(" Reason: .*", ""));
    }
    assertSameTables(expectedB, out);
  }

  @Test
  void driverKilledMidWriteLeavesThePreviousVersionAndTheNextRunCompletes() throws Exception {
    Path out = work.resolve("out-driver-kill");
    TestFiles.copyTree(expectedA, out); // yesterday's output
    Path table = out.resolve("diagnostics");
    long before = DeltaHistory.version(table);
    Set<String> filesBefore = dataFiles(table);

    long t = System.nanoTime();
    SparkCluster.Driver d = cluster.submit("driver-kill", options(), jar, args(telemetryB, out));
    String app = cluster.applicationId(d, JOB_TIMEOUT);
    // The MERGE writes its new data files, then commits: kill the driver (SIGKILL) as soon as the
    // first file appears.
    Set<String> seen = Set.of();
    long deadline = System.nanoTime() + JOB_TIMEOUT.toNanos();
    while (seen.isEmpty()) {
      assertTrue(
          d.process().isAlive(),
          () -> "the driver ended before writing: " + SparkCluster.tail(d.log(), 40));
      assertTrue(System.nanoTime() < deadline, "no data file written in " + JOB_TIMEOUT);
      Thread.sleep(5);
      seen = difference(dataFiles(table), filesBefore);
    }
    assertTrue(d.process().toHandle().destroyForcibly());
    int code = SparkCluster.exitCode(d, Duration.ofMinutes(1));
    report("driver killed (exit %d) %.1f s into its run, on seeing %s", code, seconds(t), seen);

    // The Master drops the application and the Workers end its executors.
    SparkCluster.await(
        "the Master to end " + app,
        Duration.ofMinutes(2),
        null,
        () -> {
          for (JsonNode a : cluster.master().get("activeapps"))
            if (a.get("id").asText().equals(app)) return Optional.empty();
          return cluster.executors(app).isEmpty() ? Optional.of(true) : Optional.empty();
        });

    assertEquals(
        before, DeltaHistory.version(table), "no commit: the table is at its previous version");
    assertSameTables(expectedA, out);
    Set<String> orphans = difference(dataFiles(table), filesBefore);
    assertFalse(orphans.isEmpty(), "the killed run had written data files");
    Set<String> read = new HashSet<>();
    for (String f : delta(out, "diagnostics").inputFiles())
      read.add(Path.of(java.net.URI.create(f)).getFileName().toString());
    assertEquals(Set.of(), intersection(read, orphans), "no uncommitted file is read");
    report(
        "after the kill: diagnostics still at version %d; %d uncommitted data file(s) left on disk, not read",
        before, orphans.size());

    long t2 = System.nanoTime();
    SparkCluster.Driver again =
        cluster.submit("driver-kill-rerun", options(), jar, args(telemetryB, out));
    assertEquals(
        0, SparkCluster.exitCode(again, JOB_TIMEOUT), () -> SparkCluster.tail(again.log(), 40));
    assertSameTables(expectedB, out);
    assertEquals(before + 1, DeltaHistory.version(table), "the rerun's one MERGE");
    Map<String, String> merge = DeltaHistory.lastCommit(table);
    long added = delta(expectedB, "diagnostics").count() - delta(expectedA, "diagnostics").count();
    assertEquals("MERGE", merge.get("operation"));
    assertEquals(added + "", merge.get("numTargetRowsInserted"), "the new runs' rows: " + merge);
    assertEquals(
        "0", merge.get("numTargetRowsUpdated"), "rows computed in other JVMs, unchanged: " + merge);
    report(
        "rerun: %.1f s; diagnostics at version %d, equal to the local output on B (MERGE inserted %s, updated %s)",
        seconds(t2),
        DeltaHistory.version(table),
        merge.get("numTargetRowsInserted"),
        merge.get("numTargetRowsUpdated"));
  }

  @Test
  void twoRunsAtOnceOnOneOutputLoseAndDuplicateNothing() throws Exception {
    Path out = work.resolve("out-concurrent");
    TestFiles.copyTree(expectedA, out);
    Path table = out.resolve("diagnostics");
    long before = DeltaHistory.version(table);
    // one core each, so both run at once (a run takes every core it can get)
    List<String> oneCore = options("--conf", "spark.cores.max=1");
    long t = System.nanoTime();
    // two incremental nightly runs: both find the late runs new, and all their writes meet
    List<String> nightly = new ArrayList<>(args("nightly", telemetryB, out));
    nightly.addAll(
        List.of(
            "--set", "catalog.database=")); // no metastore folder in the driver's working directory
    SparkCluster.Driver first = cluster.submit("concurrent-1", oneCore, jar, nightly);
    SparkCluster.Driver second = cluster.submit("concurrent-2", oneCore, jar, nightly);
    int c1 = SparkCluster.exitCode(first, JOB_TIMEOUT),
        c2 = SparkCluster.exitCode(second, JOB_TIMEOUT);
    assertEquals(0, c1, () -> SparkCluster.tail(first.log(), 40));
    assertEquals(0, c2, () -> SparkCluster.tail(second.log(), 40));

    assertSameTables(expectedB, out);
    Dataset<Row> rows = delta(out, "diagnostics");
    assertEquals(
        0,
        rows.groupBy("run_id", "epoch", "layer", "diagnostic").count().where("count > 1").count(),
        "no key twice");
    assertEquals(
        0,
        delta(out, "run_summary").groupBy("run_id").count().where("count > 1").count(),
        "no run twice");
    assertEquals(
        delta(out, "run_summary").count(),
        rows.select("run_id").distinct().count(),
        "every run summarized");
    assertEquals(
        0,
        delta(out, OutputTable.NIGHTLY_STATE.tableName())
            .groupBy("run_id", "epoch")
            .count()
            .where("count > 1")
            .count(),
        "no state row twice");
    List<Row> audit = delta(out, OutputTable.NIGHTLY_AUDIT.tableName()).collectAsList();
    assertEquals(2, audit.size(), "both runs audited");
    for (Row a : audit) assertEquals("SUCCEEDED", a.getAs("status"), () -> a.toString());
    List<String> retries = new ArrayList<>();
    for (SparkCluster.Driver d : List.of(first, second)) {
      for (String l :
          lines(d.logText(), "a concurrent writer committed first|created by a concurrent job")) {
        retries.add(d.name() + ": " + l);
      }
    }
    List<String> commits = new ArrayList<>();
    for (Row r :
        DeltaTable.forPath(SparkTest.spark(), table.toString()).history().collectAsList()) {
      long v = r.getAs("version");
      if (v <= before) continue;
      Map<String, String> metrics = new TreeMap<>(r.getJavaMap(r.fieldIndex("operationMetrics")));
      commits.add(
          v
              + " "
              + r.getAs("operation")
              + " inserted "
              + metrics.get("numTargetRowsInserted")
              + ", updated "
              + metrics.get("numTargetRowsUpdated"));
    }
    report(
        "two runs at once: %.1f s; commits after version %d: %s; conflicts retried: %d",
        seconds(t), before, commits, retries.size());
    for (String r : retries) report("  %s", r);
    assertFalse(commits.isEmpty());
  }

  // ---- helpers ---------------------------------------------------------------------------------

  private static final JsonNode EMPTY =
      new com.fasterxml.jackson.databind.node.ArrayNode(
          com.fasterxml.jackson.databind.node.JsonNodeFactory.instance);

  private static Map<String, Integer> countByExecutor(JsonNode tasks) {
    Map<String, Integer> m = new TreeMap<>();
    for (JsonNode t : tasks) m.merge(t.get("executorId").asText(), 1, Integer::sum);
    return m;
  }

  private static List<String> options(String... extra) {
    List<String> o =
        new ArrayList<>(
            List.of(
                "--class",
                "io.neuroscope.jobs.NeuroScope",
                // as the local session: SparkTest's Delta snapshot partitions and time zone, input
                // splits and shuffle partitions as set above
                "--conf",
                "spark.sql.shuffle.partitions=" + SHUFFLE_PARTITIONS,
                "--conf",
                "spark.databricks.delta.snapshotPartitions=2",
                "--conf",
                "spark.sql.session.timeZone=UTC",
                "--conf",
                "spark.sql.files.maxPartitionBytes=" + MAX_PARTITION_BYTES));
    o.addAll(List.of(extra));
    return o;
  }

  private static List<String> args(Path telemetry, Path out) {
    return args("diagnostics", telemetry, out);
  }

  private static List<String> args(String command, Path telemetry, Path out) {
    return List.of(command, "--telemetry", telemetry.toString(), "--output", out.toString());
  }

  private static Path submitJar() throws IOException {
    String configured = System.getProperty("neuroscope.submit.jar");
    if (configured != null) return Path.of(configured);
    try (Stream<Path> s = Files.list(MODULE.resolve("target"))) {
      return s.filter(p -> p.getFileName().toString().endsWith("-spark-submit.jar"))
          .findFirst()
          .orElseThrow(
              () ->
                  new IllegalStateException(
                      "no spark-submit jar in target/: run mvn package first"));
    }
  }

  /** Appends the test telemetry's four tables to the Parquet tables under {@code root}. */
  private static void append(SparkSession spark, TestTelemetry t, Path root) {
    spark
        .createDataFrame(t.runs, Fixtures.RUNS)
        .coalesce(1)
        .write()
        .mode("append")
        .parquet(root.resolve("runs").toString());
    spark
        .createDataFrame(t.layers, Fixtures.LAYERS)
        .coalesce(1)
        .write()
        .mode("append")
        .parquet(root.resolve("layers").toString());
    spark
        .createDataFrame(t.epochs, Fixtures.EPOCHS)
        .coalesce(1)
        .write()
        .mode("append")
        .parquet(root.resolve("epochs").toString());
    t.tensorsFrame(spark)
        .coalesce(1)
        .write()
        .mode("append")
        .parquet(root.resolve("tensors").toString());
  }

  private static Dataset<Row> delta(Path out, String table) {
    return SparkTest.spark().read().format("delta").load(out.resolve(table).toString());
  }

  /**
   * The diagnostics and quarantine tables under both folders hold the same rows, as multisets (NaN
   * equals NaN).
   */
  private static void assertSameTables(Path expected, Path actual) {
    for (String table : List.of("diagnostics", "quarantine")) {
      Dataset<Row> e = comparable(delta(expected, table)), a = comparable(delta(actual, table));
      List<Row> missing = e.exceptAll(a).limit(10).collectAsList();
      List<Row> extra = a.exceptAll(e).limit(10).collectAsList();
      long ne = e.count(), na = a.count();
      assertTrue(
          missing.isEmpty() && extra.isEmpty() && ne == na,
          () ->
              table
                  + ": "
                  + ne
                  + " rows expected, "
                  + na
                  + " found; missing (first 10): "
                  + missing
                  + "; unexpected (first 10): "
                  + extra);
      assertTrue(ne > 0, table + " is not empty");
    }
  }

  /** Map columns as sorted arrays of entries: set operations do not take maps. */
  private static Dataset<Row> comparable(Dataset<Row> d) {
    d = d.drop("job_id", "quarantined_at"); // which job set a row aside, and when: not the content
    for (StructField f : d.schema().fields()) {
      if (f.dataType() instanceof MapType)
        d = d.withColumn(f.name(), array_sort(map_entries(col(f.name()))));
    }
    return d;
  }

  private static Set<String> dataFiles(Path table) throws IOException {
    try (Stream<Path> s = Files.list(table)) {
      return s.map(p -> p.getFileName().toString())
          .filter(n -> n.endsWith(".parquet"))
          .collect(Collectors.toSet());
    }
  }

  private static Set<String> difference(Set<String> a, Set<String> b) {
    Set<String> d = new TreeSet<>(a);
    d.removeAll(b);
    return d;
  }

  private static Set<String> intersection(Set<String> a, Set<String> b) {
    Set<String> d = new TreeSet<>(a);
    d.retainAll(b);
    return d;
  }

  private static List<String> lines(String text, String regex) {
    Pattern p = Pattern.compile(regex);
    return text.lines().filter(l -> p.matcher(l).find()).toList();
  }

  private static double seconds(long since) {
    return (System.nanoTime() - since) / 1e9;
  }

  private static void report(String format, Object... args) {
    System.out.println("cluster-it: " + String.format(java.util.Locale.ROOT, format, args));
  }
}
