package org.aevlp.common.spec;

import java.io.IOException;
import java.nio.file.Path;
import org.aevlp.common.catalog.DatasetCatalog;
import org.aevlp.proto.v1.ExperimentSpec;

/**
 * The whole path from a spec as written to a spec ready to run: read the JSON ({@link SpecJson}),
 * fill defaults ({@link SpecDefaults}), validate ({@link SpecValidator}).
 */
public final class SpecLoader {

  private final SpecDefaults defaults;
  private final SpecValidator validator;

  public SpecLoader(DatasetCatalog catalog) {
    this.defaults = new SpecDefaults(catalog);
    this.validator = new SpecValidator(catalog);
  }

  /** A loader over the built-in datasets. */
  public static SpecLoader builtIn() {
    return new SpecLoader(DatasetCatalog.builtIn());
  }

  /** Reads, completes and validates a spec file; the warnings are those of reading it. */
  public ParsedSpec load(Path file) throws IOException, SpecException {
    return complete(SpecJson.parse(file), file.toString());
  }

  /** Reads, completes and validates spec JSON text. */
  public ParsedSpec load(String json, String source) throws SpecException {
    return complete(SpecJson.parse(json, source), source);
  }

  /** Completes and validates a spec that arrived as a message (e.g. over gRPC). */
  public ExperimentSpec resolve(ExperimentSpec spec, String source) throws SpecException {
    ExperimentSpec filled = defaults.apply(spec);
    validator.check(filled, source);
    return filled;
  }

  private ParsedSpec complete(ParsedSpec parsed, String source) throws SpecException {
    return new ParsedSpec(resolve(parsed.spec(), source), parsed.warnings());
  }
}
