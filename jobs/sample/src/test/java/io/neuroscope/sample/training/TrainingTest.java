package io.neuroscope.sample.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Training works, and the per-epoch hooks carry what they promise. */
class TrainingTest {
  private static final Dataset.Split MOONS = Datasets.twoMoons(800, 400, 0.15, 1);
  private static final Dataset.Split REGRESSION = Datasets.regression(800, 200, 0.1, 2);

  @Test
  void twoHiddenReluLayersWithAdamLearnTwoMoons() {
    TrainingConfig config =
        TrainingConfig.builder()
            .hidden(32, 32)
            .optimizer(Optimizer.adam(0.01))
            .epochs(15)
            .batchSize(32)
            .seed(7)
            .build();
    TrainingResult result = new Trainer(config).train(MOONS);
    assertTrue(
        result.finalValidationAccuracy() > 0.9,
        "validation accuracy " + result.finalValidationAccuracy());
    assertTrue(
        result.finalTrainLoss() < 0.5 * result.trainLosses()[0],
        "train loss " + result.finalTrainLoss());
  }

  @Test
  void momentumAndPlainSgdLearnTwoMoonsToo() {
    for (Optimizer optimizer : List.of(Optimizer.momentum(0.05), Optimizer.sgd(0.2))) {
      TrainingConfig config =
          TrainingConfig.builder().hidden(32, 32).optimizer(optimizer).epochs(15).seed(7).build();
      TrainingResult result = new Trainer(config).train(MOONS);
      assertTrue(
          result.finalValidationAccuracy() > 0.9,
          optimizer + ": " + result.finalValidationAccuracy());
    }
  }

  @Test
  void spiralsNeedTheHiddenLayers() {
    Dataset.Split spirals = Datasets.twoSpirals(1000, 400, 0.05, 3);
    TrainingConfig deep =
        TrainingConfig.builder()
            .hidden(64, 64)
            .optimizer(Optimizer.adam(0.01))
            .epochs(12)
            .seed(1)
            .build();
    TrainingConfig linear = deep.toBuilder().hidden().build();
    double deepAccuracy = new Trainer(deep).train(spirals).finalValidationAccuracy();
    double linearAccuracy = new Trainer(linear).train(spirals).finalValidationAccuracy();
    assertTrue(deepAccuracy > 0.9, "2 × 64 relu: " + deepAccuracy);
    assertTrue(linearAccuracy < 0.75, "softmax regression: " + linearAccuracy);
  }

  @Test
  void blobsHaveAsManyClassesAsAskedAndAreLearnt() {
    Dataset.Split blobs = Datasets.blobs(600, 300, 4, 3, 1.0, 4);
    assertEquals(4, blobs.train().outputs());
    assertEquals(3, blobs.train().inputs());
    TrainingConfig config =
        TrainingConfig.builder()
            .hidden(16)
            .hiddenActivation(Activation.TANH)
            .init(Init.xavier())
            .optimizer(Optimizer.adam(0.01))
            .epochs(10)
            .seed(2)
            .build();
    double accuracy = new Trainer(config).train(blobs).finalValidationAccuracy();
    assertTrue(accuracy > 0.9, "blobs: " + accuracy);
  }

  @Test
  void regressionLossFallsByAnOrderOfMagnitude() {
    TrainingConfig config =
        TrainingConfig.builder()
            .hidden(32, 32)
            .hiddenActivation(Activation.TANH)
            .init(Init.xavier())
            .loss(Loss.MSE)
            .optimizer(Optimizer.adam(0.01))
            .epochs(20)
            .seed(3)
            .build();
    Trainer trainer = new Trainer(config);
    Dataset validation = REGRESSION.validation();
    double before =
        trainer
            .initialNetwork(2, 1)
            .loss(validation.x(), validation.y(), validation.size(), Loss.MSE);
    TrainingResult result = trainer.train(REGRESSION);
    double after = result.finalValidationLoss();
    assertTrue(after < 0.1 * before, "validation MSE " + before + " → " + after);
    assertTrue(after < 0.1, "validation MSE " + after + " (noise variance is 0.01)");
    assertTrue(Double.isNaN(result.finalValidationAccuracy()), "no accuracy for regression");
  }

  @Test
  void hooksCarryEveryTensorInTheDocumentedShape() {
    TrainingConfig config =
        TrainingConfig.builder()
            .hidden(5, 4)
            .optimizer(Optimizer.adam(0.01))
            .epochs(3)
            .batchSize(64)
            .monitorSamples(50)
            .seed(1)
            .build();
    List<List<LayerInfo>> starts = new ArrayList<>();
    List<EpochReport> reports = new ArrayList<>();
    new Trainer(config)
        .train(
            MOONS,
            new EpochListener() {
              @Override
              public void onStart(List<LayerInfo> layers) {
                starts.add(layers);
              }

              @Override
              public void onEpoch(EpochReport report) {
                reports.add(report);
              }
            });
    assertEquals(
        List.of(
            List.of(
                new LayerInfo(0, "fc1", "relu", 2, 5),
                new LayerInfo(1, "fc2", "relu", 5, 4),
                new LayerInfo(2, "fc3", "softmax", 4, 2))),
        starts);
    assertEquals(3, reports.size());
    int[][] shapes = {{2, 5}, {5, 4}, {4, 2}};
    for (int e = 0; e < reports.size(); e++) {
      EpochReport r = reports.get(e);
      assertEquals(e + 1, r.epoch());
      assertTrue(Double.isFinite(r.trainLoss()));
      assertTrue(r.validationLoss().isPresent() && r.validationAccuracy().isPresent());
      assertEquals(
          0, r.monitoredStep().step(), "the first step of the epoch is monitored by default");
      for (int l = 0; l < 3; l++) {
        int fanIn = shapes[l][0];
        int fanOut = shapes[l][1];
        assertShape(r.activations().get(l), 50, fanOut, "activations");
        assertShape(r.monitoredStep().weightGradients().get(l), fanIn, fanOut, "gradients");
        assertShape(r.monitoredStep().biasGradients().get(l), 1, fanOut, "bias gradients");
        assertShape(r.monitoredStep().weightUpdates().get(l), fanIn, fanOut, "weight updates");
        assertShape(r.weights().get(l), fanIn, fanOut, "weights");
        assertShape(r.biases().get(l), 1, fanOut, "biases");
      }
      Matrix probabilities = r.activations().get(2);
      for (int s = 0; s < probabilities.rows(); s++) {
        assertEquals(
            1.0, probabilities.get(s, 0) + probabilities.get(s, 1), 1e-12, "softmax rows sum to 1");
      }
      assertTrue(r.maxGradientNorm() >= r.monitoredStep().gradientNorm());
    }
  }

  @Test
  void activationsAreACleanForwardPassOfTheFirstTrainingSamples() {
    TrainingConfig config =
        TrainingConfig.builder().hidden(6).epochs(2).monitorSamples(10).seed(4).build();
    List<EpochReport> reports = new ArrayList<>();
    TrainingResult result = new Trainer(config).train(MOONS, reports::add);
    double[] x = MOONS.train().x();
    List<Matrix> expected = result.network().activations(x, 10);
    assertEquals(expected, reports.get(1).activations());
    assertEquals(result.network().weights(), reports.get(1).weights());
  }

  @Test
  void theWeightUpdateIsTheChangeTheStepMadeAndSgdMakesMinusLrTimesTheGradient() {
    double lr = 0.05;
    // One step per epoch, so the weights at the end of consecutive epochs differ by exactly the
    // monitored update.
    TrainingConfig config =
        TrainingConfig.builder()
            .hidden(8)
            .optimizer(Optimizer.sgd(lr))
            .epochs(3)
            .batchSize(1000)
            .seed(5)
            .build();
    List<EpochReport> reports = new ArrayList<>();
    new Trainer(config).train(MOONS, reports::add);
    for (int e = 1; e < reports.size(); e++) {
      StepSnapshot step = reports.get(e).monitoredStep();
      for (int l = 0; l < 2; l++) {
        double[] before = reports.get(e - 1).weights().get(l).toDoubles();
        double[] after = reports.get(e).weights().get(l).toDoubles();
        double[] update = step.weightUpdates().get(l).toDoubles();
        double[] gradient = step.weightGradients().get(l).toDoubles();
        for (int i = 0; i < update.length; i++) {
          assertEquals(before[i] + update[i], after[i], 0.0, "W_after = W_before + ΔW");
          assertEquals(-lr * gradient[i], update[i], 0.0, "SGD: ΔW = −lr·g");
        }
      }
    }
  }

  @Test
  void clippingBoundsTheStepAndIsOffByDefault() {
    double lr = 0.1;
    TrainingConfig unclipped =
        TrainingConfig.builder()
            .hiddenLayers(4, 32)
            .loss(Loss.MSE)
            .optimizer(Optimizer.sgd(lr))
            .epochs(3)
            .seed(13)
            .build();
    assertFalse(unclipped.clipping());
    List<EpochReport> reports = new ArrayList<>();
    new Trainer(unclipped.toBuilder().clipNorm(1.0).build()).train(REGRESSION, reports::add);
    for (EpochReport r : reports) {
      StepSnapshot step = r.monitoredStep();
      assertEquals(step.gradientNorm() > 1.0, step.clipped());
      double updateNorm = 0;
      for (Matrix m : step.weightUpdates()) {
        updateNorm += m.norm() * m.norm();
      }
      assertTrue(Math.sqrt(updateNorm) <= lr * 1.0 * (1 + 1e-12), "‖ΔW‖ " + Math.sqrt(updateNorm));
      assertTrue(Double.isFinite(r.trainLoss()));
    }
  }

  @Test
  void withoutValidationSetTheValidationLossIsEmpty() {
    Dataset.Split noValidation = Datasets.twoMoons(100, 0, 0.1, 1);
    List<EpochReport> reports = new ArrayList<>();
    TrainingResult result =
        new Trainer(TrainingConfig.builder().hidden(4).epochs(2).build())
            .train(noValidation, reports::add);
    assertTrue(reports.get(0).validationLoss().isEmpty());
    assertTrue(reports.get(0).validationAccuracy().isEmpty());
    assertArrayEquals(new double[] {Double.NaN, Double.NaN}, result.validationLosses());
  }

  @Test
  void paramsNameEveryHyperparameter() {
    TrainingConfig config =
        TrainingConfig.builder()
            .hidden(64, 32)
            .hiddenActivation(Activation.LEAKY_RELU)
            .init(Init.normal(0.5))
            .optimizer(Optimizer.momentum(0.01))
            .batchSize(16)
            .epochs(7)
            .seed(9)
            .clipNorm(2)
            .build();
    var p = config.params();
    assertEquals("0.01", p.get("learning_rate"));
    assertEquals("momentum", p.get("optimizer"));
    assertEquals("0.9", p.get("momentum"));
    assertEquals("16", p.get("batch_size"));
    assertEquals("7", p.get("epochs"));
    assertEquals("leaky_relu", p.get("hidden_activation"));
    assertEquals("softmax", p.get("output_activation"));
    assertEquals("normal", p.get("init"));
    assertEquals("0.5", p.get("init_std"));
    assertEquals("cross_entropy", p.get("loss"));
    assertEquals("2", p.get("depth"));
    assertEquals("64,32", p.get("hidden_widths"));
    assertEquals("64", p.get("width"));
    assertEquals("9", p.get("seed"));
    assertEquals("2.0", p.get("clip_norm"));
  }

  private static void assertShape(Matrix m, int rows, int cols, String what) {
    assertEquals(rows, m.rows(), what + " rows");
    assertEquals(cols, m.cols(), what + " cols");
  }
}
