package io.neuroscope.jobs.cli;

import io.neuroscope.diagnostics.Settings;
import io.neuroscope.diagnostics.spark.NeuroScopeFunctions;
import io.neuroscope.jobs.error.NeuroScopeErrors;
import io.neuroscope.jobs.spark.Sessions;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.SparkSession;

/**
 * One command as the user typed it: its options, its settings' sources, and the SparkSession it
 * runs in, created on first use with the {@code spark.*} keys of the {@code --conf} file.
 */
public final class Invocation {
  private final Command command;
  private final Map<String, String> options;
  private final Map<String, List<String>> repeated;
  private final List<String> sets;
  private final String positional;
  private final String usage;
  private Map<String, String> confFile;
  private SparkSession spark;
  private Settings settings;

  Invocation(
      Command command,
      Map<String, String> options,
      Map<String, List<String>> repeated,
      List<String> sets,
      String positional,
      String usage) {
    this.command = command;
    this.options = Map.copyOf(options);
    this.repeated = Map.copyOf(repeated);
    this.sets = List.copyOf(sets);
    this.positional = positional;
    this.usage = usage;
  }

  /** The options given (flags as "true"), {@code --conf} included, {@code --set} apart. */
  public Map<String, String> options() {
    return options;
  }

  public Optional<String> option(String name) {
    return Optional.ofNullable(options.get(name));
  }

  public String option(String name, String orElse) {
    return options.getOrDefault(name, orElse);
  }

  /** Every value of an option that may repeat, in the order given (none: empty). */
  public List<String> values(String name) {
    return repeated.getOrDefault(name, List.of());
  }

  public boolean flag(String name) {
    return options.containsKey(name);
  }

  /** The value of a required option; a usage error names it when it is missing. */
  public String required(String name) {
    String v = options.get(name);
    if (v == null) throw NeuroScopeErrors.missingOption(name + " " + valueName(name), usage);
    return v;
  }

  /** Exactly one of the options must be given; returns which. */
  public String exactlyOneOf(String a, String b) {
    if (options.containsKey(a) == options.containsKey(b)) {
      throw NeuroScopeErrors.oneOf(List.of(a + " " + valueName(a), b + " " + valueName(b)), usage);
    }
    return options.containsKey(a) ? a : b;
  }

  /** A positive integer option, or {@code orElse} when it is not given. */
  public int positiveInt(String name, int orElse) {
    String v = options.get(name);
    if (v == null) return orElse;
    try {
      int n = Integer.parseInt(v.trim());
      if (n > 0) return n;
    } catch (NumberFormatException e) {
      // reported below
    }
    throw NeuroScopeErrors.badValue(name, "a positive integer", v);
  }

  /** The leading positional argument (sql's query), if the command takes one and it was given. */
  public Optional<String> positional() {
    return Optional.ofNullable(positional);
  }

  /** The whole usage text, for errors. */
  public String usage() {
    return usage;
  }

  /**
   * The session: the active one, or a new one with the {@code spark.*} keys of the {@code --conf}
   * file.
   */
  public SparkSession spark() {
    if (spark == null) {
      Map<String, String> sparkConf = new LinkedHashMap<>();
      confFile()
          .forEach(
              (k, v) -> {
                if (k.startsWith("spark.")) sparkConf.put(k, v);
              });
      spark = Sessions.getOrCreate("NeuroScope " + command.name(), sparkConf);
    }
    return spark;
  }

  /**
   * The settings (defaults, the {@code --conf} file, spark.neuroscope.* confs, {@code --set}); the
   * session's SQL functions are registered with them.
   */
  public Settings settings() {
    if (settings == null) {
      Map<String, String> fromFile = new LinkedHashMap<>();
      confFile()
          .forEach(
              (k, v) -> {
                if (!k.startsWith("spark.")) fromFile.put(k, v);
              });
      settings = SettingsSources.settings(fromFile, spark(), sets);
      NeuroScopeFunctions.register(spark(), settings);
    }
    return settings;
  }

  private Map<String, String> confFile() {
    if (confFile == null) {
      confFile =
          options.containsKey("--conf")
              ? SettingsSources.readProperties(Path.of(options.get("--conf")))
              : Map.of();
    }
    return confFile;
  }

  private static String valueName(String option) {
    return switch (option) {
      case "--telemetry", "--output", "--out", "--data", "--dir" -> "PATH";
      case "--telemetry-db" -> "DATABASE";
      case "--runs" -> "a,b[,c...]";
      case "--experiment" -> "NAME";
      case "--html", "--conf", "--labels" -> "FILE";
      default -> "VALUE";
    };
  }
}
