package io.neuroscope.diagnostics;

import java.io.Serializable;

/** A row of the {@code layers} table. fanIn and fanOut may be null where not logged. */
public record LayerInfo(int layer, String name, String activation, Integer fanIn, Integer fanOut)
    implements Serializable {}
