package io.neuroscope.jobs.summary;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.first;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.rank;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.when;

import io.neuroscope.diagnostics.Diagnostics;
import io.neuroscope.diagnostics.Settings;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code hyperparameter_effects}: how each hyperparameter goes with each target, per scope (all
 * runs, and each experiment). The pairwise statistics are Spark aggregates over (scope,
 * hyperparameter, target) groups, each over its own complete pairs: runs that do not log a
 * hyperparameter, or whose target is not finite, leave that pair only. The p-values, intervals and
 * η² follow on the driver from those few aggregates; the importances come from MLlib forests.
 */
public final class HyperparameterEffects {
  private static final Logger LOG = LoggerFactory.getLogger(HyperparameterEffects.class);

  public static final StructType SCHEMA = new StructType()
      .add("scope_type", DataTypes.StringType, false)
      .add("scope", DataTypes.StringType, false)
      .add("hyperparameter", DataTypes.StringType, false)
      .add("kind", DataTypes.StringType, false)
      .add("scale", DataTypes.StringType, true)
      .add("target", DataTypes.StringType, false)
      .add("measure", DataTypes.StringType, false)
      .add("n", DataTypes.LongType, false)
      .add("excluded", DataTypes.LongType, false)
      .add("pearson", DataTypes.DoubleType, true)
      .add("pearson_p", DataTypes.DoubleType, true)
      .add("pearson_ci_low", DataTypes.DoubleType, true)
      .add("pearson_ci_high", DataTypes.DoubleType, true)
      .add("spearman", DataTypes.DoubleType, true)
      .add("spearman_p", DataTypes.DoubleType, true)
      .add("spearman_ci_low", DataTypes.DoubleType, true)
      .add("spearman_ci_high", DataTypes.DoubleType, true)
      .add("eta_squared", DataTypes.DoubleType, true)
      .add("omega_squared", DataTypes.DoubleType, true)
      .add("anova_p", DataTypes.DoubleType, true)
      .add("level_means", DataTypes.createMapType(DataTypes.StringType, DataTypes.DoubleType), true)
      .add("level_counts", DataTypes.createMapType(DataTypes.StringType, DataTypes.LongType), true)
      .add("importance", DataTypes.DoubleType, true)
      .add("forest_r2", DataTypes.DoubleType, true)
      .add("strength", DataTypes.DoubleType, true)
      .add("reason", DataTypes.StringType, true);

  /** A target: a run_summary column, named (target, measure). */
  public record Target(String target, String measure, String column) {
    String label() {
      return target + "." + measure;
    }
  }

  /** Per diagnostic its final, max and critical share; the final and best validation loss. */
  public static List<Target> targets() {
    List<Target> out = new ArrayList<>();
    for (String d : Diagnostics.names()) {
      for (String m : List.of("final", "max", "critical_share")) out.add(new Target(d, m, d + "_" + m));
    }
    out.add(new Target("val_loss", "final", "final_val_loss"));
    out.add(new Target("val_loss", "best", "best_val_loss"));
    return out;
  }

  private record Scope(String type, String name) {}

  /** A hyperparameter in a scope: numeric or categorical, its distinct values, one of them. */
  private record Param(Scope scope, String name, boolean numeric, long distinct, String someValue,
      boolean logScale) {}

  private record Key(Scope scope, String hyperparameter, String scale, String target, String measure) {}

  private record Numeric(long n, double pearson, double spearman, double xMin, double xMax, double yMin, double yMax) {}

  private HyperparameterEffects() {}

  public static Dataset<Row> build(SparkSession spark, Dataset<Row> runSummary, Settings s) {
    long started = System.nanoTime();
    int minRuns = s.integer("effects.min_runs");
    double confidence = s.get("effects.confidence");
    List<Target> targets = targets();

    Column scopes = array(struct(lit("all").as("type"), lit("all").as("name")),
        when(col("experiment").isNotNull(), struct(lit("experiment").as("type"), col("experiment").as("name"))));
    Dataset<Row> scoped = runSummary.select(col("run_id"), col("params"), explode(scopes).as("s"))
        .where(col("s").isNotNull())
        .select(col("s.type").as("scope_type"), col("s.name").as("scope"), col("run_id"), col("params"))
        .cache();
    Map<Scope, Long> scopeRuns = new TreeMap<>(java.util.Comparator.comparing(Scope::type).thenComparing(Scope::name));
    for (Row r : scoped.groupBy("scope_type", "scope").count().collectAsList()) {
      scopeRuns.put(new Scope(r.getString(0), r.getString(1)), r.getLong(2));
    }

    Dataset<Row> params = scoped.select(col("scope_type"), col("scope"), col("run_id"), explode(col("params")).as(
        new String[] {"hp", "raw"})).where(col("raw").isNotNull())
        .withColumn("x", expr("try_cast(raw AS DOUBLE)"));
    Column isNumber = RunSummary.finite(col("x"));
    double span = s.get("effects.log_scale_min_span");
    Map<Scope, List<Param>> paramsByScope = new TreeMap<>(
        java.util.Comparator.comparing(Scope::type).thenComparing(Scope::name));
    List<Row> metaRows = new ArrayList<>();
    for (Row r : params.groupBy("scope_type", "scope", "hp").agg(count(lit(1)), min(when(isNumber, 1).otherwise(0)),
        countDistinct("raw"), countDistinct("x"), min("x"), max("x"), first("raw")).collectAsList()) {
      Scope scope = new Scope(r.getString(0), r.getString(1));
      boolean numeric = r.getInt(4) == 1;
      long distinct = numeric ? r.getLong(6) : r.getLong(5);
      boolean log = numeric && r.getDouble(7) > 0 && r.getDouble(8) / r.getDouble(7) >= span;
      Param p = new Param(scope, r.getString(2), numeric, distinct, r.getString(9), log);
      paramsByScope.computeIfAbsent(scope, k -> new ArrayList<>()).add(p);
      metaRows.add(RowFactory.create(scope.type(), scope.name(), p.name(), numeric, log));
    }
    paramsByScope.values().forEach(l -> l.sort(java.util.Comparator.comparing(Param::name)));
    Dataset<Row> meta = spark.createDataFrame(metaRows, new StructType()
        .add("scope_type", DataTypes.StringType).add("scope", DataTypes.StringType).add("hp", DataTypes.StringType)
        .add("numeric", DataTypes.BooleanType).add("log", DataTypes.BooleanType));

    List<Column> targetStructs = new ArrayList<>();
    for (Target t : targets) {
      targetStructs.add(struct(lit(t.target()).as("target"), lit(t.measure()).as("measure"),
          when(RunSummary.finite(col(t.column())), col(t.column())).as("y")));
    }
    Dataset<Row> ys = runSummary.select(col("run_id"), explode(array(targetStructs.toArray(Column[]::new))).as("t"))
        .select(col("run_id"), col("t.target"), col("t.measure"), col("t.y")).where(col("y").isNotNull());
    Dataset<Row> pairs = params.join(org.apache.spark.sql.functions.broadcast(meta), new String[] {"scope_type", "scope", "hp"})
        .join(ys, "run_id");

    Map<Key, Numeric> numeric = numericStatistics(pairs);
    Map<Key, List<Anova.Level>> levels = categoricalLevels(pairs);
    LOG.info("Hyperparameter effects: {} scopes, {} numeric and {} categorical pairs aggregated ({} s)",
        scopeRuns.size(), numeric.size(), levels.size(), seconds(started));

    Map<String, Double> forestR2 = new HashMap<>();
    Map<String, Double> importance = new HashMap<>();
    forests(spark, runSummary, paramsByScope, targets, s, forestR2, importance);
    scoped.unpersist();

    List<Row> rows = new ArrayList<>();
    for (Map.Entry<Scope, Long> e : scopeRuns.entrySet()) {
      Scope scope = e.getKey();
      for (Param p : paramsByScope.getOrDefault(scope, List.of())) {
        List<String> scales = p.numeric() ? (p.logScale() ? List.of("linear", "log10") : List.of("linear"))
            : java.util.Collections.singletonList(null);
        for (Target t : targets) {
          for (String scale : scales) {
            Key key = new Key(scope, p.name(), scale, t.target(), t.measure());
            String forestKey = forestKey(scope, t);
            rows.add(row(key, p, t, e.getValue(), numeric.get(key), levels.get(key), minRuns, confidence,
                importance.get(forestKey + "\u0000" + p.name()), forestR2.get(forestKey)));
          }
        }
      }
    }
    LOG.info("Hyperparameter effects: {} rows in {} s", rows.size(), seconds(started));
    return spark.createDataFrame(rows, SCHEMA);
  }

  /** Pearson and Spearman (average ranks for ties) per numeric pair group, with the ranges that tell a constant. */
  private static Map<Key, Numeric> numericStatistics(Dataset<Row> pairs) {
    Column scales = array(struct(lit("linear").as("scale"), col("x").as("v")),
        when(col("log"), struct(lit("log10").as("scale"), org.apache.spark.sql.functions.log10(col("x")).as("v"))));
    Dataset<Row> num = pairs.where(col("numeric"))
        .select(col("scope_type"), col("scope"), col("hp"), col("target"), col("measure"), col("y"),
            explode(scales).as("sv"))
        .where(col("sv").isNotNull())
        .select(col("scope_type"), col("scope"), col("hp"), col("sv.scale").as("scale"), col("target"), col("measure"),
            col("sv.v").as("v"), col("y"));
    String[] g = {"scope_type", "scope", "hp", "scale", "target", "measure"};
    // With the default RANGE frame, count(*) up to the current row includes its ties: the largest
    // rank of the tie group. Its mean with rank() is the average rank.
    WindowSpec byV = Window.partitionBy(cols(g)).orderBy("v");
    WindowSpec byY = Window.partitionBy(cols(g)).orderBy("y");
    Dataset<Row> ranked = num
        .withColumn("rv", rank().over(byV).plus(count(lit(1)).over(byV)).divide(2.0))
        .withColumn("ry", rank().over(byY).plus(count(lit(1)).over(byY)).divide(2.0));
    Map<Key, Numeric> out = new HashMap<>();
    for (Row r : ranked.groupBy(cols(g)).agg(count(lit(1)), pearson("v", "y"), pearson("rv", "ry"), min("v"), max("v"),
        min("y"), max("y")).collectAsList()) {
      out.put(new Key(new Scope(r.getString(0), r.getString(1)), r.getString(2), r.getString(3), r.getString(4),
          r.getString(5)), new Numeric(r.getLong(6), nan(r, 7), nan(r, 8), r.getDouble(9), r.getDouble(10),
          r.getDouble(11), r.getDouble(12)));
    }
    return out;
  }

  /**
   * Pearson's r as Spark's {@code corr} computes it (the same central moments), but null instead of
   * a division by zero (an ANSI error) when either side is constant.
   */
  private static Column pearson(String x, String y) {
    Column vx = org.apache.spark.sql.functions.var_pop(x);
    Column vy = org.apache.spark.sql.functions.var_pop(y);
    return when(vx.gt(0).and(vy.gt(0)),
        org.apache.spark.sql.functions.covar_pop(x, y).divide(org.apache.spark.sql.functions.sqrt(vx.multiply(vy))));
  }

  /** Per categorical pair group, each level's run count, mean and population variance of the target. */
  private static Map<Key, List<Anova.Level>> categoricalLevels(Dataset<Row> pairs) {
    Map<Key, List<Anova.Level>> out = new HashMap<>();
    for (Row r : pairs.where(col("numeric").equalTo(false))
        .groupBy("scope_type", "scope", "hp", "target", "measure", "raw")
        .agg(count(lit(1)), org.apache.spark.sql.functions.avg("y"), org.apache.spark.sql.functions.var_pop("y"))
        .collectAsList()) {
      Key key = new Key(new Scope(r.getString(0), r.getString(1)), r.getString(2), null, r.getString(3), r.getString(4));
      out.computeIfAbsent(key, k -> new ArrayList<>())
          .add(new Anova.Level(r.getString(5), r.getLong(6), r.getDouble(7), r.getDouble(8)));
    }
    out.values().forEach(l -> l.sort(java.util.Comparator.comparing(Anova.Level::name)));
    return out;
  }

  private static Row row(Key key, Param p, Target t, long scopeRuns, Numeric num, List<Anova.Level> allLevels, int minRuns,
      double confidence, Double importance, Double forestR2) {
    // A level of a single run has no spread of its own: it would explain its run perfectly and lift
    // η² toward 1 however unrelated the hyperparameter is. It is left out of the pair.
    final List<Anova.Level> lv = allLevels == null ? null : allLevels.stream().filter(l -> l.count() >= 2).toList();
    long singles = allLevels == null ? 0 : allLevels.size() - lv.size();
    long n = num != null ? num.n() : lv != null ? lv.stream().mapToLong(Anova.Level::count).sum() : 0;
    String reason = null;
    if (p.distinct() < 2) {
      reason = p.name() + " is constant in this scope (" + p.someValue() + ")";
    } else if (lv != null && lv.size() < 2 && n >= minRuns) {
      reason = "fewer than two levels of " + p.name() + " have two or more runs with a finite " + t.label()
          + " (" + singles + " levels of one run left out)";
    } else if (n < minRuns) {
      reason = n + " runs log " + p.name() + " and have a finite " + t.label() + ", fewer than effects.min_runs ("
          + minRuns + ")";
    } else if (num != null ? num.yMin() == num.yMax() : lv.stream().allMatch(l -> l.variance() == 0
        && l.mean() == lv.get(0).mean())) {
      reason = t.label() + " is the same for all " + n + " runs (" + fmt(num != null ? num.yMin() : lv.get(0).mean()) + ")";
    } else if (num != null && num.xMin() == num.xMax()) {
      reason = p.name() + " takes one value among the " + n + " runs with a finite " + t.label();
    }
    Object[] v = new Object[SCHEMA.size()];
    set(v, "scope_type", key.scope().type());
    set(v, "scope", key.scope().name());
    set(v, "hyperparameter", p.name());
    set(v, "kind", p.numeric() ? "numeric" : "categorical");
    set(v, "scale", key.scale());
    set(v, "target", t.target());
    set(v, "measure", t.measure());
    set(v, "n", n);
    set(v, "excluded", scopeRuns - n);
    if (reason != null) {
      set(v, "reason", reason);
      return RowFactory.create(v);
    }
    Double strength;
    if (num != null) {
      set(v, "pearson", num.pearson());
      set(v, "spearman", num.spearman());
      FisherZ pz = FisherZ.of(num.pearson(), n, confidence);
      FisherZ sz = FisherZ.of(num.spearman(), n, confidence);
      if (pz != null) {
        set(v, "pearson_p", pz.p());
        set(v, "pearson_ci_low", pz.low());
        set(v, "pearson_ci_high", pz.high());
      }
      if (sz != null) {
        set(v, "spearman_p", sz.p());
        set(v, "spearman_ci_low", sz.low());
        set(v, "spearman_ci_high", sz.high());
      }
      strength = Math.max(Math.abs(num.pearson()), Math.abs(num.spearman()));
    } else {
      Anova a = Anova.of(lv);
      Map<String, Double> means = new LinkedHashMap<>();
      Map<String, Long> counts = new LinkedHashMap<>();
      for (Anova.Level l : lv) {
        means.put(l.name(), l.mean());
        counts.put(l.name(), l.count());
      }
      set(v, "eta_squared", a.etaSquared());
      set(v, "omega_squared", a.omegaSquared());
      set(v, "anova_p", a.p());
      set(v, "level_means", scala.jdk.javaapi.CollectionConverters.asScala(means));
      set(v, "level_counts", scala.jdk.javaapi.CollectionConverters.asScala(counts));
      strength = Math.sqrt(a.omegaSquared());
    }
    set(v, "importance", importance);
    set(v, "forest_r2", forestR2);
    set(v, "strength", Double.isFinite(strength) ? strength : null);
    return RowFactory.create(v);
  }

  /**
   * Fits one forest per scope and target with enough runs ({@code effects.forest.min_runs}), on the
   * scope's varying hyperparameters (where at least two vary), several at a time. Missing numeric values are imputed with the scope's mean; a missing
   * categorical value is a level of its own.
   */
  private static void forests(SparkSession spark, Dataset<Row> runSummary, Map<Scope, List<Param>> paramsByScope,
      List<Target> targets, Settings s, Map<String, Double> r2Out, Map<String, Double> importanceOut) {
    long started = System.nanoTime();
    int minRuns = Math.max(s.integer("effects.min_runs"), s.integer("effects.forest.min_runs"));
    ForestImportance forest = new ForestImportance(s.integer("effects.forest.trees"),
        s.integer("effects.forest.max_depth"), s.integer("effects.forest.folds"), (long) s.get("effects.forest.seed"));
    List<Column> cols = new ArrayList<>(List.of(col("run_id"), col("experiment"), col("params")));
    for (Target t : targets) cols.add(col(t.column()).cast("double"));
    List<Row> runs = runSummary.select(cols.toArray(Column[]::new)).collectAsList();

    List<java.util.concurrent.Callable<Void>> fits = new ArrayList<>();
    for (Map.Entry<Scope, List<Param>> e : paramsByScope.entrySet()) {
      Scope scope = e.getKey();
      List<Param> varying = e.getValue().stream().filter(p -> p.distinct() >= 2).toList();
      if (varying.size() < 2) continue; // one feature takes all the importance: nothing to rank
      List<Row> inScope = runs.stream()
          .filter(r -> scope.type().equals("all") || scope.name().equals(r.getString(1))).toList();
      Encoded enc = Encoded.of(varying, inScope);
      for (int ti = 0; ti < targets.size(); ti++) {
        Target t = targets.get(ti);
        List<double[]> x = new ArrayList<>();
        List<Double> y = new ArrayList<>();
        for (int i = 0; i < inScope.size(); i++) {
          Row r = inScope.get(i);
          if (r.isNullAt(3 + ti) || !Double.isFinite(r.getDouble(3 + ti))) continue;
          x.add(enc.rows.get(i));
          y.add(r.getDouble(3 + ti));
        }
        if (y.size() < Math.max(minRuns, forest.folds()) || y.stream().distinct().count() < 2) continue;
        String key = forestKey(scope, t);
        double[] ys = y.stream().mapToDouble(Double::doubleValue).toArray();
        fits.add(() -> {
          ForestImportance.Result res = forest.fit(spark, enc.features, x, ys);
          synchronized (r2Out) {
            r2Out.put(key, res.crossValidatedR2());
            for (int f = 0; f < varying.size(); f++) {
              importanceOut.put(key + "\u0000" + varying.get(f).name(), res.importances()[f]);
            }
          }
          return null;
        });
      }
    }
    ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, s.integer("effects.forest.parallelism")));
    try {
      List<Future<Void>> done = pool.invokeAll(fits);
      for (Future<Void> f : done) f.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while fitting forests", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("fitting a random forest failed: " + e.getCause().getMessage(), e.getCause());
    } finally {
      pool.shutdownNow();
    }
    LOG.info("Hyperparameter effects: {} random forests ({} folds each) in {} s", fits.size(), forest.folds(),
        seconds(started));
  }

  /** A scope's varying hyperparameters as forest features, and each run's feature vector. */
  private record Encoded(List<ForestImportance.Feature> features, List<double[]> rows) {
    static Encoded of(List<Param> varying, List<Row> runs) {
      List<ForestImportance.Feature> features = new ArrayList<>();
      List<Map<String, Integer>> codes = new ArrayList<>();
      double[] means = new double[varying.size()];
      for (int f = 0; f < varying.size(); f++) {
        Param p = varying.get(f);
        Map<String, Integer> code = new TreeMap<>();
        double sum = 0;
        int n = 0;
        for (Row r : runs) {
          String raw = value(r, p.name());
          if (p.numeric()) {
            if (raw != null) {
              sum += Double.parseDouble(raw.trim());
              n++;
            }
          } else {
            code.putIfAbsent(raw == null ? "(not logged)" : raw, 0);
          }
        }
        int i = 0;
        for (Map.Entry<String, Integer> c : code.entrySet()) c.setValue(i++);
        codes.add(code);
        means[f] = n == 0 ? 0 : sum / n;
        features.add(new ForestImportance.Feature(p.name(), p.numeric() ? 0 : code.size()));
      }
      List<double[]> rows = new ArrayList<>();
      for (Row r : runs) {
        double[] x = new double[varying.size()];
        for (int f = 0; f < varying.size(); f++) {
          String raw = value(r, varying.get(f).name());
          x[f] = varying.get(f).numeric() ? (raw == null ? means[f] : Double.parseDouble(raw.trim()))
              : codes.get(f).get(raw == null ? "(not logged)" : raw);
        }
        rows.add(x);
      }
      return new Encoded(features, rows);
    }

    private static String value(Row r, String key) {
      if (r.isNullAt(2)) return null;
      scala.collection.Map<String, String> m = r.getMap(2);
      return m.get(key).isDefined() ? m.get(key).get() : null;
    }
  }

  private static String forestKey(Scope scope, Target t) {
    return scope.type() + "\u0000" + scope.name() + "\u0000" + t.label();
  }

  private static Column[] cols(String... names) {
    Column[] c = new Column[names.length];
    for (int i = 0; i < names.length; i++) c[i] = col(names[i]);
    return c;
  }

  private static void set(Object[] row, String column, Object value) {
    row[SCHEMA.fieldIndex(column)] = value;
  }

  private static double nan(Row r, int i) {
    return r.isNullAt(i) ? Double.NaN : r.getDouble(i);
  }

  private static String fmt(double v) {
    return String.format(Locale.ROOT, "%.6g", v);
  }

  private static String seconds(long since) {
    return String.format(Locale.ROOT, "%.1f", (System.nanoTime() - since) / 1e9);
  }
}
