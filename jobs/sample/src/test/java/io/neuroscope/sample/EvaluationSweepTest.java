package io.neuroscope.sample;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The evaluation sweep's design, without training it (no Spark). */
class EvaluationSweepTest {
  private static final List<Sweep.Run> SWEEP = Sweep.evaluation(0);
  private static final List<String> FAMILIES =
      List.of(
          "dead_neurons",
          "vanishing_gradients",
          "exploding_gradients",
          "activation_saturation",
          "plateau",
          "overfitting");

  /** The design of a run: its id without the seed prefix. */
  private static String design(Sweep.Run r) {
    return r.runId().replaceFirst("^eval-s\\d+-", "");
  }

  private static String split(Sweep.Run r) {
    return EvaluationLabels.split(Sweep.seedIndex(r));
  }

  @Test
  void hasAtLeastAHundredRunsWithUniqueIds() {
    assertTrue(SWEEP.size() >= 100, SWEEP.size() + " runs");
    Set<String> ids = new HashSet<>();
    for (Sweep.Run r : SWEEP) assertTrue(ids.add(r.runId()), "duplicate id " + r.runId());
  }

  @Test
  void everyDesignIsTrainedWithEverySeedAndTheSeedIsInTheId() {
    Map<String, Set<Integer>> seeds = new TreeMap<>();
    for (Sweep.Run r : SWEEP) {
      int s = Sweep.seedIndex(r);
      assertTrue(r.runId().startsWith("eval-s" + s + "-"), r.runId());
      seeds.computeIfAbsent(design(r), k -> new TreeSet<>()).add(s);
    }
    for (Map.Entry<String, Set<Integer>> e : seeds.entrySet()) {
      assertEquals(Sweep.EVALUATION_SEEDS, e.getValue().size(), e.getKey());
    }
    // the seed index moves both the data and the initialisation
    Map<String, Set<Long>> dataSeeds =
        SWEEP.stream()
            .collect(
                Collectors.groupingBy(
                    EvaluationSweepTest::design,
                    Collectors.mapping(Sweep.Run::dataSeed, Collectors.toSet())));
    Map<String, Set<Long>> initSeeds =
        SWEEP.stream()
            .collect(
                Collectors.groupingBy(
                    EvaluationSweepTest::design,
                    Collectors.mapping(r -> r.config().seed(), Collectors.toSet())));
    for (String d : seeds.keySet()) {
      assertEquals(Sweep.EVALUATION_SEEDS, dataSeeds.get(d).size(), d);
      assertEquals(Sweep.EVALUATION_SEEDS, initSeeds.get(d).size(), d);
    }
    assertThrows(IllegalArgumentException.class, () -> Sweep.seedIndex(Sweep.builtIn(0).get(0)));
  }

  @Test
  void everyPathologyHasSeveralStrengthsInBothSplits() {
    for (String family : FAMILIES) {
      List<Sweep.Run> planted =
          SWEEP.stream().filter(r -> family.equals(r.planted())).collect(Collectors.toList());
      long strengths = planted.stream().map(EvaluationSweepTest::design).distinct().count();
      assertTrue(strengths >= 2, family + ": " + strengths + " strengths");
      Set<String> splits =
          planted.stream().map(EvaluationSweepTest::split).collect(Collectors.toSet());
      assertEquals(Set.of("dev", "test"), splits, family);
      assertTrue(planted.stream().noneMatch(Sweep.Run::baseline), family);
    }
    Set<String> planted =
        SWEEP.stream().map(Sweep.Run::planted).filter(p -> p != null).collect(Collectors.toSet());
    assertEquals(Set.copyOf(FAMILIES), planted);
  }

  @Test
  void baselinesAreAtLeastThirtyPercentAndInBothSplitsOfEveryDataset() {
    List<Sweep.Run> baselines =
        SWEEP.stream().filter(Sweep.Run::baseline).collect(Collectors.toList());
    assertTrue(baselines.size() >= 0.3 * SWEEP.size(), baselines.size() + " of " + SWEEP.size());
    for (Sweep.Run b : baselines) assertEquals(null, b.planted(), b.runId());
    for (Sweep.Data data : Sweep.Data.values()) {
      Set<String> splits =
          baselines.stream()
              .filter(r -> r.data() == data)
              .map(EvaluationSweepTest::split)
              .collect(Collectors.toSet());
      assertEquals(Set.of("dev", "test"), splits, data.name());
      Set<String> activations =
          baselines.stream()
              .filter(r -> r.data() == data)
              .map(r -> r.params().get("hidden_activation"))
              .collect(Collectors.toSet());
      assertTrue(
          activations.containsAll(Set.of("relu", "tanh", "leaky_relu")), data + ": " + activations);
    }
    // every run is either a baseline or planted
    for (Sweep.Run r : SWEEP) assertTrue(r.baseline() != (r.planted() != null), r.runId());
  }

  @Test
  void variesSeedsWidthsDepthsOptimizersAndDatasets() {
    for (String p : List.of("optimizer", "width", "depth", "dataset", "seed", "data_seed")) {
      Set<String> values = SWEEP.stream().map(r -> r.params().get(p)).collect(Collectors.toSet());
      assertTrue(values.size() >= 3, p + ": " + values);
    }
    Set<String> experiments = SWEEP.stream().map(Sweep.Run::experiment).collect(Collectors.toSet());
    assertEquals(Set.of("eval-moons", "eval-spirals", "eval-regression"), experiments);
  }

  @Test
  void labelsWithoutOverfittingNeedNoTelemetry() {
    List<Sweep.Run> runs =
        SWEEP.stream().filter(r -> !"overfitting".equals(r.planted())).collect(Collectors.toList());
    @SuppressWarnings("unchecked")
    Map<String, Map<String, Object>> labels =
        (Map<String, Map<String, Object>>)
            EvaluationLabels.labels(null, runs, "unused").get("runs");
    assertEquals(runs.size(), labels.size());
    for (Sweep.Run r : runs) {
      Map<String, Object> label = labels.get(r.runId());
      assertEquals(r.baseline(), label.get("healthy"), r.runId());
      assertEquals(Sweep.seedIndex(r), label.get("seed"));
      assertEquals(Sweep.seedIndex(r) % 2 == 0 ? "dev" : "test", label.get("split"));
      List<?> problems = (List<?>) label.get("problems");
      if (r.baseline()) {
        assertTrue(problems.isEmpty(), r.runId());
      } else {
        assertEquals(
            List.of(Map.of("problem", r.planted(), "onset_epoch", EvaluationLabels.FIRST_EPOCH)),
            problems,
            r.runId());
      }
    }
  }
}
