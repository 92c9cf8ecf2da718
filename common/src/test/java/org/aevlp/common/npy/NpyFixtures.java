package org.aevlp.common.npy;

import java.io.ByteArrayOutputStream;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** Locates the numpy-made fixtures (see make_fixtures.py) and builds hand-made .npy bytes. */
final class NpyFixtures {

  private NpyFixtures() {}

  /** A fixture of src/test/resources/npy on the test class path. */
  static Path fixture(String name) {
    URL url = NpyFixtures.class.getResource("/npy/" + name);
    if (url == null) {
      throw new IllegalStateException("missing test fixture npy/" + name + "; run make_fixtures.py");
    }
    try {
      return Path.of(url.toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A version 1.0 file with the given header dict (padded with spaces and a newline) and data. */
  static byte[] version1(String dict, byte[] data) {
    return withVersion(1, dict, data);
  }

  /** A file of the given major version (length field of 2 bytes for 1, else 4 bytes). */
  static byte[] withVersion(int major, String dict, byte[] data) {
    int lengthBytes = major == 1 ? 2 : 4;
    StringBuilder header = new StringBuilder(dict);
    while ((8 + lengthBytes + header.length() + 1) % 64 != 0) {
      header.append(' ');
    }
    header.append('\n');
    byte[] headerBytes = header.toString().getBytes(StandardCharsets.ISO_8859_1);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', (byte) major, 0});
    for (int i = 0; i < lengthBytes; i++) {
      out.write((headerBytes.length >>> (8 * i)) & 0xff);
    }
    out.writeBytes(headerBytes);
    out.writeBytes(data);
    return out.toByteArray();
  }
}
