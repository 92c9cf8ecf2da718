package org.aevlp.coordinator.runner;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import org.aevlp.common.cluster.ClusterNodeConfig;
import org.aevlp.common.data.LabelMatrix;
import org.aevlp.common.data.SpmlDataset;
import org.aevlp.common.data.SpmlSplit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;

/** What the runner and manager tests share: a one-node cluster to run in, and small label splits. */
public final class RunnerTestKit {

  /** A loaded machine may take longer than the default 10 s to leave the cluster; that is no failure. */
  private static final Config SLOW_SHUTDOWN_OK = ConfigFactory.parseString(
      "pekko.actor.testkit.typed.system-shutdown-default = 30s\n"
          + "pekko.actor.testkit.typed.throw-on-shutdown-timeout = off");

  private RunnerTestKit() {}

  /** A test kit whose system is a cluster of itself with the coordinator and worker roles. */
  public static ActorTestKit joinedCluster(String name) {
    ActorTestKit testKit = ActorTestKit.create(name,
        ClusterNodeConfig.embedded(Set.of("coordinator", "worker")).toConfig(SLOW_SHUTDOWN_OK));
    Cluster cluster = Cluster.get(testKit.system());
    cluster.manager().tell(Join.create(cluster.selfMember().address()));
    return testKit;
  }

  /** {@code rows} samples with two true classes each (r and r+3), the first one observed. */
  public static SpmlSplit split(String prefix, int rows, int classes) {
    List<String> paths = new ArrayList<>();
    byte[] labels = new byte[rows * classes];
    byte[] observed = new byte[rows * classes];
    for (int r = 0; r < rows; r++) {
      paths.add(prefix + r + ".png");
      labels[r * classes + r % classes] = 1;
      labels[r * classes + (r + 3) % classes] = 1;
      observed[r * classes + r % classes] = 1;
    }
    return new SpmlSplit(paths, LabelMatrix.of(rows, classes, labels), LabelMatrix.of(rows, classes, observed));
  }

  /** A dataset of {@code train} training samples and 12 each for validation and test (no images). */
  public static SpmlDataset dataset(Path dir, int train, int classes) {
    return new SpmlDataset(split("train", train, classes), split("val", 12, classes), split("test", 12, classes),
        classes, List.of(), dir, List.of(), IntStream.range(0, train).toArray());
  }
}
