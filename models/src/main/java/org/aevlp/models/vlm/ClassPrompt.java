package org.aevlp.models.vlm;

/** The zero-shot prompt for a class (DESIGN.md §4): {@code "a photo of a {class}."}. */
public final class ClassPrompt {

  /** The template; {@code {class}} is replaced by the class name. */
  public static final String TEMPLATE = "a photo of a {class}.";

  private ClassPrompt() {}

  /** The prompt for {@code className}, which must not be blank. */
  public static String forClass(String className) {
    if (className == null || className.isBlank()) {
      throw new IllegalArgumentException("className: must not be blank");
    }
    return TEMPLATE.replace("{class}", className);
  }
}
