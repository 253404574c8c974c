package io.neuroscope.sample.training;

import java.util.SplittableRandom;

/**
 * A seeded random source with a portable Gaussian (Box–Muller over {@link StrictMath}), so the
 * numbers do not depend on the JDK's own {@code nextGaussian} algorithm. Not thread-safe; one per
 * use.
 */
public final class Rng {
  private final SplittableRandom random;
  private double spare;
  private boolean hasSpare;

  Rng(long seed) {
    this.random = new SplittableRandom(seed);
  }

  private Rng(SplittableRandom random) {
    this.random = random;
  }

  /** An independent stream, derived deterministically from this one. */
  Rng split() {
    return new Rng(random.split());
  }

  /** Uniform in [0, 1). */
  double uniform() {
    return random.nextDouble();
  }

  /** Uniform in [lo, hi). */
  double uniform(double lo, double hi) {
    return lo + (hi - lo) * random.nextDouble();
  }

  /** Uniform in [0, bound). */
  int nextInt(int bound) {
    return random.nextInt(bound);
  }

  /** Standard normal. */
  double gaussian() {
    if (hasSpare) {
      hasSpare = false;
      return spare;
    }
    double u1;
    do {
      u1 = random.nextDouble();
    } while (u1 <= 0.0);
    double u2 = random.nextDouble();
    double r = StrictMath.sqrt(-2.0 * StrictMath.log(u1));
    double theta = 2.0 * StrictMath.PI * u2;
    spare = r * StrictMath.sin(theta);
    hasSpare = true;
    return r * StrictMath.cos(theta);
  }

  /** Fisher–Yates shuffle of {@code a} in place. */
  void shuffle(int[] a) {
    for (int i = a.length - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int t = a[i];
      a[i] = a[j];
      a[j] = t;
    }
  }
}
