package io.neuroscope.jobs.cli;

import io.neuroscope.jobs.error.NeuroScopeErrors;
import java.util.List;
import org.apache.spark.sql.AnalysisException;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * sql "QUERY": a query over the output tables and views and the telemetry tables, registered as
 * views.
 */
final class SqlCommand implements Command {
  @Override
  public String name() {
    return "sql";
  }

  @Override
  public String usage() {
    return String.join(
        "\n",
        "usage: neuroscope sql \"SELECT ...\" [--output demo/output] [--telemetry demo/telemetry] [--rows 100]",
        "  runs a query over the output tables and views and runs, layers, epochs, tensors and prints the result");
  }

  @Override
  public Options options() {
    return Options.of("--output", "--telemetry", "--rows").withPositional("a query");
  }

  @Override
  public int run(Invocation call) {
    String query = call.positional().orElseThrow();
    int rows = call.positiveInt("--rows", 100);
    String output = call.option("--output", "demo/output");
    String telemetry = call.option("--telemetry", "demo/telemetry");
    SparkSession spark = call.spark();
    call.settings(); // registers the SQL functions with the command's settings
    List<String> views = SqlViews.register(spark, output, telemetry);
    if (views.isEmpty()) {
      System.err.println(
          "neuroscope: no tables found under "
              + output
              + " or "
              + telemetry
              + " (run bin/neuroscope demo first)");
    }
    Dataset<Row> result;
    try {
      result = spark.sql(query);
    } catch (RuntimeException e) {
      if (!((Throwable) e instanceof AnalysisException)) throw e;
      throw NeuroScopeErrors.queryFailed(views, e);
    }
    result.show(rows, false);
    return 0;
  }
}
