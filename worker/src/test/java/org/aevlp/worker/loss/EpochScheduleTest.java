package org.aevlp.worker.loss;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class EpochScheduleTest {

  private static final double[] Q2Q3 = {0.01, 1.5};

  static Stream<Named<JsonNode>> referenceSchedules() {
    return GoldenCases.named("schedule.json");
  }

  @ParameterizedTest
  @MethodSource("referenceSchedules")
  void everyEpochMatchesTheReferenceSchedule(JsonNode c) {
    int numEpochs = c.get("num_epochs").intValue();
    EpochSchedule schedule =
        EpochSchedule.fromReference(
            GoldenCases.vector(c.get("beta")),
            GoldenCases.vector(c.get("alpha")),
            Q2Q3,
            numEpochs,
            c.get("linear_init").intValue());
    assertEquals(numEpochs, c.get("per_epoch").size(), "one row per epoch");
    for (JsonNode row : c.get("per_epoch")) {
      int epoch = row.get(0).intValue();
      ScheduleValues values = schedule.at(epoch);
      assertEquals(row.get(1).doubleValue(), values.w(), 1e-12, "w at epoch " + epoch);
      assertEquals(row.get(2).doubleValue(), values.b(), 1e-12, "b at epoch " + epoch);
      assertEquals(row.get(3).doubleValue(), values.mu(), 1e-12, "mu at epoch " + epoch);
      assertEquals(row.get(4).doubleValue(), values.sigma(), 1e-12, "sigma at epoch " + epoch);
      assertEquals(Q2Q3[0], values.q2(), "q2 at epoch " + epoch);
      assertEquals(Q2Q3[1], values.q3(), "q3 at epoch " + epoch);
    }
  }

  @Test
  void vScheduleRunsOneEpochAheadOfKSchedule() {
    // beta = [w0, wMax, b0, bMax], alpha = [mu0, sigma0, muMax, sigmaMax]: the orders differ (S1).
    EpochSchedule schedule =
        EpochSchedule.fromReference(new double[] {0, 8, 0, -8}, new double[] {0, 1, 4, 2}, Q2Q3, 4, 0);
    assertEquals(new ScheduleValues(0, 0, 1, 1.25, 0.01, 1.5), schedule.at(1));
    assertEquals(new ScheduleValues(6, -6, 4, 2, 0.01, 1.5), schedule.at(4));
  }

  @Test
  void linearInitEpochsHoldTheStartValues() {
    EpochSchedule schedule =
        EpochSchedule.fromReference(new double[] {0, 8, 0, -8}, new double[] {0, 1, 4, 2}, Q2Q3, 6, 2);
    ScheduleValues start = new ScheduleValues(0, 0, 0, 1, 0.01, 1.5);
    assertEquals(start, schedule.at(1));
    assertEquals(start, schedule.at(2));
    assertEquals(new ScheduleValues(0, 0, 1, 1.25, 0.01, 1.5), schedule.at(3));
    assertEquals(new ScheduleValues(2, -2, 2, 1.5, 0.01, 1.5), schedule.at(4));
  }

  @Test
  void epochOutsideTheRunIsRejected() {
    EpochSchedule schedule =
        EpochSchedule.fromReference(new double[] {0, 1, 0, 1}, new double[] {0, 1, 1, 1}, Q2Q3, 3, 0);
    assertMessageNames("epoch", assertThrows(IllegalArgumentException.class, () -> schedule.at(0)));
    assertMessageNames("epoch", assertThrows(IllegalArgumentException.class, () -> schedule.at(4)));
  }

  @Test
  void invalidConfigurationsNameTheirField() {
    double[] beta = {0, 1, 0, 1};
    double[] alpha = {0, 1, 1, 1};
    assertMessageNames(
        "num_epochs",
        assertThrows(
            IllegalArgumentException.class, () -> EpochSchedule.fromReference(beta, alpha, Q2Q3, 2, 2)));
    assertMessageNames(
        "beta",
        assertThrows(
            IllegalArgumentException.class,
            () -> EpochSchedule.fromReference(new double[] {0, 1, 0}, alpha, Q2Q3, 3, 0)));
    assertMessageNames(
        "alpha",
        assertThrows(
            IllegalArgumentException.class,
            () -> EpochSchedule.fromReference(beta, new double[] {0, 0, 1, 1}, Q2Q3, 3, 0)));
    assertMessageNames(
        "q2q3",
        assertThrows(
            IllegalArgumentException.class,
            () -> EpochSchedule.fromReference(beta, alpha, new double[] {0, 1}, 3, 0)));
    assertMessageNames(
        "linear_init",
        assertThrows(
            IllegalArgumentException.class, () -> EpochSchedule.fromReference(beta, alpha, Q2Q3, 3, -1)));
  }

  private static void assertMessageNames(String field, IllegalArgumentException e) {
    assertTrue(e.getMessage().contains(field), () -> "message should name " + field + ": " + e.getMessage());
  }
}
