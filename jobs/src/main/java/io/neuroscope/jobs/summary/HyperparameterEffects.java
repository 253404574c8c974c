package io.neuroscope.jobs.summary;

import static org.apache.spark.sql.functions.col;

import io.neuroscope.diagnostics.Diagnostics;
import io.neuroscope.diagnostics.Settings;
import io.neuroscope.findings.Problems;
import io.neuroscope.jobs.spark.Elapsed;
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
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code hyperparameter_effects}: how each hyperparameter goes with each target, per scope (all
 * runs, and each experiment). run_summary is one row per run, so it is collected once and the
 * pairwise statistics are computed from it on the driver, each over its own complete pairs: runs
 * that do not log a hyperparameter, or whose target is not finite, leave that pair only. (As Spark
 * aggregates they cost two window sorts of some four million pair rows; here, under a second.) The
 * importances come from MLlib forests, fitted from the same collected rows.
 */
public final class HyperparameterEffects {
  private static final Logger LOG = LoggerFactory.getLogger(HyperparameterEffects.class);

  public static final StructType SCHEMA =
      new StructType()
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
          .add(
              "level_means",
              DataTypes.createMapType(DataTypes.StringType, DataTypes.DoubleType),
              true)
          .add(
              "level_counts",
              DataTypes.createMapType(DataTypes.StringType, DataTypes.LongType),
              true)
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

  /**
   * Per diagnostic its final, max and critical share; the final and best validation loss; per
   * problem of the findings its presence (1 or 0: {@code finding}) and onset epoch ({@code onset},
   * over the runs that have it).
   */
  public static List<Target> targets() {
    List<Target> out = new ArrayList<>();
    for (String d : Diagnostics.names()) {
      for (String m : List.of("final", "max", "critical_share"))
        out.add(new Target(d, m, d + "_" + m));
    }
    out.add(new Target("val_loss", "final", "final_val_loss"));
    out.add(new Target("val_loss", "best", "best_val_loss"));
    for (String p : Problems.names()) {
      out.add(new Target(p, "finding", "finding_" + p));
      out.add(new Target(p, "onset", "finding_" + p + "_onset"));
    }
    return out;
  }

  /** run_summary with a column per finding target, from its findings and finding_onsets. */
  static Dataset<Row> withFindingTargets(Dataset<Row> runSummary) {
    if (!List.of(runSummary.columns()).contains("findings")) return runSummary;
    Dataset<Row> out = runSummary;
    for (String p : Problems.names()) {
      out =
          out.withColumn(
                  "finding_" + p,
                  functions.when(functions.array_contains(col("findings"), p), 1.0).otherwise(0.0))
              .withColumn(
                  "finding_" + p + "_onset",
                  functions.element_at(col("finding_onsets"), p).cast("double"));
    }
    return out;
  }

  private record Scope(String type, String name) {}

  /**
   * A run as the effects read it: its experiment, logged params and each target (NaN where null or
   * not finite).
   */
  private record Run(String experiment, Map<String, String> params, double[] y) {}

  /** A hyperparameter in a scope: numeric or categorical, its distinct values, one of them. */
  private record Param(
      Scope scope,
      String name,
      boolean numeric,
      long distinct,
      String someValue,
      boolean logScale) {}

  private record Key(
      Scope scope, String hyperparameter, String scale, String target, String measure) {}

  private HyperparameterEffects() {}

  public static Dataset<Row> build(SparkSession spark, Dataset<Row> runSummary, Settings s) {
    return build(spark, runSummary, s, experiment -> true, ForestMemo.empty());
  }

  /**
   * The rows of scope {@code all} and of the experiments {@code experiments} accepts (the others'
   * are left out: a caller keeps them from an earlier run), with the forests {@code memo} holds for
   * the same input taken from it.
   */
  public static Dataset<Row> build(
      SparkSession spark,
      Dataset<Row> runSummary,
      Settings s,
      java.util.function.Predicate<String> experiments,
      ForestMemo memo) {
    long started = System.nanoTime();
    int minRuns = s.integer("effects.min_runs");
    double confidence = s.get("effects.confidence");
    List<Target> targets = targets();
    // run_summary has one row per run: one collect, and every statistic below reads it on the
    // driver
    List<Run> runs = collect(withFindingTargets(runSummary), targets);
    Map<Scope, List<Run>> scopes = new TreeMap<>(SCOPE_ORDER);
    for (Run r : runs) {
      scopes.computeIfAbsent(new Scope("all", "all"), k -> new ArrayList<>()).add(r);
      if (r.experiment() != null && experiments.test(r.experiment()))
        scopes
            .computeIfAbsent(new Scope("experiment", r.experiment()), k -> new ArrayList<>())
            .add(r);
    }
    double span = s.get("effects.log_scale_min_span");
    Map<Scope, List<Param>> paramsByScope = new TreeMap<>(SCOPE_ORDER);
    scopes.forEach((scope, in) -> paramsByScope.put(scope, params(scope, in, span)));

    Map<Key, Correlation> numeric = new HashMap<>();
    Map<Key, List<Anova.Level>> levels = new HashMap<>();
    for (Map.Entry<Scope, List<Param>> e : paramsByScope.entrySet()) {
      List<Run> in = scopes.get(e.getKey());
      for (Param p : e.getValue()) {
        for (int ti = 0; ti < targets.size(); ti++) {
          if (p.numeric()) numericPairs(p, in, ti, targets.get(ti), numeric);
          else categoricalPair(p, in, ti, targets.get(ti), levels);
        }
      }
    }
    LOG.info(
        "Hyperparameter effects: {} scopes, {} numeric and {} categorical pairs computed ({} s)",
        scopes.size(),
        numeric.size(),
        levels.size(),
        Elapsed.since(started));

    Map<String, Double> forestR2 = new HashMap<>();
    Map<String, Double> importance = new HashMap<>();
    forests(spark, scopes, paramsByScope, targets, s, memo, forestR2, importance);

    List<Row> rows = new ArrayList<>();
    for (Map.Entry<Scope, List<Run>> e : scopes.entrySet()) {
      Scope scope = e.getKey();
      for (Param p : paramsByScope.get(scope)) {
        List<String> scales =
            p.numeric()
                ? (p.logScale() ? List.of("linear", "log10") : List.of("linear"))
                : java.util.Collections.singletonList(null);
        for (Target t : targets) {
          for (String scale : scales) {
            Key key = new Key(scope, p.name(), scale, t.target(), t.measure());
            String forestKey = forestKey(scope, t);
            rows.add(
                row(
                    key,
                    p,
                    t,
                    e.getValue().size(),
                    numeric.get(key),
                    levels.get(key),
                    minRuns,
                    confidence,
                    importance.get(forestKey + "\u0000" + p.name()),
                    forestR2.get(forestKey)));
          }
        }
      }
    }
    LOG.info("Hyperparameter effects: {} rows in {} s", rows.size(), Elapsed.since(started));
    return spark.createDataFrame(rows, SCHEMA);
  }

  private static final java.util.Comparator<Scope> SCOPE_ORDER =
      java.util.Comparator.comparing(Scope::type).thenComparing(Scope::name);

  /**
   * The runs by run_id: the forests' folds are drawn over this order, so it must not depend on how
   * run_summary's files happen to be laid out (a MERGE and a fresh write lay them out differently).
   */
  private static List<Run> collect(Dataset<Row> runSummary, List<Target> targets) {
    List<Column> cols = new ArrayList<>(List.of(col("run_id"), col("experiment"), col("params")));
    for (Target t : targets) cols.add(col(t.column()).cast("double"));
    List<Row> rows =
        new ArrayList<>(runSummary.select(cols.toArray(Column[]::new)).collectAsList());
    rows.sort(java.util.Comparator.comparing(r -> r.getString(0)));
    List<Run> out = new ArrayList<>();
    for (Row r : rows) {
      double[] y = new double[targets.size()];
      for (int t = 0; t < y.length; t++) {
        y[t] =
            r.isNullAt(3 + t) || !Double.isFinite(r.getDouble(3 + t))
                ? Double.NaN
                : r.getDouble(3 + t);
      }
      Map<String, String> params =
          r.isNullAt(2)
              ? Map.of()
              : scala.jdk.javaapi.CollectionConverters.asJava(
                  r.<scala.collection.Map<String, String>>getAs(2));
      out.add(new Run(r.getString(1), params, y));
    }
    return out;
  }

  /**
   * The scope's logged hyperparameters, by name. Numeric when every logged value parses as a finite
   * number (as Spark's cast does: Java's parser, which trims); distinct values counted as numbers
   * then (0.1 and 0.10 are one), as strings otherwise.
   */
  private static List<Param> params(Scope scope, List<Run> runs, double logSpan) {
    Map<String, List<String>> values = new TreeMap<>();
    for (Run r : runs) {
      r.params()
          .forEach(
              (k, v) -> {
                if (v != null) values.computeIfAbsent(k, x -> new ArrayList<>()).add(v);
              });
    }
    List<Param> out = new ArrayList<>();
    values.forEach(
        (name, raw) -> {
          double[] x = raw.stream().mapToDouble(HyperparameterEffects::number).toArray();
          boolean numeric = java.util.Arrays.stream(x).allMatch(Double::isFinite);
          long distinct =
              numeric
                  ? java.util.Arrays.stream(x).map(v -> v + 0.0).distinct().count()
                  : raw.stream().distinct().count();
          double min = numeric ? java.util.Arrays.stream(x).min().orElseThrow() : Double.NaN;
          double max = numeric ? java.util.Arrays.stream(x).max().orElseThrow() : Double.NaN;
          out.add(
              new Param(
                  scope,
                  name,
                  numeric,
                  distinct,
                  raw.get(0),
                  numeric && min > 0 && max / min >= logSpan));
        });
    return out;
  }

  /** The value as a number, NaN where it is not one. */
  private static double number(String raw) {
    try {
      return Double.parseDouble(raw);
    } catch (NumberFormatException e) {
      return Double.NaN;
    }
  }

  /**
   * The pair's runs that log the hyperparameter and have a finite target; its statistics per scale.
   */
  private static void numericPairs(
      Param p, List<Run> runs, int ti, Target t, Map<Key, Correlation> out) {
    List<Run> complete =
        runs.stream()
            .filter(r -> r.params().get(p.name()) != null && !Double.isNaN(r.y()[ti]))
            .toList();
    if (complete.isEmpty()) return;
    double[] x =
        complete.stream().mapToDouble(r -> Double.parseDouble(r.params().get(p.name()))).toArray();
    double[] y = complete.stream().mapToDouble(r -> r.y()[ti]).toArray();
    out.put(new Key(p.scope(), p.name(), "linear", t.target(), t.measure()), Correlation.of(x, y));
    if (p.logScale()) {
      out.put(
          new Key(p.scope(), p.name(), "log10", t.target(), t.measure()),
          Correlation.of(java.util.Arrays.stream(x).map(Math::log10).toArray(), y));
    }
  }

  /**
   * Per level (by name) of a categorical pair, its run count, mean and population variance of the
   * target.
   */
  private static void categoricalPair(
      Param p, List<Run> runs, int ti, Target t, Map<Key, List<Anova.Level>> out) {
    Map<String, List<Double>> byLevel = new TreeMap<>();
    for (Run r : runs) {
      String level = r.params().get(p.name());
      if (level != null && !Double.isNaN(r.y()[ti]))
        byLevel.computeIfAbsent(level, k -> new ArrayList<>()).add(r.y()[ti]);
    }
    if (byLevel.isEmpty()) return;
    List<Anova.Level> levels = new ArrayList<>();
    byLevel.forEach(
        (name, ys) ->
            levels.add(
                Anova.Level.of(name, ys.stream().mapToDouble(Double::doubleValue).toArray())));
    out.put(new Key(p.scope(), p.name(), null, t.target(), t.measure()), levels);
  }

  /**
   * Why the pair has no statistics (the README's reasons, in the order they are checked), or null.
   */
  private static String reason(
      Param p,
      Target t,
      Correlation num,
      List<Anova.Level> levels,
      long singles,
      long n,
      int minRuns) {
    if (p.distinct() < 2) return p.name() + " is constant in this scope (" + p.someValue() + ")";
    if (levels != null && levels.size() < 2 && n >= minRuns) {
      return "fewer than two levels of "
          + p.name()
          + " have two or more runs with a finite "
          + t.label()
          + " ("
          + singles
          + " levels of one run left out)";
    }
    if (n < minRuns) {
      return n
          + " runs log "
          + p.name()
          + " and have a finite "
          + t.label()
          + ", fewer than effects.min_runs ("
          + minRuns
          + ")";
    }
    if (num != null) {
      if (num.yMin() == num.yMax()) return sameTarget(t, n, num.yMin());
      if (num.xMin() == num.xMax())
        return p.name() + " takes one value among the " + n + " runs with a finite " + t.label();
      return null;
    }
    double first = levels.get(0).mean();
    boolean constant = levels.stream().allMatch(l -> l.variance() == 0 && l.mean() == first);
    return constant ? sameTarget(t, n, first) : null;
  }

  private static String sameTarget(Target t, long n, double value) {
    return t.label() + " is the same for all " + n + " runs (" + fmt(value) + ")";
  }

  private static Row row(
      Key key,
      Param p,
      Target t,
      long scopeRuns,
      Correlation num,
      List<Anova.Level> allLevels,
      int minRuns,
      double confidence,
      Double importance,
      Double forestR2) {
    // A level of a single run has no spread of its own: it would explain its run perfectly and lift
    // η² toward 1 however unrelated the hyperparameter is. It is left out of the pair.
    final List<Anova.Level> lv =
        allLevels == null ? null : allLevels.stream().filter(l -> l.count() >= 2).toList();
    long singles = allLevels == null ? 0 : allLevels.size() - lv.size();
    long n =
        num != null ? num.n() : lv != null ? lv.stream().mapToLong(Anova.Level::count).sum() : 0;
    String reason = reason(p, t, num, lv, singles, n, minRuns);
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
   * scope's varying hyperparameters (where at least two vary), several at a time. Missing numeric
   * values are imputed with the scope's mean; a missing categorical value is a level of its own.
   */
  private static void forests(
      SparkSession spark,
      Map<Scope, List<Run>> scopes,
      Map<Scope, List<Param>> paramsByScope,
      List<Target> targets,
      Settings s,
      ForestMemo memo,
      Map<String, Double> r2Out,
      Map<String, Double> importanceOut) {
    long started = System.nanoTime();
    int reusedAtStart = memo.reused();
    int minRuns = Math.max(s.integer("effects.min_runs"), s.integer("effects.forest.min_runs"));
    ForestImportance forest =
        new ForestImportance(
            s.integer("effects.forest.trees"),
            s.integer("effects.forest.max_depth"),
            s.integer("effects.forest.folds"),
            (long) s.get("effects.forest.seed"));

    List<java.util.concurrent.Callable<Void>> fits = new ArrayList<>();
    for (Map.Entry<Scope, List<Param>> e : paramsByScope.entrySet()) {
      Scope scope = e.getKey();
      List<Param> varying = e.getValue().stream().filter(p -> p.distinct() >= 2).toList();
      if (varying.size() < 2) continue; // one feature takes all the importance: nothing to rank
      List<Run> inScope = scopes.get(scope);
      Encoded enc = Encoded.of(varying, inScope);
      for (int ti = 0; ti < targets.size(); ti++) {
        Target t = targets.get(ti);
        List<double[]> x = new ArrayList<>();
        List<Double> y = new ArrayList<>();
        for (int i = 0; i < inScope.size(); i++) {
          double v = inScope.get(i).y()[ti];
          if (Double.isNaN(v)) continue;
          x.add(enc.rows.get(i));
          y.add(v);
        }
        if (y.size() < Math.max(minRuns, forest.folds()) || y.stream().distinct().count() < 2)
          continue;
        String key = forestKey(scope, t);
        double[] ys = y.stream().mapToDouble(Double::doubleValue).toArray();
        fits.add(
            () -> {
              ForestImportance.Result res =
                  memo.fit(
                      key,
                      ForestMemo.key(forest, enc.features, x, ys),
                      () -> forest.fit(spark, enc.features, x, ys));
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
    ExecutorService pool =
        Executors.newFixedThreadPool(Math.max(1, s.integer("effects.forest.parallelism")));
    try {
      List<Future<Void>> done = pool.invokeAll(fits);
      for (Future<Void> f : done) f.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while fitting forests", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException(
          "fitting a random forest failed: " + e.getCause().getMessage(), e.getCause());
    } finally {
      pool.shutdownNow();
    }
    LOG.info(
        "Hyperparameter effects: {} random forests ({} folds each; {} fitted, {} as the last run"
            + " fitted them on the same input) in {} s",
        fits.size(),
        forest.folds(),
        fits.size() - (memo.reused() - reusedAtStart),
        memo.reused() - reusedAtStart,
        Elapsed.since(started));
  }

  /** A scope's varying hyperparameters as forest features, and each run's feature vector. */
  private record Encoded(List<ForestImportance.Feature> features, List<double[]> rows) {
    static Encoded of(List<Param> varying, List<Run> runs) {
      List<ForestImportance.Feature> features = new ArrayList<>();
      List<Map<String, Integer>> codes = new ArrayList<>();
      double[] means = new double[varying.size()];
      for (int f = 0; f < varying.size(); f++) {
        Param p = varying.get(f);
        Map<String, Integer> code = new TreeMap<>();
        double sum = 0;
        int n = 0;
        for (Run r : runs) {
          String raw = r.params().get(p.name());
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
      for (Run r : runs) {
        double[] x = new double[varying.size()];
        for (int f = 0; f < varying.size(); f++) {
          String raw = r.params().get(varying.get(f).name());
          x[f] =
              varying.get(f).numeric()
                  ? (raw == null ? means[f] : Double.parseDouble(raw.trim()))
                  : codes.get(f).get(raw == null ? "(not logged)" : raw);
        }
        rows.add(x);
      }
      return new Encoded(features, rows);
    }
  }

  private static String forestKey(Scope scope, Target t) {
    return scope.type() + "\u0000" + scope.name() + "\u0000" + t.label();
  }

  private static void set(Object[] row, String column, Object value) {
    row[SCHEMA.fieldIndex(column)] = value;
  }

  private static String fmt(double v) {
    return String.format(Locale.ROOT, "%.6g", v);
  }
}
