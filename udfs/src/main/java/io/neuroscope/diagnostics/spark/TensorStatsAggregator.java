package io.neuroscope.diagnostics.spark;

import io.neuroscope.diagnostics.TensorProbe;
import io.neuroscope.diagnostics.TensorStats;
import java.io.Serializable;
import org.apache.spark.sql.Encoder;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.expressions.Aggregator;

/**
 * {@code ns_tensor_stats(values)}: the moments of a tensor whose chunks are rows of a group, in
 * SQL. Partial states merge like the job's, so the answer does not depend on how rows are split.
 */
public final class TensorStatsAggregator
    extends Aggregator<TensorStatsAggregator.Chunk, TensorStats, TensorStatsAggregator.Summary> {

  /** The aggregator's input: one chunk's values (a bean, as Spark has no float[] encoder). */
  public static final class Chunk implements Serializable {
    private float[] values;

    public float[] getValues() {
      return values;
    }

    public void setValues(float[] values) {
      this.values = values;
    }
  }

  /** The result struct. */
  public static final class Summary implements Serializable {
    private long count;
    private double mean, variance, std, norm, rms, meanAbs, stdAbs;
    private boolean allFinite;

    static Summary of(TensorStats s) {
      Summary r = new Summary();
      r.count = s.count();
      r.mean = s.mean();
      r.variance = s.variance();
      r.std = s.std();
      r.norm = s.norm();
      r.rms = s.rms();
      r.meanAbs = s.meanAbs();
      r.stdAbs = s.stdAbs();
      r.allFinite = s.allFinite();
      return r;
    }

    public long getCount() {
      return count;
    }

    public void setCount(long v) {
      count = v;
    }

    public double getMean() {
      return mean;
    }

    public void setMean(double v) {
      mean = v;
    }

    public double getVariance() {
      return variance;
    }

    public void setVariance(double v) {
      variance = v;
    }

    public double getStd() {
      return std;
    }

    public void setStd(double v) {
      std = v;
    }

    public double getNorm() {
      return norm;
    }

    public void setNorm(double v) {
      norm = v;
    }

    public double getRms() {
      return rms;
    }

    public void setRms(double v) {
      rms = v;
    }

    public double getMeanAbs() {
      return meanAbs;
    }

    public void setMeanAbs(double v) {
      meanAbs = v;
    }

    public double getStdAbs() {
      return stdAbs;
    }

    public void setStdAbs(double v) {
      stdAbs = v;
    }

    public boolean isAllFinite() {
      return allFinite;
    }

    public void setAllFinite(boolean v) {
      allFinite = v;
    }
  }

  @Override
  public TensorStats zero() {
    return new TensorStats(TensorProbe.MOMENTS_ONLY);
  }

  @Override
  public TensorStats reduce(TensorStats b, Chunk c) {
    return c.values == null ? b : b.add(c.values, 1, c.values.length);
  }

  @Override
  public TensorStats merge(TensorStats a, TensorStats b) {
    return a.merge(b);
  }

  @Override
  public Summary finish(TensorStats s) {
    return Summary.of(s);
  }

  @Override
  public Encoder<TensorStats> bufferEncoder() {
    return Encoders.javaSerialization(TensorStats.class);
  }

  @Override
  public Encoder<Summary> outputEncoder() {
    return Encoders.bean(Summary.class);
  }
}
