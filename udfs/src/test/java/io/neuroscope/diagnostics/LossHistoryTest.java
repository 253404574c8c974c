package io.neuroscope.diagnostics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Conventions: T = train losses of epochs ≤ e, the last 50; V = the non-null val losses of epochs ≤
 * e, the last 50.
 */
class LossHistoryTest {

  @Test
  void eachEpochEntersTheHistoryOnce() {
    double[] train = {5, 4, 3};
    Double[] val = {6.0, null, 4.0};
    Double[] norms = {null, 2.0, 1.0};
    List<LossHistory> h = LossHistory.ofRun(train, val, norms, 50);
    assertEquals(3, h.size());
    assertArrayEquals(new double[] {5, 4}, h.get(1).train());
    assertArrayEquals(new double[] {6}, h.get(1).validation()); // epoch 1 has no val
    assertNull(h.get(1).valAtE());
    assertEquals(4.0, h.get(1).trainAtE());
    assertArrayEquals(new double[] {5, 4, 3}, h.get(2).train());
    assertArrayEquals(new double[] {6, 4}, h.get(2).validation());
    assertEquals(4.0, h.get(2).valAtE());
    assertArrayEquals(
        new double[] {2, 1}, h.get(2).gradientNorms()); // only epochs that logged gradients
  }

  @Test
  void historiesKeepTheLastFifty() {
    int n = 60;
    double[] train = new double[n];
    Double[] val = new Double[n];
    for (int e = 0; e < n; e++) {
      train[e] = e;
      val[e] = e % 2 == 0 ? (double) e : null; // 30 val losses, at even epochs
    }
    LossHistory last = LossHistory.ofRun(train, val, new Double[n], 50).get(n - 1);
    assertEquals(50, last.train().length);
    assertEquals(10.0, last.train()[0]); // epochs 10..59
    assertEquals(30, last.validation().length); // fewer than 50: all of them
  }
}
