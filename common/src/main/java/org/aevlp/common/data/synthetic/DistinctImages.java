package org.aevlp.common.data.synthetic;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.Map;

/**
 * Guards that no two generated images are identical, in particular that the captioned images
 * the VLM is pretrained on never repeat an SPML image (DESIGN §6: disjoint data). Images are
 * compared by the SHA-256 of their pixels. Not thread-safe.
 */
final class DistinctImages {

  private final Map<ByteBuffer, String> seen = new HashMap<>();

  /** Records an image; throws if an identical one was recorded before. */
  void add(byte[] pixelDigest, String name) {
    String earlier = seen.putIfAbsent(ByteBuffer.wrap(pixelDigest.clone()), name);
    if (earlier != null) {
      throw new IllegalStateException(
          "generated image " + name + " is identical to " + earlier
              + "; synthetic images must all differ (SPML and caption splits must be disjoint)");
    }
  }

  int size() {
    return seen.size();
  }

  /** The SHA-256 of {@code bytes}. */
  static byte[] digest(byte[] bytes) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(bytes);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime provides SHA-256", e);
    }
  }
}
