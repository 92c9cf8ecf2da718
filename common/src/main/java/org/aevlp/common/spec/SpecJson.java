package org.aevlp.common.spec;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.aevlp.proto.v1.ExperimentSpec;

/**
 * The JSON form of {@link ExperimentSpec} (DESIGN.md §7): one object whose keys are the proto
 * field names, which are the reference implementation's config keys, so a reference config file
 * reads as is.
 *
 * <p>Reading is driven by the message descriptor. An unknown key is an error (with the closest
 * known key suggested); a key that only means something to the reference implementation is
 * ignored with a warning; a value of the wrong JSON type is an error naming the field and the
 * expected type; malformed JSON is an error naming the source, line and column. Every problem
 * found is reported together. Values are not range-checked here: see {@link SpecValidator}.
 */
public final class SpecJson {

  private static final ObjectMapper MAPPER =
      JsonMapper.builder()
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .enable(SerializationFeature.INDENT_OUTPUT)
          .build();

  private static final Descriptor SPEC = ExperimentSpec.getDescriptor();

  private static final KeySuggester SUGGESTER =
      new KeySuggester(SPEC.getFields().stream().map(FieldDescriptor::getName).collect(Collectors.toList()));

  private SpecJson() {}

  /**
   * Reads a spec file (UTF-8).
   *
   * @throws IOException when the file cannot be read
   * @throws SpecException when it is not a well-formed spec
   */
  public static ParsedSpec parse(Path file) throws IOException, SpecException {
    return parse(utf8Text(Files.readAllBytes(file), file.toString()), file.toString());
  }

  /**
   * The bytes as UTF-8 text; bytes that are not UTF-8 are a spec problem naming the byte offset
   * (Files.readString would throw a MalformedInputException that names neither file nor offset).
   */
  private static String utf8Text(byte[] bytes, String source) throws SpecException {
    CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(bytes);
    CharBuffer out = CharBuffer.allocate(bytes.length);
    CoderResult result = decoder.decode(in, out, true);
    if (!result.isError()) {
      result = decoder.flush(out);
    }
    if (result.isError()) {
      throw new SpecException(source, List.of(new SpecProblem(source, "not UTF-8 text: invalid byte sequence at byte "
          + in.position())));
    }
    return out.flip().toString();
  }

  /**
   * Reads a spec from JSON text.
   *
   * @param source names the text in error messages (a file name, "request", ...)
   * @throws SpecException when it is not a well-formed spec
   */
  public static ParsedSpec parse(String json, String source) throws SpecException {
    JsonNode root = readTree(json, source);
    if (root == null || !root.isObject()) {
      String found =
          root == null || root.isMissingNode()
              ? "an empty document"
              : root.getNodeType().toString().toLowerCase(Locale.ROOT);
      throw new SpecException(source, List.of(new SpecProblem(source, "must be a JSON object, found " + found)));
    }
    ExperimentSpec.Builder builder = ExperimentSpec.newBuilder();
    List<SpecProblem> problems = new ArrayList<>();
    List<String> warnings = new ArrayList<>();
    for (Map.Entry<String, JsonNode> entry : root.properties()) {
      String key = entry.getKey();
      FieldDescriptor field = SPEC.findFieldByName(key);
      if (field != null) {
        SpecFieldCodec.read(field, entry.getValue(), builder, problems);
        continue;
      }
      Optional<String> whyIgnored = ReferenceOnlyKeys.whyIgnored(key);
      if (whyIgnored.isPresent()) {
        warnings.add(key + ": ignored (" + whyIgnored.get() + ")");
      } else {
        problems.add(unknownKey(key));
      }
    }
    if (!problems.isEmpty()) {
      throw new SpecException(source, problems);
    }
    return new ParsedSpec(builder.build(), warnings);
  }

  /**
   * The JSON text of a spec: every field that is set (optional scalars that are present,
   * non-empty strings and lists), in field-number order, with the same keys {@link #parse} reads.
   */
  public static String toJson(ExperimentSpec spec) {
    ObjectNode root = MAPPER.createObjectNode();
    for (FieldDescriptor field : SPEC.getFields()) {
      if (isSet(spec, field)) {
        root.set(field.getName(), SpecFieldCodec.write(field, spec.getField(field)));
      }
    }
    try {
      return MAPPER.writeValueAsString(root) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write a JSON tree of scalars", e);
    }
  }

  private static boolean isSet(ExperimentSpec spec, FieldDescriptor field) {
    if (field.isRepeated()) {
      return spec.getRepeatedFieldCount(field) > 0;
    }
    if (field.hasPresence()) {
      return spec.hasField(field);
    }
    // Plain proto3 scalars (the spec's strings) have no presence: the empty value means unset.
    return !spec.getField(field).equals(field.getDefaultValue());
  }

  private static SpecProblem unknownKey(String key) {
    String rule =
        SUGGESTER.suggest(key).map(known -> "unknown key (did you mean \"" + known + "\"?)").orElse("unknown key");
    return new SpecProblem(key, rule);
  }

  /**
   * The document's tree; null for an empty one. Read through our own parser so that every problem
   * has a position: Jackson's limit errors (nesting depth, number length) carry none themselves.
   */
  private static JsonNode readTree(String json, String source) throws SpecException {
    try (JsonParser parser = MAPPER.createParser(json)) {
      try {
        JsonNode root = MAPPER.readTree(parser);
        if (root != null && parser.nextToken() != null) {
          throw new SpecException(source, List.of(malformed(source, parser.currentTokenLocation(),
              "trailing content after the JSON value")));
        }
        return root;
      } catch (JsonProcessingException e) {
        JsonLocation at = e.getLocation() != null ? e.getLocation() : parser.currentLocation();
        // limit errors name the Jackson setting that holds the limit; the reader needs only the limit
        String reason = e.getOriginalMessage().replaceAll(", from `[^`]*`", "");
        throw new SpecException(source, List.of(malformed(source, at, reason)));
      }
    } catch (IOException e) {
      throw new IllegalStateException("reading JSON from a string cannot fail on I/O", e);
    }
  }

  private static SpecProblem malformed(String source, JsonLocation at, String reason) {
    return new SpecProblem(source, "malformed JSON at line " + at.getLineNr() + ", column " + at.getColumnNr()
        + ": " + reason);
  }
}
