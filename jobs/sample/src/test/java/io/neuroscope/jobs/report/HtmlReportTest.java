package io.neuroscope.jobs.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.neuroscope.jobs.DemoArchive;
import io.neuroscope.jobs.SampleTestSupport;
import io.neuroscope.sample.Sweep;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The HTML report of the demo's archive ({@link DemoArchive}: the demo's runs after the nightly
 * job): one file that holds ECharts and the data, needs no network, and shows the planted
 * pathologies as sick runs at the top.
 */
class HtmlReportTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static Path html;
  private static String page;

  @BeforeAll
  static void writeTheReport() throws IOException {
    html = SampleTestSupport.tempDir("report").resolve("report.html");
    assertEquals(
        html,
        HtmlReport.write(DemoArchive.spark(), DemoArchive.output(), DemoArchive.telemetry(), html));
    page = Files.readString(html, StandardCharsets.UTF_8);
  }

  @Test
  void theFileHoldsEchartsAndNeedsNoNetwork() throws IOException {
    assertTrue(Files.size(html) > 1_000_000, "ECharts alone is about 1 MB: " + Files.size(html));
    try (InputStream in =
        HtmlReport.class.getClassLoader().getResourceAsStream(HtmlReport.ECHARTS)) {
      assertTrue(
          page.contains(new String(in.readAllBytes(), StandardCharsets.UTF_8)),
          "echarts.min.js inlined whole");
    }
    assertFalse(
        Pattern.compile("(?i)<script[^>]*\\ssrc\\s*=").matcher(page).find(), "a script with a src");
    assertFalse(Pattern.compile("(?i)<link\\b").matcher(page).find(), "a link element");
    assertFalse(
        Pattern.compile("(?i)(src|href)\\s*=\\s*[\"']?\\s*(https?:)?//").matcher(page).find(),
        "a remote URL");
    assertFalse(
        Pattern.compile("(?i)@import|url\\(\\s*[\"']?(https?:)?//").matcher(page).find(),
        "CSS from the net");
    assertEquals(3, count(page, "<script"), "data, ECharts, the report's script");
    assertEquals(3, count(page.toLowerCase(), "</script"), "nothing closes a script early");
  }

  @Test
  void theDataOfEveryRunIsInThePage() throws IOException {
    JsonNode data = data();
    List<String> runs = new ArrayList<>();
    data.path("details").forEach(d -> runs.add(d.path("run").asText()));
    List<String> sweep = DemoArchive.sweep().stream().map(Sweep.Run::runId).sorted().toList();
    assertEquals(sweep, runs.stream().sorted().toList(), "a card per run");
    assertEquals(sweep, healthRows().keySet().stream().sorted().toList(), "a table row per run");
    Map<String, Integer> epochs = new LinkedHashMap<>();
    DemoArchive.sweep().forEach(r -> epochs.put(r.runId(), r.config().epochs()));
    for (JsonNode d : data.path("details")) {
      assertEquals(10, d.path("status").size(), "ten diagnostics of " + d.path("run"));
      assertEquals(
          epochs.get(d.path("run").asText()),
          d.path("epochs").size(),
          "epochs of " + d.path("run"));
      assertEquals(
          d.path("epochs").size(),
          d.path("loss").path("epochs").size(),
          "loss curve of " + d.path("run"));
    }
    assertTrue(data.path("effects").path("rows").size() > 0, "the effects matrix has cells");
    assertTrue(data.path("layers").size() > 0, "layer heatmaps");
  }

  @Test
  void theSickRunsComeFirstAndShowTheirPathology() {
    Map<String, String[]> rows = healthRows();
    List<String> order = new ArrayList<>(rows.keySet());
    assertEquals("CRITICAL", rows.get(order.get(0))[0], "the sickest run on top");
    List<Integer> ranks =
        order.stream()
            .map(r -> List.of("UNKNOWN", "HEALTHY", "WARNING", "CRITICAL").indexOf(rows.get(r)[0]))
            .toList();
    for (int i = 1; i < ranks.size(); i++)
      assertTrue(ranks.get(i) <= ranks.get(i - 1), "sorted by health: " + order);
    int dead = io.neuroscope.diagnostics.Diagnostics.names().indexOf("dead_neurons");
    for (Sweep.Run run : DemoArchive.sweep()) {
      if (run.planted() == null) continue;
      String[] row = rows.get(run.runId());
      assertTrue(
          row[0].equals("WARNING") || row[0].equals("CRITICAL"), run.runId() + " is " + row[0]);
      int d = io.neuroscope.diagnostics.Diagnostics.names().indexOf(run.planted());
      assertTrue(
          row[1 + d].equals("s2") || row[1 + d].equals("s3"), run.runId() + " on " + run.planted());
    }
    assertEquals(
        "s3", rows.get("moons-relu-sgd-lr2.0")[1 + dead], "dying ReLUs are CRITICAL in the table");
    JsonNode layers = data().path("layers");
    boolean found = false;
    for (JsonNode m : layers) {
      found |=
          m.path("diagnostic").asText().equals("dead_neurons")
              && m.path("run").asText().equals("moons-relu-sgd-lr2.0");
    }
    assertTrue(found, "the dying-ReLU run has a layer heatmap of dead neurons");
  }

  @Test
  void theFirstScreenGivesTheVerdictsAndTheFindingsInWords() {
    String body = page.substring(page.indexOf("</header>"));
    assertEquals(
        body.indexOf("<section"),
        body.indexOf("<section id=\"verdicts\">"),
        "the verdicts are the first section");
    int verdicts = page.indexOf("<section id=\"verdicts\">");
    for (String later : List.of("health", "overview", "effects", "runs", "layers"))
      assertTrue(
          verdicts < page.indexOf("<section id=\"" + later + "\">"), "verdicts before " + later);

    // every run once, with the verdict of run_summary, the sick ones first
    Map<String, String> verdictOf = verdictRows();
    List<String> sweep = DemoArchive.sweep().stream().map(Sweep.Run::runId).sorted().toList();
    assertEquals(sweep, verdictOf.keySet().stream().sorted().toList(), "each run once");
    Map<String, String> stated = new LinkedHashMap<>();
    for (Row r : table("run_summary").select("run_id", "verdict").collectAsList())
      stated.put(r.getString(0), r.getString(1));
    assertEquals(stated, new java.util.TreeMap<>(verdictOf), "the verdicts of run_summary");
    List<String> ranks = List.of("HEALTHY", "WARNING", "CRITICAL");
    List<String> order = new ArrayList<>(verdictOf.values());
    for (int i = 1; i < order.size(); i++)
      assertTrue(
          ranks.indexOf(order.get(i)) <= ranks.indexOf(order.get(i - 1)),
          "CRITICAL, then WARNING, then HEALTHY: " + verdictOf);
    for (String v : ranks) {
      long n = verdictOf.values().stream().filter(v::equals).count();
      assertTrue(
          section("verdicts")
              .contains("<span class=\"badge s" + (ranks.indexOf(v) + 1) + "\">" + n + " " + v),
          n + " " + v + " counted");
    }

    // the planted dying-ReLU run: CRITICAL, its causes in words, its symptoms with their cause
    String run = "moons-relu-sgd-lr2.0";
    assertEquals("CRITICAL", verdictOf.get(run));
    String row = verdictRow(run);
    List<Row> findings =
        table("findings")
            .where(org.apache.spark.sql.functions.col("run_id").equalTo(run))
            .collectAsList();
    assertTrue(
        findings.stream().anyMatch(f -> f.<String>getAs("role").equals("cause")),
        run + " has a cause finding");
    for (Row f : findings) {
      if (f.<String>getAs("role").equals("cause")) {
        assertTrue(
            row.contains(HtmlReport.esc(f.<String>getAs("summary"))),
            "the cause in words: " + f.getAs("summary") + " in " + row);
      } else {
        assertTrue(
            row.contains(f.<String>getAs("problem") + " from epoch " + f.getAs("onset_epoch")),
            "the symptom " + f.getAs("problem") + " in " + row);
        assertTrue(row.contains("(of cause " + f.getAs("explained_by") + ")"), row);
      }
    }

    // the healthy baseline: HEALTHY, on the line of runs without findings
    assertEquals("HEALTHY", verdictOf.get("spirals-relu-d2"));
    Matcher healthy =
        Pattern.compile("<p class=\"healthy-runs\">(.*?)</p>").matcher(section("verdicts"));
    assertTrue(healthy.find(), "the line of HEALTHY runs");
    assertTrue(healthy.group(1).contains("data-verdict-run=\"spirals-relu-d2\""), healthy.group(1));
  }

  /**
   * Run ids and findings are text: quotes, angle brackets and ampersands are escaped wherever they
   * are written, in the verdicts as in the rest.
   */
  @Test
  void theVerdictsEscapeWhatTheyWrite() {
    String id = "run\"'<b>&x";
    String summary = "dead <i>ReLUs</i> & \"more\"";
    ReportData.RunHealth health =
        new ReportData.RunHealth(
            id,
            "exp<&>",
            3,
            Map.of("dead_neurons", new ReportData.Verdict(3, 1, 2)),
            null,
            null,
            Map.of());
    ReportData.RunVerdict verdict =
        new ReportData.RunVerdict(
            id,
            "exp<&>",
            "CRITICAL",
            List.of(
                new ReportData.Finding("dead_neurons", "CRITICAL", 1, 0, 3, "cause", null, summary),
                new ReportData.Finding(
                    "plateau", "WARNING", 2, null, 3, "symptom", "dead_neurons", "<plateau>")));
    ReportData data =
        new ReportData(
            List.of(health), List.of(), Map.of(), List.of(), false, false, List.of(verdict), true);
    String html = HtmlReport.render(data, "out<put>", null, HtmlReport.Options.defaults());
    String verdicts = html.substring(html.indexOf("<section id=\"verdicts\">"));
    verdicts = verdicts.substring(0, verdicts.indexOf("</section>"));
    assertTrue(verdicts.contains("data-verdict-run=\"" + HtmlReport.esc(id) + "\""), verdicts);
    assertTrue(verdicts.contains(HtmlReport.esc(summary)), verdicts);
    assertTrue(verdicts.contains(HtmlReport.esc("<plateau>")), verdicts);
    assertTrue(verdicts.contains(HtmlReport.esc("exp<&>")), verdicts);
    for (String raw : List.of(id, summary, "<plateau>", "exp<&>", "<i>"))
      assertFalse(verdicts.contains(raw), raw + " written raw");
  }

  @Test
  void withOnlyTheDiagnosticsTableAndNoTelemetryItSaysWhatIsMissing() throws IOException {
    Path out = SampleTestSupport.tempDir("report-diagnostics-only");
    DemoArchive.spark()
        .read()
        .format("delta")
        .load(DemoArchive.output() + "/diagnostics")
        .write()
        .format("delta")
        .save(out.resolve("diagnostics").toString());
    Path file = HtmlReport.write(DemoArchive.spark(), out.toString(), null, out.resolve("r.html"));
    String text = Files.readString(file, StandardCharsets.UTF_8);
    assertTrue(
        text.contains("No <code>hyperparameter_effects</code> table"),
        "says the effects are missing");
    assertTrue(text.contains("No telemetry given"), "says the loss curves are missing");
    assertTrue(
        text.contains("Findings are not computed yet")
            && text.contains("<code>bin/neuroscope summaries</code>"),
        "says the findings are missing, and how to compute them");
    assertEquals(0, count(text, "data-verdict-run="), "no verdicts without findings");
    assertEquals(DemoArchive.sweep().size(), count(text, "<tr data-run="));
  }

  @Test
  void jsonInAScriptElementCannotCloseIt() {
    String json = Json.write(Map.of("run", "</script><script>alert(1)</script><!-- & \u2028"));
    assertFalse(
        json.contains("<") || json.contains(">") || json.contains("&") || json.contains("\u2028"),
        json);
    assertEquals(
        "[1,2.5,\"NaN\",\"-Infinity\",null,\"a\\\"b\"]",
        Json.write(
            java.util.Arrays.asList(1, 2.5, Double.NaN, Double.NEGATIVE_INFINITY, null, "a\"b")));
    assertEquals("&lt;b&gt;&amp;&quot;&#39;", HtmlReport.esc("<b>&\"'"));
    assertEquals("x<\\/script>", HtmlReport.scriptSafe("x</script>"));
  }

  /**
   * The verdicts section's runs in order (the sick ones' rows, then the HEALTHY line): run ->
   * verdict.
   */
  private static Map<String, String> verdictRows() {
    Map<String, String> runs = new LinkedHashMap<>();
    Matcher m =
        Pattern.compile("data-verdict-run=\"([^\"]*)\" data-verdict=\"(\\w+)\"")
            .matcher(section("verdicts"));
    while (m.find()) {
      assertEquals(null, runs.put(m.group(1), m.group(2)), "listed twice: " + m.group(1));
    }
    return runs;
  }

  /** The verdicts table's row of a sick run. */
  private static String verdictRow(String run) {
    Matcher m =
        Pattern.compile(
                "<tr data-verdict-run=\"" + Pattern.quote(run) + "\"[^>]*>(.*?)</tr>",
                Pattern.DOTALL)
            .matcher(page);
    assertTrue(m.find(), "no verdicts row of " + run);
    return m.group(1);
  }

  private static String section(String id) {
    int from = page.indexOf("<section id=\"" + id + "\">");
    assertTrue(from >= 0, "no section " + id);
    return page.substring(from, page.indexOf("</section>", from));
  }

  private static org.apache.spark.sql.Dataset<Row> table(String name) {
    return DemoArchive.spark().read().format("delta").load(DemoArchive.output() + "/" + name);
  }

  /** The health table's rows in order: run -> [health, the ten status classes]. */
  private static Map<String, String[]> healthRows() {
    Map<String, String[]> rows = new LinkedHashMap<>();
    Matcher m =
        Pattern.compile("<tr data-run=\"([^\"]*)\" data-health=\"(\\w+)\">(.*?)</tr>")
            .matcher(page);
    while (m.find()) {
      List<String> cells = new ArrayList<>();
      cells.add(m.group(2));
      Matcher st = Pattern.compile("<td class=\"st (s\\d)\"").matcher(m.group(3));
      while (st.find()) cells.add(st.group(1));
      assertEquals(11, cells.size(), m.group(1));
      rows.put(m.group(1), cells.toArray(new String[0]));
    }
    return rows;
  }

  private static JsonNode data() {
    Matcher m =
        Pattern.compile(
                "<script type=\"application/json\" id=\"ns-data\">(.*?)</script>", Pattern.DOTALL)
            .matcher(page);
    assertTrue(m.find(), "the data element");
    try {
      return JSON.readTree(m.group(1));
    } catch (IOException e) {
      throw new AssertionError("the data is not JSON", e);
    }
  }

  private static int count(String text, String what) {
    int n = 0;
    for (int i = text.indexOf(what); i >= 0; i = text.indexOf(what, i + 1)) n++;
    return n;
  }
}
