package io.neuroscope.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.neuroscope.diagnostics.Settings;
import io.neuroscope.jobs.diagnostics.DiagnosticsAction;
import io.neuroscope.jobs.nightly.DiagnosticsStage;
import io.neuroscope.jobs.table.OutputTables;
import io.neuroscope.jobs.telemetry.Telemetry;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

/**
 * The job against an independent implementation of the spec (jobs/src/test/python/reference.py,
 * numpy): every row of its expected output, value to 1e-9 and status, and no row more.
 */
class GoldenDiagnosticsTest {
  private static final Path GOLDEN = Path.of("src/test/resources/golden");

  @Test
  void parquetTelemetryMatchesTheReferenceImplementation() {
    assertMatchesGolden("parquet");
  }

  @Test
  void deltaTelemetryMatchesTheReferenceImplementation() {
    assertMatchesGolden("delta");
  }

  private void assertMatchesGolden(String format) {
    SparkSession spark = SparkTest.spark();
    Path work = SparkTest.tempDir("golden-" + format);
    Fixtures.writeFromJson(spark, GOLDEN.resolve("telemetry"), work.resolve("telemetry"), format);
    DiagnosticsAction.Result result =
        DiagnosticsStage.run(
            Telemetry.fromFolder(spark, work.resolve("telemetry").toString()),
            OutputTables.at(spark, work.resolve("out").toString()),
            Settings.defaults(),
            false);
    assertEquals(0, result.quarantined(), "the golden telemetry is valid");

    Map<String, Row> actual = new HashMap<>();
    for (Row r :
        spark
            .read()
            .format("delta")
            .load(work.resolve("out/diagnostics").toString())
            .collectAsList()) {
      actual.put(
          key(r.getAs("run_id"), r.getAs("epoch"), r.getAs("layer"), r.getAs("diagnostic")), r);
    }
    List<Row> expected =
        spark
            .read()
            .option("allowNonNumericNumbers", "true")
            .schema(
                "run_id STRING, epoch INT, layer INT, diagnostic STRING, value DOUBLE, status STRING")
            .json(GOLDEN.resolve("expected.jsonl").toString())
            .collectAsList();

    List<String> mismatches = new ArrayList<>();
    for (Row e : expected) {
      String k = key(e.getAs("run_id"), e.getAs("epoch"), e.getAs("layer"), e.getAs("diagnostic"));
      Row a = actual.remove(k);
      if (a == null) {
        mismatches.add(k + ": missing");
        continue;
      }
      double ev = e.getAs("value"), av = a.getAs("value");
      boolean sameValue =
          Double.isNaN(ev)
              ? Double.isNaN(av)
              : ev == av || Math.abs(ev - av) <= 1e-9 * Math.max(1, Math.abs(ev));
      if (!sameValue || !e.getAs("status").equals(a.getAs("status"))) {
        mismatches.add(
            k
                + ": expected "
                + ev
                + " "
                + e.getAs("status")
                + ", got "
                + av
                + " "
                + a.getAs("status"));
      }
    }
    actual.keySet().forEach(k -> mismatches.add(k + ": unexpected row"));
    assertTrue(
        mismatches.isEmpty(),
        mismatches.size()
            + " of "
            + expected.size()
            + " rows differ, e.g.\n"
            + String.join("\n", mismatches.subList(0, Math.min(25, mismatches.size()))));
  }

  private static String key(String run, int epoch, Integer layer, String diagnostic) {
    return run + "/" + epoch + "/" + (layer == null ? "-" : layer) + "/" + diagnostic;
  }
}
