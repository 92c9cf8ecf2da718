package org.aevlp.coordinator.experiments;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.aevlp.proto.v1.ExperimentSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DataRootTest {

  @TempDir Path temp;

  private DataRoot root() throws Exception {
    Path data = Files.createDirectories(temp.resolve("data/synthetic"));
    Files.createDirectories(temp.resolve("outside"));
    return DataRoot.of(data.getParent());
  }

  private static ExperimentSpec dataDir(String dir) {
    return ExperimentSpec.newBuilder().setDataDir(dir).build();
  }

  @Test
  void pathsUnderTheRootAbsoluteOrRelativeAreAccepted() throws Exception {
    DataRoot root = root();
    Path data = temp.resolve("data");
    assertDoesNotThrow(() -> root.check(dataDir(data.resolve("synthetic").toString())));
    assertDoesNotThrow(() -> root.check(dataDir(data.toString())));
    assertDoesNotThrow(() -> root.check(dataDir("synthetic")), "relative paths are judged from the root");
    assertDoesNotThrow(() -> root.check(dataDir("data/synthetic")), "OPERATIONS.md's spec on the cluster");
    assertDoesNotThrow(() -> root.check(ExperimentSpec.newBuilder()
        .setPretrainedPath(data.resolve("synthetic/tiny-vlm/image-tower.backbone").toString()).build()),
        "a file that is not there yet, under the root");
    assertDoesNotThrow(() -> root.check(ExperimentSpec.getDefaultInstance()), "empty paths are not checked");
  }

  @ParameterizedTest
  @ValueSource(strings = {"../outside", "synthetic/../../outside", "/etc", "/", "../data-other"})
  void pathsLeavingTheRootAreRefusedNamingTheField(String dir) throws Exception {
    DataRoot root = root();
    IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> root.check(dataDir(dir)));
    assertTrue(refused.getMessage().startsWith("data_dir: " + dir + " is outside this coordinator's data root "),
        refused.getMessage());
    IllegalArgumentException weights = assertThrows(IllegalArgumentException.class,
        () -> root.check(ExperimentSpec.newBuilder().setPretrainedPath(dir + "/w.params").build()));
    assertTrue(weights.getMessage().startsWith("pretrained_path: "), weights.getMessage());
  }

  @Test
  void aPrefixOfTheRootNameIsNotUnderIt() throws Exception {
    DataRoot root = root();
    Files.createDirectories(temp.resolve("data2"));
    assertThrows(IllegalArgumentException.class, () -> root.check(dataDir(temp.resolve("data2").toString())));
  }

  @Test
  void aSymbolicLinkInsideTheRootThatLeadsOutIsRefused() throws Exception {
    DataRoot root = root();
    Path link = Files.createSymbolicLink(temp.resolve("data/escape"), temp.resolve("outside"));
    IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
        () -> root.check(dataDir(link.resolve("sub").toString())));
    assertTrue(refused.getMessage().contains("outside this coordinator's data root"), refused.getMessage());
    Path dangling = Files.createSymbolicLink(temp.resolve("data/dangling"), temp.resolve("nowhere"));
    IllegalArgumentException unresolved = assertThrows(IllegalArgumentException.class,
        () -> root.check(dataDir(dangling.toString())));
    assertTrue(unresolved.getMessage().contains("cannot be resolved"), unresolved.getMessage());
  }

  @Test
  void aRootReachedThroughALinkAcceptsPathsWrittenEitherWay() throws Exception {
    Path real = Files.createDirectories(temp.resolve("real-data/synthetic"));
    Path alias = Files.createSymbolicLink(temp.resolve("alias"), real.getParent());
    DataRoot root = DataRoot.of(alias);
    assertDoesNotThrow(() -> root.check(dataDir(real.toString())));
    assertDoesNotThrow(() -> root.check(dataDir(alias.resolve("synthetic").toString())));
  }

  @Test
  void withoutARootEveryPathIsAccepted() {
    DataRoot root = DataRoot.of(Optional.empty());
    assertEquals(Optional.empty(), root.root());
    assertDoesNotThrow(() -> root.check(dataDir("/etc")));
    assertDoesNotThrow(() -> root.check(dataDir("../../x")));
  }
}
