package io.neuroscope.diagnostics.spark;

import io.neuroscope.diagnostics.Status;
import io.neuroscope.findings.Cohort;
import io.neuroscope.findings.FindingRules;
import io.neuroscope.findings.Reading;
import io.neuroscope.findings.Role;
import io.neuroscope.findings.RunFinding;
import io.neuroscope.findings.RunFindings;
import io.neuroscope.findings.RunHistory;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.api.java.UDF2;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import scala.jdk.javaapi.CollectionConverters;

/**
 * The findings rules ({@link RunFindings}) as SQL functions:
 *
 * <ul>
 *   <li>{@code ns_finding_candidates(readings, losses)} — over a run's {@code
 *       collect_list(struct(epoch, layer, diagnostic, value, status, details))} of diagnostics rows
 *       and {@code collect_list(struct(epoch, train_loss, val_loss))} of epochs: {@code
 *       STRUCT<findings ARRAY<finding>, statistics MAP<STRING,DOUBLE>>};
 *   <li>{@code ns_cohort(collect_list(statistic))} — an experiment's cohort for one soft problem:
 *       {@code STRUCT<median, mad, runs>};
 *   <li>{@code ns_findings(candidates, cohorts)} — with {@code MAP<problem, cohort>} (or null): the
 *       run's findings, {@code ARRAY<finding>}, causes first.
 * </ul>
 *
 * A finding is {@code STRUCT<problem, severity, onset_epoch, onset_layer, last_epoch, epochs, role,
 * explained_by, evidence MAP<STRING,DOUBLE>, summary>}, the {@code findings} table's columns.
 */
public final class FindingsFunctions {
  public static final StructType FINDING =
      new StructType()
          .add("problem", DataTypes.StringType, false)
          .add("severity", DataTypes.StringType, false)
          .add("onset_epoch", DataTypes.IntegerType, false)
          .add("onset_layer", DataTypes.IntegerType, true)
          .add("last_epoch", DataTypes.IntegerType, false)
          .add("epochs", DataTypes.IntegerType, false)
          .add("role", DataTypes.StringType, false)
          .add("explained_by", DataTypes.StringType, true)
          .add(
              "evidence",
              DataTypes.createMapType(DataTypes.StringType, DataTypes.DoubleType, false),
              false)
          .add("summary", DataTypes.StringType, false);

  public static final ArrayType FINDINGS = DataTypes.createArrayType(FINDING, false);

  public static final StructType CANDIDATES =
      new StructType()
          .add("findings", FINDINGS, false)
          .add(
              "statistics",
              DataTypes.createMapType(DataTypes.StringType, DataTypes.DoubleType, true),
              false);

  public static final StructType COHORT =
      new StructType()
          .add("median", DataTypes.DoubleType, false)
          .add("mad", DataTypes.DoubleType, false)
          .add("runs", DataTypes.IntegerType, false);

  private FindingsFunctions() {}

  public static void register(SparkSession spark, FindingRules rules) {
    spark
        .udf()
        .register(
            "ns_finding_candidates",
            (UDF2<scala.collection.Seq<Row>, scala.collection.Seq<Row>, Row>)
                (readings, losses) -> candidatesRow(candidates(readings, losses, rules)),
            CANDIDATES);
    spark
        .udf()
        .register(
            "ns_cohort",
            (UDF1<scala.collection.Seq<Object>, Row>)
                stats -> {
                  List<Object> s = stats == null ? List.of() : CollectionConverters.asJava(stats);
                  double[] v =
                      s.stream()
                          .mapToDouble(o -> o == null ? Double.NaN : ((Number) o).doubleValue())
                          .toArray();
                  Cohort c = Cohort.of(v);
                  return RowFactory.create(c.median(), c.mad(), c.runs());
                },
            COHORT);
    spark
        .udf()
        .register(
            "ns_findings",
            (UDF2<Row, scala.collection.Map<String, Row>, scala.collection.Seq<Row>>)
                (candidates, cohorts) -> {
                  Map<String, Cohort> byProblem = new HashMap<>();
                  if (cohorts != null)
                    CollectionConverters.asJava(cohorts)
                        .forEach(
                            (k, v) -> {
                              if (v != null)
                                byProblem.put(
                                    k, new Cohort(v.getDouble(0), v.getDouble(1), v.getInt(2)));
                            });
                  List<RunFinding> out =
                      RunFindings.finish(fromCandidatesRow(candidates), byProblem, rules);
                  return CollectionConverters.asScala(
                          out.stream().map(FindingsFunctions::row).toList())
                      .toSeq();
                },
            FINDINGS);
  }

  static RunFindings.Candidates candidates(
      scala.collection.Seq<Row> readings, scala.collection.Seq<Row> losses, FindingRules rules) {
    List<Reading> rs = new ArrayList<>();
    String none = null;
    if (readings != null)
      for (Row r : CollectionConverters.asJava(readings)) {
        Map<String, Double> details = new HashMap<>();
        scala.collection.Map<String, Object> d = r.getAs("details");
        if (d != null)
          CollectionConverters.asJava(d)
              .forEach(
                  (k, v) -> details.put(k, v == null ? Double.NaN : ((Number) v).doubleValue()));
        Object layer = r.getAs("layer");
        Object value = r.getAs("value");
        rs.add(
            new Reading(
                ((Number) r.getAs("epoch")).intValue(),
                layer == null ? null : ((Number) layer).intValue(),
                r.getAs("diagnostic"),
                value == null ? Double.NaN : ((Number) value).doubleValue(),
                Status.valueOf(r.<String>getAs("status")),
                details));
      }
    Map<Integer, RunHistory.Losses> ls = new TreeMap<>();
    if (losses != null)
      for (Row l : CollectionConverters.asJava(losses)) {
        Object t = l.getAs("train_loss");
        Object v = l.getAs("val_loss");
        ls.put(
            ((Number) l.getAs("epoch")).intValue(),
            new RunHistory.Losses(
                t == null ? Double.NaN : ((Number) t).doubleValue(),
                v == null ? null : ((Number) v).doubleValue()));
      }
    return RunFindings.candidates(RunHistory.of(none, none, rs, ls), rules);
  }

  static Row candidatesRow(RunFindings.Candidates c) {
    return RowFactory.create(
        CollectionConverters.asScala(c.findings().stream().map(FindingsFunctions::row).toList())
            .toSeq(),
        CollectionConverters.asScala(c.statistics()));
  }

  static RunFindings.Candidates fromCandidatesRow(Row c) {
    List<RunFinding> fs = new ArrayList<>();
    for (Row f : CollectionConverters.asJava(c.<scala.collection.Seq<Row>>getAs(0)))
      fs.add(finding(f));
    Map<String, Double> stats = new LinkedHashMap<>();
    CollectionConverters.asJava(c.<scala.collection.Map<String, Object>>getAs(1))
        .forEach((k, v) -> stats.put(k, v == null ? Double.NaN : ((Number) v).doubleValue()));
    return new RunFindings.Candidates(fs, stats);
  }

  static Row row(RunFinding f) {
    return RowFactory.create(
        f.problem(),
        f.severity().name(),
        f.onsetEpoch(),
        f.onsetLayer(),
        f.lastEpoch(),
        f.epochs(),
        f.role().id(),
        f.explainedBy(),
        CollectionConverters.asScala(f.evidence()),
        f.summary());
  }

  static RunFinding finding(Row f) {
    Map<String, Double> evidence = new LinkedHashMap<>();
    CollectionConverters.asJava(f.<scala.collection.Map<String, Object>>getAs(8))
        .forEach((k, v) -> evidence.put(k, ((Number) v).doubleValue()));
    return new RunFinding(
        f.getString(0),
        Status.valueOf(f.getString(1)),
        f.getInt(2),
        f.isNullAt(3) ? null : f.getInt(3),
        f.getInt(4),
        f.getInt(5),
        Role.valueOf(f.getString(6).toUpperCase(java.util.Locale.ROOT)),
        f.isNullAt(7) ? null : f.getString(7),
        evidence,
        f.getString(9));
  }
}
