package io.neuroscope.diagnostics;

import java.util.Locale;

/** How the diagnostics classify a layer's activation name (spec §1 and §4). */
public final class Activation {
  private Activation() {}

  /**
   * Dead-neuron family (§1): exactly relu; exactly leaky_relu; relu with leaky/lrelu; relu;
   * otherwise default.
   */
  public enum Family {
    RELU,
    LEAKY_RELU,
    DEFAULT
  }

  /** Saturation branch (§4): tanh, sigmoid, the relu family of §1, otherwise percentile-based. */
  public enum Saturation {
    TANH,
    SIGMOID,
    RELU_FAMILY,
    OTHER
  }

  public static Family family(String name) {
    String f = lower(name);
    if (f.equals("relu")) return Family.RELU;
    if (f.equals("leaky_relu")) return Family.LEAKY_RELU;
    if (f.contains("relu") && (f.contains("leaky") || f.contains("lrelu")))
      return Family.LEAKY_RELU;
    if (f.contains("relu")) return Family.RELU;
    return Family.DEFAULT;
  }

  public static Saturation saturation(String name) {
    String f = lower(name);
    if (f.equals("tanh")) return Saturation.TANH;
    if (f.equals("sigmoid")) return Saturation.SIGMOID;
    if (family(f) != Family.DEFAULT) return Saturation.RELU_FAMILY;
    return Saturation.OTHER;
  }

  private static String lower(String name) {
    return name == null ? "" : name.toLowerCase(Locale.ROOT);
  }
}
