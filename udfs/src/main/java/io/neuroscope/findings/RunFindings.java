package io.neuroscope.findings;

import io.neuroscope.diagnostics.Diagnostics;
import io.neuroscope.diagnostics.Status;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;

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
    TreeSet<Integer> epochSet = new TreeSet<>(run.losses().keySet());
    Map<String, TreeMap<Integer, Reading>> network = new HashMap<>();
    Map<String, Map<Integer, List<Reading>>> layers = new HashMap<>();
    for (Reading r : run.readings()) {
      epochSet.add(r.epoch());
      if (r.networkLevel())
        network.computeIfAbsent(r.diagnostic(), k -> new TreeMap<>()).put(r.epoch(), r);
      else
        layers
            .computeIfAbsent(r.diagnostic(), k -> new HashMap<>())
            .computeIfAbsent(r.epoch(), k -> new ArrayList<>())
            .add(r);
    }
    List<Integer> epochs = new ArrayList<>(epochSet);
    Map<Integer, Integer> position = new HashMap<>();
    for (int i = 0; i < epochs.size(); i++) position.put(epochs.get(i), i + 1);
    double firstTrain = Double.NaN;
    for (RunHistory.Losses l : run.losses().values()) {
      if (Double.isFinite(l.train())) {
        firstTrain = l.train();
        break;
      }
    }

    List<RunFinding> found = new ArrayList<>();
    Map<String, Double> statistics = new LinkedHashMap<>();
    for (String d : Diagnostics.names()) {
      TreeMap<Integer, Reading> rows = network.getOrDefault(d, new TreeMap<>());
      List<Persistence.Judged> judged = new ArrayList<>();
      List<Double> values = new ArrayList<>();
      for (Reading r : rows.values()) {
        if (!WarmUp.judged(d, position.get(r.epoch()), rules)) continue;
        Status level = Calibration.level(r, firstTrain, trainLoss(run, r.epoch()), rules);
        if (level == Status.UNKNOWN) continue;
        judged.add(new Persistence.Judged(r.epoch(), level));
        values.add(r.value());
      }
      if (Cohort.SOFT.contains(d))
        statistics.put(
            d, Cohort.statistic(d, values.stream().mapToDouble(Double::doubleValue).toArray()));
      Optional<Persistence.Episode> e = Persistence.of(judged, rules);
      if (e.isEmpty()) continue;
      found.add(
          finding(
              d,
              e.get(),
              rows,
              layers.getOrDefault(d, Map.of()),
              epochs,
              position,
              firstTrain,
              run,
              rules));
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
      String d,
      Persistence.Episode e,
      TreeMap<Integer, Reading> rows,
      Map<Integer, List<Reading>> layerRows,
      List<Integer> epochs,
      Map<Integer, Integer> position,
      double firstTrain,
      RunHistory run,
      FindingRules rules) {
    // a history-based problem began where the window that showed it begins
    int detectedPos = position.get(e.onset());
    int onsetPos = Math.max(1, detectedPos - WarmUp.history(d, rules) + 1);
    if (d.equals("overfitting")) onsetPos = detectedPos;
    int onset = epochs.get(onsetPos - 1);
    Reading at = rows.get(e.onset());
    // where it first appeared: the worst layer at the onset epoch, the first in forward order on
    // ties
    Reading layer = null;
    int layerLevel = 0;
    for (Reading r : layerRows.getOrDefault(e.onset(), List.of())) {
      int level = Calibration.level(r, firstTrain, trainLoss(run, r.epoch()), rules).severity();
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

  private static double trainLoss(RunHistory run, int epoch) {
    RunHistory.Losses l = run.losses().get(epoch);
    return l == null ? Double.NaN : l.train();
  }
}
