package org.aevlp.coordinator.experiments;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.aevlp.common.runs.AtomicFileWriter;

/**
 * How an experiment was submitted ({@code submission.json} in its run directory): the client's
 * request id, which makes a repeated Submit return the same experiment even after a coordinator
 * restart, and the submission's place in the queue.
 *
 * @param requestId the client's request id (empty: none given)
 * @param sequence order of submission on this run store (FIFO across restarts)
 */
record Submission(String requestId, long sequence) {

  static final String FILE = "submission.json";
  private static final ObjectMapper JSON = new ObjectMapper();

  void write(Path runDir) throws IOException {
    ObjectNode node = JSON.createObjectNode();
    node.put("request_id", requestId);
    node.put("sequence", sequence);
    AtomicFileWriter.write(runDir.resolve(FILE), JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(node));
  }

  /** The submission of a run directory; empty for runs made without the manager (none recorded). */
  static Optional<Submission> read(Path runDir) throws IOException {
    Path file = runDir.resolve(FILE);
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    JsonNode node = JSON.readTree(file.toFile());
    if (node == null || !node.has("sequence")) {
      throw new IOException(file + ": expected an object with request_id and sequence");
    }
    return Optional.of(new Submission(node.path("request_id").asText(""), node.get("sequence").asLong()));
  }
}
