package io.neuroscope.findings;

import io.neuroscope.diagnostics.Diagnostics;
import java.util.ArrayList;
import java.util.List;

/** The problems a finding can name: the ten diagnostics and {@link #NON_FINITE}. */
public final class Problems {
  /** The first NaN or ±Infinity in a loss or a tensor. */
  public static final String NON_FINITE = "non_finite";

  private Problems() {}

  /** The ten diagnostics in the spec's order, then {@code non_finite}. */
  public static List<String> names() {
    List<String> out = new ArrayList<>(Diagnostics.names());
    out.add(NON_FINITE);
    return List.copyOf(out);
  }
}
