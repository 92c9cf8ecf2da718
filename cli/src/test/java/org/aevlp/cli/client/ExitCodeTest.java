package org.aevlp.cli.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.grpc.Status;
import org.aevlp.proto.v1.ExperimentState;
import org.junit.jupiter.api.Test;

class ExitCodeTest {

  private static final String TARGET = "10.0.0.5:50051";

  @Test
  void finalStatesMapToTheDocumentedCodes() {
    assertEquals(0, ExitCode.forFinalState(ExperimentState.COMPLETED));
    assertEquals(1, ExitCode.forFinalState(ExperimentState.FAILED));
    assertEquals(4, ExitCode.forFinalState(ExperimentState.CANCELLED));
    assertThrows(IllegalArgumentException.class, () -> ExitCode.forFinalState(ExperimentState.RUNNING));
  }

  @Test
  void unavailableSaysWhereTheCoordinatorWasExpected() {
    CoordinatorException e = CoordinatorException.from(Status.UNAVAILABLE.withDescription("io exception").asRuntimeException(), TARGET, "e-1");
    assertEquals("cannot reach the coordinator at 10.0.0.5:50051 (is `aevlp coordinator` running?)", e.getMessage());
    assertEquals(5, e.exitCode());
  }

  @Test
  void notFoundNamesTheExperiment() {
    CoordinatorException e = CoordinatorException.from(Status.NOT_FOUND.asRuntimeException(), TARGET, "e-42");
    assertEquals("no experiment e-42", e.getMessage());
    assertEquals(2, e.exitCode());
  }

  @Test
  void invalidArgumentPassesOnTheServersFieldMessage() {
    CoordinatorException e =
        CoordinatorException.from(
            Status.INVALID_ARGUMENT.withDescription("invalid experiment spec (request)\n  bsize: must be >= 1, got 0").asRuntimeException(),
            TARGET, null);
    assertEquals("invalid experiment spec (request)\n  bsize: must be >= 1, got 0", e.getMessage());
    assertEquals(2, e.exitCode());
  }

  @Test
  void unauthenticatedSaysHowToGiveAToken() {
    CoordinatorException e = CoordinatorException.from(Status.UNAUTHENTICATED.asRuntimeException(), TARGET, null);
    assertEquals("the coordinator refused the token: set AEVLP_TOKEN or --token-file", e.getMessage());
    assertEquals(5, e.exitCode());
  }

  @Test
  void otherFailuresNameTheCodeAndTheFirstLineOfTheDescription() {
    CoordinatorException e =
        CoordinatorException.from(Status.INTERNAL.withDescription("boom\n\tat x.y").asRuntimeException(), TARGET, null);
    assertEquals("the coordinator at 10.0.0.5:50051 answered INTERNAL: boom", e.getMessage());
    assertEquals(5, e.exitCode());
  }
}
