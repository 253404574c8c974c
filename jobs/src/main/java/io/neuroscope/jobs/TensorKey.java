package io.neuroscope.jobs;

import java.io.Serializable;

/** One tensor: all chunks of (run, epoch, layer, kind). */
record TensorKey(String runId, int epoch, int layer, String kind) implements Serializable {}
