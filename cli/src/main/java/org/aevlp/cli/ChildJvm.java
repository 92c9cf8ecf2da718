package org.aevlp.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * An {@code aevlp} subcommand in a JVM of its own, with this JVM's class path, DJL kept offline and
 * the engine limited to a given number of intra-op threads. Output goes to a log file. Closing it
 * kills the process.
 */
public final class ChildJvm implements AutoCloseable {

  private final Process process;
  private final Path log;

  private ChildJvm(Process process, Path log) {
    this.process = process;
    this.log = log;
  }

  /** Starts {@code aevlp <args>} with {@code threads} intra-op threads; stdout and stderr go to {@code log}. */
  public static ChildJvm start(List<String> args, int threads, Path log) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx2g");
    command.add("-Dai.djl.offline=true");
    command.add("-Dai.djl.pytorch.num_threads=" + threads);
    command.add("-Dai.djl.pytorch.num_interop_threads=1");
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(AevlpCommand.class.getName());
    command.addAll(args);
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    builder.environment().put("DJL_OFFLINE", "true");
    return new ChildJvm(builder.start(), log);
  }

  public long pid() {
    return process.pid();
  }

  public Path log() {
    return log;
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /** Kills the process at once (SIGKILL on Unix): no shutdown hook, no goodbye to the cluster. */
  public void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
  }

  /** Freezes the process (SIGSTOP): it keeps its sockets but answers nothing, not even heartbeats. */
  public void suspend() throws IOException, InterruptedException {
    signal("STOP");
  }

  /** Lets a suspended process run again (SIGCONT). */
  public void resume() throws IOException, InterruptedException {
    signal("CONT");
  }

  private void signal(String name) throws IOException, InterruptedException {
    int exit = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start().waitFor();
    if (exit != 0) {
      throw new IOException("kill -" + name + " " + process.pid() + " exited with " + exit);
    }
  }

  /** Waits for the exit code, or returns -1 when the process is still running after {@code seconds}. */
  public int waitFor(long seconds) throws InterruptedException {
    return process.waitFor(seconds, TimeUnit.SECONDS) ? process.exitValue() : -1;
  }

  @Override
  public void close() {
    if (process.isAlive()) {
      try {
        kill();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
