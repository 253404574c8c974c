package io.neuroscope.sample.training;

import java.util.Arrays;

/**
 * An immutable row-major snapshot of a tensor: what the engine hands to listeners. The values are
 * copied in and copied out, so a listener can keep a Matrix across epochs.
 */
public final class Matrix {
  private final int rows;
  private final int cols;
  private final double[] values;

  /** Copies {@code values[0 .. rows·cols)}. */
  public Matrix(int rows, int cols, double[] values) {
    if (rows < 0 || cols < 0 || values.length < (long) rows * cols) {
      throw new IllegalArgumentException(
          "need " + rows + " × " + cols + " values, got " + values.length);
    }
    this.rows = rows;
    this.cols = cols;
    this.values = Arrays.copyOf(values, rows * cols);
  }

  public int rows() {
    return rows;
  }

  public int cols() {
    return cols;
  }

  public int size() {
    return values.length;
  }

  public double get(int row, int col) {
    return values[row * cols + col];
  }

  /** Element {@code i} in row-major order. */
  public double get(int i) {
    return values[i];
  }

  /** A copy of the values, row-major. */
  public double[] toDoubles() {
    return values.clone();
  }

  /**
   * The values narrowed to float, row-major (the telemetry {@code ARRAY<FLOAT>}); NaN and ±Infinity
   * are kept.
   */
  public float[] toFloats() {
    float[] f = new float[values.length];
    for (int i = 0; i < f.length; i++) {
      f[i] = (float) values[i];
    }
    return f;
  }

  /** Rows {@code [from, to)} as a float array: one chunk of a tensor split along its first axis. */
  public float[] rowsToFloats(int from, int to) {
    if (from < 0 || to > rows || from > to) {
      throw new IndexOutOfBoundsException("rows [" + from + ", " + to + ") of " + rows);
    }
    float[] f = new float[(to - from) * cols];
    for (int i = 0, j = from * cols; i < f.length; i++, j++) {
      f[i] = (float) values[j];
    }
    return f;
  }

  /** Frobenius norm (NaN if any element is NaN). */
  public double norm() {
    double s = 0;
    for (double v : values) {
      s += v * v;
    }
    return Math.sqrt(s);
  }

  /** Population variance of all elements (divide by n), two-pass. */
  public double variance() {
    if (values.length == 0) {
      return Double.NaN;
    }
    double mean = 0;
    for (double v : values) {
      mean += v;
    }
    mean /= values.length;
    double s = 0;
    for (double v : values) {
      double d = v - mean;
      s += d * d;
    }
    return s / values.length;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Matrix m
        && m.rows == rows
        && m.cols == cols
        && Arrays.equals(m.values, values);
  }

  @Override
  public int hashCode() {
    return 31 * (31 * rows + cols) + Arrays.hashCode(values);
  }

  @Override
  public String toString() {
    return "Matrix[" + rows + " × " + cols + "]";
  }
}
