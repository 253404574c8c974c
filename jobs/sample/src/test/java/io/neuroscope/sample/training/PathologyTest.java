package io.neuroscope.sample.training;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The pathologies the demo shows are really produced by training, measured on the tensors the hooks
 * hand out (not through the diagnostics): vanishing gradients in a deep sigmoid network, dead ReLUs
 * after a too-large SGD step, exploding gradients under a huge learning rate without clipping. Each
 * is contrasted with a healthy setting.
 */
class PathologyTest {
  private static final Dataset.Split MOONS = Datasets.twoMoons(800, 400, 0.15, 1);

  /**
   * Var(dL/dW) of the last hidden layer over that of the first, at the monitored step of every
   * epoch.
   */
  private static List<Double> varianceRatios(Activation activation, Init init) {
    TrainingConfig config =
        TrainingConfig.builder()
            .hiddenLayers(8, 32)
            .hiddenActivation(activation)
            .init(init)
            .optimizer(Optimizer.sgd(0.1))
            .epochs(3)
            .seed(5)
            .build();
    List<Double> ratios = new ArrayList<>();
    new Trainer(config)
        .train(
            MOONS,
            report -> {
              List<Matrix> g = report.monitoredStep().weightGradients();
              ratios.add(g.get(7).variance() / g.get(0).variance());
            });
    return ratios;
  }

  @Test
  void deepSigmoidGradientsVanishTowardTheInput() {
    List<Double> sigmoid = varianceRatios(Activation.SIGMOID, Init.xavier());
    List<Double> relu = varianceRatios(Activation.RELU, Init.he());
    for (double ratio : sigmoid) {
      assertTrue(
          ratio > 1e6,
          "8 sigmoid layers: gradient variance falls only " + ratio + "-fold; all " + sigmoid);
    }
    for (double ratio : relu) {
      assertTrue(ratio < 1e2, "8 relu layers with He init: " + ratio + "-fold; all " + relu);
    }
  }

  /**
   * Per cent of hidden neurons that output zero (|a| ≤ 1e-8) on more than 90 % of the monitoring
   * batch.
   */
  private static double deadShare(EpochReport report) {
    int dead = 0;
    int neurons = 0;
    List<Matrix> activations = report.activations();
    for (int l = 0; l < activations.size() - 1; l++) {
      Matrix a = activations.get(l);
      for (int j = 0; j < a.cols(); j++) {
        int zeros = 0;
        for (int s = 0; s < a.rows(); s++) {
          if (Math.abs(a.get(s, j)) <= 1e-8) {
            zeros++;
          }
        }
        if (zeros > 0.9 * a.rows()) {
          dead++;
        }
        neurons++;
      }
    }
    return 100.0 * dead / neurons;
  }

  private static List<Double> deadShares(double learningRate) {
    TrainingConfig config =
        TrainingConfig.builder()
            .hiddenLayers(3, 32)
            .optimizer(Optimizer.sgd(learningRate))
            .epochs(5)
            .seed(1)
            .build();
    List<Double> shares = new ArrayList<>();
    new Trainer(config).train(MOONS, report -> shares.add(deadShare(report)));
    return shares;
  }

  @Test
  void aTooLargeSgdStepKillsMostReluNeurons() {
    List<Double> tooLarge = deadShares(2.0);
    List<Double> moderate = deadShares(0.1);
    double last = tooLarge.get(tooLarge.size() - 1);
    assertTrue(last > 50, "lr 2: " + last + " % dead; per epoch " + tooLarge);
    // A deep relu network on 2-D inputs has some neurons off for most inputs even when healthy
    // (from the second hidden
    // layer on); the pathology is the step from that level to most of the network.
    for (double share : moderate) {
      assertTrue(share < 20, "lr 0.1: " + share + " % dead; per epoch " + moderate);
    }
  }

  private static List<Double> maxGradientNorms(double clipNorm) {
    TrainingConfig config =
        TrainingConfig.builder()
            .hiddenLayers(4, 32)
            .loss(Loss.MSE)
            .optimizer(Optimizer.sgd(0.1))
            .epochs(3)
            .seed(13)
            .clipNorm(clipNorm)
            .build();
    List<Double> norms = new ArrayList<>();
    new Trainer(config)
        .train(
            Datasets.regression(800, 200, 0.1, 2),
            report -> {
              norms.add(report.maxGradientNorm());
              if (clipNorm > 0) {
                assertTrue(
                    Double.isFinite(report.trainLoss()),
                    "clipped run diverged: loss " + report.trainLoss());
              }
            });
    return norms;
  }

  @Test
  void aHugeLearningRateWithoutClippingExplodes() {
    List<Double> unclipped = maxGradientNorms(0);
    List<Double> clipped = maxGradientNorms(1.0);
    assertTrue(
        unclipped.stream().anyMatch(n -> !Double.isFinite(n) || n > 1e6),
        "no explosion: " + unclipped);
    // Clipping bounds the step, not the measured gradient, which stays finite and moderate.
    assertTrue(
        clipped.stream().allMatch(n -> Double.isFinite(n) && n < 1e3), "clipped run: " + clipped);
  }
}
