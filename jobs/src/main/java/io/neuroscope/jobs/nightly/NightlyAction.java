package io.neuroscope.jobs.nightly;

import io.neuroscope.jobs.diagnostics.DiagnosticsAction;
import io.neuroscope.jobs.spark.Elapsed;
import io.neuroscope.jobs.summary.SummariesAction;
import io.neuroscope.jobs.table.CatalogViews;
import io.neuroscope.jobs.telemetry.Telemetry;
import io.neuroscope.diagnostics.Settings;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The nightly job: the diagnostics (incremental: only what is new or changed since the last run),
 * then the summaries and the hyperparameter effects, refreshed for the runs that changed, then the
 * catalog registration, each stage logged with its counts and time, and the whole run recorded in
 * {@code OUTPUT/nightly_audit}, failed or not.
 */
public final class NightlyAction {
  private static final Logger LOG = LoggerFactory.getLogger(NightlyAction.class);

  public record Result(String jobId, DiagnosticsAction.Result diagnostics, SummariesAction.Result summaries,
      List<String> registered, double seconds) {}

  private NightlyAction() {}

  /** An incremental run. */
  public static Result run(SparkSession spark, Telemetry telemetry, String output, Settings settings) {
    return run(spark, telemetry, output, settings, true);
  }

  /** @param incremental false to compute every run again (the {@code --full} option) */
  public static Result run(SparkSession spark, Telemetry telemetry, String output, Settings settings,
      boolean incremental) {
    long started = System.nanoTime();
    Instant startedAt = Instant.now();
    String jobId = UUID.randomUUID().toString();
    Map<String, Long> inputVersions = telemetry.versions(spark);
    String inputFingerprint = telemetry.fingerprint(spark, inputVersions);
    String allSettings = Fingerprints.ofAllSettings(settings);
    LOG.info("Nightly {} over {} ({}) into {}", jobId, telemetry.source(), inputFingerprint, output);
    DiagnosticsAction.Result d = null;
    SummariesAction.Result s = null;
    try {
      Optional<Row> last = NightlyAudit.lastSucceeded(spark, output);
      // other summary or effects settings than the last run's: every run's summary is computed again
      boolean sameSettings = last.isPresent() && allSettings.equals(last.get().getAs("settings"));
      if (incremental && sameSettings && NightlyAudit.leftAsIs(spark, output, last.get(), inputFingerprint)) {
        // the cheapest check first: same table versions (or Parquet file listings), same settings, output untouched
        String reason = "the telemetry and the output are as the last successful run (" + last.get().getAs("job_id")
            + ") left them";
        LOG.info("Nightly stages 1-2/3 skipped: {}", reason);
        d = new DiagnosticsAction.Result(last.get().getAs("runs_read"), last.get().getAs("epochs_read"), 0, 0, 0, 0, 0,
            "incremental", reason, Set.of(), 0);
        s = new SummariesAction.Result(0, 0, 0, 0, 0);
      } else {
        LOG.info("Nightly stage 1/3: diagnostics");
        d = DiagnosticsAction.run(spark, telemetry, output, settings, incremental);
        LOG.info("Nightly stage 1/3 done ({}: {}): {} runs, {} epochs, {} of them computed, {} tensors read, "
                + "{} diagnostics rows computed, {} new or changed, {} quarantined ({} s)",
            d.mode(), d.reason(), d.runs(), d.epochs(), d.epochsComputed(), d.tensors(), d.diagnosticsRows(),
            d.diagnosticsChanged(), d.quarantined(), Elapsed.since(started));
        long summariesStarted = System.nanoTime();
        LOG.info("Nightly stage 2/3: run and experiment summaries, then hyperparameter effects{}",
            sameSettings ? "" : " (for every run: the settings differ from the last successful run's, or there is none)");
        s = SummariesAction.run(spark, telemetry, output, settings, sameSettings ? d.changedRuns() : null);
        LOG.info("Nightly stage 2/3 done: {} runs summarized, {} experiment rows, {} effect rows ({} s)",
            s.runs(), s.experimentRows(), s.effectRows(), Elapsed.since(summariesStarted));
      }
      String database = settings.string("catalog.database");
      List<String> registered = List.of();
      if (!database.isEmpty()) {
        long catalogStarted = System.nanoTime();
        registered = CatalogViews.registerInCatalog(spark, output, database);
        LOG.info("Nightly stage 3/3 done: {} registered in database {} ({} s)", registered, database,
            Elapsed.since(catalogStarted));
      } else {
        LOG.info("Nightly stage 3/3 skipped: catalog.database is empty");
      }
      NightlyAudit.append(spark, output, jobId, startedAt, telemetry, inputVersions, inputFingerprint, allSettings, d, s,
          null);
      double total = (System.nanoTime() - started) / 1e9;
      LOG.info("Nightly {} done in {} s; recorded in {}/{}", jobId, Elapsed.seconds(total), output,
          NightlyAudit.TABLE);
      return new Result(jobId, d, s, registered, total);
    } catch (Exception | Error e) { // Exception: Delta throws IOExceptions undeclared
      try {
        NightlyAudit.append(spark, output, jobId, startedAt, telemetry, inputVersions, inputFingerprint, allSettings, d,
            s, e);
      } catch (RuntimeException auditFailed) {
        e.addSuppressed(auditFailed);
      }
      throw e;
    }
  }

}
