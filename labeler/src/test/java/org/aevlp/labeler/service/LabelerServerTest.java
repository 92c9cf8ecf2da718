package org.aevlp.labeler.service;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.util.concurrent.ListenableFuture;
import com.google.protobuf.ByteString;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.reflection.v1.ServerReflectionGrpc;
import io.grpc.reflection.v1.ServerReflectionRequest;
import io.grpc.reflection.v1.ServerReflectionResponse;
import io.grpc.reflection.v1.ServiceResponse;
import io.grpc.stub.StreamObserver;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.IntStream;
import org.aevlp.common.image.ImageCodec;
import org.aevlp.common.image.RgbImage;
import org.aevlp.common.image.ViewFlips;
import org.aevlp.labeler.bench.UntrainedTinyVlmScorer;
import org.aevlp.labeler.cache.EmbeddingCache;
import org.aevlp.labeler.cache.ViewKey;
import org.aevlp.proto.v1.DampParams;
import org.aevlp.proto.v1.ImageInput;
import org.aevlp.proto.v1.LabelerServiceGrpc;
import org.aevlp.proto.v1.PseudoLabelRow;
import org.aevlp.proto.v1.PseudoLabelsForImagesRequest;
import org.aevlp.proto.v1.PseudoLabelsRequest;
import org.aevlp.proto.v1.PseudoLabelsResponse;
import org.aevlp.proto.v1.SampleRef;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real labeler server on a loopback port, called through the generated stubs. */
class LabelerServerTest {

  /** Tests use disjoint samples: cache keys carry no epoch or seed, so shared samples would mix. */
  private static final int TRAIN_IMAGES = 64;
  private static final int MAX_ITEMS = 16;
  private static final DampParams GRID_2 = DampParams.newBuilder().setGridSize(2).setThreshold(0.1).build();

  @TempDir static Path dataDir;
  private static UntrainedTinyVlmScorer scorer;
  private static PrometheusMeterRegistry registry;
  private static LabelerServer server;
  private static ManagedChannel channel;
  private static LabelerServiceGrpc.LabelerServiceBlockingStub blocking;
  private static LabelerServiceGrpc.LabelerServiceFutureStub futures;

  @BeforeAll
  static void start() throws Exception {
    LabelerDataset dataset = SyntheticFixture.dataset(dataDir, TRAIN_IMAGES);
    scorer = SyntheticFixture.scorer();
    registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    LabelerSettings settings = LabelerSettings.defaults()
        .withBindAddress("127.0.0.1")
        .withPort(0)
        .withCache(64L << 20, false)
        .withMaxItemsPerRequest(MAX_ITEMS);
    server = LabelerServer.start(settings, scorer, List.of(dataset), registry);
    channel = NettyChannelBuilder.forAddress("127.0.0.1", server.port()).usePlaintext().build();
    blocking = LabelerServiceGrpc.newBlockingStub(channel).withDeadlineAfter(60, TimeUnit.SECONDS);
    futures = LabelerServiceGrpc.newFutureStub(channel).withDeadlineAfter(60, TimeUnit.SECONDS);
  }

  @AfterAll
  static void stop() throws Exception {
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    server.close();
    scorer.close();
    registry.close();
  }

  private static SampleRef sample(int index) {
    SampleRef.Builder ref = SampleRef.newBuilder().setIndex(index);
    for (int c = 0; c < SyntheticFixture.CLASSES; c++) {
      ref.addObserved(c == index % SyntheticFixture.CLASSES ? 1f : 0f);
    }
    return ref.build();
  }

  private static PseudoLabelsRequest request(int epoch, long seed, int... indices) {
    PseudoLabelsRequest.Builder request =
        PseudoLabelsRequest.newBuilder().setDatasetId("synthetic").setEpoch(epoch).setSeed(seed).setParams(GRID_2);
    for (int index : indices) {
      request.addSamples(sample(index));
    }
    return request.build();
  }

  private static List<List<Integer>> labels(PseudoLabelsResponse response) {
    return response.getRowsList().stream().map(PseudoLabelRow::getLabelsList).toList();
  }

  @Test
  void eachSampleGetsOneRowOfClassLabelsInRequestOrder() {
    PseudoLabelsResponse response = blocking.pseudoLabels(request(1, 11, 43, 42, 44));
    assertEquals(3, response.getRowsCount());
    assertEquals(List.of(43L, 42L, 44L), response.getRowsList().stream().map(PseudoLabelRow::getIndex).toList());
    for (PseudoLabelRow row : response.getRowsList()) {
      assertEquals(SyntheticFixture.CLASSES, row.getLabelsCount());
      assertTrue(row.getLabelsList().stream().allMatch(label -> label == 0 || label == 1), row.toString());
      assertFalse(row.getImageUnreadable());
    }
  }

  @Test
  void theSameEpochAndSeedGiveTheSameRowsAndTheSecondCallHitsTheCache() {
    PseudoLabelsResponse first = blocking.pseudoLabels(request(3, 21, 38, 39, 40, 41));
    PseudoLabelsResponse second = blocking.pseudoLabels(request(3, 21, 38, 39, 40, 41));
    assertEquals(labels(first), labels(second));
    assertEquals(4, second.getCacheHits());
  }

  @Test
  void anotherEpochDrawsOtherViewFlips() {
    long seed = 31;
    int[] samples = {32, 33, 34, 35, 36, 37};
    blocking.pseudoLabels(request(1, seed, samples));
    EmbeddingCache cache = server.labeler().cache();
    int differing = 0;
    for (int sample : samples) {
      for (int v = 0; v < 5; v++) {
        boolean first = new ViewFlips(seed).isFlipped(1, sample, v);
        assertTrue(cache.contains(key(sample, v, first)), "epoch 1 view " + v + " of " + sample);
        assertFalse(cache.contains(key(sample, v, !first)), "the server embedded a flip epoch 1 did not draw");
        differing += first == new ViewFlips(seed).isFlipped(2, sample, v) ? 0 : 1;
      }
    }
    assertTrue(differing > 0);

    PseudoLabelsResponse epoch2 = blocking.pseudoLabels(request(2, seed, samples));
    assertTrue(epoch2.getCacheHits() < samples.length, "epoch 2 must need views epoch 1 did not draw");
    for (int sample : samples) {
      for (int v = 0; v < 5; v++) {
        assertTrue(cache.contains(key(sample, v, new ViewFlips(seed).isFlipped(2, sample, v))));
      }
    }
  }

  private static ViewKey key(int sample, int view, boolean flipped) {
    return ViewKey.of("synthetic", sample, 2, view, flipped);
  }

  @Test
  void eightConcurrentCallersAreAllAnswered() throws Exception {
    List<ListenableFuture<PseudoLabelsResponse>> calls = new ArrayList<>();
    for (int caller = 0; caller < 8; caller++) {
      int base = caller * 4;
      calls.add(futures.pseudoLabels(request(5, 41, base, base + 1, base + 2, base + 3)));
    }
    for (int caller = 0; caller < 8; caller++) {
      PseudoLabelsResponse response = calls.get(caller).get(60, TimeUnit.SECONDS);
      int base = caller * 4;
      assertEquals(List.of((long) base, base + 1L, base + 2L, base + 3L),
          response.getRowsList().stream().map(PseudoLabelRow::getIndex).toList());
    }
  }

  @Test
  void everyBadRequestGetsItsStatusNamingTheFieldWhileAGoodOneSucceeds() throws Exception {
    ListenableFuture<PseudoLabelsResponse> good = futures.pseudoLabels(request(7, 51, 45, 46, 47, 48, 49, 50));

    Map<String, PseudoLabelsRequest> badSamples = new LinkedHashMap<>();
    PseudoLabelsRequest base = request(1, 1, 0, 1);
    badSamples.put("dataset_id", base.toBuilder().setDatasetId("pascal").build());
    badSamples.put("dataset_id ", base.toBuilder().setDatasetId("").build());
    badSamples.put("epoch", base.toBuilder().setEpoch(0).build());
    badSamples.put("samples", base.toBuilder().clearSamples().build());
    badSamples.put("samples  ", request(1, 1, IntStream.range(0, MAX_ITEMS + 1).toArray()));
    badSamples.put("samples[0].observed", base.toBuilder().setSamples(0, sample(0).toBuilder().clearObserved().addAllObserved(sample(0).getObservedList().subList(0, 9))).build());
    badSamples.put("samples[1].observed", base.toBuilder().setSamples(1, sample(1).toBuilder().setObserved(5, 1f)).build());
    badSamples.put("samples[1].observed ", base.toBuilder().setSamples(1, sample(1).toBuilder().setObserved(1, 0f)).build());
    badSamples.put("samples[0].observed  ", base.toBuilder().setSamples(0, sample(0).toBuilder().setObserved(3, 0.5f)).build());
    badSamples.put("params.temp", withParams(base, GRID_2.toBuilder().setTemp(0)));
    badSamples.put("params.grid_size", withParams(base, GRID_2.toBuilder().setGridSize(0)));
    badSamples.put("params.grid_size ", withParams(base, GRID_2.toBuilder().setGridSize(9)));
    badSamples.put("params.top_k", withParams(base, GRID_2.toBuilder().setTopK(11)));
    badSamples.put("params.eta", withParams(base, GRID_2.toBuilder().setEta(1.5)));
    badSamples.put("params.threshold", withParams(base, GRID_2.toBuilder().setThreshold(Double.NaN)));
    badSamples.put("params.negative_ratio", withParams(base, GRID_2.toBuilder().setNegativeRatio(-0.1)));
    badSamples.put("params.use_refinement", withParams(base, GRID_2.toBuilder().setUseRefinement(true)));
    for (Map.Entry<String, PseudoLabelsRequest> bad : badSamples.entrySet()) {
      assertRejected(Status.Code.INVALID_ARGUMENT, bad.getKey().strip(), () -> blocking.pseudoLabels(bad.getValue()));
    }
    for (long index : new long[] {TRAIN_IMAGES, -1, 1L << 40}) {
      PseudoLabelsRequest outOfRange = base.toBuilder().setSamples(1, sample(1).toBuilder().setIndex(index)).build();
      assertRejected(Status.Code.OUT_OF_RANGE, "samples[1].index", () -> blocking.pseudoLabels(outOfRange));
    }

    PseudoLabelsForImagesRequest images = imagesRequest(Files.readAllBytes(dataDir.resolve("images/train_00000.png")), 0);
    assertRejected(Status.Code.INVALID_ARGUMENT, "images[0].encoded",
        () -> blocking.pseudoLabelsForImages(images.toBuilder()
            .setImages(0, images.getImages(0).toBuilder().setEncoded(ByteString.copyFromUtf8("not an image"))).build()));
    assertRejected(Status.Code.INVALID_ARGUMENT, "images[0].encoded",
        () -> blocking.pseudoLabelsForImages(images.toBuilder()
            .setImages(0, images.getImages(0).toBuilder().setEncoded(ByteString.EMPTY)).build()));
    byte[] tiny = ImageCodec.encodePng(RgbImage.of(1, 1, new byte[3]));
    assertRejected(Status.Code.INVALID_ARGUMENT, "images[0].encoded",
        () -> blocking.pseudoLabelsForImages(images.toBuilder()
            .setImages(0, images.getImages(0).toBuilder().setEncoded(ByteString.copyFrom(tiny))).build()));
    assertRejected(Status.Code.INVALID_ARGUMENT, "images[0].key",
        () -> blocking.pseudoLabelsForImages(images.toBuilder()
            .setImages(0, images.getImages(0).toBuilder().setKey(-1)).build()));
    assertRejected(Status.Code.INVALID_ARGUMENT, "images[0].observed",
        () -> blocking.pseudoLabelsForImages(images.toBuilder()
            .setImages(0, images.getImages(0).toBuilder().clearObserved()).build()));
    assertRejected(Status.Code.INVALID_ARGUMENT, "images",
        () -> blocking.pseudoLabelsForImages(images.toBuilder().clearImages().build()));

    assertEquals(6, good.get(60, TimeUnit.SECONDS).getRowsCount());
    assertEquals(2, blocking.pseudoLabels(base).getRowsCount(), "the server keeps serving after bad requests");
  }

  private static PseudoLabelsRequest withParams(PseudoLabelsRequest request, DampParams.Builder params) {
    return request.toBuilder().setParams(params).build();
  }

  private static void assertRejected(Status.Code code, String field, Runnable call) {
    StatusRuntimeException error = assertThrows(StatusRuntimeException.class, call::run, field);
    assertEquals(code, error.getStatus().getCode(), field + ": " + error.getStatus());
    String description = error.getStatus().getDescription();
    assertTrue(description != null && description.startsWith(field + ":"),
        "the description must name " + field + ", got: " + description);
  }

  private static PseudoLabelsForImagesRequest imagesRequest(byte[] png, long key) {
    ImageInput.Builder image = ImageInput.newBuilder().setEncoded(ByteString.copyFrom(png)).setKey(key);
    for (int c = 0; c < SyntheticFixture.CLASSES; c++) {
      image.addObserved(c == 0 ? 1f : 0f);
    }
    return PseudoLabelsForImagesRequest.newBuilder()
        .setDatasetId("synthetic").setEpoch(1).setSeed(61).setParams(GRID_2).addImages(image).build();
  }

  @Test
  void encodedImagesAreLabelledLikeTheDatasetSampleWithTheSameKey() throws Exception {
    byte[] png = Files.readAllBytes(dataDir.resolve("images/train_00051.png"));
    PseudoLabelsResponse fromImage = blocking.pseudoLabelsForImages(imagesRequest(png, 51));
    SampleRef ref = SampleRef.newBuilder().setIndex(51).addAllObserved(imagesRequest(png, 51).getImages(0).getObservedList()).build();
    PseudoLabelsResponse fromSample = blocking.pseudoLabels(
        PseudoLabelsRequest.newBuilder().setDatasetId("synthetic").setEpoch(1).setSeed(61).setParams(GRID_2)
            .addSamples(ref).build());
    assertEquals(51L, fromImage.getRows(0).getIndex());
    assertEquals(labels(fromSample), labels(fromImage));
    assertEquals(1, blocking.pseudoLabelsForImages(imagesRequest(png, 51)).getCacheHits(), "cached by content");
  }

  @Test
  void healthReportsServing() {
    HealthGrpc.HealthBlockingStub health = HealthGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS);
    for (String service : List.of("", LabelerServiceGrpc.SERVICE_NAME)) {
      assertEquals(HealthCheckResponse.ServingStatus.SERVING,
          health.check(HealthCheckRequest.newBuilder().setService(service).build()).getStatus(), service);
    }
  }

  @Test
  void reflectionListsTheServices() throws Exception {
    CompletableFuture<List<String>> services = new CompletableFuture<>();
    StreamObserver<ServerReflectionRequest> requests = ServerReflectionGrpc.newStub(channel)
        .withDeadlineAfter(10, TimeUnit.SECONDS)
        .serverReflectionInfo(observer(response -> services.complete(
            response.getListServicesResponse().getServiceList().stream().map(ServiceResponse::getName).toList()),
            services::completeExceptionally));
    requests.onNext(ServerReflectionRequest.newBuilder().setListServices("*").build());
    requests.onCompleted();
    List<String> names = services.get(10, TimeUnit.SECONDS);
    assertTrue(names.containsAll(List.of(
        "aevlp.v1.LabelerService", "grpc.health.v1.Health", "grpc.reflection.v1.ServerReflection")), names.toString());
  }

  private static StreamObserver<ServerReflectionResponse> observer(
      Consumer<ServerReflectionResponse> onResponse, Consumer<Throwable> onError) {
    return new StreamObserver<>() {
      @Override
      public void onNext(ServerReflectionResponse response) {
        onResponse.accept(response);
      }

      @Override
      public void onError(Throwable error) {
        onError.accept(error);
      }

      @Override
      public void onCompleted() {}
    };
  }

  @Test
  void metricsAreExportedUnderPrometheusNames() {
    blocking.pseudoLabels(request(9, 71, 52, 53));
    assertThrows(StatusRuntimeException.class, () -> blocking.pseudoLabels(request(0, 71, 52)));
    String scrape = registry.scrape();
    for (String series : List.of(
        "aevlp_labeler_requests_total{method=\"PseudoLabels\",status=\"OK\"}",
        "aevlp_labeler_requests_total{method=\"PseudoLabels\",status=\"INVALID_ARGUMENT\"}",
        "aevlp_labeler_request_seconds_bucket{method=\"PseudoLabels\"",
        "aevlp_labeler_request_seconds_count{method=\"PseudoLabels\"}",
        "aevlp_labeler_queue_seconds_bucket{le=",
        "aevlp_labeler_queue_seconds_count ",
        "aevlp_labeler_compute_seconds_bucket{le=",
        "aevlp_labeler_compute_seconds_count ",
        "aevlp_labeler_batch_size_bucket{le=\"4.0\"}",
        "aevlp_labeler_batch_size_count ",
        "aevlp_labeler_cache_hits_total ",
        "aevlp_labeler_cache_misses_total ",
        "aevlp_labeler_images_scored_total ",
        "aevlp_labeler_views_embedded_total ",
        "aevlp_labeler_queue_depth ",
        "aevlp_labeler_dropped_total{reason=\"rejected\"} 0.0",
        "aevlp_labeler_dropped_total{reason=\"expired\"} 0.0")) {
      assertTrue(scrape.contains(series), series + " missing from:\n" + scrape);
    }
    assertTrue(scrape.contains("# TYPE aevlp_labeler_requests_total counter")
        || scrape.contains("# TYPE aevlp_labeler_requests counter"), "requests must be a counter");
  }
}
