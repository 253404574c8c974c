package io.neuroscope.findings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.neuroscope.diagnostics.Status;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PersistenceTest {
  private static final FindingRules R = FindingRules.defaults();

  /** Epochs 1..n, flagged (W or C) where the pattern says; '.' healthy. */
  private static List<Persistence.Judged> of(String pattern) {
    List<Persistence.Judged> out = new ArrayList<>();
    for (int i = 0; i < pattern.length(); i++) {
      char c = pattern.charAt(i);
      out.add(
          new Persistence.Judged(
              i + 1, c == 'C' ? Status.CRITICAL : c == 'W' ? Status.WARNING : Status.HEALTHY));
    }
    return out;
  }

  @Test
  void twoEpochsAreNotEnough() {
    assertTrue(Persistence.of(of("..CC......"), R).isEmpty());
  }

  @Test
  void threeOfTenPersist() {
    Persistence.Episode e = Persistence.of(of("..W.WW...."), R).orElseThrow();
    assertEquals(5, e.onset(), "the first streak of two");
    assertEquals(6, e.last());
    assertEquals(3, e.flagged());
    assertEquals(Status.WARNING, e.severity());
  }

  @Test
  void scatteredEpochsAreNoise() {
    // 3 of 20 (15 % < 25 %) and not through the end
    assertTrue(Persistence.of(of("W.....W.....W......."), R).isEmpty());
  }

  @Test
  void aProblemThroughTheRunsEndPersistsWhateverItsShare() {
    Persistence.Episode e = Persistence.of(of(".................CCC"), R).orElseThrow();
    assertEquals(18, e.onset());
    assertEquals(Status.CRITICAL, e.severity());
  }

  @Test
  void criticalOnlyWhenTheCriticalEpochsPersist() {
    assertEquals(Status.WARNING, Persistence.of(of("WWWWWC...."), R).orElseThrow().severity());
    assertEquals(Status.CRITICAL, Persistence.of(of("WWCCC....."), R).orElseThrow().severity());
  }
}
