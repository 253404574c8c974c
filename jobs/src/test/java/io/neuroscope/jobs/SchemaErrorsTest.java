package io.neuroscope.jobs;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.neuroscope.diagnostics.Settings;
import io.neuroscope.jobs.diagnostics.DiagnosticsAction;
import io.neuroscope.jobs.error.ContractException;
import io.neuroscope.jobs.nightly.DiagnosticsStage;
import io.neuroscope.jobs.nightly.NightlyAction;
import io.neuroscope.jobs.table.OutputTable;
import io.neuroscope.jobs.table.OutputTables;
import io.neuroscope.jobs.telemetry.Telemetry;
import io.neuroscope.jobs.telemetry.TelemetrySource;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.UnaryOperator;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A missing table or a column missing or of the wrong type stops the job with a message naming
 * table and column.
 */
class SchemaErrorsTest {
  private static Path base;

  @BeforeAll
  static void writeValidTelemetry() {
    TestTelemetry t = new TestTelemetry();
    t.runRow("r").layerRows("r").epochRows("r");
    t.addTensor("r", 0, 0, "weights", 1);
    base = t.write(SparkTest.spark(), SparkTest.tempDir("schema").resolve("valid"), 1);
  }

  @Test
  void theValidTelemetryIsAccepted() {
    Telemetry t = Telemetry.fromFolder(SparkTest.spark(), base.toString());
    assertEquals(1, t.tensors().count());
  }

  @Test
  void missingTable() throws IOException {
    Path root = copy("missing-table");
    delete(root.resolve("layers"));
    ContractException e =
        assertThrows(
            ContractException.class,
            () -> Telemetry.fromFolder(SparkTest.spark(), root.toString()));
    assertMentions(e, "'layers'", "not found", root.resolve("layers").toString());
  }

  @Test
  void missingColumn() {
    Path root = variant("missing-column", "layers", df -> df.drop("fan_in"));
    ContractException e =
        assertThrows(
            ContractException.class,
            () -> Telemetry.fromFolder(SparkTest.spark(), root.toString()));
    assertMentions(e, "'layers'", "'fan_in'", "INT");
  }

  @Test
  void epochAsBigint() {
    Path root =
        variant(
            "epoch-bigint", "epochs", df -> df.withColumn("epoch", col("epoch").cast("bigint")));
    ContractException e =
        assertThrows(
            ContractException.class,
            () -> Telemetry.fromFolder(SparkTest.spark(), root.toString()));
    assertMentions(e, "'epochs'", "'epoch'", "BIGINT", "expected INT");
  }

  @Test
  void valuesAsArrayOfInt() {
    Path root =
        variant(
            "values-int",
            "tensors",
            df -> df.withColumn("values", col("values").cast("array<int>")));
    ContractException e =
        assertThrows(
            ContractException.class,
            () -> Telemetry.fromFolder(SparkTest.spark(), root.toString()));
    assertMentions(e, "'tensors'", "'values'", "ARRAY<INT>", "ARRAY<FLOAT>", "ARRAY<DOUBLE>");
  }

  @Test
  void startedAtAsString() {
    Path root =
        variant(
            "started-string",
            "runs",
            df -> df.withColumn("started_at", col("started_at").cast("string")));
    ContractException e =
        assertThrows(
            ContractException.class,
            () -> Telemetry.fromFolder(SparkTest.spark(), root.toString()));
    assertMentions(e, "'runs'", "'started_at'", "STRING", "TIMESTAMP");
  }

  @Test
  void valLossAsFloat() {
    Path root =
        variant(
            "val-float", "epochs", df -> df.withColumn("val_loss", col("val_loss").cast("float")));
    ContractException e =
        assertThrows(
            ContractException.class,
            () -> Telemetry.fromFolder(SparkTest.spark(), root.toString()));
    assertMentions(e, "'epochs'", "'val_loss'", "FLOAT", "DOUBLE");
  }

  /**
   * One file of a Parquet folder stores epoch as BIGINT, the other as INT: the same one-line error
   * naming that file and the column, whichever footer Spark would have sampled.
   */
  @Test
  void oneFileWithAnotherPhysicalType() throws IOException {
    SparkSession spark = SparkTest.spark();
    Path root = copy("mixed-types");
    Dataset<Row> epochs = spark.read().parquet(base.resolve("epochs").toString());
    delete(root.resolve("epochs"));
    Fixtures.write(epochs.limit(3).repartition(1), root.resolve("epochs"), "parquet");
    Path other = root.resolve("epochs-bigint");
    Fixtures.write(
        epochs.withColumn("epoch", col("epoch").cast("bigint")).repartition(1), other, "parquet");
    Path file;
    try (var files = java.nio.file.Files.list(other)) {
      file = files.filter(f -> f.toString().endsWith(".parquet")).findFirst().orElseThrow();
    }
    Path moved = root.resolve("epochs").resolve("zz-" + file.getFileName());
    java.nio.file.Files.move(file, moved);
    for (int attempt = 0; attempt < 2; attempt++) {
      ContractException e =
          assertThrows(ContractException.class, () -> Telemetry.fromFolder(spark, root.toString()));
      assertMentions(e, "'epochs'", moved.getFileName().toString(), "'epoch'", "BIGINT", "INT");
      assertEquals(-1, e.getMessage().indexOf('\n'), e.getMessage());
    }
  }

  /**
   * A truncated copy of a tensors file and a file that is not Parquet at all, beside the sound one:
   * each set aside as a quarantine row naming it, and the diagnostics computed from the rest are
   * those of the sound telemetry.
   */
  @Test
  void unreadableFilesAreSetAsideAndTheRestComputed() throws IOException {
    SparkSession spark = SparkTest.spark();
    Path root = copy("unreadable-files");
    Path good;
    try (var files = java.nio.file.Files.list(root.resolve("tensors"))) {
      good = files.filter(f -> f.toString().endsWith(".parquet")).findFirst().orElseThrow();
    }
    byte[] bytes = java.nio.file.Files.readAllBytes(good);
    Path truncated = root.resolve("tensors").resolve("part-truncated.snappy.parquet");
    java.nio.file.Files.write(truncated, java.util.Arrays.copyOf(bytes, bytes.length / 2));
    Path foreign = root.resolve("tensors").resolve("notes.txt");
    java.nio.file.Files.writeString(foreign, "not telemetry\n");

    Path out = root.resolveSibling("unreadable-files-out");
    Path expectedOut = root.resolveSibling("unreadable-files-expected");
    diagnose(base, expectedOut);
    DiagnosticsAction.Result r = diagnose(root, out);
    List<Row> q = TestTelemetry.quarantine(spark, out);
    assertEquals(2, q.size(), q::toString);
    for (Row row : q) {
      assertEquals("UNREADABLE_FILE", row.getAs("reason_code"));
      assertEquals("tensors", row.getAs("table"));
    }
    String rows = q.stream().map(row -> row.<String>getAs("row")).sorted().toList().toString();
    assertTrue(rows.contains(truncated.getFileName().toString()), rows);
    assertTrue(rows.contains(foreign.getFileName().toString()), rows);
    assertEquals(2, r.quarantined());
    List<String> diff =
        TestTelemetry.differences(
            TestTelemetry.diagnostics(spark, expectedOut),
            TestTelemetry.diagnostics(spark, out),
            0);
    assertTrue(diff.isEmpty(), String.join("\n", diff));
  }

  /**
   * A truncated data file of a Delta tensors table (as `generate` writes telemetry), with and
   * without its checksum file: set aside as a quarantine row naming it, and the run whose tensors
   * are elsewhere gets exactly the diagnostics it gets alone.
   */
  @ParameterizedTest(name = "checksum file kept: {0}")
  @ValueSource(booleans = {true, false})
  void aTruncatedFileOfADeltaTable(boolean keepChecksum) throws IOException {
    SparkSession spark = SparkTest.spark();
    Path work = SparkTest.tempDir("delta-truncated");
    TestTelemetry a = new TestTelemetry().run("a", 1);
    Path alone = a.write(spark, work.resolve("alone"), 1);
    TestTelemetry both = new TestTelemetry().run("a", 1).run("b", 1);
    Path root = both.write(spark, work.resolve("both"), 1);
    Dataset<Row> tensors = spark.read().parquet(root.resolve("tensors").toString());
    String written = root.resolve("tensors-delta").toString();
    tensors.where("run_id = 'a'").coalesce(1).write().format("delta").save(written);
    tensors.where("run_id = 'b'").coalesce(1).write().format("delta").mode("append").save(written);
    TestFiles.deleteTree(root.resolve("tensors"));
    java.nio.file.Files.move(root.resolve("tensors-delta"), root.resolve("tensors"));
    String delta = root.resolve("tensors").toString();
    String bFile = spark.read().format("delta").load(delta).where("run_id = 'b'").inputFiles()[0];
    Path file = Path.of(java.net.URI.create(bFile));
    byte[] bytes = java.nio.file.Files.readAllBytes(file);
    if (!keepChecksum) {
      java.nio.file.Files.deleteIfExists(file.resolveSibling("." + file.getFileName() + ".crc"));
    }
    java.nio.file.Files.write(file, java.util.Arrays.copyOf(bytes, bytes.length / 2));

    Path expected = work.resolve("expected");
    diagnose(alone, expected);
    Path out = work.resolve("out");
    DiagnosticsAction.Result r = diagnose(root, out);
    List<Row> q = TestTelemetry.quarantine(spark, out);
    assertEquals(1, q.size(), q::toString);
    assertEquals("UNREADABLE_FILE", q.get(0).getAs("reason_code"));
    assertTrue(q.get(0).<String>getAs("row").contains(file.getFileName().toString()), q.toString());
    assertEquals(2, r.runs(), "both runs read");
    List<String> diff =
        TestTelemetry.differences(
            TestTelemetry.diagnostics(spark, expected),
            "a",
            TestTelemetry.diagnostics(spark, out),
            "a",
            0);
    assertTrue(diff.isEmpty(), String.join("\n", diff));
    assertEquals(
        "false",
        spark.conf().get("spark.sql.files.ignoreCorruptFiles"),
        "the session's conf is restored");
  }

  /**
   * The nightly reads the telemetry inside its audited block: a contract error leaves a FAILED
   * audit row.
   */
  @Test
  void aContractErrorDuringTheNightlyIsAudited() {
    SparkSession spark = SparkTest.spark();
    Path root = variant("nightly-missing-column", "layers", df -> df.drop("fan_in"));
    OutputTables out =
        OutputTables.at(spark, root.resolveSibling("nightly-missing-column-out").toString());
    ContractException e =
        assertThrows(
            ContractException.class,
            () ->
                new NightlyAction(
                        spark,
                        TelemetrySource.folder(root.toString()),
                        out,
                        Settings.defaults().with(Map.of("catalog.database", "")),
                        true)
                    .execute());
    assertEquals("CONTRACT.MISSING_COLUMN", e.errorClass());
    assertEquals(2, e.exitStatus());
    List<Row> audit = out.read(OutputTable.NIGHTLY_AUDIT).collectAsList();
    assertEquals(1, audit.size());
    Row row = audit.get(0);
    assertEquals("FAILED", row.getAs("status"));
    assertEquals(root.toString(), row.getAs("telemetry"));
    assertTrue(row.<String>getAs("error").startsWith("CONTRACT.MISSING_COLUMN: "), row.toString());
    assertTrue(row.<String>getAs("error").contains("'fan_in'"), row.toString());
    assertTrue(row.isNullAt(row.fieldIndex("runs_read")), "no stage ran");
    assertFalse(out.exists(OutputTable.DIAGNOSTICS), "nothing written");
  }

  @Test
  void arrayOfDoubleGivesTheSameDiagnosticsAsArrayOfFloat() {
    Map<String, Row> floats = SharedArchive.diagnostics();
    Map<String, Row> doubles = new TreeMap<>(doubleRun());
    doubles.keySet().removeIf(k -> k.startsWith(DOUBLE_ONLY + "/"));
    assertEquals(floats.keySet(), doubles.keySet());
    List<String> diff = new ArrayList<>(TestTelemetry.differences(floats, doubles, 0));
    floats.forEach(
        (k, r) -> {
          Map<String, Double> a = new TreeMap<>(r.getJavaMap(r.fieldIndex("details")));
          Row o = doubles.get(k);
          Map<String, Double> b = new TreeMap<>(o.getJavaMap(o.fieldIndex("details")));
          if (!a.toString().equals(b.toString())) diff.add(k + " details: " + a + " vs " + b);
        });
    assertTrue(diff.isEmpty(), diff.size() + " rows differ:\n" + String.join("\n", diff));
  }

  /**
   * Double values that are not floats are used as doubles: the activations of the selu layer (layer
   * 2) are 0 and 0.09999999999, so percentile 99 - percentile 1 = 0.09999999999 < 0.1 and extreme =
   * 0.8 (spec 4, "otherwise" branch); variance 0.0024 < 0.01 gives distribution 0.3, so s = 0.5 x
   * 0.8 + 0.3 x 0.3 = 0.49. Rounded to float, 0.09999999999 becomes 0.1f = 0.10000000149 > 0.1, and
   * extreme would be 0.
   */
  @Test
  void arrayOfDoublePercentilesAreTakenInDoublePrecision() {
    Map<String, Row> d = doubleRun();
    Row layer = d.get(DOUBLE_ONLY + "/0/2/activation_saturation");
    assertEquals(
        0.8,
        (double) layer.getJavaMap(layer.fieldIndex("details")).get("extreme"),
        1e-12,
        layer.toString());
    assertEquals(0.49, (double) layer.getAs("value"), 1e-12, layer.toString());
    Row network = d.get(DOUBLE_ONLY + "/0/-/activation_saturation");
    assertEquals(1.1 * 0.49 / 1.5, (double) network.getAs("value"), 1e-12, network.toString());
    assertEquals("CRITICAL", network.getAs("status"));
  }

  private static final String DOUBLE_ONLY = "dbl";
  private static Map<String, Row> doubles;

  /** The shared archive with ARRAY<DOUBLE> values, plus run "dbl" whose values are not floats. */
  private static synchronized Map<String, Row> doubleRun() {
    if (doubles != null) return doubles;
    SparkSession spark = SparkTest.spark();
    Path work = SparkTest.tempDir("doubles");
    TestTelemetry t = SharedArchive.telemetry();
    t.runRow(DOUBLE_ONLY).layerRows(DOUBLE_ONLY).epochRows(DOUBLE_ONLY);
    Path root = t.write(spark, work.resolve("telemetry"), 1);
    Double[] v = new Double[TestTelemetry.SAMPLES * 3];
    for (int i = 0; i < v.length; i++) v[i] = i % 2 == 0 ? 0.0 : 0.09999999999;
    StructType schema =
        new StructType()
            .add("run_id", DataTypes.StringType)
            .add("epoch", DataTypes.IntegerType)
            .add("layer", DataTypes.IntegerType)
            .add("kind", DataTypes.StringType)
            .add("chunk", DataTypes.IntegerType)
            .add("rows", DataTypes.IntegerType)
            .add("cols", DataTypes.IntegerType)
            .add("values", DataTypes.createArrayType(DataTypes.DoubleType));
    Dataset<Row> extra =
        spark.createDataFrame(
            List.of(
                RowFactory.create(
                    DOUBLE_ONLY, 0, 2, "activations", 0, TestTelemetry.SAMPLES, 3, v)),
            schema);
    Fixtures.write(
        t.tensorsFrame(spark)
            .withColumn("values", col("values").cast("array<double>"))
            .unionByName(extra)
            .repartition(1),
        root.resolve("tensors"),
        "parquet");
    Telemetry telemetry = Telemetry.fromFolder(spark, root.toString());
    assertEquals(
        DataTypes.DoubleType,
        ((ArrayType) telemetry.tensors().schema().apply("values").dataType()).elementType());
    DiagnosticsStage.run(
        telemetry,
        OutputTables.at(spark, work.resolve("out").toString()),
        Settings.defaults(),
        false);
    doubles = TestTelemetry.diagnostics(spark, work.resolve("out"));
    return doubles;
  }

  // ---- helpers ---------------------------------------------------------------------------------

  /** The diagnostics of the telemetry under {@code telemetry}, computed into {@code out}. */
  private static DiagnosticsAction.Result diagnose(Path telemetry, Path out) {
    SparkSession spark = SparkTest.spark();
    return DiagnosticsStage.run(
        Telemetry.fromFolder(spark, telemetry.toString()),
        OutputTables.at(spark, out.toString()),
        Settings.defaults(),
        false);
  }

  private static void assertMentions(ContractException e, String... parts) {
    for (String p : parts)
      assertTrue(
          e.getMessage().contains(p), "message '" + e.getMessage() + "' should mention " + p);
  }

  /** A copy of the valid telemetry with {@code table} rewritten by {@code change}. */
  private static Path variant(String name, String table, UnaryOperator<Dataset<Row>> change) {
    SparkSession spark = SparkTest.spark();
    Path root = copy(name);
    Dataset<Row> df = spark.read().parquet(base.resolve(table).toString());
    delete(root.resolve(table));
    Fixtures.write(change.apply(df), root.resolve(table), "parquet");
    return root;
  }

  private static Path copy(String name) {
    Path root = base.resolveSibling(name);
    TestFiles.copyTree(base, root);
    return root;
  }

  private static void delete(Path dir) {
    TestFiles.deleteTree(dir);
  }
}
