package io.neuroscope.diagnostics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class DiagnosticsTest {

  @Test
  void namesAreTheTenOfTheSpecInOrder() {
    assertEquals(
        List.of(
            "dead_neurons",
            "vanishing_gradients",
            "exploding_gradients",
            "activation_saturation",
            "gradient_snr",
            "weight_update_ratio",
            "plateau",
            "overfitting",
            "weight_health",
            "learning_progress"),
        Diagnostics.names());
  }

  @Test
  void everyEpochGetsOneNetworkRowPerDiagnostic() {
    Settings s = Settings.defaults();
    EpochTensors empty = Net.layers(s, 3).tensors;
    LossHistory h =
        LossHistory.ofRun(new double[] {1, 0.9}, new Double[2], new Double[2], 50).get(1);
    List<Finding> f = new Diagnostics(s).evaluate(empty, h);
    Map<String, Finding> byName =
        f.stream()
            .filter(Finding::networkLevel)
            .collect(Collectors.toMap(Finding::diagnostic, x -> x));
    assertEquals(10, f.size()); // no tensors: no layer rows
    assertEquals(
        Diagnostics.names().stream().sorted().toList(), byName.keySet().stream().sorted().toList());
    for (String tensorBased :
        List.of(
            "dead_neurons",
            "vanishing_gradients",
            "exploding_gradients",
            "activation_saturation",
            "gradient_snr",
            "weight_update_ratio",
            "weight_health")) {
      assertEquals(Status.UNKNOWN, byName.get(tensorBased).status(), tensorBased);
    }
    assertEquals(Status.HEALTHY, byName.get("plateau").status()); // n < 15: 0, HEALTHY
    assertEquals(Status.UNKNOWN, byName.get("overfitting").status()); // no val at e
    assertEquals(0.7, byName.get("learning_progress").value()); // n < 5
  }
}
