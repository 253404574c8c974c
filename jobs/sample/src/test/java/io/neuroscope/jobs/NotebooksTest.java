package io.neuroscope.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.DynamicContainer.dynamicContainer;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import com.fasterxml.jackson.databind.JsonNode;
import io.neuroscope.jobs.Notebooks.Cell;
import io.neuroscope.jobs.Notebooks.Notebook;
import io.neuroscope.jobs.Notebooks.Widget;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Every notebook under {@code notebooks/} imports and runs: each file found in {@code
 * notebooks/databricks/} and {@code notebooks/zeppelin/} is read as its format requires ({@link
 * Notebooks}), and each of its SQL statements runs on the test session over the demo's tables
 * ({@link DemoArchive}: the demo's runs, then the nightly job), with the widgets (Databricks,
 * {@code :name}) and forms (Zeppelin, {@code ${name=default}}) at their defaults, except the two
 * that say where the tables are ({@link #locations}). A query must return rows unless its cell has
 * a line {@value #MAY_BE_EMPTY}{@code : why}. A query cell names its chart in a line {@code --
 * Chart: ...}; a Zeppelin chart's columns must be the query's. A new notebook is covered by adding
 * its file.
 */
class NotebooksTest {
  /** A cell holding this line may return no rows. */
  static final String MAY_BE_EMPTY = "-- may be empty";

  private static final String TELEMETRY_DATABASE = DemoArchive.DATABASE + "_telemetry";
  private static boolean registered;

  /**
   * The widgets and forms that locate the tables: the demo archive's databases. All others keep
   * their defaults.
   */
  private static Map<String, String> locations() {
    return Map.of("database", DemoArchive.DATABASE, "telemetry", TELEMETRY_DATABASE);
  }

  /**
   * The demo archive, its output registered by the nightly job and its telemetry tables in {@code
   * *_telemetry}.
   */
  private static synchronized SparkSession spark() {
    SparkSession spark = DemoArchive.spark();
    if (!registered) {
      String telemetry = DemoArchive.telemetry();
      spark.sql("CREATE DATABASE IF NOT EXISTS " + TELEMETRY_DATABASE);
      for (String t : List.of("runs", "layers", "epochs", "tensors")) {
        spark.sql(
            "CREATE TABLE IF NOT EXISTS "
                + TELEMETRY_DATABASE
                + "."
                + t
                + " USING delta LOCATION '"
                + Path.of(telemetry, t).toUri()
                + "'");
      }
      // the cells read these again and again: from memory, not from their files (same rows, a third
      // of the time)
      for (String t :
          List.of(
              "diagnostics",
              "findings",
              "run_summary",
              "experiment_summary",
              "hyperparameter_effects")) {
        spark.sql("CACHE TABLE " + DemoArchive.DATABASE + "." + t);
      }
      registered = true;
    }
    return spark;
  }

  @Test
  void everyNotebookComesInBothFormats() {
    Set<String> databricks =
        Notebooks.files("databricks", "sql", "py", "scala", "r").stream()
            .map(f -> Notebooks.databricks(f).baseName())
            .collect(Collectors.toCollection(TreeSet::new));
    Set<String> zeppelin =
        Notebooks.files("zeppelin", "zpln").stream()
            .map(f -> Notebooks.zeppelin(f).baseName())
            .collect(Collectors.toCollection(TreeSet::new));
    assertTrue(databricks.size() >= 4, "notebooks found: " + databricks);
    assertEquals(
        databricks,
        zeppelin,
        "each Databricks notebook has a Zeppelin note of the same name and back");
  }

  @TestFactory
  Stream<DynamicNode> databricksNotebooks() {
    return Notebooks.files("databricks", "sql", "py", "scala", "r").stream()
        .map(
            file -> {
              Notebook nb = Notebooks.databricks(file);
              List<DynamicNode> tests = new ArrayList<>();
              tests.add(dynamicTest("format", () -> assertFormat(nb)));
              for (Cell cell : nb.cells()) {
                if (cell.language().equals("sql"))
                  tests.add(dynamicTest(cell.label(), () -> runDatabricks(nb, cell)));
              }
              return dynamicContainer(nb.name(), tests);
            });
  }

  @TestFactory
  Stream<DynamicNode> zeppelinNotes() {
    return Notebooks.files("zeppelin", "zpln").stream()
        .map(
            file -> {
              Notebook nb = Notebooks.zeppelin(file);
              List<DynamicNode> tests = new ArrayList<>();
              tests.add(dynamicTest("format", () -> assertFormat(nb)));
              for (Cell cell : nb.cells()) {
                if (cell.language().equals("sql"))
                  tests.add(dynamicTest(cell.label(), () -> runZeppelin(nb, cell)));
              }
              return dynamicContainer(nb.name(), tests);
            });
  }

  /**
   * Readable as its format; opens with a markdown title; has SQL; every query cell names its chart.
   */
  private static void assertFormat(Notebook nb) {
    assertEquals(List.of(), nb.problems(), nb.name());
    assertFalse(nb.cells().isEmpty(), nb.name() + " has no cells");
    Cell first = nb.cells().get(0);
    assertTrue(
        first.language().equals("md") && first.text().strip().startsWith("# "),
        nb.name() + ": the first cell is a markdown title");
    assertTrue(
        nb.cells().stream().anyMatch(c -> c.language().equals("sql")),
        nb.name() + " has no SQL cell");
    for (Cell c : nb.cells()) {
      if (!c.language().equals("sql")) continue;
      boolean query = Notebooks.statements(c.text()).stream().anyMatch(Notebooks::isQuery);
      if (query) {
        assertTrue(
            c.text().lines().anyMatch(l -> l.startsWith("-- Chart: ")),
            nb.name() + " " + c.label() + ": no '-- Chart: ...' line");
      }
    }
  }

  private static void runDatabricks(Notebook nb, Cell cell) {
    Map<String, Object> args = new LinkedHashMap<>();
    Notebooks.widgets(nb)
        .forEach((name, w) -> args.put(name, locations().getOrDefault(name, w.defaultValue())));
    for (String statement : Notebooks.statements(cell.text())) {
      Widget widget = Notebooks.createWidget(statement);
      if (widget != null) {
        assertChoicesHoldTheDefault(nb, widget);
      } else {
        run(nb, cell, statement, args);
      }
    }
  }

  private static void runZeppelin(Notebook nb, Cell cell) {
    runZeppelin(nb, cell, locations());
  }

  /**
   * Runs a Zeppelin SQL paragraph as Zeppelin would after the note's Forms paragraph ({@code
   * %spark}): that paragraph's work is done here the same way (through the catalog and a one-row
   * view, never SQL text), with the forms at {@code values} or their defaults.
   */
  private static void runZeppelin(Notebook nb, Cell cell, Map<String, String> values) {
    assertFalse(
        cell.text().contains("${"),
        nb.name()
            + " "
            + cell.label()
            + ": a form pasted into SQL text (read it in the Forms paragraph)");
    withZeppelinForms(
        nb,
        values,
        () -> {
          runZeppelinStatements(nb, cell);
          return null;
        });
  }

  /**
   * Does the work of the note's Forms paragraph with the forms at {@code values} or their defaults,
   * then {@code body}.
   */
  private static <T> T withZeppelinForms(
      Notebook nb, Map<String, String> values, java.util.function.Supplier<T> body) {
    SparkSession spark = spark();
    Map<String, String> forms = Notebooks.zeppelinForms(nb);
    assertTrue(
        forms.containsKey("database"), nb.name() + ": no Forms paragraph reading 'database'");
    Map<String, String> at = new LinkedHashMap<>();
    forms.forEach((name, defaultValue) -> at.put(name, values.getOrDefault(name, defaultValue)));
    spark.catalog().setCurrentDatabase(at.get("database"));
    try {
      if (at.containsKey("telemetry")) {
        for (String t : List.of("runs", "layers", "epochs", "tensors")) {
          spark
              .table("`" + at.get("telemetry") + "`." + t)
              .createOrReplaceTempView("ns_telemetry_" + t);
        }
      }
      List<String> names = new ArrayList<>(at.keySet());
      names.removeAll(List.of("database", "telemetry"));
      if (!names.isEmpty()) {
        org.apache.spark.sql.types.StructType schema = new org.apache.spark.sql.types.StructType();
        for (String n : names) schema = schema.add(n, "string");
        spark
            .createDataFrame(
                List.of(
                    org.apache.spark.sql.RowFactory.create(names.stream().map(at::get).toArray())),
                schema)
            .createOrReplaceTempView("ns_forms");
      }
      return body.get();
    } finally {
      spark.catalog().setCurrentDatabase("default");
    }
  }

  private static void runZeppelinStatements(Notebook nb, Cell cell) {
    String sql = cell.text();
    List<String> statements = Notebooks.statements(sql);
    String[] columns = null;
    for (String statement : statements) columns = run(nb, cell, statement, null);
    JsonNode graph = cell.zeppelinConfig().path("results").path("0").path("graph");
    if (columns != null && !graph.path("mode").asText().equals("table")) {
      for (String part : List.of("keys", "groups", "values")) {
        for (JsonNode ref : graph.path(part)) {
          int index = ref.path("index").asInt(-1);
          String name = ref.path("name").asText();
          assertTrue(
              index >= 0 && index < columns.length && columns[index].equals(name),
              nb.name()
                  + " "
                  + cell.label()
                  + ": chart "
                  + part
                  + " "
                  + name
                  + " at "
                  + index
                  + " is not a column of "
                  + String.join(", ", columns));
        }
      }
    }
  }

  /** The titles of the cells that lead the overview and the comparison with the findings. */
  static final String VERDICTS = "Verdicts: how many runs are sick";

  static final String SICK_RUNS = "The sick runs and their findings";
  static final String CHOSEN_FINDINGS = "The chosen runs: verdicts and findings";

  /**
   * The overview opens with the verdicts: runs counted by verdict (the healthy baseline among the
   * HEALTHY ones), then the sick runs, each with its causes in words as the {@code findings} table
   * has them; the planted dying-ReLU run among them, the baseline not.
   */
  @Test
  void theOverviewLeadsWithTheVerdictsAndTheSickRunsFindings() {
    for (Notebook nb : notebooks("01_overview")) {
      assertEquals(List.of(VERDICTS, SICK_RUNS), queryCellTitles(nb).subList(0, 2), nb.name());

      Map<String, Row> byVerdict = new LinkedHashMap<>();
      for (Row r : rows(nb, VERDICTS, Map.of())) byVerdict.put(r.getAs("verdict"), r);
      List<String> verdicts = new ArrayList<>(byVerdict.keySet());
      assertTrue(
          verdicts.contains("CRITICAL") && verdicts.contains("HEALTHY"), nb.name() + verdicts);
      assertEquals(
          verdicts.stream()
              .sorted(
                  java.util.Comparator.comparingInt(
                      v -> -List.of("HEALTHY", "WARNING", "CRITICAL").indexOf(v)))
              .toList(),
          verdicts,
          nb.name() + ": sick first");
      assertEquals(
          DemoArchive.sweep().size(),
          byVerdict.values().stream().mapToLong(r -> r.<Long>getAs("runs")).sum(),
          nb.name() + ": every run counted once");
      assertTrue(
          byVerdict
              .get("HEALTHY")
              .getList(byVerdict.get("HEALTHY").fieldIndex("run_ids"))
              .contains("spirals-relu-d2"),
          nb.name() + ": the healthy baseline is HEALTHY");

      Map<String, Row> sick = new LinkedHashMap<>();
      for (Row r : rows(nb, SICK_RUNS, Map.of())) sick.put(r.getAs("run_id"), r);
      List<String> ranks = List.of("WARNING", "CRITICAL");
      List<String> order = sick.values().stream().map(r -> r.<String>getAs("verdict")).toList();
      for (int i = 0; i < order.size(); i++) {
        assertTrue(ranks.contains(order.get(i)), nb.name() + ": a sick run is " + order.get(i));
        if (i > 0)
          assertTrue(
              ranks.indexOf(order.get(i)) <= ranks.indexOf(order.get(i - 1)),
              nb.name() + ": CRITICAL first " + order);
      }
      assertFalse(sick.containsKey("spirals-relu-d2"), nb.name() + ": the baseline is not sick");
      String run = "moons-relu-sgd-lr2.0";
      Row planted = sick.get(run);
      assertTrue(
          planted != null, nb.name() + ": the planted run is among the sick: " + sick.keySet());
      assertEquals("CRITICAL", planted.getAs("verdict"), nb.name());
      List<String> causes = planted.getList(planted.fieldIndex("causes"));
      List<String> expected =
          findings(run).stream()
              .filter(f -> f.<String>getAs("role").equals("cause"))
              .map(f -> f.<String>getAs("severity") + ": " + f.<String>getAs("summary"))
              .sorted()
              .toList();
      assertFalse(expected.isEmpty(), run + " has a cause finding");
      assertEquals(
          expected, causes.stream().sorted().toList(), nb.name() + ": the causes in words");

      Map<String, String> one = Map.of("experiment", "moons-mlp");
      for (Row r : rows(nb, SICK_RUNS, one))
        assertEquals("moons-mlp", r.getAs("experiment"), nb.name() + ": one experiment");
    }
  }

  /**
   * The comparison opens with the chosen runs' verdicts and findings: the planted run's cause and
   * symptoms with their onsets, the baseline's one line 'no finding'.
   */
  @Test
  void theComparisonLeadsWithTheChosenRunsFindings() {
    for (Notebook nb : notebooks("02_compare_runs")) {
      assertEquals(CHOSEN_FINDINGS, queryCellTitles(nb).get(0), nb.name());
      List<Row> rows =
          rows(nb, CHOSEN_FINDINGS, Map.of("runs", "moons-relu-sgd-lr2.0, spirals-relu-d2"));
      List<Row> planted =
          rows.stream().filter(r -> r.getAs("run_id").equals("moons-relu-sgd-lr2.0")).toList();
      List<Row> expected = findings("moons-relu-sgd-lr2.0");
      assertEquals(expected.size(), planted.size(), nb.name() + ": a row per finding");
      for (Row r : planted) {
        assertEquals("CRITICAL", r.getAs("verdict"), nb.name());
        Row f =
            expected.stream()
                .filter(e -> e.getAs("problem").equals(r.getAs("problem")))
                .findFirst()
                .orElseThrow();
        assertEquals(f.<Object>getAs("onset_epoch"), r.getAs("onset_epoch"), nb.name());
        assertEquals(f.<Object>getAs("summary"), r.getAs("summary"), nb.name());
        assertEquals(f.<Object>getAs("role"), r.getAs("role"), nb.name());
      }
      assertEquals("cause", planted.get(0).getAs("role"), nb.name() + ": a cause first");
      List<Row> baseline =
          rows.stream().filter(r -> r.getAs("run_id").equals("spirals-relu-d2")).toList();
      assertEquals(1, baseline.size(), nb.name() + ": the baseline has one line");
      assertEquals("HEALTHY", baseline.get(0).getAs("verdict"), nb.name());
      assertEquals("no finding", baseline.get(0).getAs("summary"), nb.name());
    }
  }

  /** The notebook of that name in both formats. */
  private static List<Notebook> notebooks(String baseName) {
    List<Notebook> out = new ArrayList<>();
    Notebooks.files("databricks", "sql").stream()
        .map(Notebooks::databricks)
        .filter(n -> n.baseName().equals(baseName))
        .forEach(out::add);
    Notebooks.files("zeppelin", "zpln").stream()
        .map(Notebooks::zeppelin)
        .filter(n -> n.baseName().equals(baseName))
        .forEach(out::add);
    assertEquals(2, out.size(), baseName + " in both formats");
    return out;
  }

  /** The titles of the cells that query, in order. */
  private static List<String> queryCellTitles(Notebook nb) {
    return nb.cells().stream()
        .filter(c -> c.language().equals("sql"))
        .filter(c -> Notebooks.statements(c.text()).stream().anyMatch(Notebooks::isQuery))
        .map(Cell::title)
        .toList();
  }

  /**
   * The rows of the titled cell's query, with the widgets or forms at {@code values}, else at
   * {@link #locations} or their defaults.
   */
  private static List<Row> rows(Notebook nb, String title, Map<String, String> values) {
    Cell cell =
        nb.cells().stream()
            .filter(c -> c.title().equals(title))
            .findFirst()
            .orElseThrow(() -> new AssertionError(nb.name() + ": no cell '" + title + "'"));
    String query =
        Notebooks.statements(cell.text()).stream()
            .filter(Notebooks::isQuery)
            .reduce((a, b) -> b)
            .orElseThrow();
    Map<String, String> at = new LinkedHashMap<>(locations());
    at.putAll(values);
    if (nb.format().equals("databricks")) {
      Map<String, Object> args = new LinkedHashMap<>();
      Notebooks.widgets(nb)
          .forEach((name, w) -> args.put(name, at.getOrDefault(name, w.defaultValue())));
      return spark().sql(query, args).collectAsList();
    }
    return withZeppelinForms(nb, at, () -> spark().sql(query).collectAsList());
  }

  /** The run's rows of the demo's {@code findings} table. */
  private static List<Row> findings(String run) {
    return spark()
        .table(DemoArchive.DATABASE + ".findings")
        .where(org.apache.spark.sql.functions.col("run_id").equalTo(run))
        .collectAsList();
  }

  /**
   * A value with a quote, or SQL, is a value: every paragraph of the overview still runs (pasted
   * into SQL text, the quote ended the string literal).
   */
  @Test
  void zeppelinFormValuesAreValuesNotSql() {
    Notebook nb =
        Notebooks.files("zeppelin", "zpln").stream()
            .map(Notebooks::zeppelin)
            .filter(n -> n.baseName().equals("01_overview"))
            .findFirst()
            .orElseThrow();
    Map<String, String> hostile = new LinkedHashMap<>(locations());
    hostile.put("experiment", "it's' OR '1'='1");
    for (Cell cell : nb.cells()) {
      if (!cell.language().equals("sql")) continue;
      // as Zeppelin sends the paragraph: any form left in its text gets the hostile value
      String sql = Notebooks.substituteForms(cell.text(), hostile, new LinkedHashMap<>());
      for (String statement : Notebooks.statements(sql)) {
        if (!Notebooks.isQuery(statement)) continue;
        spark().catalog().setCurrentDatabase(hostile.get("database"));
        try {
          spark()
              .createDataFrame(
                  List.of(org.apache.spark.sql.RowFactory.create(hostile.get("experiment"))),
                  new org.apache.spark.sql.types.StructType().add("experiment", "string"))
              .createOrReplaceTempView("ns_forms");
          spark().sql(statement).collectAsList(); // a value: no parse error from its quote
        } finally {
          spark().catalog().setCurrentDatabase("default");
        }
      }
    }
  }

  /**
   * Runs one statement; a query's rows are all fetched, and must be there unless the cell may be
   * empty.
   */
  private static String[] run(Notebook nb, Cell cell, String statement, Map<String, Object> args) {
    SparkSession spark = spark();
    String where = nb.name() + " " + cell.label();
    List<Row> rows;
    Dataset<Row> result;
    try {
      result = args == null ? spark.sql(statement) : spark.sql(statement, args);
      rows = Notebooks.isQuery(statement) ? result.collectAsList() : null;
    } catch (RuntimeException e) {
      return fail(where + " fails: " + e.getMessage() + "\n" + statement, e);
    }
    if (rows != null && !cell.text().contains(MAY_BE_EMPTY)) {
      assertFalse(
          rows.isEmpty(),
          where
              + " returns no rows (mark the cell '"
              + MAY_BE_EMPTY
              + ": why' if that is right)\n"
              + statement);
    }
    return result.columns();
  }

  /** A dropdown's choices are a query that runs and holds the default. */
  private static void assertChoicesHoldTheDefault(Notebook nb, Widget w) {
    if (w.choicesQuery() == null) return;
    List<String> choices =
        spark().sql(w.choicesQuery()).collectAsList().stream().map(r -> r.getString(0)).toList();
    assertTrue(
        choices.contains(w.defaultValue()),
        nb.name()
            + ": widget "
            + w.name()
            + " default '"
            + w.defaultValue()
            + "' is not among its choices "
            + choices);
  }
}
