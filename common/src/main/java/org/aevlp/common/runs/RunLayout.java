package org.aevlp.common.runs;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.util.regex.Pattern;

/**
 * File names of a run directory and the JSON mapper for them.
 *
 * <pre>
 *   &lt;root&gt;/&lt;run id&gt;/spec.json          experiment spec (JSON object, as submitted)
 *                     status.json        {@link RunStatus}
 *                     epochs.jsonl       one {@link EpochRecord} per line
 *                     result.json        {@link RunResult} (once completed)
 *                     checkpoints/       epoch-EEEE-step-SSSSSSSSS.ckpt (opaque bytes)
 *                     checkpoints/best.json  {"epoch": e, "step": s, "file": name}
 * </pre>
 */
final class RunLayout {

  static final String SPEC = "spec.json";
  static final String STATUS = "status.json";
  static final String EPOCHS = "epochs.jsonl";
  static final String RESULT = "result.json";
  static final String CHECKPOINTS = "checkpoints";
  static final String BEST = "best.json";

  /** Suffix of a run directory being created; it becomes visible by one rename. */
  static final String STAGING_SUFFIX = ".creating";

  /** Run ids are directory names: no path separators, no leading dot (hidden = work files). */
  static final Pattern RUN_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,127}");

  /**
   * Unknown properties are ignored so that a run written by a newer version (with more fields)
   * still lists.
   */
  static final ObjectMapper JSON =
      JsonMapper.builder().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();

  private RunLayout() {}

  static boolean isValidRunId(String id) {
    return id != null
        && RUN_ID.matcher(id).matches()
        && !id.endsWith(AtomicFileWriter.TEMP_SUFFIX)
        && !id.endsWith(STAGING_SUFFIX);
  }
}
