package org.aevlp.models.io;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import org.aevlp.models.Architecture;

/**
 * Saves and loads a backbone's parameters (BatchNorm running statistics included) as a local file.
 *
 * <p>Format: a short header — {@code writeUTF("aevlp-backbone")}, {@code writeInt(1)} (format
 * version), {@code writeUTF(archName)}, {@code writeInt(parameterCount)} — followed by DJL's own
 * {@link Block#saveParameters} stream of the backbone block. The header lets a loader reject a file
 * of another architecture with a clear message instead of a DJL decoding error.
 *
 * <p>Loading decodes the file into a fresh twin backbone on a scratch sub-manager, checks every
 * parameter's name and shape against the target, then copies the values <em>into the target's
 * existing arrays</em>, so the target keeps its array handles (a trainer already holding them stays
 * valid), its gradient flags and its device. Only the backbone is touched: a classifier's head
 * keeps its fresh initialisation.
 */
public final class BackboneWeights {

  /** First field of every backbone file. */
  public static final String MAGIC = "aevlp-backbone";

  private static final int FORMAT_VERSION = 1;

  private BackboneWeights() {}

  /**
   * Writes {@code backbone}'s parameters to {@code file} (atomically: a temporary sibling is moved
   * into place).
   *
   * @param arch the architecture {@code backbone} was built for
   * @param backbone an initialised backbone block
   */
  public static void save(Path file, Architecture arch, Block backbone) throws IOException {
    if (!backbone.isInitialized()) {
      throw new IllegalArgumentException("backbone: must be initialised before saving");
    }
    Path dir = file.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path tmp = Files.createTempFile(dir, file.getFileName().toString(), ".tmp");
    try {
      try (DataOutputStream out =
          new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(tmp)))) {
        out.writeUTF(MAGIC);
        out.writeInt(FORMAT_VERSION);
        out.writeUTF(arch.archName());
        out.writeInt(backbone.getParameters().size());
        backbone.saveParameters(out);
      }
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /** Whether {@code file} starts with a backbone file header. */
  public static boolean isBackboneFile(Path file) throws IOException {
    try (InputStream raw = Files.newInputStream(file);
        DataInputStream in = new DataInputStream(new BufferedInputStream(raw))) {
      return MAGIC.equals(readMagic(in));
    }
  }

  /**
   * Copies the parameters stored in {@code file} into {@code target}.
   *
   * @param arch the architecture {@code target} was built for; the file must be of the same one
   * @param target an initialised backbone of {@code arch}
   * @param manager a manager on the target's device; a sub-manager of it holds the decoded copy
   * @throws IllegalArgumentException if the file is not a backbone file of {@code arch} or its
   *     parameters do not match the target's names and shapes
   */
  public static void load(Path file, Architecture arch, Block target, NDManager manager)
      throws IOException {
    if (!target.isInitialized()) {
      throw new IllegalArgumentException("target: must be initialised before loading " + file);
    }
    try (InputStream raw = Files.newInputStream(file);
        DataInputStream in = new DataInputStream(new BufferedInputStream(raw));
        NDManager scratch = manager.newSubManager()) {
      int count = readHeader(in, file, arch);
      if (count != target.getParameters().size()) {
        throw new IllegalArgumentException(
            "pretrained_path: " + file + " has " + count + " parameters, the backbone "
                + target.getParameters().size());
      }
      Block twin = arch.newBackbone();
      twin.loadParameters(scratch, in);
      copyInto(twin.getParameters().values(), target.getParameters().values(), file);
    } catch (MalformedModelException e) {
      throw new IllegalArgumentException(
          "pretrained_path: " + file + " holds a malformed DJL parameter stream: " + e.getMessage(),
          e);
    }
  }

  /** Checks magic, version and architecture; returns the stored parameter count. */
  private static int readHeader(DataInputStream in, Path file, Architecture arch)
      throws IOException {
    if (!MAGIC.equals(readMagic(in))) {
      throw new IllegalArgumentException(
          "pretrained_path: " + file + " is not an aevlp backbone file (no '" + MAGIC + "' header)");
    }
    int version = in.readInt();
    if (version != FORMAT_VERSION) {
      throw new IllegalArgumentException(
          "pretrained_path: " + file + " has backbone format version " + version
              + "; this build reads version " + FORMAT_VERSION);
    }
    String fileArch = in.readUTF();
    if (!fileArch.equals(arch.archName())) {
      throw new IllegalArgumentException(
          "pretrained_path: " + file + " holds a '" + fileArch + "' backbone but arch is '"
              + arch.archName() + "'");
    }
    return in.readInt();
  }

  /** The leading UTF string, or "" when the bytes are not one (any other file format). */
  private static String readMagic(DataInputStream in) {
    try {
      return in.readUTF();
    } catch (IOException e) {
      return "";
    }
  }

  private static void copyInto(List<Parameter> source, List<Parameter> target, Path file) {
    if (source.size() != target.size()) {
      throw new IllegalArgumentException(
          "pretrained_path: " + file + " has " + source.size() + " parameters, the backbone "
              + target.size());
    }
    for (int i = 0; i < source.size(); i++) {
      Parameter from = source.get(i);
      Parameter to = target.get(i);
      if (!from.getName().equals(to.getName())
          || !from.getArray().getShape().equals(to.getArray().getShape())) {
        throw new IllegalArgumentException(
            "pretrained_path: " + file + " parameter " + i + " is " + from.getName()
                + from.getArray().getShape() + ", the backbone expects " + to.getName()
                + to.getArray().getShape());
      }
    }
    for (int i = 0; i < source.size(); i++) {
      overwrite(target.get(i).getArray(), source.get(i).getArray());
    }
  }

  /**
   * Copies values with an index assignment (a real copy on every engine; {@code set(Buffer)} is not
   * one on PyTorch). Autograd forbids in-place writes to a leaf that requires a gradient, so the
   * flag is lowered for the write and restored.
   */
  private static void overwrite(NDArray destination, NDArray values) {
    boolean grad = destination.hasGradient();
    if (grad) {
      destination.setRequiresGradient(false);
    }
    destination.set(new NDIndex("..."), values);
    if (grad) {
      destination.setRequiresGradient(true);
    }
  }
}
