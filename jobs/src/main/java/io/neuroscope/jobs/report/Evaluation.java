package io.neuroscope.jobs.report;

import static org.apache.spark.sql.functions.col;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.neuroscope.diagnostics.Diagnostics;
import io.neuroscope.findings.Problems;
import io.neuroscope.jobs.error.NeuroScopeErrors;
import io.neuroscope.jobs.summary.RunSummary;
import io.neuroscope.jobs.table.OutputTable;
import io.neuroscope.jobs.table.OutputTables;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.spark.sql.Row;

/**
 * The findings measured against labelled runs (README, "Evaluating the findings"): per planted
 * problem its recall (and with the onset within {@link #ONSET_TOLERANCE} epochs), the runs with a
 * false finding (neither planted nor a symptom of a planted cause), and the healthy baselines
 * without any finding — each beside the same measure for the spec's worst statuses, where a
 * diagnostic WARNING or CRITICAL in any epoch counts as found from its first such epoch.
 */
public final class Evaluation {
  /** Epochs a finding's onset may differ from the planted onset. */
  public static final int ONSET_TOLERANCE = 2;

  /** A labelled run: healthy baseline or not, the split, planted problem → onset (null: any). */
  public record Label(boolean healthy, String split, Map<String, Integer> planted) {}

  /** What a detector said of a run: problem → (onset, explained by). */
  record Said(int onset, String explainedBy) {}

  /** The figures of one split for one detector. */
  public record Figures(
      Map<String, int[]> perProblem,
      int runs,
      int runsWithFalse,
      int falseFindings,
      int healthy,
      int healthyClean) {
    /** perProblem value: {planted, found, found with onset in tolerance}. */
    public double recall(String p) {
      int[] v = perProblem.get(p);
      return v == null || v[0] == 0 ? Double.NaN : (double) v[1] / v[0];
    }
  }

  private Evaluation() {}

  /** Reads a labels file: {@code {"runs": {id: {"healthy", "split", "problems": [...]}}}}. */
  public static Map<String, Label> readLabels(Path file) {
    JsonNode root;
    try {
      root = new ObjectMapper().readTree(Files.readString(file));
    } catch (IOException e) {
      throw NeuroScopeErrors.badLabels(file.toString(), NeuroScopeErrors.firstLine(e), e);
    }
    JsonNode runs = root == null ? null : root.get("runs");
    if (runs == null || !runs.isObject())
      throw NeuroScopeErrors.badLabels(
          file.toString(), "expected {\"runs\": {\"<run_id>\": {...}, ...}}", null);
    Map<String, Label> out = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = runs.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      JsonNode r = e.getValue();
      Map<String, Integer> planted = new LinkedHashMap<>();
      JsonNode problems = r.get("problems");
      if (problems != null)
        for (JsonNode p : problems) {
          String name = p.isTextual() ? p.asText() : p.path("problem").asText(null);
          if (name == null || !Problems.names().contains(name))
            throw NeuroScopeErrors.badLabels(
                file.toString(),
                "run " + e.getKey() + " names problem " + p + "; known: " + Problems.names(),
                null);
          JsonNode onset = p.isObject() ? p.get("onset_epoch") : null;
          planted.put(name, onset == null || onset.isNull() ? null : onset.asInt());
        }
      boolean healthy = r.path("healthy").asBoolean(planted.isEmpty());
      out.put(e.getKey(), new Label(healthy, r.path("split").asText("all"), planted));
    }
    return out;
  }

  /** Prints the figures per split (and over all runs) for the findings and the spec's statuses. */
  public static void print(OutputTables output, Map<String, Label> labels, PrintStream out) {
    for (OutputTable t : List.of(OutputTable.FINDINGS, OutputTable.DIAGNOSTICS))
      if (!output.exists(t))
        throw NeuroScopeErrors.missingOutputTable(
            t.tableName(), output.path(t), "run bin/neuroscope nightly first");
    Map<String, Map<String, Said>> findings = new HashMap<>();
    for (Row r :
        output
            .read(OutputTable.FINDINGS)
            .select("run_id", "problem", "onset_epoch", "explained_by")
            .collectAsList())
      findings
          .computeIfAbsent(r.getString(0), k -> new HashMap<>())
          .put(r.getString(1), new Said(r.getInt(2), r.isNullAt(3) ? null : r.getString(3)));
    Map<String, Map<String, Said>> spec = new HashMap<>();
    for (Row r :
        RunSummary.perDiagnostic(output.read(OutputTable.DIAGNOSTICS))
            .where(col("first_warning").isNotNull())
            .select("run_id", "diagnostic", "first_warning")
            .collectAsList())
      spec.computeIfAbsent(r.getString(0), k -> new HashMap<>())
          .put(r.getString(1), new Said(r.getInt(2), null));

    Set<String> missing = new TreeSet<>(labels.keySet());
    missing.removeAll(runsOf(output));
    if (!missing.isEmpty())
      out.printf(
          Locale.ROOT,
          "note: %d labelled runs are not in %s and are left out: %s%n",
          missing.size(),
          output.path(OutputTable.DIAGNOSTICS),
          missing.size() > 5 ? List.copyOf(missing).subList(0, 5) + " ..." : missing);
    List<String> splits =
        new ArrayList<>(new TreeSet<>(labels.values().stream().map(Label::split).toList()));
    if (splits.size() > 1) splits.add("all");
    for (String split : splits) {
      Map<String, Label> in = new LinkedHashMap<>();
      labels.forEach(
          (id, l) -> {
            if (!missing.contains(id) && (split.equals("all") || l.split().equals(split)))
              in.put(id, l);
          });
      printSplit(split, measure(in, findings, true), measure(in, spec, false), out);
    }
  }

  static Figures measure(
      Map<String, Label> labels, Map<String, Map<String, Said>> said, boolean symptomsKnown) {
    Map<String, int[]> per = new LinkedHashMap<>();
    int withFalse = 0;
    int falseCount = 0;
    int healthy = 0;
    int clean = 0;
    for (Map.Entry<String, Label> e : labels.entrySet()) {
      Label l = e.getValue();
      Map<String, Said> s = said.getOrDefault(e.getKey(), Map.of());
      for (Map.Entry<String, Integer> p : l.planted().entrySet()) {
        int[] v = per.computeIfAbsent(p.getKey(), k -> new int[3]);
        v[0]++;
        Said f = s.get(p.getKey());
        if (f != null) {
          v[1]++;
          if (p.getValue() == null || Math.abs(f.onset() - p.getValue()) <= ONSET_TOLERANCE) v[2]++;
        }
      }
      int wrong = 0;
      for (Map.Entry<String, Said> f : s.entrySet()) {
        boolean planted = l.planted().containsKey(f.getKey());
        boolean symptom =
            symptomsKnown
                && f.getValue().explainedBy() != null
                && l.planted().containsKey(f.getValue().explainedBy());
        if (!planted && !symptom) wrong++;
      }
      if (wrong > 0) withFalse++;
      falseCount += wrong;
      if (l.healthy()) {
        healthy++;
        if (s.isEmpty()) clean++;
      }
    }
    return new Figures(per, labels.size(), withFalse, falseCount, healthy, clean);
  }

  private static void printSplit(String split, Figures ours, Figures spec, PrintStream out) {
    out.printf(Locale.ROOT, "%n== %s: %d labelled runs ==%n", split, ours.runs());
    out.printf(
        Locale.ROOT,
        "%-22s %7s  %-22s %-22s%n",
        "problem",
        "planted",
        "findings: recall/onset",
        "spec statuses: recall/onset");
    for (String p : Problems.names()) {
      int[] f = ours.perProblem().get(p);
      if (f == null) continue;
      int[] s = spec.perProblem().getOrDefault(p, new int[] {f[0], 0, 0});
      out.printf(
          Locale.ROOT,
          "%-22s %7d  %-22s %-22s%n",
          p,
          f[0],
          pct(f[1], f[0]) + " / " + pct(f[2], f[0]),
          p.equals(Problems.NON_FINITE) && !Diagnostics.names().contains(p)
              ? "(not a diagnostic)"
              : pct(s[1], s[0]) + " / " + pct(s[2], s[0]));
    }
    out.printf(
        Locale.ROOT,
        "runs with a false finding (neither planted nor a symptom of the planted cause): findings %s (%d findings), spec %s (%d)%n",
        pct(ours.runsWithFalse(), ours.runs()),
        ours.falseFindings(),
        pct(spec.runsWithFalse(), spec.runs()),
        spec.falseFindings());
    out.printf(
        Locale.ROOT,
        "healthy baselines with no finding at all: findings %s of %d, spec %s%n",
        pct(ours.healthyClean(), ours.healthy()),
        ours.healthy(),
        pct(spec.healthyClean(), spec.healthy()));
  }

  private static Set<String> runsOf(OutputTables output) {
    Set<String> ids = new TreeSet<>();
    for (Row r : output.read(OutputTable.DIAGNOSTICS).select("run_id").distinct().collectAsList())
      ids.add(r.getString(0));
    return ids;
  }

  private static String pct(int n, int of) {
    return of == 0 ? "-" : String.format(Locale.ROOT, "%.1f %%", 100.0 * n / of);
  }
}
