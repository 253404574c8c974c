package io.neuroscope.jobs.telemetry;

import io.neuroscope.jobs.error.NeuroScopeErrors;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The input contract's tables and column types (README, "Input contract"), checked before any work.
 */
public final class TelemetryContract {
  private TelemetryContract() {}

  public static final String RUNS = "runs";
  public static final String LAYERS = "layers";
  public static final String EPOCHS = "epochs";
  public static final String TENSORS = "tensors";
  public static final List<String> TABLES = List.of(RUNS, LAYERS, EPOCHS, TENSORS);

  /** Per table, each required column and the types it may have. */
  static final Map<String, Map<String, List<DataType>>> COLUMNS =
      Map.of(
          RUNS,
              columns(
                  "run_id", List.of(DataTypes.StringType),
                  "experiment", List.of(DataTypes.StringType),
                  "started_at", List.of(DataTypes.TimestampType, DataTypes.TimestampNTZType),
                  "params",
                      List.of(DataTypes.createMapType(DataTypes.StringType, DataTypes.StringType))),
          LAYERS,
              columns(
                  "run_id", List.of(DataTypes.StringType),
                  "layer", List.of(DataTypes.IntegerType),
                  "name", List.of(DataTypes.StringType),
                  "activation", List.of(DataTypes.StringType),
                  "fan_in", List.of(DataTypes.IntegerType),
                  "fan_out", List.of(DataTypes.IntegerType)),
          EPOCHS,
              columns(
                  "run_id", List.of(DataTypes.StringType),
                  "epoch", List.of(DataTypes.IntegerType),
                  "train_loss", List.of(DataTypes.DoubleType),
                  "val_loss", List.of(DataTypes.DoubleType)),
          TENSORS,
              columns(
                  "run_id", List.of(DataTypes.StringType),
                  "epoch", List.of(DataTypes.IntegerType),
                  "layer", List.of(DataTypes.IntegerType),
                  "kind", List.of(DataTypes.StringType),
                  "chunk", List.of(DataTypes.IntegerType),
                  "rows", List.of(DataTypes.IntegerType),
                  "cols", List.of(DataTypes.IntegerType),
                  "values",
                      List.of(
                          DataTypes.createArrayType(DataTypes.FloatType),
                          DataTypes.createArrayType(DataTypes.DoubleType))));

  /**
   * The table's schema as NeuroScope's own writers (the demo, the generators, tests) write it: each
   * required column with its first accepted type ({@code values} as floats).
   */
  public static StructType schema(String table) {
    StructType out = new StructType();
    for (Map.Entry<String, List<DataType>> c : COLUMNS.get(table).entrySet())
      out = out.add(c.getKey(), c.getValue().get(0));
    return out;
  }

  private static Map<String, List<DataType>> columns(Object... pairs) {
    Map<String, List<DataType>> m = new LinkedHashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      @SuppressWarnings("unchecked")
      List<DataType> types = (List<DataType>) pairs[i + 1];
      m.put((String) pairs[i], types);
    }
    return m;
  }

  /**
   * Throws a ContractException naming the table and column where the schema departs from the
   * contract.
   */
  static void check(String table, StructType schema, String where) {
    for (Map.Entry<String, List<DataType>> c : COLUMNS.get(table).entrySet()) {
      String expected = describe(c.getValue());
      StructField field = find(schema, c.getKey());
      if (field == null) throw NeuroScopeErrors.missingColumn(table, c.getKey(), expected, where);
      if (c.getValue().stream().noneMatch(t -> sameType(t, field.dataType()))) {
        throw NeuroScopeErrors.wrongType(
            table, c.getKey(), field.dataType().sql(), expected, where);
      }
    }
  }

  private static StructField find(StructType schema, String name) {
    for (StructField f : schema.fields()) if (f.name().equals(name)) return f;
    return null;
  }

  static boolean sameType(DataType expected, DataType actual) {
    if (expected instanceof ArrayType e && actual instanceof ArrayType a) {
      return e.elementType().equals(a.elementType());
    }
    if (expected instanceof org.apache.spark.sql.types.MapType e
        && actual instanceof org.apache.spark.sql.types.MapType a) {
      return e.keyType().equals(a.keyType()) && e.valueType().equals(a.valueType());
    }
    return expected.equals(actual);
  }

  static String describe(List<DataType> types) {
    return String.join(" or ", types.stream().map(DataType::sql).toList());
  }

  public static boolean valuesAreDouble(StructType tensors) {
    return ((ArrayType) tensors.apply("values").dataType())
        .elementType()
        .equals(DataTypes.DoubleType);
  }
}
