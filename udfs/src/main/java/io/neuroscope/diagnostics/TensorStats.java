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

  /**
   * Elements per block: a block's doubles stay in L1 while the counting and the moment loops read
   * them.
   */
  private static final int BLOCK = 2048;

  /** Adds a chunk of {@code rows x cols} float values, row-major. */
  public TensorStats add(float[] values, int rows, int cols) {
    noteShape(rows, cols);
    double[] block = new double[Math.min(BLOCK, values.length)];
    long[] zeros = columnZerosFor(cols);
    for (int start = 0; start < values.length; start += BLOCK) {
      int len = Math.min(BLOCK, values.length - start);
      for (int i = 0; i < len; i++) block[i] = values[start + i];
      addBlock(block, len, zeros, cols, start);
    }
    mergeColumnZeros(zeros);
    if (probe.keepValues()) {
      double[] d = new double[values.length];
      for (int i = 0; i < d.length; i++) d[i] = values[i];
      keep(d);
    }
    return this;
  }

  /**
   * Adds a chunk of {@code rows x cols} double values (the contract also accepts
   * ARRAY&lt;DOUBLE&gt;).
   */
  public TensorStats add(double[] values, int rows, int cols) {
    noteShape(rows, cols);
    double[] block = new double[Math.min(BLOCK, values.length)];
    long[] zeros = columnZerosFor(cols);
    for (int start = 0; start < values.length; start += BLOCK) {
      int len = Math.min(BLOCK, values.length - start);
      System.arraycopy(values, start, block, 0, len);
      addBlock(block, len, zeros, cols, start);
    }
    mergeColumnZeros(zeros);
    if (probe.keepValues()) keep(values);
    return this;
  }

  private long[] columnZerosFor(int cols) {
    return !Double.isNaN(probe.columnZeroTolerance()) && cols > 0 ? new long[cols] : null;
  }

  /**
   * Counts and moments of one block. Comparisons need no special case for NaN or ±∞; the moments
   * do, so a block whose sums come out non-finite is summed again element by element. A predicate
   * that is off (threshold at ±∞) cannot hold, so its loop is skipped.
   */
  private void addBlock(double[] b, int n, long[] zeros, int cols, int offset) {
    count += n;
    if (probe.above() < Double.POSITIVE_INFINITY) aboveCount += countAbove(b, n, probe.above());
    if (probe.below() > Double.NEGATIVE_INFINITY) belowCount += countBelow(b, n, probe.below());
    if (probe.outsideLow() > Double.NEGATIVE_INFINITY
        || probe.outsideHigh() < Double.POSITIVE_INFINITY) {
      outsideCount += countBelow(b, n, probe.outsideLow()) + countAbove(b, n, probe.outsideHigh());
    }
    if (probe.absBelow() > 0) absBelowCount += countAbsBelow(b, n, probe.absBelow());
    if (zeros != null) {
      double tol = probe.columnZeroTolerance();
      int col = offset % cols;
      for (int i = 0; i < n; i++) {
        zeros[col] += Math.abs(b[i]) <= tol ? 1 : 0;
        if (++col == cols) col = 0;
      }
    }
    // Shifted sums (shift = a sample value) keep the single-pass variance accurate. Two
    // accumulators per sum halve the chain of dependent additions.
    double shift = b[0];
    double s1 = 0, s2 = 0, sq = 0, t1 = 0, t2 = 0, tq = 0;
    int i = 0;
    for (; i + 1 < n; i += 2) {
      double v = b[i], w = b[i + 1];
      double d = v - shift, e = w - shift;
      s1 += d;
      t1 += e;
      s2 += d * d;
      t2 += e * e;
      sq += v * v;
      tq += w * w;
    }
    if (i < n) {
      double d = b[i] - shift;
      s1 += d;
      s2 += d * d;
      sq += b[i] * b[i];
    }
    s1 += t1;
    s2 += t2;
    sq += tq;
    double absShift = Math.abs(shift), a1 = 0, a2 = 0;
    if (probe.absMoments()) {
      double u1 = 0, u2 = 0;
      for (i = 0; i + 1 < n; i += 2) {
        double d = Math.abs(b[i]) - absShift, e = Math.abs(b[i + 1]) - absShift;
        a1 += d;
        u1 += e;
        a2 += d * d;
        u2 += e * e;
      }
      if (i < n) {
        double d = Math.abs(b[i]) - absShift;
        a1 += d;
        a2 += d * d;
      }
      a1 += u1;
      a2 += u2;
    }
    if (Double.isFinite(s2) && Double.isFinite(a2)) {
      addMoments(n, shift, s1, s2, absShift, a1, a2, sq);
    } else {
      addMomentsOfFiniteElements(b, n);
    }
  }

  private static int countAbove(double[] b, int n, double t) {
    int c = 0;
    for (int i = 0; i < n; i++) c += b[i] > t ? 1 : 0;
    return c;
  }

  private static int countBelow(double[] b, int n, double t) {
    int c = 0;
    for (int i = 0; i < n; i++) c += b[i] < t ? 1 : 0;
    return c;
  }

  private static int countAbsBelow(double[] b, int n, double t) {
    int c = 0;
    for (int i = 0; i < n; i++) c += Math.abs(b[i]) < t ? 1 : 0;
    return c;
  }

  private void addMomentsOfFiniteElements(double[] b, int n) {
    double shift = 0;
    for (int i = 0; i < n; i++) {
      if (Double.isFinite(b[i])) {
        shift = b[i];
        break;
      }
    }
    double absShift = Math.abs(shift);
    long finite = 0;
    double s1 = 0, s2 = 0, a1 = 0, a2 = 0, sq = 0;
    for (int i = 0; i < n; i++) {
      double v = b[i];
      if (Double.isFinite(v)) {
        double d = v - shift, da = Math.abs(v) - absShift;
        s1 += d;
        s2 += d * d;
        a1 += da;
        a2 += da * da;
        sq += v * v;
        finite++;
      } else if (Double.isNaN(v)) {
        nanCount++;
      } else if (v > 0) {
        positiveInfinities++;
      } else {
        negativeInfinities++;
      }
    }
    addMoments(finite, shift, s1, s2, absShift, a1, a2, sq);
  }

  private void addMoments(
      long n,
      double shift,
      double s1,
      double s2,
      double absShift,
      double a1,
      double a2,
      double sq) {
    sumOfSquares += sq;
    x.merge(Moments.fromShiftedSums(n, shift, s1, s2));
    abs.merge(Moments.fromShiftedSums(n, absShift, a1, a2));
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
    if (nanCount > 0 || (positiveInfinities > 0 && negativeInfinities > 0) || count == 0)
      return Double.NaN;
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
    requireAbsMoments();
    if (nanCount > 0 || count == 0) return Double.NaN;
    if (positiveInfinities + negativeInfinities > 0) return Double.POSITIVE_INFINITY;
    return abs.mean;
  }

  public double stdAbs() {
    requireAbsMoments();
    return allFinite() && count > 0 ? Math.sqrt(abs.variance()) : Double.NaN;
  }

  private void requireAbsMoments() {
    if (!probe.absMoments() && count > 0 && abs.n == 0) {
      throw new IllegalStateException("|x| moments need a probe with absMoments");
    }
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

  /**
   * Linear-interpolation percentile; NaN when any value is NaN. Needs a probe that keeps values.
   */
  public double percentile(double q) {
    if (!probe.keepValues())
      throw new IllegalStateException("percentiles need a probe that keeps values");
    if (nanCount > 0) return Double.NaN;
    double[] sorted = Arrays.copyOf(kept == null ? new double[0] : kept, keptLength);
    Arrays.sort(sorted);
    return Series.percentileOfSorted(sorted, q);
  }
}
