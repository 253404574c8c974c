package io.neuroscope.jobs.summary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A forest is taken from the last run only for the very same input (reuse through the table:
 * NightlyRebuildTest.anExperimentWithoutChangedRunsKeepsItsEffects).
 */
class ForestMemoTest {
  private static final ForestImportance FOREST = new ForestImportance(20, 4, 3, 42);
  private static final List<ForestImportance.Feature> FEATURES =
      List.of(new ForestImportance.Feature("lr", 0), new ForestImportance.Feature("opt", 3));
  private static final List<double[]> X =
      List.of(new double[] {0.1, 0}, new double[] {0.2, 1}, new double[] {0.3, 2});
  private static final double[] Y = {1, 2, 3};

  @Test
  void theKeyChangesWithEveryPartOfTheInput() {
    String key = ForestMemo.key(FOREST, FEATURES, X, Y);
    assertEquals(
        key,
        ForestMemo.key(
            new ForestImportance(20, 4, 3, 42),
            List.copyOf(FEATURES),
            List.of(X.get(0).clone(), X.get(1).clone(), X.get(2).clone()),
            Y.clone()));
    assertNotEquals(key, ForestMemo.key(FOREST, FEATURES, X, new double[] {1, 2, 3.0000001}));
    assertNotEquals(
        key,
        ForestMemo.key(
            FOREST, FEATURES, List.of(X.get(1), X.get(0), X.get(2)), Y)); // rows in another order
    assertNotEquals(
        key,
        ForestMemo.key(
            FOREST,
            List.of(new ForestImportance.Feature("lr", 0), new ForestImportance.Feature("opt", 4)),
            X,
            Y));
    assertNotEquals(key, ForestMemo.key(new ForestImportance(20, 4, 3, 43), FEATURES, X, Y));
    assertNotEquals(key, ForestMemo.key(new ForestImportance(21, 4, 3, 42), FEATURES, X, Y));
  }
}
