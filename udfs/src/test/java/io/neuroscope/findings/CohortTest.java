package io.neuroscope.findings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class CohortTest {
  private static final FindingRules R = FindingRules.defaults();

  @Test
  void medianAndMadByHand() {
    Cohort c = Cohort.of(new double[] {0.5, 0.6, 0.7, 0.8, 3.0, Double.NaN});
    assertEquals(0.7, c.median(), 1e-12);
    // deviations 0.2, 0.1, 0, 0.1, 2.3 -> median 0.1
    assertEquals(0.1, c.mad(), 1e-12);
    assertEquals(5, c.runs());
    assertEquals((0.3 - 0.7) / (1.4826 * 0.1), c.z(0.3), 1e-12);
  }

  @Test
  void aSoftProblemStandsOnlyWhenTheRunStandsOut() {
    Cohort c = Cohort.of(new double[] {0.5, 0.6, 0.7, 0.8, 0.9});
    assertFalse(c.atypical("gradient_snr", 0.55, R));
    assertTrue(c.atypical("gradient_snr", 0.1, R));
    assertFalse(c.atypical("gradient_snr", 5.0, R), "a high SNR is not the bad side");
  }

  @Test
  void aSmallExperimentHasNoCohort() {
    Cohort c = Cohort.of(new double[] {0.5, 0.6, 0.7});
    assertTrue(c.atypical("gradient_snr", 0.55, R));
  }

  @Test
  void updateRatiosCompareInDecades() {
    double[] logs = {-3, -2.9, -3.1, -3.05, -2.95};
    Cohort c = Cohort.of(logs);
    assertEquals(
        -3.0, Cohort.statistic("weight_update_ratio", new double[] {1e-4, 1e-3, 1e-2}), 1e-12);
    assertTrue(c.atypical("weight_update_ratio", -6, R));
    assertTrue(c.atypical("weight_update_ratio", 0, R));
    assertFalse(c.atypical("weight_update_ratio", -3.02, R));
  }
}
