package io.neuroscope.diagnostics;

import java.io.Serializable;
import java.util.Arrays;

/**
 * Mergeable statistics of one tensor, computed in a single pass over its values with no object per
 * element. A tensor split over chunks, rows or partitions gives the same statistics: add each piece
 * to its own instance and {@link #merge} them.
 *
 * <p>Moments cover the finite elements; non-finite ones are counted, and the accessors apply the
 * spec's rule that a statistic touching a NaN is NaN (and one touching ±∞ follows IEEE arithmetic,
 * as numpy does: the mean is ±∞, the variance NaN).
 */
public final class TensorStats implements Serializable {
  private final TensorProbe probe;
  private long count;
  private long rows;
  private int cols = -1;
  private long nanCount;
  private long positiveInfinities;
  private long negativeInfinities;
  private final Moments x = new Moments();
  private final Moments abs = new Moments();
  private double sumOfSquares;
  private long aboveCount;
  private long belowCount;
  private long outsideCount;
  private long absBelowCount;
  private long[] columnZeros;
  private boolean columnsConsistent = true;
  private double[] kept;
  private int keptLength;

  public TensorStats(TensorProbe probe) {
    this.probe = probe;
  }

  /** Adds a chunk of {@code rows x cols} float values, row-major. */
  public TensorStats add(float[] values, int rows, int cols) {
    accumulate(i -> values[i], values.length, rows, cols);
    if (probe.keepValues()) {
      double[] d = new double[values.length];
      for (int i = 0; i < d.length; i++) d[i] = values[i];
      keep(d);
    }
    return this;
  }

  /** Adds a chunk of {@code rows x cols} double values (the contract also accepts ARRAY&lt;DOUBLE&gt;). */
  public TensorStats add(double[] values, int rows, int cols) {
    accumulate(i -> values[i], values.length, rows, cols);
    if (probe.keepValues()) keep(values);
    return this;
  }

  @FunctionalInterface
  private interface Elements {
    double at(int i);
  }

  private void accumulate(Elements e, int n, int rows, int cols) {
    long[] zeros = null;
    if (!Double.isNaN(probe.columnZeroTolerance()) && cols > 0) {
      zeros = new long[cols];
    }
    noteShape(rows, cols);
    // Shifted sums (shift = a sample value) keep the single-pass variance accurate.
    double shift = 0;
    for (int i = 0; i < n; i++) {
      double v = e.at(i);
      if (v - v == 0) {
        shift = v;
        break;
      }
    }
    double absShift = Math.abs(shift);
    final double above = probe.above(), below = probe.below();
    final double outLow = probe.outsideLow(), outHigh = probe.outsideHigh();
    final double absBelow = probe.absBelow(), zeroTol = probe.columnZeroTolerance();
    long finite = 0, nan = 0, posInf = 0, negInf = 0, cAbove = 0, cBelow = 0, cOutside = 0, cAbsBelow = 0;
    double s1 = 0, s2 = 0, a1 = 0, a2 = 0, sq = 0;
    int col = 0;
    for (int i = 0; i < n; i++) {
      double v = e.at(i);
      double a = Math.abs(v);
      if (v > above) cAbove++;
      if (v < below) cBelow++;
      if (v < outLow || v > outHigh) cOutside++;
      if (a < absBelow) cAbsBelow++;
      if (zeros != null) {
        if (a <= zeroTol) zeros[col]++;
        if (++col == cols) col = 0;
      }
      if (v - v == 0) {
        double d = v - shift;
        s1 += d;
        s2 += d * d;
        double da = a - absShift;
        a1 += da;
        a2 += da * da;
        sq += v * v;
        finite++;
      } else if (v != v) {
        nan++;
      } else if (v > 0) {
        posInf++;
      } else {
        negInf++;
      }
    }
    count += n;
    nanCount += nan;
    positiveInfinities += posInf;
    negativeInfinities += negInf;
    x.merge(Moments.fromShiftedSums(finite, shift, s1, s2));
    abs.merge(Moments.fromShiftedSums(finite, absShift, a1, a2));
    sumOfSquares += sq;
    aboveCount += cAbove;
    belowCount += cBelow;
    outsideCount += cOutside;
    absBelowCount += cAbsBelow;
    mergeColumnZeros(zeros);
  }

  private void noteShape(int rows, int cols) {
    this.rows += rows;
    if (this.cols == -1) this.cols = cols;
    else if (this.cols != cols) columnsConsistent = false;
  }

  private void mergeColumnZeros(long[] zeros) {
    if (zeros == null) return;
    if (columnZeros == null) {
      columnZeros = zeros;
    } else if (columnZeros.length == zeros.length) {
      for (int j = 0; j < zeros.length; j++) columnZeros[j] += zeros[j];
    } else {
      columnsConsistent = false;
    }
  }

  private void keep(double[] values) {
    if (kept == null) kept = new double[Math.max(16, values.length)];
    if (keptLength + values.length > kept.length) {
      kept = Arrays.copyOf(kept, Math.max(kept.length * 2, keptLength + values.length));
    }
    System.arraycopy(values, 0, kept, keptLength, values.length);
    keptLength += values.length;
  }

  /** Folds another piece of the same tensor into this one. */
  public TensorStats merge(TensorStats o) {
    count += o.count;
    if (o.cols != -1) noteShape(0, o.cols);
    rows += o.rows;
    columnsConsistent &= o.columnsConsistent;
    nanCount += o.nanCount;
    positiveInfinities += o.positiveInfinities;
    negativeInfinities += o.negativeInfinities;
    x.merge(o.x);
    abs.merge(o.abs);
    sumOfSquares += o.sumOfSquares;
    aboveCount += o.aboveCount;
    belowCount += o.belowCount;
    outsideCount += o.outsideCount;
    absBelowCount += o.absBelowCount;
    mergeColumnZeros(o.columnZeros == null ? null : o.columnZeros.clone());
    if (o.keptLength > 0) keep(Arrays.copyOf(o.kept, o.keptLength));
    return this;
  }

  // ---- finished statistics -----------------------------------------------------------------

  public long count() {
    return count;
  }

  public long rows() {
    return rows;
  }

  /** Columns of every chunk, or -1 when chunks disagree (the tensor is then malformed). */
  public int cols() {
    return columnsConsistent ? cols : -1;
  }

  public boolean allFinite() {
    return nanCount + positiveInfinities + negativeInfinities == 0;
  }

  public double mean() {
    if (nanCount > 0 || (positiveInfinities > 0 && negativeInfinities > 0) || count == 0) return Double.NaN;
    if (positiveInfinities > 0) return Double.POSITIVE_INFINITY;
    if (negativeInfinities > 0) return Double.NEGATIVE_INFINITY;
    return x.mean;
  }

  /** Population variance. */
  public double variance() {
    return allFinite() && count > 0 ? x.variance() : Double.NaN;
  }

  public double std() {
    return Math.sqrt(variance());
  }

  public double sumOfSquares() {
    if (nanCount > 0) return Double.NaN;
    if (positiveInfinities + negativeInfinities > 0) return Double.POSITIVE_INFINITY;
    return sumOfSquares;
  }

  /** Frobenius (L2) norm. */
  public double norm() {
    return Math.sqrt(sumOfSquares());
  }

  /** sqrt(mean(x²)). */
  public double rms() {
    return Math.sqrt(sumOfSquares() / count);
  }

  public double meanAbs() {
    if (nanCount > 0 || count == 0) return Double.NaN;
    if (positiveInfinities + negativeInfinities > 0) return Double.POSITIVE_INFINITY;
    return abs.mean;
  }

  public double stdAbs() {
    return allFinite() && count > 0 ? Math.sqrt(abs.variance()) : Double.NaN;
  }

  /** Moments of |x| for merging magnitudes across tensors (gradient SNR over all layers). */
  Moments absMoments() {
    return abs;
  }

  long nanCount() {
    return nanCount;
  }

  long infiniteCount() {
    return positiveInfinities + negativeInfinities;
  }

  /** P(x > probe.above). */
  public double fractionAbove() {
    return (double) aboveCount / count;
  }

  /** P(x < probe.below). */
  public double fractionBelow() {
    return (double) belowCount / count;
  }

  /** P(x < probe.outsideLow or x > probe.outsideHigh). */
  public double fractionOutside() {
    return (double) outsideCount / count;
  }

  /** P(|x| < probe.absBelow). */
  public double fractionAbsBelow() {
    return (double) absBelowCount / count;
  }

  public long absBelowCount() {
    return absBelowCount;
  }

  /** Columns whose share of |x| <= zero tolerance, over the rows, is above the threshold. */
  public int columnsMostlyZero(double threshold) {
    if (columnZeros == null) return 0;
    int n = 0;
    for (long z : columnZeros) {
      if ((double) z / rows > threshold) n++;
    }
    return n;
  }

  /** Linear-interpolation percentile; NaN when any value is NaN. Needs a probe that keeps values. */
  public double percentile(double q) {
    if (!probe.keepValues()) throw new IllegalStateException("percentiles need a probe that keeps values");
    if (nanCount > 0) return Double.NaN;
    double[] sorted = Arrays.copyOf(kept == null ? new double[0] : kept, keptLength);
    Arrays.sort(sorted);
    return Series.percentileOfSorted(sorted, q);
  }
}
