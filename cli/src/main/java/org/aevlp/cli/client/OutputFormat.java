package org.aevlp.cli.client;

import java.util.Locale;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** How a client command prints: aligned text for people or JSON for scripts. */
public enum OutputFormat {
  TABLE,
  JSON;

  /** Reads {@code table} or {@code json} in any letter case. */
  static final class Converter implements ITypeConverter<OutputFormat> {
    @Override
    public OutputFormat convert(String value) {
      return switch (value.toLowerCase(Locale.ROOT)) {
        case "table" -> TABLE;
        case "json" -> JSON;
        default -> throw new TypeConversionException("must be table or json, got '" + value + "'");
      };
    }
  }
}
