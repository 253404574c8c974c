package io.neuroscope.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Reads the notebooks under {@code notebooks/}: Databricks source files ({@code
 * databricks/*.sql|py|scala|r}) and Zeppelin notes ({@code zeppelin/*.zpln}), as cells with their
 * language, and the problems of format found on the way. The SQL helpers split a cell into
 * statements and substitute Zeppelin's dynamic forms, as Zeppelin does.
 */
final class Notebooks {
  private Notebooks() {}

  /**
   * One cell (Databricks) or paragraph (Zeppelin); {@code language} is {@code sql}, {@code md},
   * {@code sh}, ...
   */
  record Cell(int index, String title, String language, String text, JsonNode zeppelinConfig) {
    String label() {
      return "#" + index + (title.isEmpty() ? "" : " " + title);
    }
  }

  /**
   * A widget (Databricks) or a form (Zeppelin): its name, default value and, for a dropdown, the
   * query of choices.
   */
  record Widget(String name, String defaultValue, String choicesQuery) {}

  record Notebook(Path file, String format, List<Cell> cells, List<String> problems) {
    String name() {
      return file.getFileName().toString();
    }

    /**
     * The name without extension and, for Zeppelin, without the {@code _NOTEID} suffix: e.g. {@code
     * 01_overview}.
     */
    String baseName() {
      String n = name().substring(0, name().lastIndexOf('.'));
      return format.equals("zeppelin") && n.lastIndexOf('_') > 0
          ? n.substring(0, n.lastIndexOf('_'))
          : n;
    }
  }

  /** The {@code notebooks/} folder of the repository (tests run in {@code jobs/}). */
  static Path root() {
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      if (Files.isDirectory(p.resolve("notebooks/databricks"))) return p.resolve("notebooks");
    }
    throw new IllegalStateException(
        "no notebooks/databricks above " + Path.of("").toAbsolutePath());
  }

  static List<Path> files(String folder, String... extensions) {
    try (Stream<Path> s = Files.list(root().resolve(folder))) {
      return s.filter(
              p -> {
                String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
                for (String e : extensions) {
                  if (n.endsWith("." + e)) return true;
                }
                return false;
              })
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Databricks source format

  private static final Map<String, String[]> DATABRICKS_LANGUAGES =
      Map.of(
          "sql",
          new String[] {"--", "sql"},
          "py",
          new String[] {"#", "python"},
          "scala",
          new String[] {"//", "scala"},
          "r",
          new String[] {"#", "r"});

  /**
   * A Databricks source file: the first line {@code <c> Databricks notebook source}, cells
   * separated by a line {@code <c> COMMAND ----------} with a blank line on each side, where {@code
   * <c>} is the language's line comment; a cell in another language has every line prefixed {@code
   * <c> MAGIC}, its first {@code <c> MAGIC %lang}; a cell may start with {@code <c> DBTITLE
   * 1,title}.
   */
  static Notebook databricks(Path file) {
    String name = file.getFileName().toString();
    String ext = name.substring(name.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT);
    List<String> problems = new ArrayList<>();
    String[] lang = DATABRICKS_LANGUAGES.get(ext);
    if (lang == null) {
      problems.add("not a Databricks source extension: " + ext);
      return new Notebook(file, "databricks", List.of(), problems);
    }
    String c = lang[0];
    List<String> lines = readLines(file);
    if (lines.isEmpty() || !lines.get(0).equals(c + " Databricks notebook source")) {
      problems.add("first line is not '" + c + " Databricks notebook source'");
    }
    String separator = c + " COMMAND ----------";
    List<List<String>> raw = new ArrayList<>();
    List<String> current = new ArrayList<>();
    for (int i = 1; i < lines.size(); i++) {
      String line = lines.get(i);
      if (line.equals(separator)) {
        if (!lines.get(i - 1).isBlank() || i + 1 >= lines.size() || !lines.get(i + 1).isBlank()) {
          problems.add("line " + (i + 1) + ": a separator needs a blank line before and after it");
        }
        raw.add(current);
        current = new ArrayList<>();
      } else {
        if (line.contains("COMMAND ---"))
          problems.add("line " + (i + 1) + ": malformed separator '" + line + "'");
        current.add(line);
      }
    }
    raw.add(current);
    List<Cell> cells = new ArrayList<>();
    for (List<String> cellLines : raw) {
      List<String> l = trimBlank(cellLines);
      int index = cells.size() + 1;
      if (l.isEmpty()) {
        problems.add("cell " + index + " is empty");
        continue;
      }
      String title = "";
      if (l.get(0).startsWith(c + " DBTITLE 1,")) {
        title = l.get(0).substring((c + " DBTITLE 1,").length()).trim();
        l = l.subList(1, l.size());
      }
      String magic = c + " MAGIC";
      if (!l.isEmpty() && l.get(0).startsWith(magic + " %")) {
        StringBuilder text = new StringBuilder();
        for (String line : l) {
          if (!line.equals(magic) && !line.startsWith(magic + " ")) {
            problems.add("cell " + index + ": a line of a %-cell without '" + magic + "': " + line);
          }
          text.append(line.length() > magic.length() ? line.substring(magic.length() + 1) : "")
              .append('\n');
        }
        String body = text.toString();
        String first = body.substring(0, body.indexOf('\n')).trim();
        String language = first.substring(1).split("[\\s(]", 2)[0];
        cells.add(new Cell(index, title, language, body.substring(body.indexOf('\n') + 1), null));
      } else {
        cells.add(new Cell(index, title, lang[1], String.join("\n", l) + "\n", null));
      }
    }
    return new Notebook(file, "databricks", cells, problems);
  }

  private static final Pattern CREATE_WIDGET =
      Pattern.compile(
          "(?is)CREATE\\s+WIDGET\\s+(TEXT|DROPDOWN|COMBOBOX|MULTISELECT)\\s+(\\w+)\\s+DEFAULT\\s+'((?:[^'\\\\]|\\\\.)*)'"
              + "(?:\\s+CHOICES\\s+(.+))?");
  private static final Pattern PYTHON_WIDGET =
      Pattern.compile(
          "dbutils\\.widgets\\.(?:text|dropdown|combobox|multiselect)\\(\\s*[\"'](\\w+)[\"']\\s*,\\s*[\"']([^\"']*)[\"']");

  /**
   * The widget a {@code CREATE WIDGET} statement creates, or null when the statement is something
   * else.
   */
  static Widget createWidget(String statement) {
    Matcher m = CREATE_WIDGET.matcher(stripComments(statement).trim());
    if (!m.matches()) return null;
    return new Widget(m.group(2), m.group(3).replaceAll("\\\\(.)", "$1"), m.group(4));
  }

  /**
   * The widgets a notebook creates: {@code CREATE WIDGET} in SQL cells, {@code dbutils.widgets.*}
   * in Python cells.
   */
  static Map<String, Widget> widgets(Notebook nb) {
    Map<String, Widget> widgets = new LinkedHashMap<>();
    for (Cell cell : nb.cells()) {
      if (cell.language().equals("sql")) {
        for (String st : statements(cell.text())) {
          Widget w = createWidget(st);
          if (w != null) widgets.put(w.name(), w);
        }
      } else if (cell.language().equals("python")) {
        Matcher m = PYTHON_WIDGET.matcher(cell.text());
        while (m.find()) widgets.put(m.group(1), new Widget(m.group(1), m.group(2), null));
      }
    }
    return widgets;
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Zeppelin notes

  static final Set<String> ZEPPELIN_GRAPH_MODES =
      Set.of("table", "multiBarChart", "stackedAreaChart", "lineChart", "pieChart", "scatterChart");
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * A Zeppelin note: JSON with {@code name}, {@code id} (the {@code _ID} at the end of the file
   * name, as Zeppelin names its files) and {@code paragraphs}, each with a unique {@code id}, a
   * {@code text} whose first line names the interpreter ({@code %spark.sql}, {@code %md}, ...) and
   * a {@code config}; an SQL paragraph's chart is {@code config.results."0".graph} with a known
   * {@code mode}.
   */
  static Notebook zeppelin(Path file) {
    List<String> problems = new ArrayList<>();
    JsonNode note;
    try {
      note = JSON.readTree(Files.readString(file, StandardCharsets.UTF_8));
    } catch (IOException e) {
      problems.add("not valid JSON: " + e.getMessage());
      return new Notebook(file, "zeppelin", List.of(), problems);
    }
    if (!note.path("name").isTextual() || note.path("name").asText().isBlank())
      problems.add("no name");
    String id = note.path("id").asText("");
    String fileName = file.getFileName().toString();
    if (id.isEmpty() || !fileName.endsWith("_" + id + ".zpln")) {
      problems.add("note id '" + id + "' is not the _ID suffix of the file name " + fileName);
    }
    JsonNode paragraphs = note.path("paragraphs");
    if (!paragraphs.isArray() || paragraphs.isEmpty()) problems.add("no paragraphs");
    Set<String> ids = new HashSet<>();
    List<Cell> cells = new ArrayList<>();
    for (JsonNode p : paragraphs) {
      int index = cells.size() + 1;
      if (!ids.add(p.path("id").asText("")))
        problems.add("paragraph " + index + ": id missing or repeated");
      if (!p.path("text").isTextual()) {
        problems.add("paragraph " + index + ": no text");
        continue;
      }
      if (!p.path("config").isObject()) problems.add("paragraph " + index + ": no config");
      String text = p.path("text").asText();
      String first = text.lines().findFirst().orElse("").trim();
      String language;
      if (first.startsWith("%")) {
        String interpreter = first.substring(1).split("[\\s(]", 2)[0];
        language =
            switch (interpreter) {
              case "spark.sql", "sql" -> "sql";
              case "md", "markdown" -> "md";
              default -> interpreter;
            };
        int newline = text.indexOf('\n');
        text = newline < 0 ? "" : text.substring(newline + 1);
      } else {
        language = "default";
      }
      if (language.equals("sql")) {
        String mode =
            p.path("config").path("results").path("0").path("graph").path("mode").asText("");
        if (!ZEPPELIN_GRAPH_MODES.contains(mode)) {
          problems.add(
              "paragraph "
                  + index
                  + ": config.results.0.graph.mode '"
                  + mode
                  + "' is not one of "
                  + ZEPPELIN_GRAPH_MODES);
        }
      }
      cells.add(new Cell(index, p.path("title").asText(""), language, text, p.path("config")));
    }
    return new Notebook(file, "zeppelin", cells, problems);
  }

  private static final Pattern ZEPPELIN_CONTEXT_FORM =
      Pattern.compile("z\\.note(?:Textbox|Select)\\(\"(\\w+)\",\\s*\"([^\"]*)\"");

  /**
   * The forms a note's Forms paragraph ({@code %spark}) reads with {@code z.noteTextbox(name,
   * default)} or {@code z.noteSelect(name, default, options)}: name to default, in order.
   */
  static Map<String, String> zeppelinForms(Notebook nb) {
    Map<String, String> forms = new java.util.LinkedHashMap<>();
    for (Cell c : nb.cells()) {
      if (!c.language().equals("spark") || !c.title().equals("Forms")) continue;
      Matcher m = ZEPPELIN_CONTEXT_FORM.matcher(c.text());
      while (m.find()) forms.putIfAbsent(m.group(1), m.group(2));
    }
    return forms;
  }

  private static final Pattern NOTE_FORM = Pattern.compile("([_])?\\$\\$\\{([^=}]*)(?:=([^}]*))?}");
  private static final Pattern PARAGRAPH_FORM =
      Pattern.compile("(?<!\\$)([_])?\\$\\{([^=}]*)(?:=([^}]*))?}");

  /**
   * The paragraph's text as Zeppelin sends it to the interpreter: note forms {@code
   * $${name=default}} first, then paragraph forms {@code ${name=default}}, each replaced by {@code
   * values.get(name)} or else its default (the part of {@code default,option|option} before the
   * comma). Names may carry a type ({@code checkbox:name}) and a display name ({@code
   * name(Label)}). Collects the forms it met into {@code forms}.
   */
  static String substituteForms(
      String text, Map<String, String> values, Map<String, Widget> forms) {
    return substitute(substitute(text, NOTE_FORM, values, forms), PARAGRAPH_FORM, values, forms);
  }

  private static String substitute(
      String text, Pattern pattern, Map<String, String> values, Map<String, Widget> forms) {
    Matcher m = pattern.matcher(text);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String name = m.group(2);
      if (name.contains(":")) name = name.substring(name.lastIndexOf(':') + 1);
      name = name.replaceAll("\\(.*\\)", "").trim();
      String spec = m.group(3) == null ? "" : m.group(3);
      String defaultValue = spec.contains(",") ? spec.substring(0, spec.indexOf(',')) : spec;
      forms.put(name, new Widget(name, defaultValue, null));
      m.appendReplacement(out, Matcher.quoteReplacement(values.getOrDefault(name, defaultValue)));
    }
    m.appendTail(out);
    return out.toString();
  }

  // ---------------------------------------------------------------------------------------------------------------
  // SQL text

  /**
   * The statements of a cell: split at {@code ;} outside quotes, backticks and comments; blank ones
   * dropped.
   */
  static List<String> statements(String sql) {
    List<String> out = new ArrayList<>();
    StringBuilder cur = new StringBuilder();
    int i = 0;
    int n = sql.length();
    while (i < n) {
      char ch = sql.charAt(i);
      if (ch == '-' && i + 1 < n && sql.charAt(i + 1) == '-') {
        int end = sql.indexOf('\n', i);
        end = end < 0 ? n : end;
        cur.append(sql, i, end);
        i = end;
      } else if (ch == '/' && i + 1 < n && sql.charAt(i + 1) == '*') {
        int end = sql.indexOf("*/", i + 2);
        end = end < 0 ? n : end + 2;
        cur.append(sql, i, end);
        i = end;
      } else if (ch == '\'' || ch == '"' || ch == '`') {
        int j = i + 1;
        while (j < n && sql.charAt(j) != ch) {
          if (sql.charAt(j) == '\\' && ch != '`') j++;
          j++;
        }
        int end = Math.min(n, j + 1);
        cur.append(sql, i, end);
        i = end;
      } else if (ch == ';') {
        out.add(cur.toString());
        cur.setLength(0);
        i++;
      } else {
        cur.append(ch);
        i++;
      }
    }
    out.add(cur.toString());
    return out.stream().filter(s -> !stripComments(s).isBlank()).toList();
  }

  /**
   * The statement without its {@code --} and block comments (quotes are not looked into: for
   * keywords only).
   */
  static String stripComments(String sql) {
    return sql.replaceAll("(?s)/\\*.*?\\*/", " ").replaceAll("--[^\\n]*", " ");
  }

  /** Whether the statement returns rows to look at: a query, SHOW or DESCRIBE. */
  static boolean isQuery(String statement) {
    String first = stripComments(statement).trim().split("[\\s(]", 2)[0].toUpperCase(Locale.ROOT);
    return Set.of("SELECT", "WITH", "VALUES", "TABLE", "FROM", "SHOW", "DESCRIBE", "DESC")
        .contains(first);
  }

  private static List<String> readLines(Path file) {
    try {
      return Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static List<String> trimBlank(List<String> lines) {
    int from = 0;
    int to = lines.size();
    while (from < to && lines.get(from).isBlank()) from++;
    while (to > from && lines.get(to - 1).isBlank()) to--;
    return lines.subList(from, to);
  }
}
