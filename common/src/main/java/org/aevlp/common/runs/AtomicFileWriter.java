package org.aevlp.common.runs;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Replaces a whole file so that readers see either the old content or the new, never a mix or a
 * prefix, and so that the new content survives a crash once {@code write} returns:
 *
 * <ol>
 *   <li>write a temporary file {@code .<name>.<random>.tmp} in the target's directory (same file
 *       system, so the rename below is atomic);
 *   <li>{@link FileChannel#force(boolean) fsync} it;
 *   <li>rename it over the target with {@link StandardCopyOption#ATOMIC_MOVE};
 *   <li>fsync the directory so the rename itself is durable (where the platform allows opening a
 *       directory; elsewhere this step is skipped).
 * </ol>
 *
 * <p>A crash before step 3 leaves only a temporary file, which readers of this package ignore
 * ({@link #isTemporary(String)}) and writers delete when they reopen a run.
 */
public final class AtomicFileWriter {

  /** Suffix of temporary files; together with the leading dot it marks them as not-yet-valid. */
  static final String TEMP_SUFFIX = ".tmp";

  /** Writes the content of a file to a stream. */
  @FunctionalInterface
  public interface Content {
    void writeTo(OutputStream out) throws IOException;
  }

  private AtomicFileWriter() {}

  /** Atomically replaces (or creates) {@code target} with {@code bytes}. */
  public static void write(Path target, byte[] bytes) throws IOException {
    write(target, out -> out.write(bytes));
  }

  /** Atomically replaces (or creates) {@code target} with what {@code content} writes. */
  public static void write(Path target, Content content) throws IOException {
    Path absolute = target.toAbsolutePath();
    Path dir = absolute.getParent();
    Path temp =
        dir.resolve(
            "."
                + absolute.getFileName()
                + "."
                + Long.toHexString(ThreadLocalRandom.current().nextLong())
                + TEMP_SUFFIX);
    boolean moved = false;
    try {
      try (FileChannel channel =
              FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
          OutputStream out = new BufferedOutputStream(Channels.newOutputStream(channel), 1 << 16)) {
        content.writeTo(out);
        out.flush();
        channel.force(true);
      }
      Files.move(temp, absolute, StandardCopyOption.ATOMIC_MOVE);
      moved = true;
      syncDirectory(dir);
    } finally {
      if (!moved) {
        Files.deleteIfExists(temp);
      }
    }
  }

  /**
   * Makes a rename or creation inside {@code dir} durable. Opening a directory for reading works on
   * Linux and macOS; where it does not (Windows), the rename is still atomic, only its durability
   * on power loss is up to the file system.
   */
  static void syncDirectory(Path dir) throws IOException {
    FileChannel channel;
    try {
      channel = FileChannel.open(dir, StandardOpenOption.READ);
    } catch (IOException | UnsupportedOperationException notSupported) {
      return;
    }
    try (channel) {
      channel.force(true);
    } catch (IOException notSupported) {
      // some platforms open a directory but refuse to sync it; nothing more can be done there
    }
  }

  /** True for names this class gives its temporary files (and other hidden work files). */
  static boolean isTemporary(String fileName) {
    return fileName.startsWith(".") && fileName.endsWith(TEMP_SUFFIX);
  }
}
