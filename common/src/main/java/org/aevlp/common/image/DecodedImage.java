package org.aevlp.common.image;

import java.nio.file.Path;

/** An image decoded for position {@code index} of a requested batch. */
public record DecodedImage(int index, Path path, RgbImage image) {}
