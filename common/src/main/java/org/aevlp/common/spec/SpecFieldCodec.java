package org.aevlp.common.spec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Converts one spec field between its JSON value and its protobuf value, driven by the field's
 * descriptor: int32/int64 fields take JSON integers, float/double fields any JSON number, bool
 * fields {@code true}/{@code false}, string fields JSON strings, repeated fields arrays of those.
 */
final class SpecFieldCodec {

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private SpecFieldCodec() {}

  /**
   * Sets {@code field} on {@code builder} from {@code node}; on a type mismatch adds a problem
   * naming the field and the expected type, and leaves the field unset. JSON {@code null} leaves
   * the field unset (as in protobuf's own JSON mapping).
   */
  static void read(FieldDescriptor field, JsonNode node, Message.Builder builder, List<SpecProblem> problems) {
    if (node.isNull()) {
      return;
    }
    String name = field.getName();
    if (!field.isRepeated()) {
      Optional<Object> value = scalar(field, node);
      if (value.isPresent()) {
        builder.setField(field, value.get());
      } else {
        problems.add(new SpecProblem(name, "must be " + expected(field, node) + ", got " + node));
      }
      return;
    }
    if (!node.isArray()) {
      problems.add(new SpecProblem(name, "must be an array of " + plural(field) + ", got " + node));
      return;
    }
    List<Object> values = new ArrayList<>();
    boolean ok = true;
    for (int i = 0; i < node.size(); i++) {
      Optional<Object> value = scalar(field, node.get(i));
      if (value.isPresent()) {
        values.add(value.get());
      } else {
        JsonNode element = node.get(i);
        problems.add(new SpecProblem(name, "element " + i + " must be " + expected(field, element) + ", got " + element));
        ok = false;
      }
    }
    if (ok) {
      builder.setField(field, values);
    }
  }

  /** The JSON value of a field that is set (repeated fields as arrays). */
  static JsonNode write(FieldDescriptor field, Object value) {
    if (!field.isRepeated()) {
      return scalarNode(field, value);
    }
    ArrayNode array = NODES.arrayNode();
    for (Object element : (List<?>) value) {
      array.add(scalarNode(field, element));
    }
    return array;
  }

  private static Optional<Object> scalar(FieldDescriptor field, JsonNode node) {
    Object value =
        switch (field.getJavaType()) {
          case INT -> node.isIntegralNumber() && node.canConvertToInt() ? node.intValue() : null;
          case LONG -> node.isIntegralNumber() && node.canConvertToLong() ? node.longValue() : null;
          case FLOAT -> node.isNumber() ? node.floatValue() : null;
          case DOUBLE -> node.isNumber() ? node.doubleValue() : null;
          case BOOLEAN -> node.isBoolean() ? node.booleanValue() : null;
          case STRING -> node.isTextual() ? node.textValue() : null;
          default -> throw unsupported(field);
        };
    return Optional.ofNullable(value);
  }

  private static JsonNode scalarNode(FieldDescriptor field, Object value) {
    return switch (field.getJavaType()) {
      case INT -> NODES.numberNode((Integer) value);
      case LONG -> NODES.numberNode((Long) value);
      case FLOAT -> NODES.numberNode((Float) value);
      case DOUBLE -> NODES.numberNode((Double) value);
      case BOOLEAN -> NODES.booleanNode((Boolean) value);
      case STRING -> NODES.textNode((String) value);
      default -> throw unsupported(field);
    };
  }

  private static String expected(FieldDescriptor field, JsonNode given) {
    return switch (field.getJavaType()) {
      case INT -> given.isIntegralNumber() ? "an integer in the 32-bit range" : "an integer";
      case LONG -> given.isIntegralNumber() ? "an integer in the 64-bit range" : "an integer";
      case FLOAT, DOUBLE -> "a number";
      case BOOLEAN -> "true or false";
      case STRING -> "a string";
      default -> throw unsupported(field);
    };
  }

  private static String plural(FieldDescriptor field) {
    return switch (field.getJavaType()) {
      case INT, LONG -> "integers";
      case FLOAT, DOUBLE -> "numbers";
      case BOOLEAN -> "booleans";
      case STRING -> "strings";
      default -> throw unsupported(field);
    };
  }

  // The spec holds scalars only; a message, enum or bytes field needs a mapping written first.
  private static IllegalStateException unsupported(FieldDescriptor field) {
    return new IllegalStateException(
        "spec field " + field.getName() + " has type " + field.getJavaType() + ", which SpecJson does not map");
  }
}
