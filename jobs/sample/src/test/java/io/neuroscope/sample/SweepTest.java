package io.neuroscope.sample;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.neuroscope.jobs.SampleTestSupport;
import io.neuroscope.jobs.cli.SqlViews;
import io.neuroscope.jobs.diagnostics.DiagnosticsAction;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The built-in sweep, trained and written once, then read by the diagnostics job: every planted
 * pathology reaches WARNING or CRITICAL on its diagnostic, every healthy baseline stays HEALTHY on
 * all the planted diagnostics, nothing is quarantined, and the demo report prints.
 */
class SweepTest {
  private static final List<Sweep.Run> SWEEP = Sweep.builtIn(0);
  private static String telemetry;
  private static String output;
  private static DiagnosticsAction.Result result;
  private static Map<String, DemoReport.RunVerdicts> verdicts;

  @BeforeAll
  static void generateAndDiagnose() {
    Path dir = SampleTestSupport.tempDir("sweep");
    telemetry = dir.resolve("telemetry").toString();
    output = dir.resolve("output").toString();
    Sweep.generate(SampleTestSupport.spark(), SWEEP, telemetry);
    result = SampleTestSupport.runNightly(telemetry, output).diagnostics();
    verdicts =
        DemoReport.verdicts(SampleTestSupport.spark(), telemetry, output).stream()
            .collect(Collectors.toMap(DemoReport.RunVerdicts::runId, Function.identity()));
  }

  @Test
  void theSweepHasAtLeastTwelveRunsVaryingEveryHyperparameter() {
    assertTrue(SWEEP.size() >= 12, SWEEP.size() + " runs");
    assertTrue(SWEEP.stream().map(Sweep.Run::experiment).distinct().count() >= 2);
    for (String p :
        List.of(
            "learning_rate",
            "batch_size",
            "hidden_activation",
            "init",
            "depth",
            "width",
            "optimizer")) {
      long distinct = SWEEP.stream().map(r -> r.params().get(p)).distinct().count();
      assertTrue(distinct >= 2, p + " does not vary");
    }
    Set<String> planted =
        SWEEP.stream()
            .map(Sweep.Run::planted)
            .filter(p -> p != null)
            .collect(Collectors.toCollection(LinkedHashSet::new));
    assertEquals(
        Set.of(
            "dead_neurons",
            "vanishing_gradients",
            "exploding_gradients",
            "activation_saturation",
            "plateau",
            "overfitting"),
        planted);
    assertTrue(SWEEP.stream().filter(Sweep.Run::baseline).count() >= 2);
  }

  @Test
  void theJobReadsEverythingAndQuarantinesNothing() {
    assertEquals(SWEEP.size(), result.runs());
    assertEquals(SWEEP.stream().mapToLong(r -> r.config().epochs()).sum(), result.epochs());
    assertEquals(0, result.quarantined());
    assertEquals(SWEEP.size(), verdicts.size());
  }

  @Test
  void everyPlantedPathologyReachesWarningOrCritical() {
    for (Sweep.Run run : SWEEP) {
      if (run.planted() == null) continue;
      DemoReport.Verdict v = verdicts.get(run.runId()).verdicts().get(run.planted());
      assertNotNull(v, run.runId());
      assertTrue(v.bad(), run.runId() + " on " + run.planted() + ": worst status " + v.status());
      assertNotNull(v.firstBadEpoch());
    }
  }

  @Test
  void healthyBaselinesStayHealthyOnEveryPlantedDiagnostic() {
    Set<String> planted =
        SWEEP.stream().map(Sweep.Run::planted).filter(p -> p != null).collect(Collectors.toSet());
    for (Sweep.Run run : SWEEP) {
      if (!run.baseline()) continue;
      for (String d : planted) {
        DemoReport.Verdict v = verdicts.get(run.runId()).verdicts().get(d);
        assertEquals(
            "HEALTHY",
            v.status(),
            run.runId() + " on " + d + " (first bad epoch " + v.firstBadEpoch() + ")");
      }
    }
  }

  /**
   * The findings name each planted pathology (as a cause or a symptom) from its first epochs, and
   * leave the healthy baselines HEALTHY.
   */
  @Test
  void plantedPathologiesAreFindingsAndBaselinesHaveNone() {
    Map<String, List<org.apache.spark.sql.Row>> findings =
        DemoReport.findings(SampleTestSupport.spark(), output);
    for (Sweep.Run run : SWEEP) {
      List<org.apache.spark.sql.Row> fs = findings.getOrDefault(run.runId(), List.of());
      if (run.baseline()) assertEquals(List.of(), fs, run.runId() + " is a healthy baseline");
      if (run.planted() == null) continue;
      org.apache.spark.sql.Row f =
          fs.stream()
              .filter(r -> run.planted().equals(r.getAs("problem")))
              .findFirst()
              .orElseThrow(
                  () -> new AssertionError(run.runId() + ": no " + run.planted() + " in " + fs));
      int onset = f.getAs("onset_epoch");
      if (run.planted().equals("overfitting")) {
        // from the epoch of the best validation loss before it was detected
        Map<String, Double> evidence = f.getJavaMap(f.fieldIndex("evidence"));
        assertTrue(
            onset >= 1 && onset < evidence.get("detected_epoch"), run.runId() + " " + evidence);
      } else {
        assertEquals(1, onset, run.runId() + " " + f.getAs("summary"));
      }
    }
  }

  @Test
  void theReportHasOneLinePerRunAndTellsHowToQuery() {
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    DemoReport.print(
        new java.io.PrintStream(bytes, true, java.nio.charset.StandardCharsets.UTF_8),
        DemoReport.verdicts(SampleTestSupport.spark(), telemetry, output),
        DemoReport.findings(SampleTestSupport.spark(), output),
        SWEEP.stream().collect(Collectors.toMap(Sweep.Run::runId, Sweep.Run::note)),
        telemetry,
        output);
    String report = bytes.toString(java.nio.charset.StandardCharsets.UTF_8);
    for (Sweep.Run run : SWEEP) {
      assertTrue(
          report.lines().anyMatch(l -> l.startsWith(run.runId() + " ")),
          "no table line for " + run.runId());
    }
    assertTrue(report.indexOf("Verdicts") < report.indexOf("The spec's statuses"), report);
    assertTrue(
        report.lines().anyMatch(l -> l.matches("  HEALTHY +spirals-relu-d2 .*")),
        "the healthy baseline reads HEALTHY\n" + report);
    assertTrue(report.lines().anyMatch(l -> l.matches("  CRITICAL +moons-sgd-lr1e-5 .*")), report);
    assertTrue(report.contains("saturated activations from epoch 1 in layer"), report);
    assertTrue(report.contains("bin/neuroscope sql"), report);
    assertFalse(report.contains("@null"), report);
  }

  @Test
  void theSqlViewsCoverOutputAndTelemetry() {
    List<String> views = SqlViews.register(SampleTestSupport.spark(), output, telemetry);
    // the nightly's tables in the order users meet them, the two views, the telemetry
    assertEquals(
        List.of(
            "diagnostics",
            "findings",
            "run_summary",
            "experiment_summary",
            "hyperparameter_effects",
            "nightly_audit",
            "nightly_state",
            "diagnostics_wide",
            "run_health",
            "runs",
            "layers",
            "epochs",
            "tensors"),
        views);
    long n =
        SampleTestSupport.spark()
            .sql(
                "SELECT count(*) FROM diagnostics d JOIN runs r USING (run_id)"
                    + " WHERE r.params['optimizer'] = 'sgd'")
            .first()
            .getLong(0);
    assertTrue(n > 0);
    assertTrue(Files.isDirectory(Path.of(telemetry, "tensors", "_delta_log")));
  }
}
