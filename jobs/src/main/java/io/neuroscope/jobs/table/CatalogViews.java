package io.neuroscope.jobs.table;

import io.neuroscope.diagnostics.Diagnostics;
import io.neuroscope.diagnostics.Status;
import io.neuroscope.jobs.error.NeuroScopeErrors;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The output tables and the two views over them ({@code diagnostics_wide}, {@code run_health}),
 * registered in a catalog database: persistent where the session has a metastore, for the session
 * otherwise.
 */
public final class CatalogViews {
  private static final Logger LOG = LoggerFactory.getLogger(CatalogViews.class);
  public static final List<String> VIEWS = List.of("diagnostics_wide", "run_health");

  private CatalogViews() {}

  /** One row per experiment, run, epoch and layer; per diagnostic its value and its status. */
  static String diagnosticsWide(String diagnostics) {
    StringBuilder sql = new StringBuilder("SELECT experiment, run_id, epoch, layer");
    for (String d : Diagnostics.names()) {
      sql.append(",\n  max(CASE WHEN diagnostic = '")
          .append(d)
          .append("' THEN value END) AS ")
          .append(d)
          .append(",\n  max(CASE WHEN diagnostic = '")
          .append(d)
          .append("' THEN status END) AS ")
          .append(d)
          .append("_status");
    }
    return sql.append("\nFROM ")
        .append(diagnostics)
        .append("\nGROUP BY experiment, run_id, epoch, layer")
        .toString();
  }

  /**
   * One row per run and diagnostic: its worst status over the epochs and when it first warned; with
   * a findings table, also the run's {@code verdict} and {@code findings} (causes first) and the
   * diagnostic's own finding ({@code finding} severity, {@code finding_role}, {@code
   * finding_onset}).
   */
  static String runHealth(String diagnostics, String findings) {
    String health =
        "SELECT experiment, run_id, diagnostic,\n"
            + "  "
            + Status.statusSql("max(" + Status.severitySql("status") + ")")
            + " AS worst_status,\n"
            + "  min(CASE WHEN status IN ('WARNING', 'CRITICAL') THEN epoch END) AS first_warning,\n"
            + "  min(CASE WHEN status = 'CRITICAL' THEN epoch END) AS first_critical,\n"
            + "  count(*) AS epochs\n"
            + "FROM "
            + diagnostics
            + "\nWHERE layer IS NULL\nGROUP BY experiment, run_id, diagnostic";
    if (findings == null) return health;
    return "SELECT h.experiment, h.run_id, coalesce(v.verdict, 'HEALTHY') AS verdict,\n"
        + "  coalesce(v.findings, array()) AS findings, h.diagnostic, h.worst_status,\n"
        + "  h.first_warning, h.first_critical, h.epochs,\n"
        + "  f.severity AS finding, f.role AS finding_role, f.onset_epoch AS finding_onset\n"
        + "FROM ("
        + health
        + ") h\nLEFT JOIN (SELECT run_id, "
        + Status.statusSql("max(" + Status.severitySql("severity") + ")")
        + " AS verdict,\n"
        + "  transform(array_sort(collect_list(struct(role = 'symptom' AS s, onset_epoch, problem))),"
        + " x -> x.problem) AS findings\n"
        + "  FROM "
        + findings
        + " GROUP BY run_id) v ON v.run_id = h.run_id\n"
        + "LEFT JOIN "
        + findings
        + " f ON f.run_id = h.run_id AND f.problem = h.diagnostic";
  }

  /**
   * Registers each output table under {@code output} that exists as {@code database.table} (an
   * external table at that location) and creates the two views. A name already taken by a managed
   * table, or by a table elsewhere that is not external, is an error rather than dropped.
   *
   * @return the names registered
   */
  public static List<String> registerInCatalog(OutputTables output, String database) {
    SparkSession spark = output.spark();
    boolean persistent =
        !"in-memory".equals(spark.conf().get("spark.sql.catalogImplementation", "in-memory"));
    spark.sql("CREATE DATABASE IF NOT EXISTS " + CatalogNames.database(database));
    List<String> names = new ArrayList<>();
    for (OutputTable table : OutputTable.ALL) {
      String t = table.tableName();
      Path p = qualified(spark, output.path(table));
      if (p == null) continue;
      String name = CatalogNames.table(database, t);
      if (spark.catalog().tableExists(name)) {
        Row desc =
            spark
                .sql("DESCRIBE TABLE EXTENDED " + name)
                .where("col_name = 'Location' OR col_name = 'Type'")
                .orderBy("col_name")
                .agg(org.apache.spark.sql.functions.collect_list("data_type"))
                .first();
        List<String> info = desc.getList(0);
        String location = info.size() > 0 ? info.get(0) : "";
        String type = info.size() > 1 ? info.get(1) : "";
        if (new Path(location).equals(p)) {
          names.add(t);
          continue;
        }
        if (!type.equalsIgnoreCase("EXTERNAL")) {
          throw NeuroScopeErrors.catalogTableTaken(
              database + "." + t, type, location, p.toString());
        }
        spark.sql("DROP TABLE " + name); // external: only the catalog entry goes
      }
      // the location passed as a value, not pasted into SQL: a path may hold quotes or backslashes
      spark.catalog().createTable(name, p.toString(), "delta");
      names.add(t);
    }
    if (names.contains("diagnostics")) {
      String source = CatalogNames.table(database, OutputTable.DIAGNOSTICS.tableName());
      spark.sql(
          "CREATE OR REPLACE VIEW "
              + CatalogNames.table(database, "diagnostics_wide")
              + " AS "
              + diagnosticsWide(source));
      spark.sql(
          "CREATE OR REPLACE VIEW "
              + CatalogNames.table(database, "run_health")
              + " AS "
              + runHealth(
                  source,
                  names.contains(OutputTable.FINDINGS.tableName())
                      ? CatalogNames.table(database, OutputTable.FINDINGS.tableName())
                      : null));
      names.addAll(VIEWS);
    }
    LOG.info(
        "Registered {} in catalog database {} ({})",
        names,
        database,
        persistent
            ? "persistent: the session has a metastore"
            : "for this session: no metastore configured");
    return names;
  }

  /**
   * Registers the output tables that exist under {@code output}, and the views, as temporary views.
   */
  public static List<String> registerTemporary(OutputTables output) {
    SparkSession spark = output.spark();
    List<String> names = new ArrayList<>();
    for (OutputTable table : OutputTable.ALL) {
      String t = table.tableName();
      Path p = qualified(spark, output.path(table));
      if (p == null) continue;
      spark.read().format("delta").load(p.toString()).createOrReplaceTempView(t);
      names.add(t);
    }
    if (names.contains("diagnostics")) {
      spark.sql(
          "CREATE OR REPLACE TEMPORARY VIEW diagnostics_wide AS " + diagnosticsWide("diagnostics"));
      spark.sql(
          "CREATE OR REPLACE TEMPORARY VIEW run_health AS "
              + runHealth("diagnostics", names.contains("findings") ? "findings" : null));
      names.addAll(VIEWS);
    }
    return names;
  }

  /** The table's fully qualified path, or null when there is no Delta table there. */
  private static Path qualified(SparkSession spark, String path) {
    return TableFolders.delta(spark, path).orElse(null);
  }
}
