package org.aevlp.common.data.synthetic;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.Shape;
import java.awt.geom.AffineTransform;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.util.SplittableRandom;
import org.aevlp.common.image.RgbImage;

/**
 * Paints a {@link Scene}: a textured background, optional distractor blobs, the objects
 * (anti-aliased fills) and per-pixel noise over everything.
 *
 * <p>Background of intensity {@code base_c + clutter·(A_t·t(u,v) + A_g·g(u,v))} per channel c,
 * where {@code base} is a random low-saturation mid-tone, {@code t} a mix of three random
 * sinusoidal gratings (integer frequencies of −6..6 cycles per image along each axis) and {@code g} a linear ramp; then noise
 * {@code clutter·σ·n} with n approximately standard normal (a centred sum of three uniforms) per
 * pixel and channel. Only {@link StrictMath} is used for transcendental functions, so pixels do
 * not depend on the JIT or the CPU.
 */
final class SceneRenderer {

  static final double TEXTURE_AMPLITUDE = 0.22;
  static final double RAMP_AMPLITUDE = 0.12;
  static final double NOISE_SIGMA = 0.09;
  static final int GRATINGS = 3;
  static final int MAX_CYCLES = 6;
  static final double MIN_DISTRACTOR_SIZE = 0.07;
  static final double MAX_DISTRACTOR_SIZE = 0.16;

  private final SyntheticSpec spec;

  SceneRenderer(SyntheticSpec spec) {
    this.spec = spec;
  }

  RgbImage render(Scene scene) {
    int size = spec.imageSize();
    SplittableRandom random = new SplittableRandom(scene.textureSeed());
    BufferedImage canvas = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
    // TYPE_INT_RGB is backed by one int per pixel (0xRRGGBB); writing it directly skips the
    // per-pixel colour-model conversion of setRGB/getRGB
    int[] pixels = ((DataBufferInt) canvas.getRaster().getDataBuffer()).getData();
    paintBackground(pixels, random);
    Graphics2D g = canvas.createGraphics();
    try {
      g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
      g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
      int distractors = random.nextInt(spec.distractors() + 1);
      for (int i = 0; i < distractors; i++) {
        paintDistractor(g, random);
      }
      for (SceneObject object : scene.objects()) {
        g.setColor(shaded(object));
        g.fill(place(object.shape().outline(), object.cx(), object.cy(), object.size(), object.rotation()));
      }
    } finally {
      g.dispose();
    }
    addNoise(pixels, random);
    return RgbImage.fromBufferedImage(canvas);
  }

  private void paintBackground(int[] pixels, SplittableRandom random) {
    int size = spec.imageSize();
    float hue = (float) random.nextDouble();
    float saturation = (float) (0.05 + 0.25 * random.nextDouble());
    float brightness = (float) (0.35 + 0.3 * random.nextDouble());
    int rgb = Color.HSBtoRGB(hue, saturation, brightness);
    double[] base = {((rgb >>> 16) & 0xff) / 255.0, ((rgb >>> 8) & 0xff) / 255.0, (rgb & 0xff) / 255.0};

    double[] texture = new double[size * size];
    double weightSum = 0;
    for (int k = 0; k < GRATINGS; k++) {
      double weight = 0.3 + 0.7 * random.nextDouble();
      weightSum += weight;
      addGrating(texture, size, weight, random);
    }
    double rampAngle = 2 * Math.PI * random.nextDouble();
    double rampX = StrictMath.cos(rampAngle);
    double rampY = StrictMath.sin(rampAngle);

    double clutter = spec.clutter();
    for (int y = 0; y < size; y++) {
      double v = (y + 0.5) / size - 0.5;
      for (int x = 0; x < size; x++) {
        double u = (x + 0.5) / size - 0.5;
        double offset =
            clutter * (TEXTURE_AMPLITUDE * texture[y * size + x] / weightSum + RAMP_AMPLITUDE * (rampX * u + rampY * v) * 2);
        pixels[y * size + x] =
            toByte(base[0] + offset) << 16 | toByte(base[1] + offset) << 8 | toByte(base[2] + offset);
      }
    }
  }

  /**
   * Adds {@code weight·sin(2π(fx·u + fy·v) + φ)} over the pixel grid. The argument is separable,
   * so the sine is expanded as {@code sin a·cos b + cos a·sin b} from one table per axis.
   */
  private static void addGrating(double[] texture, int size, double weight, SplittableRandom random) {
    int fx = random.nextInt(2 * MAX_CYCLES + 1) - MAX_CYCLES;
    int fy = random.nextInt(2 * MAX_CYCLES + 1) - MAX_CYCLES;
    if (fx == 0 && fy == 0) {
      fx = 1;
    }
    double phase = 2 * Math.PI * random.nextDouble();
    double[] sinA = new double[size];
    double[] cosA = new double[size];
    double[] sinB = new double[size];
    double[] cosB = new double[size];
    for (int i = 0; i < size; i++) {
      double a = 2 * Math.PI * fx * (i + 0.5) / size;
      double b = 2 * Math.PI * fy * (i + 0.5) / size + phase;
      sinA[i] = StrictMath.sin(a);
      cosA[i] = StrictMath.cos(a);
      sinB[i] = StrictMath.sin(b);
      cosB[i] = StrictMath.cos(b);
    }
    for (int y = 0; y < size; y++) {
      for (int x = 0; x < size; x++) {
        texture[y * size + x] += weight * (sinA[x] * cosB[y] + cosA[x] * sinB[y]);
      }
    }
  }

  /** An irregular blob of no class: a closed curve through 7–9 points at random radii. */
  private void paintDistractor(Graphics2D g, SplittableRandom random) {
    int points = 7 + random.nextInt(3);
    double[] px = new double[points];
    double[] py = new double[points];
    for (int i = 0; i < points; i++) {
      double angle = 2 * Math.PI * i / points;
      double radius = 0.5 + 0.5 * random.nextDouble();
      px[i] = radius * StrictMath.cos(angle);
      py[i] = radius * StrictMath.sin(angle);
    }
    // quadratic segments between edge midpoints, with the sampled points as control points
    Path2D.Double blob = new Path2D.Double();
    blob.moveTo((px[points - 1] + px[0]) / 2, (py[points - 1] + py[0]) / 2);
    for (int i = 0; i < points; i++) {
      int next = (i + 1) % points;
      blob.quadTo(px[i], py[i], (px[i] + px[next]) / 2, (py[i] + py[next]) / 2);
    }
    blob.closePath();
    double size = MIN_DISTRACTOR_SIZE + (MAX_DISTRACTOR_SIZE - MIN_DISTRACTOR_SIZE) * random.nextDouble();
    double cx = size / 2 + (1 - size) * random.nextDouble();
    double cy = size / 2 + (1 - size) * random.nextDouble();
    g.setColor(
        new Color(
            Color.HSBtoRGB(
                (float) random.nextDouble(),
                (float) (0.2 + 0.5 * random.nextDouble()),
                (float) (0.3 + 0.6 * random.nextDouble()))));
    g.fill(place(blob, cx, cy, size, 2 * Math.PI * random.nextDouble()));
  }

  /** The unit outline scaled to {@code size·S/2} per unit, rotated, and moved to the centre. */
  private Shape place(Shape outline, double cx, double cy, double size, double rotation) {
    double pixels = spec.imageSize();
    double scale = size * pixels / 2;
    double cos = StrictMath.cos(rotation) * scale;
    double sin = StrictMath.sin(rotation) * scale;
    AffineTransform transform = new AffineTransform(cos, sin, -sin, cos, cx * pixels, cy * pixels);
    return transform.createTransformedShape(outline);
  }

  private static Color shaded(SceneObject object) {
    ObjectColour colour = object.colour();
    return new Color(
        clampChannel(colour.channel(0) * object.shade()),
        clampChannel(colour.channel(1) * object.shade()),
        clampChannel(colour.channel(2) * object.shade()));
  }

  private void addNoise(int[] pixels, SplittableRandom random) {
    double sigma = NOISE_SIGMA * spec.clutter() * 255;
    for (int i = 0; i < pixels.length; i++) {
      int p = pixels[i];
      int r = clampChannel(((p >>> 16) & 0xff) + sigma * gaussian(random.nextLong()));
      int g = clampChannel(((p >>> 8) & 0xff) + sigma * gaussian(random.nextLong()));
      int b = clampChannel((p & 0xff) + sigma * gaussian(random.nextLong()));
      pixels[i] = r << 16 | g << 8 | b;
    }
  }

  /**
   * Approximately N(0, 1) from 63 random bits: three 21-bit uniforms U(0,1) summed (mean 1.5,
   * variance 1/4), centred and scaled.
   */
  private static double gaussian(long bits) {
    double scale = 1.0 / (1 << 21);
    double u1 = (bits & 0x1FFFFF) * scale;
    double u2 = ((bits >>> 21) & 0x1FFFFF) * scale;
    double u3 = ((bits >>> 42) & 0x1FFFFF) * scale;
    return (u1 + u2 + u3 - 1.5) * 2;
  }

  private static int toByte(double intensity) {
    return clampChannel(intensity * 255);
  }

  private static int clampChannel(double value) {
    return (int) Math.max(0, Math.min(255, Math.round(value)));
  }
}
