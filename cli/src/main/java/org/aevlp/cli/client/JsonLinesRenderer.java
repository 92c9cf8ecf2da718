package org.aevlp.cli.client;

import java.io.PrintWriter;
import org.aevlp.proto.v1.ExperimentEvent;

/** {@code --output json} for a Watch stream: each event as one JSON object on its own line. */
public final class JsonLinesRenderer implements WatchRenderer {

  private final PrintWriter out;

  public JsonLinesRenderer(PrintWriter out) {
    this.out = out;
  }

  @Override
  public void onEvent(ExperimentEvent event) {
    out.println(ProtoJson.line(event));
    out.flush();
  }
}
