package org.aevlp.common.image;

import java.nio.file.Path;

/** A sample left out of a batch because its image could not be read, with the reason. */
public record SkippedSample(int index, Path path, String reason) {}
