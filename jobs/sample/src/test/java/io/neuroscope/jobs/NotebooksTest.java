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
          List.of("diagnostics", "run_summary", "experiment_summary", "hyperparameter_effects")) {
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
      runZeppelinStatements(nb, cell);
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
