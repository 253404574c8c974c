package io.neuroscope.jobs.telemetry;

import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import java.util.regex.Pattern;
import org.apache.spark.sql.Column;

/**
 * Why a telemetry row was set aside (README, "Bad input"): a stable code, written to the
 * quarantine's {@code reason_code} column for queries and alerts, beside the prose in {@code
 * reason}, which says the specifics (which column, which lengths). Each reason's prose matches its
 * {@link #pattern()} ({@code %} for the specifics, as in SQL LIKE); the first that matches names
 * the code.
 */
public enum QuarantineReason {
  /** Another chunk of the same tensor was set aside; the whole tensor goes (the prose says why). */
  WITH_ITS_TENSOR("set aside with its tensor: %"),
  NULL_KEY("null key: %"),
  /** A file of the table that cannot be read (truncated, not Parquet): its rows are missing. */
  UNREADABLE_FILE("file cannot be read: %"),
  INVALID_RUN_ID("run_id is not valid UTF-8"),
  NULL_EXPERIMENT("experiment is null"),
  DUPLICATE_RUN("run_id repeats in runs"),
  DUPLICATE_LAYER("layer repeats in layers"),
  DUPLICATE_EPOCH("epoch repeats in epochs"),
  NULL_TRAIN_LOSS("train_loss is null"),
  UNKNOWN_KIND("unknown kind %"),
  DUPLICATE_CHUNK("chunk repeats"),
  LAYER_NOT_LOGGED("layer missing from layers"),
  EPOCH_NOT_LOGGED("epoch missing from epochs"),
  BAD_SHAPE("rows or cols null or negative"),
  /** A layer's or an epoch's rows were set aside: its tensors go with them (the prose says why). */
  WITH_ITS_LAYER("set aside with its layer: %"),
  WITH_ITS_EPOCH("set aside with its epoch: %"),
  EMPTY_TENSOR("tensor is empty (rows x cols = 0)"),
  NULL_VALUES("values is null"),
  LENGTH_MISMATCH("length of values (%) is not rows x cols %"),
  COLS_DISAGREE("chunks of one tensor disagree on cols %"),
  MISSING_CHUNK("chunk % of % is missing");

  private final String pattern;
  private final Pattern regex;

  QuarantineReason(String pattern) {
    this.pattern = pattern;
    StringBuilder r = new StringBuilder();
    for (String part : pattern.split("%", -1)) {
      if (r.length() > 0) r.append(".*");
      r.append(Pattern.quote(part));
    }
    this.regex = Pattern.compile(r.toString(), Pattern.DOTALL);
  }

  /** The prose's shape, {@code %} standing for the specifics (SQL LIKE). */
  public String pattern() {
    return pattern;
  }

  /** The prose where it has no specifics. */
  public String prose() {
    if (pattern.contains("%"))
      throw new IllegalStateException(name() + "'s prose has specifics: " + pattern);
    return pattern;
  }

  /**
   * The prose with its one specific, e.g. {@code NULL_KEY.prose("run_id")} is "null key: run_id".
   */
  public String prose(String specific) {
    if (pattern.indexOf('%') != pattern.lastIndexOf('%') || !pattern.contains("%")) {
      throw new IllegalStateException(name() + " does not take one specific: " + pattern);
    }
    return pattern.replace("%", specific);
  }

  /**
   * The code of a reason's prose; {@code null} for prose no reason matches (none is written so).
   */
  public static QuarantineReason of(String prose) {
    for (QuarantineReason r : values()) if (r.regex.matcher(prose).matches()) return r;
    return null;
  }

  /** {@link #of} as a Spark column: the code of the prose in {@code reason}. */
  public static Column codeOf(Column reason) {
    Column c = null;
    for (QuarantineReason r : values()) {
      Column matches = reason.like(r.pattern.replace("_", "\\_")); // "_" is literal here
      c = c == null ? when(matches, lit(r.name())) : c.when(matches, lit(r.name()));
    }
    return c;
  }
}
