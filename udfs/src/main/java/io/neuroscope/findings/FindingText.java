package io.neuroscope.findings;

import java.util.Locale;

/** The one-line {@code summary} of a finding, in words. */
final class FindingText {
  private FindingText() {}

  /**
   * @param layerValue the onset layer's value at the onset epoch (NaN without a layer)
   * @param value the network value at the onset epoch
   */
  static String of(String problem, int onset, Integer layer, double layerValue, double value) {
    String in = layer == null ? "" : " in layer " + layer;
    String from = " from epoch " + onset;
    return switch (problem) {
      case "dead_neurons" ->
          layer == null
              ? "dead ReLUs" + from + ": " + pct(value) + " of the hidden units"
              : "dead ReLUs" + from + in + ": " + pct(layerValue) + " of its units";
      case "vanishing_gradients" ->
          "vanishing gradients"
              + from
              + in
              + (layer == null ? "" : ": gradient RMS " + num(layerValue))
              + " (severity "
              + num(value)
              + ")";
      case "exploding_gradients" ->
          "exploding gradients"
              + from
              + in
              + (layer == null ? "" : ": layer gradient norm " + num(layerValue))
              + " (severity "
              + num(value)
              + ")";
      case "activation_saturation" ->
          "saturated activations"
              + from
              + in
              + ": saturation "
              + num(layer == null ? value : layerValue);
      case "gradient_snr" -> "gradients mostly noise" + from + ": mean|g|/std|g| = " + num(value);
      case "weight_update_ratio" ->
          "weight updates out of scale" + from + ": |ΔW|/|W| = " + num(value);
      case "plateau" -> "the training loss plateaued" + from + " (score " + num(value) + ")";
      case "overfitting" -> "overfitting" + from + " (score " + num(value) + ")";
      case "weight_health" ->
          "unhealthy weights" + from + in + ": health " + num(layer == null ? value : layerValue);
      case "learning_progress" -> "little learning progress" + from + " (score " + num(value) + ")";
      default -> problem + from + in;
    };
  }

  private static String pct(double v) {
    return String.format(Locale.ROOT, "%.0f %%", v);
  }

  static String num(double v) {
    if (!Double.isFinite(v)) return Double.toString(v);
    double a = Math.abs(v);
    return a != 0 && (a < 0.01 || a >= 1e4)
        ? String.format(Locale.ROOT, "%.1e", v)
        : String.format(Locale.ROOT, "%.2f", v);
  }
}
