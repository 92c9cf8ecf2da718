package org.aevlp.labeler.vlm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.aevlp.common.image.ImageCodec;
import org.aevlp.common.image.RgbImage;

/**
 * The captioned pretraining images of a synthetic dataset (DESIGN.md §6), read from its captions
 * directory and nothing else: {@code captions.jsonl} (one JSON object per line: {@code path},
 * {@code caption}, {@code objects: [{class, colour, cx, cy, size}]}) and the images it names.
 *
 * <p>Image paths in the file are relative to the dataset root, which is the parent of the captions
 * directory (the generator writes {@code captions/images/000000.png}); a copy of the captions
 * directory alone under any parent reads the same.
 *
 * <p>{@link #contentHash()} is SHA-256 over {@code captions.jsonl} and then every image file's
 * bytes in file order: the identity of the data a VLM was trained on.
 *
 * @param directory the captions directory
 * @param images the captioned images in file order
 * @param contentHash hex SHA-256 of the caption file and the image files
 */
public record CaptionSet(Path directory, List<CaptionedImage> images, String contentHash) {

  /** Name of the caption file inside the captions directory. */
  public static final String CAPTIONS_FILE = "captions.jsonl";

  private static final ObjectMapper JSON = new ObjectMapper();

  public CaptionSet {
    images = List.copyOf(images);
  }

  /** Number of images. */
  public int size() {
    return images.size();
  }

  /** The distinct class words of all objects, in first-seen order. */
  public List<String> classNames() {
    Set<String> names = new LinkedHashSet<>();
    images.forEach(image -> image.objects().forEach(o -> names.add(o.className())));
    return List.copyOf(names);
  }

  /** The distinct colour words of all objects, in first-seen order. */
  public List<String> colourNames() {
    Set<String> names = new LinkedHashSet<>();
    images.forEach(image -> image.objects().forEach(o -> names.add(o.colour())));
    return List.copyOf(names);
  }

  /**
   * Reads the caption file and decodes every image.
   *
   * @throws IOException naming the file (and line) that is missing or malformed
   */
  public static CaptionSet read(Path captionsDirectory) throws IOException {
    List<Line> lines = readLines(captionsDirectory);
    MessageDigest digest = sha256();
    digest.update(Files.readAllBytes(captionsDirectory.resolve(CAPTIONS_FILE)));
    List<CaptionedImage> images = new ArrayList<>(lines.size());
    for (Line line : lines) {
      byte[] encoded = readImage(captionsDirectory, line);
      digest.update(encoded);
      RgbImage image;
      try {
        image = ImageCodec.decode(encoded);
      } catch (IOException e) {
        throw new IOException(
            CAPTIONS_FILE + " line " + line.number() + ": image " + line.path() + " is unreadable: "
                + e.getMessage(), e);
      }
      images.add(new CaptionedImage(line.path(), line.caption(), line.objects(), image));
    }
    return new CaptionSet(captionsDirectory, images, HexFormat.of().formatHex(digest.digest()));
  }

  /**
   * The {@link #contentHash()} of a captions directory without decoding its images (a cache check
   * that costs one read of the files).
   */
  public static String contentHash(Path captionsDirectory) throws IOException {
    List<Line> lines = readLines(captionsDirectory);
    MessageDigest digest = sha256();
    digest.update(Files.readAllBytes(captionsDirectory.resolve(CAPTIONS_FILE)));
    for (Line line : lines) {
      digest.update(readImage(captionsDirectory, line));
    }
    return HexFormat.of().formatHex(digest.digest());
  }

  /** One parsed line of the caption file. */
  private record Line(int number, String path, String caption, List<CaptionedObject> objects) {}

  private static List<Line> readLines(Path captionsDirectory) throws IOException {
    Path file = captionsDirectory.resolve(CAPTIONS_FILE);
    if (!Files.isRegularFile(file)) {
      throw new NoSuchFileException(
          file.toString(), null, "the captions directory needs " + CAPTIONS_FILE
              + " (written by the synthetic dataset generator)");
    }
    List<String> text = Files.readAllLines(file, StandardCharsets.UTF_8);
    List<Line> lines = new ArrayList<>(text.size());
    for (int i = 0; i < text.size(); i++) {
      if (!text.get(i).isBlank()) {
        lines.add(parse(file, i + 1, text.get(i)));
      }
    }
    if (lines.isEmpty()) {
      throw new IOException(file + ": holds no captioned image");
    }
    return lines;
  }

  private static Line parse(Path file, int number, String text) throws IOException {
    try {
      JsonNode node = JSON.readTree(text);
      String path = requireText(node, "path");
      String caption = requireText(node, "caption");
      JsonNode objectsNode = node.path("objects");
      if (!objectsNode.isArray() || objectsNode.isEmpty()) {
        throw new IllegalArgumentException("objects: must be a non-empty array");
      }
      List<CaptionedObject> objects = new ArrayList<>(objectsNode.size());
      for (JsonNode o : objectsNode) {
        objects.add(
            new CaptionedObject(
                requireText(o, "class"),
                requireText(o, "colour"),
                requireNumber(o, "cx"),
                requireNumber(o, "cy"),
                requireNumber(o, "size")));
      }
      return new Line(number, path, caption, objects);
    } catch (IOException | IllegalArgumentException e) {
      throw new IOException(file + " line " + number + ": " + e.getMessage(), e);
    }
  }

  private static byte[] readImage(Path captionsDirectory, Line line) throws IOException {
    Path root = captionsDirectory.toAbsolutePath().getParent();
    Path image = root.resolve(line.path());
    if (!Files.isRegularFile(image)) {
      throw new NoSuchFileException(
          image.toString(), null, CAPTIONS_FILE + " line " + line.number()
              + " names it; paths are relative to the captions directory's parent");
    }
    return Files.readAllBytes(image);
  }

  private static String requireText(JsonNode node, String field) {
    JsonNode value = node.get(field);
    if (value == null || !value.isTextual() || value.asText().isBlank()) {
      throw new IllegalArgumentException(field + ": must be a non-blank string");
    }
    return value.asText();
  }

  private static double requireNumber(JsonNode node, String field) {
    JsonNode value = node.get(field);
    if (value == null || !value.isNumber()) {
      throw new IllegalArgumentException(field + ": must be a number");
    }
    return value.doubleValue();
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK lacks SHA-256", e);
    }
  }
}
