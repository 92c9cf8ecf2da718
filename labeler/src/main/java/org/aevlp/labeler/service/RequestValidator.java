package org.aevlp.labeler.service;

import static org.aevlp.labeler.service.InvalidRequestException.invalid;

import io.grpc.Status;
import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.aevlp.common.image.ImageCodec;
import org.aevlp.common.image.RgbImage;
import org.aevlp.proto.v1.ImageInput;
import org.aevlp.proto.v1.PseudoLabelsForImagesRequest;
import org.aevlp.proto.v1.PseudoLabelsRequest;
import org.aevlp.proto.v1.SampleRef;

/**
 * Checks labeler requests and translates them into {@link LabelingTask}s; every problem is an
 * {@link InvalidRequestException} naming the field ({@code dataset_id}, {@code epoch},
 * {@code samples}, {@code samples[i].index}, {@code samples[i].observed}, {@code images[i].key},
 * {@code images[i].encoded}, {@code params.<field>}).
 */
public final class RequestValidator {

  private final DampLabeler labeler;
  private final DampParamsResolver params;
  private final int maxItemsPerRequest;

  /**
   * @param maxItemsPerRequest most samples (or images) one request may carry
   * @param maxGridSize largest grid_size accepted
   */
  public RequestValidator(DampLabeler labeler, int maxItemsPerRequest, int maxGridSize) {
    if (maxItemsPerRequest < 1) {
      throw new IllegalArgumentException("maxItemsPerRequest must be >= 1, got " + maxItemsPerRequest);
    }
    this.labeler = labeler;
    this.params = new DampParamsResolver(maxGridSize);
    this.maxItemsPerRequest = maxItemsPerRequest;
  }

  /** The task of a PseudoLabels request (sample references). */
  public LabelingTask validate(PseudoLabelsRequest request) throws InvalidRequestException {
    LabelerDataset dataset = dataset(request.getDatasetId());
    requireEpoch(request.getEpoch());
    requireCount("samples", request.getSamplesCount());
    DampParamsResolver.Resolved resolved = resolve(request.getParams(), dataset);
    List<LabelingItem> items = new ArrayList<>(request.getSamplesCount());
    for (int i = 0; i < request.getSamplesCount(); i++) {
      SampleRef sample = request.getSamples(i);
      String field = "samples[" + i + "]";
      if (sample.getIndex() < 0 || sample.getIndex() >= dataset.size()) {
        throw new InvalidRequestException(
            Status.Code.OUT_OF_RANGE, field + ".index",
            sample.getIndex() + " is outside [0, " + dataset.size() + "), the training rows of dataset " + dataset.id());
      }
      int[] observed = observed(field + ".observed", sample.getObservedList(), dataset.numClasses());
      items.add(new LabelingItem.DatasetSample((int) sample.getIndex(), observed));
    }
    return new LabelingTask(
        dataset.id(), request.getEpoch(), request.getSeed(), resolved.params(), resolved.useRefinement(), items);
  }

  /** The task of a PseudoLabelsForImages request (encoded images, decoded here). */
  public LabelingTask validate(PseudoLabelsForImagesRequest request) throws InvalidRequestException {
    LabelerDataset dataset = dataset(request.getDatasetId());
    requireEpoch(request.getEpoch());
    requireCount("images", request.getImagesCount());
    DampParamsResolver.Resolved resolved = resolve(request.getParams(), dataset);
    int gridSize = resolved.params().gridSize();
    List<LabelingItem> items = new ArrayList<>(request.getImagesCount());
    for (int i = 0; i < request.getImagesCount(); i++) {
      ImageInput input = request.getImages(i);
      String field = "images[" + i + "]";
      if (input.getKey() < 0 || input.getKey() > Integer.MAX_VALUE) {
        throw invalid(field + ".key", "must be in [0, " + Integer.MAX_VALUE + "], got " + input.getKey());
      }
      int[] observed = observed(field + ".observed", input.getObservedList(), dataset.numClasses());
      byte[] encoded = input.getEncoded().toByteArray();
      if (encoded.length == 0) {
        throw invalid(field + ".encoded", "is empty; send a JPEG or PNG image");
      }
      RgbImage image;
      try {
        image = ImageCodec.decode(encoded);
      } catch (IOException e) {
        throw invalid(field + ".encoded", "cannot be decoded as an image: " + e.getMessage());
      }
      if (image.width() < gridSize || image.height() < gridSize) {
        throw invalid(field + ".encoded", "the " + image.width() + "x" + image.height()
            + " image is smaller than grid_size " + gridSize + " tiles per side");
      }
      items.add(new LabelingItem.InlineImage((int) input.getKey(), image, sha256(encoded), observed));
    }
    return new LabelingTask(
        dataset.id(), request.getEpoch(), request.getSeed(), resolved.params(), resolved.useRefinement(), items);
  }

  private LabelerDataset dataset(String id) throws InvalidRequestException {
    if (id.isEmpty()) {
      throw invalid("dataset_id", "is required; this labeler serves " + labeler.datasetIds());
    }
    return labeler.dataset(id).orElseThrow(
        () -> invalid("dataset_id", "unknown dataset \"" + id + "\"; this labeler serves " + labeler.datasetIds()));
  }

  private static void requireEpoch(int epoch) throws InvalidRequestException {
    if (epoch < 1) {
      throw invalid("epoch", "must be >= 1 (epochs are 1-based), got " + epoch);
    }
  }

  private void requireCount(String field, int count) throws InvalidRequestException {
    if (count == 0) {
      throw invalid(field, "must not be empty");
    }
    if (count > maxItemsPerRequest) {
      throw invalid(field, count + " entries exceed this labeler's limit of " + maxItemsPerRequest
          + " per request; split the request");
    }
  }

  private DampParamsResolver.Resolved resolve(org.aevlp.proto.v1.DampParams message, LabelerDataset dataset)
      throws InvalidRequestException {
    return params.resolve(message, dataset, labeler.textEmbeddings(dataset.id()).canRefine());
  }

  /** The observed vector as 0/1 (−1, an observed negative, counts as 0 here: only the positive matters). */
  private static int[] observed(String field, List<Float> values, int classes) throws InvalidRequestException {
    if (values.size() != classes) {
      throw invalid(field, "must have one entry per class (" + classes + "), got " + values.size());
    }
    int[] observed = new int[classes];
    int positives = 0;
    for (int c = 0; c < classes; c++) {
      float value = values.get(c);
      if (value == 1f) {
        observed[c] = 1;
        positives++;
      } else if (value != 0f && value != -1f) {
        throw invalid(field, "entry " + c + " is " + value + "; entries must be 1, 0 or -1");
      }
    }
    if (positives != 1) {
      throw invalid(field, "must have exactly one positive (1), got " + positives);
    }
    return observed;
  }

  private static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM provides SHA-256", e);
    }
  }
}
