package org.aevlp.common.image;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;

/**
 * Decodes batches of image files on a fixed number of threads with a bounded work queue.
 *
 * <p>Back-pressure: at most {@code threads + queueCapacity} files are in flight; submitting more
 * blocks the caller until a slot frees, so a large batch never grows the queue without bound.
 * An unreadable file (missing, corrupt, unsupported format, or declaring more pixels than the
 * limit) becomes a {@link SkippedSample} with the reason, counted and logged once per file through
 * the {@link SkippedSampleLog}; it is never thrown. Thread-safe; close it to stop its threads.
 */
public final class ParallelImageDecoder implements AutoCloseable {

  private static final AtomicInteger POOL_IDS = new AtomicInteger();

  private final ThreadPoolExecutor executor;
  private final Semaphore slots;
  private final SkippedSampleLog skippedLog;
  private final long maxPixels;

  /** A decoder with its own skipped-sample log. */
  public ParallelImageDecoder(int threads, int queueCapacity) {
    this(threads, queueCapacity, new SkippedSampleLog());
  }

  /**
   * @param threads decoding threads (fixed), at least 1
   * @param queueCapacity files that may wait for a thread, at least 1
   * @param skippedLog where skipped samples are counted and logged
   */
  public ParallelImageDecoder(int threads, int queueCapacity, SkippedSampleLog skippedLog) {
    this(threads, queueCapacity, skippedLog, ImageCodec.DEFAULT_MAX_PIXELS);
  }

  /**
   * @param threads decoding threads (fixed), at least 1
   * @param queueCapacity files that may wait for a thread, at least 1
   * @param skippedLog where skipped samples are counted and logged
   * @param maxPixels largest image (width x height, from its header) decoded; larger ones are
   *     skipped before their pixels are allocated, so one file cannot exhaust the heap
   */
  public ParallelImageDecoder(int threads, int queueCapacity, SkippedSampleLog skippedLog, long maxPixels) {
    if (maxPixels < 1) {
      throw new IllegalArgumentException("maxPixels must be >= 1, got " + maxPixels);
    }
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be >= 1, got " + threads);
    }
    if (queueCapacity < 1) {
      throw new IllegalArgumentException("queueCapacity must be >= 1, got " + queueCapacity);
    }
    // The semaphore is the bound. The executor's queue gets room for the whole in-flight limit
    // because a finished task frees its slot a moment before its thread polls the queue again.
    this.executor =
        new ThreadPoolExecutor(
            threads,
            threads,
            0,
            TimeUnit.MILLISECONDS,
            new ArrayBlockingQueue<>(threads + queueCapacity),
            daemonThreads());
    this.slots = new Semaphore(threads + queueCapacity);
    this.skippedLog = skippedLog;
    this.maxPixels = maxPixels;
  }

  /** Decodes every path; images and skipped samples come back in request order. */
  public DecodedBatch decode(List<Path> paths) throws InterruptedException {
    return decode(paths, UnaryOperator.identity());
  }

  /**
   * Decodes every path and applies {@code transform} (a resize, say) on the decoding thread; an
   * exception from the transform skips the sample like a decoding failure.
   */
  public DecodedBatch decode(List<Path> paths, UnaryOperator<RgbImage> transform) throws InterruptedException {
    List<FutureTask<Outcome>> futures = new ArrayList<>(paths.size());
    try {
      for (int i = 0; i < paths.size(); i++) {
        int index = i;
        Path path = paths.get(i);
        slots.acquire();
        FutureTask<Outcome> task = new SlotReleasingTask(() -> decodeOne(index, path, transform));
        futures.add(task);
        try {
          executor.execute(task);
        } catch (RuntimeException e) {
          task.cancel(false);
          throw e;
        }
      }
      List<DecodedImage> images = new ArrayList<>(paths.size());
      List<SkippedSample> skipped = new ArrayList<>();
      for (FutureTask<Outcome> future : futures) {
        Outcome outcome = future.get();
        if (outcome.image() != null) {
          images.add(outcome.image());
        } else {
          skippedLog.record(outcome.skipped());
          skipped.add(outcome.skipped());
        }
      }
      return new DecodedBatch(images, skipped);
    } catch (ExecutionException | CancellationException e) {
      // decodeOne catches every Exception, so only an Error (e.g. OutOfMemoryError) gets here
      throw new IllegalStateException("image decoding thread failed", e.getCause());
    } finally {
      for (FutureTask<Outcome> future : futures) {
        future.cancel(true);
      }
    }
  }

  /** The log that counts this decoder's skipped samples. */
  public SkippedSampleLog skippedLog() {
    return skippedLog;
  }

  @Override
  public void close() {
    executor.shutdownNow();
    try {
      executor.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private Outcome decodeOne(int index, Path path, UnaryOperator<RgbImage> transform) {
    try {
      return new Outcome(new DecodedImage(index, path, transform.apply(ImageCodec.decode(path, maxPixels))), null);
    } catch (NoSuchFileException e) {
      return new Outcome(null, new SkippedSample(index, path, "file not found"));
    } catch (IOException e) {
      return new Outcome(null, new SkippedSample(index, path, describe(e)));
    } catch (RuntimeException e) {
      return new Outcome(null, new SkippedSample(index, path, "cannot process image (" + e + ")"));
    }
  }

  private static String describe(IOException e) {
    if (e instanceof FileSystemException || e.getMessage() == null) {
      // these carry only the path as message; the class says what went wrong (AccessDenied, ...)
      return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    }
    return e.getMessage();
  }

  /** Frees its in-flight slot when it completes or is cancelled, whichever happens. */
  private final class SlotReleasingTask extends FutureTask<Outcome> {
    SlotReleasingTask(Callable<Outcome> work) {
      super(work);
    }

    @Override
    protected void done() {
      slots.release();
    }
  }

  private static ThreadFactory daemonThreads() {
    int pool = POOL_IDS.incrementAndGet();
    AtomicInteger ids = new AtomicInteger();
    return runnable -> {
      Thread thread = new Thread(runnable, "aevlp-image-decoder-" + pool + "-" + ids.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }

  private record Outcome(DecodedImage image, SkippedSample skipped) {}
}
