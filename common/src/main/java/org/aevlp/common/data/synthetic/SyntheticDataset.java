package org.aevlp.common.data.synthetic;

import java.nio.file.Path;

/**
 * A synthetic dataset on disk.
 *
 * @param root the directory holding the formatted SPML files, {@code images/} and {@code captions/}
 * @param reused true when a complete dataset with the same parameters was found and kept
 */
public record SyntheticDataset(Path root, SyntheticSpec spec, SyntheticStatistics statistics, boolean reused) {}
