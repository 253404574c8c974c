package io.neuroscope.jobs.report;

import io.neuroscope.diagnostics.Diagnostics;
import io.neuroscope.jobs.report.ReportData.Cell;
import io.neuroscope.jobs.report.ReportData.Effect;
import io.neuroscope.jobs.report.ReportData.Finding;
import io.neuroscope.jobs.report.ReportData.LayerMap;
import io.neuroscope.jobs.report.ReportData.RunHealth;
import io.neuroscope.jobs.report.ReportData.RunSeries;
import io.neuroscope.jobs.report.ReportData.RunVerdict;
import io.neuroscope.jobs.report.ReportData.Verdict;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.apache.spark.sql.SparkSession;

/**
 * A self-contained HTML report of the output tables, for a browser without network: Apache ECharts
 * and the data are inlined. From the top: the verdicts (runs counted by verdict, then the sick runs
 * CRITICAL first, each with its findings in words, causes with the symptoms they explain, and the
 * HEALTHY ones on a line), the runs sickest first by the diagnostics' statuses (a run x diagnostic
 * table of worst statuses, with the epoch each turned bad), the runs by worst status per
 * diagnostic, the hyperparameter-effect matrix (hyperparameter x target, strength), then per run a
 * diagnostic x epoch status heatmap next to its loss curves, and per layer-level diagnostic a layer
 * x epoch heatmap of the runs sickest on it.
 */
public final class HtmlReport {
  /** The ECharts build the jobs module depends on (org.webjars.npm:echarts). */
  static final String ECHARTS = "META-INF/resources/webjars/echarts/5.3.1/dist/echarts.min.js";

  /** A short header per diagnostic, in the spec's order (the report's and the demo's tables). */
  public static final List<String> SHORT_NAMES =
      List.of(
          "dead",
          "vanish",
          "explode",
          "satur",
          "snr",
          "update",
          "plateau",
          "overfit",
          "weights",
          "progress");

  /**
   * How much goes in: the runs shown in detail (a card each, sickest first), the runs per
   * layer-level diagnostic, the rows of the health table.
   */
  public record Options(int detailedRuns, int layerRuns, int tableRuns) {
    public static Options defaults() {
      return new Options(50, 3, 2000);
    }
  }

  private HtmlReport() {}

  /**
   * Writes the report of the tables under {@code output} ({@code diagnostics}, required; {@code
   * findings}, {@code run_summary} and {@code hyperparameter_effects} when there) to {@code html},
   * with the loss curves from {@code telemetry}'s {@code epochs} table when {@code telemetry} is
   * not null.
   *
   * @return {@code html}
   */
  public static Path write(SparkSession spark, String output, String telemetry, Path html) {
    return write(spark, output, telemetry, html, Options.defaults());
  }

  public static Path write(
      SparkSession spark, String output, String telemetry, Path html, Options options) {
    ReportData data = ReportData.read(spark, output, telemetry, options);
    String page = render(data, output, telemetry, options);
    try {
      Path parent = html.toAbsolutePath().getParent();
      if (parent != null) Files.createDirectories(parent);
      Files.writeString(html, page, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + html, e);
    }
    return html;
  }

  static String render(ReportData data, String output, String telemetry, Options options) {
    List<String> diagnostics = Diagnostics.names();
    StringBuilder h = new StringBuilder(1 << 20);
    h.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
        .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
        .append("<title>NeuroScope report</title>\n<style>\n")
        .append(resource("report.css"))
        .append(VERDICT_CSS)
        .append("</style>\n")
        .append("</head>\n<body>\n");

    // --- header and counts
    long experiments = data.runs.stream().map(RunHealth::experiment).distinct().count();
    Map<Integer, Long> byHealth =
        data.runs.stream()
            .collect(Collectors.groupingBy(RunHealth::health, TreeMap::new, Collectors.counting()));
    h.append("<header>\n<h1>NeuroScope report</h1>\n<p class=\"meta\">output <code>")
        .append(esc(output))
        .append("</code>");
    if (telemetry != null) h.append(" · telemetry <code>").append(esc(telemetry)).append("</code>");
    h.append(" · written ").append(Instant.now().truncatedTo(ChronoUnit.SECONDS)).append("</p>\n");
    h.append(
        "<nav><a href=\"#verdicts\">verdicts</a> · <a href=\"#health\">statuses per run</a> · "
            + "<a href=\"#overview\">by diagnostic</a> · <a href=\"#effects\">hyperparameters</a> · "
            + "<a href=\"#runs\">each run</a> · <a href=\"#layers\">layers</a></nav>\n</header>\n");

    Map<String, Integer> detailIndex = new LinkedHashMap<>();
    for (int i = 0; i < data.details.size(); i++) detailIndex.put(data.details.get(i).runId(), i);

    // --- the verdicts: which runs are sick, with what, since when
    verdicts(h, data, detailIndex, options, experiments);

    // --- the health table: runs sickest first
    h.append(
        "<section id=\"health\">\n<h2>Each diagnostic's worst status per run, sickest first</h2>\n"
            + "<p class=\"counts\">By the diagnostics' statuses: ");
    for (int s = ReportData.CRITICAL; s >= 0; s--) {
      long n = byHealth.getOrDefault(s, 0L);
      if (n > 0) h.append(badge(s, n + " " + ReportData.STATUSES.get(s))).append(' ');
    }
    h.append(
        "</p>\n<p class=\"legend\">A run's status on a diagnostic is its worst over its epochs; its health the "
            + "worst over the ten. In the table, the number is the epoch the run first reached that status. ");
    for (int s = ReportData.CRITICAL; s >= 0; s--)
      h.append(badge(s, ReportData.STATUSES.get(s))).append(' ');
    h.append(
        "</p>\n<div class=\"scroll\"><table class=\"health\">\n"
            + "<thead><tr><th>#</th><th>run</th><th>experiment</th><th>health</th>");
    for (int i = 0; i < diagnostics.size(); i++) {
      h.append("<th class=\"d\" title=\"")
          .append(esc(diagnostics.get(i)))
          .append("\">")
          .append(SHORT_NAMES.get(i))
          .append("</th>");
    }
    h.append(
        "<th>critical since</th><th>epochs</th><th>final val loss</th><th>best val loss</th></tr></thead>\n"
            + "<tbody>\n");
    int shown = Math.min(options.tableRuns(), data.runs.size());
    for (int i = 0; i < shown; i++) {
      RunHealth r = data.runs.get(i);
      String health = ReportData.STATUSES.get(r.health());
      h.append("<tr data-run=\"")
          .append(esc(r.runId()))
          .append("\" data-health=\"")
          .append(health)
          .append("\">")
          .append("<td>")
          .append(i + 1)
          .append("</td><td class=\"run\">");
      Integer card = detailIndex.get(r.runId());
      if (card != null) {
        h.append("<a href=\"#run-")
            .append(card)
            .append("\">")
            .append(esc(r.runId()))
            .append("</a>");
      } else {
        h.append(esc(r.runId()));
      }
      h.append("</td><td>")
          .append(esc(r.experiment()))
          .append("</td><td>")
          .append(badge(r.health(), health))
          .append("</td>");
      for (String d : diagnostics) {
        Verdict v = r.verdicts().get(d);
        int s = v == null ? 0 : v.worst();
        Integer from =
            s == ReportData.CRITICAL
                ? v.firstCritical()
                : s == ReportData.WARNING ? v.firstWarning() : null;
        h.append("<td class=\"st s")
            .append(s)
            .append("\" title=\"")
            .append(esc(d))
            .append(": ")
            .append(ReportData.STATUSES.get(s));
        if (from != null) h.append(" from epoch ").append(from);
        if (s == ReportData.CRITICAL
            && v.firstWarning() != null
            && !v.firstWarning().equals(from)) {
          h.append(", WARNING from epoch ").append(v.firstWarning());
        }
        h.append("\">").append(from == null ? "" : from).append("</td>");
      }
      h.append("<td class=\"since\">")
          .append(esc(criticalSince(r)))
          .append("</td><td class=\"num\">")
          .append(r.epochs())
          .append("</td><td class=\"num\">")
          .append(number(r.finalValLoss()))
          .append("</td><td class=\"num\">")
          .append(number(r.bestValLoss()))
          .append("</td></tr>\n");
    }
    h.append("</tbody></table></div>\n");
    if (shown < data.runs.size()) {
      h.append("<p class=\"note\">The ")
          .append(shown)
          .append(" sickest of ")
          .append(data.runs.size())
          .append(" runs.</p>\n");
    }
    h.append("</section>\n");

    // --- runs by worst status, per diagnostic
    h.append(
        "<section id=\"overview\">\n<h2>Runs by worst status, per diagnostic</h2>\n"
            + "<div class=\"chart\" id=\"overview-chart\" style=\"height:340px\"></div>\n</section>\n");

    // --- hyperparameter effects
    h.append("<section id=\"effects\">\n<h2>Hyperparameter effects</h2>\n");
    if (!data.hasEffectsTable) {
      h.append(
          "<p class=\"note\">No <code>hyperparameter_effects</code> table under the output: run "
              + "<code>bin/neuroscope nightly</code> or <code>bin/neuroscope summaries</code>.</p>\n");
    } else if (data.effects.isEmpty()) {
      h.append(
          "<p class=\"note\">No hyperparameter has statistics: too few runs, or nothing varies.</p>\n");
    } else {
      h.append(
          "<p>Strength of each hyperparameter's relation to each target: max(|Pearson|, |Spearman|) for a "
              + "numeric one (the label carries the sign of the correlation), the square root of omega squared (eta squared "
              + "corrected for the number of levels) for a categorical one. "
              + "Blank: no statistics. Scope <select id=\"effects-scope\"></select></p>\n"
              + "<div class=\"chart\" id=\"effects-chart\"></div>\n<h3>The strongest</h3>\n"
              + "<div class=\"scroll\"><table class=\"effects\" id=\"effects-table\"></table></div>\n"
              + "<p class=\"note\">A forest R squared near or below 0 means its importances are noise.</p>\n");
    }
    h.append("</section>\n");

    // --- one card per run
    h.append("<section id=\"runs\">\n<h2>Each run: status per diagnostic and epoch")
        .append(data.hasTelemetry ? ", and its losses" : "")
        .append("</h2>\n");
    if (!data.hasTelemetry) {
      h.append("<p class=\"note\">No telemetry given: no loss curves.</p>\n");
    }
    if (data.details.size() < data.runs.size()) {
      h.append("<p class=\"note\">The ").append(data.details.size()).append(" sickest runs.</p>\n");
    }
    Map<String, RunHealth> byId = new LinkedHashMap<>();
    for (RunHealth r : data.runs) byId.put(r.runId(), r);
    for (int i = 0; i < data.details.size(); i++) {
      RunHealth r = byId.get(data.details.get(i).runId());
      h.append("<article class=\"run\" id=\"run-")
          .append(i)
          .append("\" data-run=\"")
          .append(esc(r.runId()))
          .append("\">\n<h3>")
          .append(esc(r.runId()))
          .append(' ')
          .append(badge(r.health(), ReportData.STATUSES.get(r.health())))
          .append("</h3>\n<p class=\"sub\">")
          .append(esc(r.experiment()))
          .append(" · ")
          .append(r.epochs())
          .append(" epochs");
      String since = criticalSince(r);
      if (!since.isEmpty()) h.append(" · critical: ").append(esc(since));
      List<String> warning = r.withStatus(ReportData.WARNING);
      if (!warning.isEmpty()) h.append(" · warning: ").append(esc(String.join(", ", warning)));
      h.append("</p>\n<div class=\"pair\"><div class=\"chart\" id=\"run-")
          .append(i)
          .append("-status\"></div>");
      if (data.hasTelemetry)
        h.append("<div class=\"chart\" id=\"run-").append(i).append("-loss\"></div>");
      h.append("</div>\n");
      if (!r.params().isEmpty()) {
        h.append("<details><summary>hyperparameters</summary><p class=\"params\">")
            .append(
                esc(
                    r.params().entrySet().stream()
                        .map(e -> e.getKey() + "=" + e.getValue())
                        .collect(Collectors.joining(" · "))))
            .append("</p></details>\n");
      }
      h.append("</article>\n");
    }
    h.append("</section>\n");

    // --- layers
    h.append(
        "<section id=\"layers\">\n<h2>Layers x epochs of the runs sickest on each layer-level diagnostic</h2>\n");
    int li = 0;
    for (Map.Entry<String, List<LayerMap>> e : data.layerMaps.entrySet()) {
      h.append("<h3>").append(esc(e.getKey())).append("</h3>\n");
      if (e.getValue().isEmpty()) {
        h.append("<p class=\"note\">No run reached WARNING on it.</p>\n");
      }
      for (LayerMap m : e.getValue()) {
        h.append("<div class=\"chart\" id=\"layer-")
            .append(li++)
            .append("\" data-run=\"")
            .append(esc(m.runId()))
            .append("\" style=\"height:")
            .append(90 + 24 * Math.max(1, m.layers().size()))
            .append("px\"></div>\n");
      }
    }
    if (data.layerMaps.isEmpty())
      h.append("<p class=\"note\">No layer rows in the diagnostics table.</p>\n");
    h.append("</section>\n");

    h.append(
        "<footer>Written by <code>bin/neuroscope report</code>; charts by Apache ECharts 5.3.1 (inlined).</footer>\n");
    h.append("<script type=\"application/json\" id=\"ns-data\">")
        .append(Json.write(model(data)))
        .append("</script>\n");
    h.append("<script>\n").append(scriptSafe(resource(ECHARTS))).append("\n</script>\n");
    h.append("<script>\n").append(scriptSafe(resource("report.js"))).append("\n</script>\n");
    h.append("</body>\n</html>\n");
    return h.toString();
  }

  /** The look of the verdicts section (the rest is in report.css). */
  private static final String VERDICT_CSS =
      "#verdicts .counts .badge { font-size: 14px; padding: 2px 10px; }\n"
          + "table.verdicts td { vertical-align: top; }\n"
          + "table.verdicts td.findings { white-space: normal; min-width: 420px; max-width: 900px; }\n"
          + ".finding { margin: 1px 0; }\n"
          + ".badge.sm { font-size: 10px; padding: 0 6px; font-weight: 500; vertical-align: 1px; }\n"
          + ".symptoms { color: #888; font-size: 12px; margin: 0 0 3px 18px; }\n"
          + "tr[data-verdict=\"CRITICAL\"] td.run { font-weight: 600; }\n"
          + "p.healthy-runs { white-space: normal; line-height: 1.8; }\n";

  /** At most this many HEALTHY runs are named in the verdicts section; the rest are counted. */
  static final int HEALTHY_LISTED = 200;

  /**
   * The first section: the runs' verdicts counted, then the sick runs (CRITICAL, then WARNING),
   * each with its causes in words (the symptoms they explain smaller), then the HEALTHY runs on one
   * line. Without a {@code findings} table, a note saying how to compute it.
   */
  private static void verdicts(
      StringBuilder h,
      ReportData data,
      Map<String, Integer> detailIndex,
      Options options,
      long experiments) {
    h.append("<section id=\"verdicts\">\n<h2>Verdicts</h2>\n");
    if (!data.hasFindings) {
      h.append("<p class=\"counts\">")
          .append(data.runs.size())
          .append(" runs in ")
          .append(experiments)
          .append(experiments == 1 ? " experiment" : " experiments")
          .append(".</p>\n")
          .append(
              "<p class=\"note\">Findings are not computed yet for this output (it has no "
                  + "<code>findings</code> table): run <code>bin/neuroscope nightly</code> or "
                  + "<code>bin/neuroscope summaries</code>, then the report again. Below, the runs by "
                  + "the diagnostics' statuses.</p>\n</section>\n");
      return;
    }
    Map<String, Long> counts =
        data.verdicts.stream()
            .collect(Collectors.groupingBy(RunVerdict::verdict, Collectors.counting()));
    h.append("<p class=\"counts\">")
        .append(data.verdicts.size())
        .append(" runs in ")
        .append(experiments)
        .append(experiments == 1 ? " experiment" : " experiments")
        .append(": ");
    for (int s = ReportData.CRITICAL; s >= 0; s--) {
      String name = ReportData.STATUSES.get(s);
      long n = counts.getOrDefault(name, 0L);
      if (n > 0 || s >= ReportData.HEALTHY) h.append(badge(s, n + " " + name)).append(' ');
    }
    h.append(
        "</p>\n<p class=\"legend\">A run's verdict is the worst severity of its findings, the problems "
            + "it had: each a <b>cause</b>, or a symptom (in grey) that a cause explains. HEALTHY: no "
            + "finding. Since: the first epoch of a finding.</p>\n");
    List<RunVerdict> sick =
        data.verdicts.stream().filter(v -> v.rank() > ReportData.HEALTHY).toList();
    int shown = Math.min(options.tableRuns(), sick.size());
    if (sick.isEmpty()) {
      h.append("<p class=\"note\">No run has a finding.</p>\n");
    } else {
      h.append(
          "<div class=\"scroll\"><table class=\"verdicts\">\n<thead><tr><th>run</th><th>verdict</th>"
              + "<th>experiment</th><th>since</th><th>findings</th></tr></thead>\n<tbody>\n");
      for (RunVerdict v : sick.subList(0, shown)) {
        h.append("<tr data-verdict-run=\"")
            .append(esc(v.runId()))
            .append("\" data-verdict=\"")
            .append(esc(v.verdict()))
            .append("\"><td class=\"run\">")
            .append(runLink(v.runId(), detailIndex))
            .append("</td><td>")
            .append(badge(v.rank(), v.verdict()))
            .append("</td><td>")
            .append(esc(v.experiment()))
            .append("</td><td class=\"num\">")
            .append(v.since() == null ? "" : "epoch " + v.since())
            .append("</td><td class=\"findings\">");
        for (Finding c : v.causes()) {
          h.append("<div class=\"finding cause\" data-problem=\"")
              .append(esc(c.problem()))
              .append("\">")
              .append(badge(severity(c.severity()), c.severity(), "badge sm"))
              .append(' ')
              .append(esc(c.summary()))
              .append("</div>\n");
          symptoms(h, v.symptomsOf(c.problem()), c.problem());
        }
        Map<String, List<Finding>> unexplained = new TreeMap<>();
        for (Finding f : v.unexplained())
          unexplained
              .computeIfAbsent(String.valueOf(f.explainedBy()), k -> new ArrayList<>())
              .add(f);
        unexplained.forEach((cause, fs) -> symptoms(h, fs, cause));
        h.append("</td></tr>\n");
      }
      h.append("</tbody></table></div>\n");
      if (shown < sick.size()) {
        h.append("<p class=\"note\">The ")
            .append(shown)
            .append(" sickest of ")
            .append(sick.size())
            .append(" runs with findings.</p>\n");
      }
    }
    List<RunVerdict> healthy =
        data.verdicts.stream()
            .filter(v -> v.rank() <= ReportData.HEALTHY)
            .sorted(
                Comparator.comparing(
                        (RunVerdict v) -> v.experiment(),
                        Comparator.nullsLast(Comparator.naturalOrder()))
                    .thenComparing(RunVerdict::runId))
            .toList();
    if (!healthy.isEmpty()) {
      h.append("<p class=\"healthy-runs\">")
          .append(badge(ReportData.HEALTHY, healthy.size() + " HEALTHY"))
          .append(healthy.size() == 1 ? " run, no finding: " : " runs, no finding: ");
      int listed = Math.min(HEALTHY_LISTED, healthy.size());
      for (int i = 0; i < listed; i++) {
        RunVerdict v = healthy.get(i);
        if (i > 0) h.append(", ");
        h.append("<span class=\"run\" data-verdict-run=\"")
            .append(esc(v.runId()))
            .append("\" data-verdict=\"")
            .append(esc(v.verdict()))
            .append("\">")
            .append(runLink(v.runId(), detailIndex))
            .append(" <span class=\"sub\">(")
            .append(esc(v.experiment()))
            .append(")</span></span>");
      }
      if (listed < healthy.size())
        h.append(" and ").append(healthy.size() - listed).append(" more");
      h.append("</p>\n");
    }
    h.append("</section>\n");
  }

  /** "symptoms: plateau from epoch 1, ... (of cause X)", each symptom's summary its tooltip. */
  private static void symptoms(StringBuilder h, List<Finding> symptoms, String cause) {
    if (symptoms.isEmpty()) return;
    h.append("<div class=\"symptoms\">symptoms: ");
    for (int i = 0; i < symptoms.size(); i++) {
      Finding f = symptoms.get(i);
      if (i > 0) h.append(", ");
      h.append("<span title=\"")
          .append(esc(f.severity() + ": " + f.summary()))
          .append("\">")
          .append(esc(f.problem()))
          .append(" from epoch ")
          .append(f.onsetEpoch())
          .append("</span>");
    }
    h.append(" (of cause ").append(esc(cause)).append(")</div>\n");
  }

  /** The run's id, a link to its card when it has one. */
  private static String runLink(String runId, Map<String, Integer> detailIndex) {
    Integer card = detailIndex.get(runId);
    return card == null ? esc(runId) : "<a href=\"#run-" + card + "\">" + esc(runId) + "</a>";
  }

  /** A status name's severity (0 for anything else). */
  private static int severity(String status) {
    int i = ReportData.STATUSES.indexOf(status);
    return Math.max(i, 0);
  }

  /** What the charts draw, as JSON: see report.js for its use. */
  static Map<String, Object> model(ReportData data) {
    List<String> diagnostics = Diagnostics.names();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("diagnostics", diagnostics);
    m.put("statuses", ReportData.STATUSES);
    Map<String, int[]> overview = new LinkedHashMap<>();
    for (String d : diagnostics) overview.put(d, new int[ReportData.STATUSES.size()]);
    for (RunHealth r : data.runs) {
      r.verdicts()
          .forEach(
              (d, v) -> {
                if (overview.containsKey(d)) overview.get(d)[v.worst()]++;
              });
    }
    m.put("overview", overview);

    List<Object> details = new ArrayList<>();
    for (RunSeries s : data.details) {
      Set<Integer> epochs = new TreeSet<>();
      s.diagnostics().values().forEach(e -> epochs.addAll(e.keySet()));
      List<Integer> x = new ArrayList<>(epochs);
      Map<String, Object> d = new LinkedHashMap<>();
      d.put("run", s.runId());
      d.put("epochs", x);
      List<int[]> status = new ArrayList<>();
      List<double[]> value = new ArrayList<>();
      for (String diag : diagnostics) {
        addRow(s.diagnostics().getOrDefault(diag, new TreeMap<>()), x, status, value);
      }
      d.put("status", status);
      d.put("value", value);
      List<Integer> lossEpochs = new ArrayList<>(s.losses().keySet());
      double[] train = new double[lossEpochs.size()];
      double[] val = new double[lossEpochs.size()];
      for (int i = 0; i < lossEpochs.size(); i++) {
        train[i] = s.losses().get(lossEpochs.get(i))[0];
        val[i] = s.losses().get(lossEpochs.get(i))[1];
      }
      d.put("loss", Map.of("epochs", lossEpochs, "train", train, "val", val));
      details.add(d);
    }
    m.put("details", details);

    List<Object> layers = new ArrayList<>();
    for (Map.Entry<String, List<LayerMap>> e : data.layerMaps.entrySet()) {
      for (LayerMap lm : e.getValue()) {
        Set<Integer> epochs = new TreeSet<>();
        lm.layers().values().forEach(l -> epochs.addAll(l.keySet()));
        List<Integer> x = new ArrayList<>(epochs);
        List<Integer> y = new ArrayList<>(lm.layers().keySet());
        List<int[]> status = new ArrayList<>();
        List<double[]> value = new ArrayList<>();
        for (Integer layer : y) {
          addRow(lm.layers().get(layer), x, status, value);
        }
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("diagnostic", e.getKey());
        d.put("run", lm.runId());
        d.put("worst", lm.verdict().worst());
        d.put("firstWarning", lm.verdict().firstWarning());
        d.put("firstCritical", lm.verdict().firstCritical());
        d.put("epochs", x);
        d.put("layers", y);
        d.put("status", status);
        d.put("value", value);
        layers.add(d);
      }
    }
    m.put("layers", layers);
    m.put("effects", effects(data.effects));
    return m;
  }

  /**
   * A scope's key in the page: {@code all} for all runs, {@code experiment:NAME} for an experiment,
   * so that an experiment named "all" is not taken for all runs.
   */
  static String scopeKey(Effect e) {
    return e.scopeType().equals("all") ? "all" : "experiment:" + e.scope();
  }

  /**
   * The effects per scope ({@code all} first, then the experiments), one row per hyperparameter,
   * target and measure: the scale with the larger strength. Targets in the order of the
   * diagnostics, then the validation loss.
   */
  static Map<String, Object> effects(List<Effect> effects) {
    Map<String, Effect> best = new LinkedHashMap<>();
    for (Effect e : effects) {
      String key =
          e.scopeType()
              + "\u0000"
              + e.scope()
              + "\u0000"
              + e.hyperparameter()
              + "\u0000"
              + e.target()
              + "\u0000"
              + e.measure();
      Effect prev = best.get(key);
      if (prev == null || e.strength() > prev.strength()) best.put(key, e);
    }
    List<String> measures = List.of("final", "max", "critical_share", "best");
    List<String> order = new ArrayList<>(Diagnostics.names());
    order.add("val_loss");
    Comparator<String[]> byTarget =
        Comparator.comparingInt((String[] t) -> order.indexOf(t[0]) < 0 ? 99 : order.indexOf(t[0]))
            .thenComparing(t -> t[0])
            .thenComparingInt(t -> measures.indexOf(t[1]));
    Set<String> scopes = new LinkedHashSet<>();
    List<String[]> targets = new ArrayList<>();
    Set<String> seen = new LinkedHashSet<>();
    for (Effect e : best.values()) {
      scopes.add(scopeKey(e));
      if (seen.add(e.target() + " " + e.measure()))
        targets.add(new String[] {e.target(), e.measure()});
    }
    targets.sort(byTarget);
    List<String> scopeList = new ArrayList<>(scopes);
    scopeList.sort(Comparator.comparing((String s) -> !s.equals("all")).thenComparing(s -> s));
    List<Object> rows = new ArrayList<>();
    for (Effect e : best.values()) {
      Map<String, Object> r = new LinkedHashMap<>();
      r.put("scope", scopeKey(e));
      r.put("hyperparameter", e.hyperparameter());
      r.put("kind", e.kind());
      r.put("scale", e.scale());
      r.put("target", e.target() + " " + e.measure());
      r.put("n", e.n());
      r.put("strength", e.strength());
      Double r0 = e.spearman() != null ? e.spearman() : e.pearson();
      r.put(
          "signed",
          "numeric".equals(e.kind()) && r0 != null ? Math.signum(r0) * e.strength() : e.strength());
      r.put("pearson", e.pearson());
      r.put("pearsonP", e.pearsonP());
      r.put("spearman", e.spearman());
      r.put("spearmanP", e.spearmanP());
      r.put("spearmanLow", e.spearmanLow());
      r.put("spearmanHigh", e.spearmanHigh());
      r.put("etaSquared", e.etaSquared());
      r.put("omegaSquared", e.omegaSquared());
      r.put("anovaP", e.anovaP());
      r.put("importance", e.importance());
      r.put("forestR2", e.forestR2());
      rows.add(r);
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("scopes", scopeList);
    m.put("targets", targets.stream().map(t -> t[0] + " " + t[1]).toList());
    m.put("rows", rows);
    return m;
  }

  /** The CRITICAL diagnostics of a run with the epoch each first got there, earliest first. */
  private static String criticalSince(RunHealth r) {
    return r.verdicts().entrySet().stream()
        .filter(e -> e.getValue().worst() == ReportData.CRITICAL)
        .sorted(
            Comparator.comparing(
                    (Map.Entry<String, Verdict> e) -> e.getValue().firstCritical(),
                    Comparator.nullsLast(Comparator.naturalOrder()))
                .thenComparing(Map.Entry::getKey))
        .map(e -> e.getKey() + " @" + e.getValue().firstCritical())
        .collect(Collectors.joining(", "));
  }

  private static String badge(int status, String text) {
    return badge(status, text, "badge");
  }

  private static String badge(int status, String text, String classes) {
    return "<span class=\"" + classes + " s" + status + "\">" + esc(text) + "</span>";
  }

  private static String number(Double d) {
    return d == null ? "" : String.format(Locale.ROOT, "%.4g", d); // NaN and Infinity print as such
  }

  /** Text for HTML element content and attribute values. */
  static String esc(String s) {
    if (s == null) return "";
    StringBuilder out = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '&' -> out.append("&amp;");
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        default -> out.append(c);
      }
    }
    return out.toString();
  }

  /**
   * Script text that cannot end its {@code <script>} element early: {@code </script} becomes {@code
   * <\/script}.
   */
  static String scriptSafe(String js) {
    return js.replaceAll("(?i)</(script)", "<\\\\/$1").replace("<!--", "<\\!--");
  }

  private static String resource(String name) {
    String path = name.contains("/") ? name : "io/neuroscope/jobs/report/" + name;
    try (InputStream in = HtmlReport.class.getClassLoader().getResourceAsStream(path)) {
      if (in == null)
        throw new IllegalStateException("resource " + path + " is not on the classpath");
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read resource " + path, e);
    }
  }

  /** One heatmap row: each epoch's status code (-1 where absent) and value (NaN where absent). */
  private static void addRow(
      Map<Integer, Cell> cells, List<Integer> epochs, List<int[]> status, List<double[]> value) {
    int[] st = new int[epochs.size()];
    double[] va = new double[epochs.size()];
    for (int i = 0; i < epochs.size(); i++) {
      Cell c = cells.get(epochs.get(i));
      st[i] = c == null ? -1 : c.status();
      va[i] = c == null ? Double.NaN : c.value();
    }
    status.add(st);
    value.add(va);
  }
}
