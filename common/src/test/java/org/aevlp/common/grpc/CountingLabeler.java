package org.aevlp.common.grpc;

import io.grpc.stub.StreamObserver;
import java.util.concurrent.atomic.AtomicInteger;
import org.aevlp.proto.v1.LabelerServiceGrpc;
import org.aevlp.proto.v1.PseudoLabelRow;
import org.aevlp.proto.v1.PseudoLabelsRequest;
import org.aevlp.proto.v1.PseudoLabelsResponse;
import org.aevlp.proto.v1.SampleRef;

/** A LabelerService answering one row per sample (label 1 everywhere), counting the calls it served. */
final class CountingLabeler extends LabelerServiceGrpc.LabelerServiceImplBase {

  final AtomicInteger served = new AtomicInteger();

  @Override
  public void pseudoLabels(PseudoLabelsRequest request, StreamObserver<PseudoLabelsResponse> responses) {
    served.incrementAndGet();
    PseudoLabelsResponse.Builder response = PseudoLabelsResponse.newBuilder();
    for (SampleRef sample : request.getSamplesList()) {
      response.addRows(PseudoLabelRow.newBuilder().setIndex(sample.getIndex()).addLabels(1));
    }
    responses.onNext(response.build());
    responses.onCompleted();
  }
}
