package io.neuroscope.jobs.summary;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.ml.attribute.Attribute;
import org.apache.spark.ml.attribute.AttributeGroup;
import org.apache.spark.ml.attribute.NominalAttribute;
import org.apache.spark.ml.attribute.NumericAttribute;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.ml.regression.RandomForestRegressionModel;
import org.apache.spark.ml.regression.RandomForestRegressor;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * MLlib random forests of one target on a scope's hyperparameters, by k-fold cross-validation: the
 * R² of the out-of-fold predictions (1 − SS_res/SS_tot over all runs), which tells whether the
 * importances describe signal or noise, and each hyperparameter's impurity importance averaged over
 * the k forests. No forest is refitted on all rows: a fit costs about seven Spark jobs (metadata,
 * split candidates, one per tree level), whatever the data, so the cost is in their number. The
 * training rows are one partition: a few thousand rows need no more, and each job then runs one
 * task per stage instead of one per core.
 */
public final class ForestImportance {
  /** A feature: numeric, or categorical with {@code levels} values coded 0..levels−1. */
  record Feature(String name, int levels) {
    boolean categorical() {
      return levels > 0;
    }
  }

  record Result(double[] importances, double crossValidatedR2) {}

  private final int trees;
  private final int maxDepth;
  private final int folds;
  private final long seed;

  ForestImportance(int trees, int maxDepth, int folds, long seed) {
    this.trees = trees;
    this.maxDepth = maxDepth;
    this.folds = folds;
    this.seed = seed;
  }

  int folds() {
    return folds;
  }

  /** Everything besides the data that a fit's result depends on. */
  String settings() {
    return trees + "/" + maxDepth + "/" + folds + "/" + seed;
  }

  Result fit(SparkSession spark, List<Feature> features, List<double[]> x, double[] y) {
    Attribute[] attributes = new Attribute[features.size()];
    int maxLevels = 2;
    for (int i = 0; i < attributes.length; i++) {
      Feature f = features.get(i);
      // MLlib caps the bins at the training rows, and a categorical feature needs a bin per level:
      // with more levels than a third of the rows, the level codes are used as an ordered feature.
      attributes[i] =
          f.categorical() && f.levels() <= y.length / 3
              ? NominalAttribute.defaultAttr().withName(f.name()).withNumValues(f.levels())
              : NumericAttribute.defaultAttr().withName(f.name());
      maxLevels = Math.max(maxLevels, f.levels());
    }
    StructType schema =
        new StructType()
            .add(new AttributeGroup("features", attributes).toStructField())
            .add("label", DataTypes.DoubleType, false);
    // Balanced folds from a seeded shuffle: MLlib's random split can leave a fold of a few runs
    // empty.
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < y.length; i++) order.add(i);
    java.util.Collections.shuffle(order, new java.util.Random(seed));
    int[] fold = new int[y.length];
    for (int i = 0; i < y.length; i++) fold[order.get(i)] = i % folds;
    int n = y.length;
    double[] predicted = new double[n];
    double[] importance = new double[features.size()];
    for (int k = 0; k < folds; k++) {
      List<Row> train = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        if (fold[i] != k) train.add(RowFactory.create(Vectors.dense(x.get(i)), y[i]));
      }
      RandomForestRegressionModel model =
          new RandomForestRegressor()
              .setNumTrees(trees)
              .setMaxDepth(maxDepth)
              .setSeed(seed)
              .setMaxBins(Math.max(32, maxLevels))
              .fit(spark.createDataFrame(train, schema).coalesce(1));
      for (int i = 0; i < n; i++) {
        if (fold[i] == k) predicted[i] = model.predict(Vectors.dense(x.get(i)));
      }
      double[] imp = model.featureImportances().toArray();
      for (int f = 0; f < imp.length; f++) importance[f] += imp[f] / folds;
    }
    double mean = java.util.Arrays.stream(y).average().orElse(0);
    double residual = 0;
    double total = 0;
    for (int i = 0; i < n; i++) {
      residual += (y[i] - predicted[i]) * (y[i] - predicted[i]);
      total += (y[i] - mean) * (y[i] - mean);
    }
    return new Result(importance, 1 - residual / total);
  }
}
