package io.neuroscope.diagnostics;

import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * Every threshold and constant of the diagnostics spec, by key (see {@code defaults.properties},
 * whose values equal the spec), and the few settings of the summaries and effects that follow them.
 * Overrides may only name keys that exist, so a typo fails loudly.
 */
public final class Settings implements Serializable {
  private static final String DEFAULTS = "defaults.properties";
  static final String REFERENCE_KEY = "weight_health.reference";

  /** The settings whose values are text; every other value must be a number. */
  static final java.util.Set<String> TEXT_KEYS =
      java.util.Set.of(REFERENCE_KEY, "summary.seed_params", "catalog.database");

  /**
   * What a setting changes, by its family (the key up to its first dot). Only the four families
   * below are read after the diagnostics; any other family, the spec's ten sections and {@code
   * history} today, counts as changing the diagnostics' values, so a family added without a thought
   * here costs a recomputation, never a stale table ({@code SettingsTest} holds every family to
   * that).
   */
  public enum Reader {
    /** The diagnostics' values and statuses: the spec's thresholds and the history length. */
    DIAGNOSTICS,
    /** The findings, summaries and effects, computed from the diagnostics table. */
    SUMMARIES,
    /** No output table: where the tables are registered. */
    CATALOG;

    public static Reader of(String key) {
      int dot = key.indexOf('.');
      return switch (dot < 0 ? key : key.substring(0, dot)) {
        case "findings", "summary", "effects" -> SUMMARIES;
        case "catalog" -> CATALOG;
        default -> DIAGNOSTICS;
      };
    }
  }

  private final Map<String, String> values;
  private final Map<String, Double> numbers = new HashMap<>();

  private Settings(Map<String, String> values) {
    this.values = Collections.unmodifiableMap(values);
    values.forEach(
        (k, v) -> {
          if (!TEXT_KEYS.contains(k)) numbers.put(k, Double.parseDouble(v));
        });
  }

  public static Settings defaults() {
    return new Settings(loadDefaults());
  }

  /**
   * The defaults with the given overrides; throws IllegalArgumentException naming an unknown key or
   * a bad number.
   */
  public Settings with(Map<String, String> overrides) {
    Map<String, String> merged = new TreeMap<>(values);
    for (Map.Entry<String, String> e : overrides.entrySet()) {
      String key = e.getKey().trim();
      if (!merged.containsKey(key)) {
        throw new IllegalArgumentException(
            "Unknown setting '"
                + key
                + "' (known settings are listed in conf/neuroscope.properties)");
      }
      String value = e.getValue().trim();
      if (!TEXT_KEYS.contains(key)) {
        try {
          Double.parseDouble(value);
        } catch (NumberFormatException ex) {
          throw new IllegalArgumentException(
              "Setting '" + key + "' must be a number, got '" + value + "'");
        }
      } else if (key.equals(REFERENCE_KEY) && !value.equals("he") && !value.equals("per_family")) {
        throw new IllegalArgumentException(
            "Setting 'weight_health.reference' must be 'he' or 'per_family', got '" + value + "'");
      }
      merged.put(key, value);
    }
    return new Settings(merged);
  }

  public double get(String key) {
    Double v = numbers.get(key);
    if (v == null) throw new IllegalArgumentException("No numeric setting '" + key + "'");
    return v;
  }

  public int integer(String key) {
    double v = get(key);
    if (v != Math.rint(v) || v < 0)
      throw new IllegalArgumentException("Setting '" + key + "' must be a whole number, got " + v);
    return (int) v;
  }

  public String string(String key) {
    String v = values.get(key);
    if (v == null) throw new IllegalArgumentException("No setting '" + key + "'");
    return v;
  }

  public Map<String, String> asMap() {
    return values;
  }

  static Map<String, String> loadDefaults() {
    Properties p = new Properties();
    try (InputStream in = Settings.class.getResourceAsStream(DEFAULTS)) {
      if (in == null) throw new IllegalStateException("Missing resource " + DEFAULTS);
      p.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Map<String, String> m = new TreeMap<>();
    for (String k : p.stringPropertyNames()) m.put(k, p.getProperty(k).trim());
    return m;
  }
}
