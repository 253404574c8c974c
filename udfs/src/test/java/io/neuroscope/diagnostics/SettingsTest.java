package io.neuroscope.diagnostics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SettingsTest {
  private static final Settings S = Settings.defaults();

  @ParameterizedTest(name = "{0} = {1}")
  @CsvSource({
    "history.length,                           50",
    "dead_neurons.relu.zero_tolerance,         1e-8",
    "dead_neurons.relu.dead_threshold,         0.90",
    "dead_neurons.leaky_relu.zero_tolerance,   1e-6",
    "dead_neurons.default.zero_tolerance,      1e-7",
    "dead_neurons.default.dead_threshold,      0.85",
    "dead_neurons.critical_above,              30",
    "dead_neurons.warning_above,               10",
    "vanishing_gradients.min_input_variance,   1e-12",
    "vanishing_gradients.ratio_max_severity,   0.8",
    "vanishing_gradients.rms_critical_below,   1e-7",
    "vanishing_gradients.rms_warning_severity, 0.4",
    "exploding_gradients.total_high,           10",
    "exploding_gradients.total_moderate_weight, 0.6",
    "exploding_gradients.layer_max_severity,   0.5",
    "exploding_gradients.healthy_below,        0.1",
    "activation_saturation.sigmoid.variance_severe, 0.02",
    "activation_saturation.relu.extreme_high,  10",
    "activation_saturation.depth_weight_step,  0.1",
    "activation_saturation.normalizer,         1.5",
    "activation_saturation.warning_below,      0.25",
    "gradient_snr.min_magnitude,               1e-10",
    "gradient_snr.healthy_above,               1.5",
    "gradient_snr.warning_above,               0.4",
    "weight_update_ratio.healthy_low,          1e-3",
    "weight_update_ratio.warning_high,         5e-2",
    "plateau.min_history,                      15",
    "plateau.window_medium_weight,             0.4",
    "plateau.normalized_slope_below,           1e-4",
    "plateau.effect_strong_score,              0.3",
    "plateau.gradient_strong_score,            0.25",
    "plateau.validation_relvar_weak,           1e-2",
    "plateau.warning_below,                    0.5",
    "overfitting.min_validation,               5",
    "overfitting.curve_strong_score,           0.35",
    "overfitting.divergence_weak_score,        0.15",
    "weight_health.dead_fraction_below,        0.1",
    "weight_health.healthy_at_least,           0.8",
    "learning_progress.short_history_value,    0.7",
    "learning_progress.recent_window,          20",
    "learning_progress.decay_moderate_slope,   -0.001",
    "learning_progress.range_unstable_score,   0.1",
    "learning_progress.no_validation_long_score, 0.15",
    "learning_progress.warning_above,          0.25"
  })
  void defaultsEqualTheSpec(String key, double value) {
    assertEquals(value, S.get(key), 0);
  }

  @Test
  void tanhGradientDeadThresholdIsTanhOfOnePointFive() {
    assertEquals(Math.tanh(1.5), S.get("activation_saturation.tanh.gradient_dead_abs"), 0);
  }

  @Test
  void weightHealthReferenceDefaultsToHe() {
    assertEquals("he", S.string("weight_health.reference"));
  }

  @Test
  void overrideChangesOnlyTheNamedKeyAndLeavesTheDefaultsAlone() {
    Settings s = S.with(Map.of("dead_neurons.warning_above", "5"));
    assertEquals(5.0, s.get("dead_neurons.warning_above"));
    assertEquals(30.0, s.get("dead_neurons.critical_above"));
    assertEquals(10.0, S.get("dead_neurons.warning_above"));
    assertEquals(10.0, Settings.defaults().get("dead_neurons.warning_above"));
  }

  @Test
  void overrideValuesAndKeysAreTrimmed() {
    assertEquals(
        0.5, S.with(Map.of(" plateau.healthy_below ", " 0.5 ")).get("plateau.healthy_below"));
  }

  @Test
  void unknownKeyIsRejectedNamingTheKey() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> S.with(Map.of("dead_neurons.warning_abov", "5")));
    assertTrue(e.getMessage().contains("dead_neurons.warning_abov"), e.getMessage());
  }

  @Test
  void nonNumberIsRejectedNamingTheKeyAndValue() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> S.with(Map.of("gradient_snr.healthy_above", "high")));
    assertTrue(e.getMessage().contains("gradient_snr.healthy_above"), e.getMessage());
    assertTrue(e.getMessage().contains("high"), e.getMessage());
  }

  @Test
  void referenceAcceptsOnlyHeOrPerFamily() {
    assertEquals(
        "per_family",
        S.with(Map.of("weight_health.reference", "per_family")).string("weight_health.reference"));
    assertThrows(
        IllegalArgumentException.class, () -> S.with(Map.of("weight_health.reference", "glorot")));
  }

  @Test
  void askingForAnUnknownKeyFails() {
    assertThrows(IllegalArgumentException.class, () -> S.get("no.such.key"));
  }

  @Test
  void integerSettingsMustBeWhole() {
    assertEquals(15, S.integer("plateau.min_history"));
    Settings s = S.with(Map.of("plateau.min_history", "15.5"));
    assertThrows(IllegalArgumentException.class, () -> s.integer("plateau.min_history"));
  }

  /**
   * A family the diagnostics do not read must be named in {@link Settings.Reader#of}; one added to
   * the defaults without that lands here as "diagnostics" and fails, rather than making every
   * change of it recompute the archive's diagnostics.
   */
  @Test
  void everyFamilyCountedAsDiagnosticsIsASpecSectionOrTheHistoryLength() {
    Set<String> diagnosticFamilies = new TreeSet<>(Diagnostics.names());
    diagnosticFamilies.add("history");
    Map<Settings.Reader, Set<String>> families = new TreeMap<>();
    for (String key : S.asMap().keySet()) {
      families
          .computeIfAbsent(Settings.Reader.of(key), r -> new TreeSet<>())
          .add(key.substring(0, key.indexOf('.')));
    }
    assertEquals(diagnosticFamilies, families.get(Settings.Reader.DIAGNOSTICS));
    assertEquals(Set.of("effects", "findings", "summary"), families.get(Settings.Reader.SUMMARIES));
    assertEquals(Set.of("catalog"), families.get(Settings.Reader.CATALOG));
  }

  @Test
  void aKeyIsReadByItsFamilyAndAnUnknownFamilyCountsAsDiagnostics() {
    assertEquals(Settings.Reader.DIAGNOSTICS, Settings.Reader.of("dead_neurons.warning_above"));
    assertEquals(Settings.Reader.SUMMARIES, Settings.Reader.of("findings.cohort.z"));
    assertEquals(Settings.Reader.SUMMARIES, Settings.Reader.of("effects.forest.trees"));
    assertEquals(Settings.Reader.CATALOG, Settings.Reader.of("catalog.database"));
    // a family this code has not seen: the safe side is recomputing the diagnostics
    assertEquals(Settings.Reader.DIAGNOSTICS, Settings.Reader.of("tensor.chunk_rows"));
    assertEquals(Settings.Reader.DIAGNOSTICS, Settings.Reader.of("findingsx.z"));
  }
}
