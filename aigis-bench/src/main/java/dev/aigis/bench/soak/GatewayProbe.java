package dev.aigis.bench.soak;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Reads the gateway's resources from outside the process: {@code /proc} for memory, threads,
 * descriptors and sockets, and one {@code jcmd} per sample for the heap after a full GC (the
 * gateway exports no JVM metrics). {@code /proc} is read before jcmd attaches, so the attach
 * socket is not counted; {@link #attachOnce} creates the target's Attach Listener thread before
 * the first sample, so the thread count does not step by one after it.
 */
final class GatewayProbe {

  private static final long JCMD_TIMEOUT_SECONDS = 60;

  private final long pid;
  private final Path proc;
  private final int upstreamPort;
  private final int trafficPort;
  private final Path jcmd;
  private final Path commands;

  GatewayProbe(long pid, int upstreamPort, int trafficPort, Path jcmd, Path work) throws IOException {
    this.pid = pid;
    this.proc = Path.of("/proc", Long.toString(pid));
    this.upstreamPort = upstreamPort;
    this.trafficPort = trafficPort;
    this.jcmd = jcmd;
    this.commands = work.resolve("jcmd-commands.txt");
    Files.writeString(commands, "GC.run\nGC.heap_info\n");
  }

  void attachOnce() throws IOException, InterruptedException {
    jcmd(List.of("VM.version"));
  }

  ResourceUsage sample() throws IOException, InterruptedException {
    ProcStatus status = ProcStatus.parse(Files.readString(proc.resolve("status")));
    Set<Long> inodes = new HashSet<>();
    int descriptors = 0;
    try (DirectoryStream<Path> fds = Files.newDirectoryStream(proc.resolve("fd"))) {
      for (Path fd : fds) {
        descriptors++;
        socketInode(fd, inodes);
      }
    }
    List<TcpSocket> sockets = new ArrayList<>(TcpSocket.parse(Files.readString(proc.resolve("net/tcp"))));
    sockets.addAll(TcpSocket.parse(Files.readString(proc.resolve("net/tcp6"))));
    Connections connections = Connections.of(sockets, inodes, upstreamPort, trafficPort);
    HeapInfo heap = HeapInfo.parse(jcmd(List.of("-f", commands.toString())));
    return new ResourceUsage(status.rssBytes(), heap.usedBytes(), heap.committedBytes(), status.threads(),
        descriptors, connections);
  }

  private static void socketInode(Path fd, Set<Long> inodes) {
    try {
      String target = Files.readSymbolicLink(fd).toString();
      if (target.startsWith("socket:[")) {
        inodes.add(Long.parseLong(target.substring("socket:[".length(), target.length() - 1)));
      }
    } catch (IOException e) {
      // closed between listing and reading: not open any more
    }
  }

  private String jcmd(List<String> arguments) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(jcmd.toString(), Long.toString(pid)));
    command.addAll(arguments);
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    byte[] out = p.getInputStream().readAllBytes();
    if (!p.waitFor(JCMD_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IOException(String.join(" ", command) + " did not finish");
    }
    String text = new String(out, StandardCharsets.UTF_8);
    if (p.exitValue() != 0) {
      throw new IOException(String.join(" ", command) + " failed: " + text.strip());
    }
    return text;
  }
}
