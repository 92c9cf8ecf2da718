package org.aevlp.common.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The datasets this project knows by id, read from the class path: {@code
 * org/aevlp/common/datasets/dataset_constants.json} (the reference implementation's per-dataset
 * constants plus the project's synthetic dataset) and the class-name lists it points to under
 * {@code classnames/}.
 */
public final class DatasetCatalog {

  private static final String ROOT = "/org/aevlp/common/datasets/";
  private static final String CONSTANTS = "dataset_constants.json";

  private final Map<String, DatasetInfo> datasets;

  private DatasetCatalog(Map<String, DatasetInfo> datasets) {
    this.datasets = Collections.unmodifiableMap(new LinkedHashMap<>(datasets));
  }

  /** The catalog shipped in this module's resources (loaded once). */
  public static DatasetCatalog builtIn() {
    return BuiltIn.CATALOG;
  }

  /** Ids of the known datasets, in the order of the constants file. */
  public Set<String> ids() {
    return datasets.keySet();
  }

  /** The dataset with this id, if known. */
  public Optional<DatasetInfo> find(String id) {
    return Optional.ofNullable(datasets.get(id));
  }

  /**
   * The dataset with this id.
   *
   * @throws IllegalArgumentException naming the id and the known ids when it is unknown
   */
  public DatasetInfo get(String id) {
    DatasetInfo info = datasets.get(id);
    if (info == null) {
      throw new IllegalArgumentException("dataset: unknown id \"" + id + "\", known: " + ids());
    }
    return info;
  }

  private static DatasetCatalog load() {
    JsonNode root;
    try (InputStream in = open(CONSTANTS)) {
      root = new ObjectMapper().readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + ROOT + CONSTANTS, e);
    }
    Map<String, DatasetInfo> datasets = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> entry : root.path("datasets").properties()) {
      datasets.put(entry.getKey(), toInfo(entry.getKey(), entry.getValue()));
    }
    if (datasets.isEmpty()) {
      throw new IllegalStateException(ROOT + CONSTANTS + ": no \"datasets\"");
    }
    return new DatasetCatalog(datasets);
  }

  private static DatasetInfo toInfo(String id, JsonNode node) {
    List<String> classNames = readClassNames(required(id, node, "classnames").asText());
    int declared = required(id, node, "num_classes").asInt();
    if (declared != classNames.size()) {
      // The constants and the class list must describe the same label columns.
      throw new IllegalStateException(
          "dataset " + id + ": num_classes is " + declared + " but its class list has " + classNames.size());
    }
    JsonNode relation = node.get("relation");
    return new DatasetInfo(
        id,
        classNames,
        required(id, node, "top_k").asInt(),
        required(id, node, "expected_num_pos").asDouble(),
        required(id, node, "sparse_topk").asInt(),
        required(id, node, "reweight_p").asDouble(),
        required(id, node, "T").asDouble(),
        relation == null ? Optional.empty() : Optional.of(relation.asText()));
  }

  private static JsonNode required(String id, JsonNode node, String key) {
    JsonNode value = node.get(key);
    if (value == null) {
      throw new IllegalStateException("dataset " + id + ": constants lack \"" + key + "\"");
    }
    return value;
  }

  private static List<String> readClassNames(String relativePath) {
    try (InputStream in = open(relativePath)) {
      String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      return text.lines().map(String::strip).filter(line -> !line.isEmpty()).toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + ROOT + relativePath, e);
    }
  }

  private static InputStream open(String relativePath) throws IOException {
    InputStream in = DatasetCatalog.class.getResourceAsStream(ROOT + relativePath);
    if (in == null) {
      throw new IOException("missing class-path resource " + ROOT + relativePath);
    }
    return in;
  }

  /** Lazy holder: the resources are read on first use, once. */
  private static final class BuiltIn {
    static final DatasetCatalog CATALOG = load();
  }
}
