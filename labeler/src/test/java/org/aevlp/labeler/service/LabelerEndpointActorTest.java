package org.aevlp.labeler.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Set;
import org.aevlp.common.cluster.LabelerProtocol;
import org.aevlp.common.cluster.LabelerProtocol.Command;
import org.aevlp.common.cluster.LabelerProtocol.GetEndpoint;
import org.aevlp.common.cluster.LabelerProtocol.LabelerEndpoint;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.FishingOutcomes;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.receptionist.Receptionist;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class LabelerEndpointActorTest {

  private final ActorTestKit testKit = ActorTestKit.create();

  @AfterEach
  void stop() {
    testKit.shutdownTestKit();
  }

  @Test
  void registersWithTheReceptionistAndAnswersWithItsAdvertisedGrpcAddress() {
    ActorRef<Command> endpoint = testKit.spawn(LabelerEndpointActor.create("10.0.0.5", 50061), "labeler-endpoint");
    TestProbe<Receptionist.Listing> listings = testKit.createTestProbe(Receptionist.Listing.class);
    testKit.system().receptionist().tell(Receptionist.subscribe(LabelerProtocol.LABELER_SERVICE, listings.getRef()));
    Set<ActorRef<Command>> found = listings.fishForMessage(Duration.ofSeconds(5), listing ->
        listing.getServiceInstances(LabelerProtocol.LABELER_SERVICE).isEmpty()
            ? FishingOutcomes.continueAndIgnore()
            : FishingOutcomes.complete())
        .get(0).getServiceInstances(LabelerProtocol.LABELER_SERVICE);
    assertEquals(Set.of(endpoint), found);

    TestProbe<LabelerEndpoint> answers = testKit.createTestProbe(LabelerEndpoint.class);
    endpoint.tell(new GetEndpoint(answers.getRef()));
    LabelerEndpoint answer = answers.receiveMessage();
    assertEquals(endpoint, answer.labeler());
    assertEquals("10.0.0.5:50061", answer.address());

    testKit.stop(endpoint);
    Receptionist.Listing afterStop = listings.fishForMessage(Duration.ofSeconds(5), listing ->
        listing.getServiceInstances(LabelerProtocol.LABELER_SERVICE).isEmpty()
            ? FishingOutcomes.complete()
            : FishingOutcomes.continueAndIgnore()).get(0);
    assertTrue(afterStop.getServiceInstances(LabelerProtocol.LABELER_SERVICE).isEmpty(),
        "a stopped labeler leaves the listing");
  }
}
