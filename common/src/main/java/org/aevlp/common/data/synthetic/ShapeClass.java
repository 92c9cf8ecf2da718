package org.aevlp.common.data.synthetic;

import java.awt.Shape;
import java.awt.geom.Area;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Path2D;
import java.awt.geom.Rectangle2D;
import java.util.List;
import java.util.Locale;

/**
 * The shape classes of the synthetic SPML data (DESIGN §6), in class-index order. A dataset with
 * C classes uses the first C of them.
 *
 * <p>Each outline is given in unit coordinates: it fits the box {@code [-1, 1]²} centred on the
 * object, with y pointing down as in image coordinates.
 */
public enum ShapeClass {
  CIRCLE(new Ellipse2D.Double(-1, -1, 2, 2)),
  SQUARE(new Rectangle2D.Double(-0.82, -0.82, 1.64, 1.64)),
  TRIANGLE(polygon(0, -1, 0.95, 0.72, -0.95, 0.72)),
  STAR(star(5, 1.0, 0.42)),
  CROSS(polygon(-0.3, -1, 0.3, -1, 0.3, -0.3, 1, -0.3, 1, 0.3, 0.3, 0.3,
      0.3, 1, -0.3, 1, -0.3, 0.3, -1, 0.3, -1, -0.3, -0.3, -0.3)),
  RING(subtract(new Ellipse2D.Double(-1, -1, 2, 2), new Ellipse2D.Double(-0.55, -0.55, 1.1, 1.1))),
  DIAMOND(polygon(0, -1, 0.62, 0, 0, 1, -0.62, 0)),
  HEART(union(
      new Ellipse2D.Double(-0.98, -0.9, 1.04, 1.04),
      new Ellipse2D.Double(-0.06, -0.9, 1.04, 1.04),
      polygon(-0.92, -0.2, 0.92, -0.2, 0, 0.95))),
  ARROW(polygon(-1, -0.22, 0.1, -0.22, 0.1, -0.6, 1, 0, 0.1, 0.6, 0.1, 0.22, -1, 0.22)),
  CRESCENT(subtract(new Ellipse2D.Double(-1, -1, 2, 2), new Ellipse2D.Double(-0.35, -0.85, 1.7, 1.7)));

  /** Number of shape classes available. */
  public static final int COUNT = values().length;

  private final Shape outline;

  ShapeClass(Shape outline) {
    this.outline = outline;
  }

  /** The class name used in class lists, captions and prompts ("circle"). */
  public String displayName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The outline in unit coordinates (see the class comment). */
  public Shape outline() {
    return outline;
  }

  /** The first {@code count} classes, the class set of a dataset with that many classes. */
  public static List<ShapeClass> firstClasses(int count) {
    if (count < 1 || count > COUNT) {
      throw new IllegalArgumentException("class count must be in 1.." + COUNT + ", got " + count);
    }
    return List.of(values()).subList(0, count);
  }

  private static Shape polygon(double... xy) {
    Path2D.Double path = new Path2D.Double();
    path.moveTo(xy[0], xy[1]);
    for (int i = 2; i < xy.length; i += 2) {
      path.lineTo(xy[i], xy[i + 1]);
    }
    path.closePath();
    return path;
  }

  private static Shape star(int points, double outer, double inner) {
    double[] xy = new double[points * 4];
    for (int i = 0; i < points * 2; i++) {
      double radius = i % 2 == 0 ? outer : inner;
      double angle = -Math.PI / 2 + i * Math.PI / points;
      xy[2 * i] = radius * StrictMath.cos(angle);
      xy[2 * i + 1] = radius * StrictMath.sin(angle);
    }
    return polygon(xy);
  }

  private static Shape subtract(Shape from, Shape hole) {
    Area area = new Area(from);
    area.subtract(new Area(hole));
    return new Path2D.Double(area);
  }

  private static Shape union(Shape... parts) {
    Area area = new Area();
    for (Shape part : parts) {
      area.add(new Area(part));
    }
    return new Path2D.Double(area);
  }
}
