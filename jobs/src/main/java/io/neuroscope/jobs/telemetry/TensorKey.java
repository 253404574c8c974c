package io.neuroscope.jobs.telemetry;

import java.io.Serializable;

/** One tensor: all chunks of (run, epoch, layer, kind). */
public record TensorKey(String runId, int epoch, int layer, String kind) implements Serializable {}
