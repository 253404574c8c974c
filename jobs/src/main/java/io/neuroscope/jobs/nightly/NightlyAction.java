package io.neuroscope.jobs.nightly;

import io.neuroscope.diagnostics.Settings;
import io.neuroscope.jobs.action.Action;
import io.neuroscope.jobs.action.Outcome;
import io.neuroscope.jobs.action.Scope;
import io.neuroscope.jobs.diagnostics.DiagnosticsAction;
import io.neuroscope.jobs.spark.Elapsed;
import io.neuroscope.jobs.spark.JobScope;
import io.neuroscope.jobs.summary.SummariesAction;
import io.neuroscope.jobs.table.CatalogViews;
import io.neuroscope.jobs.table.DeltaHead;
import io.neuroscope.jobs.table.OutputTable;
import io.neuroscope.jobs.table.OutputTables;
import io.neuroscope.jobs.telemetry.Telemetry;
import io.neuroscope.jobs.telemetry.TelemetrySource;
import io.neuroscope.jobs.telemetry.ValidatedTelemetry;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The nightly job: read and validate the telemetry, then the diagnostics (incremental: only what is
 * new or changed since the last run, as {@link DiagnosticsStage} tells), then the summaries and the
 * hyperparameter effects, refreshed for the runs that changed, then the catalog registration, each
 * stage logged with its counts and time, and the whole run recorded in {@code
 * OUTPUT/nightly_audit}, failed or not: from the telemetry's reading on, every failure is audited.
 */
public final class NightlyAction implements Action<NightlyAction.Result> {
  private static final Logger LOG = LoggerFactory.getLogger(NightlyAction.class);

  /**
   * @param jobId this run's id in the audit
   * @param registered the tables and views registered in the catalog database
   * @param diagnosticsSeconds the diagnostics stage's time (0 when it was skipped)
   * @param seconds the whole run's time
   */
  public record Result(
      String jobId,
      Outcome outcome,
      DiagnosticsAction.Result diagnostics,
      SummariesAction.Result summaries,
      List<String> registered,
      double diagnosticsSeconds,
      double seconds)
      implements Action.Result {}

  private final SparkSession spark;
  private final TelemetrySource source;
  private final OutputTables output;
  private final Settings settings;
  private final boolean incremental;

  /**
   * @param incremental false to compute every run again (the {@code --full} option)
   */
  public NightlyAction(
      SparkSession spark,
      TelemetrySource source,
      OutputTables output,
      Settings settings,
      boolean incremental) {
    this.spark = spark;
    this.source = source;
    this.output = output;
    this.settings = settings;
    this.incremental = incremental;
  }

  @Override
  public Result execute() {
    long started = System.nanoTime();
    Instant startedAt = Instant.now();
    String jobId = UUID.randomUUID().toString();
    String allSettings = Fingerprints.ofAllSettings(settings);
    LOG.info("Nightly {} over {} into {}", jobId, source, output);
    NightlyAudit.Entry audited = new NightlyAudit.Entry(jobId, startedAt, source, allSettings);
    try (JobScope job = JobScope.open(spark, "neuroscope-nightly", "NeuroScope nightly " + jobId)) {
      Result result = run(job, audited, jobId, allSettings, started);
      NightlyAudit.append(output, audited, null);
      LOG.info(
          "Nightly {} done in {} s; recorded in {}",
          jobId,
          Elapsed.seconds(result.seconds()),
          output.path(OutputTable.NIGHTLY_AUDIT));
      return result;
    } catch (Exception | Error e) { // Exception: Delta throws IOExceptions undeclared
      try {
        NightlyAudit.append(output, audited, e);
      } catch (RuntimeException auditFailed) {
        e.addSuppressed(auditFailed);
      }
      throw e;
    }
  }

  private Result run(
      JobScope job, NightlyAudit.Entry audited, String jobId, String allSettings, long started) {
    job.step("tell whether the telemetry changed");
    // told before the tables are read: an unchanged input is then never read (on Parquet, reading
    // merges every file's schema, a Spark job per table)
    Map<String, DeltaHead> heads = source.heads(spark);
    audited.inputVersions = TelemetrySource.versions(heads);
    audited.inputFingerprint = source.fingerprint(spark, heads);
    LOG.info("Nightly {}: telemetry {} ({})", jobId, source, audited.inputFingerprint);
    Optional<NightlyAudit.Succeeded> last = NightlyAudit.lastSucceeded(output);
    // other summary or effects settings than the last run's: every run's summary is computed again
    boolean sameSettings = last.isPresent() && allSettings.equals(last.get().settings());
    Outcome outcome;
    double diagnosticsSeconds = 0;
    if (incremental
        && sameSettings
        && NightlyAudit.leftAsIs(output, last.get(), audited.inputFingerprint)) {
      // the cheapest check first: same table versions (or Parquet file listings), same settings,
      // output untouched
      String reason =
          "the telemetry and the output are as the last successful run ("
              + last.get().jobId()
              + ") left them";
      LOG.info("Nightly stages 1-2/3 skipped: {}", reason);
      audited.diagnostics =
          DiagnosticsAction.Result.skipped(
              Scope.runs(reason, java.util.Set.of()),
              last.get().runsRead(),
              last.get().epochsRead());
      audited.summaries = SummariesAction.Result.skipped();
      outcome = Outcome.SKIPPED;
    } else {
      job.step("read the telemetry");
      Telemetry telemetry = source.read(spark);
      ValidatedTelemetry validated = new ValidatedTelemetry(telemetry);
      job.onClose(validated::close);
      // Outputs written since the last successful nightly by anything else (the diagnostics or
      // summaries command, a nightly that failed or was killed, a user's DELETE, a table removed)
      // are not what its state describes: computed again from the telemetry, not trusted.
      List<String> diagnosticsTouched = touched(last, DIAGNOSTICS_SIDE);
      List<String> summariesTouched = touched(last, OutputTable.SUMMARIES);
      String everythingBecause = everythingBecause(last, diagnosticsTouched);
      LOG.info("Nightly stage 1/3: diagnostics");
      long diagnosticsStarted = System.nanoTime();
      DiagnosticsAction.Result d =
          DiagnosticsStage.run(job, jobId, validated, output, settings, everythingBecause);
      diagnosticsSeconds = (System.nanoTime() - diagnosticsStarted) / 1e9;
      audited.diagnostics = d;
      LOG.info(
          "Nightly stage 1/3 done ({}: {}): {} runs, {} epochs, {} of them computed, {} tensors read, "
              + "{} diagnostics rows computed, {} new or changed, {} quarantined ({} s)",
          d.outcome(),
          d.reason(),
          d.runs(),
          d.epochs(),
          d.epochsComputed(),
          d.tensors(),
          d.diagnosticsRows(),
          d.diagnosticsChanged(),
          d.quarantined(),
          Elapsed.since(started));
      long summariesStarted = System.nanoTime();
      LOG.info(
          "Nightly stage 2/3: run and experiment summaries, then hyperparameter effects{}",
          sameSettings
              ? ""
              : " (for every run: the settings differ from the last successful run's, or there is none)");
      Scope runs =
          !sameSettings
              ? Scope.everything(
                  "the summary settings differ from the last successful run's, or there is none")
              : !summariesTouched.isEmpty()
                  ? Scope.everything(
                      "the summaries changed since the last successful nightly ("
                          + last.get().jobId()
                          + "): "
                          + String.join(", ", summariesTouched))
                  : d.scope().isEverything() ? d.scope() : Scope.runs(d.reason(), d.scope().runs());
      SummariesAction.Result s = new SummariesAction(validated, output, settings, runs).execute();
      audited.summaries = s;
      LOG.info(
          "Nightly stage 2/3 done: {} runs summarized, {} experiment rows, {} effect rows ({} s)",
          s.runs(),
          s.experimentRows(),
          s.effectRows(),
          Elapsed.since(summariesStarted));
      outcome = d.outcome();
    }
    String database = settings.string("catalog.database");
    List<String> registered = List.of();
    if (!database.isEmpty()) {
      long catalogStarted = System.nanoTime();
      job.step("register the tables in the catalog");
      registered = CatalogViews.registerInCatalog(output, database);
      LOG.info(
          "Nightly stage 3/3 done: {} registered in database {} ({} s)",
          registered,
          database,
          Elapsed.since(catalogStarted));
    } else {
      LOG.info("Nightly stage 3/3 skipped: catalog.database is empty");
    }
    return new Result(
        jobId,
        outcome,
        audited.diagnostics,
        audited.summaries,
        registered,
        diagnosticsSeconds,
        (System.nanoTime() - started) / 1e9);
  }

  /** The tables the diagnostics stage writes. */
  private static final List<OutputTable> DIAGNOSTICS_SIDE =
      List.of(OutputTable.DIAGNOSTICS, OutputTable.QUARANTINE, OutputTable.NIGHTLY_STATE);

  /**
   * Why the diagnostics stage computes every run, or null when it computes what changed since the
   * state was recorded.
   */
  private String everythingBecause(
      Optional<NightlyAudit.Succeeded> last, List<String> diagnosticsTouched) {
    if (!incremental) return "every run asked for (nightly --full)";
    if (last.isEmpty() && output.exists(OutputTable.NIGHTLY_STATE)) {
      // without a success to compare the outputs' versions with, a state could describe rows
      // deleted since (the audit deleted, every nightly so far failed)
      return "no successful nightly in "
          + output.path(OutputTable.NIGHTLY_AUDIT)
          + " to check the state against";
    }
    if (diagnosticsTouched.isEmpty()) return null;
    return "the output changed since the last successful nightly ("
        + last.get().jobId()
        + "): "
        + String.join(", ", diagnosticsTouched);
  }

  /**
   * Of {@code tables}, those not at the version the last successful nightly left them (written,
   * deleted or created since); none without a last successful nightly.
   */
  private List<String> touched(Optional<NightlyAudit.Succeeded> last, List<OutputTable> tables) {
    if (last.isEmpty()) return List.of();
    Map<String, Long> left = last.get().outputVersions();
    Map<String, Long> now = NightlyAudit.outputVersions(output);
    List<String> out = new java.util.ArrayList<>();
    for (OutputTable t : tables)
      if (!java.util.Objects.equals(left.get(t.tableName()), now.get(t.tableName())))
        out.add(t.tableName());
    return out;
  }
}
