package io.neuroscope.jobs.cli;

import io.neuroscope.diagnostics.Settings;
import io.neuroscope.jobs.error.NeuroScopeErrors;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.spark.sql.SparkSession;

/**
 * Where settings come from, in order of precedence: the built-in defaults (the spec), then the
 * {@code --conf} file, then Spark confs {@code spark.neuroscope.<key>} (spark-submit), then {@code
 * --set}.
 */
public final class SettingsSources {
  private static final String SPARK_PREFIX = "spark.neuroscope.";

  private SettingsSources() {}

  /**
   * Defaults, then {@code fromFile}, then spark.neuroscope.* confs, then {@code sets}
   * ("key=value").
   */
  public static Settings settings(
      Map<String, String> fromFile, SparkSession spark, List<String> sets) {
    Map<String, String> overrides = new LinkedHashMap<>(fromFile);
    for (scala.Tuple2<String, String> kv : spark.sparkContext().getConf().getAll()) {
      if (kv._1().startsWith(SPARK_PREFIX))
        overrides.put(kv._1().substring(SPARK_PREFIX.length()), kv._2());
    }
    for (String s : sets) {
      int eq = s.indexOf('=');
      if (eq <= 0) throw NeuroScopeErrors.badValue("--set", "key=value", s);
      overrides.put(s.substring(0, eq).trim(), s.substring(eq + 1).trim());
    }
    try {
      return Settings.defaults().with(overrides);
    } catch (IllegalArgumentException e) { // an unknown key or a bad value, named by Settings
      throw NeuroScopeErrors.badSetting(e);
    }
  }

  /** The properties of a {@code --conf} file, values trimmed. */
  public static Map<String, String> readProperties(Path file) {
    Properties p = new Properties();
    try (Reader r = Files.newBufferedReader(file)) {
      p.load(r);
    } catch (IOException e) {
      throw NeuroScopeErrors.unreadableConf(file.toString(), e);
    }
    Map<String, String> m = new LinkedHashMap<>();
    for (String k : p.stringPropertyNames()) m.put(k, p.getProperty(k).trim());
    return m;
  }
}
