package org.aevlp.common.data;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits one CSV line into fields (RFC 4180 quoting within a line: a field wrapped in double
 * quotes may hold commas, and a doubled quote inside it stands for one quote).
 */
final class CsvLine {

  private CsvLine() {}

  static List<String> split(String text, Path file, int line) throws DatasetFormatException {
    List<String> fields = new ArrayList<>();
    StringBuilder field = new StringBuilder();
    int i = 0;
    while (true) {
      if (i < text.length() && text.charAt(i) == '"') {
        i++;
        while (true) {
          if (i >= text.length()) {
            throw new DatasetFormatException(file, "line " + line + " has an unterminated quoted field");
          }
          char c = text.charAt(i++);
          if (c != '"') {
            field.append(c);
          } else if (i < text.length() && text.charAt(i) == '"') {
            field.append('"');
            i++;
          } else {
            break;
          }
        }
        if (i < text.length() && text.charAt(i) != ',') {
          throw new DatasetFormatException(
              file, "line " + line + " has text after a closing quote at column " + (i + 1));
        }
      } else {
        while (i < text.length() && text.charAt(i) != ',') {
          field.append(text.charAt(i++));
        }
      }
      fields.add(field.toString());
      field.setLength(0);
      if (i >= text.length()) {
        return fields;
      }
      i++;
    }
  }
}
