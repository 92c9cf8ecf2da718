package org.aevlp.common.npy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parses the Python dict literal of a {@code .npy} header, e.g.
 * {@code {'descr': '<f8', 'fortran_order': False, 'shape': (3, 4), }}.
 *
 * <p>Only the literal forms NumPy writes are accepted: a dict with string keys, and values that
 * are strings (single or double quoted), {@code True}/{@code False}, integers, tuples and lists of
 * those. NumPy evaluates the header with {@code ast.literal_eval}; this is the small subset of it
 * that can occur, so anything else is a malformed header rather than something to evaluate.
 */
final class NpyHeaderParser {

  /** A Python tuple, kept apart from a list because {@code shape} must be a tuple. */
  record Tuple(List<Object> items) {}

  /** A Python list, which appears as {@code descr} of structured dtypes. */
  record PyList(List<Object> items) {}

  private final String text;
  private final Path file;
  private int pos;

  private NpyHeaderParser(String text, Path file) {
    this.text = text;
    this.file = file;
  }

  /** Parses the header text into keys and values in the order written. */
  static Map<String, Object> parseDict(String text, Path file) throws NpyFormatException {
    NpyHeaderParser parser = new NpyHeaderParser(text, file);
    parser.skipSpace();
    if (!parser.peek('{')) {
      throw parser.malformed("expected a dict starting with '{'");
    }
    Map<String, Object> dict = parser.dict();
    parser.skipSpace();
    if (parser.pos != text.length()) {
      throw parser.malformed("unexpected text after the dict");
    }
    return dict;
  }

  private Map<String, Object> dict() throws NpyFormatException {
    expect('{');
    Map<String, Object> entries = new LinkedHashMap<>();
    skipSpace();
    while (!peek('}')) {
      Object key = value();
      if (!(key instanceof String name)) {
        throw malformed("dict keys must be strings");
      }
      skipSpace();
      expect(':');
      Object value = value();
      if (entries.put(name, value) != null) {
        throw malformed("key '" + name + "' appears twice");
      }
      if (!separatorOrEnd('}')) {
        break;
      }
    }
    expect('}');
    return entries;
  }

  private Object value() throws NpyFormatException {
    skipSpace();
    if (pos >= text.length()) {
      throw malformed("unexpected end of header");
    }
    char c = text.charAt(pos);
    if (c == '\'' || c == '"') {
      return string(c);
    }
    if (c == '(') {
      return new Tuple(sequence('(', ')'));
    }
    if (c == '[') {
      return new PyList(sequence('[', ']'));
    }
    if (c == '{') {
      return dict();
    }
    if (c == '-' || Character.isDigit(c)) {
      return integer();
    }
    if (text.startsWith("True", pos)) {
      pos += 4;
      return Boolean.TRUE;
    }
    if (text.startsWith("False", pos)) {
      pos += 5;
      return Boolean.FALSE;
    }
    throw malformed("unexpected character '" + c + "' at offset " + pos);
  }

  private List<Object> sequence(char open, char close) throws NpyFormatException {
    expect(open);
    List<Object> items = new ArrayList<>();
    skipSpace();
    while (!peek(close)) {
      items.add(value());
      if (!separatorOrEnd(close)) {
        break;
      }
    }
    expect(close);
    return items;
  }

  /** After an item: consumes a comma and returns true, or returns false if the closer follows. */
  private boolean separatorOrEnd(char close) throws NpyFormatException {
    skipSpace();
    if (peek(',')) {
      pos++;
      skipSpace();
      return true;
    }
    if (peek(close)) {
      return false;
    }
    throw malformed("expected ',' or '" + close + "' at offset " + pos);
  }

  private String string(char quote) throws NpyFormatException {
    int start = ++pos;
    int end = text.indexOf(quote, start);
    if (end < 0) {
      throw malformed("unterminated string starting at offset " + (start - 1));
    }
    if (text.substring(start, end).indexOf('\\') >= 0) {
      throw malformed("escape sequences in header strings are not supported");
    }
    pos = end + 1;
    return text.substring(start, end);
  }

  private Long integer() throws NpyFormatException {
    int start = pos;
    if (peek('-')) {
      pos++;
    }
    while (pos < text.length() && Character.isDigit(text.charAt(pos))) {
      pos++;
    }
    // Python 2 era headers may carry a long suffix, e.g. (3L, 4L)
    String digits = text.substring(start, pos);
    if (peek('L')) {
      pos++;
    }
    try {
      return Long.parseLong(digits);
    } catch (NumberFormatException e) {
      throw malformed("bad integer '" + digits + "' at offset " + start);
    }
  }

  private void expect(char c) throws NpyFormatException {
    skipSpace();
    if (!peek(c)) {
      throw malformed("expected '" + c + "' at offset " + pos);
    }
    pos++;
  }

  private boolean peek(char c) {
    return pos < text.length() && text.charAt(pos) == c;
  }

  private void skipSpace() {
    while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
      pos++;
    }
  }

  private NpyFormatException malformed(String rule) {
    return new NpyFormatException(file, "malformed header: " + rule + " in " + quoted());
  }

  private String quoted() {
    String shown = text.strip();
    return '"' + (shown.length() > 200 ? shown.substring(0, 200) + "..." : shown) + '"';
  }
}
