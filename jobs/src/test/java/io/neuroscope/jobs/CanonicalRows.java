package io.neuroscope.jobs;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeMap;
import org.apache.spark.sql.Row;

/**
 * Table values as text that compares equal when the values do: doubles to 9 digits, maps sorted.
 */
final class CanonicalRows {
  private CanonicalRows() {}

  static String of(Object v) {
    if (v instanceof Row r) {
      List<String> fields = new ArrayList<>();
      for (int i = 0; i < r.size(); i++) fields.add(of(r.get(i)));
      return "(" + String.join(", ", fields) + ")";
    }
    if (v instanceof Double d) {
      if (d.isNaN() || d.isInfinite() || d == 0.0) return d.toString();
      if (Math.abs(d) < 1e-12) return "~0";
      return String.format(Locale.ROOT, "%.9g", d);
    }
    if (v instanceof scala.collection.Map<?, ?> m) {
      TreeMap<String, String> sorted = new TreeMap<>();
      scala.jdk.javaapi.CollectionConverters.asJava(m).forEach((k, x) -> sorted.put(of(k), of(x)));
      return sorted.toString();
    }
    if (v instanceof scala.collection.Seq<?> s) {
      List<String> items = new ArrayList<>();
      scala.jdk.javaapi.CollectionConverters.asJava(s).forEach(x -> items.add(of(x)));
      return items.toString();
    }
    return String.valueOf(v);
  }
}
