package org.aevlp.common.image;

import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts skipped samples and logs each unreadable file once (DESIGN §5: a corrupt or missing
 * image is skipped, counted and logged once; it never kills an epoch).
 *
 * <p>Every skip is counted, so the counter grows by one per epoch for a file that stays broken,
 * while the log names the file only the first time. The counter is an {@link AtomicLong} so a
 * metrics registry can read it (e.g. a Micrometer {@code FunctionCounter}); one log may be shared
 * by several decoders. Thread-safe.
 */
public final class SkippedSampleLog {

  private static final Logger LOG = LoggerFactory.getLogger(SkippedSampleLog.class);

  private final AtomicLong skipped;
  private final Set<Path> logged = ConcurrentHashMap.newKeySet();

  public SkippedSampleLog() {
    this(new AtomicLong());
  }

  /** A log that adds to an existing counter (one owned by a metrics binder, say). */
  public SkippedSampleLog(AtomicLong skipped) {
    this.skipped = skipped;
  }

  /** Counts {@code sample}; returns true when this call logged it (first skip of that file). */
  public boolean record(SkippedSample sample) {
    skipped.incrementAndGet();
    boolean first = logged.add(sample.path().toAbsolutePath().normalize());
    if (first) {
      LOG.warn("skipping unreadable image {}: {}", sample.path(), sample.reason());
    }
    return first;
  }

  /** Skips counted so far. */
  public long count() {
    return skipped.get();
  }

  /** The live counter, for metrics. */
  public AtomicLong counter() {
    return skipped;
  }
}
