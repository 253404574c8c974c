package io.neuroscope.diagnostics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class TensorStatsTest {
  private static final double TOL = 1e-12;

  /** Counts x > 2.5, x < −3, x < −1.5 or x > 4.5, |x| < 1.5; per-column |x| ≤ 0.5; keeps values. */
  private static final TensorProbe PROBE = new TensorProbe(2.5, -3, -1.5, 4.5, 1.5, 0.5, true);

  // 2 rows x 3 cols:  [ 1 -2  3 ]
  //                   [-4  5  0 ]
  private static final float[] SMALL = {1, -2, 3, -4, 5, 0};

  @Test
  void momentsOfASmallTensorMatchHandValues() {
    TensorStats t = new TensorStats(PROBE).add(SMALL, 2, 3);
    assertEquals(6, t.count());
    assertEquals(2, t.rows());
    assertEquals(3, t.cols());
    assertEquals(0.5, t.mean(), TOL); // (1-2+3-4+5+0)/6 = 3/6
    // Σx² = 1+4+9+16+25+0 = 55; var = 55/6 − 0.5² = 107/12
    assertEquals(107.0 / 12, t.variance(), TOL);
    assertEquals(Math.sqrt(107.0 / 12), t.std(), TOL);
    assertEquals(55.0, t.sumOfSquares(), TOL);
    assertEquals(Math.sqrt(55), t.norm(), TOL); // Frobenius
    assertEquals(Math.sqrt(55.0 / 6), t.rms(), TOL);
    assertEquals(2.5, t.meanAbs(), TOL); // 15/6
    // var|x| = 55/6 − 2.5² = 110/12 − 75/12 = 35/12
    assertEquals(Math.sqrt(35.0 / 12), t.stdAbs(), TOL);
    assertTrue(t.allFinite());
  }

  @Test
  void predicateCountsAreFractionsOfAllElements() {
    TensorStats t = new TensorStats(PROBE).add(SMALL, 2, 3);
    assertEquals(2.0 / 6, t.fractionAbove(), TOL); // 3, 5 > 2.5
    assertEquals(1.0 / 6, t.fractionBelow(), TOL); // -4 < -3
    assertEquals(3.0 / 6, t.fractionOutside(), TOL); // -2, -4 < -1.5; 5 > 4.5
    assertEquals(2.0 / 6, t.fractionAbsBelow(), TOL); // |1|, |0| < 1.5
    assertEquals(2, t.absBelowCount());
  }

  @Test
  void columnsMostlyZeroUsesAStrictShareOverRows() {
    TensorStats t = new TensorStats(PROBE).add(SMALL, 2, 3);
    // column 2 = (3, 0): one of two rows has |x| <= 0.5 -> share 0.5
    assertEquals(1, t.columnsMostlyZero(0.4));
    assertEquals(0, t.columnsMostlyZero(0.5)); // 0.5 is not > 0.5
  }

  @Test
  void percentileInterpolatesLinearlyAtPositionNMinus1TimesQ() {
    TensorStats t = new TensorStats(PROBE).add(SMALL, 2, 3);
    // sorted: -4 -2 0 1 3 5
    assertEquals(-4.0, t.percentile(0), TOL);
    assertEquals(5.0, t.percentile(100), TOL);
    assertEquals(0.5, t.percentile(50), TOL); // pos 2.5: 0 + (1−0)·0.5
    assertEquals(-3.0, t.percentile(10), TOL); // pos 0.5: −4 + 2·0.5
    assertEquals(4.9, t.percentile(99), TOL); // pos 4.95: 3 + 2·0.95
  }

  // ---- split invariance --------------------------------------------------------------------

  /** 6 rows x 4 cols; column 0 is zero in rows 0..4 (5/6), column 3 in every row (6/6). */
  private static float[] sixByFour() {
    float[] v = new float[24];
    for (int r = 0; r < 6; r++) {
      for (int c = 0; c < 4; c++) {
        int i = r * 4 + c;
        v[i] = ((i * 7) % 11 - 5) * 0.37f + r * 1.25f;
      }
      if (r < 5) v[r * 4] = 0;
      v[r * 4 + 3] = 0;
    }
    return v;
  }

  private static float[] rows(float[] v, int from, int to, int cols) {
    return java.util.Arrays.copyOfRange(v, from * cols, to * cols);
  }

  private static void assertSameStatistics(TensorStats expected, TensorStats actual) {
    assertEquals(expected.count(), actual.count());
    assertEquals(expected.rows(), actual.rows());
    assertEquals(expected.cols(), actual.cols());
    assertRel(expected.mean(), actual.mean());
    assertRel(expected.variance(), actual.variance());
    assertRel(expected.norm(), actual.norm());
    assertRel(expected.rms(), actual.rms());
    assertRel(expected.meanAbs(), actual.meanAbs());
    assertRel(expected.stdAbs(), actual.stdAbs());
    assertEquals(expected.fractionAbove(), actual.fractionAbove(), 0);
    assertEquals(expected.fractionBelow(), actual.fractionBelow(), 0);
    assertEquals(expected.fractionOutside(), actual.fractionOutside(), 0);
    assertEquals(expected.fractionAbsBelow(), actual.fractionAbsBelow(), 0);
    assertEquals(2, actual.columnsMostlyZero(0.8)); // columns 0 (5/6) and 3 (6/6)
    assertEquals(1, actual.columnsMostlyZero(0.9)); // column 3 only
    for (double q : new double[] {0, 1, 25, 50, 75, 99, 100})
      assertRel(expected.percentile(q), actual.percentile(q));
  }

  private static void assertRel(double expected, double actual) {
    assertEquals(expected, actual, 1e-12 * Math.max(1, Math.abs(expected)));
  }

  @Test
  void oneChunkEqualsThreeMergedChunksOfRows() {
    float[] v = sixByFour();
    TensorStats whole = new TensorStats(PROBE).add(v, 6, 4);
    TensorStats merged =
        new TensorStats(PROBE)
            .add(rows(v, 0, 2, 4), 2, 4)
            .merge(new TensorStats(PROBE).add(rows(v, 2, 4, 4), 2, 4))
            .merge(new TensorStats(PROBE).add(rows(v, 4, 6, 4), 2, 4));
    assertSameStatistics(whole, merged);
  }

  @Test
  void splitAcrossTwoInstancesMergedInTheOtherOrderGivesTheSameStatistics() {
    float[] v = sixByFour();
    TensorStats whole = new TensorStats(PROBE).add(v, 6, 4);
    TensorStats first = new TensorStats(PROBE).add(rows(v, 0, 1, 4), 1, 4);
    TensorStats second = new TensorStats(PROBE).add(rows(v, 1, 6, 4), 5, 4);
    assertSameStatistics(whole, second.merge(first));
  }

  @Test
  void wholeTensorMatchesATwoPassReference() {
    float[] v = sixByFour();
    TensorStats t = new TensorStats(PROBE).add(v, 6, 4);
    double mean = 0;
    for (float x : v) mean += x;
    mean /= v.length;
    double m2 = 0, ss = 0;
    for (float x : v) {
      m2 += (x - mean) * (x - mean);
      ss += (double) x * x;
    }
    assertRel(mean, t.mean());
    assertRel(m2 / v.length, t.variance());
    assertRel(Math.sqrt(ss), t.norm());
  }

  @Test
  void largeOffsetKeepsTheVarianceAccurate() {
    // 1e6 + {±0.5, ±0.25, ±0.125} are exact in float (spacing 1/16 near 1e6).
    // var = (0.25+0.25+0.0625+0.0625+0.015625+0.015625)/6 = 0.65625/6 = 0.109375 exactly;
    // a naive E[x²] − E[x]² would lose ~1e12 · 2e-16 ≈ 2e-4.
    float b = 1e6f;
    float[] v = {b + 0.5f, b - 0.5f, b + 0.25f, b - 0.25f, b + 0.125f, b - 0.125f};
    TensorStats one = new TensorStats(TensorProbe.MOMENTS_ONLY).add(v, 1, 6);
    assertEquals(1e6, one.mean(), TOL);
    assertEquals(0.109375, one.variance(), TOL);
    TensorStats three =
        new TensorStats(TensorProbe.MOMENTS_ONLY)
            .add(new float[] {v[0], v[1]}, 1, 2)
            .merge(new TensorStats(TensorProbe.MOMENTS_ONLY).add(new float[] {v[2], v[3]}, 1, 2))
            .merge(new TensorStats(TensorProbe.MOMENTS_ONLY).add(new float[] {v[4], v[5]}, 1, 2));
    assertEquals(0.109375, three.variance(), TOL);
    assertEquals(0.109375, three.stdAbs() * three.stdAbs(), 1e-9); // |x| = x here
  }

  @Test
  void largeOffsetOnTheDoublePathKeepsTheVarianceAccurateAcrossAMerge() {
    // 1e6 + the same noise, split 3 + 3 so the chunk means differ (1e6 ± 1/12).
    double b = 1e6;
    double[] v = {b + 0.5, b - 0.5, b + 0.25, b - 0.25, b + 0.125, b - 0.125};
    TensorStats t =
        new TensorStats(TensorProbe.MOMENTS_ONLY)
            .add(new double[] {v[0], v[1], v[2]}, 1, 3)
            .merge(
                new TensorStats(TensorProbe.MOMENTS_ONLY)
                    .add(new double[] {v[3], v[4], v[5]}, 1, 3));
    assertEquals(0.109375, t.variance(), 1e-12 * 0.109375 * 1e3);
  }

  @Test
  void veryLargeOffsetStaysFarMoreAccurateThanTheNaiveFormula() {
    // 1e9 + the same noise: the naive E[x²] − E[x]² would be off by ~1e18 · 2e-16 = 200 (and a
    // single
    // chunk must be exact: its sums are taken around a sample value). Across a merge, Chan's update
    // works on chunk means stored near 1e9 (ulp 1.2e-7), so ~1e-7 relative is its precision here.
    double b = 1e9;
    double[] v = {b + 0.5, b - 0.5, b + 0.25, b - 0.25, b + 0.125, b - 0.125};
    assertEquals(0.109375, new TensorStats(TensorProbe.MOMENTS_ONLY).add(v, 1, 6).variance(), TOL);
    TensorStats t =
        new TensorStats(TensorProbe.MOMENTS_ONLY)
            .add(new double[] {v[0], v[1], v[2]}, 1, 3)
            .merge(
                new TensorStats(TensorProbe.MOMENTS_ONLY)
                    .add(new double[] {v[3], v[4], v[5]}, 1, 3));
    assertEquals(0.109375, t.variance(), 1e-6 * 0.109375);
  }

  @Test
  void nanMakesMomentsNaNButCountsStillUseEveryElement() {
    // probe: x > 0; |x| < 2
    TensorProbe p =
        new TensorProbe(
            0,
            Double.NEGATIVE_INFINITY,
            Double.NEGATIVE_INFINITY,
            Double.POSITIVE_INFINITY,
            2,
            0.5,
            true);
    TensorStats t = new TensorStats(p).add(new float[] {1, Float.NaN, 3, -1}, 2, 2);
    assertTrue(Double.isNaN(t.mean()));
    assertTrue(Double.isNaN(t.variance()));
    assertTrue(Double.isNaN(t.std()));
    assertTrue(Double.isNaN(t.norm()));
    assertTrue(Double.isNaN(t.rms()));
    assertTrue(Double.isNaN(t.meanAbs()));
    assertTrue(Double.isNaN(t.stdAbs()));
    assertTrue(Double.isNaN(t.percentile(50)));
    assertFalse(t.allFinite());
    assertEquals(4, t.count());
    assertEquals(2.0 / 4, t.fractionAbove(), TOL); // 1 and 3; the NaN is in the denominator
    assertEquals(2.0 / 4, t.fractionAbsBelow(), TOL); // |1|, |−1| < 2
  }

  @Test
  void positiveInfinityGivesInfiniteMeanAndNormAndNaNVariance() {
    TensorProbe p =
        new TensorProbe(
            2,
            Double.NEGATIVE_INFINITY,
            Double.NEGATIVE_INFINITY,
            Double.POSITIVE_INFINITY,
            0,
            Double.NaN,
            false);
    TensorStats t = new TensorStats(p).add(new float[] {1, Float.POSITIVE_INFINITY, 3}, 1, 3);
    assertEquals(Double.POSITIVE_INFINITY, t.mean());
    assertTrue(Double.isNaN(t.variance()));
    assertTrue(Double.isNaN(t.std()));
    assertEquals(Double.POSITIVE_INFINITY, t.norm());
    assertEquals(Double.POSITIVE_INFINITY, t.meanAbs());
    assertFalse(t.allFinite());
    assertEquals(2.0 / 3, t.fractionAbove(), TOL); // +Inf and 3 are > 2
  }

  @Test
  void negativeInfinityGivesMinusInfiniteMeanAndBothInfinitiesGiveNaNMean() {
    TensorStats neg =
        new TensorStats(TensorProbe.MOMENTS_ONLY)
            .add(new float[] {1, Float.NEGATIVE_INFINITY}, 1, 2);
    assertEquals(Double.NEGATIVE_INFINITY, neg.mean());
    assertEquals(Double.POSITIVE_INFINITY, neg.norm());
    TensorStats both =
        new TensorStats(TensorProbe.MOMENTS_ONLY)
            .add(new float[] {Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY}, 1, 2);
    assertTrue(Double.isNaN(both.mean())); // inf + (−inf) = NaN, as numpy
  }

  @Test
  void doubleInputEqualsFloatInputOnTheSameValues() {
    float[] f = sixByFour();
    double[] d = new double[f.length];
    for (int i = 0; i < f.length; i++) d[i] = f[i];
    TensorStats fs = new TensorStats(PROBE).add(f, 6, 4);
    TensorStats ds = new TensorStats(PROBE).add(d, 6, 4);
    assertEquals(fs.count(), ds.count());
    assertEquals(fs.mean(), ds.mean(), 0);
    assertEquals(fs.variance(), ds.variance(), 0);
    assertEquals(fs.norm(), ds.norm(), 0);
    assertEquals(fs.meanAbs(), ds.meanAbs(), 0);
    assertEquals(fs.stdAbs(), ds.stdAbs(), 0);
    assertEquals(fs.fractionAbove(), ds.fractionAbove(), 0);
    assertEquals(fs.fractionBelow(), ds.fractionBelow(), 0);
    assertEquals(fs.fractionOutside(), ds.fractionOutside(), 0);
    assertEquals(fs.fractionAbsBelow(), ds.fractionAbsBelow(), 0);
    assertEquals(fs.columnsMostlyZero(0.8), ds.columnsMostlyZero(0.8));
    assertEquals(fs.percentile(37), ds.percentile(37), 0);
  }

  @Test
  void percentileOfDoubleInputKeepsDoublePrecision() {
    TensorStats t = new TensorStats(PROBE).add(new double[] {0.1, 0.2, 0.3}, 1, 3);
    assertEquals(0.2, t.percentile(50), TOL); // pos (3−1)·0.5 = 1: the middle value itself
  }
}
