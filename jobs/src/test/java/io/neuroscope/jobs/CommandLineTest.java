package io.neuroscope.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.neuroscope.diagnostics.Settings;
import io.neuroscope.jobs.cli.SettingsSources;
import io.neuroscope.jobs.error.UsageException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The command line's usage errors, which throw before a SparkSession is created, and the settings'
 * precedence. (A valid command line is not run here: NeuroScope.run stops the session in a finally
 * block, which would stop the test JVM's shared session.)
 */
class CommandLineTest {

  @Test
  void unknownCommand() {
    assertUsageError("unknown command 'analyze'", "analyze", "--telemetry", "/t", "--output", "/o");
  }

  @Test
  void missingOutput() {
    assertUsageError("--output PATH is required", "diagnostics", "--telemetry", "/t");
  }

  @Test
  void neitherTelemetryOption() {
    assertUsageError(
        "give one of --telemetry PATH or --telemetry-db DATABASE", "diagnostics", "--output", "/o");
  }

  @Test
  void bothTelemetryOptions() {
    assertUsageError(
        "give one of --telemetry PATH or --telemetry-db DATABASE",
        "diagnostics",
        "--telemetry",
        "/t",
        "--telemetry-db",
        "db",
        "--output",
        "/o");
  }

  @Test
  void nightlyAndSummariesTakeTheJobOptions() {
    assertUsageError("--output PATH is required", "nightly", "--telemetry", "/t");
    assertUsageError(
        "--output PATH is required", "nightly", "--full", "--telemetry", "/t"); // a flag, no value
    assertUsageError(
        "unknown option '--full'",
        "diagnostics",
        "--full",
        "--telemetry",
        "/t"); // diagnostics is always full
    assertUsageError(
        "give one of --telemetry PATH or --telemetry-db DATABASE", "summaries", "--output", "/o");
  }

  @Test
  void compareNeedsRunsOrAnExperimentAndATable() {
    assertUsageError(
        "give one of --run ID (repeatable) or --runs a,b[,c...] or --experiment NAME",
        "compare",
        "--output",
        "/o");
    assertUsageError(
        "give one of --run ID (repeatable) or --runs a,b[,c...] or --experiment NAME",
        "compare",
        "--runs",
        "a",
        "--experiment",
        "x");
    assertError(
        "no run_summary table at /no/such/output/run_summary",
        "compare",
        "--output",
        "/no/such/output",
        "--runs",
        "a,b");
  }

  /** A run id may hold a comma: --run names one run and repeats. */
  @Test
  void compareTakesRepeatableRunIds() {
    assertError(
        "no run_summary table at /no/such/output/run_summary",
        "compare",
        "--output",
        "/no/such/output",
        "--run",
        "lr=0.1,bs=32",
        "--run",
        "b");
  }

  @Test
  void summariesWithoutADiagnosticsTable() {
    String telemetry = SharedArchive.root().resolve("telemetry").toString();
    assertError(
        "no diagnostics table at /no/such/output/diagnostics",
        "summaries",
        "--telemetry",
        telemetry,
        "--output",
        "/no/such/output");
  }

  @Test
  void unknownOption() {
    assertUsageError(
        "unknown option '--outptu'", "diagnostics", "--telemetry", "/t", "--outptu", "/o");
  }

  @Test
  void optionWithoutValue() {
    assertUsageError("bad argument '--output'", "diagnostics", "--telemetry", "/t", "--output");
  }

  @Test
  void unreadableConfFile() {
    UsageException e =
        assertThrows(
            UsageException.class,
            () ->
                NeuroScope.run(
                    new String[] {
                      "diagnostics",
                      "--telemetry",
                      "/t",
                      "--output",
                      "/o",
                      "--conf",
                      "/no/such/neuroscope.properties"
                    }));
    assertTrue(
        e.getMessage().startsWith("cannot read --conf /no/such/neuroscope.properties"),
        e.getMessage());
  }

  @Test
  void everyCommandReadsSetAndConf() {
    for (String[] args :
        List.of(
            new String[] {
              "compare",
              "--runs",
              "a",
              "--output",
              "/no/such/output",
              "--set",
              "dead_neuron.warning_above=5"
            },
            new String[] {
              "report", "--html", "/tmp/r.html", "--set", "dead_neuron.warning_above=5"
            },
            new String[] {"sql", "SELECT 1", "--set", "dead_neuron.warning_above=5"})) {
      UsageException e = assertThrows(UsageException.class, () -> NeuroScope.run(args), args[0]);
      assertEquals("USAGE.BAD_SETTING", e.errorClass(), args[0] + ": " + e.getMessage());
      assertTrue(e.getMessage().contains("dead_neuron.warning_above"), e.getMessage());
    }
    UsageException e =
        assertThrows(
            UsageException.class,
            () ->
                NeuroScope.run(
                    new String[] {
                      "compare", "--runs", "a", "--conf", "/no/such/neuroscope.properties"
                    }));
    assertEquals("USAGE.UNREADABLE_CONF", e.errorClass());
  }

  @Test
  void sqlNeedsAQuery() {
    assertUsageError("sql expects a query", "sql", "--output", "/o");
  }

  @Test
  void helpAndNoArguments() {
    assertEquals(0, NeuroScope.run(new String[] {"--help"}));
    assertEquals(2, NeuroScope.run(new String[0]));
  }

  @Test
  void setOverridesTheConfFileWhichOverridesTheDefaults() {
    Settings s =
        SettingsSources.settings(
            Map.of("dead_neurons.warning_above", "12", "history.length", "40"),
            SparkTest.spark(),
            List.of("dead_neurons.warning_above=15", " plateau.healthy_below = 0.25 "));
    assertEquals(15.0, s.get("dead_neurons.warning_above"), "--set over the conf file");
    assertEquals(40, s.integer("history.length"), "the conf file over the default 50");
    assertEquals(0.25, s.get("plateau.healthy_below"), "--set over the default, trimmed");
    assertEquals(
        30.0, s.get("dead_neurons.critical_above"), "the default where nothing overrides it");
  }

  @Test
  void noOverridesGiveTheDefaults() {
    assertEquals(
        Settings.defaults().asMap(),
        SettingsSources.settings(Map.of(), SparkTest.spark(), List.of()).asMap());
  }

  @Test
  void badSettingsAreUsageErrors() {
    UsageException e =
        assertThrows(
            UsageException.class,
            () ->
                SettingsSources.settings(
                    Map.of(), SparkTest.spark(), List.of("dead_neurons.warning_above")));
    assertTrue(e.getMessage().contains("--set expects key=value"), e.getMessage());
    e =
        assertThrows(
            UsageException.class,
            () ->
                SettingsSources.settings(
                    Map.of(), SparkTest.spark(), List.of("dead_neuron.warning_above=5")));
    assertTrue(
        e.getMessage().contains("Unknown setting 'dead_neuron.warning_above'"), e.getMessage());
    e =
        assertThrows(
            UsageException.class,
            () ->
                SettingsSources.settings(
                    Map.of("history.length", "fifty"), SparkTest.spark(), List.of()));
    assertTrue(
        e.getMessage().contains("'history.length'") && e.getMessage().contains("fifty"),
        e.getMessage());
  }

  @AfterAll
  static void theSharedSessionIsStillRunning() {
    assertFalse(
        SparkTest.spark().sparkContext().isStopped(),
        "no test may reach the part of run() that stops the session");
  }

  private static void assertError(String message, String... args) {
    UsageException e = assertThrows(UsageException.class, () -> NeuroScope.run(args));
    assertTrue(
        e.getMessage().startsWith(message),
        "message '" + e.getMessage() + "' should start with '" + message + "'");
    assertEquals(2, e.exitStatus());
  }

  private static void assertUsageError(String message, String... args) {
    UsageException e = assertThrows(UsageException.class, () -> NeuroScope.run(args));
    assertEquals(2, e.exitStatus());
    assertTrue(
        e.getMessage().startsWith(message),
        "message '" + e.getMessage() + "' should start with '" + message + "'");
    assertTrue(
        e.getMessage().contains("usage: neuroscope (diagnostics | summaries | nightly [--full])"),
        "the usage follows the reason");
  }
}
