package org.aevlp.labeler.service;

import io.grpc.Context;
import io.grpc.Deadline;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.aevlp.labeler.batching.BatcherClosedException;
import org.aevlp.labeler.batching.DeadlineExpiredException;
import org.aevlp.labeler.batching.DynamicBatcher;
import org.aevlp.labeler.batching.QueueFullException;
import org.aevlp.labeler.batching.QueuedRequest;
import org.aevlp.proto.v1.LabelerServiceGrpc;
import org.aevlp.proto.v1.PseudoLabelRow;
import org.aevlp.proto.v1.PseudoLabelsForImagesRequest;
import org.aevlp.proto.v1.PseudoLabelsRequest;
import org.aevlp.proto.v1.PseudoLabelsResponse;

/**
 * The LabelerService gRPC endpoint: validates a request ({@link RequestValidator}), queues its
 * task on the {@link DynamicBatcher} and answers when a labeler actor has computed it.
 *
 * <p>Outcomes: invalid requests get INVALID_ARGUMENT or OUT_OF_RANGE naming the field; a full
 * queue RESOURCE_EXHAUSTED; a deadline that passed while queued DEADLINE_EXCEEDED (the work is
 * dropped, not computed); a shutting-down labeler UNAVAILABLE; anything else INTERNAL. A call
 * cancelled by its client leaves the queue. Handlers never block: the gRPC thread returns once the
 * task is queued.
 */
public final class LabelerGrpcService extends LabelerServiceGrpc.LabelerServiceImplBase {

  static final String PSEUDO_LABELS = "PseudoLabels";
  static final String PSEUDO_LABELS_FOR_IMAGES = "PseudoLabelsForImages";

  /**
   * A cancellation this close to the call's deadline is taken for the deadline: a client cancels
   * its call when its own deadline fires, which reaches the server shortly before the server's copy
   * of the deadline (sent as a timeout, so it trails by the transit time) expires.
   */
  static final long DEADLINE_SLACK_MILLIS = 100;

  private final RequestValidator validator;
  private final DynamicBatcher<LabelingTask, LabelingResult> batcher;
  private final LabelerMetrics metrics;

  public LabelerGrpcService(
      RequestValidator validator, DynamicBatcher<LabelingTask, LabelingResult> batcher, LabelerMetrics metrics) {
    this.validator = validator;
    this.batcher = batcher;
    this.metrics = metrics;
  }

  @Override
  public void pseudoLabels(PseudoLabelsRequest request, StreamObserver<PseudoLabelsResponse> responses) {
    long start = System.nanoTime();
    LabelingTask task;
    try {
      task = validator.validate(request);
    } catch (InvalidRequestException e) {
      fail(PSEUDO_LABELS, start, responses, e.toStatus());
      return;
    }
    serve(PSEUDO_LABELS, start, task, responses);
  }

  @Override
  public void pseudoLabelsForImages(
      PseudoLabelsForImagesRequest request, StreamObserver<PseudoLabelsResponse> responses) {
    long start = System.nanoTime();
    LabelingTask task;
    try {
      task = validator.validate(request);
    } catch (InvalidRequestException e) {
      fail(PSEUDO_LABELS_FOR_IMAGES, start, responses, e.toStatus());
      return;
    }
    serve(PSEUDO_LABELS_FOR_IMAGES, start, task, responses);
  }

  private void serve(String method, long start, LabelingTask task, StreamObserver<PseudoLabelsResponse> responses) {
    Deadline deadline = Context.current().getDeadline();
    long deadlineNanos = deadline == null
        ? QueuedRequest.NO_DEADLINE
        : System.nanoTime() + deadline.timeRemaining(TimeUnit.NANOSECONDS);
    CompletableFuture<LabelingResult> result = batcher.submit(task, task.images(), deadlineNanos);
    // The client went away or its deadline passed: withdraw the task if it is still queued.
    ((ServerCallStreamObserver<PseudoLabelsResponse>) responses).setOnCancelHandler(() -> {
      if (deadline != null && deadline.timeRemaining(TimeUnit.MILLISECONDS) <= DEADLINE_SLACK_MILLIS) {
        result.completeExceptionally(
            new DeadlineExpiredException("deadline passed before the request was computed; it was dropped"));
      } else {
        result.cancel(false);
      }
    });
    result.whenComplete((labels, error) -> {
      if (error == null) {
        responses.onNext(toResponse(labels));
        responses.onCompleted();
        metrics.request(method, Status.Code.OK.name(), System.nanoTime() - start);
      } else {
        fail(method, start, responses, statusOf(error));
      }
    });
  }

  private void fail(String method, long start, StreamObserver<PseudoLabelsResponse> responses, Status status) {
    responses.onError(status.asRuntimeException());
    metrics.request(method, status.getCode().name(), System.nanoTime() - start);
  }

  private static Status statusOf(Throwable error) {
    Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    if (cause instanceof QueueFullException) {
      return Status.RESOURCE_EXHAUSTED.withDescription(cause.getMessage());
    }
    if (cause instanceof DeadlineExpiredException) {
      return Status.DEADLINE_EXCEEDED.withDescription(cause.getMessage());
    }
    if (cause instanceof CancellationException) {
      return Status.CANCELLED.withDescription("cancelled by the client");
    }
    if (cause instanceof BatcherClosedException) {
      return Status.UNAVAILABLE.withDescription(cause.getMessage());
    }
    return Status.INTERNAL.withDescription("labeling failed: " + cause).withCause(cause);
  }

  private static PseudoLabelsResponse toResponse(LabelingResult result) {
    PseudoLabelsResponse.Builder response = PseudoLabelsResponse.newBuilder().setCacheHits(result.cacheHits());
    for (LabeledRow row : result.rows()) {
      PseudoLabelRow.Builder proto = PseudoLabelRow.newBuilder()
          .setIndex(row.index())
          .setImageUnreadable(row.imageUnreadable());
      for (int label : row.labels()) {
        proto.addLabels(label);
      }
      response.addRows(proto);
    }
    return response.build();
  }
}
