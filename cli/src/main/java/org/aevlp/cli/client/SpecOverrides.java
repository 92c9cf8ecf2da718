package org.aevlp.cli.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.TextNode;
import com.google.protobuf.Descriptors.FieldDescriptor;
import java.util.ArrayList;
import java.util.List;
import org.aevlp.common.spec.ParsedSpec;
import org.aevlp.common.spec.SpecException;
import org.aevlp.common.spec.SpecJson;
import org.aevlp.common.spec.SpecProblem;
import org.aevlp.proto.v1.ExperimentSpec;

/**
 * {@code --set KEY=VALUE} on top of a spec file. VALUE is read as JSON where it is JSON (numbers,
 * {@code true}/{@code false}, arrays such as {@code [0,2,-2,-2]}, {@code null} to unset) and as a
 * string otherwise; for a string field it is always the string itself. Each assignment goes
 * through the spec reader ({@link SpecJson}) as a one-key spec, so an unknown key or a value of
 * the wrong type gets exactly the reader's message ("unknown key (did you mean ...)").
 */
public final class SpecOverrides {

  /** Names assignments in error messages. */
  public static final String SOURCE = "--set";

  private static final ObjectMapper MAPPER =
      JsonMapper.builder().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build();

  private SpecOverrides() {}

  /**
   * The spec with every assignment applied in order (a later one wins); warnings are the base's
   * plus those of the assignments (ignored reference keys).
   *
   * @throws SpecException listing every bad assignment
   */
  public static ParsedSpec apply(ParsedSpec base, List<String> assignments) throws SpecException {
    ExperimentSpec.Builder spec = base.spec().toBuilder();
    List<String> warnings = new ArrayList<>(base.warnings());
    List<SpecProblem> problems = new ArrayList<>();
    for (String assignment : assignments) {
      int equals = assignment.indexOf('=');
      if (equals <= 0) {
        problems.add(new SpecProblem(SOURCE + " " + assignment, "must be KEY=VALUE (e.g. --set lr=1e-4)"));
        continue;
      }
      String key = assignment.substring(0, equals).strip();
      String value = assignment.substring(equals + 1);
      ParsedSpec one;
      try {
        one = SpecJson.parse("{" + TextNode.valueOf(key) + ":" + valueJson(key, value) + "}", SOURCE);
      } catch (SpecException e) {
        problems.addAll(e.problems());
        continue;
      }
      warnings.addAll(one.warnings());
      FieldDescriptor field = ExperimentSpec.getDescriptor().findFieldByName(key);
      if (field != null) {
        copyField(one.spec(), spec, field);
      }
    }
    if (!problems.isEmpty()) {
      throw new SpecException(SOURCE, problems);
    }
    return new ParsedSpec(spec.build(), warnings);
  }

  /** Sets the field as the one-key spec has it; unset there (null, "" or []) clears it. */
  private static void copyField(ExperimentSpec from, ExperimentSpec.Builder to, FieldDescriptor field) {
    boolean set =
        field.isRepeated()
            ? from.getRepeatedFieldCount(field) > 0
            : field.hasPresence() ? from.hasField(field) : !from.getField(field).equals(field.getDefaultValue());
    if (set) {
      to.setField(field, from.getField(field));
    } else {
      to.clearField(field);
    }
  }

  /** The JSON text of VALUE: itself when it is a JSON value (and the field is not a plain string), else a JSON string. */
  static String valueJson(String key, String value) {
    FieldDescriptor field = ExperimentSpec.getDescriptor().findFieldByName(key);
    boolean stringField =
        field != null && !field.isRepeated() && field.getJavaType() == FieldDescriptor.JavaType.STRING;
    if (stringField && !value.startsWith("\"")) {
      return TextNode.valueOf(value).toString();
    }
    try {
      JsonNode node = MAPPER.readTree(value);
      if (node != null && !node.isMissingNode()) {
        return value;
      }
    } catch (JsonProcessingException notJson) {
      // Not JSON: the value is a bare string such as tiny-vlm.
    }
    return TextNode.valueOf(value).toString();
  }
}
