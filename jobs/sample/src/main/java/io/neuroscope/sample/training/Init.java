package io.neuroscope.sample.training;

import java.util.Locale;

/**
 * How a layer's weights are drawn: zero-mean normal with a standard deviation set by the scheme.
 * Biases start at zero.
 *
 * @param scheme {@code HE}: std = sqrt(2 / fan_in); {@code XAVIER} (Glorot normal): std = sqrt(2 /
 *     (fan_in + fan_out)); {@code NORMAL}: std = {@code std}, whatever the layer's size
 * @param std the standard deviation for {@code NORMAL}; ignored (NaN) for the others
 */
public record Init(Scheme scheme, double std) {
  public enum Scheme {
    HE,
    XAVIER,
    NORMAL
  }

  public Init {
    if (scheme == Scheme.NORMAL && !(std > 0 && Double.isFinite(std))) {
      throw new IllegalArgumentException(
          "scaled-normal init needs a positive finite std, got " + std);
    }
    if (scheme != Scheme.NORMAL) {
      std = Double.NaN;
    }
  }

  public static Init he() {
    return new Init(Scheme.HE, Double.NaN);
  }

  public static Init xavier() {
    return new Init(Scheme.XAVIER, Double.NaN);
  }

  public static Init normal(double std) {
    return new Init(Scheme.NORMAL, std);
  }

  /** The standard deviation of a fan_in × fan_out weight matrix. */
  public double stdFor(int fanIn, int fanOut) {
    switch (scheme) {
      case HE:
        return Math.sqrt(2.0 / fanIn);
      case XAVIER:
        return Math.sqrt(2.0 / (fanIn + fanOut));
      case NORMAL:
        return std;
      default:
        throw new AssertionError(scheme);
    }
  }

  /** The name used in telemetry {@code params}: {@code he}, {@code xavier}, {@code normal}. */
  public String id() {
    return scheme.name().toLowerCase(Locale.ROOT);
  }

  /** Fills {@code weights} (fan_in × fan_out) with draws from this scheme's normal. */
  void fill(double[] weights, int fanIn, int fanOut, Rng rng) {
    double s = stdFor(fanIn, fanOut);
    for (int i = 0; i < weights.length; i++) {
      weights[i] = s * rng.gaussian();
    }
  }

  @Override
  public String toString() {
    return scheme == Scheme.NORMAL ? "normal(" + std + ")" : id();
  }
}
