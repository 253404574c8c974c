package io.neuroscope.jobs.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.neuroscope.jobs.report.ReportData.Effect;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The report tells scopes apart by scope_type: an experiment named "all" is not all runs. */
class EffectScopesTest {
  private static Effect effect(
      String scopeType, String scope, String hyperparameter, double strength) {
    return new Effect(
        scopeType,
        scope,
        hyperparameter,
        "numeric",
        "linear",
        "dead_neurons",
        "max",
        10,
        strength,
        strength,
        0.01,
        strength,
        0.01,
        0.0,
        1.0,
        null,
        null,
        null,
        null,
        null);
  }

  @Test
  void anExperimentNamedAllIsNotAllRuns() {
    Map<String, Object> page =
        HtmlReport.effects(
            List.of(
                effect("all", "all", "lr", 0.9),
                effect("experiment", "all", "lr", 0.2),
                effect("experiment", "all", "__proto__", 0.5)));
    assertEquals(List.of("all", "experiment:all"), page.get("scopes"));
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> rows = (List<Map<String, Object>>) page.get("rows");
    assertEquals(3, rows.size(), "each scope keeps its rows");
    assertEquals(
        List.of("all", "experiment:all", "experiment:all"),
        rows.stream().map(r -> r.get("scope")).toList());
  }
}
