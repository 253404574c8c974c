package io.neuroscope.sample.training;

/**
 * The outcome of {@link Trainer#train}: the trained network and the loss curves (index e = epoch e
 * + 1).
 *
 * @param validationLosses NaN-filled when there is no validation set
 * @param validationAccuracies NaN-filled for regression or without a validation set
 */
public record TrainingResult(
    Network network,
    double[] trainLosses,
    double[] validationLosses,
    double[] validationAccuracies) {

  public TrainingResult {
    network = network.copy();
    trainLosses = trainLosses.clone();
    validationLosses = validationLosses.clone();
    validationAccuracies = validationAccuracies.clone();
  }

  @Override
  public Network network() {
    return network.copy();
  }

  @Override
  public double[] trainLosses() {
    return trainLosses.clone();
  }

  @Override
  public double[] validationLosses() {
    return validationLosses.clone();
  }

  @Override
  public double[] validationAccuracies() {
    return validationAccuracies.clone();
  }

  public int epochs() {
    return trainLosses.length;
  }

  public double finalTrainLoss() {
    return trainLosses.length == 0 ? Double.NaN : trainLosses[trainLosses.length - 1];
  }

  public double finalValidationLoss() {
    return validationLosses.length == 0
        ? Double.NaN
        : validationLosses[validationLosses.length - 1];
  }

  public double finalValidationAccuracy() {
    return validationAccuracies.length == 0
        ? Double.NaN
        : validationAccuracies[validationAccuracies.length - 1];
  }
}
