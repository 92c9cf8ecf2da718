package org.aevlp.common.npy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads NumPy {@code .npy} files, format versions 1.0, 2.0 and 3.0.
 *
 * <p>Layout: the magic {@code \x93NUMPY}, a major and a minor version byte, the header length
 * (little-endian uint16 for 1.0, uint32 for 2.0 and 3.0), the header (a Python dict literal,
 * Latin-1 for 1.0/2.0 and UTF-8 for 3.0), then the raw elements. Supported: the dtypes of
 * {@link NpyDtype}, little-endian, C order, 1-D and 2-D. Every rejection is an
 * {@link NpyFormatException} whose message names the file and the rule broken.
 */
public final class NpyReader {

  private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};

  private NpyReader() {}

  /** Reads the whole array. */
  public static NpyArray read(Path file) throws IOException {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      NpyHeader header = readHeader(channel, file);
      long available = channel.size() - header.dataOffset();
      if (available < header.dataBytes()) {
        throw new NpyFormatException(
            file, "truncated data: shape " + header.shape() + " of " + header.descr() + " needs "
                + header.dataBytes() + " bytes, the file has " + Math.max(0, available));
      }
      if (available > header.dataBytes()) {
        throw new NpyFormatException(
            file, (available - header.dataBytes()) + " unexpected bytes after the data of shape "
                + header.shape() + " " + header.descr());
      }
      byte[] data = new byte[(int) header.dataBytes()];
      if (!readFully(channel, ByteBuffer.wrap(data), header.dataOffset())) {
        throw new NpyFormatException(file, "truncated data: the file ended while it was read");
      }
      if (header.dtype() == NpyDtype.UNICODE) {
        return NpyArray.unicode(file, header, decodeUnicode(data, header, file));
      }
      return NpyArray.numeric(file, header, data);
    }
  }

  /** Reads only the header, e.g. to check a shape before loading a large file. */
  public static NpyHeader readHeader(Path file) throws IOException {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      return readHeader(channel, file);
    }
  }

  private static NpyHeader readHeader(FileChannel channel, Path file) throws IOException {
    ByteBuffer prefix = ByteBuffer.allocate(8);
    if (channel.size() < 8
        || !readFully(channel, prefix, 0)
        || !startsWithMagic(prefix.array())) {
      throw new NpyFormatException(file, "not a NumPy .npy file (it does not start with \\x93NUMPY)");
    }
    int major = prefix.get(6) & 0xff;
    int minor = prefix.get(7) & 0xff;
    if (major < 1 || major > 3 || minor != 0) {
      throw new NpyFormatException(
          file, "unsupported .npy format version " + major + "." + minor + " (1.0, 2.0 and 3.0 are read)");
    }
    int lengthBytes = major == 1 ? 2 : 4;
    ByteBuffer lengthField = ByteBuffer.allocate(lengthBytes).order(ByteOrder.LITTLE_ENDIAN);
    if (!readFully(channel, lengthField, 8)) {
      throw new NpyFormatException(file, "truncated header: the file ends inside the header length");
    }
    long headerLength =
        major == 1 ? lengthField.getShort(0) & 0xffffL : lengthField.getInt(0) & 0xffffffffL;
    long dataOffset = 8L + lengthBytes + headerLength;
    if (channel.size() < dataOffset) {
      throw new NpyFormatException(
          file, "truncated header: it declares " + headerLength + " bytes, the file has "
              + (channel.size() - 8 - lengthBytes));
    }
    if (headerLength > Integer.MAX_VALUE - 8) {
      throw new NpyFormatException(file, "header length " + headerLength + " is too large");
    }
    ByteBuffer headerBytes = ByteBuffer.allocate((int) headerLength);
    if (!readFully(channel, headerBytes, 8L + lengthBytes)) {
      throw new NpyFormatException(file, "truncated header: the file ended while it was read");
    }
    // 1.0 and 2.0 headers are Latin-1, 3.0 headers UTF-8 (NumPy's rule)
    Charset charset = major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1;
    String text = new String(headerBytes.array(), charset);
    return NpyHeader.interpret(NpyHeaderParser.parseDict(text, file), major, dataOffset, file);
  }

  private static boolean startsWithMagic(byte[] prefix) {
    for (int i = 0; i < MAGIC.length; i++) {
      if (prefix[i] != MAGIC[i]) {
        return false;
      }
    }
    return true;
  }

  /** Fills the buffer from the position; false if the file ended first. */
  private static boolean readFully(FileChannel channel, ByteBuffer buffer, long position) throws IOException {
    long at = position;
    while (buffer.hasRemaining()) {
      int n = channel.read(buffer, at);
      if (n < 0) {
        return false;
      }
      at += n;
    }
    return true;
  }

  /**
   * Decodes UTF-32LE code points, dropping each element's trailing NUL padding as NumPy does.
   * Lone surrogates are kept (Python strings, and so NumPy arrays, may hold them).
   */
  private static List<String> decodeUnicode(byte[] data, NpyHeader header, Path file) throws NpyFormatException {
    int width = header.itemSize() / 4;
    int count = (int) header.elementCount();
    ByteBuffer buffer = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
    List<String> strings = new ArrayList<>(count);
    int[] codePoints = new int[width];
    for (int element = 0; element < count; element++) {
      int length = 0;
      for (int i = 0; i < width; i++) {
        int cp = buffer.getInt((element * width + i) * 4);
        if (!Character.isValidCodePoint(cp)) {
          throw new NpyFormatException(
              file, String.format("element %d holds 0x%x, which is not a Unicode code point", element, cp));
        }
        codePoints[i] = cp;
        if (cp != 0) {
          length = i + 1;
        }
      }
      strings.add(new String(codePoints, 0, length));
    }
    return strings;
  }
}
