package io.neuroscope.jobs;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.neuroscope.diagnostics.Settings;
import io.neuroscope.jobs.summary.HyperparameterEffects;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.ml.linalg.Matrix;
import org.apache.spark.ml.stat.Correlation;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/**
 * The effects' Pearson and Spearman equal Spark MLlib's {@code Correlation.corr} ("pearson",
 * "spearman") on a complete table (every run logs every hyperparameter and has the target), where
 * per-pair completeness leaves no run out and the two must agree. Ties in the hyperparameters and
 * in the target exercise the average ranks.
 */
class EffectsMllibCorrelationTest {
  private static final double EPS = 1e-9;
  private static final double[] LR = {0.0001, 0.0003, 0.001, 0.003, 0.01, 0.03, 0.1};
  private static final int[] BATCH = {16, 32, 64};

  @Test
  void pearsonAndSpearmanEqualMllib() {
    SparkSession spark = SparkTest.spark();
    List<HyperparameterEffects.Target> targets = HyperparameterEffects.targets();
    StructType schema =
        new StructType()
            .add("experiment", DataTypes.StringType)
            .add("run_id", DataTypes.StringType)
            .add("params", DataTypes.createMapType(DataTypes.StringType, DataTypes.StringType));
    for (HyperparameterEffects.Target t : targets)
      schema = schema.add(t.column(), DataTypes.DoubleType);
    int y = schema.fieldIndex("exploding_gradients_max");

    List<Row> runs = new ArrayList<>();
    List<Row> features = new ArrayList<>();
    SplittableRandom rnd = new SplittableRandom(7);
    for (int i = 0; i < 60; i++) {
      double lr = LR[rnd.nextInt(LR.length)];
      int batch = BATCH[rnd.nextInt(BATCH.length)];
      // rounded to one decimal: ties in the target too
      double target =
          Math.round((Math.log10(lr) + 5 + 3 * rnd.nextDouble() - batch / 64.0) * 10) / 10.0;
      Map<String, String> params = new LinkedHashMap<>();
      params.put("learning_rate", Double.toString(lr));
      params.put("batch_size", Integer.toString(batch));
      Object[] v = new Object[schema.size()];
      v[0] = i < 30 ? "A" : "B";
      v[1] = "r" + i;
      v[2] = scala.jdk.javaapi.CollectionConverters.asScala(params);
      v[y] = target;
      runs.add(RowFactory.create(v));
      features.add(RowFactory.create(lr, Math.log10(lr), (double) batch, target));
    }
    // no forests: only the correlations are compared
    Settings s = Settings.defaults().with(Map.of("effects.forest.min_runs", "1000"));
    Dataset<Row> effects =
        HyperparameterEffects.build(spark, spark.createDataFrame(runs, schema), s)
            .where(
                col("scope")
                    .equalTo("all")
                    .and(col("target").equalTo("exploding_gradients"))
                    .and(col("measure").equalTo("max")));

    StructType featureSchema =
        new StructType()
            .add("lr", DataTypes.DoubleType)
            .add("log_lr", DataTypes.DoubleType)
            .add("batch", DataTypes.DoubleType)
            .add("y", DataTypes.DoubleType);
    Dataset<Row> vectors =
        new VectorAssembler()
            .setInputCols(new String[] {"lr", "log_lr", "batch", "y"})
            .setOutputCol("features")
            .transform(spark.createDataFrame(features, featureSchema));
    Matrix pearson = Correlation.corr(vectors, "features", "pearson").first().getAs(0);
    Matrix spearman = Correlation.corr(vectors, "features", "spearman").first().getAs(0);

    Object[][] pairs = {
      {"learning_rate", "linear", 0}, {"learning_rate", "log10", 1}, {"batch_size", "linear", 2}
    };
    for (Object[] p : pairs) {
      Row r =
          effects
              .where(col("hyperparameter").equalTo(p[0]).and(col("scale").equalTo(p[1])))
              .first();
      int i = (Integer) p[2];
      String what = p[0] + " " + p[1];
      assertEquals(60L, r.<Long>getAs("n"), what);
      assertEquals(pearson.apply(i, 3), r.<Double>getAs("pearson"), EPS, what);
      assertEquals(spearman.apply(i, 3), r.<Double>getAs("spearman"), EPS, what);
    }
  }
}
