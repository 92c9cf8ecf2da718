package org.aevlp.common.cluster;

import com.google.protobuf.InvalidProtocolBufferException;
import java.io.NotSerializableException;
import org.aevlp.common.cluster.LabelerProtocol.GetEndpoint;
import org.aevlp.common.cluster.LabelerProtocol.LabelerEndpoint;
import org.aevlp.common.cluster.WorkerProtocol.Applied;
import org.aevlp.common.cluster.WorkerProtocol.ApplyUpdate;
import org.aevlp.common.cluster.WorkerProtocol.Command;
import org.aevlp.common.cluster.WorkerProtocol.EvalSplit;
import org.aevlp.common.cluster.WorkerProtocol.LoadState;
import org.aevlp.common.cluster.WorkerProtocol.MicroBatchDone;
import org.aevlp.common.cluster.WorkerProtocol.Predict;
import org.aevlp.common.cluster.WorkerProtocol.Predictions;
import org.aevlp.common.cluster.WorkerProtocol.Prepare;
import org.aevlp.common.cluster.WorkerProtocol.Prepared;
import org.aevlp.common.cluster.WorkerProtocol.PublishState;
import org.aevlp.common.cluster.WorkerProtocol.Release;
import org.aevlp.common.cluster.WorkerProtocol.Reply;
import org.aevlp.common.cluster.WorkerProtocol.RunMicroBatch;
import org.aevlp.common.cluster.WorkerProtocol.StateLoaded;
import org.aevlp.common.cluster.WorkerProtocol.StatePart;
import org.aevlp.common.cluster.WorkerProtocol.StatePublished;
import org.aevlp.common.cluster.WorkerProtocol.StepTimings;
import org.aevlp.common.cluster.WorkerProtocol.TensorEndpoint;
import org.aevlp.common.cluster.WorkerProtocol.WorkerFailed;
import org.aevlp.common.eval.PseudoLabelCounts;
import org.aevlp.proto.v1.AppliedMsg;
import org.aevlp.proto.v1.ApplyUpdateMsg;
import org.aevlp.proto.v1.GetLabelerEndpointMsg;
import org.aevlp.proto.v1.LabelerEndpointMsg;
import org.aevlp.proto.v1.LoadStateMsg;
import org.aevlp.proto.v1.MicroBatchDoneMsg;
import org.aevlp.proto.v1.PredictMsg;
import org.aevlp.proto.v1.PredictionsMsg;
import org.aevlp.proto.v1.PrepareMsg;
import org.aevlp.proto.v1.PreparedMsg;
import org.aevlp.proto.v1.PublishStateMsg;
import org.aevlp.proto.v1.ReleaseMsg;
import org.aevlp.proto.v1.RunMicroBatchMsg;
import org.aevlp.proto.v1.StateLoadedMsg;
import org.aevlp.proto.v1.StatePublishedMsg;
import org.aevlp.proto.v1.WorkerFailedMsg;
import org.apache.pekko.actor.ExtendedActorSystem;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorRefResolver;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.serialization.SerializerWithStringManifest;

/**
 * Serializes every {@link ClusterMessage} ({@link WorkerProtocol} and {@link LabelerProtocol}) as
 * the matching protobuf message of {@code cluster.proto}; actor references travel as the strings of {@link ActorRefResolver}. The manifest
 * is the protocol record's simple name. Bound in this module's {@code reference.conf}.
 */
public final class ClusterMessageSerializer extends SerializerWithStringManifest {

  /** Serializer id; unique among the serializers of the actor system. */
  static final int IDENTIFIER = 7_410_001;

  private final ExtendedActorSystem system;
  private volatile ActorRefResolver resolver;

  public ClusterMessageSerializer(ExtendedActorSystem system) {
    this.system = system;
  }

  @Override
  public int identifier() {
    return IDENTIFIER;
  }

  @Override
  public String manifest(Object message) {
    return message.getClass().getSimpleName();
  }

  @Override
  public byte[] toBinary(Object message) {
    return toProto(message).toByteArray();
  }

  @Override
  public Object fromBinary(byte[] bytes, String manifest) throws NotSerializableException {
    try {
      return fromProto(bytes, manifest);
    } catch (InvalidProtocolBufferException e) {
      throw new NotSerializableException("cannot parse " + manifest + ": " + e.getMessage());
    }
  }

  private com.google.protobuf.Message toProto(Object message) {
    if (message instanceof Prepare m) {
      return PrepareMsg.newBuilder()
          .setExperimentId(m.experimentId())
          .setSpecJson(m.specJson())
          .setTensorEndpoint(m.tensorEndpoint().address())
          .setTensorStoreId(m.tensorEndpoint().storeId())
          .setReplyTo(ref(m.replyTo()))
          .build();
    }
    if (message instanceof RunMicroBatch m) {
      return RunMicroBatchMsg.newBuilder()
          .setExperimentId(m.experimentId())
          .setEpoch(m.epoch())
          .setStep(m.step())
          .setSlot(m.slot())
          .addAllIndices(m.indices())
          .setAttempt(m.attempt())
          .addAllNextIndices(m.nextIndices())
          .setApplyLocally(m.applyLocally())
          .setHeadOnly(m.headOnly())
          .setReplyTo(ref(m.replyTo()))
          .build();
    }
    if (message instanceof ApplyUpdate m) {
      return ApplyUpdateMsg.newBuilder()
          .setExperimentId(m.experimentId())
          .setEpoch(m.epoch())
          .setStep(m.step())
          .setTensorKey(m.tensorKey())
          .setHeadOnly(m.headOnly())
          .setReplyTo(ref(m.replyTo()))
          .build();
    }
    if (message instanceof PublishState m) {
      return PublishStateMsg.newBuilder()
          .setExperimentId(m.experimentId())
          .setPart(toProto(m.part()))
          .setTensorKey(m.tensorKey())
          .setReplyTo(ref(m.replyTo()))
          .build();
    }
    if (message instanceof LoadState m) {
      return LoadStateMsg.newBuilder()
          .setExperimentId(m.experimentId())
          .setPart(toProto(m.part()))
          .setTensorKey(m.tensorKey())
          .setReplyTo(ref(m.replyTo()))
          .build();
    }
    if (message instanceof Predict m) {
      return PredictMsg.newBuilder()
          .setExperimentId(m.experimentId())
          .setSplit(toProto(m.split()))
          .addAllIndices(m.indices())
          .setReplyTo(ref(m.replyTo()))
          .build();
    }
    if (message instanceof Release m) {
      return ReleaseMsg.newBuilder().setExperimentId(m.experimentId()).build();
    }
    if (message instanceof Prepared m) {
      return PreparedMsg.newBuilder()
          .setExperimentId(m.experimentId())
          .setWorker(ref(m.worker()))
          .setParameterFloats(m.parameterFloats())
          .setStatisticFloats(m.statisticFloats())
          .build();
    }
    if (message instanceof MicroBatchDone m) {
      return MicroBatchDoneMsg.newBuilder()
          .setExperimentId(m.experimentId())
          .setWorker(ref(m.worker()))
          .setEpoch(m.epoch())
          .setStep(m.step())
          .setSlot(m.slot())
          .setAttempt(m.attempt())
          .setSamples(m.samples())
          .addAllUsedIndices(m.usedIndices())
          .setLossSum(m.lossSum())
          .setGradientKey(m.gradientKey())
          .setPlCorrect(m.pseudoLabels().correct())
          .setPlPredicted(m.pseudoLabels().predicted())
          .setPlPositives(m.pseudoLabels().positives())
          .setDataSeconds(m.timings().dataSeconds())
          .setComputeSeconds(m.timings().computeSeconds())
          .setExchangeSeconds(m.timings().exchangeSeconds())
          .build();
    }
    if (message instanceof Applied m) {
      return AppliedMsg.newBuilder()
          .setExperimentId(m.experimentId())
          .setWorker(ref(m.worker()))
          .setStep(m.step())
          .setExchangeSeconds(m.exchangeSeconds())
          .setApplySeconds(m.applySeconds())
          .build();
    }
    if (message instanceof StatePublished m) {
      return StatePublishedMsg.newBuilder()
          .setExperimentId(m.experimentId())
          .setWorker(ref(m.worker()))
          .setPart(toProto(m.part()))
          .setTensorKey(m.tensorKey())
          .build();
    }
    if (message instanceof StateLoaded m) {
      return StateLoadedMsg.newBuilder()
          .setExperimentId(m.experimentId())
          .setWorker(ref(m.worker()))
          .setPart(toProto(m.part()))
          .build();
    }
    if (message instanceof Predictions m) {
      PredictionsMsg.Builder builder = PredictionsMsg.newBuilder()
          .setExperimentId(m.experimentId())
          .setWorker(ref(m.worker()))
          .setSplit(toProto(m.split()))
          .addAllIndices(m.indices())
          .setNumClasses(m.numClasses())
          .addAllSkipped(m.skipped());
      for (float score : m.scores()) {
        builder.addScores(score);
      }
      return builder.build();
    }
    if (message instanceof WorkerFailed m) {
      return WorkerFailedMsg.newBuilder()
          .setExperimentId(m.experimentId())
          .setWorker(ref(m.worker()))
          .setReason(m.reason())
          .build();
    }
    if (message instanceof GetEndpoint m) {
      return GetLabelerEndpointMsg.newBuilder().setReplyTo(ref(m.replyTo())).build();
    }
    if (message instanceof LabelerEndpoint m) {
      return LabelerEndpointMsg.newBuilder()
          .setLabeler(ref(m.labeler()))
          .setHost(m.host())
          .setPort(m.port())
          .build();
    }
    throw new IllegalArgumentException(
        "no protobuf mapping for " + message.getClass().getName() + " (worker-internal messages never leave the JVM)");
  }

  private Object fromProto(byte[] bytes, String manifest)
      throws InvalidProtocolBufferException, NotSerializableException {
    switch (manifest) {
      case "Prepare" -> {
        PrepareMsg m = PrepareMsg.parseFrom(bytes);
        return new Prepare(m.getExperimentId(), m.getSpecJson(),
            endpoint(m.getTensorEndpoint(), m.getTensorStoreId()), replyRef(m.getReplyTo()));
      }
      case "RunMicroBatch" -> {
        RunMicroBatchMsg m = RunMicroBatchMsg.parseFrom(bytes);
        return new RunMicroBatch(m.getExperimentId(), m.getEpoch(), m.getStep(), m.getSlot(), m.getIndicesList(),
            m.getAttempt(), m.getNextIndicesList(), m.getApplyLocally(), m.getHeadOnly(), replyRef(m.getReplyTo()));
      }
      case "ApplyUpdate" -> {
        ApplyUpdateMsg m = ApplyUpdateMsg.parseFrom(bytes);
        return new ApplyUpdate(m.getExperimentId(), m.getEpoch(), m.getStep(), m.getTensorKey(), m.getHeadOnly(),
            replyRef(m.getReplyTo()));
      }
      case "PublishState" -> {
        PublishStateMsg m = PublishStateMsg.parseFrom(bytes);
        return new PublishState(m.getExperimentId(), fromProto(m.getPart()), m.getTensorKey(),
            replyRef(m.getReplyTo()));
      }
      case "LoadState" -> {
        LoadStateMsg m = LoadStateMsg.parseFrom(bytes);
        return new LoadState(m.getExperimentId(), fromProto(m.getPart()), m.getTensorKey(), replyRef(m.getReplyTo()));
      }
      case "Predict" -> {
        PredictMsg m = PredictMsg.parseFrom(bytes);
        return new Predict(m.getExperimentId(), fromProto(m.getSplit()), m.getIndicesList(), replyRef(m.getReplyTo()));
      }
      case "Release" -> {
        return new Release(ReleaseMsg.parseFrom(bytes).getExperimentId());
      }
      case "Prepared" -> {
        PreparedMsg m = PreparedMsg.parseFrom(bytes);
        return new Prepared(m.getExperimentId(), workerRef(m.getWorker()), m.getParameterFloats(),
            m.getStatisticFloats());
      }
      case "MicroBatchDone" -> {
        MicroBatchDoneMsg m = MicroBatchDoneMsg.parseFrom(bytes);
        if (m.getSamples() != m.getUsedIndicesCount()) {
          throw new NotSerializableException("MicroBatchDone: samples " + m.getSamples() + " but "
              + m.getUsedIndicesCount() + " used_indices");
        }
        return new MicroBatchDone(m.getExperimentId(), workerRef(m.getWorker()), m.getEpoch(), m.getStep(),
            m.getSlot(), m.getAttempt(), m.getUsedIndicesList(), m.getLossSum(), m.getGradientKey(),
            new PseudoLabelCounts(m.getPlCorrect(), m.getPlPredicted(), m.getPlPositives()),
            new StepTimings(m.getDataSeconds(), m.getComputeSeconds(), m.getExchangeSeconds()));
      }
      case "Applied" -> {
        AppliedMsg m = AppliedMsg.parseFrom(bytes);
        return new Applied(m.getExperimentId(), workerRef(m.getWorker()), m.getStep(), m.getExchangeSeconds(),
            m.getApplySeconds());
      }
      case "StatePublished" -> {
        StatePublishedMsg m = StatePublishedMsg.parseFrom(bytes);
        return new StatePublished(m.getExperimentId(), workerRef(m.getWorker()), fromProto(m.getPart()),
            m.getTensorKey());
      }
      case "StateLoaded" -> {
        StateLoadedMsg m = StateLoadedMsg.parseFrom(bytes);
        return new StateLoaded(m.getExperimentId(), workerRef(m.getWorker()), fromProto(m.getPart()));
      }
      case "Predictions" -> {
        PredictionsMsg m = PredictionsMsg.parseFrom(bytes);
        float[] scores = new float[m.getScoresCount()];
        for (int i = 0; i < scores.length; i++) {
          scores[i] = m.getScores(i);
        }
        return new Predictions(m.getExperimentId(), workerRef(m.getWorker()), fromProto(m.getSplit()),
            m.getIndicesList(), scores, m.getNumClasses(), m.getSkippedList());
      }
      case "WorkerFailed" -> {
        WorkerFailedMsg m = WorkerFailedMsg.parseFrom(bytes);
        return new WorkerFailed(m.getExperimentId(), workerRef(m.getWorker()), m.getReason());
      }
      case "GetEndpoint" -> {
        return new GetEndpoint(resolver().resolveActorRef(GetLabelerEndpointMsg.parseFrom(bytes).getReplyTo()));
      }
      case "LabelerEndpoint" -> {
        LabelerEndpointMsg m = LabelerEndpointMsg.parseFrom(bytes);
        try {
          return new LabelerEndpoint(resolver().resolveActorRef(m.getLabeler()), m.getHost(), m.getPort());
        } catch (IllegalArgumentException e) {
          throw new NotSerializableException("LabelerEndpoint: " + e.getMessage());
        }
      }
      default -> throw new NotSerializableException("unknown cluster message manifest " + manifest);
    }
  }

  private static TensorEndpoint endpoint(String address, String storeId) throws NotSerializableException {
    int colon = address.lastIndexOf(':');
    if (colon <= 0) {
      throw new NotSerializableException("tensor_endpoint: expected host:port, got '" + address + "'");
    }
    try {
      return new TensorEndpoint(address.substring(0, colon), Integer.parseInt(address.substring(colon + 1)), storeId);
    } catch (IllegalArgumentException e) {
      throw new NotSerializableException("tensor_endpoint '" + address + "': " + e.getMessage());
    }
  }

  private static org.aevlp.proto.v1.StatePart toProto(StatePart part) {
    return switch (part) {
      case WHOLE_REPLICA -> org.aevlp.proto.v1.StatePart.WHOLE_REPLICA;
      case RUNNING_STATISTICS -> org.aevlp.proto.v1.StatePart.RUNNING_STATISTICS;
      case TRAINABLE_PARAMETERS -> org.aevlp.proto.v1.StatePart.TRAINABLE_PARAMETERS;
    };
  }

  private static StatePart fromProto(org.aevlp.proto.v1.StatePart part) throws NotSerializableException {
    return switch (part) {
      case WHOLE_REPLICA -> StatePart.WHOLE_REPLICA;
      case RUNNING_STATISTICS -> StatePart.RUNNING_STATISTICS;
      case TRAINABLE_PARAMETERS -> StatePart.TRAINABLE_PARAMETERS;
      default -> throw new NotSerializableException("part: unsupported state part " + part);
    };
  }

  private static org.aevlp.proto.v1.EvalSplit toProto(EvalSplit split) {
    return split == EvalSplit.VALIDATION ? org.aevlp.proto.v1.EvalSplit.VALIDATION : org.aevlp.proto.v1.EvalSplit.TEST;
  }

  private static EvalSplit fromProto(org.aevlp.proto.v1.EvalSplit split) throws NotSerializableException {
    return switch (split) {
      case VALIDATION -> EvalSplit.VALIDATION;
      case TEST -> EvalSplit.TEST;
      default -> throw new NotSerializableException("split: unsupported evaluation split " + split);
    };
  }

  private String ref(ActorRef<?> ref) {
    return resolver().toSerializationFormat(ref);
  }

  private ActorRef<Reply> replyRef(String path) {
    return resolver().resolveActorRef(path);
  }

  private ActorRef<Command> workerRef(String path) {
    return resolver().resolveActorRef(path);
  }

  private ActorRefResolver resolver() {
    // created lazily: serializers are constructed while the actor system is still starting
    ActorRefResolver r = resolver;
    if (r == null) {
      r = ActorRefResolver.get(Adapter.toTyped(system));
      resolver = r;
    }
    return r;
  }
}
