package org.aevlp.models.vlm;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The tiny VLM's token vocabulary: id 0 is {@value #PAD} (padding, ignored by the text tower's mean
 * pool), id 1 is {@value #UNKNOWN} (any token not in the vocabulary), then the known tokens in the
 * order they were first seen. The token list is all a saved text tower needs to be reused.
 */
public final class Vocabulary {

  /** Padding token, id 0. */
  public static final String PAD = "<pad>";

  /** Unknown token, id 1. */
  public static final String UNKNOWN = "<unk>";

  /** Id of {@link #PAD}. */
  public static final int PAD_ID = 0;

  /** Id of {@link #UNKNOWN}. */
  public static final int UNKNOWN_ID = 1;

  private final List<String> tokens;
  private final Map<String, Integer> ids;

  private Vocabulary(List<String> tokens) {
    this.tokens = List.copyOf(tokens);
    Map<String, Integer> index = new HashMap<>();
    for (int i = 0; i < this.tokens.size(); i++) {
      if (index.put(this.tokens.get(i), i) != null) {
        throw new IllegalArgumentException("tokens: duplicate token '" + this.tokens.get(i) + "'");
      }
    }
    this.ids = Map.copyOf(index);
  }

  /**
   * The vocabulary of the zero-shot prompts and captions: the words of {@link ClassPrompt#TEMPLATE},
   * of every class name and of every colour name, in that order.
   */
  public static Vocabulary forPrompts(List<String> classNames, List<String> colourNames) {
    List<String> texts = new ArrayList<>();
    texts.add(ClassPrompt.TEMPLATE.replace("{class}", ""));
    texts.addAll(classNames);
    texts.addAll(colourNames);
    return fromTexts(texts);
  }

  /** The vocabulary of every token in {@code texts}, in first-seen order. */
  public static Vocabulary fromTexts(List<String> texts) {
    Set<String> seen = new LinkedHashSet<>(List.of(PAD, UNKNOWN));
    for (String text : texts) {
      seen.addAll(CaptionTokenizer.tokenize(text));
    }
    return new Vocabulary(new ArrayList<>(seen));
  }

  /**
   * Restores a vocabulary from its {@link #tokens()}.
   *
   * @throws IllegalArgumentException if the list does not start with {@link #PAD}, {@link
   *     #UNKNOWN} or holds a token twice
   */
  public static Vocabulary of(List<String> tokens) {
    if (tokens.size() < 2 || !PAD.equals(tokens.get(0)) || !UNKNOWN.equals(tokens.get(1))) {
      throw new IllegalArgumentException(
          "tokens: must start with " + PAD + ", " + UNKNOWN + "; got "
              + tokens.subList(0, Math.min(2, tokens.size())));
    }
    return new Vocabulary(tokens);
  }

  /** All tokens, index = id. */
  public List<String> tokens() {
    return tokens;
  }

  /** Number of tokens, including the two special ones. */
  public int size() {
    return tokens.size();
  }

  /** The id of {@code token}, or {@link #UNKNOWN_ID}. */
  public int id(String token) {
    return ids.getOrDefault(token, UNKNOWN_ID);
  }

  /** The token ids of {@code caption}. */
  public int[] encode(String caption) {
    return CaptionTokenizer.tokenize(caption).stream().mapToInt(this::id).toArray();
  }

  /**
   * The captions as an N×L int64 array of token ids on {@code manager}'s device, right-padded with
   * {@link #PAD_ID} to the longest caption (L ≥ 1).
   */
  public NDArray encodeBatch(List<String> captions, NDManager manager) {
    if (captions.isEmpty()) {
      throw new IllegalArgumentException("captions: need at least one caption");
    }
    int[][] encoded = captions.stream().map(this::encode).toArray(int[][]::new);
    int length = 1;
    for (int[] row : encoded) {
      length = Math.max(length, row.length);
    }
    long[] flat = new long[encoded.length * length];
    for (int r = 0; r < encoded.length; r++) {
      for (int c = 0; c < encoded[r].length; c++) {
        flat[r * length + c] = encoded[r][c];
      }
    }
    return manager.create(flat, new Shape(encoded.length, length));
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Vocabulary v && v.tokens.equals(tokens);
  }

  @Override
  public int hashCode() {
    return tokens.hashCode();
  }

  @Override
  public String toString() {
    return "Vocabulary" + tokens;
  }
}
