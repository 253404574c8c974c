package io.neuroscope.diagnostics;

import java.io.Serializable;

/**
 * What the single pass over a tensor counts besides its moments: the element predicates the
 * diagnostics need for that tensor's kind and layer. A predicate that is off never holds
 * (thresholds at ±infinity, zero tolerance NaN).
 *
 * @param above counts x > above
 * @param below counts x < below
 * @param outsideLow with outsideHigh, counts x < outsideLow or x > outsideHigh
 * @param absBelow counts |x| < absBelow
 * @param columnZeroTolerance per column, counts |x| <= tolerance (NaN: no per-column counts)
 * @param keepValues keep the values for exact percentiles
 * @param absMoments also the mean and variance of |x| (gradient SNR needs them)
 */
public record TensorProbe(
    double above,
    double below,
    double outsideLow,
    double outsideHigh,
    double absBelow,
    double columnZeroTolerance,
    boolean keepValues,
    boolean absMoments)
    implements Serializable {

  /** With |x| moments. */
  public TensorProbe(
      double above,
      double below,
      double outsideLow,
      double outsideHigh,
      double absBelow,
      double columnZeroTolerance,
      boolean keepValues) {
    this(above, below, outsideLow, outsideHigh, absBelow, columnZeroTolerance, keepValues, true);
  }

  /** Moments of x and |x|, no counts. */
  public static final TensorProbe MOMENTS_ONLY =
      new TensorProbe(
          Double.POSITIVE_INFINITY,
          Double.NEGATIVE_INFINITY,
          Double.NEGATIVE_INFINITY,
          Double.POSITIVE_INFINITY,
          0.0,
          Double.NaN,
          false,
          true);

  /**
   * The probe for a tensor, or null when no diagnostic reads it (activations of the output layer).
   */
  public static TensorProbe of(TensorKind kind, LayerInfo layer, boolean hidden, Settings s) {
    return switch (kind) {
      case ACTIVATIONS -> hidden ? activations(layer.activation(), s).withoutAbsMoments() : null;
      case GRADIENTS -> MOMENTS_ONLY.withAbsBelow(s.get("gradient_snr.min_magnitude"));
      case WEIGHTS ->
          MOMENTS_ONLY.withAbsBelow(s.get("weight_health.dead_abs_below")).withoutAbsMoments();
      case WEIGHT_UPDATES, BIAS_GRADIENTS -> MOMENTS_ONLY.withoutAbsMoments();
    };
  }

  private static TensorProbe activations(String activation, Settings s) {
    double tolerance =
        s.get("dead_neurons." + familyKey(Activation.family(activation)) + ".zero_tolerance");
    double inf = Double.POSITIVE_INFINITY;
    return switch (Activation.saturation(activation)) {
      case TANH -> {
        double dead = s.get("activation_saturation.tanh.gradient_dead_abs");
        yield new TensorProbe(
            s.get("activation_saturation.tanh.extreme_high"),
            s.get("activation_saturation.tanh.extreme_low"),
            -dead,
            dead,
            0.0,
            tolerance,
            false);
      }
      case SIGMOID ->
          new TensorProbe(
              s.get("activation_saturation.sigmoid.extreme_high"),
              s.get("activation_saturation.sigmoid.extreme_low"),
              s.get("activation_saturation.sigmoid.gradient_dead_low"),
              s.get("activation_saturation.sigmoid.gradient_dead_high"),
              0.0,
              tolerance,
              false);
      case RELU_FAMILY ->
          new TensorProbe(
              s.get("activation_saturation.relu.extreme_high"),
              -inf,
              -inf,
              inf,
              0.0,
              tolerance,
              false);
      case OTHER -> new TensorProbe(inf, -inf, -inf, inf, 0.0, tolerance, true);
    };
  }

  static String familyKey(Activation.Family f) {
    return switch (f) {
      case RELU -> "relu";
      case LEAKY_RELU -> "leaky_relu";
      case DEFAULT -> "default";
    };
  }

  private TensorProbe withAbsBelow(double t) {
    return new TensorProbe(
        above, below, outsideLow, outsideHigh, t, columnZeroTolerance, keepValues, absMoments);
  }

  private TensorProbe withoutAbsMoments() {
    return new TensorProbe(
        above, below, outsideLow, outsideHigh, absBelow, columnZeroTolerance, keepValues, false);
  }
}
