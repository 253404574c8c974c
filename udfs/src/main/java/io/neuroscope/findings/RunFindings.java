package io.neuroscope.findings;

import io.neuroscope.diagnostics.Diagnostics;
import io.neuroscope.diagnostics.Status;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A run's findings from its diagnostics rows: per diagnostic, each network row's level ({@link
 * WarmUp}, then {@link Calibration}), a persistent episode ({@link Persistence}); {@link
 * NonFinite}; then, with its experiment's cohort, the soft problems ({@link Cohort}); last the
 * roles ({@link CauseAndSymptom}). Two steps, so that a job can gather the cohort between them:
 * {@link #candidates} per run, then {@link #finish} with the cohorts.
 */
public final class RunFindings {
  private RunFindings() {}

  /**
   * A run's findings before the cohort and roles, and its statistic per soft problem ({@link
   * Cohort#statistic}) for the cohort.
   */
  public record Candidates(List<RunFinding> findings, Map<String, Double> statistics) {
    public Candidates {
      findings = List.copyOf(findings);
      statistics = Map.copyOf(statistics);
    }
  }

  /** A single run's findings, judged alone (no cohort). */
  public static List<RunFinding> of(RunHistory run, FindingRules rules) {
    return finish(candidates(run, rules), Map.of(), rules);
  }

  public static Candidates candidates(RunHistory run, FindingRules rules) {
    RunContext c = new RunContext(run);
    List<RunFinding> found = new ArrayList<>();
    Map<String, Double> statistics = new LinkedHashMap<>();
    for (String d : Diagnostics.names()) {
      List<Persistence.Judged> judged = new ArrayList<>();
      List<Double> values = new ArrayList<>();
      for (Reading r : c.network(d).values()) {
        if (!WarmUp.judged(d, c.position(r.epoch()), rules)) continue;
        Status level = Calibration.level(r, c, rules);
        if (level == Status.UNKNOWN) continue;
        judged.add(new Persistence.Judged(r.epoch(), level));
        values.add(r.value());
      }
      if (Cohort.SOFT.contains(d))
        statistics.put(
            d, Cohort.statistic(d, values.stream().mapToDouble(Double::doubleValue).toArray()));
      Optional<Persistence.Episode> e = Persistence.of(judged, rules);
      if (e.isPresent()) found.add(finding(d, e.get(), c, rules));
    }
    NonFinite.of(run).ifPresent(found::add);
    return new Candidates(found, statistics);
  }

  /** The candidates that stand against the run's cohorts (by problem), with their roles. */
  public static List<RunFinding> finish(
      Candidates c, Map<String, Cohort> cohorts, FindingRules rules) {
    List<RunFinding> kept = new ArrayList<>();
    for (RunFinding f : c.findings()) {
      Cohort cohort = cohorts.get(f.problem());
      if (!Cohort.SOFT.contains(f.problem()) || cohort == null) {
        kept.add(f);
        continue;
      }
      double stat = c.statistics().getOrDefault(f.problem(), Double.NaN);
      if (!cohort.atypical(f.problem(), stat, rules)) continue;
      Map<String, Double> ev = new LinkedHashMap<>();
      ev.put("cohort_runs", (double) cohort.runs());
      ev.put("cohort_median", cohort.median());
      ev.put("cohort_z", cohort.z(stat));
      kept.add(f.withEvidence(ev));
    }
    return CauseAndSymptom.assign(kept, rules);
  }

  private static RunFinding finding(
      String d, Persistence.Episode e, RunContext c, FindingRules rules) {
    int detected = c.position(e.onset());
    int onset;
    if (d.equals("overfitting")) {
      // overfitting starts where the validation loss was last at its best
      int best = c.bestValEpoch(e.onset());
      onset = best >= 0 ? best : e.onset();
    } else {
      // a history-based problem began where the window that showed it begins
      onset = c.epochAt(Math.max(1, detected - WarmUp.history(d, rules) + 1));
    }
    Reading at = c.network(d).get(e.onset());
    // where it first appeared: the worst layer at the onset epoch, the first in forward order on
    // ties
    Reading layer = null;
    int layerLevel = 0;
    for (Reading r : c.layers(d, e.onset())) {
      int level = Calibration.level(r, c, rules).severity();
      if (level < Status.WARNING.severity()) continue;
      if (layer == null
          || level > layerLevel
          || (level == layerLevel && r.layer() < layer.layer())) {
        layer = r;
        layerLevel = level;
      }
    }
    Map<String, Double> evidence = new LinkedHashMap<>();
    evidence.put("judged_epochs", (double) e.judged());
    evidence.put("flagged_epochs", (double) e.flagged());
    evidence.put("critical_epochs", (double) e.critical());
    evidence.put("detected_epoch", (double) e.onset());
    evidence.put("onset_value", at.value());
    at.details().forEach((k, v) -> evidence.put("onset_" + k, v));
    if (layer != null) evidence.put("onset_layer_value", layer.value());
    Integer onsetLayer = layer == null ? null : layer.layer();
    return new RunFinding(
        d,
        e.severity(),
        onset,
        onsetLayer,
        e.last(),
        e.flagged(),
        Role.CAUSE,
        null,
        evidence,
        FindingText.of(
            d, onset, onsetLayer, layer == null ? Double.NaN : layer.value(), at.value()));
  }
}
