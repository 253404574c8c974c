package io.neuroscope.findings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.neuroscope.diagnostics.Status;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RunFindingsTest {
  @Test
  void aHealthyRunHasNoFinding() {
    List<RunFinding> fs = Runs.epochs(30, 0.02).healthy().findings();
    assertEquals(List.of(), fs);
    assertEquals(Status.HEALTHY, Verdict.of(fs));
  }

  @Test
  void oneBadEpochDoesNotMakeAFinding() {
    Runs r =
        Runs.epochs(30, 0.02)
            .healthy()
            .set("exploding_gradients", 7, 0.9, Status.CRITICAL, Map.of());
    assertEquals(List.of(), r.findings());
  }

  @Test
  void deadReluFindingNamesItsOnsetLayerAndShare() {
    Runs r = Runs.epochs(30, 0.02).healthy();
    for (int e = 3; e <= 30; e++) {
      r.set("dead_neurons", e, 40, Status.CRITICAL, Map.of("dead_neurons", 26.0, "neurons", 64.0));
      r.layer("dead_neurons", e, 0, 5, Status.HEALTHY, Map.of());
      r.layer("dead_neurons", e, 1, 20, Status.WARNING, Map.of());
      r.layer("dead_neurons", e, 2, 64, Status.CRITICAL, Map.of());
    }
    RunFinding f = Runs.only(r.findings(), "dead_neurons");
    assertEquals(3, f.onsetEpoch());
    assertEquals(2, f.onsetLayer(), "the worst layer at the onset epoch");
    assertEquals(30, f.lastEpoch());
    assertEquals(28, f.epochs());
    assertEquals(Status.CRITICAL, f.severity());
    assertEquals(Role.CAUSE, f.role());
    assertEquals("dead ReLUs from epoch 3 in layer 2: 64 % of its units", f.summary());
    assertEquals(28.0, f.evidence().get("flagged_epochs"));
    assertEquals(40.0, f.evidence().get("onset_value"));
  }

  @Test
  void tinyUpdatesAfterReluDeathAreASymptom() {
    Runs r = Runs.epochs(30, 0.0).healthy();
    r.set("dead_neurons", 2, 30, 80, Status.CRITICAL);
    r.set("weight_update_ratio", 3, 30, 1e-6, Status.CRITICAL);
    r.set("plateau", 15, 30, 0.7, Status.CRITICAL);
    List<RunFinding> fs = r.findings();
    // the cause first, then its symptoms by onset
    assertEquals(
        List.of("dead_neurons", "plateau", "weight_update_ratio"),
        fs.stream().map(RunFinding::problem).toList());
    assertEquals(Role.CAUSE, fs.get(0).role());
    assertEquals(Role.SYMPTOM, Runs.only(fs, "weight_update_ratio").role());
    assertEquals("dead_neurons", Runs.only(fs, "weight_update_ratio").explainedBy());
    // plateau is explained by the tiny updates, whose root cause is the dead units
    assertEquals("dead_neurons", Runs.only(fs, "plateau").explainedBy());
    assertEquals(
        1,
        Runs.only(fs, "plateau").onsetEpoch(),
        "a plateau starts where the window that showed it starts");
  }

  @Test
  void aSymptomMustNotStartLongBeforeItsCause() {
    Runs r = Runs.epochs(30, 0.0).healthy();
    r.set("weight_update_ratio", 1, 30, 1e-6, Status.CRITICAL);
    r.set("dead_neurons", 10, 30, 80, Status.CRITICAL);
    List<RunFinding> fs = r.findings();
    assertEquals(Role.CAUSE, Runs.only(fs, "weight_update_ratio").role());
    assertEquals(Role.CAUSE, Runs.only(fs, "dead_neurons").role());
  }

  @Test
  void nonFiniteLossIsAFindingFromItsFirstEpoch() {
    Runs r = Runs.epochs(20, 0.02).healthy();
    for (int e = 12; e <= 20; e++) r.losses.put(e, new RunHistory.Losses(Double.NaN, null));
    RunFinding f = Runs.only(r.findings(), Problems.NON_FINITE);
    assertEquals(12, f.onsetEpoch());
    assertNull(f.onsetLayer());
    assertEquals(9, f.epochs());
    assertEquals(Status.CRITICAL, f.severity());
    assertEquals(1.0, f.evidence().get("first_in_train_loss"));
    assertEquals(
        "non-finite values (NaN or Infinity) from epoch 12: first in the train loss", f.summary());
  }

  @Test
  void nonFiniteGradientNamesItsLayerAndExplosionExplainsIt() {
    Runs r = Runs.epochs(20, 0.02).healthy();
    r.set("exploding_gradients", 3, 20, 1.0, Status.CRITICAL);
    r.layer("exploding_gradients", 5, 1, 12.0, Status.CRITICAL, Map.of());
    r.layer("exploding_gradients", 6, 2, Double.NaN, Status.CRITICAL, Map.of());
    r.layer("exploding_gradients", 6, 0, 40.0, Status.CRITICAL, Map.of());
    List<RunFinding> fs = r.findings();
    RunFinding nf = Runs.only(fs, Problems.NON_FINITE);
    assertEquals(6, nf.onsetEpoch());
    assertEquals(2, nf.onsetLayer());
    assertEquals("exploding_gradients", nf.explainedBy());
    assertEquals(Role.CAUSE, Runs.only(fs, "exploding_gradients").role());
  }

  @Test
  void convergedLossIsNotAPlateau() {
    // the loss fell from 1.0 to 0.05 and then stays: the spec reads plateau CRITICAL
    Runs r = Runs.epochs(40, 0.05).healthy().set("plateau", 20, 40, 0.7, Status.CRITICAL);
    assertEquals(List.of(), r.findings());
    Runs stuck = Runs.epochs(40, 0.0).healthy().set("plateau", 15, 40, 0.7, Status.CRITICAL);
    assertEquals(1, Runs.only(stuck.findings(), "plateau").onsetEpoch());
  }

  @Test
  void learningProgressIsNotJudgedBeforeItsHistory() {
    // epochs 5-9: the spec's score lacks its decay term and reads WARNING on every run
    Runs r = Runs.epochs(30, 0.0).healthy().set("learning_progress", 5, 9, 0.4, Status.WARNING);
    assertEquals(List.of(), r.findings());
  }

  @Test
  void gaussianGradientSnrIsHealthyForTheFindings() {
    // spec §5: Gaussian gradients give sqrt(2/pi)/sqrt(1-2/pi), under the spec's HEALTHY line 1.5
    double gaussian = Math.sqrt(2 / Math.PI) / Math.sqrt(1 - 2 / Math.PI);
    assertEquals(1.3236, gaussian, 1e-4);
    Runs r = Runs.epochs(30, 0.02).healthy().set("gradient_snr", 1, 30, gaussian, Status.WARNING);
    assertEquals(List.of(), r.findings());
    Runs zero = Runs.epochs(30, 0.02).healthy().set("gradient_snr", 1, 30, 0.05, Status.CRITICAL);
    assertEquals(Status.CRITICAL, Runs.only(zero.findings(), "gradient_snr").severity());
  }

  @Test
  void overfittingNeedsAGapAndARisingValidationLoss() {
    Runs noise = Runs.epochs(30, 0.01).healthy();
    Runs gapOnly = Runs.epochs(30, 0.01).healthy();
    Runs rising = Runs.epochs(30, 0.01).healthy();
    // rising: the validation loss is best at epoch 8, then climbs 3 % an epoch
    for (int e = 9; e <= 30; e++) {
      double train = rising.losses.get(e).train();
      rising.losses.put(e, new RunHistory.Losses(train, 1.05 * (1 - 0.07) * Math.pow(1.03, e - 8)));
    }
    for (int e = 10; e <= 30; e++) {
      noise.set("overfitting", e, 0.15, Status.WARNING, Map.of("relative_gap", 0.03));
      gapOnly.set("overfitting", e, 0.5, Status.CRITICAL, Map.of("relative_gap", 0.4));
      rising.set("overfitting", e, 0.5, Status.CRITICAL, Map.of("relative_gap", 0.4));
    }
    assertEquals(List.of(), noise.findings(), "no gap: validation noise");
    assertEquals(List.of(), gapOnly.findings(), "a gap, but the validation loss still falls");
    RunFinding f = Runs.only(rising.findings(), "overfitting");
    assertEquals(8, f.onsetEpoch(), "where the validation loss was last at its best");
    assertTrue(f.summary().startsWith("overfitting from epoch 8"), f.summary());
  }

  @Test
  void deadUnitsWithinTheAtInitRangeAreNoFinding() {
    // the spec reads 20 % WARNING; untrained He networks show up to 14 %, healthy ones 19 %
    Runs r = Runs.epochs(30, 0.02).healthy().set("dead_neurons", 1, 30, 20, Status.WARNING);
    assertEquals(List.of(), r.findings());
    Runs dead = Runs.epochs(30, 0.02).healthy().set("dead_neurons", 1, 30, 26, Status.CRITICAL);
    assertEquals(1, Runs.only(dead.findings(), "dead_neurons").onsetEpoch());
  }

  @Test
  void saturationNeedsALayerInItsTails() {
    Runs narrow = Runs.epochs(30, 0.02).healthy();
    Runs tails = Runs.epochs(30, 0.02).healthy();
    for (int e = 1; e <= 30; e++) {
      narrow.set("activation_saturation", e, 0.12, Status.WARNING, Map.of());
      // a narrow sigmoid layer in its linear range: only the distribution term
      narrow.layer(
          "activation_saturation",
          e,
          0,
          0.12,
          Status.WARNING,
          Map.of("extreme", 0.0, "distribution", 0.4, "gradient_dead", 0.0));
      tails.set("activation_saturation", e, 0.4, Status.CRITICAL, Map.of());
      // 0.5 x 0.6 + 0.2 x 0.55 = 0.41 >= 0.35: most outputs in the tails
      tails.layer(
          "activation_saturation",
          e,
          1,
          0.41,
          Status.CRITICAL,
          Map.of("extreme", 0.6, "distribution", 0.0, "gradient_dead", 0.55));
    }
    assertEquals(List.of(), narrow.findings());
    RunFinding f = Runs.only(tails.findings(), "activation_saturation");
    assertEquals(1, f.onsetLayer());
    assertEquals("saturated activations from epoch 1 in layer 1: saturation 0.41", f.summary());
  }

  @Test
  void aLargeGradientThatMakesNoStepIsNoExplosion() {
    Runs tiny = Runs.epochs(30, 0.0).healthy();
    Runs big = Runs.epochs(30, 0.01).healthy();
    for (int e = 1; e <= 30; e++) {
      tiny.set("exploding_gradients", e, 0.8, Status.CRITICAL, Map.of("total_norm", 18.0));
      tiny.set("weight_update_ratio", e, 4e-7, Status.CRITICAL, Map.of());
      big.set("exploding_gradients", e, 0.8, Status.CRITICAL, Map.of("total_norm", 18.0));
      big.set("weight_update_ratio", e, 3e-3, Status.HEALTHY, Map.of());
    }
    assertTrue(tiny.findings().stream().noneMatch(f -> f.problem().equals("exploding_gradients")));
    assertEquals(Role.CAUSE, Runs.only(big.findings(), "exploding_gradients").role());
  }

  @Test
  void aValidationLossRisingWhileTrainingStallsIsNotOverfitting() {
    Runs stalled = Runs.epochs(30, 0.0);
    stalled.healthy();
    for (int e = 9; e <= 30; e++) stalled.losses.put(e, new RunHistory.Losses(1.0, 1.3));
    for (int e = 10; e <= 30; e++)
      stalled.set("overfitting", e, 0.4, Status.CRITICAL, Map.of("relative_gap", 0.3));
    assertEquals(List.of(), stalled.findings());
  }
}
