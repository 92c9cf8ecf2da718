package org.aevlp.common.spec;

import com.google.protobuf.Descriptors.FieldDescriptor;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.aevlp.proto.v1.ExperimentSpec;

/**
 * Random spec documents for fuzzing the reader: JSON objects of spec keys (and reference-only and
 * unknown ones) whose values mostly have the field's type, so that defaults and the validator are
 * reached, and otherwise are any JSON value; then, for most cases, broken: cut short, a character
 * replaced or inserted (brackets, quotes, unpaired surrogates, NUL), nested thousands deep, huge
 * numbers, NaN/Infinity as tokens and as strings. {@link #bytes} also splices in bytes that are not
 * UTF-8. One seed gives one sequence.
 */
final class RandomSpecText {

  private static final List<FieldDescriptor> FIELDS = ExperimentSpec.getDescriptor().getFields();
  private static final List<String> REFERENCE_ONLY = ReferenceOnlyKeys.keys().stream().sorted().toList();
  private static final String[] WORDS = {"synthetic", "manifest", "pascal", "coco", "resnet18", "tiny-vlm",
      "gpr_loss", "an_pl_loss", "full_loss", "clean", "observed", "adam", "clip-torchscript", "", "../../etc/passwd",
      "/etc", "a\u0000b", "\uD800", "x".repeat(5000)};
  private static final String[] ODD_TOKENS = {"true", "false", "null", "\"NaN\"", "\"Infinity\"", "\"-Infinity\"",
      "NaN", "Infinity", "-Infinity", "1e400", "-1e400", "1e-400", "0x10", "01", "+1", ".5", "9223372036854775808",
      "-9223372036854775809", "2147483648", "-2147483649", "1.7976931348623157e309", "1e999999"};
  private static final String[] NOISE = {"{", "}", "[", "]", ",", ":", "\"", "\\", "\uD800", "\uDFFF", "\u0000",
      "\uFFFE", "/*", "//", "\n", "'"};

  private final SplittableRandom random;

  RandomSpecText(long seed) {
    this.random = new SplittableRandom(seed);
  }

  /** The next document: 40% intact, 45% mutated, 8% deeply nested, 7% random characters. */
  String text() {
    int roll = random.nextInt(100);
    if (roll < 40) {
      return object();
    }
    if (roll < 85) {
      return mutate(object());
    }
    if (roll < 93) {
      return deeplyNested();
    }
    return randomChars(random.nextInt(60));
  }

  /** The next file: a document as UTF-8, often with bytes spliced in that are not UTF-8. */
  byte[] bytes() {
    int roll = random.nextInt(100);
    byte[] utf8 = text().getBytes(StandardCharsets.UTF_8);
    if (roll < 35) {
      return utf8;
    }
    if (roll < 90) {
      byte[] bad = new byte[1 + random.nextInt(4)];
      for (int i = 0; i < bad.length; i++) {
        bad[i] = (byte) (0x80 + random.nextInt(0x80));
      }
      return splice(utf8, bad, random.nextInt(utf8.length + 1));
    }
    byte[] raw = new byte[random.nextInt(200)];
    random.nextBytes(raw);
    return raw;
  }

  private String object() {
    List<String> members = new ArrayList<>();
    // a dataset the catalog knows lets a third of the documents pass the reader and reach the validator
    if (random.nextInt(3) == 0) {
      members.add("\"dataset\": \"synthetic\"");
    }
    int count = random.nextInt(random.nextBoolean() ? 3 : 13);
    for (int i = 0; i < count; i++) {
      int roll = random.nextInt(10);
      String key = roll < 8 ? FIELDS.get(random.nextInt(FIELDS.size())).getName()
          : roll < 9 ? REFERENCE_ONLY.get(random.nextInt(REFERENCE_ONLY.size())) : randomChars(random.nextInt(12));
      members.add(jsonString(key) + ": " + valueFor(key));
    }
    return "{" + String.join(", ", members) + "}";
  }

  private String valueFor(String key) {
    FieldDescriptor field = ExperimentSpec.getDescriptor().findFieldByName(key);
    if (field == null || random.nextInt(10) < 3) {
      return anyValue(2);
    }
    if (!field.isRepeated()) {
      return typedScalar(field);
    }
    List<String> values = new ArrayList<>();
    int count = random.nextInt(7);
    for (int i = 0; i < count; i++) {
      values.add(typedScalar(field));
    }
    return "[" + String.join(", ", values) + "]";
  }

  private String typedScalar(FieldDescriptor field) {
    return switch (field.getJavaType()) {
      case INT -> String.valueOf(random.nextBoolean() ? random.nextInt() : random.nextInt(-3, 200));
      case LONG -> String.valueOf(random.nextLong());
      case FLOAT, DOUBLE -> switch (random.nextInt(3)) {
        case 0 -> Double.toString(random.nextDouble(-2, 2));
        case 1 -> Double.toString(random.nextDouble(-1e12, 1e12));
        default -> hugeNumber();
      };
      case BOOLEAN -> random.nextBoolean() ? "true" : "false";
      case STRING -> jsonString(random.nextBoolean() ? WORDS[random.nextInt(WORDS.length)]
          : randomChars(random.nextInt(20)));
      default -> throw new IllegalStateException("spec field of type " + field.getJavaType());
    };
  }

  private String anyValue(int depth) {
    int choices = depth > 0 ? 7 : 5;
    return switch (random.nextInt(choices)) {
      case 0 -> String.valueOf(random.nextInt());
      case 1 -> Double.toString(random.nextDouble(-1e6, 1e6));
      case 2 -> hugeNumber();
      case 3 -> ODD_TOKENS[random.nextInt(ODD_TOKENS.length)];
      case 4 -> jsonString(randomChars(random.nextInt(16)));
      case 5 -> {
        List<String> values = new ArrayList<>();
        int count = random.nextInt(5);
        for (int i = 0; i < count; i++) {
          values.add(anyValue(depth - 1));
        }
        yield "[" + String.join(", ", values) + "]";
      }
      default -> "{" + jsonString(randomChars(random.nextInt(6))) + ": " + anyValue(depth - 1) + "}";
    };
  }

  /** Numbers far outside int64 and double: hundreds of digits, huge exponents. */
  private String hugeNumber() {
    return switch (random.nextInt(3)) {
      case 0 -> "9".repeat(19 + random.nextInt(1_500));
      case 1 -> "1e" + random.nextInt(300, 1_000_000);
      default -> ODD_TOKENS[16 + random.nextInt(ODD_TOKENS.length - 16)];
    };
  }

  private String mutate(String text) {
    int position = random.nextInt(text.length() + 1);
    String inserted = random.nextBoolean() ? NOISE[random.nextInt(NOISE.length)] : randomChars(1 + random.nextInt(3));
    return switch (random.nextInt(3)) {
      case 0 -> text.substring(0, position);
      case 1 -> position == text.length() ? text + inserted
          : text.substring(0, position) + inserted + text.substring(position + 1);
      default -> text.substring(0, position) + inserted + text.substring(position);
    };
  }

  /** A spec key whose value is nested hundreds to thousands of arrays or objects deep. */
  private String deeplyNested() {
    int depth = random.nextInt(100, 20_000);
    boolean arrays = random.nextBoolean();
    String open = arrays ? "[" : "{\"a\":";
    String close = arrays ? "]" : "}";
    return "{\"beta\": " + open.repeat(depth) + "1" + (random.nextBoolean() ? close.repeat(depth) : "") + "}";
  }

  /** Any UTF-16 code units, surrogates and controls included. */
  private String randomChars(int length) {
    StringBuilder out = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      out.append(random.nextInt(4) == 0 ? (char) random.nextInt(0x10000) : (char) random.nextInt(0x20, 0x7f));
    }
    return out.toString();
  }

  private static byte[] splice(byte[] text, byte[] inserted, int position) {
    byte[] out = new byte[text.length + inserted.length];
    System.arraycopy(text, 0, out, 0, position);
    System.arraycopy(inserted, 0, out, position, inserted.length);
    System.arraycopy(text, position, out, position + inserted.length, text.length - position);
    return out;
  }

  static String jsonString(String text) {
    StringBuilder out = new StringBuilder("\"");
    for (char c : text.toCharArray()) {
      if (c == '"' || c == '\\') {
        out.append('\\').append(c);
      } else if (c < 0x20) {
        out.append(String.format("\\u%04x", (int) c));
      } else {
        out.append(c);
      }
    }
    return out.append('"').toString();
  }
}
