package io.neuroscope.sample.training;

/**
 * A layer's place in the architecture, as the telemetry {@code layers} table describes it.
 *
 * @param index 0-based, input side first; the largest index is the output layer
 * @param name {@code fc1}, {@code fc2}, …
 * @param activation {@link Activation#id()}
 */
public record LayerInfo(int index, String name, String activation, int fanIn, int fanOut) {}
