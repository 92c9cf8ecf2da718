package org.aevlp.common.data.synthetic;

/**
 * One object of a synthetic image. Position and size are fractions of the image side: the object
 * is centred at pixel {@code (cx·S, cy·S)} and its unit outline spans {@code size·S} pixels.
 *
 * @param rotation clockwise rotation of the outline in radians
 * @param shade brightness factor applied to the colour (about 1), so colours are not all identical
 */
public record SceneObject(
    ShapeClass shape, ObjectColour colour, double cx, double cy, double size, double rotation, double shade) {}
