package io.neuroscope.sample.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The same seed gives bit-identical data, losses, weights and reports; another seed gives different
 * ones.
 */
class DeterminismTest {

  private static List<EpochReport> run(long seed, Dataset.Split data) {
    TrainingConfig config =
        TrainingConfig.builder()
            .hidden(16, 8)
            .optimizer(Optimizer.adam(0.01))
            .epochs(4)
            .batchSize(25)
            .seed(seed)
            .build();
    List<EpochReport> reports = new ArrayList<>();
    new Trainer(config).train(data, reports::add);
    return reports;
  }

  @Test
  void sameSeedGivesIdenticalReports() {
    Dataset.Split data = Datasets.twoMoons(300, 100, 0.2, 3);
    List<EpochReport> a = run(11, data);
    List<EpochReport> b = run(11, data);
    // Record equality: doubles compared bit for bit, every matrix element by element.
    assertEquals(a, b);
  }

  @Test
  void anotherSeedGivesOtherWeightsAndLosses() {
    Dataset.Split data = Datasets.twoMoons(300, 100, 0.2, 3);
    List<EpochReport> a = run(11, data);
    List<EpochReport> b = run(12, data);
    assertNotEquals(a.get(0).weights(), b.get(0).weights());
    assertNotEquals(a.get(3).trainLoss(), b.get(3).trainLoss());
  }

  @Test
  void sameSeedGivesIdenticalResultsAcrossOptimizersAndLosses() {
    Dataset.Split data = Datasets.regression(200, 50, 0.1, 5);
    for (Optimizer optimizer :
        List.of(Optimizer.sgd(0.05), Optimizer.momentum(0.01), Optimizer.adam(0.01))) {
      TrainingConfig config =
          TrainingConfig.builder()
              .hidden(8, 8)
              .hiddenActivation(Activation.TANH)
              .loss(Loss.MSE)
              .optimizer(optimizer)
              .epochs(3)
              .seed(21)
              .build();
      TrainingResult first = new Trainer(config).train(data);
      TrainingResult second = new Trainer(config).train(data);
      assertArrayEquals(first.trainLosses(), second.trainLosses(), 0.0);
      assertArrayEquals(first.validationLosses(), second.validationLosses(), 0.0);
      assertEquals(first.network().weights(), second.network().weights());
    }
  }

  @Test
  void datasetsAreSeeded() {
    assertArrayEquals(
        Datasets.twoSpirals(50, 10, 0.1, 1).train().x(),
        Datasets.twoSpirals(50, 10, 0.1, 1).train().x());
    assertArrayEquals(
        Datasets.blobs(50, 10, 3, 2, 1, 1).validation().y(),
        Datasets.blobs(50, 10, 3, 2, 1, 1).validation().y());
    assertFalse(
        Arrays.equals(
            Datasets.twoMoons(50, 10, 0.1, 1).train().x(),
            Datasets.twoMoons(50, 10, 0.1, 2).train().x()));
    assertFalse(
        Arrays.equals(
            Datasets.regression(50, 10, 0.1, 1).train().y(),
            Datasets.regression(50, 10, 0.1, 2).train().y()));
  }

  @Test
  void initialWeightsDependOnlyOnTheSeed() {
    Trainer trainer = new Trainer(TrainingConfig.builder().hidden(4).seed(3).build());
    List<EpochReport> reports = new ArrayList<>();
    TrainingConfig zeroEpochs = trainer.config().toBuilder().epochs(0).build();
    TrainingResult untrained =
        new Trainer(zeroEpochs).train(Datasets.twoMoons(20, 0, 0.1, 1), reports::add);
    assertEquals(trainer.initialNetwork(2, 2).weights(), untrained.network().weights());
    assertEquals(0, reports.size());
  }
}
