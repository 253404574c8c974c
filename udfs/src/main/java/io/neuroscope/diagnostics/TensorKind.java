package io.neuroscope.diagnostics;

import java.util.Arrays;
import java.util.Optional;

/**
 * The kinds of tensor snapshot in the telemetry contract, by their names in the {@code kind}
 * column.
 */
public enum TensorKind {
  ACTIVATIONS("activations"),
  GRADIENTS("gradients"),
  WEIGHTS("weights"),
  WEIGHT_UPDATES("weight_updates"),
  BIAS_GRADIENTS("bias_gradients");

  private final String columnValue;

  TensorKind(String columnValue) {
    this.columnValue = columnValue;
  }

  public String columnValue() {
    return columnValue;
  }

  public static Optional<TensorKind> fromColumnValue(String s) {
    return Arrays.stream(values()).filter(k -> k.columnValue.equals(s)).findFirst();
  }
}
