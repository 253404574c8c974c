package io.neuroscope.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.neuroscope.diagnostics.Settings;
import io.neuroscope.jobs.error.ContractException;
import io.neuroscope.jobs.error.UsageException;
import io.neuroscope.jobs.nightly.DiagnosticsStage;
import io.neuroscope.jobs.table.CatalogNames;
import io.neuroscope.jobs.table.CatalogViews;
import io.neuroscope.jobs.table.OutputTable;
import io.neuroscope.jobs.table.OutputTables;
import io.neuroscope.jobs.telemetry.Telemetry;
import java.nio.file.Path;
import java.util.List;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

/**
 * Database names and paths are passed as names and values, never pasted into SQL: a database with a
 * dash, a two-part catalog.schema, an output path with a backslash and a quote.
 */
class CatalogNamesTest {
  /**
   * The name is quoted, not parsed as SQL: the local session catalog refuses a dash in a database
   * name (Unity Catalog takes it), and that is a one-line contract error naming it, not a parse
   * error.
   */
  @Test
  void aDatabaseWithADashIsQuoted() {
    ContractException e =
        assertThrows(
            ContractException.class, () -> Telemetry.fromCatalog(SparkTest.spark(), "ns-dash"));
    assertTrue(e.getMessage().contains("ns-dash.runs"), e.getMessage());
    assertEquals(-1, e.getMessage().indexOf('\n'), "one line: " + e.getMessage());
  }

  @Test
  void anOutputPathWithABackslashAndAQuoteIsRegisteredWhereItIs() throws Exception {
    SparkSession spark = SparkTest.spark();
    Path out = SparkTest.tempDir("catalog-path").resolve("out\\tq'x");
    OutputTables output = OutputTables.at(spark, out.toString());
    DiagnosticsStage.run(
        Telemetry.fromFolder(spark, SharedArchive.root().resolve("telemetry").toString()),
        output,
        Settings.defaults(),
        false);
    List<String> names = CatalogViews.registerInCatalog(output, "spark_catalog.ns_two_part");
    assertTrue(names.contains("diagnostics"), names.toString());
    String table = CatalogNames.table("spark_catalog.ns_two_part", "diagnostics");
    assertEquals(output.read(OutputTable.DIAGNOSTICS).count(), spark.table(table).count());
    Row location =
        spark.sql("DESCRIBE TABLE EXTENDED " + table).where("col_name = 'Location'").first();
    FileSystem fs = FileSystem.getLocal(spark.sparkContext().hadoopConfiguration());
    assertEquals(
        fs.makeQualified(new org.apache.hadoop.fs.Path(out.resolve("diagnostics").toString())),
        new org.apache.hadoop.fs.Path(location.getString(1)));
    // registering again finds the same tables there
    assertEquals(names, CatalogViews.registerInCatalog(output, "spark_catalog.ns_two_part"));
  }

  @Test
  void badDatabaseNamesAreUsageErrors() {
    assertThrows(UsageException.class, () -> CatalogNames.parts("a.b.c"));
    assertThrows(UsageException.class, () -> CatalogNames.parts("a..b"));
    assertEquals("`my-db`.`t`", CatalogNames.table("my-db", "t"));
    assertEquals("`main`.`ns`.`t``x`", CatalogNames.table("main.ns", "t`x"));
  }
}
