package io.neuroscope.sample.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Sizes, shapes and class balance of the synthetic datasets. */
class DatasetsTest {

  @Test
  void splitsHaveTheRequestedSizes() {
    for (Dataset.Split s :
        List.of(
            Datasets.twoMoons(300, 120, 0.1, 1),
            Datasets.twoSpirals(300, 120, 0.1, 1),
            Datasets.blobs(300, 120, 3, 5, 1.0, 1),
            Datasets.regression(300, 120, 0.1, 1))) {
      assertEquals(300, s.train().size(), s.train().name());
      assertEquals(120, s.validation().size(), s.train().name());
    }
  }

  @Test
  void classesAreBalancedOverall() {
    Dataset.Split s = Datasets.blobs(400, 200, 3, 2, 1.0, 7);
    int[] counts = new int[3];
    for (Dataset d : List.of(s.train(), s.validation())) {
      for (int label : d.labels()) {
        counts[label]++;
      }
    }
    assertEquals(List.of(200, 200, 200), List.of(counts[0], counts[1], counts[2]));
    double[] y = s.train().y();
    int[] labels = s.train().labels();
    for (int i = 0; i < labels.length; i++) {
      assertEquals(1.0, y[i * 3 + labels[i]], 0.0, "one-hot targets");
    }
  }

  @Test
  void regressionTargetsFollowTheFormula() {
    Dataset d = Datasets.regression(500, 0, 0.0, 3).train();
    double[] x = d.x();
    double[] y = d.y();
    for (int i = 0; i < d.size(); i++) {
      assertEquals(StrictMath.sin(x[2 * i]) + x[2 * i + 1] * x[2 * i + 1], y[i], 0.0);
      assertTrue(Math.abs(x[2 * i]) <= 2 && Math.abs(x[2 * i + 1]) <= 2);
    }
  }
}
