package io.neuroscope.jobs;

import io.neuroscope.diagnostics.Settings;
import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The nightly job: the diagnostics, then the summaries, then the hyperparameter effects, then the
 * catalog registration, each stage logged with its counts and time.
 */
public final class Nightly {
  private static final Logger LOG = LoggerFactory.getLogger(Nightly.class);

  public record Result(DiagnosticsJob.Result diagnostics, SummariesJob.Result summaries, List<String> registered,
      double seconds) {}

  private Nightly() {}

  public static Result run(SparkSession spark, Telemetry telemetry, String output, Settings settings) {
    long started = System.nanoTime();
    LOG.info("Nightly stage 1/3: diagnostics over {}", telemetry.source());
    DiagnosticsJob.Result d = DiagnosticsJob.run(spark, telemetry, output, settings);
    LOG.info("Nightly stage 1/3 done: {} runs, {} epochs, {} tensors, {} diagnostics rows, {} quarantined ({} s)",
        d.runs(), d.epochs(), d.tensors(), d.diagnosticsRows(), d.quarantined(), seconds(started));
    long summariesStarted = System.nanoTime();
    LOG.info("Nightly stage 2/3: run and experiment summaries, then hyperparameter effects");
    SummariesJob.Result s = SummariesJob.run(spark, telemetry, output, settings);
    LOG.info("Nightly stage 2/3 done: {} runs summarized, {} experiment rows, {} effect rows ({} s)",
        s.runs(), s.experimentRows(), s.effectRows(), seconds(summariesStarted));
    String database = settings.string("catalog.database");
    List<String> registered = List.of();
    if (!database.isEmpty()) {
      long catalogStarted = System.nanoTime();
      registered = OutputViews.registerInCatalog(spark, output, database);
      LOG.info("Nightly stage 3/3 done: {} registered in database {} ({} s)", registered, database,
          seconds(catalogStarted));
    } else {
      LOG.info("Nightly stage 3/3 skipped: catalog.database is empty");
    }
    double total = (System.nanoTime() - started) / 1e9;
    LOG.info("Nightly done in {} s", String.format(Locale.ROOT, "%.1f", total));
    return new Result(d, s, registered, total);
  }

  private static String seconds(long since) {
    return String.format(Locale.ROOT, "%.1f", (System.nanoTime() - since) / 1e9);
  }
}
