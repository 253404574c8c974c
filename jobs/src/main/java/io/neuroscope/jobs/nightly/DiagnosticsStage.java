package io.neuroscope.jobs.nightly;

import io.neuroscope.diagnostics.Settings;
import io.neuroscope.jobs.action.Scope;
import io.neuroscope.jobs.diagnostics.DiagnosticsAction;
import io.neuroscope.jobs.diagnostics.EpochStateSink;
import io.neuroscope.jobs.spark.JobScope;
import io.neuroscope.jobs.table.OutputTables;
import io.neuroscope.jobs.telemetry.Telemetry;
import io.neuroscope.jobs.telemetry.ValidatedTelemetry;
import java.util.UUID;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The diagnostics with their state: fingerprint the telemetry, compare with {@link NightlyState}
 * (when incremental), run the engine on what changed, and record the new state, so that the next
 * nightly computes only what changes after this run. The {@code diagnostics} command computes
 * everything and keeps no state.
 */
public final class DiagnosticsStage {
  private DiagnosticsStage() {}

  /**
   * Validates the telemetry and runs the stage in a job scope of its own (the diagnostics command,
   * benchmarks, tests).
   *
   * @param incremental compute only the runs and epochs that are new or changed since the state was
   *     recorded, and record it (everything, with the reason, when that cannot be told); false: the
   *     diagnostics command, every run computed and no state kept
   */
  public static DiagnosticsAction.Result run(
      Telemetry telemetry, OutputTables output, Settings settings, boolean incremental) {
    try (JobScope job =
            JobScope.open(
                output.spark(), "neuroscope-diagnostics-stage", "NeuroScope diagnostics");
        ValidatedTelemetry v = new ValidatedTelemetry(telemetry)) {
      String jobId = UUID.randomUUID().toString();
      if (incremental) return run(job, jobId, v, output, settings, (String) null);
      // The command keeps no state. After a successful nightly, the next one computes every run
      // anyway (the diagnostics table is no longer at the version that nightly left), and
      // recording the state cost 13 Spark jobs, a third of the command on the bench archive
      // (3.2 of 9 s). A state an earlier nightly left no longer describes the table: it is emptied
      // first, so that a command killed midway leaves no state to trust.
      NightlyState.clear(output);
      return new DiagnosticsAction(
              jobId,
              v,
              output,
              settings,
              Scope.everything("every run asked for (the diagnostics command)"),
              null)
          .execute();
    }
  }

  /**
   * @param everythingBecause why every run is computed; null: only the runs and epochs that are new
   *     or changed since the state was recorded (everything, with the reason, when that cannot be
   *     told)
   */
  static DiagnosticsAction.Result run(
      JobScope job,
      String jobId,
      ValidatedTelemetry v,
      OutputTables output,
      Settings settings,
      String everythingBecause) {
    Telemetry telemetry = v.telemetry;
    String settingsPrint = Fingerprints.ofSettings(settings);
    boolean fingerprinted = Fingerprints.available(telemetry.tensors());
    Dataset<Row> fingerprints = fingerprinted ? job.persist(Fingerprints.of(telemetry, v)) : null;
    job.step("compare with the state of the last run");
    ChangeSet changes =
        !fingerprinted
            ? ChangeSet.everything(
                "the tensors carry no file metadata to tell changed chunks by (not a file source)")
            : everythingBecause == null
                ? NightlyState.changes(output, fingerprints, settingsPrint)
                : ChangeSet.everything(everythingBecause);
    EpochStateSink sink =
        fingerprinted
            ? norms -> NightlyState.record(output, fingerprints, norms, changes, settingsPrint)
            : null;
    DiagnosticsAction.Result result =
        new DiagnosticsAction(jobId, v, output, settings, changes.scope(), sink).execute();
    if (!fingerprinted) NightlyState.clear(output);
    return result;
  }
}
