package io.neuroscope.jobs.report;

import java.util.Map;

/**
 * JSON for a {@code <script type="application/json">} element: maps (in their order), lists,
 * arrays, strings, numbers, booleans and null. Safe inside HTML: {@code <}, {@code >}, {@code &}
 * and the JavaScript line separators are written as {@code \\uXXXX}, so no {@code </script>} or
 * comment opener can appear in the output. A non-finite double is written as the string {@code
 * "NaN"}, {@code "Infinity"} or {@code "-Infinity"}.
 */
public final class Json {
  private Json() {}

  static String write(Object value) {
    StringBuilder out = new StringBuilder();
    write(value, out);
    return out.toString();
  }

  private static void write(Object value, StringBuilder out) {
    if (value == null) {
      out.append("null");
    } else if (value instanceof String s) {
      string(s, out);
    } else if (value instanceof Double || value instanceof Float) {
      double d = ((Number) value).doubleValue();
      if (Double.isNaN(d)) {
        out.append("\"NaN\"");
      } else if (Double.isInfinite(d)) {
        out.append(d > 0 ? "\"Infinity\"" : "\"-Infinity\"");
      } else if (d == Math.rint(d) && Math.abs(d) < 1e15) {
        out.append((long) d);
      } else {
        out.append(d);
      }
    } else if (value instanceof Number || value instanceof Boolean) {
      out.append(value);
    } else if (value instanceof Map<?, ?> map) {
      out.append('{');
      boolean first = true;
      for (Map.Entry<?, ?> e : map.entrySet()) {
        if (!first) out.append(',');
        first = false;
        string(String.valueOf(e.getKey()), out);
        out.append(':');
        write(e.getValue(), out);
      }
      out.append('}');
    } else if (value instanceof Iterable<?> list) {
      out.append('[');
      boolean first = true;
      for (Object o : list) {
        if (!first) out.append(',');
        first = false;
        write(o, out);
      }
      out.append(']');
    } else if (value instanceof double[] a) {
      out.append('[');
      for (int i = 0; i < a.length; i++) {
        if (i > 0) out.append(',');
        write(a[i], out);
      }
      out.append(']');
    } else if (value instanceof int[] a) {
      out.append('[');
      for (int i = 0; i < a.length; i++) {
        if (i > 0) out.append(',');
        out.append(a[i]);
      }
      out.append(']');
    } else if (value instanceof Object[] a) {
      write(java.util.Arrays.asList(a), out);
    } else {
      throw new IllegalArgumentException("no JSON for " + value.getClass());
    }
  }

  private static void string(String s, StringBuilder out) {
    out.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20 || c == '<' || c == '>' || c == '&' || c == '\u2028' || c == '\u2029') {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }
}
