package io.neuroscope.jobs.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.neuroscope.jobs.error.UsageException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The evaluation's figures, by hand on a few labelled runs. */
class EvaluationTest {
  @TempDir Path dir;

  private Map<String, Evaluation.Label> labels() throws Exception {
    Path f = dir.resolve("labels.json");
    Files.writeString(
        f,
        """
        {"runs": {
          "dead":  {"healthy": false, "split": "dev", "problems": [{"problem": "dead_neurons", "onset_epoch": 1}]},
          "late":  {"healthy": false, "split": "dev", "problems": [{"problem": "overfitting", "onset_epoch": 20}]},
          "well":  {"healthy": true,  "split": "dev", "problems": []},
          "well2": {"healthy": true,  "split": "test", "problems": []}
        }}
        """);
    return Evaluation.readLabels(f);
  }

  @Test
  void recallOnsetFalseFindingsAndCleanBaselines() throws Exception {
    Map<String, Map<String, Evaluation.Said>> said =
        Map.of(
            "dead",
            Map.of(
                "dead_neurons", new Evaluation.Said(2, null),
                // a symptom of the planted cause is not a false finding
                "weight_update_ratio", new Evaluation.Said(3, "dead_neurons"),
                // a finding neither planted nor explained by it is
                "gradient_snr", new Evaluation.Said(1, null)),
            "late",
            Map.of("overfitting", new Evaluation.Said(10, null)),
            "well2",
            Map.of("plateau", new Evaluation.Said(15, null)));
    Evaluation.Figures f = Evaluation.measure(labels(), said, true);
    assertEquals(4, f.runs());
    // dead: found, onset 2 within 2 of 1; overfitting: found, onset 10 not within 2 of 20
    assertEquals(1.0, f.recall("dead_neurons"));
    assertEquals(1, f.perProblem().get("dead_neurons")[2]);
    assertEquals(0, f.perProblem().get("overfitting")[2]);
    assertEquals(2, f.runsWithFalse(), "dead (gradient_snr) and well2 (plateau)");
    assertEquals(2, f.falseFindings());
    assertEquals(2, f.healthy());
    assertEquals(1, f.healthyClean());
    // the spec's statuses know no symptoms: the update ratio counts against them
    assertEquals(3, Evaluation.measure(labels(), said, false).falseFindings());
  }

  @Test
  void aLabelNamingAnUnknownProblemIsAUsageError() throws Exception {
    Path f = dir.resolve("bad.json");
    Files.writeString(f, "{\"runs\": {\"r\": {\"problems\": [\"dead_relus\"]}}}");
    UsageException e = assertThrows(UsageException.class, () -> Evaluation.readLabels(f));
    assertTrue(e.getMessage().contains("dead_relus"), e.getMessage());
    Files.writeString(f, "[1, 2]");
    assertThrows(UsageException.class, () -> Evaluation.readLabels(f));
  }
}
